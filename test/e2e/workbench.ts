// Drives the VS Code workbench the way a person does — keyboard shortcuts, the Command Palette,
// Quick Open, the Problems panel, the light bulb and the hover — and reads back what is on screen.
// Every wait polls the UI for a state; nothing sleeps for a fixed time.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RESULTS_DIR } from './codeServer';

export const CHROMIUM = process.env.BINDWATCH_E2E_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails with `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export interface ProblemEntry {
  /** File name of the group the entry is in. */
  file: string;
  severity: 'Error' | 'Warning' | 'Info';
  message: string;
  /** Diagnostic source and code as the row shows them ("bindwatch", "reuse-missing"). */
  source: string;
  code: string;
  /** 1-based, as shown ("[Ln 7, Col 5]"). */
  line: number;
  column: number;
}

/** Reads one Problems row: a file header, a problem, or a related location under a problem. */
export function parseProblemRow(label: string, text: string): { file: string } | ProblemEntry | null {
  const header = /problems? in file (.+?) of folder/.exec(label);
  if (header) return { file: header[1] ?? '' };
  const marker = /^(Error|Warning|Info):/.exec(label);
  if (!marker) return null;
  const tail = /^(.*) (\S+) (\S+) \[Ln (\d+), Col (\d+)\]$/.exec(text);
  if (!tail) return null;
  return {
    file: '',
    severity: marker[1] as ProblemEntry['severity'],
    message: tail[1] ?? '',
    source: tail[2] ?? '',
    code: tail[3] ?? '',
    line: Number(tail[4]),
    column: Number(tail[5]),
  };
}

export class Workbench {
  private shot = 0;
  private endShot = 0;

  constructor(readonly page: Page, private readonly screenshotPrefix: string) {
    // The workbench's own warnings and errors, kept next to the screenshots for failure reports.
    mkdirSync(RESULTS_DIR, { recursive: true });
    const consoleLog = join(RESULTS_DIR, `${screenshotPrefix}-console.log`);
    writeFileSync(consoleLog, '');
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') appendFileSync(consoleLog, `[${message.type()}] ${message.text()}\n`);
    });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The status bar appears once the workbench has restored its parts.
    await this.page.waitForSelector('.statusbar', { timeout: 60_000 });
  }

  /** Saves a screenshot under test-results/e2e/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    this.shot++;
    const path = join(RESULTS_DIR, `${this.screenshotPrefix}-${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** What the window showed when a test ended: the first place to look when one fails. Never throws. */
  async screenshotEndOfTest(): Promise<void> {
    this.endShot++;
    const path = join(RESULTS_DIR, `${this.screenshotPrefix}-end-of-test-${this.endShot}.png`);
    await this.page.screenshot({ path }).catch(() => undefined);
  }

  /**
   * Runs a command from the Command Palette (Ctrl+Shift+P). The palette lists what is registered when
   * it opens, so right after start-up it is reopened until the command shows.
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    const listed = async (): Promise<boolean> =>
      (await this.page.locator('.quick-input-list .monaco-list-row').allTextContents()).some((l) => l.includes(title));
    try {
      await waitFor(`command "${title}" in the palette`, async () => {
        if (!(await input.isVisible())) {
          await this.page.keyboard.press('Control+Shift+P');
          // Something else may take the focus and close the palette meanwhile: then try again.
          const opened = await input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
          if (!opened || !(await input.fill(`>${title}`, { timeout: 2000 }).then(() => true, () => false))) return false;
        }
        const deadline = Date.now() + 3000;
        while (Date.now() < deadline) {
          if (await listed()) return true;
          await new Promise((r) => setTimeout(r, 150));
        }
        await this.page.keyboard.press('Escape');
        return false;
      });
    } catch (error) {
      await this.screenshot('failed-palette');
      throw error;
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor is active. */
  async openFile(name: string, beforeEnter?: () => void): Promise<void> {
    await this.page.keyboard.press('Control+p');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await waitFor(`${name} in Quick Open`, async () => {
      const rows = await this.page.locator('.quick-input-list .monaco-list-row').allTextContents();
      return rows.some((r) => r.includes(name));
    });
    beforeEnter?.();
    await this.page.keyboard.press('Enter');
    await waitFor(`${name} to be the active editor`, async () =>
      (await this.page.locator('.tabs-container .tab.active').first().getAttribute('aria-label'))?.startsWith(name));
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /** Reads the text of the active editor's model through the DOM of the visible lines. */
  async activeEditorText(): Promise<string> {
    return this.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and maximizes it so every entry is rendered. */
  async showProblems(): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
  }

  /** Entries of the Problems panel, each with its file. */
  async problems(): Promise<ProblemEntry[]> {
    await this.showProblems();
    const entries: ProblemEntry[] = [];
    let file = '';
    for (const row of await this.page.locator('.markers-panel .monaco-list-row').all()) {
      const label = (await row.getAttribute('aria-label')) ?? '';
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      const parsed = parseProblemRow(label, text);
      if (parsed === null) continue;
      if ('code' in parsed) entries.push({ ...parsed, file });
      else file = parsed.file;
    }
    return entries;
  }

  /** Waits until the Problems panel satisfies `accept`, returning the entries it showed. */
  async waitForProblems(what: string, accept: (entries: ProblemEntry[]) => boolean, timeoutMs = 60_000): Promise<ProblemEntry[]> {
    return waitFor(`Problems panel: ${what}`, async () => {
      const entries = await this.problems();
      return accept(entries) ? entries : undefined;
    }, timeoutMs);
  }

  /** Moves the cursor to a 1-based line and column with Go to Line (Ctrl+G). */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+g');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Opens the light bulb menu (Ctrl+.) at the cursor and returns the offered action titles. Presses
   * Ctrl+. again if the menu did not open (code actions come after the diagnostics arrive).
   */
  async openQuickFixMenu(): Promise<string[]> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    return waitFor('the quick fix menu', async () => {
      if ((await rows.count()) === 0) {
        await this.page.keyboard.press('Control+.');
        await rows.first().waitFor({ state: 'visible', timeout: 3000 }).catch(() => undefined);
      }
      const titles = (await rows.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      return titles.length > 0 ? titles : undefined;
    });
  }

  /** Picks an entry of the open quick fix menu by (partial) title, with the arrow keys and Enter. */
  async chooseQuickFix(title: string): Promise<void> {
    const focused = this.page.locator('.action-widget .monaco-list-row.action.focused');
    const count = await this.page.locator('.action-widget .monaco-list-row.action').count();
    for (let i = 0; i <= count; i++) {
      const label = (await focused.getAttribute('aria-label').catch(() => null)) ?? '';
      if (label.includes(title)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no quick fix titled "${title}" in the menu`);
  }

  /**
   * Waits for an edit to land (the active editor turns dirty, or `onDisk` reports the file changed,
   * since VS Code may save what a code action edits by itself) and saves it with Ctrl+S if needed.
   */
  async saveWhenEdited(onDisk: () => boolean): Promise<void> {
    const dirty = this.page.locator('.tabs-container .tab.active.dirty');
    const state = await waitFor('the edit to land', async () => ((await dirty.count()) > 0 ? 'dirty' : onDisk() ? 'saved' : undefined));
    if (state === 'saved') return;
    await this.page.keyboard.press('Control+s');
    await dirty.waitFor({ state: 'detached', timeout: 30_000 });
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text and links. */
  async hoverAtCursor(): Promise<{ text: string; links: string[] }> {
    await this.page.keyboard.press('Control+k');
    await this.page.keyboard.press('Control+i');
    return waitFor('the hover', async () => {
      const hover = this.page.locator('.monaco-hover .marker.hover-contents').filter({ visible: true }).first();
      if ((await hover.count()) === 0) return undefined;
      const text = (await hover.innerText()).trim();
      const links: string[] = [];
      for (const a of await hover.locator('a').all()) links.push((await a.getAttribute('data-href')) ?? (await a.getAttribute('href')) ?? '');
      return text ? { text, links } : undefined;
    });
  }

  /** Opens the language status hover (the "{}" next to the language mode) and returns its text. */
  async languageStatus(): Promise<string> {
    return waitFor('the Bindwatch language status', async () => {
      const hover = this.page.locator('.hover-language-status').filter({ visible: true });
      if ((await hover.count()) === 0) await this.page.locator('[id="status.languageStatus"]').click();
      const text = (await hover.allInnerTexts()).join('\n');
      return /Bindwatch: \d/.test(text) ? text : undefined;
    });
  }
}
