// Runs inside desktop VS Code's extension host (see .vscode-test.mjs), with the vscode API.
// It works on a copy-free fixture, so it only reads: diagnostics and the code actions offered.
/* global suite, test */
/* eslint-disable @typescript-eslint/no-require-imports -- mocha loads this file with require() in the extension host */
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const workspace = path.resolve(__dirname, '..', 'fixtures', 'workspace');

async function poll(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Bindwatch (extension host)', () => {
  test('reports reuse-missing on echo_server.py with source, code and docs link', async () => {
    const uri = vscode.Uri.file(path.join(workspace, 'echo_server.py'));
    await vscode.window.showTextDocument(uri);
    const diagnostic = await poll('a bindwatch diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.source === 'bindwatch'));
    const code = diagnostic.code;
    assert.equal(typeof code === 'object' ? code.value : code, 'reuse-missing');
    assert.match(String(typeof code === 'object' ? code.target : ''), /docs\/rules\/reuse-missing\.md$/);
    assert.equal(diagnostic.range.start.line, 6);
  });

  test('offers the fix as the preferred quick fix', async () => {
    const uri = vscode.Uri.file(path.join(workspace, 'echo_server.py'));
    const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'bindwatch');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, actions.map((a) => a.title).join(', '));
    assert.match(preferred.title, /SO_REUSEADDR/);
  });

  test('finds the cross-file pair without opening the other file', async () => {
    const mirror = vscode.Uri.file(path.join(workspace, 'stats_mirror.py'));
    const diagnostic = await poll('reuse-one-sided on stats_mirror.py', () =>
      vscode.languages.getDiagnostics(mirror).find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'reuse-one-sided'));
    assert.equal(path.basename(diagnostic.relatedInformation[0].location.uri.fsPath), 'stats_listener.py');
  });
});
