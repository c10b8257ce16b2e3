// The live ports side of the extension: the Ports view in the Bindwatch side bar, its commands,
// terminal links, the "port is held" CodeLens, and terminal/task tracking for workspace attribution.
// Everything registered here is owned by the extension context and ends on deactivate.
import { languages, window, workspace, type Disposable, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PortsSnapshot } from '../../ports/snapshot';
import { filtersDescription } from '../../ports/view/portsTreeModel';
import { setContext } from './contextKeys';
import { AddressInUseLinkProvider } from './addressInUseLinks';
import { LiveRefresher } from './liveRefresher';
import { PortHoldingCodeLensProvider } from './portHoldingCodeLens';
import { registerPortsCommands } from './portsCommands';
import { PortsModel } from './portsModel';
import { affectsPortsSettings, readPortsSettings } from './portsSettings';
import { PORTS_VIEW_ID, PortsTreeProvider } from './portsTreeProvider';
import { TerminalTracker } from './terminalTracker';

/** Who holds which listening port, in a few characters: lenses change only when this does. */
function holdingKey(snapshot: PortsSnapshot): string {
  return snapshot.ports
    .filter((g) => g.listening)
    .map((g) => `${g.protocol}${g.port}:${g.bindings.flatMap((b) => b.owners.map((o) => o.pid ?? `u${o.uid ?? ''}`)).join(',')}${g.workspace ? 'w' : ''}`)
    .join(' ');
}

/** A failed scan shows above the tree (the rows are the last good data); limits of the scan are rows. */
function viewMessage(snapshot: PortsSnapshot | undefined): string | undefined {
  if (snapshot?.error === undefined) return undefined;
  return `${snapshot.error.message} (showing the ports of ${new Date(snapshot.takenAt).toLocaleTimeString()})`;
}

export function registerPortsView(context: ExtensionContext, client: LanguageClient): void {
  let settings = readPortsSettings();
  const tracker = new TerminalTracker(context);
  tracker.setMarkTerminals(settings.markTerminals);
  const model = new PortsModel(context, client, tracker);
  const provider = new PortsTreeProvider(model);
  const view = window.createTreeView(PORTS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const refresher = new LiveRefresher(model, settings.autoRefresh, settings.refreshIntervalMs);
  const lenses = new PortHoldingCodeLensProvider(model, () => settings.codeLens);

  const showState = (): void => {
    const tree = model.tree;
    void setContext('bindwatch.ports.state', tree.state);
    view.description = filtersDescription(model.filters);
    view.message = viewMessage(model.snapshot);
  };
  showState();

  let lastHolding = '';
  const subscriptions: Disposable[] = [
    tracker,
    model,
    provider,
    view,
    refresher,
    lenses,
    window.registerFileDecorationProvider(provider),
    model.onDidChangeTree(() => {
      provider.update();
      showState();
    }),
    model.onDidScan((snapshot) => {
      if (!view.visible) refresher.releaseSoon();
      view.message = viewMessage(snapshot);
      const key = holdingKey(snapshot);
      if (key !== lastHolding) {
        lastHolding = key;
        lenses.refresh();
      }
    }),
    view.onDidChangeVisibility((e) => refresher.setVisible(e.visible)),
    tracker.onDidSeeActivity(() => refresher.poke()),
    tracker.onDidChange(() => refresher.poke()),
    window.onDidChangeWindowState((state) => {
      if (state.focused) refresher.poke();
    }),
    workspace.onDidGrantWorkspaceTrust(() => model.rebuild()),
    workspace.onDidChangeConfiguration((event) => {
      if (!affectsPortsSettings(event)) return;
      settings = readPortsSettings();
      tracker.setMarkTerminals(settings.markTerminals);
      refresher.configure(settings.autoRefresh, settings.refreshIntervalMs);
      lenses.refresh();
    }),
    languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    window.registerTerminalLinkProvider(new AddressInUseLinkProvider(() => settings.terminalLinks)),
    ...registerPortsCommands({ model, refresher, view, stopTimeoutMs: () => settings.stopTimeoutMs }),
  ];
  context.subscriptions.push(...subscriptions);
  refresher.setVisible(view.visible);
}
