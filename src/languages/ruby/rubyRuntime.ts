// What Ruby's socket library and common servers do by themselves (ext/socket/ipsocket.c,
// ext/socket/lib/socket.rb, webrick/utils.rb, thin, puma's binder).
import type { BindFact } from '../../analysis/facts';

/** TCPServer.new: SO_REUSEADDR except on Windows/Cygwin (`#if !defined(_WIN32)` in init_inetsock_internal). */
export const UNIX_REUSE: BindFact['implicit'] = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
/** Addrinfo#listen / #bind (and so tcp_server_sockets, udp_server_sockets, WEBrick): unconditional SO_REUSEADDR. */
export const EVERYWHERE_REUSE: BindFact['implicit'] = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };

export interface ServerCall {
  api: string;
  protocol: 'tcp' | 'udp';
  implicit: BindFact['implicit'];
  /** Index of the host and port among positional arguments ([host,] port forms are resolved by count). */
  hostPort: 'optional-host' | 'none';
}

/** `Receiver.method` pairs that create and bind a server socket in one call. */
export function serverCall(receiver: string, method: string): ServerCall | null {
  if (/^(Socket::)?TCPServer$/.test(receiver) && (method === 'new' || method === 'open')) {
    return { api: 'TCPServer.new', protocol: 'tcp', implicit: UNIX_REUSE, hostPort: 'optional-host' };
  }
  if (receiver === 'Socket' && (method === 'tcp_server_loop' || method === 'tcp_server_sockets')) {
    return { api: `Socket.${method}`, protocol: 'tcp', implicit: EVERYWHERE_REUSE, hostPort: 'optional-host' };
  }
  if (receiver === 'Socket' && (method === 'udp_server_loop' || method === 'udp_server_sockets')) {
    return { api: `Socket.${method}`, protocol: 'udp', implicit: EVERYWHERE_REUSE, hostPort: 'optional-host' };
  }
  return null;
}

/** WEBrick servers bind in `initialize` through Utils.create_listeners → Socket.tcp_server_sockets. */
export const WEBRICK_SERVERS: ReadonlyMap<string, number | null> = new Map([
  ['HTTPServer', 80],
  ['HTTPProxyServer', 80],
  ['GenericServer', null],
]);
