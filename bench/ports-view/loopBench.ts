// The Ports view's refresh loop without VS Code: the same PortsCollector (worker threads on), tree
// model, fingerprint and RefreshPolicy the extension runs while the view is visible and idle, for S
// seconds; reports scans, delays and the CPU of this process (all threads). Then the same with 1,000
// extra listening sockets in 50 processes. Isolates the view's own cost from the extension host's.
// Run: node bench/ports-view/run.mjs --loop [--seconds S]
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PortsCollector } from '../../src/ports/collector';
import { buildPortsTree, DEFAULT_FILTERS, treeFingerprint, treeInputKey } from '../../src/ports/view/portsTreeModel';
import { RefreshPolicy } from '../../src/ports/view/refreshPolicy';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', 60);
const HOLDERS = arg('--processes', 50);
const PER_HOLDER = arg('--sockets-per-process', 20);
const ROOT = join(__dirname, '..', '..');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function loop(seconds: number): Promise<{ scans: number; builds: number; cpuPercent: number; delays: number[]; scanMs: number[]; sockets: number }> {
  const collector = new PortsCollector();
  const policy = new RefreshPolicy({ minMs: 2000 });
  collector.setWorkspace({ folders: [ROOT] });
  let fingerprint = '';
  let inputKey = '';
  let builds = 0;
  // Warm up like the view's first open does, outside the measurement.
  await collector.scan();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const delays: number[] = [];
  const scanMs: number[] = [];
  let scans = 0;
  let sockets = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const s0 = performance.now();
    const snapshot = await collector.scan();
    // As PortsModel.rebuild: build only when the inputs changed, tell the view only when it shows something new.
    const input = { snapshot, filters: DEFAULT_FILTERS, sites: [], protectedPids: new Set([process.pid]) };
    const key = treeInputKey(input);
    let changed = false;
    if (key !== inputKey) {
      inputKey = key;
      builds++;
      const next = treeFingerprint(buildPortsTree(input));
      changed = next !== fingerprint;
      fingerprint = next;
    }
    policy.observe(changed);
    scanMs.push(performance.now() - s0);
    sockets = snapshot.ports.reduce((n, g) => n + g.bindings.reduce((m, b) => m + b.sockets.length, 0), 0);
    scans++;
    const delay = policy.nextDelay(collector.nextPollDelayMs(policy.minMs), true);
    delays.push(delay);
    await sleep(Math.min(delay, Math.max(0, seconds * 1000 - (performance.now() - t0))));
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  await collector.dispose();
  return { scans, builds, cpuPercent: ((cpu.user + cpu.system) / 1e6 / wall) * 100, delays, scanMs, sockets };
}

async function startHolders(): Promise<ChildProcess[]> {
  const script = join(ROOT, 'test', 'unit', 'fixtures', 'ports', 'socket_holder.py');
  const children: ChildProcess[] = [];
  for (let i = 0; i < HOLDERS; i++) {
    const sockets = Array.from({ length: PER_HOLDER }, (_, k) => ({ proto: k % 5 === 4 ? 'udp' : 'tcp', host: k % 2 === 0 ? '127.0.0.1' : '::1' }));
    const child = spawn('python3', [script, JSON.stringify({ sockets })], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      if (child.stdout === null) return reject(new Error('no stdout'));
      createInterface({ input: child.stdout }).once('line', () => resolve());
      child.once('exit', (code) => reject(new Error(`holder exited with ${String(code)}`)));
    });
    children.push(child);
  }
  return children;
}

function summary(label: string, r: Awaited<ReturnType<typeof loop>>): string {
  const sorted = [...r.scanMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const last = r.delays.slice(-3).map((d) => (d / 1000).toFixed(1)).join(', ');
  return `| ${label} | ${r.sockets} | ${r.scans} (${r.builds} rebuilt) | ${median.toFixed(1)} ms | ${last} s | ${r.cpuPercent.toFixed(2)} % |`;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const idle = await loop(SECONDS);
  rows.push(summary('this machine', idle));
  const holders = await startHolders();
  try {
    const busy = await loop(SECONDS);
    rows.push(summary(`+${HOLDERS * PER_HOLDER} listening sockets in ${HOLDERS} processes`, busy));
  } finally {
    for (const h of holders) h.kill('SIGTERM');
  }
  console.log(`\nRefresh loop, ${SECONDS} s, view visible and idle (Node ${process.version}):\n`);
  console.log('| Scenario | Sockets | Scans (tree rebuilt) | Scan + tree, median | Last delays | CPU (% of one core) |\n| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
