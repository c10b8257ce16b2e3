// The ports view's state: the latest snapshot from the collector, the workspace lines that bind the
// ports held (asked from the language server), the user's filters, and the tree built from them.
// One refresh at a time; listeners hear about a new tree only when what it shows changed.
import { realpathSync } from 'node:fs';
import { EventEmitter, workspace, type Disposable, type Event, type ExtensionContext } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { PortsCollector } from '../../ports/collector';
import type { PortsSnapshot } from '../../ports/snapshot';
import type { PortBindSite } from '../../ports/view/bindSites';
import type { PortsFilters, PortsTree, PortsTreeInput } from '../../ports/view/portsTreeModel';
import { DEFAULT_FILTERS, buildPortsTree, treeFingerprint, treeInputKey } from '../../ports/view/portsTreeModel';
import { PORT_BINDS_REQUEST, type PortBindsParams, type PortBindsResult } from '../../server/portBindsRequest';
import { log } from '../log';
import { ENV_MARKER_NAME, type TerminalTracker } from './terminalTracker';

const FILTERS_STATE_KEY = 'bindwatch.ports.filters';
/** The language server answers from memory; a slow answer (a restart) must not hold the view up. */
const SITES_TIMEOUT_MS = 3000;
/** Bind lines are asked for again at least this often while the view refreshes. */
const SITES_MAX_AGE_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/** Workspace folders as the OS names them (process working directories come back with symlinks resolved). */
function workspaceFolderPaths(): string[] {
  return (workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => {
      try {
        return realpathSync.native(f.uri.fsPath);
      } catch {
        return f.uri.fsPath;
      }
    });
}

export class PortsModel implements Disposable {
  readonly collector: PortsCollector;
  private snapshotValue: PortsSnapshot | undefined;
  private sitesValue: PortBindSite[] = [];
  private treeValue: PortsTree;
  private fingerprint = '';
  private inputKey = '';
  private sitesStale = true;
  private sitesHeldKey = '';
  private sitesFetchedAt = 0;
  private filtersValue: PortsFilters;
  private refreshing: Promise<boolean> | undefined;
  private readonly treeChanged = new EventEmitter<void>();
  private readonly scanned = new EventEmitter<PortsSnapshot>();
  private readonly subscriptions: Disposable[] = [];
  /** VS Code's own processes: the extension host and the process that started it. */
  readonly protectedPids: ReadonlySet<number> = new Set([process.pid, process.ppid]);
  /** The tree shows something new. */
  readonly onDidChangeTree: Event<void> = this.treeChanged.event;
  /** A scan finished (whether or not the tree changed). */
  readonly onDidScan: Event<PortsSnapshot> = this.scanned.event;

  constructor(
    private readonly context: ExtensionContext,
    private readonly client: LanguageClient,
    private readonly tracker: TerminalTracker,
  ) {
    this.collector = new PortsCollector();
    this.filtersValue = { ...DEFAULT_FILTERS, ...context.workspaceState.get<Partial<PortsFilters>>(FILTERS_STATE_KEY, {}) };
    this.treeValue = this.build();
    this.updateWorkspace();
    this.subscriptions.push(
      this.treeChanged,
      this.scanned,
      workspace.onDidChangeWorkspaceFolders(() => this.updateWorkspace()),
      workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'file' && e.contentChanges.length > 0) this.sitesStale = true;
      }),
      workspace.onDidCreateFiles(() => (this.sitesStale = true)),
      workspace.onDidDeleteFiles(() => (this.sitesStale = true)),
      workspace.onDidRenameFiles(() => (this.sitesStale = true)),
      client.onDidChangeState(() => (this.sitesStale = true)),
      tracker.onDidChange(() => this.updateWorkspace()),
    );
  }

  get snapshot(): PortsSnapshot | undefined {
    return this.snapshotValue;
  }

  get tree(): PortsTree {
    return this.treeValue;
  }

  get filters(): PortsFilters {
    return this.filtersValue;
  }

  get scanning(): boolean {
    return this.refreshing !== undefined;
  }

  async setFilters(filters: PortsFilters): Promise<void> {
    this.filtersValue = { ...filters };
    await this.context.workspaceState.update(FILTERS_STATE_KEY, this.filtersValue);
    this.rebuild();
  }

  private updateWorkspace(): void {
    this.collector.setWorkspace({
      folders: workspaceFolderPaths(),
      terminals: this.tracker.processes,
      envMarker: { name: ENV_MARKER_NAME, value: this.tracker.markerValue },
    });
  }

  private treeInput(): PortsTreeInput {
    const uid = this.snapshotValue?.currentUid ?? (typeof process.geteuid === 'function' ? process.geteuid() : undefined);
    const input: PortsTreeInput = {
      snapshot: this.snapshotValue,
      filters: this.filtersValue,
      sites: this.sitesValue,
      protectedPids: this.protectedPids,
    };
    if (uid !== undefined) input.currentUid = uid;
    return input;
  }

  private build(): PortsTree {
    return buildPortsTree(this.treeInput());
  }

  /** Rebuilds the tree from the data at hand; tells listeners if what it shows changed. */
  rebuild(): boolean {
    // Most refreshes of an idle view find the same ports: compare the inputs before building anything.
    const input = this.treeInput();
    const key = treeInputKey(input);
    if (key === this.inputKey) return false;
    this.inputKey = key;
    const tree = buildPortsTree(input);
    const fingerprint = treeFingerprint(tree);
    this.treeValue = tree;
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.treeChanged.fire();
    return true;
  }

  /** Scans (joining a scan under way), asks the server for bind lines, rebuilds; true if the view changed. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.runRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The latest snapshot if it is younger than `maxAgeMs`, else a new one. */
  async freshSnapshot(maxAgeMs: number): Promise<PortsSnapshot> {
    const current = this.snapshotValue;
    if (current !== undefined && Date.now() - current.takenAt < maxAgeMs && !this.scanning) return current;
    await this.refresh();
    return this.snapshotValue ?? (await this.collector.scan());
  }

  private async runRefresh(): Promise<boolean> {
    const snapshot = await this.collector.scan();
    if (snapshot.error !== undefined) log.warn(snapshot.error.message);
    this.snapshotValue = snapshot;
    // Bind lines change with the code, not with the ports: ask again when other ports are held, when
    // a file changed, or after a while (the server may have finished indexing, git may have run).
    const held = [...new Set(snapshot.ports.filter((g) => g.listening).map((g) => g.port))].sort((a, b) => a - b);
    const heldKey = held.join(',');
    if (this.sitesStale || heldKey !== this.sitesHeldKey || Date.now() - this.sitesFetchedAt > SITES_MAX_AGE_MS) {
      this.sitesStale = false;
      this.sitesHeldKey = heldKey;
      this.sitesFetchedAt = Date.now();
      this.sitesValue = await this.fetchSites({ ports: held }, this.sitesValue);
    }
    this.scanned.fire(snapshot);
    return this.rebuild();
  }

  /** Workspace lines that bind fixed ports, from the language server's index (nothing if it is not running). */
  async fetchSites(params: PortBindsParams, fallback: PortBindSite[] = []): Promise<PortBindSite[]> {
    if (this.client.state !== State.Running) return fallback;
    if (params.ports !== undefined && params.ports.length === 0) return [];
    const request = this.client.sendRequest<PortBindsResult>(PORT_BINDS_REQUEST, params).then((r) => r.sites);
    return withTimeout(request, SITES_TIMEOUT_MS, fallback);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.collector.dispose().catch((error: unknown) => log.warn(`Ending the ports worker threads: ${String(error)}`));
  }
}
