// Commands of the Ports view: refresh, filters, stop (confirmed, start-time guarded, trusted
// workspaces only), copy address or PID, open in the browser, and reveal a port (from a CodeLens or a
// terminal link).
import { commands, env, Uri, window, workspace, type Disposable, type QuickPickItem, type TreeView } from 'vscode';
import { findProcess } from '../../ports/snapshot';
import { stopProcess } from '../../ports/processStop';
import type { PortActionTarget, PortsFilters, ViewNode } from '../../ports/view/portsTreeModel';
import { DEFAULT_FILTERS, findPortNode } from '../../ports/view/portsTreeModel';
import { stopConfirmation, stopVerdict } from '../../ports/view/stopPolicy';
import { log } from '../log';
import type { LiveRefresher } from './liveRefresher';
import type { PortsModel } from './portsModel';
import { PORTS_VIEW_ID } from './portsTreeProvider';

export const enum PortsCommandId {
  Refresh = 'bindwatch.ports.refresh',
  Filter = 'bindwatch.ports.filter',
  StopProcess = 'bindwatch.ports.stopProcess',
  CopyAddress = 'bindwatch.ports.copyAddress',
  CopyPid = 'bindwatch.ports.copyPid',
  OpenInBrowser = 'bindwatch.ports.openInBrowser',
  /** Takes `RevealPortArgs`; used by the CodeLens and the terminal links. */
  Reveal = 'bindwatch.ports.reveal',
}

export interface RevealPortArgs {
  port?: number;
  protocol?: 'tcp' | 'udp';
}

interface PortsCommandHost {
  model: PortsModel;
  refresher: LiveRefresher;
  view: TreeView<ViewNode>;
  stopTimeoutMs: () => number;
}

function targetOf(node: unknown): PortActionTarget | undefined {
  return typeof node === 'object' && node !== null && 'target' in node ? (node as ViewNode).target : undefined;
}

interface FilterItem extends QuickPickItem {
  key: keyof PortsFilters;
}

