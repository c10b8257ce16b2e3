// The ports model every consumer reads (tree view, CLI, JSON): sockets grouped by protocol and port,
// then by bind address, then by owner; the holding processes with their workspace attribution; the
// warnings derived from the grouping. Plain data only (no Map, no class) so it serializes as is.

import type { WorkspaceAttribution } from './attribution';
import type {
  AddressFamily,
  AddressScope,
  CollectedProcess,
  Collection,
  PortsPlatform,
  SocketProtocol,
  SocketState,
} from './collectedSockets';
import { addressScope, isListeningSocket } from './collectedSockets';
import type { PortWarning } from './portWarnings';
import { derivePortWarnings } from './portWarnings';

export interface PortSocket {
  state: SocketState;
  listening: boolean;
  inode?: string;
  uid?: number;
  /** Every process holding this socket; empty when none is visible to us. */
  pids: number[];
  /** Peer, for connected sockets. */
  remoteAddress?: string;
  remotePort?: number;
  dualStack?: boolean;
}

/** One holder of sockets at a binding: a visible process, or only a UID when the process is hidden. */
export interface PortOwner {
  /** Undefined when the process is not visible (another user's process without root, hidepid). */
  pid?: number;
  uid?: number;
  user?: string;
  /** Process name, when visible. */
  name?: string;
  /** Sockets at this binding the owner holds. */
  socketCount: number;
  /** Of those, how many are listening (the rest are connections accepted on or made from this port). */
  listeningCount: number;
  /** True when the owner's process is attributed to the workspace. */
  workspace: boolean;
}

export interface PortBinding {
  address: string;
  family: AddressFamily;
  scope: AddressScope;
  /** At least one socket here is listening (TCP LISTEN, or unconnected UDP). */
  listening: boolean;
  owners: PortOwner[];
  sockets: PortSocket[];
}

export interface PortGroup {
  protocol: SocketProtocol;
  port: number;
  listening: boolean;
  /** Some owner is attributed to the workspace. */
  workspace: boolean;
  /** Listening bindings first, then IPv4 before IPv6, then any/loopback/specific. */
  bindings: PortBinding[];
}

export interface PortProcess extends CollectedProcess {
  workspace?: WorkspaceAttribution;
}

export interface PortsScanError {
  /** Why the latest scan failed, in words for the user. */
  message: string;
  /** When it failed (ms since the epoch); `takenAt` is still the time of the data shown. */
  at: number;
}

export interface PortsSnapshot {
  /** When the data was read (ms since the epoch). */
  takenAt: number;
  /** How long the scan took, milliseconds. */
  durationMs: number;
  platform: PortsPlatform;
  currentUid?: number;
  ports: PortGroup[];
  /** The processes holding the sockets above. */
  processes: PortProcess[];
  warnings: PortWarning[];
  /** Limits of what was visible (hidepid, other users' processes), in words for the user. */
  notes: string[];
  /** Workspace folders the attribution used. */
  workspaceFolders: string[];
  /** Present when the latest scan failed: the data is the last good snapshot. */
  error?: PortsScanError;
}

const SCOPE_ORDER: Record<AddressScope, number> = { any: 0, loopback: 1, specific: 2 };

function compareBindings(a: PortBinding, b: PortBinding): number {
  if (a.listening !== b.listening) return a.listening ? -1 : 1;
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  if (a.scope !== b.scope) return SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope];
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

export interface BuildSnapshotOptions {
  takenAt: number;
  durationMs: number;
  attributions?: ReadonlyMap<number, WorkspaceAttribution>;
  workspaceFolders?: readonly string[];
}

