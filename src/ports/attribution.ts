// Workspace attribution: does a process that holds a port belong to the open workspace, and why.
// Signals, strongest first:
//   terminal     - it descends from a terminal or task of this window (remembered by PID + start time,
//                  so a server that outlives its terminal, reparented to init, stays attributed);
//   env-marker   - its environment carries the marker the extension adds to its terminals through
//                  EnvironmentVariableCollection (survives reparenting and double forks);
//   cwd          - its working directory is inside a workspace folder;
//   command-line - an argument names a path inside a workspace folder (weakest: substring of argv).
// Every matching reason is kept, strongest first, so the UI can say why.

import type { CollectedProcess, PortsPlatform, ProcessLineage } from './collectedSockets';

export type AttributionReason = 'terminal' | 'env-marker' | 'cwd' | 'command-line';

export interface AttributionEvidence {
  reason: AttributionReason;
  /** One sentence for a tooltip: "working directory /w/api is inside workspace folder /w". */
  detail: string;
  /** The workspace folder concerned, when the reason is a path. */
  folder?: string;
}

export interface WorkspaceAttribution {
  /** The strongest reason. */
  reason: AttributionReason;
  detail: string;
  folder?: string;
  /** All reasons found, strongest first (the first is the one above). */
  evidence: AttributionEvidence[];
}

/** A terminal or task process of this window, as the extension knows it. */
export interface TerminalProcessRef {
  pid: number;
  /** Start token from `readProcessStartToken` when the terminal opened; guards against PID reuse. */
  startToken?: string;
  /** Terminal or task name for messages. */
  name?: string;
  kind?: 'terminal' | 'task';
}

export interface WorkspaceContext {
  /** Absolute file-system paths of the workspace folders. */
  folders: readonly string[];
  terminals?: readonly TerminalProcessRef[];
  /** Environment variable the extension sets in its terminals; `value` identifies this window. */
  envMarker?: { name: string; value?: string };
}

const REASON_ORDER: readonly AttributionReason[] = ['terminal', 'env-marker', 'cwd', 'command-line'];

interface RememberedProcess {
  terminal: TerminalProcessRef;
  lastSeen: number;
}

/**
 * Processes once seen descending from a terminal of this window, by PID and start token, so they stay
 * attributed after the terminal closes. Bounded: the least recently seen entries go first.
 */
export class TerminalDescendantMemory {
  private readonly entries = new Map<string, RememberedProcess>();
  constructor(private readonly capacity = 4096) {}

  private static key(pid: number, startToken: string | undefined): string | undefined {
    return startToken === undefined ? undefined : `${pid}@${startToken}`;
  }

