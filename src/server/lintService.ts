// The server's core, free of the LSP connection so it can be tested directly: it keeps the workspace
// index current (open documents from the editor, everything else from disk), decides which files'
// diagnostics change after an edit, and answers code action requests.
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { CodeAction, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisConfig } from '../analysis/config';
import type { Analyzer } from '../analysis/engine';
import type { FileAnalysis } from '../analysis/fileAnalysis';
import { hasFacts } from '../analysis/fileAnalysis';
import { isSourceCandidate } from '../analysis/sourceFiles';
import type { Finding } from '../analysis/findings';
import { WorkspaceIndex } from '../analysis/workspaceIndex';
import { walkSourceFiles } from '../cli/fileWalker';
import { fixAllAction, kindRequested, quickFixes, type ActionInput } from './codeActions';
import { toDiagnostic } from './diagnostics';
import { FIX_ALL_KIND, type BindwatchSettings, type IndexState, type StatusParams } from './protocol';
import type { RunToken } from './scheduler';
import { DEFAULT_SETTINGS, effectiveConfig } from './settings';
import { pathToUri } from './uris';

export interface Progress {
  report(done: number, total: number): void;
  done(): void;
}

export interface ServiceHost {
  publish(uri: string, diagnostics: Diagnostic[]): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  status(params: StatusParams): void;
  /** Progress UI for a long task; may be a no-op. */
  beginProgress(title: string): Promise<Progress>;
}

export interface FolderSettings {
  root: string;
  settings: BindwatchSettings;
  /** `.bindwatch.json` of this folder, already parsed. */
  fileConfig: Partial<AnalysisConfig>;
}

interface Folder extends FolderSettings {
  config: AnalysisConfig;
  ignore: Ignore;
}

