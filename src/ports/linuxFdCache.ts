// What the previous scans learned about each process's socket fds, so a poll only walks the fd
// directories of processes that changed. A process is re-walked when it is new, when its start time
// differs (the PID was reused) or when its number of open fds differs (stat of /proc/<pid>/fd reports
// it on Linux 6.2 and later); every `fullWalkEveryMs` everything is walked again, which catches the one
// change those checks miss: a process that closed one fd and opened another between two polls.

export interface FdCacheEntry {
  startTicks: number;
  fdCount: number;
  /** Socket inodes among its fds when last walked. */
  inodes: string[];
}

/** What does not change while a process lives (its uid rarely, its argv and initial environment). */
export interface HolderDetails {
  uid: number | undefined;
  argv: string[];
  envMarker: string | undefined;
  envMarkerName: string | undefined;
}

export class LinuxFdCache {
  entries = new Map<string, FdCacheEntry>();
  /** Socket holders' details by "pid@startTicks", from the previous scan. */
  holders = new Map<string, HolderDetails>();
  /** Filled during a scan; becomes `holders` at its end. */
  holdersSeen = new Map<string, HolderDetails>();
  lastFullWalkAt = Number.NEGATIVE_INFINITY;
  /** Scans since creation that walked only changed processes, and that walked everything. */
  incrementalScans = 0;
  fullScans = 0;

  constructor(readonly fullWalkEveryMs = 10_000) {}

  /** Forget everything: the next scan walks all processes. */
  clear(): void {
    this.entries.clear();
    this.holders.clear();
    this.lastFullWalkAt = Number.NEGATIVE_INFINITY;
  }
}
