// Hand-made collections for the ports view tests: a workspace server, a foreign listener, a port shared
// by two users, an all-interfaces listener and a connection.
import type { Collection, CollectedProcess, CollectedSocket } from '../../../../src/ports/collectedSockets';
import type { WorkspaceAttribution } from '../../../../src/ports/attribution';
import type { PortsSnapshot } from '../../../../src/ports/snapshot';
import { buildSnapshot } from '../../../../src/ports/snapshot';
import type { PortBindSite } from '../../../../src/ports/view/bindSites';

export const ME = 1000;

export function socket(partial: Partial<CollectedSocket> & Pick<CollectedSocket, 'localPort'>): CollectedSocket {
  return {
    protocol: 'tcp',
    family: 'ipv4',
    localAddress: '127.0.0.1',
    remoteAddress: '0.0.0.0',
    remotePort: 0,
    state: 'listen',
    pids: [],
    uid: ME,
    ...partial,
  };
}

export function proc(pid: number, name: string, extra: Partial<CollectedProcess> = {}): CollectedProcess {
  return { pid, ppid: 1, uid: ME, user: 'dev', name, argv: [name], commandLine: name, startToken: `t${pid}`, ...extra };
}

export function collection(sockets: CollectedSocket[], processes: CollectedProcess[]): Collection {
  return { platform: 'linux', sockets, processes, lineage: [], notes: [], currentUid: ME, users: { '0': 'root', '1000': 'dev', '1001': 'eve' } };
}

export const TERMINAL_ATTRIBUTION: WorkspaceAttribution = {
  reason: 'terminal',
  detail: 'started from terminal "bash" (pid 100) of this window',
  evidence: [
    { reason: 'terminal', detail: 'started from terminal "bash" (pid 100) of this window' },
    { reason: 'cwd', detail: 'working directory /w/app is inside workspace folder /w', folder: '/w' },
  ],
};

/** The standard scene. */
export function scene(): PortsSnapshot {
  const sockets = [
    socket({ localPort: 47913, pids: [4242], inode: '1' }),
    socket({ localPort: 8080, localAddress: '0.0.0.0', pids: [555], inode: '2' }),
    socket({ localPort: 8080, family: 'ipv6', localAddress: '::', pids: [555], inode: '3' }),
    // Two users on one UDP address: the hijack case.
    socket({ protocol: 'udp', localPort: 5353, localAddress: '0.0.0.0', state: 'unconnected', pids: [700], inode: '4' }),
    socket({ protocol: 'udp', localPort: 5353, localAddress: '0.0.0.0', state: 'unconnected', pids: [], uid: 0, inode: '5' }),
    // Another user's visible process.
    socket({ localPort: 9000, pids: [800], uid: 1001, inode: '6' }),
    // A connection from the workspace server's port.
    socket({ localPort: 47913, state: 'established', remoteAddress: '127.0.0.1', remotePort: 50000, pids: [4242], inode: '7' }),
    // A client connection elsewhere.
    socket({ localPort: 51000, state: 'established', remoteAddress: '93.184.216.34', remotePort: 443, pids: [555], inode: '8' }),
  ];
  const processes = [
    proc(4242, 'python3', { argv: ['python3', 'server.py'], commandLine: 'python3 server.py', cwd: '/w/app', ppid: 100 }),
    proc(555, 'node', { argv: ['node', 'web.js'], commandLine: 'node web.js', cwd: '/srv/web' }),
    proc(700, 'avahi', { commandLine: 'avahi-daemon: running' }),
    proc(800, 'nc', { uid: 1001, user: 'eve', commandLine: 'nc -l 9000' }),
  ];
  return buildSnapshot(collection(sockets, processes), {
    takenAt: 1_700_000_000_000,
    durationMs: 3,
    attributions: new Map([[4242, TERMINAL_ATTRIBUTION]]),
    workspaceFolders: ['/w'],
  });
}

export function site(path: string, line: number, port: number, protocol: PortBindSite['protocol'] = 'tcp'): PortBindSite {
  return { uri: `file://${path}`, path, line, character: 0, endLine: line, endCharacter: 20, port, protocol, host: '127.0.0.1', api: 'socket.socket' };
}
