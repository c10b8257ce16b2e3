// `bindwatch ports [--json] [--listening] [--workspace DIR]...`: the live ports model in a terminal.
// Text output groups sockets by port, then bind address, then owner; ports held by the workspace come
// first with the reason they count as the workspace's; warnings sit under the port they concern.
// --json prints the full model (the same PortsSnapshot the tree view reads).
// Exit codes: 0 ok, 2 usage error or failed scan, with a one-line reason on stderr.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PortsCollector } from '../ports/collector';
import type { PortWarning } from '../ports/portWarnings';
import type { PortBinding, PortGroup, PortOwner, PortProcess, PortSocket, PortsSnapshot } from '../ports/snapshot';
import { listeningOnly } from '../ports/snapshot';

export interface PortsCommandOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface PortsCommandOptions {
  isTTY?: boolean;
  /** Replaces the live collector (tests). */
  collector?: Pick<PortsCollector, 'scan' | 'setWorkspace'>;
}

export const PORTS_USAGE = `Usage: bindwatch ports [--json] [--listening] [--workspace DIR]...

List the TCP and UDP ports held right now, who holds them (PID, user, command line) and what looks wrong
(one port shared by different users, IPv4/IPv6 splits, reuse-port groups, listeners on all interfaces).

Options:
  --json            print the full model as JSON
  --listening       only listening sockets (TCP LISTEN, bound UDP)
  --workspace DIR   treat DIR as a workspace folder: its ports are listed first, with the reason
                    (working directory or command line inside DIR); may be given more than once
  -h, --help        show this help
`;

interface ParsedArgs {
  json: boolean;
  listening: boolean;
  workspaces: string[];
  help: boolean;
}

class PortsUsageError extends Error {}

function parseArgs(args: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { json: false, listening: false, workspaces: [], help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--json') parsed.json = true;
    else if (arg === '--listening') parsed.listening = true;
    else if (arg === '-h' || arg === '--help') parsed.help = true;
    else if (arg === '--workspace' || arg.startsWith('--workspace=')) {
      const value = arg === '--workspace' ? args[++i] : arg.slice('--workspace='.length);
      if (value === undefined || value === '' || (arg === '--workspace' && value.startsWith('--'))) {
        throw new PortsUsageError('--workspace needs a directory');
      }
      parsed.workspaces.push(value);
    } else if (arg.startsWith('-')) {
      throw new PortsUsageError(`unknown option "${arg}" (expected --json, --listening, --workspace DIR)`);
    } else {
      throw new PortsUsageError(`unexpected argument "${arg}" (ports takes no paths; use --workspace DIR)`);
    }
  }
  return parsed;
}

function resolveWorkspace(dir: string): string {
  const absolute = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new PortsUsageError(`--workspace: no such directory "${dir}"`);
  }
  if (!stat.isDirectory()) throw new PortsUsageError(`--workspace: "${dir}" is not a directory`);
  // Process working directories come back with symlinks resolved; compare like with like.
  return fs.realpathSync.native(absolute);
}