/** Groups a collection into the ports model and derives its warnings. */
export function buildSnapshot(collection: Collection, options: BuildSnapshotOptions): PortsSnapshot {
  const attributions = options.attributions ?? new Map<number, WorkspaceAttribution>();
  const processes: PortProcess[] = collection.processes.map((p) => {
    const attribution = attributions.get(p.pid);
    return attribution === undefined ? { ...p } : { ...p, workspace: attribution };
  });
  const byPid = new Map<number, PortProcess>();
  for (const p of processes) byPid.set(p.pid, p);
  const userOf = (uid: number | undefined): string | undefined => (uid === undefined ? undefined : collection.users[String(uid)]);

  const groups = new Map<string, { group: PortGroup; bindings: Map<string, PortBinding> }>();
  for (const socket of collection.sockets) {
    const groupKey = `${socket.protocol}/${socket.localPort}`;
    let entry = groups.get(groupKey);
    if (entry === undefined) {
      entry = {
        group: { protocol: socket.protocol, port: socket.localPort, listening: false, workspace: false, bindings: [] },
        bindings: new Map(),
      };
      groups.set(groupKey, entry);
    }
    const listening = isListeningSocket(socket);
    const bindingKey = `${socket.family}/${socket.localAddress}`;
    let binding = entry.bindings.get(bindingKey);
    if (binding === undefined) {
      binding = {
        address: socket.localAddress,
        family: socket.family,
        scope: addressScope(socket.localAddress),
        listening: false,
        owners: [],
        sockets: [],
      };
      entry.bindings.set(bindingKey, binding);
    }
    const portSocket: PortSocket = { state: socket.state, listening, pids: socket.pids.slice() };
    if (socket.inode !== undefined) portSocket.inode = socket.inode;
    if (socket.uid !== undefined) portSocket.uid = socket.uid;
    if (socket.dualStack === true) portSocket.dualStack = true;
    if (!listening && socket.remotePort !== 0) {
      portSocket.remoteAddress = socket.remoteAddress;
      portSocket.remotePort = socket.remotePort;
    }
    binding.sockets.push(portSocket);
    if (listening) {
      binding.listening = true;
      entry.group.listening = true;
    }

    if (socket.pids.length === 0) {
      // Nobody visible holds it: the owner is the socket's UID (TIME_WAIT sockets have neither).
      if (socket.uid !== undefined) {
        let owner = binding.owners.find((o) => o.pid === undefined && o.uid === socket.uid);
        if (owner === undefined) {
          owner = { uid: socket.uid, socketCount: 0, listeningCount: 0, workspace: false };
          const user = userOf(socket.uid);
          if (user !== undefined) owner.user = user;
          binding.owners.push(owner);
        }
        owner.socketCount++;
        if (listening) owner.listeningCount++;
      }
    } else {
      for (const pid of socket.pids) {
        let owner = binding.owners.find((o) => o.pid === pid);
        if (owner === undefined) {
          const proc = byPid.get(pid);
          const uid = proc?.uid ?? socket.uid;
          owner = { pid, socketCount: 0, listeningCount: 0, workspace: proc?.workspace !== undefined };
          if (uid !== undefined) owner.uid = uid;
          const user = proc?.user ?? userOf(uid);
          if (user !== undefined) owner.user = user;
          if (proc !== undefined) owner.name = proc.name;
          binding.owners.push(owner);
        }
        owner.socketCount++;
        if (listening) owner.listeningCount++;
        if (owner.workspace) entry.group.workspace = true;
      }
    }
  }

  const ports: PortGroup[] = [];
  for (const { group, bindings } of groups.values()) {
    group.bindings = [...bindings.values()].sort(compareBindings);
    for (const b of group.bindings) b.owners.sort((x, y) => (x.pid ?? Number.MAX_SAFE_INTEGER) - (y.pid ?? Number.MAX_SAFE_INTEGER));
    ports.push(group);
  }
  ports.sort((a, b) => a.port - b.port || (a.protocol === b.protocol ? 0 : a.protocol === 'tcp' ? -1 : 1));
  processes.sort((a, b) => a.pid - b.pid);

  const snapshot: PortsSnapshot = {
    takenAt: options.takenAt,
    durationMs: options.durationMs,
    platform: collection.platform,
    ports,
    processes,
    warnings: [],
    notes: collection.notes.slice(),
    workspaceFolders: [...(options.workspaceFolders ?? [])],
  };
  if (collection.currentUid !== undefined) snapshot.currentUid = collection.currentUid;
  snapshot.warnings = derivePortWarnings(snapshot);
  return snapshot;
}

/** The same snapshot with only listening sockets (and the ports, bindings and processes they need). */
export function listeningOnly(snapshot: PortsSnapshot): PortsSnapshot {
  const ports: PortGroup[] = [];
  const pids = new Set<number>();
  for (const group of snapshot.ports) {
    if (!group.listening) continue;
    const bindings: PortBinding[] = [];
    for (const binding of group.bindings) {
      if (!binding.listening) continue;
      const sockets = binding.sockets.filter((s) => s.listening);
      const counts = new Map<string, number>();
      for (const s of sockets) {
        if (s.pids.length === 0) counts.set(`u${s.uid ?? ''}`, (counts.get(`u${s.uid ?? ''}`) ?? 0) + 1);
        for (const pid of s.pids) {
          pids.add(pid);
          counts.set(`p${pid}`, (counts.get(`p${pid}`) ?? 0) + 1);
        }
      }
      const owners = binding.owners
        .map((o) => {
          const count = counts.get(o.pid !== undefined ? `p${o.pid}` : `u${o.uid ?? ''}`) ?? 0;
          return { ...o, socketCount: count, listeningCount: count };
        })
        .filter((o) => o.socketCount > 0);
      bindings.push({ ...binding, sockets, owners });
    }
    ports.push({ ...group, bindings, workspace: bindings.some((b) => b.owners.some((o) => o.workspace)) });
  }
  return { ...snapshot, ports, processes: snapshot.processes.filter((p) => pids.has(p.pid)) };
}

/** Looks a process up by PID. */
export function findProcess(snapshot: PortsSnapshot, pid: number): PortProcess | undefined {
  return snapshot.processes.find((p) => p.pid === pid);
}

/** The warnings about one port group. */
export function warningsForPort(snapshot: PortsSnapshot, group: Pick<PortGroup, 'protocol' | 'port'>): PortWarning[] {
  return snapshot.warnings.filter((w) => w.protocol === group.protocol && w.port === group.port);
}
