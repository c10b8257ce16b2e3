// Pure parsers for Linux /proc/net/{tcp,tcp6,udp,udp6}.
// Line format (kernel Documentation/networking/proc_net_tcp.rst):
//   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode ...
//    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 54165785 ...
// Addresses are the kernel's 32-bit words printed with %08X in host byte order, so on little-endian
// hosts each 4-byte group reads reversed; the port is printed after ntohs and reads as plain hex.

import type { AddressFamily, CollectedSocket, SocketProtocol, SocketState } from './collectedSockets';

const TCP_STATES: Record<number, SocketState> = {
  0x01: 'established',
  0x02: 'syn-sent',
  0x03: 'syn-recv',
  0x04: 'fin-wait-1',
  0x05: 'fin-wait-2',
  0x06: 'time-wait',
  0x07: 'close',
  0x08: 'close-wait',
  0x09: 'last-ack',
  0x0a: 'listen',
  0x0b: 'closing',
};

/** Maps a kernel state code to a state name. UDP only uses 07 (unconnected) and 01 (connected). */
export function procNetState(protocol: SocketProtocol, code: number): SocketState {
  if (protocol === 'udp') {
    if (code === 0x07) return 'unconnected';
    if (code === 0x01) return 'connected';
    return 'unknown';
  }
  return TCP_STATES[code] ?? 'unknown';
}

export type Endianness = 'little' | 'big';

/** Reverses the byte order of one 8-hex-digit word when the host is little-endian. */
function hostWordToNetworkBytes(word: string, endianness: Endianness): number[] {
  const bytes = [
    parseInt(word.slice(0, 2), 16),
    parseInt(word.slice(2, 4), 16),
    parseInt(word.slice(4, 6), 16),
    parseInt(word.slice(6, 8), 16),
  ];
  return endianness === 'little' ? bytes.reverse() : bytes;
}

