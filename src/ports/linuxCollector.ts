// Linux collector: /proc/net/{tcp,tcp6,udp,udp6} for the sockets, /proc/<pid>/fd for who holds them,
// /proc/<pid>/{stat,status,cmdline,cwd,environ} for the holders. All in-process: no shell, no ss/lsof.
// Each failure is local: a process that exits mid-scan, an fd directory we may not read, /proc mounted
// with hidepid, a missing tcp6 table (IPv6 disabled) only remove what they hide; the sockets still show
// with the owner UID the kernel prints for every socket.

import type { Collection, CollectedProcess, CollectedSocket, ProcessLineage } from './collectedSockets';
import { isListeningSocket } from './collectedSockets';
import { PROC_NET_TABLES, parseProcNet, socketInodeFromLink } from './linuxProcNet';
import {
  LINUX_USER_HZ,
  displayCommandLine,
  findEnvironValue,
  linuxStartToken,
  parseBootTime,
  parseCmdline,
  parsePasswd,
  parseProcStat,
  parseProcStatusUids,
  processDisplayName,
} from './linuxProcesses';
import type { ProcStat } from './linuxProcesses';
import type { FdCacheEntry, HolderDetails, LinuxFdCache } from './linuxFdCache';
import type { FdWalkerPool } from './linuxFdWalker';
import type { ProcFs } from './procFs';
import { errnoCode, isDenied, isVanished, realProcFs } from './procFs';

export interface LinuxCollectOptions {
  /** Where proc is mounted; tests point it elsewhere. */
  procRoot?: string;
  procFs?: ProcFs;
  /** Environment variable to read back from /proc/<pid>/environ (the extension's terminal marker). */
  envMarkerName?: string;
  /** Effective UID of the reader; decides which fd directories are worth opening. */
  currentUid?: number;
  passwdPath?: string;
  /** Give the event loop a turn after this many milliseconds of synchronous walking. */
  yieldEveryMs?: number;
  /** Worker threads to read /proc/net and walk fds in (only with the real /proc). */
  walker?: FdWalkerPool;
  /** Carried from scan to scan: only processes that changed are walked again. */
  fdCache?: LinuxFdCache;
}

interface PasswdCache {
  path: string;
  text: string;
  users: Map<number, string>;
}
let passwdCache: PasswdCache | undefined;

function userNames(procFs: ProcFs, path: string): Map<number, string> {
  let text: string;
  try {
    text = procFs.readFile(path);
  } catch {
    return passwdCache?.path === path ? passwdCache.users : new Map<number, string>();
  }
  if (passwdCache?.path !== path || passwdCache.text !== text) passwdCache = { path, text, users: parsePasswd(text) };
  return passwdCache.users;
}

const bootTimes = new Map<string, number | undefined>();

function bootTimeSeconds(procFs: ProcFs, procRoot: string): number | undefined {
  if (!bootTimes.has(procRoot)) {
    let value: number | undefined;
    try {
      value = parseBootTime(procFs.readFile(`${procRoot}/stat`));
    } catch {
      value = undefined;
    }
    bootTimes.set(procRoot, value);
  }
  return bootTimes.get(procRoot);
}

