// The shared socket vocabulary, normalized so `setSockOpt`, `set_option`, `SO_REUSEADDR`, `ReuseAddr`,
// `reuse_address`, `-reuseaddr`, `OptReuseAddr` and "reuseaddr" all read the same, plus the runtime
// defaults each kind of socket gets at bind (socket-semantics.md sections 2 and 3).
import type { Platform, ReuseOption } from '../../analysis/facts';

/** Lower case, without sigils, dashes and underscores: `SO_REUSEADDR` → `soreuseaddr`. */
const keyCache = new Map<string, string>();

export function wordKey(word: string): string {
  let key = keyCache.get(word);
  if (key === undefined) {
    key = word.replace(/^[$@%:?-]+/, '').replace(/[-_]/g, '').toLowerCase();
    // Identifiers repeat; a bounded cache keeps the per-token cost at one map lookup.
    if (keyCache.size > 50000) keyCache.clear();
    keyCache.set(word, key);
  }
  return key;
}

const OPTION_KEYS: Record<string, ReuseOption> = {
  reuseaddr: 'reuseaddr',
  reuseaddress: 'reuseaddr',
  soreuseaddr: 'reuseaddr',
  optreuseaddr: 'reuseaddr',
  reuseport: 'reuseport',
  soreuseport: 'reuseport',
  optreuseport: 'reuseport',
  soreuseportlb: 'reuseport',
  reuseportlb: 'reuseport',
  exclusiveaddruse: 'exclusiveaddruse',
  soexclusiveaddruse: 'exclusiveaddruse',
  exclusiveaddressuse: 'exclusiveaddruse',
};

/** The reuse option a word names, or null. `Reuse` counts only where Perl's IO::Socket reads it. */
export function optionOfWord(word: string, perlHash = false): ReuseOption | null {
  const key = wordKey(word);
  if (perlHash && key === 'reuse') return 'reuseaddr';
  return OPTION_KEYS[key] ?? null;
}

/** `setReuseAddress`, `set_reuse_port`, `SetExclusiveAddressUse` → the option. */
export function optionOfSetter(word: string): ReuseOption | null {
  const key = wordKey(word);
  return key.startsWith('set') ? (OPTION_KEYS[key.slice(3)] ?? null) : null;
}

/** Names of calls that set socket options (the option itself is an argument). */
export function isOptionCall(word: string): boolean {
  const key = wordKey(word);
  return /^(?:set)?(?:sock|socket|server|child|channel)?(?:channel)?opt(?:ion)?s?(?:int|bool)?$/.test(key) || key === 'sockopt' || key === 'setsockoption';
}

export const BIND_WORDS = new Set(['bind', 'bindaddr', 'setsockname', 'bindto']);
export const LISTEN_WORDS = new Set(['listen']);
export const ACCEPT_WORDS = new Set(['accept', 'accepttcpclient', 'acceptsocket', 'accepttcpclientasync', 'acceptsocketasync', 'acceptasync', 'acceptloop']);
export const RECEIVE_WORDS = new Set(['recvfrom', 'recv', 'recvmsg', 'receive', 'receivefrom', 'receiveasync', 'receivefromasync', 'receivemessagefrom', 'recvfromasync']);
export const CONNECT_WORDS = new Set(['connect', 'connectasync', 'setpeername']);
/** Words that make a socket a group receiver: joining multicast, or enabling broadcast. */
export const MULTICAST_WORDS = new Set([
  'ipaddmembership', 'ipv6addmembership', 'ipv6joingroup', 'addmembership', 'joingroup', 'joinmulticastgroup',
  'joinmulticast', 'joinmulticastv4', 'joinmulticastv6', 'mcastjoin', 'ipmulticastloop', 'sobroadcast', 'broadcast',
  'enablebroadcast', 'multicastjoingroup', 'membership',
]);

/** First names of module paths: `Unix.bind`, `std.posix.bind`, `gen_tcp:listen`, `Darwin.bind`. */
export const NAMESPACES = new Set([
  'unix', 'unixlabels', 'std', 'posix', 'os', 'net', 'darwin', 'glibc', 'libc', 'c', 'sys', 'syscall', 'foundation',
  'sockets', 'core', 'ffi', 'winsock', 'gentcp', 'genudp', 'inet', 'ssl', 'network', 'lsocket', 'nativesocket',
]);

export type Implicit = Partial<Record<Platform, ReuseOption[]>>;

export const IMPLICIT_NONE: Implicit = {};
/** libuv, .NET, Tcl 8.7, Julia: SO_REUSEADDR on Unix only. */
export const IMPLICIT_UNIX_RA: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
/** JDK ServerSocket/ServerSocketChannel, Dart ServerSocket: SO_REUSEADDR on Unix, exclusive bind on Windows. */
export const IMPLICIT_UNIX_RA_WIN_EX: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] };
/** JDK DatagramSocket/DatagramChannel: exclusive bind on Windows. */
export const IMPLICIT_WIN_EX: Implicit = { win32: ['exclusiveaddruse'] };
/** luasocket `socket.bind`, Dart RawDatagramSocket, JDK MulticastSocket: SO_REUSEADDR everywhere. */
export const IMPLICIT_ALL_RA: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };

export const TRUE_WORDS = new Set(['true', 'yes', 'on', '#t', 't', '$true', 'enable', 'enabled']);
export const FALSE_WORDS = new Set(['false', 'no', 'off', '#f', 'nil', '$false', 'disable', 'disabled']);

/** Identifiers naming a wildcard address. */
export const WILDCARD_IDENTS = new Set([
  'inaddrany', 'in6addrany', 'in6addranyinit', 'inetaddrany', 'inet6addrany', 'anyipv4', 'anyipv6', 'any', 'ipv6any',
  'anyaddress', 'anyaddr', 'iNADDR_ANY'.toLowerCase(),
]);
/** Identifiers naming a loopback address. */
export const LOOPBACK_IDENTS = new Set(['inaddrloopback', 'in6addrloopback', 'inetaddrloopback', 'loopbackipv4', 'loopbackipv6', 'loopback', 'ipv6loopback', 'localhost']);
