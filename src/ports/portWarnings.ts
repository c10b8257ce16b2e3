// Warnings derived from the grouping of listening sockets. Only listeners count: a client connection's
// local port says nothing about who serves that port.
//   different-users   one port held by processes of different users. On the exact same address this is
//                     the hijack case (Linux UDP SO_REUSEADDR has no user check; Windows SO_REUSEADDR;
//                     BSD/macOS SO_REUSEPORT "last bind wins").
//   address-split     IPv4/IPv6 or loopback/any bindings of one port held by different processes, so a
//                     client asking for "localhost" may reach the other server.
//   reuse-port-group  several sockets on one exact address (SO_REUSEPORT group, or UDP SO_REUSEADDR).
//   all-interfaces    a listener on 0.0.0.0 or ::, reachable from other machines.

import type { PortsPlatform, SocketProtocol } from './collectedSockets';
import type { PortBinding, PortGroup, PortProcess, PortsSnapshot } from './snapshot';

export type PortWarningKind = 'different-users' | 'address-split' | 'reuse-port-group' | 'all-interfaces';
export type PortWarningSeverity = 'error' | 'warning' | 'info';

export interface PortWarning {
  kind: PortWarningKind;
  severity: PortWarningSeverity;
  protocol: SocketProtocol;
  port: number;
  /** One or two sentences for a person: what is held, by whom, and why it matters. */
  message: string;
  /** Bind addresses involved. */
  addresses: string[];
  /** Processes involved (visible ones). */
  pids: number[];
  /** Users involved (UIDs), for the different-users case. */
  uids: number[];
}

interface ListeningEntry {
  binding: PortBinding;
  /** PIDs holding the listening sockets here. */
  pids: number[];
  /** One key per distinct holder: "p<pid>" or, for invisible holders, "u<uid>". */
  holderKeys: Set<string>;
  /** UIDs of the listening sockets here. */
  uids: Set<number>;
  /** UIDs of listening sockets here that no visible process holds. */
  hiddenUids: Set<number>;
  socketCount: number;
}

function uidOfSocket(socketUid: number | undefined, pids: readonly number[], processes: ReadonlyMap<number, PortProcess>): number | undefined {
  if (socketUid !== undefined) return socketUid;
  for (const pid of pids) {
    const uid = processes.get(pid)?.uid;
    if (uid !== undefined) return uid;
  }
  return undefined;
}

function listeningEntries(group: PortGroup, processes: ReadonlyMap<number, PortProcess>): ListeningEntry[] {
  const entries: ListeningEntry[] = [];
  for (const binding of group.bindings) {
    if (!binding.listening) continue;
    const entry: ListeningEntry = { binding, pids: [], holderKeys: new Set(), uids: new Set(), hiddenUids: new Set(), socketCount: 0 };
    for (const socket of binding.sockets) {
      if (!socket.listening) continue;
      entry.socketCount++;
      for (const pid of socket.pids) {
        if (!entry.pids.includes(pid)) entry.pids.push(pid);
        entry.holderKeys.add(`p${pid}`);
      }
      // The socket's UID is who created it, which is what the kernel's sharing checks compare; one
      // socket inherited by processes of several users (a root master with unprivileged workers) is
      // still one user's socket.
      const uid = uidOfSocket(socket.uid, socket.pids, processes);
      if (socket.pids.length === 0) {
        entry.holderKeys.add(`u${uid ?? '?'}`);
        if (uid !== undefined) entry.hiddenUids.add(uid);
      }
      if (uid !== undefined) entry.uids.add(uid);
    }
    entries.push(entry);
  }
  return entries;
}

function userLabel(uid: number, snapshot: PortsSnapshot, processes: ReadonlyMap<number, PortProcess>): string {
  for (const p of processes.values()) if (p.uid === uid && p.user !== undefined) return p.user;
  for (const g of snapshot.ports) for (const b of g.bindings) for (const o of b.owners) if (o.uid === uid && o.user !== undefined) return o.user;
  return `uid ${uid}`;
}

function holdersLabel(entry: ListeningEntry, processes: ReadonlyMap<number, PortProcess>, snapshot: PortsSnapshot): string {
  const parts: string[] = [];
  for (const pid of entry.pids) {
    const p = processes.get(pid);
    parts.push(p !== undefined ? `${p.name} (pid ${pid})` : `pid ${pid}`);
  }
  for (const uid of entry.hiddenUids) parts.push(`a process of ${userLabel(uid, snapshot, processes)} Bindwatch cannot see`);
  if (parts.length === 0) parts.push('an unknown process');
  return parts.length <= 3 ? parts.join(', ') : `${parts.slice(0, 3).join(', ')} and ${parts.length - 3} more`;
}

