// The ports view as plain data: sections (this workspace first, then every other port), ports, their
// holders, warnings and the workspace lines that bind them, after the user's filters. Every string the
// view shows is decided here, so it is tested without VS Code; the extension maps nodes to TreeItems.

import type { PortWarning } from '../portWarnings';
import type { PortBinding, PortGroup, PortOwner, PortProcess, PortsSnapshot } from '../snapshot';
import { listeningOnly } from '../snapshot';
import type { PortBindSite } from './bindSites';
import { sitesForPort, sortSites } from './bindSites';
import {
  addressText,
  endpointText,
  escapeMarkdown,
  ownerText,
  portDescription,
  processTooltipLines,
  severityIcon,
  siteTexts,
  siteTooltip,
  warningTitle,
  warningTooltipLine,
} from './portsText';
import { stopVerdict } from './stopPolicy';

export interface PortsFilters {
  /** Only ports held by processes of this workspace. */
  workspaceOnly: boolean;
  /** Only listening sockets (TCP LISTEN, bound UDP); otherwise connections too. */
  listeningOnly: boolean;
  tcp: boolean;
  udp: boolean;
}

export const DEFAULT_FILTERS: Readonly<PortsFilters> = { workspaceOnly: false, listeningOnly: true, tcp: true, udp: true };

/** "workspace only · listening · TCP", or undefined when nothing is filtered beyond the default. */
export function filtersDescription(filters: PortsFilters): string | undefined {
  const parts: string[] = [];
  if (filters.workspaceOnly) parts.push('workspace only');
  if (!filters.listeningOnly) parts.push('with connections');
  if (filters.tcp && !filters.udp) parts.push('TCP');
  if (!filters.tcp && filters.udp) parts.push('UDP');
  if (!filters.tcp && !filters.udp) parts.push('no protocol');
  return parts.length === 0 ? undefined : parts.join(' · ');
}

export type NodeKind = 'section' | 'port' | 'holder' | 'warning' | 'site' | 'message';
export type NodeColor = 'error' | 'warning' | 'info' | 'workspace';

/** What the actions of a port or holder row act on. */
export interface PortActionTarget {
  protocol: 'tcp' | 'udp';
  port: number;
  /** "127.0.0.1:8080", "[::]:8080": Copy Address. */
  address: string;
  /** http://localhost:8080 for TCP listeners: Open in Browser. */
  url?: string;
  /** The one visible process behind the row, if there is exactly one. */
  pid?: number;
  uid?: number;
  user?: string;
  name?: string;
  /** Ports the process holds, for the confirmation ("tcp 127.0.0.1:8080"). */
  holds: string[];
}

export interface ViewNode {
  /** Stable across refreshes, unique in the tree. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /**
   * Markdown (with $(codicons)). Port and holder rows build theirs when hovered (VS Code's
   * resolveTreeItem): a thousand tooltips per scan would cost more than the scan.
   */
  tooltip?: string | (() => string);
  /** Changes when a lazy tooltip would say something else (part of the fingerprint). */
  tooltipKey?: string;
  icon: { id: string; color?: NodeColor };
  /** ';'-separated tokens with ';' at both ends, for `viewItem =~ /;pid;/` in menus. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  children: ViewNode[];
  /** Label colour and badge for rows that carry a warning. */
  decoration?: { severity: 'error' | 'warning'; badge: string; tooltip: string };
  target?: PortActionTarget;
  site?: PortBindSite;
  /** What a screen reader says. */
  accessibilityLabel: string;
}

export interface PortsTreeInput {
  snapshot: PortsSnapshot | undefined;
  filters: PortsFilters;
  /** Workspace lines binding fixed ports (from the language server). */
  sites: readonly PortBindSite[];
  /** Whether the inline Stop button may show (the trust check is the menu's `when` and the command's). */
  currentUid?: number;
  protectedPids: ReadonlySet<number>;
}

export type TreeState = 'loading' | 'empty' | 'filtered' | 'ok';

export interface PortsTree {
  roots: ViewNode[];
  state: TreeState;
  /** Port rows shown, and port groups the filters hid. */
  shown: number;
  hidden: number;
  workspacePorts: number;
  /** Worst warning among shown ports, for the view's badge. */
  problems: number;
}

const SECTION_WORKSPACE = 'section/workspace';
const SECTION_OTHER = 'section/other';