/** How many files to read before letting other requests (edits, code actions) in. */
const INDEX_BATCH = 32;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LintService {
  private index: WorkspaceIndex;
  private folders: Folder[] = [];
  /** Open documents by path. */
  private readonly open = new Map<string, TextDocument>();
  /** The analysis under way for an open document, by path. */
  private readonly inflight = new Map<string, { version: number; done: Promise<void> }>();
  /** Version of the open document that the index holds. */
  private readonly analyzedVersion = new Map<string, number>();
  /** Paths with diagnostics on screen, and how many. */
  private readonly published = new Map<string, number>();
  private readonly uris = new Map<string, string>();
  private indexGeneration = 0;
  private state: IndexState = 'starting';
  private filesAnalyzed = 0;
  private filesTotal: number | null = null;
  private filesSkipped = 0;
  private indexMs: number | null = null;
  /** Server-side time of the latest document re-lints, for the benchmarks. */
  readonly relintMs: number[] = [];
  peakRss = 0;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly host: ServiceHost,
  ) {
    this.index = new WorkspaceIndex(effectiveConfig(DEFAULT_SETTINGS));
  }

  // ── configuration ─────────────────────────────────────────────────────────

  /** Sets the folders and their settings; callers re-index or re-publish afterwards. */
  configure(folders: readonly FolderSettings[]): void {
    this.folders = [...folders]
      .sort((a, b) => b.root.length - a.root.length)
      .map((f) => {
        const config = effectiveConfig(f.settings, f.fileConfig);
        return { ...f, config, ignore: ignore().add(config.ignore) };
      });
    // One index for the whole workspace so ports shared across folders are seen; rule severities and
    // platforms come from the first folder (multi-root workspaces rarely disagree on them).
    this.index.setConfig(this.primaryConfig());
  }

  private primaryConfig(): AnalysisConfig {
    const first = this.folders[this.folders.length - 1];
    return first?.config ?? effectiveConfig(DEFAULT_SETTINGS);
  }

  private folderOf(path: string): Folder | undefined {
    return this.folders.find((f) => path === f.root || path.startsWith(f.root.endsWith(sep) ? f.root : f.root + sep));
  }

  private settingsOf(path: string): BindwatchSettings {
    return this.folderOf(path)?.settings ?? this.folders[this.folders.length - 1]?.settings ?? DEFAULT_SETTINGS;
  }

  get enabled(): boolean {
    return this.folders.length === 0 ? DEFAULT_SETTINGS.enable : this.folders.some((f) => f.settings.enable);
  }

  /** Excluded by `bindwatch.exclude` / `.bindwatch.json` ignore, or the folder's analysis is off. */
  isExcluded(path: string): boolean {
    const folder = this.folderOf(path);
    if (!folder) return !this.enabled;
    if (!folder.settings.enable) return true;
    const rel = relative(folder.root, path).split(sep).join('/');
    return rel !== '' && !rel.startsWith('..') && folder.ignore.ignores(rel);
  }

  private maxFileSizeOf(path: string): number {
    return this.folderOf(path)?.config.maxFileSize ?? this.primaryConfig().maxFileSize;
  }

  /** A file the engine reads: a language it knows, or program text for the lexical adapter (not docs or data). */
  handles(path: string): boolean {
    return isSourceCandidate(path) && this.analyzer.adapterFor(path) !== undefined;
  }

  // ── open documents ───────────────────────────────────────────────────────

  didOpen(path: string, document: TextDocument): void {
    this.open.set(path, document);
    this.uris.set(path, document.uri);
  }

  /** The document was closed: the index goes back to the file on disk. */
  async didClose(path: string): Promise<void> {
    this.open.delete(path);
    this.analyzedVersion.delete(path);
    if (this.isExcluded(path) || !this.handles(path)) {
      this.clear(path);
      return;
    }
    await this.refreshFromDisk(path);
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  /**
   * Analyzes an open document and republishes it and every file sharing a port with it. Callers asking
   * for the version already being analyzed (a code action request right after a keystroke, say)
   * share that analysis instead of starting another.
   */
  lintDocument(path: string, token?: RunToken): Promise<void> {
    const version = this.open.get(path)?.version;
    if (version === undefined) return Promise.resolve();
    const running = this.inflight.get(path);
    if (running && running.version === version) return running.done;
    const done = this.analyzeOpenDocument(path, token).finally(() => {
      if (this.inflight.get(path)?.done === done) this.inflight.delete(path);
    });
    this.inflight.set(path, { version, done });
    return done;
  }

  private async analyzeOpenDocument(path: string, token?: RunToken): Promise<void> {
    const document = this.open.get(path);
    if (!document) return;
    if (this.isExcluded(path) || !this.handles(path) || document.getText().length > this.maxFileSizeOf(path)) {
      this.forget(path);
      return;
    }
    const started = performance.now();
    const version = document.version;
    const analysis = await this.analyzer.analyze({ path, text: document.getText() });
    if (token?.cancelled || this.open.get(path)?.version !== version) return;
    if (analysis.error) this.host.log('warn', `Skipped ${path}: ${analysis.error}`);
    const affected = this.store(analysis);
    this.analyzedVersion.set(path, version);
    this.publish(path);
    for (const other of affected) this.publish(other);
    this.relintMs.push(performance.now() - started);
    if (this.relintMs.length > 1000) this.relintMs.splice(0, this.relintMs.length - 1000);
    this.sendStatus();
  }

  /** Puts an analysis in the index; returns the other files whose cross-file findings may change. */
  private store(analysis: FileAnalysis): string[] {
    const before = this.index.portKeys(analysis.path);
    this.index.set(analysis);
    return this.index.filesSharingPorts(analysis.path, before);
  }

  private forget(path: string): void {
    const before = this.index.portKeys(path);
    const affected = before.size > 0 ? this.index.filesSharingPorts(path, before) : [];
    this.index.delete(path);
    this.clear(path);
    for (const other of affected) this.publish(other);
  }

  // ── files on disk ────────────────────────────────────────────────────────

  /** A file changed or appeared on disk (and is not open in an editor). */
  async refreshFromDisk(path: string): Promise<void> {
    if (this.open.has(path)) return;
    if (this.isExcluded(path) || !this.handles(path)) {
      if (this.index.get(path)) this.forget(path);
      return;
    }
    const analysis = await this.readAndAnalyze(path);
    if (this.open.has(path)) return;
    if (!analysis) {
      this.forget(path);
      return;
    }
    const affected = this.store(analysis);
    this.publish(path);
    for (const other of affected) this.publish(other);
    this.sendStatus();
  }

  fileDeleted(path: string): void {
    if (this.open.has(path)) return;
    this.forget(path);
    this.sendStatus();
  }

  private async readAndAnalyze(path: string): Promise<FileAnalysis | null> {
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size > this.maxFileSizeOf(path)) return null;
      const text = await readFile(path, 'utf8');
      const analysis = await this.analyzer.analyze({ path, text });
      if (analysis.error) {
        this.host.log('warn', `Skipped ${path}: ${analysis.error}`);
        this.filesSkipped++;
      }
      return analysis;
    } catch (error) {
      this.host.log('warn', `Skipped ${path}: ${(error as Error).message}`);
      this.filesSkipped++;
      return null;
    }
  }

  // ── workspace index ──────────────────────────────────────────────────────

  /**
   * Rebuilds the index from disk for every folder (open documents keep their editor text), with
   * progress, then publishes every file's diagnostics. A newer call abandons an older one.
   */
  async indexWorkspace(): Promise<{ files: number; skipped: number; findings: number; ms: number }> {
    const generation = ++this.indexGeneration;
    const started = performance.now();
    this.state = 'indexing';
    this.filesAnalyzed = 0;
    this.filesTotal = null;
    this.filesSkipped = 0;
    this.sendStatus();
    const progress = await this.host.beginProgress('Bindwatch: indexing workspace');
    try {
      const paths: string[] = [];
      for (const folder of this.folders) {
        if (!folder.settings.enable) continue;
        const walk = walkSourceFiles([folder.root], { ignore: folder.config.ignore, maxFileSize: folder.config.maxFileSize });
        this.filesSkipped += walk.skippedTooLarge.length + walk.unreadable.length;
        for (const file of walk.files) if (this.handles(file.path)) paths.push(file.path);
      }
      this.filesTotal = paths.length;
      const fresh = new WorkspaceIndex(this.primaryConfig());
      for (let i = 0; i < paths.length; i++) {
        if (i % INDEX_BATCH === 0) {
          await yieldToEventLoop();
          if (generation !== this.indexGeneration) return this.indexSummary(started);
          progress.report(i, paths.length);
          this.trackMemory();
          if (i % (INDEX_BATCH * 8) === 0) this.sendStatus();
        }
        const path = paths[i] ?? '';
        if (this.open.has(path)) continue;
        const analysis = await this.readAndAnalyze(path);
        if (analysis && hasFacts(analysis)) fresh.set(analysis);
        this.filesAnalyzed = i + 1;
      }
      // Open documents: what the editor shows wins over the disk.
      for (const path of this.open.keys()) {
        const current = this.index.get(path);
        if (current && this.analyzedVersion.has(path)) fresh.set(current);
      }
      this.filesAnalyzed = paths.length;
      this.index = fresh;
      this.trackMemory();
      this.indexMs = performance.now() - started;
      this.state = 'ready';
      this.publishAll();
      this.host.log('info', `Indexed ${paths.length} files in ${Math.round(this.indexMs)} ms (${this.filesSkipped} skipped, ${this.index.size} with sockets).`);
      return this.indexSummary(started);
    } finally {
      progress.done();
      if (generation === this.indexGeneration) this.sendStatus();
    }
  }

  private indexSummary(started: number): { files: number; skipped: number; findings: number; ms: number } {
    return { files: this.filesAnalyzed, skipped: this.filesSkipped, findings: this.findingCount(), ms: Math.round(performance.now() - started) };
  }

  private trackMemory(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  /** The current workspace index (replaced by each full index), for read-only queries such as port binds. */
  get workspaceIndex(): WorkspaceIndex {
    return this.index;
  }

  // ── diagnostics ──────────────────────────────────────────────────────────

  findingsFor(path: string): Finding[] {
    return this.index.findingsFor(path);
  }

  diagnosticsFor(path: string): Diagnostic[] {
    const analysis = this.index.get(path);
    const lines = analysis?.lines;
    if (!lines) return [];
    return this.findingsFor(path).map((finding) =>
      toDiagnostic(finding, {
        lines,
        linesOf: (other) => this.index.get(other)?.lines,
        uriOf: (other) => this.uriOf(other),
      }),
    );
  }

  private uriOf(path: string): string {
    return this.uris.get(path) ?? pathToUri(path);
  }

  /** Publishes (or clears) one file's diagnostics, following the scope setting. */
  publish(path: string): void {
    const scope = this.settingsOf(path).diagnosticsScope;
    const visible = !this.isExcluded(path) && (scope === 'workspace' || this.open.has(path));
    let diagnostics: Diagnostic[] = [];
    try {
      if (visible) diagnostics = this.diagnosticsFor(path);
    } catch (error) {
      // A rule that trips over one file's facts must not stop the others from being published.
      this.host.log('error', `Checking ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    if (diagnostics.length === 0 && !this.published.has(path)) return;
    this.host.publish(this.uriOf(path), diagnostics);
    if (diagnostics.length === 0) this.published.delete(path);
    else this.published.set(path, diagnostics.length);
  }

  private clear(path: string): void {
    if (!this.published.has(path)) return;
    this.host.publish(this.uriOf(path), []);
    this.published.delete(path);
  }

  /** Republishes everything: after indexing or a settings change. */
  publishAll(): void {
    const paths = new Set([...this.index.paths(), ...this.published.keys(), ...this.open.keys()]);
    for (const path of paths) {
      if (this.index.get(path)) this.publish(path);
      else this.clear(path);
    }
    this.sendStatus();
  }

  findingCount(): number {
    let n = 0;
    for (const count of this.published.values()) n += count;
    return n;
  }

  status(): StatusParams {
    return {
      state: this.enabled ? this.state : 'disabled',
      filesAnalyzed: this.filesAnalyzed,
      filesTotal: this.filesTotal,
      filesSkipped: this.filesSkipped,
      findings: this.findingCount(),
      indexMs: this.indexMs === null ? null : Math.round(this.indexMs),
    };
  }

  private lastStatus = '';

  /** Tells the client only when something it shows changed (not on every keystroke). */
  private sendStatus(): void {
    const status = this.status();
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.host.status(status);
  }

  // ── code actions ─────────────────────────────────────────────────────────

  async codeActions(path: string, params: CodeActionParams): Promise<CodeAction[]> {
    const document = this.open.get(path);
    if (!document || this.isExcluded(path)) return [];
    // The diagnostics in the request may be older than the text: analyze the current text first.
    if (this.analyzedVersion.get(path) !== document.version) await this.lintDocument(path);
    const analysis = this.index.get(path);
    if (!analysis || this.analyzedVersion.get(path) !== document.version) return [];
    const input: ActionInput = { analyzer: this.analyzer, document, path, analysis, findings: this.findingsFor(path) };
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (kindRequested(only, 'quickfix')) actions.push(...quickFixes(input, params.context.diagnostics));
    if (only && only.length > 0 && kindRequested(only, FIX_ALL_KIND)) {
      const all = fixAllAction(input);
      this.host.log('info', `Fix all in ${path} (version ${document.version}): ${all?.edit?.changes?.[document.uri]?.length ?? 0} edits.`);
      if (all) actions.push(all);
    }
    return actions;
  }
}