function bracket(address: string, family: string): string {
  return family === 'ipv6' ? `[${address}]` : address;
}

function hijackExplanation(protocol: SocketProtocol, platform: PortsPlatform): string {
  if (platform === 'linux') {
    return protocol === 'udp'
      ? 'On Linux, SO_REUSEADDR on UDP does not check the user, so one user can receive datagrams meant for the other (port hijack).'
      : 'Linux lets only sockets of one user share a listening address, so this is unexpected; check which one clients reach.';
  }
  if (platform === 'win32') {
    return 'On Windows, SO_REUSEADDR lets another program take over a port unless the first one used SO_EXCLUSIVEADDRUSE (port hijack).';
  }
  return 'On macOS, SO_REUSEPORT lets a second program take over a bound address: the last one bound receives the traffic (port hijack).';
}

function disjoint(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const k of a) if (b.has(k)) return false;
  return true;
}

/** Do these processes belong to one program (one process, or parent and children / siblings)? */
function oneProgram(pids: readonly number[], processes: ReadonlyMap<number, PortProcess>): boolean {
  if (pids.length <= 1) return true;
  const names = new Set(pids.map((pid) => processes.get(pid)?.name));
  if (names.size > 1) return false;
  const set = new Set(pids);
  const roots = new Set<number>();
  for (const pid of pids) {
    const ppid = processes.get(pid)?.ppid;
    if (ppid === undefined) return false;
    roots.add(set.has(ppid) ? ppid : -ppid);
  }
  // Either all share one parent outside the set, or they hang off members of the set (pre-fork).
  const outside = [...roots].filter((r) => r < 0);
  return outside.length <= 1;
}

