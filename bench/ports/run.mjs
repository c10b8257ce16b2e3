#!/usr/bin/env node
// Ports benchmark (Linux): how long a live-ports snapshot takes with ~1,000 listening sockets held by 50
// processes, side by side in one run with `ss -tulpnH` and `lsof -nP -i`, plus the CPU an idle poller
// costs. Bindwatch is measured in-process (that is how the extension and language server call it) and
// as a cold `node` process; ss and lsof are measured as the processes any tool would have to spawn.
// Usage: node bench/ports/run.mjs [--rounds N] [--idle-seconds S] [--processes P] [--sockets-per-process K]
// Installs iproute2 (ss) and lsof with apt-get when they are missing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rounds = arg('--rounds', 30);
const idleSeconds = arg('--idle-seconds', 60);
const processCount = arg('--processes', 50);
const socketsPerProcess = arg('--sockets-per-process', 20);
const root = join(import.meta.dirname, '..', '..');
const holderScript = join(root, 'test', 'unit', 'fixtures', 'ports', 'socket_holder.py');

function ensureDebianPackages() {
  const wanted = { iproute2: ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss', '/sbin/ss'], lsof: ['/usr/bin/lsof', '/usr/sbin/lsof'] };
  const missing = Object.entries(wanted).filter(([, paths]) => !paths.some(existsSync)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  console.error(`installing ${missing.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Bundles src/ports with esbuild so the bench does not depend on the rest of the tree compiling. */
async function loadPorts() {
  const { build } = await import('esbuild');
  const outdir = join(root, '.cache', 'bench-ports');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'ports.cjs');
  await build({ entryPoints: [join(root, 'src', 'ports', 'index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning' });
  return { ports: createRequire(import.meta.url)(outfile), bundle: outfile };
}

/** One python process holding `count` listening sockets: 4 in 5 TCP, 1 in 5 UDP; every other one IPv6. */
async function startHolder(index, count) {
  const sockets = Array.from({ length: count }, (_, i) => ({
    proto: i % 5 === 4 ? 'udp' : 'tcp',
    host: i % 2 === 0 ? '127.0.0.1' : '::1',
  }));
  const child = spawn('/usr/bin/python3', [holderScript, JSON.stringify({ sockets })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder ${index} exited with ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const min = (xs) => Math.min(...xs);
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
const fmt = (x) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

function timeCommand(file, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const elapsed = ms(start);
  if (r.status !== 0 && !(file.endsWith('lsof') && r.status === 1)) throw new Error(`${file} failed: ${r.stderr}`);
  return { elapsed, stdout: r.stdout };
}

// The two ways of walking /proc/<pid>/fd the collector could use, measured on the same machine state.
function syncFdWalk() {
  const owners = new Map();
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    let fds;
    try {
      fds = readdirSync(`/proc/${d}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link;
      try {
        link = readlinkSync(`/proc/${d}/fd/${fd}`);
      } catch {
        continue;
      }
      if (link.startsWith('socket:[')) owners.set(link.slice(8, -1), d);
    }
  }
  return owners.size;
}
async function asyncFdWalk(concurrency) {
  const owners = new Map();
  const pids = (await fsp.readdir('/proc')).filter((d) => d.charCodeAt(0) >= 48 && d.charCodeAt(0) <= 57);
  let next = 0;
  const worker = async () => {
    while (next < pids.length) {
      const d = pids[next++];
      let fds;
      try {
        fds = await fsp.readdir(`/proc/${d}/fd`);
      } catch {
        continue;
      }
      const links = await Promise.all(fds.map((fd) => fsp.readlink(`/proc/${d}/fd/${fd}`).catch(() => '')));
      for (const link of links) if (link.startsWith('socket:[')) owners.set(link.slice(8, -1), d);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return owners.size;
}

async function main() {
  if (process.platform !== 'linux') throw new Error('the ports benchmark runs on Linux');
  ensureDebianPackages();
  const ss = ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss', '/sbin/ss'].find(existsSync);
  const lsof = ['/usr/bin/lsof', '/usr/sbin/lsof'].find(existsSync);
  const { ports, bundle } = await loadPorts();
  const loadBefore = loadavg().map((x) => x.toFixed(1)).join(' ');

  console.error(`starting ${processCount} processes × ${socketsPerProcess} sockets`);
  const holders = [];
  for (let i = 0; i < processCount; i++) holders.push(await startHolder(i, socketsPerProcess));
  const ours = new Set(holders.flatMap((h) => h.info.ports));
  try {
    const collector = new ports.PortsCollector({ platform: 'linux', fullWalkEveryMs: 0 });
    for (let i = 0; i < 5; i++) await collector.scan(); // warm the JIT and the kernel's dentry cache
    const check = await collector.scan();
    const listening = check.ports.filter((g) => g.listening).flatMap((g) => g.bindings.flatMap((b) => b.sockets.filter((s) => s.listening)));
    const ssLines = timeCommand(ss, ['-tulpnH']).stdout.trim().split('\n').length;
    const lsofLines = timeCommand(lsof, ['-nP', '-i']).stdout.trim().split('\n').length - 1;
    const procCount = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;
    const heldByOurs = check.ports.filter((g) => ours.has(g.port) && g.listening).length;

    const inlineCollector = new ports.PortsCollector({ platform: 'linux', workerThreads: false, fullWalkEveryMs: 0 });
    const pollingCollector = new ports.PortsCollector({ platform: 'linux' });
    for (let i = 0; i < 5; i++) {
      await inlineCollector.scan();
      await pollingCollector.scan();
    }
    const samples = { bindwatch: [], bindwatchCpu: [], inline: [], polling: [], pollingCpu: [], ss: [], lsof: [], syncWalk: [], asyncWalk4: [], asyncWalk16: [] };
    for (let r = 0; r < rounds; r++) {
      const cpu0 = process.cpuUsage();
      let t = process.hrtime.bigint();
      await collector.scan();
      samples.bindwatch.push(ms(t));
      const cpu = process.cpuUsage(cpu0);
      samples.bindwatchCpu.push((cpu.user + cpu.system) / 1000);
      t = process.hrtime.bigint();
      await inlineCollector.scan();
      samples.inline.push(ms(t));
      const pollCpu0 = process.cpuUsage();
      t = process.hrtime.bigint();
      await pollingCollector.scan();
      samples.polling.push(ms(t));
      const pollCpu = process.cpuUsage(pollCpu0);
      samples.pollingCpu.push((pollCpu.user + pollCpu.system) / 1000);
      samples.ss.push(timeCommand(ss, ['-tulpnH']).elapsed);
      samples.lsof.push(timeCommand(lsof, ['-nP', '-i']).elapsed);
      t = process.hrtime.bigint();
      syncFdWalk();
      samples.syncWalk.push(ms(t));
      t = process.hrtime.bigint();
      await asyncFdWalk(4);
      samples.asyncWalk4.push(ms(t));
      t = process.hrtime.bigint();
      await asyncFdWalk(16);
      samples.asyncWalk16.push(ms(t));
    }

    // A cold process: node start-up, loading the bundle and one first scan.
    const coldScript = `const t=process.hrtime.bigint();const {PortsCollector}=require(${JSON.stringify(bundle)});new PortsCollector({platform:'linux',workerThreads:false}).scan().then(s=>process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)))`;
    const cold = [];
    const coldScan = [];
    for (let r = 0; r < Math.min(rounds, 10); r++) {
      const t = process.hrtime.bigint();
      const out = execFileSync(process.execPath, ['-e', coldScript], { encoding: 'utf8' });
      cold.push(ms(t));
      coldScan.push(Number(out));
    }

    // Idle polling: the collector's own schedule (20 × average scan time, at least 2 s).
    console.error(`idle-polling for ${idleSeconds} s`);
    const poller = new ports.PortsCollector({ platform: 'linux' });
    await poller.scan(); // starts the worker threads; the steady state is what idles
    await new Promise((r) => setTimeout(r, poller.nextPollDelayMs(2000)));
    const cpuStart = process.cpuUsage();
    const wallStart = process.hrtime.bigint();
    let polls = 0;
    const deadline = Date.now() + idleSeconds * 1000;
    while (Date.now() < deadline) {
      await poller.scan();
      polls++;
      await new Promise((r) => setTimeout(r, Math.min(poller.nextPollDelayMs(2000), Math.max(0, deadline - Date.now()))));
    }
    const idleCpu = process.cpuUsage(cpuStart);
    const idleWall = ms(wallStart);
    const adaptiveDelay = poller.nextPollDelayMs(2000);

    // The same at a fixed 2 s interval (the floor VS Code's own port finder uses).
    const fixedCpuStart = process.cpuUsage();
    const fixedWallStart = process.hrtime.bigint();
    const fixedDeadline = Date.now() + (idleSeconds / 2) * 1000;
    let fixedPolls = 0;
    while (Date.now() < fixedDeadline) {
      await poller.scan();
      fixedPolls++;
      await new Promise((r) => setTimeout(r, Math.min(2000, Math.max(0, fixedDeadline - Date.now()))));
    }
    const fixedCpu = process.cpuUsage(fixedCpuStart);
    const fixedPercent = ((fixedCpu.user + fixedCpu.system) / 1000 / ms(fixedWallStart)) * 100;
    await collector.dispose();
    await inlineCollector.dispose();
    await pollingCollector.dispose();
    await poller.dispose();
    const idlePercent = ((idleCpu.user + idleCpu.system) / 1000 / idleWall) * 100;

    const m = { bindwatch: median(samples.bindwatch), ss: median(samples.ss), lsof: median(samples.lsof) };
    const lines = [
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Linux ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}, Node ${process.version}, ${procCount} processes in /proc`,
      `sockets: ${listening.length} listening sockets seen by Bindwatch (${heldByOurs} ports of the ${processCount} bench processes), ss printed ${ssLines} lines, lsof ${lsofLines}`,
      `rounds: ${rounds}, interleaved; times are medians (min / p90 in parentheses), milliseconds; load average before: ${loadBefore}, after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
      '',
      '| tool | snapshot time | vs ss | vs lsof |',
      '| --- | ---: | ---: | ---: |',
      `| Bindwatch, full scan, 2 worker threads (wall) | ${fmt(m.bindwatch)} (${fmt(min(samples.bindwatch))} / ${fmt(p90(samples.bindwatch))}) | ${(m.bindwatch / m.ss).toFixed(2)}× | ${(m.lsof / m.bindwatch).toFixed(1)}× faster |`,
      `| Bindwatch, full scan, 2 worker threads (CPU, all threads) | ${fmt(median(samples.bindwatchCpu))} | | |`,
      `| Bindwatch, full scan, calling thread only (wall) | ${fmt(median(samples.inline))} (${fmt(min(samples.inline))} / ${fmt(p90(samples.inline))}) | ${(median(samples.inline) / m.ss).toFixed(2)}× | ${(m.lsof / median(samples.inline)).toFixed(1)}× faster |`,
      `| Bindwatch, polling scan (only changed processes walked), 2 worker threads (wall) | ${fmt(median(samples.polling))} (${fmt(min(samples.polling))} / ${fmt(p90(samples.polling))}) | ${(median(samples.polling) / m.ss).toFixed(2)}× | ${(m.lsof / median(samples.polling)).toFixed(1)}× faster |`,
      `| Bindwatch, polling scan (CPU, all threads) | ${fmt(median(samples.pollingCpu))} | | |`,
      `| Bindwatch, cold \`node\` process (as the CLI runs): first scan only | ${fmt(median(coldScan))} | | |`,
      `| Bindwatch, cold \`node\` process (as the CLI runs): whole process | ${fmt(median(cold))} | ${(median(cold) / m.ss).toFixed(2)}× | ${(m.lsof / median(cold)).toFixed(1)}× faster |`,
      `| \`ss -tulpnH\` (spawned) | ${fmt(m.ss)} (${fmt(min(samples.ss))} / ${fmt(p90(samples.ss))}) | 1× | |`,
      `| \`lsof -nP -i\` (spawned) | ${fmt(m.lsof)} (${fmt(min(samples.lsof))} / ${fmt(p90(samples.lsof))}) | | 1× |`,
      '',
      `fd walk alone (all of /proc): synchronous ${fmt(median(samples.syncWalk))} ms; fs.promises with 4 workers ${fmt(median(samples.asyncWalk4))} ms, with 16 ${fmt(median(samples.asyncWalk16))} ms`,
      `idle polling, collector's own schedule: ${polls} scans in ${(idleWall / 1000).toFixed(1)} s (next delay ${adaptiveDelay} ms), ${((idleCpu.user + idleCpu.system) / 1000).toFixed(0)} ms CPU = ${idlePercent.toFixed(2)}% of one core`,
      `idle polling, fixed 2 s: ${fixedPolls} scans, ${((fixedCpu.user + fixedCpu.system) / 1000).toFixed(0)} ms CPU = ${fixedPercent.toFixed(2)}% of one core`,
      `goals, full scan (median): ≤ 1.5× ss → ${m.bindwatch <= 1.5 * m.ss ? 'met' : 'NOT met'}; ≥ 5× faster than lsof → ${m.lsof >= 5 * m.bindwatch ? 'met' : 'NOT met'}`,
      `goals, polling scan (median): ≤ 1.5× ss → ${median(samples.polling) <= 1.5 * m.ss ? 'met' : 'NOT met'}; ≥ 5× faster than lsof → ${m.lsof >= 5 * median(samples.polling) ? 'met' : 'NOT met'}`,
      `goal, idle CPU < 1% of a core: own schedule → ${idlePercent < 1 ? 'met' : 'NOT met'}; fixed 2 s → ${fixedPercent < 1 ? 'met' : 'NOT met'}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    for (const h of holders) h.child.stdin.end();
    await Promise.all(holders.map((h) => new Promise((resolve) => (h.child.exitCode !== null ? resolve() : h.child.once('exit', resolve)))));
  }
}

await main();
