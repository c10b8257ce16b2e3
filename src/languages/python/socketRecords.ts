// The working record of one socket while facts are assembled: what created it, what was done to it.
import type { Platform, Protocol, ReuseOption, SocketRole } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import type { AttributeSet, CallSite } from './collect';
import type { Implicit } from './runtimeDefaults';
import type { Scope } from './scopes';
import type { ResolvedServer } from './serverClasses';
import type { HostInfo } from './values';

export type RoleHint = 'listen' | 'connect' | 'receive' | 'serve';

export interface BindDraft {
  node: SyntaxNode;
  scope: Scope;
  host: HostInfo;
  port: number | null;
  /** The address was a visible (host, port) tuple. */
  tuple: boolean;
  implicit: Implicit;
  bindsAtCreation: boolean;
  /** Meant to fail (inside assertRaises, or a port out of range): not a real bind. */
  fails?: boolean;
}

export interface OptionDraft {
  option: ReuseOption;
  enabled: boolean;
  node: SyntaxNode;
  scope: Scope;
  platforms: Platform[];
  /** Decided by the API (keywords, class attributes); otherwise computed from the binds' positions. */
  timing?: 'before' | 'after';
  unsupportedOn?: Platform[];
}

export type RecordKind = 'socket' | 'server' | 'api' | 'implicit';

export interface SocketRecord {
  kind: RecordKind;
  api: string;
  /** The creating call (or, for sockets made elsewhere, the first call seen on them). */
  node: SyntaxNode;
  scope: Scope;
  variable: string | null;
  protocol: Protocol;
  /** Role fixed by the API (servers); null when it follows from the calls made on the socket. */
  fixedRole: SocketRole | null;
  hints: Set<RoleHint>;
  multicast: boolean;
  /** AF_UNIX and other families without IP ports: no facts. */
  nonIp: boolean;
  /** The family is AF_INET/AF_INET6 or left at its default. */
  familyKnown: boolean;
  binds: BindDraft[];
  options: OptionDraft[];
  /** A reuse option is set only when a caller asks for it (`if reuse_port:`). */
  configurable: boolean;
  server?: ResolvedServer;
  /** socketserver `bind_and_activate` (true unless the code passes False). */
  bindAndActivate: boolean;
  serverBindCalls: CallSite[];
  instanceSets: AttributeSet[];
  /** Where a socketserver-family instance binds (at creation or in server_bind()). */
  serverAddress?: { host: HostInfo; port: number | null; tuple: boolean; fails?: boolean };
}

export function newRecord(kind: RecordKind, api: string, node: SyntaxNode, scope: Scope, variable: string | null, protocol: Protocol): SocketRecord {
  return {
    kind,
    api,
    node,
    scope,
    variable,
    protocol,
    fixedRole: null,
    hints: new Set(),
    multicast: false,
    nonIp: false,
    familyKnown: true,
    binds: [],
    options: [],
    configurable: false,
    bindAndActivate: true,
    serverBindCalls: [],
    instanceSets: [],
  };
}
