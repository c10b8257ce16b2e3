// PortsCollector: picks the OS collector, attributes processes to the workspace, builds the snapshot.
// scan() never throws and never runs two scans at once (a second caller joins the scan under way).
// When a scan fails, the last good snapshot comes back with `error` saying why and when.

import type { WorkspaceContext } from './attribution';
import { TerminalDescendantMemory, attributeToWorkspace } from './attribution';
import type { Collection, PortsPlatform } from './collectedSockets';
import { collectDarwin } from './darwinCollector';
import type { LinuxCollectOptions } from './linuxCollector';
import { collectLinux } from './linuxCollector';
import { LinuxFdCache } from './linuxFdCache';
import { FdWalkerPool } from './linuxFdWalker';
import { currentPlatform } from './processStop';
import type { PortsSnapshot } from './snapshot';
import { buildSnapshot } from './snapshot';
import { collectWindows } from './windowsCollector';

export type CollectFunction = (request: { envMarkerName?: string }) => Promise<Collection>;

export interface PortsCollectorOptions {
  platform?: PortsPlatform;
  /** Replaces the OS collector (tests, other sources). */
  collect?: CollectFunction;
  /** Options for the Linux collector (proc root, fs layer). */
  linux?: Omit<LinuxCollectOptions, 'envMarkerName' | 'walker' | 'fdCache'>;
  /**
   * Linux: read /proc in worker threads (default true), so the calling thread is not blocked by the
   * fd walk and two workers share it. Call dispose() to end them.
   */
  workerThreads?: boolean;
  /**
   * Linux: between scans only processes whose fds changed are walked again; every this many
   * milliseconds (default 10 000) all of them are. 0 walks everything every time.
   */
  fullWalkEveryMs?: number;
  workspace?: WorkspaceContext;
  now?: () => number;
}

function osCollector(platform: PortsPlatform, linux: LinuxCollectOptions): CollectFunction {
  switch (platform) {
    case 'darwin':
      return () => collectDarwin();
    case 'win32':
      return () => collectWindows();
    default:
      return ({ envMarkerName }) => collectLinux({ ...linux, envMarkerName });
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

export class PortsCollector {
  private readonly platform: PortsPlatform;
  private readonly collect: CollectFunction;
  private readonly now: () => number;
  private readonly memory = new TerminalDescendantMemory();
  private workspace: WorkspaceContext;
  private inFlight: Promise<PortsSnapshot> | undefined;
  private lastGood: PortsSnapshot | undefined;
  private latest: PortsSnapshot | undefined;
  private readonly recentDurations: number[] = [];
  private readonly walker: FdWalkerPool | undefined;
  /** CPU milliseconds (this process, all threads) each recent scan cost. */
  private readonly recentCpu: number[] = [];

  constructor(options: PortsCollectorOptions = {}) {
    this.platform = options.platform ?? currentPlatform();
    const linux: LinuxCollectOptions = { ...options.linux };
    if (this.platform === 'linux' && options.collect === undefined) {
      // Poll after poll, only processes whose fds changed are walked again (everything every 10 s).
      linux.fdCache = new LinuxFdCache(options.fullWalkEveryMs ?? 10_000);
      if (options.workerThreads !== false && linux.procFs === undefined) {
        this.walker = new FdWalkerPool();
        linux.walker = this.walker;
      }
    }
    this.collect = options.collect ?? osCollector(this.platform, linux);
    this.now = options.now ?? Date.now;
    this.workspace = options.workspace ?? { folders: [] };
  }

  /** Workspace folders, terminal/task PIDs and the env marker used from the next scan on. */
  setWorkspace(context: WorkspaceContext): void {
    this.workspace = context;
  }

  /** The most recent result (possibly the last good data with an error). */
  get lastSnapshot(): PortsSnapshot | undefined {
    return this.latest;
  }

  /** Ends the worker threads, if any (a later scan starts them again). */
  async dispose(): Promise<void> {
    await this.walker?.dispose();
  }

  /** True while a scan is under way. */
  get scanning(): boolean {
    return this.inFlight !== undefined;
  }

  scan(): Promise<PortsSnapshot> {
    if (this.inFlight !== undefined) return this.inFlight;
    const run = this.runScan().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  /**
   * Suggested delay before the next poll, at least `minMs`: twenty times the recent average scan time
   * (VS Code's remote port finder uses the same rule) and two hundred times the CPU a scan costs, so
   * idle polling stays under 0.5% of one core however many sockets the machine has.
   */
  nextPollDelayMs(minMs = 2000): number {
    if (this.recentDurations.length === 0) return minMs;
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.max(minMs, Math.round(avg(this.recentDurations) * 20), Math.round(avg(this.recentCpu) * 200));
  }

  private async runScan(): Promise<PortsSnapshot> {
    const context = this.workspace;
    const started = this.now();
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    try {
      const request: { envMarkerName?: string } = {};
      if (context.envMarker !== undefined) request.envMarkerName = context.envMarker.name;
      const collection = await this.collect(request);
      const hasContext = context.folders.length > 0 || (context.terminals?.length ?? 0) > 0 || context.envMarker !== undefined;
      const attributions = hasContext
        ? attributeToWorkspace(collection.processes, collection.lineage, context, { platform: this.platform, memory: this.memory, now: started })
        : undefined;
      const durationMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const options: Parameters<typeof buildSnapshot>[1] = { takenAt: started, durationMs, workspaceFolders: context.folders };
      if (attributions !== undefined) options.attributions = attributions;
      const snapshot = buildSnapshot(collection, options);
      snapshot.durationMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      this.recentDurations.push(snapshot.durationMs);
      this.recentCpu.push((cpu.user + cpu.system) / 1000);
      if (this.recentDurations.length > 10) this.recentDurations.shift();
      if (this.recentCpu.length > 10) this.recentCpu.shift();
      this.lastGood = snapshot;
      this.latest = snapshot;
      return snapshot;
    } catch (error) {
      const failure = { message: `Scanning ports failed: ${describeError(error)}`, at: this.now() };
      const result: PortsSnapshot =
        this.lastGood !== undefined
          ? { ...this.lastGood, error: failure }
          : {
              takenAt: started,
              durationMs: Number(process.hrtime.bigint() - t0) / 1e6,
              platform: this.platform,
              ports: [],
              processes: [],
              warnings: [],
              notes: [],
              workspaceFolders: [...context.folders],
              error: failure,
            };
      this.latest = result;
      return result;
    }
  }
}
