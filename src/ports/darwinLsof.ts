// Pure parser for lsof's field output (-F), one field per line, each line a one-letter field id and its
// value: p<pid> c<command> u<uid> L<login> starts a process set; f<fd> starts a file set, followed by
// t<type> P<protocol> n<name> T<TCP info like "ST=LISTEN">. Used on macOS for the working directory of
// socket holders (`lsof -a -d cwd -p <pids> -Fn`) and, when netstat prints no PID column, for sockets
// (`lsof -nP -i -FpcuLRftdPnT`). The format is the same on every OS lsof runs on.

import type { AddressFamily, CollectedProcess, CollectedSocket, SocketState } from './collectedSockets';

export interface LsofFile {
  fd: string;
  type?: string;
  /** Device field: the socket inode on Linux, the socket's kernel address on macOS. */
  device?: string;
  protocol?: string;
  name?: string;
  /** TCP/TPI info fields, e.g. { ST: 'LISTEN', QR: '0', QS: '0' }. */
  info: Record<string, string>;
}

export interface LsofProcess {
  pid: number;
  command?: string;
  uid?: number;
  login?: string;
  ppid?: number;
  files: LsofFile[];
}

export function parseLsofFields(text: string): LsofProcess[] {
  const processes: LsofProcess[] = [];
  let proc: LsofProcess | undefined;
  let file: LsofFile | undefined;
  for (const rawLine of text.split(/\n|\0/)) {
    const line = rawLine.replace(/\r$/, '');
    if (line === '') continue;
    const id = line[0];
    const value = line.slice(1);
    if (id === 'p') {
      proc = { pid: Number(value), files: [] };
      file = undefined;
      processes.push(proc);
      continue;
    }
    if (proc === undefined) continue;
    switch (id) {
      case 'c':
        proc.command = value;
        break;
      case 'u':
        proc.uid = Number(value);
        break;
      case 'L':
        proc.login = value;
        break;
      case 'R':
        proc.ppid = Number(value);
        break;
      case 'f':
        file = { fd: value, info: {} };
        proc.files.push(file);
        break;
      case 't':
        if (file !== undefined) file.type = value;
        break;
      case 'd':
        if (file !== undefined) file.device = value;
        break;
      case 'P':
        if (file !== undefined) file.protocol = value;
        break;
      case 'n':
        if (file !== undefined) file.name = value;
        else proc.files.push((file = { fd: '', name: value, info: {} }));
        break;
      case 'T':
        if (file !== undefined) {
          const eq = value.indexOf('=');
          if (eq > 0) file.info[value.slice(0, eq)] = value.slice(eq + 1);
        }
        break;
      default:
        break;
    }
  }
  return processes;
}

const LSOF_TCP_STATES: Record<string, SocketState> = {
  LISTEN: 'listen',
  ESTABLISHED: 'established',
  SYN_SENT: 'syn-sent',
  SYN_RECV: 'syn-recv',
  SYN_RCVD: 'syn-recv',
  FIN_WAIT1: 'fin-wait-1',
  FIN_WAIT_1: 'fin-wait-1',
  FIN_WAIT2: 'fin-wait-2',
  FIN_WAIT_2: 'fin-wait-2',
  TIME_WAIT: 'time-wait',
  CLOSED: 'close',
  CLOSE: 'close',
  CLOSE_WAIT: 'close-wait',
  LAST_ACK: 'last-ack',
  CLOSING: 'closing',
};

/** Splits an lsof endpoint: "127.0.0.1:8080", "*:5353", "[::1]:3000", "[fe80::1%lo0]:123". */
export function splitLsofEndpoint(endpoint: string, family: AddressFamily): { address: string; port: number } {
  let host: string;
  let portText: string;
  if (endpoint.startsWith('[')) {
    const close = endpoint.indexOf(']');
    host = endpoint.slice(1, close);
    portText = endpoint.slice(close + 2);
  } else {
    const colon = endpoint.lastIndexOf(':');
    host = colon < 0 ? endpoint : endpoint.slice(0, colon);
    portText = colon < 0 ? '*' : endpoint.slice(colon + 1);
  }
  const address = host === '*' ? (family === 'ipv6' ? '::' : '0.0.0.0') : host;
  const port = portText === '*' ? 0 : Number(portText);
  return { address, port: Number.isFinite(port) ? port : 0 };
}

/** Turns `lsof -nP -i -FpcuLRftdPnT` output into sockets (with owners) and minimal process records. */
export function socketsFromLsof(processes: readonly LsofProcess[]): { sockets: CollectedSocket[]; processes: CollectedProcess[] } {
  const sockets = new Map<string, CollectedSocket>();
  const procs: CollectedProcess[] = [];
  for (const p of processes) {
    let holds = false;
    for (const f of p.files) {
      const type = f.type ?? '';
      if (type !== 'IPv4' && type !== 'IPv6') continue;
      const proto = (f.protocol ?? '').toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp') continue;
      const protocol = proto;
      const family: AddressFamily = type === 'IPv6' ? 'ipv6' : 'ipv4';
      const name = f.name ?? '';
      const arrow = name.indexOf('->');
      const local = splitLsofEndpoint(arrow < 0 ? name : name.slice(0, arrow), family);
      const remote = arrow < 0 ? { address: family === 'ipv6' ? '::' : '0.0.0.0', port: 0 } : splitLsofEndpoint(name.slice(arrow + 2), family);
      const st = f.info.ST;
      const state: SocketState =
        protocol === 'tcp' ? (st !== undefined ? (LSOF_TCP_STATES[st] ?? 'unknown') : 'unknown') : arrow < 0 ? 'unconnected' : 'connected';
      // lsof lists a socket once per process holding it; the device field names the socket itself, so
      // an inherited socket merges into one with every PID while separate sockets stay separate.
      const key = f.device !== undefined ? `d${f.device}` : `${p.pid}/${f.fd}/${name}`;
      let socket = sockets.get(key);
      if (socket === undefined) {
        socket = {
          protocol,
          family,
          localAddress: local.address,
          localPort: local.port,
          remoteAddress: remote.address,
          remotePort: remote.port,
          state,
          pids: [],
        };
        if (f.device !== undefined) socket.inode = f.device;
        sockets.set(key, socket);
      }
      if (socket.pids.includes(p.pid)) continue;
      socket.pids.push(p.pid);
      holds = true;
    }
    if (holds) {
      const name = p.command ?? String(p.pid);
      const proc: CollectedProcess = { pid: p.pid, name, argv: [], commandLine: name };
      if (p.uid !== undefined) proc.uid = p.uid;
      if (p.login !== undefined) proc.user = p.login;
      if (p.ppid !== undefined) proc.ppid = p.ppid;
      procs.push(proc);
    }
  }
  return { sockets: [...sockets.values()], processes: procs };
}
