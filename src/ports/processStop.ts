// Stopping the process that holds a port: SIGTERM, then SIGKILL after a grace period. Before every
// signal the process's start token is read again and compared with the one the snapshot saw, so a PID
// that was reused by another process is never hit. Other users' processes are refused with a reason
// (without root we could not signal them; with root we still do not stop someone else's server from an
// editor). No shell: signals go through process.kill, Windows uses taskkill with an argument array.

import type { PortsPlatform } from './collectedSockets';
import type { CommandRunner } from './commandRunner';
import { runCommand } from './commandRunner';
import { DARWIN_TOOLS } from './darwinCollector';
import { darwinStartToken } from './darwinPs';
import { readLinuxProcessIdentity } from './linuxProcesses';
import { windowsTool } from './windowsCollector';
import { parseTasklistCsv } from './windowsNetstat';

export interface ProcessIdentity {
  pid: number;
  startToken: string;
  /** Effective UID (Unix). */
  uid?: number;
  /** The process has exited and only waits for its parent to reap it (zombie). */
  exited: boolean;
  name?: string;
}

export type IdentityReader = (pid: number) => Promise<ProcessIdentity | undefined>;

/** Reads a process's identity on this OS; undefined when no such process exists. */
export async function readProcessIdentity(
  pid: number,
  platform: PortsPlatform = currentPlatform(),
  run: CommandRunner = runCommand,
): Promise<ProcessIdentity | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') {
    const id = readLinuxProcessIdentity(pid);
    return id === undefined ? undefined : { pid, startToken: id.startToken, uid: id.uid, exited: id.exited, name: id.name };
  }
  if (platform === 'darwin') {
    const r = await run(DARWIN_TOOLS.ps, ['-o', 'uid=,stat=,lstart=', '-p', String(pid)], { env: { LC_ALL: 'C' }, timeoutMs: 5000 });
    const m = /^\s*(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(r.stdout.split('\n')[0] ?? '');
    if (r.code !== 0 || m === null) return undefined;
    return { pid, uid: Number(m[1]), exited: (m[2] ?? '').startsWith('Z'), startToken: darwinStartToken(m[3] ?? '') };
  }
  const r = await run(windowsTool('tasklist.exe'), ['/fi', `PID eq ${pid}`, '/fo', 'csv', '/nh'], { timeoutMs: 5000 });
  const proc = parseTasklistCsv(r.stdout).find((p) => p.pid === pid);
  return proc?.startToken === undefined ? undefined : { pid, startToken: proc.startToken, exited: false, name: proc.name };
}

/** The start token to remember for a terminal's shell PID when the terminal opens. */
export async function readProcessStartToken(pid: number, platform: PortsPlatform = currentPlatform()): Promise<string | undefined> {
  return (await readProcessIdentity(pid, platform))?.startToken;
}

export function currentPlatform(): PortsPlatform {
  return process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'win32' : 'linux';
}

export interface StopRequest {
  pid: number;
  /** The start token the snapshot recorded for this PID. */
  startToken: string;
  /** For messages. */
  name?: string;
}

export type StopOutcome = 'terminated' | 'killed' | 'already-exited' | 'refused' | 'failed';

export interface StopResult {
  outcome: StopOutcome;
  /** One sentence for the user. */
  message: string;
  /** The last signal sent, if any. */
  signal?: 'SIGTERM' | 'SIGKILL';
}

