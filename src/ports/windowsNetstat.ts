// Pure parsers for Windows `netstat -ano` (every socket with its owning PID, no elevation needed) and
// `tasklist /fo csv /nh` (image name per PID).
//   netstat:  "  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1044"
//             "  UDP    [::1]:1900             *:*                                    4321"
// TCP rows have a State column, UDP rows do not. State names are localized on non-English Windows
// ("ABHÖREN"), so a TCP row whose foreign endpoint is 0.0.0.0:0 or [::]:0 counts as listening whatever
// its state word says.

import type { AddressFamily, CollectedProcess, CollectedSocket, SocketProtocol, SocketState } from './collectedSockets';

const WINDOWS_TCP_STATES: Record<string, SocketState> = {
  LISTENING: 'listen',
  LISTEN: 'listen',
  ESTABLISHED: 'established',
  SYN_SENT: 'syn-sent',
  SYN_RECEIVED: 'syn-recv',
  FIN_WAIT_1: 'fin-wait-1',
  FIN_WAIT_2: 'fin-wait-2',
  TIME_WAIT: 'time-wait',
  CLOSED: 'close',
  CLOSE_WAIT: 'close-wait',
  LAST_ACK: 'last-ack',
  CLOSING: 'closing',
};

/** "0.0.0.0:135", "[::]:135", "[fe80::1%12]:1900", "*:*" into address and port. */
export function splitWindowsEndpoint(endpoint: string, family: AddressFamily): { address: string; port: number } {
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

export function parseWindowsNetstat(text: string): CollectedSocket[] {
  const sockets: CollectedSocket[] = [];
  for (const rawLine of text.split('\n')) {
    const t = rawLine.trim().split(/\s+/);
    const proto = t[0]?.toUpperCase();
    if (proto !== 'TCP' && proto !== 'UDP') continue;
    const protocol = proto.toLowerCase() as SocketProtocol;
    const local = t[1];
    const foreign = t[2];
    if (local === undefined || foreign === undefined) continue;
    const pidText = protocol === 'tcp' ? t[4] : t[3];
    const stateText = protocol === 'tcp' ? (t[3] ?? '') : '';
    if (pidText === undefined || !/^\d+$/.test(pidText)) continue;
    const family: AddressFamily = local.startsWith('[') ? 'ipv6' : 'ipv4';
    const l = splitWindowsEndpoint(local, family);
    const r = splitWindowsEndpoint(foreign, family);
    let state: SocketState;
    if (protocol === 'udp') {
      state = foreign === '*:*' || r.port === 0 ? 'unconnected' : 'connected';
    } else {
      const known = WINDOWS_TCP_STATES[stateText.toUpperCase()];
      const unconnectedPeer = r.port === 0 && (r.address === '0.0.0.0' || r.address === '::');
      state = known ?? (unconnectedPeer ? 'listen' : 'unknown');
    }
    const pid = Number(pidText);
    sockets.push({
      protocol,
      family,
      localAddress: l.address,
      localPort: l.port,
      remoteAddress: r.address,
      remotePort: r.port,
      state,
      // PID 0 is the System Idle Process: TIME_WAIT sockets no process holds.
      pids: pid > 0 ? [pid] : [],
    });
  }
  return sockets;
}

/** Splits one CSV line with double-quoted fields ("a","b ""c""",d). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i];
        i++;
      }
      fields.push(value);
      while (i < line.length && line[i] !== ',') i++;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** Parses `tasklist /fo csv /nh`: "Image Name","PID","Session Name","Session#","Mem Usage". */
export function parseTasklistCsv(text: string): CollectedProcess[] {
  const result: CollectedProcess[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || !line.startsWith('"')) continue;
    const fields = splitCsvLine(line);
    const name = fields[0];
    const pid = Number(fields[1]);
    if (name === undefined || !Number.isInteger(pid)) continue;
    result.push({ pid, name, argv: [], commandLine: name, startToken: windowsStartToken(name) });
  }
  return result;
}

/**
 * tasklist has no start time, so the stop guard on Windows compares the image name: it catches a PID
 * reused by a different program, not by another copy of the same one.
 */
export function windowsStartToken(imageName: string): string {
  return `image:${imageName.toLowerCase()}`;
}
