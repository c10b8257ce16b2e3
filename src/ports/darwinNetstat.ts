// Pure parser for macOS `netstat -anv -p tcp` and `netstat -anv -p udp`, which print the owning PID of
// every socket (other users' included) without root. Three header layouts are known:
//   up to Sonoma:  (state)     rhiwat shiwat    pid   epid  state    options ...
//   Sequoia:       (state)          rxbytes      txbytes  rhiwat  shiwat    pid   epid state  options
//   macOS 26:      (state)          rxbytes      txbytes  rhiwat  shiwat          process:pid    state ...
// In the last one the process name (up to 16 characters, spaces allowed) precedes ":pid", so the PID is
// found by counting the numeric columns the header says come first, then matching "name:pid".

import type { AddressFamily, CollectedSocket, SocketProtocol, SocketState } from './collectedSockets';

const DARWIN_TCP_STATES: Record<string, SocketState> = {
  LISTEN: 'listen',
  ESTABLISHED: 'established',
  SYN_SENT: 'syn-sent',
  SYN_RCVD: 'syn-recv',
  SYN_RECEIVED: 'syn-recv',
  FIN_WAIT_1: 'fin-wait-1',
  FIN_WAIT_2: 'fin-wait-2',
  TIME_WAIT: 'time-wait',
  CLOSED: 'close',
  CLOSE_WAIT: 'close-wait',
  LAST_ACK: 'last-ack',
  CLOSING: 'closing',
};

export interface DarwinNetstatResult {
  sockets: CollectedSocket[];
  /** Process names the macOS 26 layout prints next to the PID. */
  processNames: Map<number, string>;
  /** False when the header has no pid column (an old netstat): owners must come from lsof. */
  hasPidColumn: boolean;
}

/** Splits "127.0.0.1.8080", "*.8080", "::1.5173", "fe80::1%lo0.5353", "*.*" into address and port. */
export function splitDarwinEndpoint(endpoint: string, family: AddressFamily): { address: string; port: number } {
  const dot = endpoint.lastIndexOf('.');
  const host = dot < 0 ? endpoint : endpoint.slice(0, dot);
  const portText = dot < 0 ? '*' : endpoint.slice(dot + 1);
  const port = portText === '*' ? 0 : Number(portText);
  const address = host === '*' ? (family === 'ipv6' ? '::' : '0.0.0.0') : host;
  return { address, port: Number.isFinite(port) ? port : 0 };
}

interface Token {
  text: string;
  start: number;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) tokens.push({ text: m[0], start: m.index });
  return tokens;
}

interface HeaderLayout {
  /** Numeric columns between the state and the pid cell. */
  numericBeforePid: number;
  /** "name:pid" (macOS 26) instead of a bare pid. */
  named: boolean;
}

function readHeader(line: string): HeaderLayout | undefined {
  const at = line.indexOf('(state)');
  if (at < 0) return undefined;
  const after = line.slice(at + '(state)'.length).trim().split(/\s+/);
  const pidIndex = after.findIndex((h) => h === 'pid' || h === 'process:pid');
  if (pidIndex < 0) return undefined;
  return { numericBeforePid: pidIndex, named: after[pidIndex] === 'process:pid' };
}

/** Parses one `netstat -anv -p tcp|udp` output (both may also be concatenated). */
export function parseDarwinNetstat(text: string): DarwinNetstatResult {
  const sockets: CollectedSocket[] = [];
  const processNames = new Map<number, string>();
  let layout: HeaderLayout | undefined;
  let sawHeader = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.startsWith('Proto')) {
      sawHeader = true;
      layout = readHeader(line);
      continue;
    }
    const tokens = tokenize(line);
    const protoText = tokens[0]?.text ?? '';
    const proto = /^(tcp|udp)(4|6|46)?$/.exec(protoText);
    if (proto === null || tokens.length < 5) continue;
    const protocol = proto[1] as SocketProtocol;
    const local = tokens[3]?.text ?? '';
    const foreign = tokens[4]?.text ?? '';
    const version = proto[2];
    const family: AddressFamily = version === '4' ? 'ipv4' : version === '6' || version === '46' ? 'ipv6' : local.includes(':') ? 'ipv6' : 'ipv4';
    const l = splitDarwinEndpoint(local, family);
    const r = splitDarwinEndpoint(foreign, family);

    let next = 5;
    let state: SocketState;
    const maybeState = tokens[5]?.text;
    if (maybeState !== undefined && /^[A-Z_]+[0-9_A-Z]*$/.test(maybeState)) {
      next = 6;
      state = protocol === 'tcp' ? (DARWIN_TCP_STATES[maybeState] ?? 'unknown') : r.port === 0 ? 'unconnected' : 'connected';
    } else {
      state = protocol === 'tcp' ? 'unknown' : r.port === 0 && (r.address === '0.0.0.0' || r.address === '::') ? 'unconnected' : 'connected';
    }

    const pids: number[] = [];
    if (layout !== undefined) {
      const pidToken = tokens[next + layout.numericBeforePid];
      if (pidToken !== undefined) {
        if (layout.named) {
          const m = /^(.*?):(\d+)(?=\s|$)/.exec(line.slice(pidToken.start));
          if (m?.[2] !== undefined) {
            const pid = Number(m[2]);
            if (pid > 0) {
              pids.push(pid);
              const name = (m[1] ?? '').trim();
              if (name !== '') processNames.set(pid, name);
            }
          }
        } else if (/^\d+$/.test(pidToken.text)) {
          const pid = Number(pidToken.text);
          if (pid > 0) pids.push(pid);
        }
      }
    }

    const socket: CollectedSocket = {
      protocol,
      family,
      localAddress: l.address,
      localPort: l.port,
      remoteAddress: r.address,
      remotePort: r.port,
      state,
      pids,
    };
    if (version === '46') socket.dualStack = true;
    sockets.push(socket);
  }
  return { sockets, processNames, hasPidColumn: sawHeader && layout !== undefined };
}
