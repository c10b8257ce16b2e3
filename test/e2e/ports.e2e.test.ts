// The Ports view of the packaged extension in a real VS Code (code-server), used like a person does:
// a server started from the integrated terminal shows under "This Workspace" with the reason, the line
// that binds it opens from the view, a CodeLens over another bind of the port says who holds it, the
// EADDRINUSE that a second server prints in the terminal is a link to the holder, and Stop Process
// (after its confirmation) ends the server. Every wait polls what the UI shows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT, startCodeServer, type CodeServer } from './codeServer';
import { launchBrowser, waitFor, Workbench } from './workbench';

const VSIX = process.env.BINDWATCH_E2E_VSIX ?? join(ROOT, 'bindwatch-0.1.0.vsix');
const FIXTURE = join(ROOT, 'test', 'e2e', 'fixtures', 'ports-workspace');
/** The port server.py and app.js bind (fixed in the fixture so the analyzer sees it). */
const PORT = 47913;
const VIEW = '[id="workbench.view.extension.bindwatch"]';

interface TreeRow {
  label: string;
  description: string;
  level: number;
  selected: boolean;
  expanded: boolean | undefined;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Is `pid` a live (not zombie) process? */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Runs in the page: the screen box of the first occurrence of NEEDLE in the active terminal's rows. */
const TEXT_BOX_SCRIPT = `(() => {
  const needle = NEEDLE;
  const rows = document.querySelector('.terminal-wrapper.active .xterm-rows');
  if (!rows) return undefined;
  const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = (node.textContent || '').indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }
  return undefined;
})()`;

/** The little of a DOM element that reading a row needs (this project compiles without the DOM library). */
interface RowElement {
  querySelector(selector: string): { textContent: string | null } | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  classList: { contains(name: string): boolean };
}

/** Runs in the page over the tree's rows. */
function readRows(rows: RowElement[]): TreeRow[] {
  return rows.map((row) => ({
    label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
    description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
    level: Number(row.getAttribute('aria-level') ?? '0'),
    selected: row.classList.contains('selected'),
    expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
  }));
}

class PortsView {
  constructor(private readonly page: Page) {}

  /** Opens the Bindwatch side bar from its activity bar icon. */
  async open(): Promise<void> {
    const pane = this.page.locator(VIEW);
    if (await pane.isVisible()) return;
    await this.page.locator('.activitybar .action-item a[aria-label^="Bindwatch"]').click();
    await pane.waitFor({ state: 'visible' });
  }

