// What Python's server APIs do by themselves (see socket-semantics.md §2.2). Flagging a runtime that
// already sets SO_REUSEADDR is a false positive, and one that sets it on Windows is the hijack risk.
import type { Platform, Protocol, ReuseOption } from '../../analysis/facts';

export type Implicit = Partial<Record<Platform, ReuseOption[]>>;

/** SO_REUSEADDR on Unix only: `os.name not in ('nt', 'cygwin')` in socket.create_server and asyncio. */
export const UNIX_REUSEADDR: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
/** `allow_reuse_address = 1` in http.server/xmlrpc/wsgiref: set on every platform, Windows included. */
export const EVERYWHERE_REUSEADDR: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };
/** Twisted listenMulticast(listenMultiple=True): SO_REUSEADDR, plus SO_REUSEPORT where it exists. */
export const LISTEN_MULTIPLE: Implicit = { linux: ['reuseaddr', 'reuseport'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] };

export interface ServerClass {
  /** Qualified name used in messages. */
  api: string;
  protocol: Protocol;
  /** The class's own `allow_reuse_address` (socketserver.server_bind sets SO_REUSEADDR when true). */
  reuseAddress: boolean;
  /** Position of `bind_and_activate` among the constructor's arguments. */
  bindAndActivateIndex: number;
  /** AF_UNIX servers: no ports, nothing to report. */
  unix?: boolean;
}

const tcp = (api: string, reuseAddress = false, bindAndActivateIndex = 2): ServerClass => ({ api, protocol: 'tcp', reuseAddress, bindAndActivateIndex });
const udp = (api: string): ServerClass => ({ api, protocol: 'udp', reuseAddress: false, bindAndActivateIndex: 2 });
const unix = (api: string): ServerClass => ({ api, protocol: 'unknown', reuseAddress: false, bindAndActivateIndex: 2, unix: true });

export const SERVER_CLASSES: ReadonlyMap<string, ServerClass> = new Map([
  ['socketserver.TCPServer', tcp('socketserver.TCPServer')],
  ['socketserver.ThreadingTCPServer', tcp('socketserver.ThreadingTCPServer')],
  ['socketserver.ForkingTCPServer', tcp('socketserver.ForkingTCPServer')],
  ['socketserver.UDPServer', udp('socketserver.UDPServer')],
  ['socketserver.ThreadingUDPServer', udp('socketserver.ThreadingUDPServer')],
  ['socketserver.ForkingUDPServer', udp('socketserver.ForkingUDPServer')],
  ['socketserver.UnixStreamServer', unix('socketserver.UnixStreamServer')],
  ['socketserver.UnixDatagramServer', unix('socketserver.UnixDatagramServer')],
  ['socketserver.ThreadingUnixStreamServer', unix('socketserver.ThreadingUnixStreamServer')],
  ['socketserver.ThreadingUnixDatagramServer', unix('socketserver.ThreadingUnixDatagramServer')],
  ['socketserver.ForkingUnixStreamServer', unix('socketserver.ForkingUnixStreamServer')],
  ['socketserver.ForkingUnixDatagramServer', unix('socketserver.ForkingUnixDatagramServer')],
  ['http.server.HTTPServer', tcp('http.server.HTTPServer', true)],
  ['http.server.ThreadingHTTPServer', tcp('http.server.ThreadingHTTPServer', true)],
  ['wsgiref.simple_server.WSGIServer', tcp('wsgiref.simple_server.WSGIServer', true)],
  ['xmlrpc.server.SimpleXMLRPCServer', tcp('xmlrpc.server.SimpleXMLRPCServer', true, 4)],
  ['xmlrpc.server.DocXMLRPCServer', tcp('xmlrpc.server.DocXMLRPCServer', true, 4)],
  ['xmlrpc.server.MultiPathXMLRPCServer', tcp('xmlrpc.server.MultiPathXMLRPCServer', true, 4)],
]);

/** Address families that have no IP ports. */
export const NON_IP_FAMILY = /\bAF_(UNIX|PACKET|NETLINK|CAN|BLUETOOTH|TIPC|VSOCK|ALG|RDS|QIPCRTR|HYPERV|SYSTEM|ROUTE|LINK)\b/;

/** setsockopt options that make a UDP socket a group receiver or sender: sharing the port is the point. */
export const GROUP_OPTIONS = /\b(IP_ADD_MEMBERSHIP|IPV6_JOIN_GROUP|IPV6_ADD_MEMBERSHIP|IP_ADD_SOURCE_MEMBERSHIP|MCAST_JOIN_GROUP|MCAST_JOIN_SOURCE_GROUP|IP_MULTICAST_IF|IP_MULTICAST_TTL|IP_MULTICAST_LOOP|IPV6_MULTICAST_IF|IPV6_MULTICAST_HOPS|IPV6_MULTICAST_LOOP)\b/;

/** Methods that show a socket accepts connections. */
export const SERVER_METHODS = new Set(['listen', 'accept']);
/** Methods that show a socket connects out. */
export const CLIENT_METHODS = new Set(['connect', 'connect_ex']);
/** Methods that show a datagram socket receives. */
export const RECEIVE_METHODS = new Set(['recv', 'recvfrom', 'recv_into', 'recvfrom_into', 'recvmsg', 'recvmsg_into']);
