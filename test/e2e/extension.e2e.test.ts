// The packaged extension in a real VS Code (code-server), driven through the UI like a person would:
// Problems panel entries with their codes, the hover, the light-bulb quick fix and a cross-file fix.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ROOT, startCodeServer, type CodeServer } from './codeServer';
import { launchBrowser, waitFor, Workbench, type ProblemEntry } from './workbench';

const VSIX = process.env.BINDWATCH_E2E_VSIX ?? join(ROOT, 'bindwatch-0.1.0.vsix');
const FIXTURE = join(ROOT, 'test', 'e2e', 'fixtures', 'workspace');

/** Problems entries VS Code labels with our source and the given code, in the given file. */
function entriesFor(entries: readonly ProblemEntry[], file: string, code: string): ProblemEntry[] {
  return entries.filter((e) => e.file === file && e.source === 'bindwatch' && e.code === code);
}

void describe('Bindwatch in VS Code', { timeout: 10 * 60_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({
      fixture: FIXTURE,
      vsix: VSIX,
      name: 'main',
      // As a user sets it up once: fix-all on explicit save.
      settings: { 'editor.codeActionsOnSave': { 'source.fixAll.bindwatch': 'explicit' } },
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, 'main');
    await wb.open(server.url);
  });

  afterEach(() => wb?.screenshotEndOfTest());

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  void test('activates on a Python file and lists findings of every language in the Problems panel', async () => {
    await wb.openFile('echo_server.py');
    const expected: [string, string][] = [
      ['echo_server.py', 'reuse-missing'],
      ['stats_listener.py', 'udp-reuse-steal'],
      ['stats_mirror.py', 'reuse-one-sided'],
      ['discovery.js', 'reuse-missing'],
      ['server.c', 'reuse-after-bind'],
      ['beacon.go', 'udp-reuse-steal'],
    ];
    const entries = await wb.waitForProblems('an entry for each fixture file', (all) =>
      expected.every(([file, code]) => entriesFor(all, file, code).length > 0));
    await wb.screenshot('readme-problems');
    for (const [file, code] of expected) assert.ok(entriesFor(entries, file, code).length > 0, `${file}: ${code}`);
    // Every entry is ours and carries a rule id as its code.
    assert.ok(entries.every((e) => e.source === 'bindwatch' && /^[a-z]+(-[a-z]+)+$/.test(e.code)), JSON.stringify(entries, null, 1));
  });

  void test('the hover shows the message and a link to the rule documentation', async () => {
    await wb.openFile('echo_server.py');
    await wb.goToLine(7, 9);
    const hover = await wb.hoverAtCursor();
    await wb.screenshot('readme-hover');
    assert.match(hover.text, /without SO_REUSEADDR/);
    assert.match(hover.text, /bindwatch\s*\(?reuse-missing\)?/);
    assert.ok(hover.links.some((href) => href.includes('docs/rules/reuse-missing.md')), `links: ${hover.links.join(', ')}`);
    await wb.page.keyboard.press('Escape');
  });

  void test('the light-bulb quick fix sets SO_REUSEADDR before bind and the finding goes away', async () => {
    await wb.openFile('echo_server.py');
    await wb.goToLine(7, 9);
    const titles = await wb.openQuickFixMenu();
    await wb.screenshot('readme-quick-fix');
    const fix = titles.find((t) => /SO_REUSEADDR/.test(t));
    assert.ok(fix, `quick fixes offered: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => t.includes('Disable reuse-missing for this line')), `quick fixes offered: ${titles.join(' | ')}`);
    const file = join(server.workspace, 'echo_server.py');
    const before = readFileSync(file, 'utf8');
    await wb.chooseQuickFix(fix);
    await wb.saveWhenEdited(() => readFileSync(file, 'utf8') !== before);
    const text = await waitFor('echo_server.py to change on disk', () => {
      const now = readFileSync(file, 'utf8');
      return now !== before ? now : undefined;
    });
    const setOption = text.indexOf('SO_REUSEADDR');
    assert.ok(setOption > 0, text);
    assert.ok(setOption < text.indexOf('.bind('), `option set before bind:\n${text}`);
    await wb.waitForProblems('no reuse-missing left in echo_server.py', (all) =>
      entriesFor(all, 'echo_server.py', 'reuse-missing').length === 0 && all.length > 0);
    await wb.screenshot('after-quick-fix');
  });

  void test('fixing one side of a cross-file pair clears the finding in the other file', async () => {
    await wb.waitForProblems('reuse-one-sided in stats_mirror.py', (all) => entriesFor(all, 'stats_mirror.py', 'reuse-one-sided').length > 0);
    await wb.openFile('stats_listener.py');
    await wb.goToLine(7, 9);
    const titles = await wb.openQuickFixMenu();
    const fix = titles.find((t) => /SO_REUSEADDR/.test(t) && !t.startsWith('Disable') && !t.startsWith('Show'));
    assert.ok(fix, `quick fixes offered: ${titles.join(' | ')}`);
    await wb.chooseQuickFix(fix);
    await wb.saveWhenEdited(() => !/SO_REUSEADDR/.test(readFileSync(join(server.workspace, 'stats_listener.py'), 'utf8')));
    await waitFor('the option to be gone from stats_listener.py on disk', () =>
      !/SO_REUSEADDR/.test(readFileSync(join(server.workspace, 'stats_listener.py'), 'utf8')));
    // stats_mirror.py was never opened: its finding came from the workspace index and leaves with it.
    await wb.waitForProblems('reuse-one-sided gone from stats_mirror.py', (all) =>
      entriesFor(all, 'stats_mirror.py', 'reuse-one-sided').length === 0 && all.length > 0);
    await wb.screenshot('readme-cross-file');
  });

  void test('a settings change re-lints without a reload', async () => {
    await wb.waitForProblems('reuse-after-bind in server.c', (all) => entriesFor(all, 'server.c', 'reuse-after-bind').length > 0);
    const settingsFile = join(server.workspace, '.vscode', 'settings.json');
    mkdirSync(join(server.workspace, '.vscode'), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ 'bindwatch.rules': { 'reuse-after-bind': 'off' } }, null, 2));
    await wb.waitForProblems('reuse-after-bind turned off', (all) =>
      entriesFor(all, 'server.c', 'reuse-after-bind').length === 0 && entriesFor(all, 'discovery.js', 'reuse-missing').length > 0);
    writeFileSync(settingsFile, JSON.stringify({ 'bindwatch.rules': { 'reuse-after-bind': 'warning' } }, null, 2));
    const entries = await wb.waitForProblems('reuse-after-bind back, as a warning', (all) => entriesFor(all, 'server.c', 'reuse-after-bind').length > 0);
    assert.equal(entriesFor(entries, 'server.c', 'reuse-after-bind')[0]?.severity, 'Warning');
    rmSync(settingsFile);
    await wb.waitForProblems('reuse-after-bind an error again', (all) => entriesFor(all, 'server.c', 'reuse-after-bind')[0]?.severity === 'Error');
  });

  void test('fix all on save works through editor.codeActionsOnSave', async () => {
    await wb.openFile('discovery.js');
    // Type in front of the flagged bind (line 6) and save once its finding has moved with the text,
    // i.e. once the server has seen the edit, as a person saves after a moment.
    await wb.goToLine(6, 1);
    await wb.page.keyboard.insertText('/* Saved with fix-all. */ ');
    await wb.waitForProblems('the finding to follow the typed text', (all) =>
      entriesFor(all, 'discovery.js', 'reuse-missing').some((e) => e.line === 6 && e.column === 27));
    await wb.page.keyboard.press('Control+s');
    const file = join(server.workspace, 'discovery.js');
    const text = await waitFor('discovery.js saved with the typed comment and the fix', () => {
      const now = readFileSync(file, 'utf8');
      return now.includes('Saved with fix-all') && now.includes('reuseAddr') ? now : undefined;
    });
    assert.match(text, /reuseAddr: true/);
    await wb.waitForProblems('reuse-missing gone from discovery.js', (all) => entriesFor(all, 'discovery.js', 'reuse-missing').length === 0 && all.length > 0);
  });

  void test('.bindwatch.json is honoured and validated against the contributed schema', async () => {
    const configFile = join(server.workspace, '.bindwatch.json');
    const original = readFileSync(configFile, 'utf8');
    // Honoured: a rule turned off in .bindwatch.json leaves the Problems panel.
    await wb.waitForProblems('udp-reuse-steal in beacon.go', (all) => entriesFor(all, 'beacon.go', 'udp-reuse-steal').length > 0);
    writeFileSync(configFile, JSON.stringify({ rules: { 'udp-reuse-steal': 'off' } }, null, 2));
    await wb.waitForProblems('udp-reuse-steal turned off by .bindwatch.json', (all) =>
      entriesFor(all, 'beacon.go', 'udp-reuse-steal').length === 0 && entriesFor(all, 'server.c', 'reuse-after-bind').length > 0);
    // Validated: a wrong value is flagged by the contributed schema.
    writeFileSync(configFile, JSON.stringify({ platforms: ['linux'], rules: { 'reuse-missing': 'loud' } }, null, 2));
    await wb.openFile('.bindwatch.json');
    const entries = await wb.waitForProblems('a schema error in .bindwatch.json', (all) => all.some((e) => e.file === '.bindwatch.json'));
    await wb.screenshot('config-schema');
    assert.ok(entries.some((e) => e.file === '.bindwatch.json' && /Value is not accepted|loud/.test(e.message)), JSON.stringify(entries, null, 1));
    writeFileSync(configFile, original);
    await wb.waitForProblems('the schema error gone', (all) => !all.some((e) => e.file === '.bindwatch.json'));
  });

  void test('the commands work from the Command Palette', async () => {
    await wb.runCommand('Bindwatch: Analyze Workspace');
    // The command ends by focusing the Problems panel.
    await waitFor('the Problems panel to take the focus', () => wb.page.locator('.markers-panel :focus').count());
    await wb.waitForProblems('findings after re-analysis', (all) => entriesFor(all, 'server.c', 'reuse-after-bind').length > 0);
    await wb.runCommand('Bindwatch: Open Log');
    try {
      // The log ends with the line the analysis just wrote (Monaco renders spaces as U+00A0; \s matches it).
      await waitFor('the Bindwatch log in the Output panel', async () =>
        /Analyzed\s+\d+\s+files/.test((await wb.page.locator('.part.panel').allInnerTexts()).join('\n')));
    } finally {
      await wb.screenshot('log');
    }
    await wb.runCommand('Bindwatch: Restart Server');
    await wb.openFile('beacon.go');
    await wb.waitForProblems('findings after the restart', (all) => entriesFor(all, 'beacon.go', 'udp-reuse-steal').length > 0);
  });

  void test('the language status item reports the analysis', async () => {
    await wb.openFile('stats_mirror.py');
    const text = await wb.languageStatus();
    await wb.screenshot('language-status');
    assert.match(text, /Bindwatch: \d+ findings?/);
    assert.match(text, /\d+ files? analyzed/);
    await wb.page.keyboard.press('Escape');
  });
});

void describe('Bindwatch in Restricted Mode', { timeout: 5 * 60_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;

  before(async () => {
    server = await startCodeServer({
      fixture: FIXTURE,
      vsix: VSIX,
      name: 'restricted',
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' },
    });
    browser = await launchBrowser();
    wb = new Workbench(await browser.newPage({ viewport: { width: 1440, height: 900 } }), 'restricted');
    await wb.open(server.url);
  });

  afterEach(() => wb?.screenshotEndOfTest());

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  void test('analysis runs in a workspace the user does not trust', async () => {
    const distrust = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ });
    await distrust.waitFor({ state: 'visible', timeout: 60_000 });
    await distrust.click();
    await wb.page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
    await wb.openFile('echo_server.py');
    await wb.waitForProblems('reuse-missing in echo_server.py', (all) => entriesFor(all, 'echo_server.py', 'reuse-missing').length > 0);
    await wb.screenshot('restricted-mode');
    assert.match(await wb.page.locator('.statusbar').innerText(), /Restricted Mode/);
  });
});
