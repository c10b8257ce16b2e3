// Lines of workspace code that bind a fixed port (from the language server's workspace index), and
// how they meet the live ports: which sites bind a port that is held right now, and by whom.
// No `vscode` here: the extension renders what these functions return.

import type { PortGroup, PortOwner, PortsSnapshot } from '../snapshot';

/** One bind/listen call of workspace code with a port a reader can tell. */
export interface PortBindSite {
  /** file: URI of the source file. */
  uri: string;
  /** Absolute file-system path. */
  path: string;
  /** 0-based line and UTF-16 character of the start of the call, and of its end. */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  port: number;
  /** 'unknown' when the analyzer could not tell TCP from UDP. */
  protocol: 'tcp' | 'udp' | 'unknown';
  /** Host as written ("0.0.0.0", "localhost"), or null when none is given. */
  host: string | null;
  /** The API that made the socket ("socket.socket", "http.createServer"). */
  api: string;
}

/** Sites that bind `port` with a protocol that may be `protocol`. */
export function sitesForPort(sites: readonly PortBindSite[], protocol: 'tcp' | 'udp', port: number): PortBindSite[] {
  return sites.filter((s) => s.port === port && (s.protocol === protocol || s.protocol === 'unknown'));
}

/** Orders sites by path, then line, and drops duplicates (one call reported twice). */
export function sortSites(sites: readonly PortBindSite[]): PortBindSite[] {
  const seen = new Set<string>();
  const result: PortBindSite[] = [];
  for (const site of [...sites].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.character - b.character))) {
    const key = `${site.path}:${site.line}:${site.character}:${site.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(site);
  }
  return result;
}

/** Path relative to the workspace folder that holds it ('/'-separated), or the absolute path. */
export function relativeSitePath(path: string, folders: readonly string[]): string {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  let best: string | undefined;
  for (const folder of folders) {
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    if (path.startsWith(prefix) && (best === undefined || folder.length > best.length)) best = folder;
  }
  if (best === undefined) return path;
  const prefix = best.endsWith(sep) ? best : best + sep;
  return path.slice(prefix.length).split(sep).join('/');
}

/** "server.py:7" (1-based line, as editors show it). */
export function siteLabel(site: Pick<PortBindSite, 'path' | 'line'>): string {
  const name = site.path.slice(Math.max(site.path.lastIndexOf('/'), site.path.lastIndexOf('\\')) + 1);
  return `${name}:${site.line + 1}`;
}

/** Who holds a port right now, as the editor says it next to a bind of that port. */
export interface PortHolding {
  protocol: 'tcp' | 'udp';
  port: number;
  /** Listening holders, visible processes first. */
  holders: PortOwner[];
  /** Some holder belongs to this workspace. */
  workspace: boolean;
}

/**
 * The listening group(s) for a site's port. A site whose protocol is unknown matches TCP first, then UDP.
 */
export function holdingForSite(snapshot: PortsSnapshot, site: Pick<PortBindSite, 'port' | 'protocol'>): PortHolding | undefined {
  const protocols: Array<'tcp' | 'udp'> = site.protocol === 'unknown' ? ['tcp', 'udp'] : [site.protocol];
  for (const protocol of protocols) {
    const group = snapshot.ports.find((g) => g.protocol === protocol && g.port === site.port && g.listening);
    if (group === undefined) continue;
    const holders = listeningHolders(group);
    if (holders.length === 0) continue;
    return { protocol, port: site.port, holders, workspace: holders.some((h) => h.workspace) };
  }
  return undefined;
}

/** Distinct listening owners of a group (one per PID, or per UID for invisible processes). */
export function listeningHolders(group: PortGroup): PortOwner[] {
  const byKey = new Map<string, PortOwner>();
  for (const binding of group.bindings) {
    if (!binding.listening) continue;
    for (const owner of binding.owners) {
      if (owner.listeningCount === 0) continue;
      const key = owner.pid !== undefined ? `p${owner.pid}` : `u${owner.uid ?? '?'}`;
      if (!byKey.has(key)) byKey.set(key, owner);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.pid === undefined ? 1 : 0) - (b.pid === undefined ? 1 : 0) || (a.pid ?? 0) - (b.pid ?? 0));
}

/** "node (pid 4242)", or "a process of root" when only the owner's user is visible. */
export function holderText(owner: PortOwner): string {
  if (owner.pid !== undefined) return `${owner.name ?? 'process'} (pid ${owner.pid})`;
  const who = owner.user ?? (owner.uid !== undefined ? `uid ${owner.uid}` : 'another user');
  return `a process of ${who}`;
}

/** The CodeLens title over a bind: "port 8080 is held by node (pid 4242)". */
export function holdingLensTitle(holding: PortHolding): string {
  const [first, ...rest] = holding.holders;
  if (first === undefined) return `port ${holding.port} is free`;
  const who = rest.length === 0 ? holderText(first) : `${holderText(first)} and ${rest.length} more`;
  const proto = holding.protocol === 'udp' ? 'udp port' : 'port';
  const whose = first.workspace ? ' from this workspace' : '';
  return `${proto} ${holding.port} is held by ${who}${whose}`;
}