function tokens(...list: Array<string | false | undefined>): string {
  const kept = list.filter((t): t is string => typeof t === 'string' && t !== '');
  return `;${kept.join(';')};`;
}

function urlFor(group: PortGroup, binding: PortBinding | undefined): string | undefined {
  if (group.protocol !== 'tcp' || !group.listening || binding === undefined) return undefined;
  const host = binding.scope === 'specific' ? addressText(binding) : 'localhost';
  return `http://${host}:${group.port}`;
}

interface GroupView {
  group: PortGroup;
  /** Bindings shown (listening ones for a listening group). */
  bindings: PortBinding[];
  /** Distinct holders over those bindings. */
  holders: PortOwner[];
  warnings: PortWarning[];
  sites: PortBindSite[];
}

function holderKey(owner: PortOwner): string {
  return owner.pid !== undefined ? `p${owner.pid}` : `u${owner.uid ?? '?'}`;
}

function shownOwners(group: PortGroup, binding: PortBinding): PortOwner[] {
  return group.listening ? binding.owners.filter((o) => o.listeningCount > 0) : binding.owners;
}

function viewOfGroup(group: PortGroup, warningsOfPort: readonly PortWarning[], sites: readonly PortBindSite[], workspaceSection: boolean): GroupView {
  const bindings = group.listening ? group.bindings.filter((b) => b.listening) : group.bindings;
  const holders = new Map<string, PortOwner>();
  for (const binding of bindings) for (const owner of shownOwners(group, binding)) if (!holders.has(holderKey(owner))) holders.set(holderKey(owner), owner);
  const warnings = workspaceSection ? warningsOfPort.slice() : warningsOfPort.filter((w) => w.severity !== 'info');
  return { group, bindings, holders: [...holders.values()], warnings, sites: sortSites(sitesForPort(sites, group.protocol, group.port)) };
}

/** Every listening endpoint each process holds, as "tcp 127.0.0.1:8080", for the stop confirmation. */
function endpointsByPid(snapshot: PortsSnapshot): Map<number, string[]> {
  const result = new Map<number, string[]>();
  for (const group of snapshot.ports) {
    for (const binding of group.bindings) {
      if (!binding.listening) continue;
      for (const owner of binding.owners) {
        if (owner.pid === undefined || owner.listeningCount === 0) continue;
        const list = result.get(owner.pid);
        const endpoint = `${group.protocol} ${endpointText(binding, group.port)}`;
        if (list === undefined) result.set(owner.pid, [endpoint]);
        else if (!list.includes(endpoint)) list.push(endpoint);
      }
    }
  }
  return result;
}

function worstSeverity(warnings: readonly PortWarning[]): 'error' | 'warning' | undefined {
  if (warnings.some((w) => w.severity === 'error')) return 'error';
  if (warnings.some((w) => w.severity === 'warning')) return 'warning';
  return undefined;
}

class TreeBuilder {
  private readonly processes = new Map<number, PortProcess>();
  private readonly endpoints: Map<number, string[]>;
  private readonly stoppableByPid = new Map<number, boolean>();
  private readonly tooltipByPid = new Map<number, string[]>();

  constructor(
    private readonly snapshot: PortsSnapshot,
    private readonly input: PortsTreeInput,
  ) {
    for (const p of snapshot.processes) this.processes.set(p.pid, p);
    this.endpoints = endpointsByPid(snapshot);
  }

  /** What a process's tooltip lines depend on. */
  private processKey(owner: PortOwner): string {
    if (owner.pid === undefined) return `u${owner.uid ?? ''}`;
    const p = this.processes.get(owner.pid);
    return `${owner.pid}|${p?.commandLine ?? ''}|${p?.cwd ?? ''}|${p?.user ?? ''}|${p?.workspace?.evidence.map((e) => e.detail).join('|') ?? ''}`;
  }

  /** The process part of tooltips, once per process. */
  private processLines(owner: PortOwner): string[] {
    if (owner.pid === undefined) return processTooltipLines(owner, undefined);
    let lines = this.tooltipByPid.get(owner.pid);
    if (lines === undefined) {
      lines = processTooltipLines(owner, this.processes.get(owner.pid));
      this.tooltipByPid.set(owner.pid, lines);
    }
    return lines;
  }

  private stoppable(owner: PortOwner): boolean {
    if (owner.pid === undefined) return false;
    const known = this.stoppableByPid.get(owner.pid);
    if (known !== undefined) return known;
    const result = this.computeStoppable(owner);
    this.stoppableByPid.set(owner.pid, result);
    return result;
  }

