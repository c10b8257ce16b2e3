// What PHP does by itself (php-src main/network.c, ext/sockets/sockets.c) and what ReactPHP adds.
import type { BindFact, Platform } from '../../analysis/facts';

/**
 * stream_socket_server → php_network_bind_socket_to_local_addr sets SO_REUSEADDR on every platform,
 * Windows included, unless the 'socket' context says `so_reuseaddr => false` (PHP 8.6), which also sets
 * SO_EXCLUSIVEADDRUSE on Windows.
 */
export function streamServerImplicit(reuseAddrOn: readonly Platform[]): BindFact['implicit'] {
  const implicit: BindFact['implicit'] = {};
  for (const p of ['linux', 'darwin', 'win32'] as const) {
    implicit[p] = reuseAddrOn.includes(p) ? ['reuseaddr'] : p === 'win32' ? ['exclusiveaddruse'] : [];
  }
  return implicit;
}

/** The transport of a stream URI: tcp://, udp://, ssl:// ...; null for unix:// and udg://. */
export function streamProtocol(scheme: string): 'tcp' | 'udp' | null {
  const s = scheme.toLowerCase();
  if (s === '' || s === 'tcp' || s.startsWith('ssl') || s.startsWith('tls')) return 'tcp';
  if (s === 'udp') return 'udp';
  return null;
}

/** ReactPHP server classes (all built on stream_socket_server) and where their context argument is. */
export const REACT_SERVERS: ReadonlyMap<string, { contextIndex: number; nested: string | null }> = new Map([
  ['React\\Socket\\TcpServer', { contextIndex: 2, nested: null }],
  ['React\\Socket\\SocketServer', { contextIndex: 1, nested: 'tcp' }],
  ['React\\Socket\\Server', { contextIndex: 2, nested: 'tcp' }],
]);

/** ext/sockets option names that join a multicast group. */
export const MULTICAST_OPTIONS = /^(MCAST_JOIN_GROUP|MCAST_JOIN_SOURCE_GROUP|IP_ADD_MEMBERSHIP|IPV6_JOIN_GROUP|IPV6_ADD_MEMBERSHIP)$/;
