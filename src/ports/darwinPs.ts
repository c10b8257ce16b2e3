// Pure parser for macOS `ps -ax -o pid=,ppid=,uid=,user=,lstart=,command=` run with LC_ALL=C:
//   "  412     1   501 alice    Tue Mar  5 14:22:01 2024     /usr/local/bin/node server.js"
// lstart is five words (weekday, month, day, time, year); the command is the rest of the line. ps
// prints argv joined by spaces, so argument boundaries are approximate.

import type { CollectedProcess } from './collectedSockets';

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** "Tue Mar  5 14:22:01 2024" (local time) to milliseconds since the epoch. */
export function parseLstart(lstart: string): number | undefined {
  const m = /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(lstart.trim());
  if (m === null) return undefined;
  const month = MONTHS[m[1] ?? ''];
  if (month === undefined) return undefined;
  return new Date(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])).getTime();
}

/** The short name of a macOS command line: the app name inside a bundle, else the basename. */
export function darwinProcessName(command: string): string {
  const bundle = /\/Contents\/MacOS\/(.+?)(?:\s+-|$)/.exec(command);
  if (bundle?.[1] !== undefined) return bundle[1];
  const first = command.split(/\s+/)[0] ?? command;
  return first.slice(first.lastIndexOf('/') + 1) || command;
}

/** Start token shared by the collector and the stop guard: the lstart text, spaces collapsed. */
export function darwinStartToken(lstart: string): string {
  return lstart.trim().replace(/\s+/g, ' ');
}

export function parseDarwinPs(text: string): CollectedProcess[] {
  const result: CollectedProcess[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4})\s+(.*?)\s*$/.exec(line);
    if (m === null) continue;
    const command = m[6] ?? '';
    const lstart = m[5] ?? '';
    const proc: CollectedProcess = {
      pid: Number(m[1]),
      ppid: Number(m[2]),
      uid: Number(m[3]),
      name: darwinProcessName(command),
      argv: command === '' ? [] : command.split(/\s+/),
      commandLine: command,
      startToken: darwinStartToken(lstart),
    };
    const user = m[4] ?? '';
    if (!/^\d+$/.test(user)) proc.user = user;
    const startedAt = parseLstart(lstart);
    if (startedAt !== undefined) proc.startedAt = startedAt;
    result.push(proc);
  }
  return result;
}