  private computeStoppable(owner: PortOwner): boolean {
    if (owner.pid === undefined) return false;
    const context: Parameters<typeof stopVerdict>[1] = { trusted: true, protectedPids: this.input.protectedPids };
    if (this.input.currentUid !== undefined) context.currentUid = this.input.currentUid;
    const process = this.processes.get(owner.pid);
    if (process !== undefined) context.process = process;
    return stopVerdict({ pid: owner.pid, uid: owner.uid, user: owner.user, name: owner.name }, context).allowed;
  }

  private target(view: GroupView, binding: PortBinding | undefined, owner: PortOwner | undefined): PortActionTarget {
    const { group } = view;
    const first = binding ?? view.bindings[0];
    const target: PortActionTarget = {
      protocol: group.protocol,
      port: group.port,
      address: first !== undefined ? endpointText(first, group.port) : `:${group.port}`,
      holds: [],
    };
    const url = urlFor(group, first);
    if (url !== undefined) target.url = url;
    if (owner !== undefined) {
      if (owner.pid !== undefined) {
        target.pid = owner.pid;
        target.holds = this.endpoints.get(owner.pid)?.slice() ?? [];
      }
      if (owner.uid !== undefined) target.uid = owner.uid;
      if (owner.user !== undefined) target.user = owner.user;
      if (owner.name !== undefined) target.name = owner.name;
    }
    return target;
  }

  private ownerTokens(owner: PortOwner | undefined): Array<string | false> {
    if (owner === undefined) return [];
    return [owner.pid !== undefined && 'pid', owner.pid === undefined && 'hidden', this.stoppable(owner) && 'stoppable', owner.workspace && 'workspace'];
  }