export function registerPortsCommands(host: PortsCommandHost): Disposable[] {
  const { model, refresher, view } = host;

  const reveal = async (args: RevealPortArgs | undefined): Promise<void> => {
    await commands.executeCommand(`${PORTS_VIEW_ID}.focus`);
    await model.freshSnapshot(1500);
    let port = args?.port;
    let protocol = args?.protocol;
    if (port === undefined) {
      // "Address already in use" without a port: ask which one, workspace ports first.
      const groups = (model.snapshot?.ports ?? []).filter((g) => g.listening);
      groups.sort((a, b) => Number(b.workspace) - Number(a.workspace) || a.port - b.port);
      const picked = await window.showQuickPick(
        groups.map((g) => ({
          label: `${g.port}`,
          description: `${g.protocol}${g.workspace ? ' · this workspace' : ''}`,
          detail: g.bindings.flatMap((b) => b.owners).filter((o) => o.listeningCount > 0).map((o) => (o.pid !== undefined ? `${o.name ?? 'process'} (pid ${o.pid})` : (o.user ?? `uid ${o.uid ?? '?'}`))).join(', '),
          group: g,
        })),
        { title: 'Which port is in use?', placeHolder: 'The message does not name the port: pick it to see who holds it', matchOnDescription: true, matchOnDetail: true },
      );
      if (picked === undefined) return;
      port = picked.group.port;
      protocol = picked.group.protocol;
    }
    let node = findPortNode(model.tree.roots, port, protocol);
    if (node === undefined && model.snapshot?.ports.some((g) => g.port === port && (protocol === undefined || g.protocol === protocol))) {
      const choice = await window.showInformationMessage(`Port ${port} is hidden by the Ports view filters.`, 'Show All Ports');
      if (choice !== 'Show All Ports') return;
      await model.setFilters({ ...DEFAULT_FILTERS, listeningOnly: model.filters.listeningOnly });
      node = findPortNode(model.tree.roots, port, protocol);
    }
    if (node === undefined) {
      void window.showInformationMessage(`No process holds ${protocol === 'udp' ? 'UDP ' : ''}port ${port} right now.`);
      return;
    }
    await view.reveal(node, { select: true, focus: true, expand: true });
  };

  const stop = async (node: unknown): Promise<void> => {
    let target = targetOf(node);
    if (target === undefined) {
      // From the Command Palette: pick one of the processes holding a listening port.
      const candidates: Array<QuickPickItem & { target: PortActionTarget }> = [];
      const seen = new Set<number>();
      const walk = (nodes: readonly ViewNode[]): void => {
        for (const n of nodes) {
          if (n.target?.pid !== undefined && !seen.has(n.target.pid) && n.contextValue.includes(';listening;')) {
            seen.add(n.target.pid);
            candidates.push({ label: `${n.target.name ?? 'process'} (pid ${n.target.pid})`, description: n.target.holds.join(', '), target: n.target });
          }
          walk(n.children);
        }
      };
      await model.freshSnapshot(1500);
      walk(model.tree.roots);
      const picked = await window.showQuickPick(candidates, { title: 'Stop the process holding a port', matchOnDescription: true });
      if (picked === undefined) return;
      target = picked.target;
    }
    const snapshot = model.snapshot;
    const process = target.pid !== undefined && snapshot !== undefined ? findProcess(snapshot, target.pid) : undefined;
    const uid = snapshot?.currentUid ?? (typeof globalThis.process.geteuid === 'function' ? globalThis.process.geteuid() : undefined);
    const context: Parameters<typeof stopVerdict>[1] = { trusted: workspace.isTrusted, protectedPids: model.protectedPids };
    if (uid !== undefined) context.currentUid = uid;
    if (process !== undefined) context.process = process;
    const verdict = stopVerdict(target, context);
    if (!verdict.allowed || process === undefined) {
      const message = verdict.allowed ? 'The process is no longer in the latest scan. Refresh the view.' : verdict.message;
      log.info(`Stop refused: ${message}`);
      void window.showWarningMessage(message);
      return;
    }
    const graceMs = host.stopTimeoutMs();
    const question = stopConfirmation(process, target.holds, Math.round(graceMs / 1000), snapshot?.platform);
    const answer = await window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Stop Process');
    if (answer !== 'Stop Process') return;
    log.info(`Stopping ${verdict.name} (pid ${verdict.pid}, start ${verdict.startToken}) on request.`);
    const result = await window.withProgress(
      { location: { viewId: PORTS_VIEW_ID }, title: `Stopping ${verdict.name} (pid ${verdict.pid})` },
      () => stopProcess({ pid: verdict.pid, startToken: verdict.startToken, name: verdict.name }, { graceMs }),
    );
    log.info(`Stop ${verdict.name} (pid ${verdict.pid}): ${result.outcome}: ${result.message}`);
    if (result.outcome === 'terminated' || result.outcome === 'killed' || result.outcome === 'already-exited') {
      void window.showInformationMessage(result.message);
    } else {
      void window.showWarningMessage(result.message);
    }
    await refresher.refreshNow();
  };

  return [
    commands.registerCommand(PortsCommandId.Refresh, () => refresher.refreshNow()),
    commands.registerCommand(PortsCommandId.Filter, async () => {
      const chosen = await chooseFilters(model.filters);
      if (chosen !== undefined) await model.setFilters(chosen);
    }),
    commands.registerCommand(PortsCommandId.StopProcess, stop),
    commands.registerCommand(PortsCommandId.CopyAddress, async (node: unknown) => {
      const target = targetOf(node);
      if (target === undefined) return;
      await env.clipboard.writeText(target.address);
      window.setStatusBarMessage(`Copied ${target.address}`, 3000);
    }),
    commands.registerCommand(PortsCommandId.CopyPid, async (node: unknown) => {
      const pid = targetOf(node)?.pid;
      if (pid === undefined) return;
      await env.clipboard.writeText(String(pid));
      window.setStatusBarMessage(`Copied pid ${pid}`, 3000);
    }),
    commands.registerCommand(PortsCommandId.OpenInBrowser, async (node: unknown) => {
      const url = targetOf(node)?.url;
      if (url === undefined) return;
      await env.openExternal(Uri.parse(url));
    }),
    commands.registerCommand(PortsCommandId.Reveal, (args?: RevealPortArgs) => reveal(args)),
  ];
}

/** The filter quick pick with the current filters checked. */
async function chooseFilters(current: PortsFilters): Promise<PortsFilters | undefined> {
  const items: FilterItem[] = [
    { key: 'workspaceOnly', label: 'Workspace only', description: 'only ports held by processes of this workspace', picked: current.workspaceOnly },
    { key: 'listeningOnly', label: 'Listening only', description: 'hide connections: TCP LISTEN and bound UDP only', picked: current.listeningOnly },
    { key: 'tcp', label: 'TCP', picked: current.tcp },
    { key: 'udp', label: 'UDP', picked: current.udp },
  ];
  const picked = await window.showQuickPick(items, { canPickMany: true, title: 'Bindwatch: Ports view filters', placeHolder: 'Checked filters apply' });
  if (picked === undefined) return undefined;
  const chosen = new Set(picked.map((p) => p.key));
  return { workspaceOnly: chosen.has('workspaceOnly'), listeningOnly: chosen.has('listeningOnly'), tcp: chosen.has('tcp'), udp: chosen.has('udp') };
}

