// Windows collector: a thin runner around netstat -ano and tasklist; the parsing lives in
// windowsNetstat.ts. Both are called by absolute path under %SystemRoot%\System32, never via a shell.
// tasklist gives image names only: no parent PID, command line, user or working directory, so on
// Windows attribution can only use what the extension knows (terminal PIDs).

import * as path from 'node:path';
import type { Collection, CollectedProcess } from './collectedSockets';
import type { CommandRunner } from './commandRunner';
import { runCommand } from './commandRunner';
import { parseTasklistCsv, parseWindowsNetstat } from './windowsNetstat';

export function windowsTool(name: string): string {
  return path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', name);
}

export interface WindowsCollectOptions {
  run?: CommandRunner;
  timeoutMs?: number;
}

export async function collectWindows(options: WindowsCollectOptions = {}): Promise<Collection> {
  const run = options.run ?? runCommand;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const [netstat, tasklist] = await Promise.all([
    run(windowsTool('netstat.exe'), ['-ano'], { timeoutMs }),
    run(windowsTool('tasklist.exe'), ['/fo', 'csv', '/nh'], { timeoutMs }),
  ]);
  if (netstat.code !== 0) throw new Error(`netstat failed: ${netstat.stderr.trim().split('\n')[0] ?? `exit ${netstat.code}`}`);
  const sockets = parseWindowsNetstat(netstat.stdout);
  const all = new Map<number, CollectedProcess>();
  for (const p of parseTasklistCsv(tasklist.stdout)) all.set(p.pid, p);
  const holders = new Map<number, CollectedProcess>();
  for (const socket of sockets) {
    for (const pid of socket.pids) {
      const proc = all.get(pid) ?? { pid, name: `pid ${pid}`, argv: [], commandLine: `pid ${pid}` };
      holders.set(pid, proc);
    }
  }
  const notes: string[] = [];
  if (tasklist.code !== 0) notes.push('tasklist failed: process names are unavailable.');
  return {
    platform: 'win32',
    sockets,
    processes: [...holders.values()],
    lineage: [...holders.values()].map((p) => ({ pid: p.pid, startToken: p.startToken, name: p.name })),
    notes,
    users: {},
  };
}
