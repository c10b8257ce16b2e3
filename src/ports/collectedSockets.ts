// What an OS collector hands back: every socket it saw and the processes that hold them, before any
// grouping, attribution or warnings. Each OS collector (Linux /proc, macOS netstat/lsof/ps, Windows
// netstat/tasklist) fills the same shape, so everything above it is OS-neutral.

export type PortsPlatform = 'linux' | 'darwin' | 'win32';
export type SocketProtocol = 'tcp' | 'udp';
export type AddressFamily = 'ipv4' | 'ipv6';

/**
 * Socket state. TCP uses the kernel's state names; a UDP socket is either `unconnected` (bound and
 * receiving from anyone: the UDP equivalent of listening, shown as state 07 in /proc/net/udp) or
 * `connected` (it called connect()).
 */
export type SocketState =
  | 'listen'
  | 'established'
  | 'syn-sent'
  | 'syn-recv'
  | 'fin-wait-1'
  | 'fin-wait-2'
  | 'time-wait'
  | 'close'
  | 'close-wait'
  | 'last-ack'
  | 'closing'
  | 'unconnected'
  | 'connected'
  | 'unknown';

export interface CollectedSocket {
  protocol: SocketProtocol;
  family: AddressFamily;
  /** Printable local address: "127.0.0.1", "::", "::ffff:127.0.0.1", "fe80::1%en0". */
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: SocketState;
  /** Kernel identity of the socket: the inode on Linux, lsof's device field elsewhere; absent if unknown. */
  inode?: string;
  /** UID that owns the socket. Linux shows it even when the owning process is invisible. */
  uid?: number;
  /** Every process holding the socket (fork-inherited listeners, fds passed over SCM_RIGHTS). */
  pids: number[];
  /** macOS `tcp46`/`udp46`: an IPv6 socket that also accepts IPv4. */
  dualStack?: boolean;
}

export interface CollectedProcess {
  pid: number;
  /** Parent PID; undefined where the OS tool does not report it (Windows tasklist). */
  ppid?: number;
  uid?: number;
  user?: string;
  /** Short name: basename of argv[0], or the kernel's comm / image name. */
  name: string;
  /** argv as the process sees it, when readable. */
  argv: string[];
  /** argv joined for display; arguments with spaces are quoted. Falls back to the name. */
  commandLine: string;
  cwd?: string;
  /**
   * Opaque identity token that changes when the PID is reused (Linux: start time in clock ticks since
   * boot; macOS: ps lstart; Windows: image name). The stop action compares it before every signal.
   */
  startToken?: string;
  /** Start time, milliseconds since the epoch, when known. */
  startedAt?: number;
  /** Value of the workspace environment marker variable, when it was asked for and is readable. */
  envMarker?: string;
}

/** Parent link of a process, kept for every ancestor of a socket holder (for terminal attribution). */
export interface ProcessLineage {
  pid: number;
  ppid?: number;
  startToken?: string;
  name: string;
}

export interface Collection {
  platform: PortsPlatform;
  sockets: CollectedSocket[];
  /** Processes holding at least one socket in `sockets`. */
  processes: CollectedProcess[];
  /** Holders and all their ancestors, for walking up to a terminal. */
  lineage: ProcessLineage[];
  /** Things that limit what this collection shows, in words for the user (not failures). */
  notes: string[];
  /** The effective UID of the collector, when the OS has UIDs. */
  currentUid?: number;
  /** User names for the UIDs seen (socket owners and processes), keyed by UID as a string. */
  users: Record<string, string>;
}

/** Listening in the user's sense: a TCP listener, or a bound unconnected UDP socket with a port. */
export function isListeningSocket(socket: Pick<CollectedSocket, 'protocol' | 'state' | 'localPort'>): boolean {
  if (socket.localPort === 0) return false;
  return socket.protocol === 'tcp' ? socket.state === 'listen' : socket.state === 'unconnected';
}

export type AddressScope = 'any' | 'loopback' | 'specific';

/** Whether a bind address means "all interfaces", "this machine only" or one specific interface. */
export function addressScope(address: string): AddressScope {
  const a = address.toLowerCase();
  if (a === '0.0.0.0' || a === '::' || a === '*' || a === '::ffff:0.0.0.0') return 'any';
  if (a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.')) return 'loopback';
  return 'specific';
}

/** Quotes an argv element for display when it contains whitespace or quotes. */
export function quoteArgForDisplay(arg: string): string {
  if (arg === '') return "''";
  if (!/[\s'"\\]/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * argv for display. A single element is shown as is: programs that rewrite their title (Chromium,
 * nginx, postgres) leave the whole command line in argv[0].
 */
export function joinArgv(argv: readonly string[]): string {
  if (argv.length === 1) return argv[0] ?? '';
  return argv.map(quoteArgForDisplay).join(' ');
}
