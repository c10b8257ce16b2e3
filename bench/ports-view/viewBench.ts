// CPU of the Ports view in a real VS Code (code-server 4.100.3 = VS Code 1.100, driven by Chromium),
// measured on the extension host process (all its threads, so the collector's worker threads count)
// from /proc/<pid>/stat:
//   1. extension active, Ports view closed (Explorer in the side bar);
//   2. Ports view open and idle (nothing starts or stops), after it settled;
//   3. Ports view closed again.
// Each phase is measured on this machine as it is, and again with 1,000 extra listening sockets held by
// 50 processes (test/unit/fixtures/ports/socket_holder.py), the kind of load the collector is built for.
// VS Code's own port detection (which code-server runs in the same extension host) is off unless
// --with-vscode-port-scan is given.
// Run: node bench/ports-view/run.mjs [--seconds S] [--with-vscode-port-scan] (after scripts/setup-e2e.sh and npm run package).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, startCodeServer, type CodeServer } from '../../test/e2e/codeServer';
import { launchBrowser, waitFor, Workbench } from '../../test/e2e/workbench';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('--seconds', 60);
const SETTLE_SECONDS = arg('--settle', 15);
const HOLDERS = arg('--processes', 50);
const SOCKETS_PER_HOLDER = arg('--sockets-per-process', 20);
const CLK_TCK = 100;
/** `--with-vscode-port-scan` keeps VS Code's own port detection on (its default). */
const noVsCodePortScan = !process.argv.includes('--with-vscode-port-scan');
const VIEW = '[id="workbench.view.extension.bindwatch"]';

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
  return Number(fields[11]) + Number(fields[12]);
}

/** The extension host of this code-server instance (its environment names our user-data folder). */
function extensionHostPid(userDataDir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=extensionHost')) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').includes(userDataDir)) return Number(entry);
    } catch {
      // gone or not ours
    }
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Percent of one core the process used over `seconds`. */
async function measure(pid: number, seconds: number): Promise<number> {
  const t0 = performance.now();
  const c0 = cpuTicks(pid);
  await sleep(seconds * 1000);
  const c1 = cpuTicks(pid);
  const wall = (performance.now() - t0) / 1000;
  return ((c1 - c0) / CLK_TCK / wall) * 100;
}

async function startHolders(count: number, perHolder: number): Promise<ChildProcess[]> {
  const script = join(ROOT, 'test', 'unit', 'fixtures', 'ports', 'socket_holder.py');
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const sockets = Array.from({ length: perHolder }, (_, k) => ({ proto: k % 5 === 4 ? 'udp' : 'tcp', host: k % 2 === 0 ? '127.0.0.1' : '::1' }));
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

interface Phase {
  scenario: string;
  phase: string;
  cpuPercent: number;
}

async function runScenario(scenario: string, wb: Workbench, pid: number, results: Phase[]): Promise<void> {
  const page = wb.page;
  const explorer = page.locator('.activitybar .action-item a[aria-label^="Explorer"]');
  const bindwatch = page.locator('.activitybar .action-item a[aria-label^="Bindwatch"]');
  // 1. Closed.
  if (await page.locator(VIEW).isVisible()) await explorer.click();
  await page.locator(VIEW).waitFor({ state: 'hidden' });
  await sleep(SETTLE_SECONDS * 1000);
  results.push({ scenario, phase: 'Ports view closed (extension active)', cpuPercent: await measure(pid, SECONDS) });
  // 2. Open and idle.
  await bindwatch.click();
  await page.locator(VIEW).waitFor({ state: 'visible' });
  await waitFor('the Ports view rows', async () => (await page.locator(`${VIEW} .monaco-list-row`).count()) > 1, 60_000);
  await sleep(SETTLE_SECONDS * 1000);
  results.push({ scenario, phase: 'Ports view open and idle', cpuPercent: await measure(pid, SECONDS) });
  // 3. Closed again.
  await explorer.click();
  await page.locator(VIEW).waitFor({ state: 'hidden' });
  await sleep(5000);
  results.push({ scenario, phase: 'Ports view closed again', cpuPercent: await measure(pid, SECONDS) });
}

async function main(): Promise<void> {
  const vsix = process.env.BINDWATCH_E2E_VSIX ?? join(ROOT, 'bindwatch-0.1.0.vsix');
  const fixture = join(ROOT, 'test', 'e2e', 'fixtures', 'ports-workspace');
  // code-server's extension host is a remote one, where VS Code's own Ports panel scans /proc every few
  // seconds in the same process; turned off so the measurement is Bindwatch's.
  const settings = noVsCodePortScan ? { 'remote.autoForwardPorts': false, 'remote.autoForwardPortsSource': 'output' } : {};
  const server: CodeServer = await startCodeServer({ fixture, vsix, name: 'ports-view-bench', settings });
  const browser = await launchBrowser();
  let holders: ChildProcess[] = [];
  const results: Phase[] = [];
  try {
    const wb = new Workbench(await browser.newPage({ viewport: { width: 1440, height: 900 } }), 'ports-view-bench');
    await wb.open(server.url);
    // A Python file activates the extension (and its language server) without showing the view.
    await wb.openFile('server.py');
    const userData = join(server.workspace, '..', 'user-data');
    const pid = await waitFor('the extension host', () => extensionHostPid(userData), 60_000);
    await waitFor('Bindwatch to activate', () => {
      const logs: string[] = [];
      const walk = (dir: string): void => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(dir, e.name));
          else if (e.name === 'Bindwatch.log') logs.push(readFileSync(join(dir, e.name), 'utf8'));
        }
      };
      walk(join(userData, 'logs'));
      return logs.some((l) => /activated in \d+ ms/.test(l));
    }, 120_000);

    const sockets = readFileSync('/proc/net/tcp', 'utf8').split('\n').length + readFileSync('/proc/net/tcp6', 'utf8').split('\n').length;
    await runScenario(`this machine (~${sockets} TCP rows)`, wb, pid, results);
    holders = await startHolders(HOLDERS, SOCKETS_PER_HOLDER);
    await runScenario(`+${HOLDERS * SOCKETS_PER_HOLDER} listening sockets in ${HOLDERS} processes`, wb, pid, results);
    await wb.screenshot('ports-view-bench');
  } finally {
    for (const h of holders) h.kill('SIGTERM');
    await browser.close();
    await server.stop();
  }
  console.log(JSON.stringify({ seconds: SECONDS, settleSeconds: SETTLE_SECONDS, vsCodePortScan: !noVsCodePortScan, results }, null, 2));
  console.log('\n| Scenario | Phase | Extension host CPU (% of one core) |\n| --- | --- | --- |');
  for (const r of results) console.log(`| ${r.scenario} | ${r.phase} | ${r.cpuPercent.toFixed(2)} % |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