/** Formats 16 bytes as RFC 5952 text: lower case, longest zero run collapsed, v4-mapped as dotted. */
export function formatIpv6(bytes: readonly number[]): string {
  const b = (i: number): number => bytes[i] ?? 0;
  const isV4Mapped = bytes.slice(0, 10).every((x) => x === 0) && b(10) === 0xff && b(11) === 0xff;
  if (isV4Mapped) return `::ffff:${b(12)}.${b(13)}.${b(14)}.${b(15)}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b(i) << 8) | b(i + 1));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Decodes a /proc/net address column ("0100007F" or 32 hex digits) into printable text. */
export function decodeProcNetAddress(hex: string, endianness: Endianness = hostEndianness()): string {
  if (hex.length === 8) return hostWordToNetworkBytes(hex, endianness).join('.');
  if (hex.length === 32) {
    const bytes: number[] = [];
    for (let i = 0; i < 32; i += 8) bytes.push(...hostWordToNetworkBytes(hex.slice(i, i + 8), endianness));
    return formatIpv6(bytes);
  }
  throw new Error(`unexpected address width ${hex.length} in "${hex}"`);
}

let cachedEndianness: Endianness | undefined;
export function hostEndianness(): Endianness {
  if (cachedEndianness === undefined) {
    cachedEndianness = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';
  }
  return cachedEndianness;
}

export interface ProcNetParseResult {
  sockets: CollectedSocket[];
  /** Lines that did not have the expected shape, with their line number, for the log. */
  skipped: string[];
}

/**
 * Parses one /proc/net table. `protocol` and `family` come from the file name (tcp, tcp6, udp, udp6).
 * Works for both the TCP and UDP tables: the columns up to `inode` are the same.
 */
export function parseProcNet(
  text: string,
  protocol: SocketProtocol,
  family: AddressFamily,
  endianness: Endianness = hostEndianness(),
): ProcNetParseResult {
  const sockets: CollectedSocket[] = [];
  const skipped: string[] = [];
  // Hand-rolled field scanning (no split/regex per line): tables with thousands of sockets are parsed
  // on every poll.
  const fields: string[] = [];
  let lineStart = text.indexOf('\n') + 1; // skip the header
  let lineNumber = 1;
  while (lineStart > 0 && lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    lineNumber++;
    fields.length = 0;
    let i = lineStart;
    while (i < lineEnd && fields.length < 10) {
      while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i >= lineEnd) break;
      const fieldStart = i;
      while (i < lineEnd && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
      fields.push(text.slice(fieldStart, i));
    }
    const line = lineStart;
    lineStart = lineEnd + 1;
    if (fields.length === 0) continue;
    const local = fields[1];
    const remote = fields[2];
    const st = fields[3];
    const uid = fields[7];
    const inode = fields[9];
    const localColon = local?.indexOf(':') ?? -1;
    const remoteColon = remote?.indexOf(':') ?? -1;
    if (local === undefined || remote === undefined || st === undefined || uid === undefined || inode === undefined || localColon < 0 || remoteColon < 0) {
      skipped.push(`line ${lineNumber}: ${text.slice(line, Math.min(lineEnd, line + 80)).trim()}`);
      continue;
    }
    let localAddress: string;
    let remoteAddress: string;
    try {
      localAddress = cachedAddress(local.slice(0, localColon), endianness);
      remoteAddress = cachedAddress(remote.slice(0, remoteColon), endianness);
    } catch {
      skipped.push(`line ${lineNumber}: ${text.slice(line, Math.min(lineEnd, line + 80)).trim()}`);
      continue;
    }
    const socket: CollectedSocket = {
      protocol,
      family,
      localAddress,
      localPort: parseInt(local.slice(localColon + 1), 16),
      remoteAddress,
      remotePort: parseInt(remote.slice(remoteColon + 1), 16),
      state: procNetState(protocol, parseInt(st, 16)),
      pids: [],
    };
    // Inode 0 is a socket no file refers to any more (TIME_WAIT, embryonic connections); its uid
    // column is meaningless then.
    if (inode !== '0') {
      socket.inode = inode;
      socket.uid = Number(uid);
    }
    sockets.push(socket);
  }
  return { sockets, skipped };
}

const addressCache = new Map<string, string>();

/** decodeProcNetAddress with a small cache: most sockets share a handful of local addresses. */
function cachedAddress(hex: string, endianness: Endianness): string {
  const key = endianness === 'little' ? hex : `b${hex}`;
  let value = addressCache.get(key);
  if (value === undefined) {
    value = decodeProcNetAddress(hex, endianness);
    if (addressCache.size >= 4096) addressCache.clear();
    addressCache.set(key, value);
  }
  return value;
}

/** `parseProcNet` for /proc/net/tcp (IPv4) or /proc/net/tcp6 (IPv6). */
export function parseProcNetTcp(text: string, family: AddressFamily = 'ipv4', endianness?: Endianness): CollectedSocket[] {
  return parseProcNet(text, 'tcp', family, endianness).sockets;
}

/** `parseProcNet` for /proc/net/udp (IPv4) or /proc/net/udp6 (IPv6). */
export function parseProcNetUdp(text: string, family: AddressFamily = 'ipv4', endianness?: Endianness): CollectedSocket[] {
  return parseProcNet(text, 'udp', family, endianness).sockets;
}

/** The four tables, in the order the collector reads them. */
export const PROC_NET_TABLES: ReadonlyArray<{ file: string; protocol: SocketProtocol; family: AddressFamily }> = [
  { file: 'tcp', protocol: 'tcp', family: 'ipv4' },
  { file: 'tcp6', protocol: 'tcp', family: 'ipv6' },
  { file: 'udp', protocol: 'udp', family: 'ipv4' },
  { file: 'udp6', protocol: 'udp', family: 'ipv6' },
];

/** Reads "socket:[12345]" (the readlink of a /proc/<pid>/fd entry); returns the inode or undefined. */
export function socketInodeFromLink(link: string): string | undefined {
  if (!link.startsWith('socket:[') || !link.endsWith(']')) return undefined;
  return link.slice(8, -1);
}
