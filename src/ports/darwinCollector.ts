// macOS collector: a thin runner around netstat, ps and lsof; the parsing lives in darwinNetstat.ts,
// darwinPs.ts and darwinLsof.ts. netstat -anv prints the PID of every socket without root, so lsof is
// only asked for the working directories of the few socket holders (and for sockets when an old netstat
// prints no PID column). Tools are called by absolute path, never through a shell.

import type { Collection, CollectedProcess, CollectedSocket, ProcessLineage } from './collectedSockets';
import type { CommandRunner } from './commandRunner';
import { runCommand } from './commandRunner';
import { parseLsofFields, socketsFromLsof } from './darwinLsof';
import { parseDarwinNetstat } from './darwinNetstat';
import { parseDarwinPs } from './darwinPs';

export const DARWIN_TOOLS = { netstat: '/usr/sbin/netstat', ps: '/bin/ps', lsof: '/usr/sbin/lsof' } as const;
const C_LOCALE = { LC_ALL: 'C' };

export interface DarwinCollectOptions {
  run?: CommandRunner;
  currentUid?: number;
  timeoutMs?: number;
}

export async function collectDarwin(options: DarwinCollectOptions = {}): Promise<Collection> {
  const run = options.run ?? runCommand;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const currentUid = options.currentUid ?? (typeof process.geteuid === 'function' ? process.geteuid() : undefined);
  const notes: string[] = [];

  const [tcp, udp, ps] = await Promise.all([
    run(DARWIN_TOOLS.netstat, ['-anv', '-p', 'tcp'], { timeoutMs, env: C_LOCALE }),
    run(DARWIN_TOOLS.netstat, ['-anv', '-p', 'udp'], { timeoutMs, env: C_LOCALE }),
    run(DARWIN_TOOLS.ps, ['-ax', '-o', 'pid=,ppid=,uid=,user=,lstart=,command='], { timeoutMs, env: C_LOCALE }),
  ]);
  if (tcp.code !== 0 && udp.code !== 0) {
    throw new Error(`netstat failed: ${(tcp.stderr || udp.stderr).trim().split('\n')[0] ?? `exit ${tcp.code}`}`);
  }
  const tcpParsed = parseDarwinNetstat(tcp.stdout);
  const udpParsed = parseDarwinNetstat(udp.stdout);
  let sockets: CollectedSocket[];
  const lsofProcesses: CollectedProcess[] = [];
  if (tcpParsed.hasPidColumn) {
    sockets = [...tcpParsed.sockets, ...udpParsed.sockets];
  } else {
    const lsof = await run(DARWIN_TOOLS.lsof, ['-nP', '-i', '-FpcuLRftdPnT'], { timeoutMs, env: C_LOCALE });
    const fromLsof = socketsFromLsof(parseLsofFields(lsof.stdout));
    sockets = fromLsof.sockets;
    lsofProcesses.push(...fromLsof.processes);
    if (currentUid !== 0) notes.push("This netstat prints no PIDs; lsof shows only your own processes' sockets without root.");
  }

  const all = new Map<number, CollectedProcess>();
  for (const p of parseDarwinPs(ps.stdout)) all.set(p.pid, p);
  for (const p of lsofProcesses) if (!all.has(p.pid)) all.set(p.pid, p);

  const holders = new Map<number, CollectedProcess>();
  for (const socket of sockets) {
    socket.pids = socket.pids.filter((pid) => all.has(pid)); // exited between netstat and ps
    for (const pid of socket.pids) {
      const proc = all.get(pid);
      if (proc === undefined) continue;
      holders.set(pid, proc);
      if (socket.uid === undefined && proc.uid !== undefined) socket.uid = proc.uid;
    }
  }

  if (holders.size > 0) {
    try {
      const cwd = await run(DARWIN_TOOLS.lsof, ['-a', '-d', 'cwd', '-p', [...holders.keys()].join(','), '-Fn'], { timeoutMs, env: C_LOCALE });
      for (const p of parseLsofFields(cwd.stdout)) {
        const dir = p.files.find((f) => f.fd === 'cwd' || f.fd === '')?.name;
        const proc = holders.get(p.pid);
        if (proc !== undefined && dir !== undefined) proc.cwd = dir;
      }
    } catch (error) {
      notes.push(`Working directories are unavailable: ${(error as Error).message}.`);
    }
  }

  const lineage: ProcessLineage[] = [];
  const seen = new Set<number>();
  for (const holder of holders.values()) {
    let proc: CollectedProcess | undefined = holder;
    while (proc !== undefined && !seen.has(proc.pid)) {
      seen.add(proc.pid);
      lineage.push({ pid: proc.pid, ppid: proc.ppid, startToken: proc.startToken, name: proc.name });
      proc = proc.ppid !== undefined && proc.ppid > 0 ? all.get(proc.ppid) : undefined;
    }
  }

  const users: Record<string, string> = {};
  for (const p of all.values()) if (p.uid !== undefined && p.user !== undefined) users[String(p.uid)] = p.user;
  const collection: Collection = { platform: 'darwin', sockets, processes: [...holders.values()], lineage, notes, users };
  if (currentUid !== undefined) collection.currentUid = currentUid;
  return collection;
}
