// Words of the ports view: labels, descriptions and markdown tooltips of ports, holders, warnings
// and bind sites. No `vscode` here; the extension shows these strings as they are.

import type { PortWarning } from '../portWarnings';
import type { PortBinding, PortGroup, PortOwner, PortProcess } from '../snapshot';
import type { PortBindSite } from './bindSites';
import { relativeSitePath, siteLabel } from './bindSites';

/** "127.0.0.1", "[::1]": an address as it is written before ":port". */
export function addressText(binding: Pick<PortBinding, 'address' | 'family'>): string {
  return binding.family === 'ipv6' ? `[${binding.address}]` : binding.address;
}

/** "127.0.0.1:8080", "[::]:8080". */
export function endpointText(binding: Pick<PortBinding, 'address' | 'family'>, port: number): string {
  return `${addressText(binding)}:${port}`;
}

/** "node · pid 4242", or "root · process not visible". */
export function ownerText(owner: PortOwner): string {
  if (owner.pid === undefined) {
    const user = owner.user ?? (owner.uid !== undefined ? `uid ${owner.uid}` : 'unknown user');
    return `${user} · process not visible`;
  }
  return `${owner.name ?? 'process'} · pid ${owner.pid}`;
}

/**
 * Escapes text inside a markdown paragraph (names, paths, messages): emphasis, code, links, HTML,
 * tables, strike-through, and `$(` which would otherwise become a codicon.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~$]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks in the text. */
export function markdownCode(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const WARNING_TITLES: Record<PortWarning['kind'], (w: PortWarning) => string> = {
  'different-users': () => 'Held by different users',
  'address-split': () => 'Split between different processes',
  'reuse-port-group': (w) => (w.protocol === 'tcp' ? 'Several listeners on one address (SO_REUSEPORT)' : 'Several sockets on one address'),
  'all-interfaces': () => 'Reachable from other machines',
};

/** Short label of a warning item. */
export function warningTitle(warning: PortWarning): string {
  return WARNING_TITLES[warning.kind](warning);
}

/** Codicon of a severity. */
export function severityIcon(severity: PortWarning['severity']): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'info';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a port row says after its number: protocol, address(es), holder(s). */
export function portDescription(group: PortGroup, bindings: readonly PortBinding[], holders: readonly PortOwner[]): string {
  const parts: string[] = [group.protocol];
  if (group.listening) {
    const addresses = bindings.map(addressText);
    parts.push(addresses.length <= 2 ? addresses.join(', ') : `${addresses.slice(0, 2).join(', ')} +${addresses.length - 2}`);
  } else {
    const connections = bindings.reduce((n, b) => n + b.sockets.length, 0);
    parts.push(plural(connections, 'connection'));
  }
  if (holders.length === 1 && holders[0] !== undefined) parts.push(ownerText(holders[0]));
  else if (holders.length === 2) parts.push(holders.map((h) => (h.pid !== undefined ? `${h.name ?? 'process'} (${h.pid})` : (h.user ?? `uid ${h.uid ?? '?'}`))).join(', '));
  else if (holders.length > 2) parts.push(plural(holders.length, 'process'));
  else parts.push('no owner');
  return parts.join(' · ');
}

// One formatter for every row: Date.prototype.toLocaleString builds a new one per call (slow with ICU).
let startFormat: Intl.DateTimeFormat | undefined;
function formatStart(ms: number): string {
  startFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return startFormat.format(ms);
}

/** The process part of a tooltip: name, PID, user, full command, cwd, why it counts as the workspace's. */
export function processTooltipLines(owner: PortOwner, process: PortProcess | undefined): string[] {
  const lines: string[] = [];
  if (owner.pid === undefined) {
    const user = owner.user ?? (owner.uid !== undefined ? `uid ${owner.uid}` : 'an unknown user');
    lines.push(`Held by a process of **${escapeMarkdown(user)}** that Bindwatch cannot see (another user's process; only root sees its PID).`);
    return lines;
  }
  const user = process?.user ?? owner.user ?? (owner.uid !== undefined ? `uid ${owner.uid}` : undefined);
  const head = [`**${escapeMarkdown(process?.name ?? owner.name ?? 'process')}**`, `pid ${owner.pid}`];
  if (user !== undefined) head.push(`user ${escapeMarkdown(user)}`);
  lines.push(head.join(' · '));
  if (process !== undefined) {
    lines.push(`Command: ${markdownCode(process.commandLine)}`);
    if (process.cwd !== undefined) lines.push(`Working directory: ${markdownCode(process.cwd)}`);
    if (process.startedAt !== undefined) lines.push(`Started: ${formatStart(process.startedAt)}`);
    const attribution = process.workspace;
    if (attribution !== undefined) {
      lines.push(`$(root-folder) **This workspace:** ${escapeMarkdown(attribution.detail)}.`);
      for (const extra of attribution.evidence.slice(1)) lines.push(`Also: ${escapeMarkdown(extra.detail)}.`);
    } else {
      lines.push('Not started from this workspace.');
    }
  }
  return lines;
}

export function warningTooltipLine(warning: PortWarning): string {
  return `$(${severityIcon(warning.severity)}) ${escapeMarkdown(warning.message)}`;
}

export function siteTooltip(site: PortBindSite, folders: readonly string[]): string {
  const where = relativeSitePath(site.path, folders);
  const host = site.host === null ? '' : ` on ${markdownCode(site.host)}`;
  const proto = site.protocol === 'unknown' ? '' : ` (${site.protocol})`;
  return [`${markdownCode(`${where}:${site.line + 1}`)} binds port ${site.port}${proto}${host} with ${markdownCode(site.api)}.`, 'Click to open the line.'].join('\n\n');
}

/** "server.py:7" and "src · socket.socket". */
export function siteTexts(site: PortBindSite, folders: readonly string[]): { label: string; description: string } {
  const rel = relativeSitePath(site.path, folders);
  const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
  return { label: siteLabel(site), description: [dir, site.api].filter((p) => p !== '').join(' · ') };
}
