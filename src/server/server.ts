// Bindwatch language server: the engine behind LSP.
// Documents are linted as the user types (debounced, cancelled per document); a background index of
// the workspace lets cross-file rules see every bind of a port.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigFile, type AnalysisConfig } from '../analysis/config';
import { Analyzer } from '../analysis/engine';
import { LintService, type FolderSettings, type Progress } from './lintService';
import {
  ANALYZE_WORKSPACE_REQUEST,
  FIX_ALL_KIND,
  SETTINGS_SECTION,
  STATUS_NOTIFICATION,
  TIMINGS_REQUEST,
  type AnalyzeWorkspaceResult,
  type TimingsResult,
} from './protocol';
import { registerPortBindsRequest } from './portBindsRequest';
import { DebouncedRunner } from './scheduler';
import { normalizeSettings } from './settings';
import { uriToPath } from './uris';

export const CONFIG_FILE_NAME = '.bindwatch.json';
/** Wait after the last keystroke before analyzing; the analysis itself takes a few milliseconds. */
const TYPING_DEBOUNCE_MS = 150;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyzer = new Analyzer();
  let workspaceFolders: WorkspaceFolder[] = [];
  let canPullConfiguration = false;
  let canShowProgress = false;
  let canRegisterConfiguration = false;

  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    if (level === 'error') connection.console.error(message);
    else if (level === 'warn') connection.console.warn(message);
    else connection.console.info(message);
  };

  const service = new LintService(analyzer, {
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
    log,
    status: (params) => void connection.sendNotification(STATUS_NOTIFICATION, params),
    beginProgress: async (title): Promise<Progress> => {
      if (!canShowProgress) return { report: () => undefined, done: () => undefined };
      try {
        const progress = await connection.window.createWorkDoneProgress();
        progress.begin(title, 0, undefined, false);
        return {
          report: (done, total) => progress.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done}/${total} files`),
          done: () => progress.done(),
        };
      } catch {
        return { report: () => undefined, done: () => undefined };
      }
    },
  });

  const runner = new DebouncedRunner<string>(
    (path, token) => service.lintDocument(path, token),
    (path, error) => log('error', `Analyzing ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );

  async function readFolderConfig(root: string): Promise<Partial<AnalysisConfig>> {
    const file = join(root, CONFIG_FILE_NAME);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return {};
    }
    const parsed = parseConfigFile(text, file);
    for (const error of parsed.errors) log('warn', error);
    return parsed.config;
  }

  let configurationKey = '';

  /** Reads settings and `.bindwatch.json` of every folder; returns whether anything changed. */
  async function loadSettings(): Promise<boolean> {
    const folders: FolderSettings[] = [];
    const roots = workspaceFolders.map((f) => ({ root: uriToPath(f.uri), uri: f.uri })).filter((f): f is { root: string; uri: string } => f.root !== undefined);
    for (const { root, uri } of roots) {
      const raw: unknown = canPullConfiguration
        ? await connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        : undefined;
      folders.push({ root, settings: normalizeSettings(raw), fileConfig: await readFolderConfig(root) });
    }
    const key = JSON.stringify(folders);
    service.configure(folders);
    const changed = key !== configurationKey;
    configurationKey = key;
    return changed;
  }

  /** Starts a fresh index; one still running notices and gives up at its next batch. */
  function reindex(): Promise<AnalyzeWorkspaceResult | undefined> {
    return service.indexWorkspace().catch((error: unknown) => {
      log('error', `Indexing the workspace failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    });
  }

  /** Configuration work runs one at a time, in the order it was asked for. */
  let configuring: Promise<void> = Promise.resolve();
  function serially(task: () => Promise<void>): Promise<void> {
    configuring = configuring.then(task).catch((error: unknown) => {
      log('error', `Reloading the configuration failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
    return configuring;
  }

  /** Settings or .bindwatch.json changed: re-read them, re-lint open documents, rebuild the index. */
  function reconfigure(reason: string, force = false): Promise<void> {
    return serially(async () => {
      // VS Code also sends a change notification right after the server registers for one.
      if (!(await loadSettings()) && !force) return;
      log('info', `Reloading configuration (${reason}).`);
      service.publishAll();
      for (const document of documents.all()) {
        const path = uriToPath(document.uri);
        if (path) runner.schedule(path, 0);
      }
      void reindex();
    });
  }

  connection.onInitialize((params): InitializeResult => {
    workspaceFolders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canShowProgress = params.capabilities.window?.workDoneProgress === true;
    canRegisterConfiguration = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'bindwatch' },
    };
  });

  connection.onInitialized(() => {
    if (canRegisterConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      workspaceFolders = [
        ...workspaceFolders.filter((f) => !event.removed.some((r) => r.uri === f.uri)),
        ...event.added,
      ];
      void reconfigure('workspace folders changed', true);
    });
    void serially(async () => {
      await loadSettings();
      void reindex();
    });
  });

  connection.onDidChangeConfiguration(() => void reconfigure('settings changed'));

  documents.onDidOpen(({ document }) => {
    const path = uriToPath(document.uri);
    if (!path) return;
    service.didOpen(path, document);
    runner.schedule(path, 0);
  });
  documents.onDidChangeContent(({ document }) => {
    const path = uriToPath(document.uri);
    if (!path || !service.isOpen(path)) return;
    runner.schedule(path, TYPING_DEBOUNCE_MS);
  });
  documents.onDidClose(({ document }) => {
    const path = uriToPath(document.uri);
    if (!path) return;
    runner.cancel(path);
    service.didClose(path).catch((error: unknown) => log('error', `Closing ${path}: ${String(error)}`));
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    let configChanged = false;
    for (const change of changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (name === CONFIG_FILE_NAME || name === '.gitignore') {
        configChanged = true;
        continue;
      }
      if (change.type === FileChangeType.Deleted) service.fileDeleted(path);
      else service.refreshFromDisk(path).catch((error: unknown) => log('error', `Reading ${path}: ${String(error)}`));
    }
    if (configChanged) void reconfigure(`${CONFIG_FILE_NAME} or .gitignore changed`, true);
  });

  connection.onCodeAction(async (params) => {
    const path = uriToPath(params.textDocument.uri);
    if (!path) return [];
    try {
      return await service.codeActions(path, params);
    } catch (error) {
      log('error', `Code actions for ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return [];
    }
  });

  connection.onRequest(ANALYZE_WORKSPACE_REQUEST, async () => {
    await serially(async () => {
      await loadSettings();
    });
    return (await reindex()) ?? { files: 0, skipped: 0, findings: 0, ms: 0 };
  });

  connection.onRequest(TIMINGS_REQUEST, (): TimingsResult => ({
    relintMs: [...service.relintMs],
    indexMs: service.status().indexMs,
    rss: process.memoryUsage.rss(),
    peakRss: service.peakRss,
  }));

  registerPortBindsRequest(connection, () => service.workspaceIndex);

  connection.onShutdown(() => runner.cancelAll());

  documents.listen(connection);
  connection.listen();
}
