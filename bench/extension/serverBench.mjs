// Language server benchmarks (LSP over stdio against dist/server.js, no editor):
//   1. opening a 2,000-line file → its diagnostics arrive;
//   2. one keystroke in that file → re-lint, server-side time (analysis + publishing), p50/p95;
//   3. indexing the CPython standard library as a workspace: time and the server's peak memory.
// Run: npm run build && node bench/extension/serverBench.mjs [--stdlib <dir>] [--keystrokes N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { peakRssOf, percentile, startServer } from './lspClient.mjs';
import { twoThousandLinePython } from './corpus.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const keystrokes = Number(option('--keystrokes', '100'));
const stdlib = option('--stdlib', execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim());
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const results = {};

// 1 + 2: a 2,000-line file.
{
  const folder = mkdtempSync(join(tmpdir(), 'bindwatch-bench-'));
  const file = join(folder, 'big_server.py');
  const text = twoThousandLinePython();
  writeFileSync(file, text);
  const server = await startServer({ folder, settings: { diagnosticsScope: 'openFiles' } });
  await server.indexed;
  const uri = pathToFileURL(file).href;
  const diagnosticsOf = (version) => server.waitFor((method, params) =>
    method === 'textDocument/publishDiagnostics' && params.uri === uri && (version === undefined || params.version === undefined || params.version === version) ? params : undefined);

  let t0 = performance.now();
  const first = diagnosticsOf();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  const opened = await first;
  results.openToDiagnosticsMs = performance.now() - t0;
  results.lines = text.split('\n').length;
  results.diagnostics = opened.diagnostics.length;

  // Keystrokes: type characters one at a time at the end of a comment line, as a person writes a
  // word; every version of the text is new, so nothing can be answered from a cache.
  const lines = text.split('\n');
  const commentLine = lines.findIndex((l) => l.startsWith('# filler'));
  const roundTrips = [];
  let version = 1;
  for (let i = 0; i < keystrokes; i++) {
    const character = lines[commentLine].length;
    const typed = 'abcdefghijklmnopqrstuvwxyz '[i % 27];
    version++;
    const arrived = diagnosticsOf();
    t0 = performance.now();
    await server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: commentLine, character }, end: { line: commentLine, character } }, text: typed }],
    });
    await arrived;
    roundTrips.push(performance.now() - t0);
    lines[commentLine] += typed;
  }
  const timings = await server.connection.sendRequest('bindwatch/timings');
  const relint = timings.relintMs.slice(1); // the first entry is the didOpen analysis
  results.keystrokes = relint.length;
  results.relintP50Ms = percentile(relint, 50);
  results.relintP95Ms = percentile(relint, 95);
  results.roundTripP95Ms = percentile(roundTrips, 95);
  await server.stop();
  rmSync(folder, { recursive: true, force: true });
}

// 3: CPython's standard library.
{
  const server = await startServer({ folder: stdlib, settings: { exclude: ['site-packages/**'] } });
  const { status, ms } = await server.indexed;
  const timings = await server.connection.sendRequest('bindwatch/timings');
  results.stdlib = stdlib;
  results.stdlibFiles = status.filesAnalyzed;
  results.stdlibSkipped = status.filesSkipped;
  results.stdlibFindings = status.findings;
  results.indexMs = ms;
  results.serverPeakRss = peakRssOf(server.child.pid) ?? timings.peakRss;
  await server.stop();
}

console.log(JSON.stringify(results, null, 2));
console.log(`
| Measurement | Result | Goal |
| --- | --- | --- |
| Open a ${results.lines}-line Python file → its diagnostics (LSP, no editor) | ${results.openToDiagnosticsMs.toFixed(0)} ms (${results.diagnostics} diagnostics) | |
| Re-lint after one keystroke, server time, p50 / p95 (${results.keystrokes} keystrokes) | ${results.relintP50Ms.toFixed(1)} / ${results.relintP95Ms.toFixed(1)} ms | p95 < 20 ms |
| Keystroke → diagnostics round trip incl. ${150} ms debounce, p95 | ${results.roundTripP95Ms.toFixed(0)} ms | |
| Index CPython stdlib (${results.stdlibFiles} files, ${results.stdlibSkipped} skipped, ${results.stdlibFindings} findings) | ${(results.indexMs / 1000).toFixed(2)} s | < 3 s |
| Server peak memory while indexing it | ${mb(results.serverPeakRss)} | < 300 MB |`);