export async function runPortsCommand(args: string[], out: PortsCommandOutput, opts: PortsCommandOptions = {}): Promise<number> {
  let parsed: ParsedArgs;
  let folders: string[];
  try {
    parsed = parseArgs(args);
    if (parsed.help) {
      out.stdout(PORTS_USAGE);
      return 0;
    }
    folders = parsed.workspaces.map(resolveWorkspace);
  } catch (error) {
    if (error instanceof PortsUsageError) {
      out.stderr(`bindwatch ports: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  // One scan: reading /proc in this thread beats starting worker threads for it.
  const collector = opts.collector ?? new PortsCollector({ workerThreads: false });
  collector.setWorkspace({ folders });
  let snapshot: PortsSnapshot;
  try {
    snapshot = await collector.scan();
  } finally {
    if (opts.collector === undefined && collector instanceof PortsCollector) await collector.dispose();
  }
  if (snapshot.error !== undefined) {
    out.stderr(`bindwatch ports: ${snapshot.error.message}\n`);
    return 2;
  }
  if (parsed.listening) snapshot = listeningOnly(snapshot);

  if (parsed.json) {
    out.stdout(`${JSON.stringify(snapshot, null, 2)}\n`);
    return 0;
  }
  const color = opts.isTTY === true && process.env.NO_COLOR === undefined;
  out.stdout(formatPortsText(snapshot, { color, truncate: opts.isTTY === true }));
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Text rendering

interface TextStyle {
  color: boolean;
  /** Shorten long command lines (terminals); pipes get them whole. */
  truncate: boolean;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };

function paint(style: TextStyle, code: keyof typeof ANSI, text: string): string {
  return style.color ? `${ANSI[code]}${text}${ANSI.reset}` : text;
}

function shorten(text: string, max: number, style: TextStyle): string {
  return style.truncate && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function addressLabel(binding: Pick<PortBinding, 'address' | 'family'>): string {
  return binding.family === 'ipv6' ? `[${binding.address}]` : binding.address;
}

function groupHeading(group: PortGroup, style: TextStyle): string {
  const kind = !group.listening ? '' : group.protocol === 'tcp' ? ' listening' : ' bound';
  return paint(style, 'bold', `${group.protocol} ${group.port}`) + paint(style, 'dim', kind);
}

function ownerText(owner: PortOwner, listening: boolean, processes: ReadonlyMap<number, PortProcess>, style: TextStyle): string {
  const n = listening ? owner.listeningCount : owner.socketCount;
  const count = n > 1 ? ` ×${n}` : '';
  if (owner.pid === undefined) {
    const who = owner.user !== undefined ? `${owner.user} (uid ${owner.uid ?? '?'})` : `uid ${owner.uid ?? '?'}`;
    return `${who}, process not visible${count}`;
  }
  const proc = processes.get(owner.pid);
  const user = owner.user ?? (owner.uid !== undefined ? `uid ${owner.uid}` : undefined);
  const command = proc !== undefined ? shorten(proc.commandLine, 100, style) : (owner.name ?? '');
  return [`pid ${owner.pid}`, user, command].filter((p) => p !== undefined && p !== '').join('  ') + count;
}

function warningLine(warning: PortWarning, style: TextStyle): string {
  const tag = warning.severity === 'error' ? paint(style, 'red', 'error') : warning.severity === 'warning' ? paint(style, 'yellow', 'warning') : paint(style, 'cyan', 'note');
  return `    ${tag}: ${warning.message}`;
}

function connectionText(socket: PortSocket): string {
  const peer = socket.remoteAddress !== undefined ? ` → ${socket.remoteAddress.includes(':') ? `[${socket.remoteAddress}]` : socket.remoteAddress}:${socket.remotePort ?? 0}` : '';
  return `${socket.state}${peer}`;
}

function renderGroup(
  group: PortGroup,
  snapshot: PortsSnapshot,
  processes: ReadonlyMap<number, PortProcess>,
  style: TextStyle,
  lines: string[],
  workspaceSection: boolean,
  explained: Set<number>,
): void {
  lines.push(`  ${groupHeading(group, style)}`);
  const width = Math.max(...group.bindings.map((b) => addressLabel(b).length), 9) + 2;
  for (const binding of group.bindings) {
    const sockets = binding.sockets.filter((s) => s.listening === binding.listening);
    const pad = ' '.repeat(width);
    // A listening binding lists who listens; connections on the port are summed up below it.
    const shownOwners = binding.listening ? binding.owners.filter((o) => o.listeningCount > 0) : binding.owners;
    const owners = shownOwners.length > 0 ? shownOwners : [{ socketCount: sockets.length, listeningCount: sockets.length, workspace: false } as PortOwner];
    owners.forEach((owner, index) => {
      const address = index === 0 ? addressLabel(binding).padEnd(width) : pad;
      const text = owner.pid === undefined && owner.uid === undefined ? `no owner${sockets.length > 1 ? ` ×${sockets.length}` : ''}` : ownerText(owner, binding.listening, processes, style);
      lines.push(`    ${address}${text}`);
      const proc = owner.pid !== undefined ? processes.get(owner.pid) : undefined;
      if (workspaceSection && proc?.workspace !== undefined && !explained.has(proc.pid)) {
        explained.add(proc.pid);
        lines.push(`    ${pad}${paint(style, 'dim', `workspace: ${proc.workspace.detail}`)}`);
      }
    });
    if (!binding.listening) {
      const states = binding.sockets.map(connectionText);
      const shown = states.slice(0, 3).join(', ');
      lines.push(`    ${pad}${paint(style, 'dim', states.length > 3 ? `${shown} and ${states.length - 3} more` : shown)}`);
    } else {
      const connections = group.bindings.flatMap((b) => b.sockets).filter((s) => !s.listening).length;
      if (connections > 0 && binding === group.bindings[0]) {
        lines.push(`    ${pad}${paint(style, 'dim', `${connections} connection${connections === 1 ? '' : 's'} on this port`)}`);
      }
    }
  }
  for (const warning of snapshot.warnings) {
    if (warning.protocol !== group.protocol || warning.port !== group.port) continue;
    if (warning.severity === 'info' && !workspaceSection && warning.kind === 'all-interfaces') continue;
    lines.push(warningLine(warning, style));
  }
}

/** Renders a snapshot for a person in a terminal. */
export function formatPortsText(snapshot: PortsSnapshot, style: TextStyle = { color: false, truncate: false }): string {
  const lines: string[] = [];
  const processes = new Map<number, PortProcess>();
  for (const p of snapshot.processes) processes.set(p.pid, p);

  const workspaceGroups = snapshot.ports.filter((g) => g.workspace);
  const otherListening = snapshot.ports.filter((g) => !g.workspace && g.listening);
  const connections = snapshot.ports.filter((g) => !g.workspace && !g.listening);
  const explained = new Set<number>();

  if (snapshot.workspaceFolders.length > 0) {
    lines.push(paint(style, 'bold', `Workspace: ${snapshot.workspaceFolders.join(', ')}`));
    if (workspaceGroups.length === 0) lines.push('  (no port is held by a process of this workspace)');
    for (const group of workspaceGroups) renderGroup(group, snapshot, processes, style, lines, true, explained);
    lines.push('');
  }
  if (otherListening.length > 0) {
    lines.push(paint(style, 'bold', snapshot.workspaceFolders.length > 0 ? 'Other listening ports' : 'Listening ports'));
    for (const group of otherListening) renderGroup(group, snapshot, processes, style, lines, false, explained);
    lines.push('');
  }
  if (connections.length > 0) {
    lines.push(paint(style, 'bold', 'Other sockets (connections, not listening)'));
    for (const group of connections) renderGroup(group, snapshot, processes, style, lines, false, explained);
    lines.push('');
  }
  if (snapshot.ports.length === 0) {
    lines.push('No TCP or UDP sockets are open.');
    lines.push('');
  }

  const listening = snapshot.ports.filter((g) => g.listening).length;
  const counted = snapshot.warnings.filter((w) => w.severity !== 'info');
  const errors = counted.filter((w) => w.severity === 'error').length;
  const summary = [
    `${listening} listening port${listening === 1 ? '' : 's'}`,
    snapshot.workspaceFolders.length > 0 ? `${workspaceGroups.length} held by the workspace` : undefined,
    `${counted.length} warning${counted.length === 1 ? '' : 's'}${errors > 0 ? ` (${errors} serious)` : ''}`,
    `scanned in ${snapshot.durationMs < 10 ? snapshot.durationMs.toFixed(1) : Math.round(snapshot.durationMs)} ms`,
  ].filter((s) => s !== undefined);
  lines.push(summary.join(' · '));
  for (const note of snapshot.notes) lines.push(paint(style, 'dim', `note: ${note}`));
  return `${lines.join('\n')}\n`;
}
