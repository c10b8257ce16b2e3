// Binds of the same fixed port across every analyzed file, with the reuse options each has in
// effect per platform: the input of the cross-file rules.
import type { FileAnalysis } from '../fileAnalysis';
import type { BindFact, Platform, ReuseOption, SocketFact } from '../facts';
import { effectiveOptions, socketIndex } from '../socketModel';
import { isTestFile } from '../sourceFiles';

export interface BoundSocket {
  file: FileAnalysis;
  socket: SocketFact;
  bind: BindFact;
  /** SO_REUSEADDR / SO_REUSEPORT in effect at the bind, per target platform it runs on. */
  sharing: Map<Platform, Set<Exclude<ReuseOption, 'exclusiveaddruse'>>>;
}

/** Binds that take part in port sharing: fixed ports of servers and UDP receivers. */
export function boundSockets(file: FileAnalysis, targets: readonly Platform[]): BoundSocket[] {
  if (isTestFile(file.path)) return [];
  const sockets = socketIndex(file.facts);
  const result: BoundSocket[] = [];
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
    if (sharing.size > 0) result.push({ file, socket, bind, sharing });
  }
  return result;
}

export function portKey(b: BoundSocket): string {
  return `${b.socket.protocol}:${String(b.bind.port)}`;
}

function normalizedHost(bind: BindFact): string | null {
  if (bind.hostKind === 'any' || bind.hostKind === 'unknown') return null;
  if (bind.hostKind === 'loopback') return 'loopback';
  return (bind.host ?? '').toLowerCase();
}

/** Two binds can collide when one covers the other's address. */
export function hostsOverlap(a: BindFact, b: BindFact): boolean {
  const ha = normalizedHost(a);
  const hb = normalizedHost(b);
  return ha === null || hb === null || ha === hb;
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
  return group.filter((o) => !sameBind(o, b) && hostsOverlap(o.bind, b.bind) && [...o.sharing.keys()].some((p) => b.sharing.has(p)));
}

export function describeLocation(b: BoundSocket, from: FileAnalysis): string {
  const line = (b.file.lines?.position(b.bind.span.start).line ?? 0) + 1;
  const name = b.file.path === from.path ? 'line' : `${b.file.path.replace(/^.*[\\/]/, '')}:`;
  return b.file.path === from.path ? `${name} ${line}` : `${name}${line}`;
}