/** hidepid=1/2/invisible/noaccess on the proc mount hides other users' /proc/<pid> directories. */
function hidepidMode(procFs: ProcFs, procRoot: string): string | undefined {
  try {
    const mountinfo = procFs.readFile(`${procRoot}/self/mountinfo`);
    for (const line of mountinfo.split('\n')) {
      const fields = line.split(' ');
      if (fields[4] !== procRoot && !(procRoot !== '/proc' && fields[4] === '/proc')) continue;
      const m = /(?:^|,)hidepid=([^, ]+)/.exec(line);
      if (m?.[1] !== undefined && m[1] !== '0' && m[1] !== 'off') return m[1];
    }
  } catch {
    // No mountinfo: nothing to say.
  }
  return undefined;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isPidName(name: string): boolean {
  const c = name.charCodeAt(0);
  return c >= 48 && c <= 57;
}

interface WalkOutcome {
  owners: Map<string, number[]>;
  /** PIDs whose fd directory could not be read. */
  denied: string[];
  tables: Array<{ text?: string; error?: string }>;
}

/** In this thread: /proc/net read on the libuv pool while the fds are walked synchronously. */
async function walkInThread(procRoot: string, procFs: ProcFs, pidNames: readonly string[], yieldEveryMs: number): Promise<WalkOutcome> {
  const tableReads = PROC_NET_TABLES.map((table) =>
    procFs.readFileAsync(`${procRoot}/net/${table.file}`).then(
      (text) => ({ text }),
      (error: unknown) => ({ error: errnoCode(error) ?? String(error) }),
    ),
  );
  const owners = new Map<string, number[]>();
  const denied: string[] = [];
  let sliceStart = Date.now();
  for (const pidName of pidNames) {
    let fds: string[];
    try {
      fds = procFs.readdir(`${procRoot}/${pidName}/fd`);
    } catch (error) {
      if (isDenied(error)) denied.push(pidName);
      continue;
    }
    const pid = Number(pidName);
    const fdDir = `${procRoot}/${pidName}/fd/`;
    for (const fd of fds) {
      let link: string;
      try {
        link = procFs.readlink(fdDir + fd);
      } catch {
        continue; // closed since readdir, or the process exited
      }
      const inode = socketInodeFromLink(link);
      if (inode === undefined) continue;
      const list = owners.get(inode);
      if (list === undefined) owners.set(inode, [pid]);
      else if (!list.includes(pid)) list.push(pid);
    }
    if (Date.now() - sliceStart >= yieldEveryMs) {
      await yieldToEventLoop();
      sliceStart = Date.now();
    }
  }
  return { owners, denied, tables: await Promise.all(tableReads) };
}

/** Does stat() of /proc/<pid>/fd give the number of open fds here (Linux 6.2+)? One stat, so asked per scan. */
function fdCountsSupported(procFs: ProcFs, procRoot: string): boolean {
  try {
    return procFs.size(`${procRoot}/self/fd`) > 0;
  } catch {
    return false;
  }
}

/** Reads every socket the kernel shows this network namespace and the processes holding them. */
export async function collectLinux(options: LinuxCollectOptions = {}): Promise<Collection> {
  const procRoot = options.procRoot ?? '/proc';
  const procFs = options.procFs ?? realProcFs;
  const currentUid = options.currentUid ?? (typeof process.geteuid === 'function' ? process.geteuid() : undefined);
  // Measured: yielding every millisecond lets the thread-pool reads of /proc/net (open, read, read...,
  // each step resumed on this thread) progress during the walk; every 8 ms left them stalled behind it.
  const yieldEveryMs = options.yieldEveryMs ?? 1;
  const notes: string[] = [];

  // 1. The processes, then socket inode -> every PID holding it, and the four socket tables.
  let pidNames: string[];
  try {
    pidNames = procFs.readdir(procRoot).filter(isPidName);
  } catch (error) {
    throw new Error(`cannot list ${procRoot}: ${errnoCode(error) ?? String(error)}`);
  }
  const walkAll = currentUid === 0 || currentUid === undefined;
  const cache = options.fdCache;
  const scanStart = Date.now();
  const incremental = cache !== undefined && scanStart - cache.lastFullWalkAt < cache.fullWalkEveryMs && fdCountsSupported(procFs, procRoot);
  const toWalk: string[] = [];
  const reused = new Map<number, string[]>();
  // /proc/<pid>/stat of every process read in this scan (probes, holders, their parents), by PID.
  const stats = new Map<number, ProcStat | null>();
  const probes = new Map<string, { startTicks: number; fdCount: number }>();
  for (const pidName of pidNames) {
    const pidDir = `${procRoot}/${pidName}`;
    if (!walkAll) {
      // Other users' fd directories cannot be read (and failed opens may be audit-logged): skip them.
      try {
        if (procFs.ownerUid(pidDir) !== currentUid) continue;
      } catch {
        continue;
      }
    }
    if (cache !== undefined) {
      let fdCount: number;
      let startTicks: number | undefined;
      try {
        fdCount = procFs.size(`${pidDir}/fd`);
        const stat = parseProcStat(procFs.readFile(`${pidDir}/stat`));
        stats.set(Number(pidName), stat ?? null);
        startTicks = stat?.startTicks;
      } catch (error) {
        if (isVanished(error)) continue;
        toWalk.push(pidName); // let the walk record why it cannot read it
        continue;
      }
      if (startTicks !== undefined) {
        probes.set(pidName, { startTicks, fdCount });
        const entry = cache.entries.get(pidName);
        if (incremental && entry !== undefined && entry.startTicks === startTicks && entry.fdCount === fdCount) {
          reused.set(Number(pidName), entry.inodes);
          continue;
        }
      }
    }
    toWalk.push(pidName);
  }

  let walked: WalkOutcome | undefined;
  const walker = options.walker;
  if (walker !== undefined && walker.failure === undefined && procFs === realProcFs) {
    try {
      walked = await walker.walk({ procRoot, pids: toWalk, tables: PROC_NET_TABLES.map((t) => `${procRoot}/net/${t.file}`) });
    } catch {
      walked = undefined; // the pool remembers why; walk here instead
    }
  }
  walked ??= await walkInThread(procRoot, procFs, toWalk, yieldEveryMs);
  const inodeOwners = walked.owners;
  const deniedFdDirs = walked.denied.length;

  if (cache !== undefined) {
    // Remember what each walked process holds; carry over the ones that did not change.
    const walkedInodes = new Map<string, string[]>();
    for (const [inode, pids] of inodeOwners) {
      for (const pid of pids) {
        const key = String(pid);
        const list = walkedInodes.get(key);
        if (list === undefined) walkedInodes.set(key, [inode]);
        else list.push(inode);
      }
    }
    const denied = new Set(walked.denied);
    const entries = new Map<string, FdCacheEntry>();
    for (const [pidName, probe] of probes) {
      if (denied.has(pidName)) continue;
      const kept = reused.get(Number(pidName));
      entries.set(pidName, { ...probe, inodes: kept ?? walkedInodes.get(pidName) ?? [] });
    }
    cache.entries = entries;
    if (incremental) cache.incrementalScans++;
    else {
      cache.fullScans++;
      cache.lastFullWalkAt = scanStart;
    }
    for (const [pid, inodes] of reused) {
      for (const inode of inodes) {
        const list = inodeOwners.get(inode);
        if (list === undefined) inodeOwners.set(inode, [pid]);
        else if (!list.includes(pid)) list.push(pid);
      }
    }
  }

  // 2. Parse the socket tables.
  const sockets: CollectedSocket[] = [];
  const failedTables: string[] = [];
  PROC_NET_TABLES.forEach((table, index) => {
    const result = walked.tables[index];
    if (result?.text === undefined) {
      failedTables.push(`${table.file} (${result?.error ?? 'not read'})`);
      return;
    }
    for (const socket of parseProcNet(result.text, table.protocol, table.family).sockets) {
      if (socket.inode !== undefined) {
        const owners = inodeOwners.get(socket.inode);
        if (owners !== undefined) socket.pids = owners.slice();
      }
      sockets.push(socket);
    }
  });
  if (failedTables.length === PROC_NET_TABLES.length) {
    throw new Error(`cannot read ${procRoot}/net: ${failedTables.join(', ')}`);
  }
  if (failedTables.length > 0) {
    notes.push(`Some socket tables could not be read: ${failedTables.join(', ')}.`);
  }

  // 3. Read the holders, and the parent chain of each for terminal attribution.
  const users = userNames(procFs, options.passwdPath ?? '/etc/passwd');
  const bootTime = bootTimeSeconds(procFs, procRoot);
  const readStat = (pid: number): ProcStat | undefined => {
    const cached = stats.get(pid);
    if (cached !== undefined) return cached ?? undefined;
    let stat: ProcStat | undefined;
    try {
      stat = parseProcStat(procFs.readFile(`${procRoot}/${pid}/stat`));
    } catch {
      stat = undefined;
    }
    stats.set(pid, stat ?? null);
    return stat;
  };

  const holderPids = new Set<number>();
  for (const socket of sockets) for (const pid of socket.pids) holderPids.add(pid);
  const processes: CollectedProcess[] = [];
  const gone = new Set<number>();
  for (const pid of holderPids) {
    const info = readHolder(pid, procRoot, procFs, readStat, users, bootTime, options.envMarkerName, incremental ? cache?.holders : undefined, cache?.holdersSeen);
    if (info === undefined) gone.add(pid);
    else processes.push(info);
  }
  if (cache !== undefined) {
    // Details of the holders seen this scan carry over to the next one (full walks re-read them).
    cache.holders = cache.holdersSeen;
    cache.holdersSeen = new Map();
  }
  if (gone.size > 0) {
    for (const socket of sockets) {
      if (socket.pids.some((pid) => gone.has(pid))) socket.pids = socket.pids.filter((pid) => !gone.has(pid));
    }
  }

  const lineage = new Map<number, ProcessLineage>();
  for (const proc of processes) {
    let pid: number | undefined = proc.pid;
    for (let depth = 0; pid !== undefined && pid > 0 && !lineage.has(pid) && depth < 256; depth++) {
      const stat = readStat(pid);
      if (stat === undefined) break;
      lineage.set(pid, { pid, ppid: stat.ppid, startToken: linuxStartToken(stat.startTicks), name: stat.comm });
      pid = stat.ppid;
    }
  }

  // 4. Say what could not be seen.
  const unseen = sockets.filter((s) => s.inode !== undefined && s.pids.length === 0);
  const unseenOtherUsers = unseen.filter((s) => s.uid !== currentUid);
  const hidepid = hidepidMode(procFs, procRoot);
  if (hidepid !== undefined) {
    notes.push(`/proc is mounted with hidepid=${hidepid}: other users' processes are hidden, so their sockets show only the owner's UID.`);
  } else if (unseenOtherUsers.length > 0 && !walkAll) {
    notes.push(
      `${unseenOtherUsers.length} socket(s) belong to other users' processes, which only root can inspect; their owner's UID is shown instead of a process.`,
    );
  }
  if (walkAll && hidepid === undefined) {
    const orphans = unseen.filter((s) => isListeningSocket(s)).length;
    if (orphans > 0) {
      notes.push(
        `${orphans} listening socket(s) have no process in this /proc: they belong to another PID namespace (a container, a sandbox) or to a process that just exited; their owner's UID is shown.`,
      );
    }
  }
  if (deniedFdDirs > 0) {
    notes.push(`The open files of ${deniedFdDirs} process(es) could not be read; sockets they hold show only the owner's UID.`);
  }

  const userRecord: Record<string, string> = {};
  const uids = new Set<number>();
  for (const s of sockets) if (s.uid !== undefined) uids.add(s.uid);
  for (const p of processes) if (p.uid !== undefined) uids.add(p.uid);
  for (const uid of uids) {
    const name = users.get(uid);
    if (name !== undefined) userRecord[String(uid)] = name;
  }

  return { platform: 'linux', sockets, processes, lineage: [...lineage.values()], notes, currentUid, users: userRecord };
}

function readHolder(
  pid: number,
  procRoot: string,
  procFs: ProcFs,
  readStat: (pid: number) => ProcStat | undefined,
  users: Map<number, string>,
  bootTime: number | undefined,
  envMarkerName: string | undefined,
  known: ReadonlyMap<string, HolderDetails> | undefined,
  seen: Map<string, HolderDetails> | undefined,
): CollectedProcess | undefined {
  const stat = readStat(pid);
  if (stat === undefined) return undefined;
  const dir = `${procRoot}/${pid}`;
  // uid, argv and the environment marker are kept per process (PID + start time) between full walks;
  // the working directory is read every time.
  const key = `${pid}@${stat.startTicks}`;
  let details = known?.get(key);
  if (details === undefined || details.envMarkerName !== envMarkerName) {
    let uid: number | undefined;
    try {
      uid = parseProcStatusUids(procFs.readFile(`${dir}/status`))?.uids[1];
    } catch (error) {
      if (isVanished(error)) return undefined;
    }
    let argv: string[] = [];
    try {
      argv = parseCmdline(procFs.readFile(`${dir}/cmdline`));
    } catch (error) {
      if (isVanished(error)) return undefined;
    }
    let envMarker: string | undefined;
    if (envMarkerName !== undefined) {
      try {
        envMarker = findEnvironValue(procFs.readFile(`${dir}/environ`), envMarkerName);
      } catch {
        envMarker = undefined;
      }
    }
    details = { uid, argv, envMarker, envMarkerName };
  }
  seen?.set(key, details);
  const { uid, argv, envMarker } = details;
  let cwd: string | undefined;
  try {
    cwd = procFs.readlink(`${dir}/cwd`);
  } catch (error) {
    if (isVanished(error)) return undefined;
    cwd = undefined;
  }
  const info: CollectedProcess = {
    pid,
    ppid: stat.ppid,
    name: processDisplayName(argv, stat.comm),
    argv,
    commandLine: displayCommandLine(argv, stat.comm),
    startToken: linuxStartToken(stat.startTicks),
  };
  if (uid !== undefined) {
    info.uid = uid;
    const user = users.get(uid);
    if (user !== undefined) info.user = user;
  }
  if (cwd !== undefined) info.cwd = cwd;
  if (bootTime !== undefined) info.startedAt = Math.round((bootTime + stat.startTicks / LINUX_USER_HZ) * 1000);
  if (envMarker !== undefined) info.envMarker = envMarker;
  return info;
}
