// Binds of the same fixed port across every analyzed file, with the reuse options each has in
// effect per platform: the input of the cross-file rules.
import type { FileAnalysis } from '../fileAnalysis';
import { hostsOverlap } from '../addresses';
import type { BindFact, Platform, ReuseOption, SocketFact } from '../facts';
import { effectiveOptions, socketIndex } from '../socketModel';
import { isStandaloneProgram, isTestFile } from '../sourceFiles';

export interface BoundSocket {
  file: FileAnalysis;
  socket: SocketFact;
  bind: BindFact;
  /** SO_REUSEADDR / SO_REUSEPORT in effect at the bind, per target platform it runs on. */
  sharing: Map<Platform, Set<Exclude<ReuseOption, 'exclusiveaddruse'>>>;
  /** The file is a separate example/demo program: its binds pair only with binds of the same file. */
  standalone: boolean;
}

/**
 * Binds that take part in port sharing: fixed ports of servers and UDP receivers. `roots` are the
 * folders the analysis started from; example folders are looked for below them.
 */
export function boundSockets(file: FileAnalysis, targets: readonly Platform[], roots: readonly string[] = []): BoundSocket[] {
  if (isTestFile(file.path)) return [];
  const sockets = socketIndex(file.facts);
  const result: BoundSocket[] = [];
  const standalone = isStandaloneProgram(file.path, roots);
  for (const bind of file.facts.binds) {
    const socket = sockets.get(bind.socketId);
    if (!socket || bind.port === null || bind.port === 0) continue;
    if (socket.protocol === 'unknown' || (socket.role !== 'server' && socket.protocol !== 'udp')) continue;
    if (socket.role === 'client') continue;
    const sharing = new Map<Platform, Set<Exclude<ReuseOption, 'exclusiveaddruse'>>>();
    for (const p of targets) {
      if (!bind.platforms.includes(p)) continue;
      const options = effectiveOptions(file.facts, bind, p);
      const set = new Set<Exclude<ReuseOption, 'exclusiveaddruse'>>();
      if (options.has('reuseaddr')) set.add('reuseaddr');
      if (options.has('reuseport')) set.add('reuseport');
      sharing.set(p, set);
    }
    if (sharing.size > 0) result.push({ file, socket, bind, sharing, standalone });
  }
  return result;
}

export function portKey(b: BoundSocket): string {
  return `${b.socket.protocol}:${String(b.bind.port)}`;
}

/** Separate programs never meet: a file in an example folder pairs only with itself. */
function mayRunTogether(a: BoundSocket, b: BoundSocket): boolean {
  return a.file.path === b.file.path || (!a.standalone && !b.standalone);
}

export function sameBind(a: BoundSocket, b: BoundSocket): boolean {
  return a.file.path === b.file.path && a.bind.span.start === b.bind.span.start && a.bind.span.end === b.bind.span.end;
}

/** Groups by protocol and port, keeping only groups where at least two binds could collide. */
export function groupByPort(all: readonly BoundSocket[]): Map<string, BoundSocket[]> {
  const groups = new Map<string, BoundSocket[]>();
  for (const b of all) {
    const key = portKey(b);
    const list = groups.get(key);
    if (list) list.push(b);
    else groups.set(key, [b]);
  }
  for (const [key, list] of groups) if (list.length < 2) groups.delete(key);
  return groups;
}

/** The other binds of the group that can collide with `b` on at least one common platform. */
export function rivals(b: BoundSocket, group: readonly BoundSocket[]): BoundSocket[] {
  return group.filter((o) => !sameBind(o, b) && mayRunTogether(o, b) && hostsOverlap(o.bind, b.bind) && [...o.sharing.keys()].some((p) => b.sharing.has(p)));
}

export function describeLocation(b: BoundSocket, from: FileAnalysis): string {
  const line = (b.file.lines?.position(b.bind.span.start).line ?? 0) + 1;
  const name = b.file.path === from.path ? 'line' : `${b.file.path.replace(/^.*[\\/]/, '')}:`;
  return b.file.path === from.path ? `${name} ${line}` : `${name}${line}`;
}
