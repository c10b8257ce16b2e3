// Pure parsers for the per-process files under /proc/<pid>, plus the one reader the stop action and the
// collector share to tell "the same process" from "a new process that got the same PID".

import { joinArgv } from './collectedSockets';
import type { ProcFs } from './procFs';
import { realProcFs } from './procFs';

/** Linux reports /proc/<pid>/stat start times in USER_HZ ticks, 100 on every mainstream architecture. */
export const LINUX_USER_HZ = 100;

export interface ProcStat {
  pid: number;
  /** The kernel's 15-character command name (comm). */
  comm: string;
  /** One-letter state: R, S, D, Z (zombie), T, X (dead)... */
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks since boot. Together with the PID it names one process. */
  startTicks: number;
  /** Field 9 has PF_KTHREAD (0x00200000) for kernel threads. */
  kernelThread: boolean;
}

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const state = rest[0];
  const ppid = Number(rest[1]);
  const flags = Number(rest[6]);
  const startTicks = Number(rest[19]);
  if (state === undefined || !Number.isInteger(pid) || !Number.isFinite(ppid) || !Number.isFinite(startTicks)) return undefined;
  return { pid, comm, state, ppid, startTicks, kernelThread: (flags & 0x00200000) !== 0 };
}

export interface ProcStatusIds {
  /** Real, effective, saved, filesystem UIDs. */
  uids: [number, number, number, number];
}

/** Reads the Uid: line of /proc/<pid>/status. */
export function parseProcStatusUids(text: string): ProcStatusIds | undefined {
  const at = text.indexOf('\nUid:');
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at + 1);
  const parts = text
    .slice(at + 5, end < 0 ? undefined : end)
    .trim()
    .split(/\s+/)
    .map(Number);
  if (parts.length < 4 || parts.some((n) => !Number.isInteger(n))) return undefined;
  return { uids: [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0] };
}

/** Splits /proc/<pid>/cmdline (NUL-separated, usually NUL-terminated) into argv. */
export function parseCmdline(text: string): string[] {
  if (text === '') return [];
  const trimmed = text.endsWith('\0') ? text.slice(0, -1) : text;
  const argv = trimmed.split('\0');
  // A process that rewrote its argv into one space-separated string (nginx: "nginx: master process")
  // leaves a single element; keep it as is.
  return argv;
}

/** The value of one variable in /proc/<pid>/environ (NUL-separated NAME=value), or undefined. */
export function findEnvironValue(text: string, name: string): string | undefined {
  const prefix = `${name}=`;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\0', start);
    if (end < 0) end = text.length;
    if (text.startsWith(prefix, start)) return text.slice(start + prefix.length, end);
    start = end + 1;
  }
  return undefined;
}

/** Parses the btime line of /proc/stat: boot time in seconds since the epoch. */
export function parseBootTime(procStatText: string): number | undefined {
  const m = /^btime\s+(\d+)/m.exec(procStatText);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** Maps UIDs to names from /etc/passwd text (name:x:uid:gid:...). */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0];
    const uid = Number(fields[2]);
    if (name !== undefined && name !== '' && Number.isInteger(uid) && !users.has(uid)) users.set(uid, name);
  }
  return users;
}

/** Short display name: basename of argv[0] (without a trailing ':' from rewritten titles), else comm. */
export function processDisplayName(argv: readonly string[], comm: string): string {
  const first = argv[0];
  if (first === undefined || first === '') return comm;
  const word = argv.length === 1 ? (first.split(' ')[0] ?? first) : first;
  const base = word.slice(word.lastIndexOf('/') + 1).replace(/:$/, '');
  return base === '' ? comm : base;
}

/** argv for display; kernel threads (empty cmdline) show as [comm] like ps does. */
export function displayCommandLine(argv: readonly string[], comm: string): string {
  return argv.length === 0 ? `[${comm}]` : joinArgv(argv);
}

export interface LinuxProcessIdentity {
  pid: number;
  startToken: string;
  /** Effective UID. */
  uid: number;
  /** Real UID: kill() checks it against the sender's real or effective UID. */
  realUid: number;
  /** Zombie or dead: the process has exited and only waits to be reaped. */
  exited: boolean;
  name: string;
}

/** The identity the stop action compares: start ticks as a string. */
export function linuxStartToken(startTicks: number): string {
  return String(startTicks);
}

/** Reads /proc/<pid>/stat and status; undefined if the process does not exist (any more). */
export function readLinuxProcessIdentity(pid: number, procFs: ProcFs = realProcFs, procRoot = '/proc'): LinuxProcessIdentity | undefined {
  let statText: string;
  let statusText: string;
  try {
    statText = procFs.readFile(`${procRoot}/${pid}/stat`);
    statusText = procFs.readFile(`${procRoot}/${pid}/status`);
  } catch {
    return undefined;
  }
  const stat = parseProcStat(statText);
  const ids = parseProcStatusUids(statusText);
  if (stat === undefined || ids === undefined) return undefined;
  return {
    pid,
    startToken: linuxStartToken(stat.startTicks),
    uid: ids.uids[1],
    realUid: ids.uids[0],
    exited: stat.state === 'Z' || stat.state === 'X' || stat.state === 'x',
    name: stat.comm,
  };
}
