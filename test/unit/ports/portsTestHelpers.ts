// Shared by the ports tests: where the fixtures are, a stand-in /proc built from a capture, and real
// socket-holding child processes (python3 socket_holder.py) that are always cleaned up.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { ProcFs } from '../../../src/ports/procFs';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test');
    dir = parent;
  }
  return dir;
}

export const PORTS_FIXTURES = path.join(repoRoot(), 'test', 'unit', 'fixtures', 'ports');

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(path.join(PORTS_FIXTURES, ...parts), 'utf8');
}

export interface ProcCapture {
  currentUid: number;
  files: Record<string, string>;
  dirs: Record<string, string[]>;
  links: Record<string, string>;
  owners: Record<string, number>;
  pids: Record<string, { pid: number; child: number | null; ports: number[] }>;
}

export function loadProcCapture(): ProcCapture {
  return JSON.parse(readFixture('linux', 'proc-capture.json')) as ProcCapture;
}

function fsError(code: string, op: string, p: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${op} '${p}'`);
  error.code = code;
  return error;
}

/**
 * A /proc made of a capture, where chosen paths fail with a chosen errno (to act out a process that
 * exits mid-scan, an unreadable fd directory...). Records every path it was asked for.
 */
export class FakeProcFs implements ProcFs {
  readonly asked: string[] = [];
  readonly failures = new Map<string, string>();
  constructor(private readonly capture: ProcCapture) {}

  failWith(p: string, code: string): this {
    this.failures.set(p, code);
    return this;
  }

  private check(op: string, p: string): void {
    this.asked.push(p);
    const code = this.failures.get(p);
    if (code !== undefined) throw fsError(code, op, p);
  }

  readFile(p: string): string {
    this.check('open', p);
    const text = this.capture.files[p];
    if (text === undefined) throw fsError('ENOENT', 'open', p);
    return text;
  }

  readFileAsync(p: string): Promise<string> {
    return new Promise((resolve) => resolve(this.readFile(p)));
  }

  readdir(p: string): string[] {
    this.check('scandir', p);
    const entries = this.capture.dirs[p];
    if (entries === undefined) throw fsError('ENOENT', 'scandir', p);
    return entries.slice();
  }

  readlink(p: string): string {
    this.check('readlink', p);
    const target = this.capture.links[p];
    if (target === undefined) throw fsError('ENOENT', 'readlink', p);
    return target;
  }

  /** For an fd directory, its number of entries, as Linux 6.2+ reports in stat. */
  size(p: string): number {
    this.check('stat', p);
    const entries = this.capture.dirs[p];
    if (entries === undefined) throw fsError('ENOENT', 'stat', p);
    return entries.length;
  }

  ownerUid(p: string): number {
    this.check('stat', p);
    const uid = this.capture.owners[p];
    if (uid === undefined) throw fsError('ENOENT', 'stat', p);
    return uid;
  }
}

// ---------------------------------------------------------------------------------------------------
// Live socket holders

export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const HOLDER = path.join(PORTS_FIXTURES, 'socket_holder.py');

export interface HolderSocketSpec {
  proto: 'tcp' | 'udp';
  host: string;
  port?: number | string;
  reuseaddr?: boolean;
  reuseport?: boolean;
  v6only?: boolean;
  connect?: [string, number];
}

export interface HolderSpec {
  sockets: HolderSocketSpec[];
  fork?: boolean;
  ignore_term?: boolean;
  chdir?: string;
}

export interface Holder {
  pid: number;
  child: number | null;
  ports: number[];
  process: ChildProcess;
  exited: Promise<void>;
}

const live = new Set<Holder>();

/** Starts socket_holder.py (optionally as another user via runuser) and waits until it has bound. */
export async function startHolder(spec: HolderSpec, options: { user?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Holder> {
  const args = options.user !== undefined ? ['-u', options.user, '--', PYTHON, HOLDER, JSON.stringify(spec)] : [HOLDER, JSON.stringify(spec)];
  const child = spawn(options.user !== undefined ? 'runuser' : PYTHON, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`socket holder exited (${code}) before binding: ${stderr.trim()}`)));
  });
  lines.close();
  const info = JSON.parse(first) as { pid: number; child: number | null; ports: number[] };
  const holder: Holder = { ...info, process: child, exited };
  live.add(holder);
  return holder;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a holder and its forked child: stdin closes (they exit by themselves), then SIGKILL if needed. */
export async function stopHolder(holder: Holder): Promise<void> {
  live.delete(holder);
  holder.process.stdin?.end();
  const pids = [holder.pid, holder.child].filter((p): p is number => p !== null);
  const deadline = Date.now() + 2000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const pid of pids) {
    if (alive(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (holder.process.exitCode === null && holder.process.signalCode === null) {
    holder.process.kill('SIGKILL');
    await holder.exited;
  }
}

export async function stopAllHolders(): Promise<void> {
  await Promise.all([...live].map(stopHolder));
}