export interface StopOptions {
  /** How long to wait after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** How long to wait after SIGKILL before giving up. */
  killWaitMs?: number;
  pollMs?: number;
  /** Our effective UID (default: process.geteuid()). */
  currentUid?: number;
  platform?: PortsPlatform;
  readIdentity?: IdentityReader;
  /** Sends a signal; default process.kill (Windows: taskkill). */
  sendSignal?: (pid: number, signal: 'SIGTERM' | 'SIGKILL') => Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function defaultSendSignal(pid: number, signal: 'SIGTERM' | 'SIGKILL', platform: PortsPlatform): Promise<void> {
  if (platform === 'win32') {
    const args = signal === 'SIGKILL' ? ['/PID', String(pid), '/F'] : ['/PID', String(pid)];
    const r = await runCommand(windowsTool('taskkill.exe'), args, { timeoutMs: 5000 });
    if (r.code !== 0 && signal === 'SIGKILL') throw new Error(r.stderr.trim() || `taskkill exited with ${r.code}`);
    return;
  }
  process.kill(pid, signal);
}

/**
 * Stops one process, guarded by its start token. Never throws: every outcome comes back as a result.
 */
export async function stopProcess(request: StopRequest, options: StopOptions = {}): Promise<StopResult> {
  const platform = options.platform ?? currentPlatform();
  const readIdentity = options.readIdentity ?? ((pid: number) => readProcessIdentity(pid, platform));
  const send = options.sendSignal ?? ((pid: number, signal: 'SIGTERM' | 'SIGKILL') => defaultSendSignal(pid, signal, platform));
  const graceMs = options.graceMs ?? 5000;
  const killWaitMs = options.killWaitMs ?? 2000;
  const pollMs = options.pollMs ?? 50;
  const currentUid = options.currentUid ?? (typeof process.geteuid === 'function' ? process.geteuid() : undefined);
  const label = `${request.name ?? 'process'} (pid ${request.pid})`;

  if (!Number.isInteger(request.pid) || request.pid <= 1) {
    return { outcome: 'refused', message: `Refusing to stop pid ${request.pid}: not an ordinary process.` };
  }
  if (request.pid === process.pid) {
    return { outcome: 'refused', message: `Refusing to stop ${label}: it is Bindwatch itself.` };
  }

  /** 'same' | 'gone' | 'other' (the PID now names a different process). */
  const check = async (): Promise<{ status: 'same' | 'gone' | 'other'; identity?: ProcessIdentity }> => {
    let identity: ProcessIdentity | undefined;
    try {
      identity = await readIdentity(request.pid);
    } catch {
      identity = undefined;
    }
    if (identity === undefined) return { status: 'gone' };
    if (identity.startToken !== request.startToken) return { status: 'other', identity };
    if (identity.exited) return { status: 'gone', identity };
    return { status: 'same', identity };
  };

  const first = await check();
  if (first.status === 'gone') return { outcome: 'already-exited', message: `${label} has already exited.` };
  if (first.status === 'other') {
    return {
      outcome: 'refused',
      message: `Did not stop pid ${request.pid}: it now belongs to a different process${first.identity?.name !== undefined ? ` (${first.identity.name})` : ''} that started later than the one listed. Refresh the view.`,
    };
  }
  const ownerUid = first.identity?.uid;
  if (currentUid !== undefined && ownerUid !== undefined && ownerUid !== currentUid) {
    return {
      outcome: 'refused',
      message:
        currentUid === 0
          ? `Did not stop ${label}: it belongs to another user (uid ${ownerUid}). Bindwatch only stops processes of the user running it.`
          : `Cannot stop ${label}: it belongs to another user (uid ${ownerUid}), and only that user or root may signal it.`,
    };
  }

  const waitUntilGone = async (ms: number): Promise<'gone' | 'other' | 'alive'> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const state = await check();
      if (state.status !== 'same') return state.status === 'gone' ? 'gone' : 'other';
      if (Date.now() >= deadline) return 'alive';
      await sleep(pollMs);
    }
  };

  try {
    await send(request.pid, 'SIGTERM');
  } catch (error) {
    const gone = await check();
    if (gone.status !== 'same') return { outcome: 'already-exited', message: `${label} has already exited.` };
    return { outcome: 'failed', message: `Could not signal ${label}: ${(error as Error).message}.` };
  }
  const afterTerm = await waitUntilGone(graceMs);
  if (afterTerm !== 'alive') return { outcome: 'terminated', signal: 'SIGTERM', message: `Stopped ${label}.` };

  // Still there after the grace period: check it is still the same process, then SIGKILL.
  const beforeKill = await check();
  if (beforeKill.status !== 'same') return { outcome: 'terminated', signal: 'SIGTERM', message: `Stopped ${label}.` };
  try {
    await send(request.pid, 'SIGKILL');
  } catch (error) {
    return { outcome: 'failed', signal: 'SIGTERM', message: `${label} ignored SIGTERM and could not be killed: ${(error as Error).message}.` };
  }
  const afterKill = await waitUntilGone(killWaitMs);
  if (afterKill !== 'alive') {
    return { outcome: 'killed', signal: 'SIGKILL', message: `${label} did not stop within ${Math.round(graceMs / 1000)} s of SIGTERM and was killed.` };
  }
  return { outcome: 'failed', signal: 'SIGKILL', message: `${label} is still running after SIGKILL (it may be stuck in the kernel).` };
}
