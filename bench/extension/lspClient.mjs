// A minimal LSP client over stdio for the benchmarks: starts dist/server.js, answers the requests the
// server sends (configuration, progress), and records notifications with their arrival time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Peak resident set size of a process (VmHWM), bytes. Linux only; null elsewhere. */
export function peakRssOf(pid) {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

export async function startServer({ folder, settings = {} }) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const listeners = new Set();
  const emit = (method, params) => {
    for (const l of listeners) l(method, params);
  };
  connection.onNotification((method, params) => emit(method, params));
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => settings));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();

  /** Resolves with the first notification `accept` returns a value for. */
  const waitFor = (accept, timeoutMs = 120_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new Error('timed out waiting for a notification'));
    }, timeoutMs);
    const listener = (method, params) => {
      const value = accept(method, params);
      if (value !== undefined) {
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
      }
    };
    listeners.add(listener);
  });

  const folderUri = pathToFileURL(folder).href;
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'bench' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: false } },
  });
  const ready = waitFor((method, params) => (method === 'bindwatch/status' && params.state === 'ready' ? params : undefined), 600_000);
  const started = performance.now();
  await connection.sendNotification('initialized', {});

  return {
    child,
    connection,
    waitFor,
    /** Resolves with the first ready status and how long after `initialized` it came. */
    indexed: ready.then((status) => ({ status, ms: performance.now() - started })),
    async stop() {
      await connection.sendRequest('shutdown').catch(() => undefined);
      await connection.sendNotification('exit').catch(() => undefined);
      connection.dispose();
      child.kill();
    },
  };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
