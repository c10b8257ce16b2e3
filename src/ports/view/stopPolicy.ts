// Whether the ports view may offer to stop a process, and what it says before and instead of doing
// it. The signals themselves (start-time guard, SIGTERM then SIGKILL) are `stopProcess` in
// ../processStop.ts; this decides what the user is asked and told. No `vscode` here.

import type { PortProcess } from '../snapshot';

export interface StopTarget {
  pid?: number;
  uid?: number;
  user?: string;
  name?: string;
}

export interface StopContext {
  /** The workspace is trusted (Restricted Mode stops nothing). */
  trusted: boolean;
  /** Effective UID of the extension host; undefined on Windows. */
  currentUid?: number;
  /** VS Code's own processes (the extension host, its parent server): never stopped from the view. */
  protectedPids: ReadonlySet<number>;
  /** The process as the latest snapshot saw it, with its start token. */
  process?: PortProcess;
}

export type StopRefusal = 'untrusted' | 'hidden' | 'protected' | 'other-user' | 'no-identity';

export type StopVerdict =
  | { allowed: true; pid: number; startToken: string; name: string }
  | { allowed: false; refusal: StopRefusal; message: string };

function who(target: StopTarget): string {
  return target.pid !== undefined ? `${target.name ?? 'process'} (pid ${target.pid})` : 'this process';
}

/** Decides, without asking anyone, whether stopping is possible; the refusal says why in words. */
export function stopVerdict(target: StopTarget, context: StopContext): StopVerdict {
  if (!context.trusted) {
    return {
      allowed: false,
      refusal: 'untrusted',
      message: `Bindwatch does not stop processes in Restricted Mode. Trust this workspace to stop ${who(target)} from the Ports view.`,
    };
  }
  if (target.pid === undefined) {
    const user = target.user ?? (target.uid !== undefined ? `uid ${target.uid}` : 'another user');
    return {
      allowed: false,
      refusal: 'hidden',
      message: `The process holding this port belongs to ${user} and is not visible to Bindwatch, so it cannot be stopped from here.`,
    };
  }
  if (context.protectedPids.has(target.pid)) {
    return { allowed: false, refusal: 'protected', message: `${who(target)} is part of VS Code itself; Bindwatch does not stop it.` };
  }
  const uid = context.process?.uid ?? target.uid;
  if (context.currentUid !== undefined && uid !== undefined && uid !== context.currentUid) {
    const user = context.process?.user ?? target.user ?? `uid ${uid}`;
    return {
      allowed: false,
      refusal: 'other-user',
      message:
        context.currentUid === 0
          ? `${who(target)} belongs to another user (${user}). Bindwatch only stops processes of the user running VS Code.`
          : `${who(target)} belongs to another user (${user}); only that user or root may stop it.`,
    };
  }
  const startToken = context.process?.startToken;
  if (startToken === undefined) {
    return {
      allowed: false,
      refusal: 'no-identity',
      message: `Bindwatch could not read when ${who(target)} started, so it cannot make sure the PID still names the same process. Refresh the view and try again.`,
    };
  }
  return { allowed: true, pid: target.pid, startToken, name: context.process?.name ?? target.name ?? 'process' };
}

/** The modal question and its detail lines. */
export function stopConfirmation(
  process: PortProcess,
  ports: readonly string[],
  graceSeconds: number,
  platform: 'linux' | 'darwin' | 'win32' = 'linux',
): { message: string; detail: string } {
  const lines: string[] = [];
  if (ports.length > 0) lines.push(`It holds ${ports.join(', ')}.`);
  lines.push(`Command: ${process.commandLine}`);
  if (process.cwd !== undefined) lines.push(`Working directory: ${process.cwd}`);
  const how =
    platform === 'win32'
      ? `Bindwatch asks it to close, and ends it forcibly if it is still running after ${graceSeconds} s.`
      : `Bindwatch sends SIGTERM, and SIGKILL if it is still running after ${graceSeconds} s.`;
  lines.push(`${how} Before each step it checks that pid ${process.pid} still names the same process.`);
  return { message: `Stop ${process.name} (pid ${process.pid})?`, detail: lines.join('\n') };
}