export function derivePortWarnings(snapshot: PortsSnapshot): PortWarning[] {
  const processes = new Map<number, PortProcess>();
  for (const p of snapshot.processes) processes.set(p.pid, p);
  const warnings: PortWarning[] = [];

  for (const group of snapshot.ports) {
    if (!group.listening) continue;
    const only = group.bindings.length === 1 ? group.bindings[0] : undefined;
    if (only !== undefined && only.sockets.length === 1) {
      // The common case, one socket on the port: only its reach can be worth a word.
      if (only.scope === 'any') {
        const socket = only.sockets[0];
        const uid = uidOfSocket(socket?.uid, socket?.pids ?? [], processes);
        warnings.push({
          kind: 'all-interfaces',
          severity: 'info',
          protocol: group.protocol,
          port: group.port,
          message: `${group.protocol} ${group.port} listens on all interfaces (${bracket(only.address, only.family)}): other machines on the network can reach it.`,
          addresses: [only.address],
          pids: socket?.pids.slice() ?? [],
          uids: uid === undefined ? [] : [uid],
        });
      }
      continue;
    }
    const entries = listeningEntries(group, processes);
    const label = `${group.protocol} ${group.port}`;
    const allPids = [...new Set(entries.flatMap((e) => e.pids))];

    // Different users on one port.
    const allUids = new Set<number>();
    for (const e of entries) for (const uid of e.uids) allUids.add(uid);
    if (allUids.size >= 2) {
      const shared = entries.filter((e) => e.uids.size >= 2);
      const uids = [...allUids].sort((a, b) => a - b);
      if (shared.length > 0) {
        for (const e of shared) {
          const names = [...e.uids].sort((a, b) => a - b).map((u) => userLabel(u, snapshot, processes));
          warnings.push({
            kind: 'different-users',
            severity: 'error',
            protocol: group.protocol,
            port: group.port,
            message: `${label} on ${bracket(e.binding.address, e.binding.family)} is shared by processes of different users (${names.join(', ')}): ${holdersLabel(e, processes, snapshot)}. ${hijackExplanation(group.protocol, snapshot.platform)}`,
            addresses: [e.binding.address],
            pids: e.pids.slice(),
            uids: [...e.uids].sort((a, b) => a - b),
          });
        }
      } else {
        const parts = entries.map(
          (e) => `${[...e.uids].map((u) => userLabel(u, snapshot, processes)).join('/')} on ${bracket(e.binding.address, e.binding.family)}`,
        );
        warnings.push({
          kind: 'different-users',
          severity: 'warning',
          protocol: group.protocol,
          port: group.port,
          message: `${label} is held by processes of different users (${parts.join(', ')}); a client of this port may reach the other user's server.`,
          addresses: entries.map((e) => e.binding.address),
          pids: allPids,
          uids,
        });
      }
    }

    // IPv4/IPv6 and loopback/any splits between different processes.
    const local = entries.filter((e) => e.binding.scope !== 'specific');
    const splitPairs: Array<[ListeningEntry, ListeningEntry]> = [];
    for (let i = 0; i < local.length; i++) {
      for (let j = i + 1; j < local.length; j++) {
        const a = local[i];
        const b = local[j];
        if (a === undefined || b === undefined) continue;
        if (a.binding.family === b.binding.family && a.binding.scope === b.binding.scope) continue;
        if (disjoint(a.holderKeys, b.holderKeys)) splitPairs.push([a, b]);
      }
    }
    if (splitPairs.length > 0) {
      const involved = [...new Set(splitPairs.flat())];
      const parts = involved.map((e) => `${bracket(e.binding.address, e.binding.family)} by ${holdersLabel(e, processes, snapshot)}`);
      const familySplit = splitPairs.some(([a, b]) => a.binding.family !== b.binding.family);
      const why = familySplit
        ? 'a client connecting to "localhost" may reach the other server, depending on whether it resolves to IPv4 or IPv6'
        : 'clients on this machine reach the loopback listener while other machines reach the all-interfaces one';
      warnings.push({
        kind: 'address-split',
        severity: 'warning',
        protocol: group.protocol,
        port: group.port,
        message: `${label} is split between different processes: ${parts.join('; ')}. ${why[0]?.toUpperCase() ?? ''}${why.slice(1)}.`,
        addresses: involved.map((e) => e.binding.address),
        pids: [...new Set(involved.flatMap((e) => e.pids))],
        uids: [...new Set(involved.flatMap((e) => [...e.uids]))].sort((a, b) => a - b),
      });
    }

    // Several sockets on one exact address.
    for (const e of entries) {
      if (e.socketCount < 2) continue;
      const where = `${label} on ${bracket(e.binding.address, e.binding.family)}`;
      const separate = !oneProgram(e.pids, processes) || (e.hiddenUids.size > 0 && e.pids.length > 0) || e.hiddenUids.size > 1;
      const how =
        group.protocol === 'tcp'
          ? 'the kernel spreads new connections across them'
          : 'multicast and broadcast datagrams reach all of them, unicast ones reach one (balanced with SO_REUSEPORT, the last bound with only SO_REUSEADDR)';
      const kind = group.protocol === 'tcp' ? 'an SO_REUSEPORT group' : 'SO_REUSEPORT or SO_REUSEADDR';
      const tail = separate ? ' They belong to separate programs: an old server may still be answering part of the traffic.' : '';
      warnings.push({
        kind: 'reuse-port-group',
        severity: separate ? 'warning' : 'info',
        protocol: group.protocol,
        port: group.port,
        message: `${where}: ${e.socketCount} sockets share this exact address (${kind}); ${how}. Held by ${holdersLabel(e, processes, snapshot)}.${tail}`,
        addresses: [e.binding.address],
        pids: e.pids.slice(),
        uids: [...e.uids].sort((a, b) => a - b),
      });
    }

    // Listeners on every interface.
    const anyEntries = entries.filter((e) => e.binding.scope === 'any');
    if (anyEntries.length > 0) {
      const addrs = anyEntries.map((e) => bracket(e.binding.address, e.binding.family));
      warnings.push({
        kind: 'all-interfaces',
        severity: 'info',
        protocol: group.protocol,
        port: group.port,
        message: `${label} listens on all interfaces (${addrs.join(', ')}): other machines on the network can reach it.`,
        addresses: anyEntries.map((e) => e.binding.address),
        pids: [...new Set(anyEntries.flatMap((e) => e.pids))],
        uids: [...new Set(anyEntries.flatMap((e) => [...e.uids]))].sort((a, b) => a - b),
      });
    }
  }
  const rank: Record<PortWarningSeverity, number> = { error: 0, warning: 1, info: 2 };
  warnings.sort((a, b) => rank[a.severity] - rank[b.severity] || a.port - b.port || a.protocol.localeCompare(b.protocol));
  return warnings;
}