  portNode(view: GroupView, sectionId: string, workspaceSection: boolean): ViewNode {
    const { group, bindings, holders, warnings, sites } = view;
    const id = `${sectionId}/${group.protocol}/${group.port}`;
    const single = holders.length === 1 ? holders[0] : undefined;
    const children: ViewNode[] = [];

    // Several holders (or one holder and a hidden one): a row per address and holder.
    if (holders.length > 1) {
      for (const binding of bindings) {
        for (const owner of shownOwners(group, binding)) children.push(this.holderNode(view, id, binding, owner));
      }
    }
    warnings.forEach((warning, index) => children.push(this.warningNode(warning, id, index)));
    for (const site of sites) children.push(this.siteNode(site, id));

    const severity = worstSeverity(warnings);
    const description = portDescription(group, bindings, holders);
    const tooltip = (): string => {
      const lines: string[] = [];
      const where = group.listening
        ? `${group.protocol === 'tcp' ? 'listening' : 'bound'} on ${bindings.map((b) => `\`${addressText(b)}\``).join(', ')}`
        : `${bindings.reduce((n, b) => n + b.sockets.length, 0)} connection(s), not listening`;
      lines.push(`**${group.protocol.toUpperCase()} port ${group.port}** · ${where}`);
      if (single !== undefined) lines.push(...this.processLines(single));
      else if (holders.length > 1) lines.push(`Held by ${holders.length} processes: ${holders.map((h) => escapeMarkdown(ownerText(h))).join('; ')}. Expand the port for each one.`);
      if (warnings.length > 0) lines.push('---', ...warnings.map(warningTooltipLine));
      if (sites.length > 0) {
        lines.push('---', `Bound in this workspace at ${sites.map((s) => `\`${s.path.slice(Math.max(s.path.lastIndexOf('/'), s.path.lastIndexOf('\\')) + 1)}:${s.line + 1}\``).join(', ')}.`);
      }
      return lines.join('\n\n');
    };

    const icon: ViewNode['icon'] =
      severity !== undefined
        ? { id: severity, color: severity }
        : { id: !group.listening ? 'plug' : group.protocol === 'udp' ? 'broadcast' : 'radio-tower', ...(group.workspace ? { color: 'workspace' as const } : {}) };
    const node: ViewNode = {
      id,
      kind: 'port',
      label: String(group.port),
      description,
      tooltip,
      tooltipKey: `${bindings.length}|${holders.map((h) => this.processKey(h)).join(';')}|${warnings.length}`,
      icon,
      contextValue: tokens('port', 'address', group.protocol, group.listening && 'listening', group.protocol === 'tcp' && group.listening && 'browsable', ...this.ownerTokens(single)),
      collapsible: children.length === 0 ? 'none' : workspaceSection ? 'expanded' : 'collapsed',
      children,
      target: this.target(view, undefined, single),
      accessibilityLabel: `Port ${group.port} ${group.protocol}, ${description}${group.workspace ? ', this workspace' : ''}${severity !== undefined ? `, ${warnings.length} ${severity === 'error' ? 'problem' : 'warning'}${warnings.length === 1 ? '' : 's'}` : ''}`,
    };
    if (severity !== undefined) {
      node.decoration = { severity, badge: '!', tooltip: warnings.filter((w) => w.severity !== 'info').map((w) => warningTitle(w)).join('; ') };
    }
    return node;
  }

  holderNode(view: GroupView, portId: string, binding: PortBinding, owner: PortOwner): ViewNode {
    const { group } = view;
    const endpoint = endpointText(binding, group.port);
    const count = group.listening ? owner.listeningCount : owner.socketCount;
    const description = `${ownerText(owner)}${count > 1 ? ` · ${count} sockets` : ''}`;
    const tooltip = (): string => [`**${escapeMarkdown(endpoint)}** (${group.protocol})`, ...this.processLines(owner)].join('\n\n');
    return {
      id: `${portId}/${binding.family}/${binding.address}/${holderKey(owner)}`,
      kind: 'holder',
      label: endpoint,
      description,
      tooltip,
      tooltipKey: this.processKey(owner),
      icon: { id: owner.pid === undefined ? 'lock' : 'server-process', ...(owner.workspace ? { color: 'workspace' as const } : {}) },
      contextValue: tokens('holder', 'address', group.protocol, group.listening && 'listening', group.protocol === 'tcp' && group.listening && 'browsable', ...this.ownerTokens(owner)),
      collapsible: 'none',
      children: [],
      target: this.target(view, binding, owner),
      accessibilityLabel: `${endpoint} ${group.protocol}, ${description}${owner.workspace ? ', this workspace' : ''}`,
    };
  }

  warningNode(warning: PortWarning, portId: string, index: number): ViewNode {
    const title = warningTitle(warning);
    const node: ViewNode = {
      id: `${portId}/warning/${index}/${warning.kind}`,
      kind: 'warning',
      label: title,
      description: warning.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(', '),
      tooltip: warningTooltipLine(warning),
      icon: { id: severityIcon(warning.severity), color: warning.severity },
      contextValue: tokens('warning', warning.kind, warning.severity),
      collapsible: 'none',
      children: [],
      accessibilityLabel: `${warning.severity}: ${warning.message}`,
    };
    if (warning.severity !== 'info') node.decoration = { severity: warning.severity, badge: '!', tooltip: title };
    return node;
  }

  siteNode(site: PortBindSite, portId: string): ViewNode {
    const { label, description } = siteTexts(site, this.snapshot.workspaceFolders);
    return {
      id: `${portId}/site/${site.path}:${site.line}:${site.character}`,
      kind: 'site',
      label,
      description,
      tooltip: siteTooltip(site, this.snapshot.workspaceFolders),
      icon: { id: 'go-to-file' },
      contextValue: tokens('site'),
      collapsible: 'none',
      children: [],
      site,
      accessibilityLabel: `Bound at ${label}${description !== '' ? `, ${description}` : ''}`,
    };
  }
}

function passesProtocol(group: PortGroup, filters: PortsFilters): boolean {
  return group.protocol === 'tcp' ? filters.tcp : filters.udp;
}

/** Builds the tree the view shows. */
export function buildPortsTree(input: PortsTreeInput): PortsTree {
  const raw = input.snapshot;
  if (raw === undefined) return { roots: [], state: 'loading', shown: 0, hidden: 0, workspacePorts: 0, problems: 0 };
  if (raw.ports.length === 0) return { roots: [], state: 'empty', shown: 0, hidden: 0, workspacePorts: 0, problems: 0 };
  const { filters } = input;
  const snapshot = filters.listeningOnly ? listeningOnly(raw) : raw;
  const builder = new TreeBuilder(snapshot, input);

  const workspaceGroups: PortGroup[] = [];
  const otherGroups: PortGroup[] = [];
  for (const group of snapshot.ports) {
    if (!passesProtocol(group, filters)) continue;
    if (group.workspace) workspaceGroups.push(group);
    else if (!filters.workspaceOnly) otherGroups.push(group);
  }
  const shownCount = workspaceGroups.length + otherGroups.length;
  const hidden = raw.ports.length - shownCount;
  if (!filters.tcp && !filters.udp) return { roots: [], state: 'filtered', shown: 0, hidden, workspacePorts: 0, problems: 0 };

  const warningsByPort = new Map<string, PortWarning[]>();
  for (const w of snapshot.warnings) {
    const key = `${w.protocol}/${w.port}`;
    const list = warningsByPort.get(key);
    if (list === undefined) warningsByPort.set(key, [w]);
    else list.push(w);
  }
  let problems = 0;
  const portNodes = (groups: readonly PortGroup[], sectionId: string, workspaceSection: boolean): ViewNode[] =>
    groups.map((group) => {
      const warnings = warningsByPort.get(`${group.protocol}/${group.port}`) ?? [];
      const node = builder.portNode(viewOfGroup(group, warnings, input.sites, workspaceSection), sectionId, workspaceSection);
      if (node.decoration !== undefined) problems++;
      return node;
    });

  const roots: ViewNode[] = [];
  const workspaceChildren = portNodes(workspaceGroups, SECTION_WORKSPACE, true);
  if (workspaceChildren.length === 0) {
    workspaceChildren.push({
      id: `${SECTION_WORKSPACE}/none`,
      kind: 'message',
      label: 'No port is held by this workspace',
      description: 'start a server in a terminal',
      tooltip:
        'A port shows here when the process holding it was started from a terminal or task of this window, carries the marker Bindwatch adds to its terminals, or runs in (or names) a workspace folder.',
      icon: { id: 'info' },
      contextValue: tokens('message'),
      collapsible: 'none',
      children: [],
      accessibilityLabel: 'No port is held by a process of this workspace',
    });
  }
  const folders = snapshot.workspaceFolders;
  roots.push({
    id: SECTION_WORKSPACE,
    kind: 'section',
    label: 'This Workspace',
    description: workspaceGroups.length === 0 ? undefined : `${workspaceGroups.length} port${workspaceGroups.length === 1 ? '' : 's'}`,
    tooltip: [
      '**Ports held by processes of this workspace**',
      'A process counts when it was started from a terminal or task of this window (remembered after the terminal closes), carries the environment marker Bindwatch adds to its terminals, works in a workspace folder, or names one on its command line.',
      folders.length > 0 ? `Folders: ${folders.map((f) => `\`${f}\``).join(', ')}` : 'No folder is open.',
    ].join('\n\n'),
    icon: { id: 'root-folder' },
    contextValue: tokens('section', 'workspace'),
    collapsible: 'expanded',
    children: workspaceChildren,
    accessibilityLabel: `This workspace, ${workspaceGroups.length} ports`,
  });
  if (otherGroups.length > 0) {
    roots.push({
      id: SECTION_OTHER,
      kind: 'section',
      label: filters.listeningOnly ? 'Other Listening Ports' : 'Other Ports',
      description: `${otherGroups.length}`,
      tooltip: 'Ports held by processes that are not attributed to this workspace.',
      icon: { id: 'server' },
      contextValue: tokens('section', 'other'),
      collapsible: 'expanded',
      children: portNodes(otherGroups, SECTION_OTHER, false),
      accessibilityLabel: `Other ports, ${otherGroups.length}`,
    });
  }
  // Limits of what the scan could see (hidepid, other users' processes): quiet rows at the end.
  snapshot.notes.forEach((note, index) => {
    const short = note.split(/:\s/)[0] ?? note;
    roots.push({
      id: `note/${index}`,
      kind: 'message',
      label: short,
      tooltip: escapeMarkdown(note),
      icon: { id: 'info' },
      contextValue: tokens('message', 'note'),
      collapsible: 'none',
      children: [],
      accessibilityLabel: note,
    });
  });
  return { roots, state: 'ok', shown: shownCount, hidden, workspacePorts: workspaceGroups.length, problems };
}

/** A node's tooltip text (building it if it is lazy). */
export function tooltipOf(node: Pick<ViewNode, 'tooltip'>): string | undefined {
  return typeof node.tooltip === 'function' ? node.tooltip() : node.tooltip;
}

/** Finds a node by id, and the chain of its ancestors (root first). */
export function findNode(roots: readonly ViewNode[], predicate: (node: ViewNode) => boolean): { node: ViewNode; path: ViewNode[] } | undefined {
  const walk = (nodes: readonly ViewNode[], path: ViewNode[]): { node: ViewNode; path: ViewNode[] } | undefined => {
    for (const node of nodes) {
      if (predicate(node)) return { node, path };
      const found = walk(node.children, [...path, node]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(roots, []);
}

/** The port row for a protocol and port (TCP first when the protocol is not known). */
export function findPortNode(roots: readonly ViewNode[], port: number, protocol?: 'tcp' | 'udp'): ViewNode | undefined {
  const protocols: Array<'tcp' | 'udp'> = protocol !== undefined ? [protocol] : ['tcp', 'udp'];
  for (const p of protocols) {
    const found = findNode(roots, (n) => n.kind === 'port' && n.target?.port === port && n.target.protocol === p);
    if (found !== undefined) return found.node;
  }
  return undefined;
}

/** A string that changes exactly when what the view shows changes (drives "refresh only on change"). */
export function treeFingerprint(tree: PortsTree): string {
  const parts: string[] = [tree.state];
  const walk = (nodes: readonly ViewNode[]): void => {
    for (const n of nodes) {
      parts.push(n.id, n.label, n.description ?? '', typeof n.tooltip === 'string' ? n.tooltip : (n.tooltipKey ?? ''), n.contextValue, n.icon.id, n.icon.color ?? '', n.collapsible, n.decoration?.severity ?? '', '(');
      walk(n.children);
      parts.push(')');
    }
  };
  walk(tree.roots);
  return parts.join('\u0000');
}

/** Two FNV-style 32-bit hashes over the text fed in: a cheap, allocation-light identity of the inputs. */
class InputHasher {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;

  add(value: string | number | boolean | undefined | null): void {
    const text = value === undefined ? '\u0001' : value === null ? '\u0002' : typeof value === 'string' ? value : String(value);
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 16777619);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0xff, 16777619);
    b = Math.imul(b ^ 0xff, 0x5bd1e995);
    this.a = a;
    this.b = b;
  }

  digest(): string {
    return `${(this.a >>> 0).toString(36)}.${(this.b >>> 0).toString(36)}`;
  }
}

/**
 * Identity of everything `buildPortsTree` reads, computed without building the tree: equal keys mean
 * an equal tree, so an idle refresh skips the build. With the listening filter on, connections (which
 * come and go all the time) do not take part.
 */
export function treeInputKey(input: PortsTreeInput): string {
  const h = new InputHasher();
  const { snapshot, filters } = input;
  h.add(`${filters.workspaceOnly}${filters.listeningOnly}${filters.tcp}${filters.udp}|${input.currentUid ?? ''}|${[...input.protectedPids].join(',')}`);
  if (snapshot === undefined) return `none.${h.digest()}`;
  const listening = filters.listeningOnly;
  const pids = new Set<number>();
  for (const group of snapshot.ports) {
    if (listening && !group.listening) continue;
    h.add(`${group.protocol}${group.port}${group.listening}${group.workspace}`);
    for (const binding of group.bindings) {
      if (listening && !binding.listening) continue;
      h.add(`${binding.family}${binding.address}`);
      if (!listening) h.add(binding.sockets.length);
      for (const owner of binding.owners) {
        if (listening && owner.listeningCount === 0) continue;
        if (owner.pid !== undefined) pids.add(owner.pid);
        h.add(`${owner.pid ?? ''}/${owner.uid ?? ''}/${owner.user ?? ''}/${owner.name ?? ''}/${owner.listeningCount}/${listening ? '' : owner.socketCount}/${owner.workspace}`);
      }
    }
  }
  for (const w of snapshot.warnings) h.add(`${w.kind}${w.severity}${w.protocol}${w.port}${w.message}`);
  for (const p of snapshot.processes) {
    if (!pids.has(p.pid)) continue;
    h.add(`${p.pid}/${p.name}/${p.uid ?? ''}/${p.user ?? ''}/${p.startToken ?? ''}/${p.startedAt ?? ''}/${p.cwd ?? ''}`);
    h.add(p.commandLine);
    if (p.workspace !== undefined) for (const e of p.workspace.evidence) h.add(e.detail);
  }
  for (const note of snapshot.notes) h.add(note);
  h.add(snapshot.workspaceFolders.join('\u0000'));
  for (const site of input.sites) h.add(`${site.path}:${site.line}:${site.character}:${site.endLine}:${site.endCharacter}:${site.port}:${site.protocol}:${site.host ?? ''}:${site.api}`);
  return h.digest();
}