  /** Drags the side bar's edge to `width` pixels, so rows are not cut short. */
  async widen(width: number): Promise<void> {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (box === null || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    await waitFor('the wider side bar', async () => ((await sidebar.boundingBox())?.width ?? 0) >= width - 10);
  }

  rowLocator(): Locator {
    return this.page.locator(`${VIEW} .monaco-list-row`);
  }

  /** The rows as they are on screen now, read in one go (the tree re-renders while it refreshes). */
  async rows(): Promise<TreeRow[]> {
    // The function itself goes to the page, so it must not use anything from this module.
    const rows: unknown = await this.rowLocator().evaluateAll(readRows);
    return rows as TreeRow[];
  }

  /** The row with this label, or undefined. */
  row(label: string): Locator {
    return this.rowLocator().filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  }

  /** Selects a section row and leaves it expanded (a click on a folder row also toggles it). */
  async selectSection(label: string): Promise<void> {
    const row = this.row(label);
    await row.click();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    await waitFor(`"${label}" selected and expanded`, async () =>
      (await row.getAttribute('aria-expanded')) === 'true' && ((await row.getAttribute('class')) ?? '').includes('selected'));
  }

  /** Waits until the rows satisfy `accept`. */
  async waitForRows(what: string, accept: (rows: TreeRow[]) => boolean, timeoutMs = 30_000): Promise<TreeRow[]> {
    let last: TreeRow[] = [];
    try {
      return await waitFor(`Ports view: ${what}`, async () => {
        last = await this.rows();
        return accept(last) ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      // CI prints only text: say what the view and the notifications showed instead.
      const shown = last.map((r) => `${'  '.repeat(r.level - 1)}${r.label} ${r.description}${r.selected ? ' [selected]' : ''}`).join('\n');
      const notices = (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => [])).join(' | ');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nThe view showed:\n${shown}\nNotifications: ${notices || 'none'}`);
    }
  }

  /** Hovers a row and returns the text of its tooltip. */
  async tooltip(label: string, expect: RegExp): Promise<string> {
    const row = this.row(label);
    return waitFor(`the tooltip of "${label}"`, async () => {
      await this.page.mouse.move(0, 0);
      // At the row's right end, so the tooltip opens beside the tree rather than over it.
      const box = await row.boundingBox();
      if (box === null) return undefined;
      await this.page.mouse.move(box.x + box.width - 70, box.y + box.height / 2, { steps: 3 });
      const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ visible: true }).first();
      await hover.waitFor({ state: 'visible', timeout: 4000 });
      const text = (await hover.innerText()).trim();
      return expect.test(text) ? text : undefined;
    });
  }
}

/** The text in the active terminal's rows. */
async function terminalText(page: Page): Promise<string> {
  return (await page.locator('.terminal-wrapper.active .xterm-rows').innerText().catch(() => '')).replace(/\u00a0/g, ' ');
}

/**
 * Types a command into the integrated terminal and runs it, as a user does: waits for a prompt, types,
 * and presses Enter only once the shell has echoed the whole line. On a loaded machine keystrokes typed
 * while the shell is still starting can be dropped; then the line is cleared and typed again.
 */
async function runInTerminal(page: Page, commandLine: string): Promise<void> {
  const terminal = page.locator('.terminal-wrapper.active .xterm');
  if (!(await terminal.isVisible())) await page.keyboard.press('Control+`');
  await terminal.waitFor({ state: 'visible' });
  await terminal.click();
  await waitFor('the terminal to take keyboard input', () => page.evaluate<boolean>("document.activeElement?.classList.contains('xterm-helper-textarea') === true"));
  await waitFor('a shell prompt', async () => /[$#] /.test(await terminalText(page)));
  await waitFor(`"${commandLine}" echoed by the shell`, async () => {
    await page.keyboard.press('Control+U');
    await page.keyboard.type(commandLine);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const lines = (await terminalText(page)).split('\n').filter((l) => l.trim() !== '');
      if (lines.at(-1)?.trimEnd().endsWith(commandLine) === true) return true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return undefined;
  }, 60_000);
  await page.keyboard.press('Enter');
}

/** Picks an entry of the open context menu with the arrow keys and Enter, as a keyboard user does. */
async function chooseFromContextMenu(page: Page, title: string): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible' });
  const entries = await menu.locator('.action-item:not(.disabled) .action-label').count();
  for (let i = 0; i <= entries; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = ((await menu.locator('.action-item.focused .action-label').first().textContent().catch(() => '')) ?? '').trim();
    if (focused === title) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    }
  }
  throw new Error(`no "${title}" in the context menu`);
}

/** Which section a port row is in: the closest level-1 row above it. */
function sectionOf(rows: readonly TreeRow[], label: string): string | undefined {
  const index = rows.findIndex((r) => r.label === label);
  for (let i = index; i >= 0; i--) if (rows[i]?.level === 1) return rows[i]?.label;
  return undefined;
}

void describe('Bindwatch Ports view in VS Code', { timeout: 10 * 60_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let view: PortsView;
  let serverPid = 0;

  before(async () => {
    assert.ok(await portIsFree(PORT), `port ${PORT} must be free for this test (something on this machine holds it)`);
    assert.ok(existsSync(VSIX), `no VSIX at ${VSIX}; run npm run package`);
    server = await startCodeServer({
      fixture: FIXTURE,
      vsix: VSIX,
      name: 'ports',
      settings: {
        // The DOM renderer, so terminal text is on the page and links can be pointed at.
        'terminal.integrated.gpuAcceleration': 'off',
        'terminal.integrated.defaultProfile.linux': 'bash',
        'terminal.integrated.enablePersistentSessions': false,
      },
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    wb = new Workbench(page, 'ports');
    view = new PortsView(page);
    await wb.open(server.url);
  });

  afterEach(() => wb?.screenshotEndOfTest());

  after(async () => {
    if (serverPid > 0 && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    await browser?.close();
    await server?.stop();
  });

  /** Focuses the integrated terminal (opening it the first time) and runs a command line in it. */
  void test('a server started from the integrated terminal shows under This Workspace, with the reason', async () => {
    await view.open();
    await view.widen(460);
    await view.waitForRows('the workspace section', (rows) => rows.some((r) => r.label === 'This Workspace'), 60_000);
    await runInTerminal(wb.page, 'python3 server.py &');
    const rows = await view.waitForRows(`port ${PORT} held by python3`, (all) =>
      all.some((r) => r.label === String(PORT) && /^tcp · 127\.0\.0\.1 · python3 · pid \d+$/.test(r.description)), 60_000);
    const row = rows.find((r) => r.label === String(PORT));
    assert.ok(row);
    assert.equal(sectionOf(rows, String(PORT)), 'This Workspace');
    serverPid = Number(/pid (\d+)/.exec(row.description)?.[1]);
    assert.match(readFileSync(`/proc/${serverPid}/cmdline`, 'utf8'), /server\.py/);

    const tip = await view.tooltip(String(PORT), /This workspace:/);
    await wb.screenshot('readme-ports-view');
    assert.match(tip, /TCP port 47913/);
    assert.match(tip, /python3 · pid \d+ · user \S+/);
    assert.match(tip, /Command: \S*python3 server\.py/);
    assert.match(tip, new RegExp(`Working directory: ${server.workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(tip, /This workspace: started from terminal "bash" \(pid \d+\) of this window/);
    await wb.page.mouse.move(0, 0);
  });

  void test('the port lists the line that binds it, and a click opens that line', async () => {
    const rows = await view.waitForRows('the bind line under the port', (all) => all.some((r) => r.label === 'server.py:9'));
    assert.equal(rows.find((r) => r.label === String(PORT))?.expanded, true);
    await view.row('server.py:9').click();
    await waitFor('server.py to be the active editor', async () =>
      (await wb.page.locator('.tabs-container .tab.active').first().getAttribute('aria-label'))?.startsWith('server.py'));
    await waitFor('the cursor on line 9', async () => /Ln 9, Col 1/.test(await wb.page.locator('.statusbar').innerText()));
  });

  void test('a CodeLens over another bind of the port names the holder and reveals it in the view', async () => {
    await wb.openFile('app.js');
    const lens = wb.page.locator('.codelens-decoration a', { hasText: `port ${PORT} is held by python3 (pid ${serverPid}) from this workspace` });
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('codelens');
    // Select something else first, so the reveal is visible as a change of selection.
    await view.selectSection('This Workspace');
    await lens.click();
    await view.waitForRows(`port ${PORT} selected`, (rows) => rows.some((r) => r.label === String(PORT) && r.selected));
  });

  void test('EADDRINUSE in the terminal is a link that reveals who holds the port', async () => {
    await view.selectSection('This Workspace');
    // Node prints a long stack: a maximized panel keeps its first line on screen.
    await wb.runCommand('View: Toggle Maximized Panel');
    await runInTerminal(wb.page, 'clear; node app.js');
    const page = wb.page;
    await waitFor('EADDRINUSE in the terminal', async () => /listen EADDRINUSE: address already in use 127\.0\.0\.1:47913/.test(await terminalText(page)), 30_000);
    // Where the message is on screen: a DOM range over the text in the terminal's rows.
    const box = await waitFor('the position of the message', () => page.evaluate<Box | undefined>(TEXT_BOX_SCRIPT.replace('NEEDLE', JSON.stringify('EADDRINUSE'))));
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    // xterm asks the link providers when the mouse rests on a line; the link's hover shows our tooltip.
    await waitFor('the link hover over the message', async () => {
      await page.mouse.move(x, y - 40);
      await page.mouse.move(x, y);
      const hover = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true }).filter({ hasText: `Show who holds port ${PORT}` });
      await hover.first().waitFor({ state: 'visible', timeout: 3000 });
      return true;
    });
    await wb.screenshot('terminal-link');
    await page.keyboard.down('Control');
    await page.mouse.click(x, y);
    await page.keyboard.up('Control');
    await view.waitForRows(`port ${PORT} revealed from the terminal link`, (rows) => rows.some((r) => r.label === String(PORT) && r.selected));
    await wb.runCommand('View: Toggle Maximized Panel');
  });

  void test('Stop Process asks first, then ends the server; the port leaves the view', async () => {
    assert.ok(alive(serverPid), 'the server still runs');
    const page = wb.page;
    await view.row(String(PORT)).click({ button: 'right' });
    await chooseFromContextMenu(page, 'Stop Process...');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    const text = await dialog.innerText();
    await wb.screenshot('stop-confirmation');
    assert.match(text, new RegExp(`Stop python3 \\(pid ${serverPid}\\)\\?`));
    assert.match(text, /It holds tcp 127\.0\.0\.1:47913\./);
    assert.match(text, /Bindwatch sends SIGTERM, and SIGKILL if it is still running after 5 s\./);
    await dialog.locator('.monaco-button', { hasText: 'Stop Process' }).click();
    await view.waitForRows(`port ${PORT} gone`, (rows) => !rows.some((r) => r.label === String(PORT)) && rows.some((r) => r.label === 'No port is held by this workspace'), 30_000);
    await waitFor('the server process to end', () => !alive(serverPid));
    // The CodeLens over app.js's bind stops naming the holder.
    await wb.page.locator('.codelens-decoration', { hasText: `port ${PORT} is held by` }).waitFor({ state: 'detached', timeout: 30_000 });
    await wb.screenshot('after-stop');
  });
});

void describe('Bindwatch Ports view in Restricted Mode', { timeout: 5 * 60_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  let wb: Workbench;
  let serverPid = 0;

  before(async () => {
    assert.ok(await portIsFree(PORT), `port ${PORT} must be free for this test`);
    server = await startCodeServer({
      fixture: FIXTURE,
      vsix: VSIX,
      name: 'ports-restricted',
      settings: {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'always',
        'terminal.integrated.gpuAcceleration': 'off',
        'terminal.integrated.defaultProfile.linux': 'bash',
        'terminal.integrated.enablePersistentSessions': false,
      },
    });
    browser = await launchBrowser();
    wb = new Workbench(await browser.newPage({ viewport: { width: 1440, height: 900 } }), 'ports-restricted');
    await wb.open(server.url);
  });

  afterEach(() => wb?.screenshotEndOfTest());

  after(async () => {
    if (serverPid > 0 && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    await browser?.close();
    await server?.stop();
  });

  void test('the view lists ports but offers no Stop Process in a workspace the user does not trust', async () => {
    const page = wb.page;
    const distrust = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust/ });
    await distrust.waitFor({ state: 'visible', timeout: 60_000 });
    await distrust.click();
    await page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
    const view = new PortsView(page);
    await view.open();
    await view.widen(460);
    // Once the view has rows the extension is active and its terminal environment is in place; a terminal
    // opened before that is relaunched by VS Code when the environment arrives, killing what it ran.
    await view.waitForRows('the workspace section', (rows) => rows.some((r) => r.label === 'This Workspace'), 60_000);
    await runInTerminal(page, 'python3 server.py &');
    const rows = await view.waitForRows(`port ${PORT} held by python3`, (all) => all.some((r) => r.label === String(PORT) && /python3 · pid \d+$/.test(r.description)), 60_000);
    serverPid = Number(/pid (\d+)/.exec(rows.find((r) => r.label === String(PORT))?.description ?? '')?.[1]);
    assert.equal(sectionOf(rows, String(PORT)), 'This Workspace');

    // Inline actions of the row: Open in Browser, no Stop.
    const row = view.row(String(PORT));
    await row.hover();
    const inline: string[] = [];
    for (const action of await row.locator('.actions .action-label').all()) inline.push((await action.getAttribute('aria-label')) ?? '');
    assert.ok(inline.some((l) => l.startsWith('Open in Browser')), `inline actions: ${inline.join(', ')}`);
    assert.ok(!inline.some((l) => l.startsWith('Stop Process')), `inline actions: ${inline.join(', ')}`);
    // The context menu has the copy actions but no Stop.
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ state: 'visible' });
    const entries = (await menu.locator('.action-item .action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    await wb.screenshot('restricted-menu');
    await page.keyboard.press('Escape');
    assert.ok(entries.includes('Copy PID') && entries.includes('Copy Address'), `menu: ${entries.join(', ')}`);
    assert.ok(!entries.some((e) => e.startsWith('Stop Process')), `menu: ${entries.join(', ')}`);
    // Nor is it in the Command Palette.
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Bindwatch: ');
    const commands = await waitFor('Bindwatch commands in the palette', async () => {
      const labels = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      return labels.some((l) => l.includes('Refresh Ports')) ? labels : undefined;
    });
    await page.keyboard.press('Escape');
    assert.ok(!commands.some((l) => l.includes('Stop Process')), commands.join(' | '));
    assert.ok(alive(serverPid));
  });
});