  remember(pid: number, startToken: string | undefined, terminal: TerminalProcessRef, now = Date.now()): void {
    const key = TerminalDescendantMemory.key(pid, startToken);
    if (key === undefined) return;
    this.entries.delete(key);
    this.entries.set(key, { terminal, lastSeen: now });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /** The terminal a process (PID + start token) was seen under, if any. */
  recall(pid: number, startToken: string | undefined): TerminalProcessRef | undefined {
    const key = TerminalDescendantMemory.key(pid, startToken);
    return key === undefined ? undefined : this.entries.get(key)?.terminal;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function caseInsensitivePaths(platform: PortsPlatform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

function normalizePath(path: string, platform: PortsPlatform): string {
  let p = platform === 'win32' ? path.replace(/\//g, '\\') : path;
  const sep = platform === 'win32' ? '\\' : '/';
  while (p.length > 1 && p.endsWith(sep) && !(platform === 'win32' && /^[A-Za-z]:\\$/.test(p))) p = p.slice(0, -1);
  return caseInsensitivePaths(platform) ? p.toLowerCase() : p;
}

/** True when `path` is `folder` or inside it (path-segment boundary, not a string prefix). */
export function isPathInside(path: string, folder: string, platform: PortsPlatform = 'linux'): boolean {
  const p = normalizePath(path, platform);
  const f = normalizePath(folder, platform);
  if (p === f) return true;
  const sep = platform === 'win32' ? '\\' : '/';
  return p.startsWith(f.endsWith(sep) ? f : f + sep);
}

/** The first argv element that mentions a path inside `folder` (absolute, or embedded like --config=/w/x). */
function argvNamingFolder(argv: readonly string[], folder: string, platform: PortsPlatform): string | undefined {
  const f = normalizePath(folder, platform);
  if (f === '/' || f === '') return undefined;
  for (const arg of argv) {
    const a = caseInsensitivePaths(platform) ? (platform === 'win32' ? arg.replace(/\//g, '\\') : arg).toLowerCase() : arg;
    let at = a.indexOf(f);
    while (at >= 0) {
      const before = at === 0 ? '' : a[at - 1];
      const after = a[at + f.length];
      const boundaryBefore = before === '' || before === '=' || before === ':' || before === ',' || before === '"' || before === "'" || before === '@';
      const boundaryAfter = after === undefined || after === '/' || after === '\\' || after === ':' || after === ',' || after === '"' || after === "'";
      if (boundaryBefore && boundaryAfter) return arg;
      at = a.indexOf(f, at + 1);
    }
  }
  return undefined;
}

function terminalLabel(t: TerminalProcessRef): string {
  const kind = t.kind ?? 'terminal';
  return t.name !== undefined && t.name !== '' ? `${kind} "${t.name}" (pid ${t.pid})` : `${kind} pid ${t.pid}`;
}

/**
 * Attributes each process to the workspace, or not. `lineage` must hold the parent chain of every
 * process (the collectors provide it). `memory` carries terminal descendants across scans; pass the
 * same instance every time.
 */
export function attributeToWorkspace(
  processes: readonly CollectedProcess[],
  lineage: readonly ProcessLineage[],
  context: WorkspaceContext,
  options: { platform?: PortsPlatform; memory?: TerminalDescendantMemory; now?: number } = {},
): Map<number, WorkspaceAttribution> {
  const platform = options.platform ?? 'linux';
  const memory = options.memory;
  const now = options.now ?? Date.now();
  const parents = new Map<number, ProcessLineage>();
  for (const entry of lineage) parents.set(entry.pid, entry);
  for (const proc of processes) {
    if (!parents.has(proc.pid)) parents.set(proc.pid, { pid: proc.pid, ppid: proc.ppid, startToken: proc.startToken, name: proc.name });
  }
  const terminals = new Map<number, TerminalProcessRef>();
  for (const t of context.terminals ?? []) terminals.set(t.pid, t);

  const result = new Map<number, WorkspaceAttribution>();
  for (const proc of processes) {
    const evidence: AttributionEvidence[] = [];

    // Terminal or task ancestry, live or remembered.
    const chain: ProcessLineage[] = [];
    let current = parents.get(proc.pid);
    let found: { terminal: TerminalProcessRef; live: boolean } | undefined;
    for (let depth = 0; current !== undefined && depth < 256; depth++) {
      const terminal = terminals.get(current.pid);
      if (terminal !== undefined && (terminal.startToken === undefined || terminal.startToken === current.startToken)) {
        found = { terminal, live: true };
        break;
      }
      chain.push(current);
      const remembered = memory?.recall(current.pid, current.startToken);
      if (remembered !== undefined) {
        const stillOpen = terminals.get(remembered.pid);
        found = { terminal: remembered, live: stillOpen !== undefined && stillOpen.startToken === remembered.startToken };
        break;
      }
      if (current.ppid === undefined || current.ppid <= 0 || current.ppid === current.pid) break;
      current = parents.get(current.ppid);
    }
    if (found !== undefined) {
      const label = terminalLabel(found.terminal);
      const isTerminalItself = found.live && found.terminal.pid === proc.pid;
      const detail = isTerminalItself
        ? `is ${label} of this window`
        : found.live
          ? `started from ${label} of this window`
          : `started from ${label} of this window, which has since closed`;
      evidence.push({ reason: 'terminal', detail });
      if (memory !== undefined) for (const link of chain) memory.remember(link.pid, link.startToken, found.terminal, now);
    }

    const marker = context.envMarker;
    if (marker !== undefined && proc.envMarker !== undefined && (marker.value === undefined || marker.value === proc.envMarker)) {
      evidence.push({ reason: 'env-marker', detail: `its environment has ${marker.name} set by a terminal of this window` });
    }

    if (proc.cwd !== undefined) {
      const folder = context.folders.find((f) => isPathInside(proc.cwd ?? '', f, platform));
      if (folder !== undefined) {
        evidence.push({ reason: 'cwd', detail: `working directory ${proc.cwd} is inside workspace folder ${folder}`, folder });
      }
    }

    for (const folder of context.folders) {
      const arg = argvNamingFolder(proc.argv, folder, platform);
      if (arg !== undefined) {
        evidence.push({ reason: 'command-line', detail: `command line names ${arg}, inside workspace folder ${folder}`, folder });
        break;
      }
    }

    if (evidence.length === 0) continue;
    evidence.sort((a, b) => REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason));
    const first = evidence[0];
    if (first === undefined) continue;
    const attribution: WorkspaceAttribution = { reason: first.reason, detail: first.detail, evidence };
    const folder = evidence.find((e) => e.folder !== undefined)?.folder;
    if (folder !== undefined) attribution.folder = folder;
    result.set(proc.pid, attribution);
  }
  return result;
}
