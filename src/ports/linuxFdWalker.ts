// Runs the expensive part of a Linux scan (reading /proc/net/* and readlink on every /proc/<pid>/fd/*)
// in worker threads, so the caller's thread (the VS Code extension host) never blocks on it and, with
// two workers, both halves run in parallel. Workers take PIDs one at a time from a shared counter,
// so a process with thousands of fds does not leave the other worker idle.
// The worker code is plain JavaScript evaluated by the worker (no file to ship next to the bundle);
// it only reads /proc with fixed operations, never runs anything.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
let buffer = Buffer.allocUnsafe(256 * 1024);
function readAll(path) {
  const fd = fs.openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) { const bigger = Buffer.allocUnsafe(buffer.length * 2); buffer.copy(bigger, 0, 0, length); buffer = bigger; }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('latin1', 0, length);
  } finally { fs.closeSync(fd); }
}
parentPort.on('message', (job) => {
  const result = { id: job.id, pairs: [], denied: [], tables: undefined };
  try {
    if (job.tables) {
      result.tables = job.tables.map((path) => {
        try { return { text: readAll(path) }; } catch (e) { return { error: String(e && e.code || e) }; }
      });
    }
    const counter = new Int32Array(job.counter);
    const pids = job.pids;
    for (;;) {
      const i = Atomics.add(counter, 0, 1);
      if (i >= pids.length) break;
      const pid = pids[i];
      const dir = job.procRoot + '/' + pid;
      let fds;
      try { fds = fs.readdirSync(dir + '/fd'); } catch (e) { if (e && (e.code === 'EACCES' || e.code === 'EPERM')) result.denied.push(pid); continue; }
      const base = dir + '/fd/';
      for (let k = 0; k < fds.length; k++) {
        let link;
        try { link = fs.readlinkSync(base + fds[k]); } catch { continue; }
        if (link.startsWith('socket:[')) result.pairs.push(link.slice(8, -1), pid);
      }
    }
  } catch (e) {
    result.failure = String(e && e.message || e);
  }
  parentPort.postMessage(result);
});
`;

export interface FdWalkJob {
  procRoot: string;
  /** PID directory names to walk. */
  pids: readonly string[];
  /** Files to read in full before walking (the /proc/net tables). */
  tables: readonly string[];
}

export interface FdWalkResult {
  /** Socket inode -> PIDs holding it. */
  owners: Map<string, number[]>;
  /** PIDs whose fd directory could not be read for lack of permission. */
  denied: string[];
  /** The requested tables, each read or failed with an error code. */
  tables: Array<{ text?: string; error?: string }>;
}

interface WorkerReply {
  id: number;
  pairs: Array<string | number>;
  denied: string[];
  tables?: Array<{ text?: string; error?: string }>;
  failure?: string;
}

/** A small pool of fd-walking worker threads. Dispose it when done; idle workers never keep a process alive. */
export class FdWalkerPool {
  private workers: Worker[] = [];
  private nextId = 1;
  private broken: string | undefined;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  /** Why the pool stopped working, if it did (the collector then walks in its own thread). */
  get failure(): string | undefined {
    return this.broken;
  }

  private ensureWorkers(): Worker[] {
    if (this.workers.length === 0) {
      for (let i = 0; i < this.size; i++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        worker.unref();
        worker.on('error', (error: Error) => {
          this.broken = `fd walker thread failed: ${error.message}`;
        });
        this.workers.push(worker);
      }
    }
    return this.workers;
  }

  async walk(job: FdWalkJob): Promise<FdWalkResult> {
    if (this.broken !== undefined) throw new Error(this.broken);
    const workers = this.ensureWorkers();
    const counter = new SharedArrayBuffer(4);
    const replies = await Promise.all(
      workers.map(
        (worker, index) =>
          new Promise<WorkerReply>((resolve, reject) => {
            const id = this.nextId++;
            const onMessage = (reply: WorkerReply): void => {
              if (reply.id !== id) return;
              cleanup();
              resolve(reply);
            };
            const onExit = (code: number): void => {
              cleanup();
              this.broken = `fd walker thread exited (${code})`;
              reject(new Error(this.broken));
            };
            const onError = (error: Error): void => {
              cleanup();
              reject(error);
            };
            const cleanup = (): void => {
              worker.off('message', onMessage);
              worker.off('exit', onExit);
              worker.off('error', onError);
              worker.unref();
            };
            worker.on('message', onMessage);
            worker.on('exit', onExit);
            worker.on('error', onError);
            worker.ref(); // keep a CLI process alive until the answer is in
            worker.postMessage({ id, procRoot: job.procRoot, pids: job.pids, counter, tables: index === 0 ? job.tables : undefined });
          }),
      ),
    );
    const owners = new Map<string, number[]>();
    const denied: string[] = [];
    let tables: Array<{ text?: string; error?: string }> = [];
    for (const reply of replies) {
      if (reply.failure !== undefined) throw new Error(`fd walker thread failed: ${reply.failure}`);
      denied.push(...reply.denied);
      if (reply.tables !== undefined) tables = reply.tables;
      const pairs = reply.pairs;
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const inode = String(pairs[i]);
        const pid = Number(pairs[i + 1]);
        const list = owners.get(inode);
        if (list === undefined) owners.set(inode, [pid]);
        else if (!list.includes(pid)) list.push(pid);
      }
    }
    return { owners, denied, tables };
  }

  /** Ends the worker threads. The pool starts new ones if used again. */
  async dispose(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
