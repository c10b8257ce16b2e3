#!/usr/bin/env node
// Analyzer benchmark: a cold `bindwatch check` of the CPython standard library and of Go's standard
// library, side by side in one run with bandit (-t B104) and ripgrep (-l) for the same vocabulary.
// Usage: node bench/analyzer/run.mjs [--runs N]   (installs bandit, ripgrep, golang-1.19-src, time)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function ensureDebianPackages() {
  const wanted = { bandit: '/usr/bin/bandit', ripgrep: '/usr/bin/rg', 'golang-1.19-src': '/usr/share/go-1.19/src', time: '/usr/bin/time' };
  const missing = Object.entries(wanted).filter(([, path]) => !existsSync(path)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  console.error(`installing ${missing.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Runs a command under GNU time; returns wall seconds, peak RSS in MB and stdout. */
function measure(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const lines = result.stderr.trim().split('\n');
  const [seconds, kilobytes] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
  return { seconds, rssMb: kilobytes / 1024, stdout: result.stdout, status: result.status };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bench(label, command, args) {
  measure(command, args); // warm the file cache so every tool reads from memory alike
  const samples = Array.from({ length: runs }, () => measure(command, args));
  return { label, seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)), last: samples[samples.length - 1] };
}

const VOCABULARY = 'setsockopt|SO_REUSEADDR|SO_REUSEPORT|SO_EXCLUSIVEADDRUSE|reuse_address|reuse_port|reuseAddress|ReuseAddr|\\.bind\\(|\\.listen\\(|Listen\\(';

ensureDebianPackages();
if (!existsSync(cli)) throw new Error('build first: npm run build');
const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("stdlib"))'], { encoding: 'utf8' }).trim();
const trees = [
  { name: 'CPython stdlib', path: stdlib, bandit: true },
  { name: 'Go 1.19 stdlib', path: '/usr/share/go-1.19/src', bandit: false },
];

const rows = [];
for (const tree of trees) {
  const files = Number(execFileSync('bash', ['-c', 'find "$1" -type f | wc -l', '_', tree.path], { encoding: 'utf8' }).trim());
  const ours = bench('bindwatch check', process.execPath, [cli, 'check', tree.path, '--format', 'json', '--fail-on', 'none', '--no-progress']);
  const report = JSON.parse(ours.last.stdout);
  const rg = bench('rg -l', '/usr/bin/rg', ['-l', '-e', VOCABULARY, tree.path]);
  const row = { tree, files, ours, rg, findings: report.findings.length, analyzed: report.summary.filesAnalyzed, byRule: {} };
  for (const f of report.findings) row.byRule[f.ruleId] = (row.byRule[f.ruleId] ?? 0) + 1;
  if (tree.bandit) {
    // bandit takes minutes: one measured run, after the same tree was read by the runs above.
    const sample = measure('/usr/bin/bandit', ['-r', tree.path, '-t', 'B104', '-f', 'json', '-q']);
    row.bandit = { label: 'bandit -t B104', seconds: sample.seconds, rssMb: sample.rssMb, last: sample };
    try {
      row.banditFindings = JSON.parse(row.bandit.last.stdout).results.length;
    } catch {
      row.banditFindings = null;
    }
  }
  rows.push(row);
}

const fmt = (n, d = 2) => n.toFixed(d);
console.log(`Machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, Node ${process.version}, load average before the run ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}; median of ${runs} runs after one warm-up (bandit: one run); peak RSS is the maximum.\n`);
console.log('| tree | files | tool | wall (s) | peak RSS (MB) | findings |');
console.log('|---|---:|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.tree.name} | ${r.files} | bindwatch check | ${fmt(r.ours.seconds)} | ${fmt(r.ours.rssMb, 0)} | ${r.findings} (${r.analyzed} files analyzed) |`);
  if (r.bandit) console.log(`| ${r.tree.name} | ${r.files} | bandit -t B104 | ${fmt(r.bandit.seconds)} | ${fmt(r.bandit.rssMb, 0)} | ${r.banditFindings ?? '?'} |`);
  console.log(`| ${r.tree.name} | ${r.files} | rg -l (same vocabulary) | ${fmt(r.rg.seconds)} | ${fmt(r.rg.rssMb, 0)} | ${r.rg.last.stdout.split('\n').filter(Boolean).length} files |`);
}
console.log('');
for (const r of rows) {
  const ratios = [`${fmt(r.ours.seconds / r.rg.seconds, 1)}× rg's time`];
  if (r.bandit) ratios.unshift(`${fmt(r.bandit.seconds / r.ours.seconds, 1)}× faster than bandit`);
  console.log(`- ${r.tree.name}: bindwatch is ${ratios.join(', ')}; findings by rule: ${JSON.stringify(r.byRule)}`);
}
