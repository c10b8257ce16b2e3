// Over a bind in the editor whose port is held right now: "port 8080 is held by node (pid 4242)",
// which reveals the holder in the Ports view. The binds come from the language server's index; the
// holders from the latest scan (a scan is made on demand when the view is closed and the data is old,
// so an open editor costs nothing between edits).
import { CodeLens, EventEmitter, Range, type CancellationToken, type CodeLensProvider, type Disposable, type Event, type TextDocument } from 'vscode';
import { holdingForSite, holdingLensTitle } from '../../ports/view/bindSites';
import { PortsCommandId, type RevealPortArgs } from './portsCommands';
import type { PortsModel } from './portsModel';

/** Older holders data than this is rescanned before lenses are shown. */
const MAX_SNAPSHOT_AGE_MS = 10_000;
/** The server analyzes an opened or edited file a moment after the editor asks for lenses. */
const ASK_AGAIN_AFTER_MS = 1200;

export class PortHoldingCodeLensProvider implements CodeLensProvider, Disposable {
  private readonly changed = new EventEmitter<void>();
  private readonly askedAgain = new Map<string, number>();
  private retryTimer: NodeJS.Timeout | undefined;
  readonly onDidChangeCodeLenses: Event<void> = this.changed.event;

  constructor(
    private readonly model: PortsModel,
    private readonly enabled: () => boolean,
  ) {}

  /** Holders or binds changed: the editor asks again. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: TextDocument, token: CancellationToken): Promise<CodeLens[]> {
    if (!this.enabled() || document.uri.scheme !== 'file') return [];
    const sites = await this.model.fetchSites({ uri: document.uri.toString() });
    if (sites.length === 0) {
      this.askAgainOnce(document);
      return [];
    }
    if (token.isCancellationRequested) return [];
    const snapshot = await this.model.freshSnapshot(MAX_SNAPSHOT_AGE_MS);
    if (token.isCancellationRequested) return [];
    const lenses: CodeLens[] = [];
    for (const site of sites) {
      const holding = holdingForSite(snapshot, site);
      if (holding === undefined) continue;
      const args: RevealPortArgs = { port: holding.port, protocol: holding.protocol };
      lenses.push(
        new CodeLens(new Range(site.line, site.character, site.endLine, site.endCharacter), {
          title: holdingLensTitle(holding),
          tooltip: 'Show it in the Bindwatch Ports view',
          command: PortsCommandId.Reveal,
          arguments: [args],
        }),
      );
    }
    return lenses;
  }

  /** A file opened or edited a moment ago may not be in the server's index yet: ask once more. */
  private askAgainOnce(document: TextDocument): void {
    const key = document.uri.toString();
    if (this.askedAgain.get(key) === document.version) return;
    this.askedAgain.set(key, document.version);
    if (this.askedAgain.size > 200) this.askedAgain.delete(this.askedAgain.keys().next().value ?? key);
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.changed.fire();
    }, ASK_AGAIN_AFTER_MS);
  }

  dispose(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.changed.dispose();
  }
}
