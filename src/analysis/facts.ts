// Socket facts: the one language-neutral vocabulary between language adapters and rules.
// Adapters produce these from source text; rules read nothing else.

export type Platform = 'linux' | 'darwin' | 'win32';
export const ALL_PLATFORMS: readonly Platform[] = ['linux', 'darwin', 'win32'];

/** The reuse-related options a rule reasons about. */
export type ReuseOption = 'reuseaddr' | 'reuseport' | 'exclusiveaddruse';

/** Half-open range of UTF-16 offsets into the file's text (what JS strings and LSP use). */
export interface Span {
  start: number;
  end: number;
}

export type Protocol = 'tcp' | 'udp' | 'unknown';
/** server: accepts connections / receives on a known port; client: connects out. */
export type SocketRole = 'server' | 'client' | 'unknown';

export interface SocketFact {
  /** Unique within one file, e.g. "s@120". */
  id: string;
  protocol: Protocol;
  role: SocketRole;
  /** Human name of the API that made it, used in messages: "socket.socket", "net.Listen". */
  api: string;
  /** Where the socket is created (or the call that creates and binds it). */
  span: Span;
  /** Name of the variable holding it, when there is one; fixes use it. */
  variable?: string;
  /** Joins a multicast group or receives broadcasts: sharing the port is the point. */
  multicast: boolean;
}

export interface OptionFact {
  socketId: string;
  option: ReuseOption;
  /** true when the code turns the option on, false when it turns it off. */
  enabled: boolean;
  /** The statement or call that sets it. */
  span: Span;
  /** Platforms on which this statement runs (from `#ifdef _WIN32`, `runtime.GOOS`, file suffixes...). */
  platforms: Platform[];
  /**
   * Where it takes effect relative to the bind: "before" (set before bind, or passed to the call that
   * binds, like `create_server(reuse_port=True)`), "after" (set once the socket is already bound).
   */
  timing: 'before' | 'after';
  /** Platforms where the API raises an error for this option (Node `reusePort` on macOS/Windows). */
  unsupportedOn?: Platform[];
}

export type HostKind = 'any' | 'loopback' | 'specific' | 'unknown';

export interface BindFact {
  socketId: string;
  /** The bind/listen call. Bind-related findings are reported here. */
  span: Span;
  /** Resolved port, when a reader of the code could tell it; 0 is ephemeral. */
  port: number | null;
  /** Host as written or resolved ("0.0.0.0", "::", "localhost"); null when not given. */
  host: string | null;
  hostKind: HostKind;
  /** True when the host is an explicit wildcard a reader wrote ("0.0.0.0", "", "::", INADDR_ANY, ":8080"). */
  explicitWildcard: boolean;
  /** Platforms on which this bind runs. */
  platforms: Platform[];
  /** Options the runtime sets by itself at this bind, per platform (Go net.Listen: reuseaddr on linux/darwin). */
  implicit: Partial<Record<Platform, ReuseOption[]>>;
  /** The API binds while constructing the socket, so options can only be set by rewriting the call. */
  bindsAtCreation: boolean;
}

/** A hand-written definition of an option constant, e.g. `const SO_EXCLUSIVEADDRUSE = 0x4`. */
export interface ConstantFact {
  name: string;
  /** Numeric value, when it could be computed. */
  value: number | null;
  span: Span;
  /** Span of the value expression alone, which a fix replaces. */
  valueSpan: Span;
}

export interface FileFacts {
  sockets: SocketFact[];
  options: OptionFact[];
  binds: BindFact[];
  constants: ConstantFact[];
}

export function emptyFacts(): FileFacts {
  return { sockets: [], options: [], binds: [], constants: [] };
}
