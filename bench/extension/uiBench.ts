// Extension benchmarks in a real VS Code (code-server + Chromium, as in the e2e tests):
//   - activation time (from the extension's own log: activate() → language server initialized);
//   - opening a 2,000-line Python file → its findings in the Problems panel, with the extension not yet
//     active (cold: activation + server start + index) and once it runs (warm).
// Run: node bench/extension/run-ui-bench.mjs (after scripts/setup-e2e.sh and npm run package).
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startCodeServer } from '../../test/e2e/codeServer';
import { launchBrowser, Workbench } from '../../test/e2e/workbench';
import { twoThousandLinePython } from './corpus.mjs';

function findFiles(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...findFiles(full, name));
    else if (entry === name) found.push(full);
  }
  return found;
}

async function main(): Promise<void> {
  const fixture = mkdtempSync(join(tmpdir(), 'bindwatch-ui-bench-'));
  const text = twoThousandLinePython();
  writeFileSync(join(fixture, 'big_server.py'), text);
  writeFileSync(join(fixture, 'big_server_2.py'), text);
  const vsix = process.env.BINDWATCH_E2E_VSIX ?? join(ROOT, 'bindwatch-0.1.0.vsix');
  const server = await startCodeServer({ fixture, vsix, name: 'bench', settings: { 'bindwatch.diagnosticsScope': 'openFiles' } });
  const browser = await launchBrowser();
  try {
    const wb = new Workbench(await browser.newPage({ viewport: { width: 1440, height: 900 } }), 'bench');
    await wb.open(server.url);
    await wb.showProblems();

    // From pressing Enter in Quick Open to the file's group showing in the Problems panel.
    const timeToFindings = async (file: string): Promise<number> => {
      let started = 0;
      await wb.openFile(file, () => {
        started = performance.now();
      });
      await wb.page.locator(`.markers-panel .monaco-list-row[aria-label*="in file ${file} "]`).first().waitFor({ state: 'attached', timeout: 120_000 });
      return performance.now() - started;
    };
    const coldMs = await timeToFindings('big_server.py');
    const warmMs = await timeToFindings('big_server_2.py');

    const logs = findFiles(join(server.workspace, '..', 'user-data', 'logs'), 'Bindwatch.log');
    const log = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    const activation = /activated in (\d+) ms/.exec(log)?.[1];
    const lines = text.split('\n').length;
    console.log(JSON.stringify({ activationMs: activation ? Number(activation) : null, coldOpenToProblemsMs: coldMs, warmOpenToProblemsMs: warmMs, lines }, null, 2));
    console.log(`
| Measurement (code-server 4.100.3 / VS Code 1.100, Chromium) | Result |
| --- | --- |
| Extension activation (activate() → language server initialized) | ${activation ?? '?'} ms |
| Open a ${lines}-line Python file → findings in the Problems panel, extension not yet active | ${coldMs.toFixed(0)} ms |
| Open a second ${lines}-line file → findings in the Problems panel | ${warmMs.toFixed(0)} ms |`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
