// Socket events of a C# file: System.Net.Sockets Socket, TcpListener and UdpClient. On Unix .NET sets
// SO_REUSEADDR on every TCP Bind, and maps SocketOptionName.ReuseAddress to SO_REUSEADDR plus
// SO_REUSEPORT; on Windows it sets nothing by itself.
import type { HostKind, Platform, ReuseOption, Span } from '../../analysis/facts';
import { classifyHost } from '../common/hostPort';
import { intersect } from '../common/platformGuards';
import type { BindEvent, SocketEvent, SocketUse } from '../common/socketEvents';
import type { SyntaxNode } from '../treeSitter';
import type { CSharpProgram } from './csharpProgram';
import { argumentsOf, unwrapCs } from './csharpProgram';

export interface CsEndpoint {
  port: number | null;
  host: string | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
  group: boolean;
}

const UNIX: readonly Platform[] = ['linux', 'darwin'];
const TCP_BIND_IMPLICIT: BindEvent['implicit'] = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
const NAMED_ADDRESSES: Record<string, { host: string; kind: HostKind; explicit: boolean }> = {
  Any: { host: '0.0.0.0', kind: 'any', explicit: true },
  IPv6Any: { host: '::', kind: 'any', explicit: true },
  Loopback: { host: '127.0.0.1', kind: 'loopback', explicit: false },
  IPv6Loopback: { host: '::1', kind: 'loopback', explicit: false },
  Broadcast: { host: '255.255.255.255', kind: 'specific', explicit: false },
};
const MULTICAST_OPTIONS = /SocketOptionName\.(AddMembership|AddSourceMembership|MulticastInterface|MulticastTimeToLive|MulticastLoopback)\b/;
const SOCKET_API = /SetSocketOption|SetRawSocketOption|ExclusiveAddressUse|JoinMulticastGroup|EnableBroadcast|MulticastLoopback|\.Bind\s*\(|Membership/;
const HARMLESS_CALLEE = /^(Console|Debug|Trace|Assert|string|String|Task|GC|Math|nameof|Interlocked)\.|(Log|Print|Trace|Debug|Error|Warn|Assert|Dispose|Close|Shutdown|Write|Add|Remove|Contains|Format)\w*$/;

function unknownEndpoint(): CsEndpoint {
  return { port: null, host: null, hostKind: 'unknown', explicitWildcard: false, group: false };
}

export function isGroupAddress(host: string | null): boolean {
  if (!host) return false;
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(host);
  if (v4) return Number(v4[1]) >= 224 && Number(v4[1]) <= 239;
  return /^ff[0-9a-f]{2}:/i.test(host);
}

/** Expression text used as a socket's identity: `this.` and `?.` dropped, `.Server`/`.Client` folded into the owner. */
export function receiverText(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/^this\./, '').replace(/\.(Server|Client)$/, '');
}

/** Method name and receiver of an invocation (`s.Bind(ep)`, `s?.Listen()`), or nulls for plain calls. */
export function methodCall(call: SyntaxNode): { method: string; receiver: SyntaxNode | null } {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'member_access_expression') {
    return { method: fn.childForFieldName('name')?.text ?? '', receiver: fn.childForFieldName('expression') ?? null };
  }
  if (fn?.type === 'conditional_access_expression') {
    const binding = fn.namedChildren.find((c) => c?.type === 'member_binding_expression');
    return { method: binding?.childForFieldName('name')?.text ?? '', receiver: fn.childForFieldName('condition') ?? null };
  }
  return { method: fn?.text ?? '', receiver: null };
}

type Kind = 'Socket' | 'TcpListener' | 'UdpClient';

interface Created {
  kind: Kind;
  endpoint: CsEndpoint | null;
}

export class CSharpSocketEvents {
  private readonly events: SocketEvent[] = [];
  /** Key → what was created there (the last creation in the file wins). */
  private readonly created = new Map<string, Created>();
  private anonymous = 0;

  constructor(private readonly program: CSharpProgram) {}

  collect(): SocketEvent[] {
    for (const node of this.program.creations) this.readCreation(node);
    for (const call of this.program.invocations) {
      if (/^TcpListener\.Create$/.test(call.childForFieldName('function')?.text.replace(/^System\.Net\.Sockets\./, '') ?? '')) this.readListenerCreate(call);
    }
    for (const call of this.program.invocations) this.readInvocation(call);
    for (const assignment of this.program.assignments) this.readAssignment(assignment);
    return this.events;
  }

  private span(node: SyntaxNode): Span {
    return { start: node.startIndex, end: node.endIndex };
  }

  private scopeId(node: SyntaxNode): string {
    return this.program.scopeAt(node.startIndex)?.id ?? 'file';
  }

  /** Locals are qualified by their method; fields and properties are shared by the whole file. */
  private keyOf(text: string, at: SyntaxNode): string {
    const root = /^[A-Za-z_@][\w@]*/.exec(text)?.[0] ?? '';
    const scope = this.program.scopeAt(at.startIndex);
    if (scope?.locals.has(root)) return `${scope.id}|${text}`;
    // Fields and properties: shared by the members of one type.
    return `type@${this.program.typeAt(at)}|${text}`;
  }

  // ----- creation -----

  private typeName(node: SyntaxNode): string {
    if (node.type === 'object_creation_expression') return (node.childForFieldName('type')?.text ?? '').replace(/^.*\./, '');
    // `Socket s = new(...)`, `_listener = new(...)`: the declared type says what is made.
    const target = this.target(node);
    if (!target) return '';
    return this.program.typeOf(target.replace(/\..*$/, ''), node.startIndex).replace(/^.*\./, '').replace(/\?$/, '');
  }

  /** The variable a creation is stored in: declarator name or assignment target text. */
  private target(node: SyntaxNode): string | null {
    let child = node;
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression') {
        child = parent;
        continue;
      }
      if (parent.type === 'variable_declarator') return parent.childForFieldName('name')?.text ?? null;
      if (parent.type === 'assignment_expression' && parent.childForFieldName('right')?.equals(child)) {
        const left = parent.childForFieldName('left');
        return left ? receiverText(left) : null;
      }
      return null;
    }
    return null;
  }

  private readCreation(node: SyntaxNode): void {
    const type = this.typeName(node);
    if (type !== 'Socket' && type !== 'TcpListener' && type !== 'UdpClient') return;
    const args = argumentsOf(node);
    const target = this.target(node);
    const key = target ? this.keyOf(target, node) : `${this.scopeId(node)}|new#${this.anonymous++}`;
    const base = { key, at: node.startIndex, scope: this.scopeId(node), span: this.span(node), ...(target ? { variable: target } : {}) };
    if (type === 'Socket') {
      const text = args.map((a) => a.text).join(',');
      const protocol = /SocketType\.Stream|ProtocolType\.Tcp/.test(text) ? 'tcp' : /SocketType\.Dgram|ProtocolType\.Udp/.test(text) ? 'udp' : 'unknown';
      const notIp = /AddressFamily\.Unix|SocketType\.Raw|ProtocolType\.Icmp/.test(text);
      this.events.push({ kind: 'create', ...base, protocol, api: 'Socket', ...(notIp ? { notIp: true } : {}) });
      this.created.set(key, { kind: 'Socket', endpoint: null });
      return;
    }
    if (type === 'TcpListener') {
      this.events.push({ kind: 'create', ...base, protocol: 'tcp', api: 'TcpListener', role: 'server' });
      this.created.set(key, { kind: 'TcpListener', endpoint: this.listenerEndpoint(args) });
      return;
    }
    this.events.push({ kind: 'create', ...base, protocol: 'udp', api: 'UdpClient' });
    this.created.set(key, { kind: 'UdpClient', endpoint: null });
    const [first, second] = args;
    if (!first || /AddressFamily\./.test(first.text)) return;
    // new UdpClient("host", port) connects; new UdpClient(port) and new UdpClient(endpoint) bind at once.
    if (second && !/AddressFamily\./.test(second.text)) {
      this.use(key, node, 'connect');
      return;
    }
    const endpoint = this.isEndpoint(first) ? this.endpoint(first) : { ...unknownEndpoint(), port: this.program.number(first), hostKind: 'any' as HostKind };
    this.bind(key, node, this.span(node), endpoint, {}, true);
  }

  private readListenerCreate(call: SyntaxNode): void {
    const target = this.target(call);
    const key = target ? this.keyOf(target, call) : `${this.scopeId(call)}|new#${this.anonymous++}`;
    this.events.push({ kind: 'create', key, at: call.startIndex, scope: this.scopeId(call), span: this.span(call), protocol: 'tcp', api: 'TcpListener.Create', role: 'server', ...(target ? { variable: target } : {}) });
    const port = argumentsOf(call)[0];
    // TcpListener.Create(port) listens on IPv6Any in dual mode: every interface, though not written out.
    this.created.set(key, { kind: 'TcpListener', endpoint: { ...unknownEndpoint(), port: port ? this.program.number(port) : null, hostKind: 'any' } });
  }

  private listenerEndpoint(args: readonly SyntaxNode[]): CsEndpoint {
    const [first, second] = args;
    if (!first) return unknownEndpoint();
    if (second) return { ...this.host(first), port: this.program.number(second) };
    if (this.isEndpoint(first)) return this.endpoint(first);
    return { ...unknownEndpoint(), port: this.program.number(first), hostKind: 'any' };
  }

  // ----- endpoints -----

  private isEndpoint(node: SyntaxNode): boolean {
    const n = unwrapCs(node);
    if (/IPEndPoint/.test(n.type === 'object_creation_expression' ? (n.childForFieldName('type')?.text ?? '') : n.text)) return true;
    if (n.type === 'identifier') {
      if (/IPEndPoint|EndPoint/.test(this.program.typeOf(n.text, n.startIndex))) return true;
      const value = this.program.valueOf(n.text, n.startIndex);
      return value !== null && /IPEndPoint/.test(value.text);
    }
    return false;
  }

  private host(node: SyntaxNode, depth = 0): CsEndpoint {
    const endpoint = unknownEndpoint();
    const n = unwrapCs(node);
    const named = /^(?:System\.Net\.)?IPAddress\.(\w+)$/.exec(n.text.replace(/\s+/g, ''))?.[1];
    const fixed = named ? NAMED_ADDRESSES[named] : undefined;
    if (fixed) return { ...endpoint, host: fixed.host, hostKind: fixed.kind, explicitWildcard: fixed.explicit };
    if (n.type === 'invocation_expression' && /IPAddress\.(Parse|TryParse)$/.test(n.childForFieldName('function')?.text ?? '')) {
      const arg = argumentsOf(n)[0];
      const s = arg ? this.program.string(arg) : null;
      if (s !== null) {
        const kind = classifyHost(s);
        return { ...endpoint, host: s, hostKind: kind, explicitWildcard: kind === 'any', group: isGroupAddress(s) };
      }
      return endpoint;
    }
    if ((n.type === 'identifier' || n.type === 'member_access_expression') && depth < 6) {
      const value = this.program.valueOf(n.text.replace(/^this\./, ''), n.startIndex);
      if (value) return this.host(value, depth + 1);
    }
    return endpoint;
  }

  /** new IPEndPoint(address, port), IPEndPoint.Parse("host:port"), or a variable holding one. */
  private endpoint(node: SyntaxNode, depth = 0): CsEndpoint {
    const n = unwrapCs(node);
    if (n.type === 'object_creation_expression' || n.type === 'implicit_object_creation_expression') {
      const [address, port] = argumentsOf(n);
      if (!address) return unknownEndpoint();
      return { ...this.host(address), port: port ? this.program.number(port) : null };
    }
    if (n.type === 'invocation_expression' && /IPEndPoint\.Parse$/.test(n.childForFieldName('function')?.text ?? '')) {
      const arg = argumentsOf(n)[0];
      const split = arg ? this.program.hostPortText(arg) : null;
      if (!split) return unknownEndpoint();
      const host = split.host.replace(/^\[|\]$/g, '');
      const kind = classifyHost(host);
      return { port: split.port, host, hostKind: kind, explicitWildcard: kind === 'any', group: isGroupAddress(host) };
    }
    if ((n.type === 'identifier' || n.type === 'member_access_expression') && depth < 6) {
      const value = this.program.valueOf(n.text.replace(/^this\./, ''), n.startIndex);
      if (value) return this.endpoint(value, depth + 1);
    }
    return unknownEndpoint();
  }

  // ----- uses -----

  private use(key: string, at: SyntaxNode, use: SocketUse): void {
    this.events.push({ kind: 'use', key, at: at.startIndex, scope: this.scopeId(at), use });
  }

  private bind(key: string, at: SyntaxNode, span: Span, endpoint: CsEndpoint, implicit: BindEvent['implicit'], bindsAtCreation: boolean): void {
    const event: BindEvent = {
      kind: 'bind', key, at: at.startIndex, scope: this.scopeId(at), span, port: endpoint.port, host: endpoint.host,
      hostKind: endpoint.hostKind, explicitWildcard: endpoint.explicitWildcard, platforms: this.program.platformsOf(at), implicit, bindsAtCreation,
    };
    if (endpoint.group) event.groupAddress = true;
    this.events.push(event);
  }

  private option(key: string, node: SyntaxNode, option: ReuseOption, enabled: boolean, platforms: readonly Platform[]): void {
    const p = intersect(this.program.platformsOf(node), platforms);
    if (p.length === 0) return;
    this.events.push({ kind: 'option', key, at: node.startIndex, scope: this.scopeId(node), span: this.span(node), option, enabled, platforms: p });
  }

  /** true/false/1/0 or a constant; null when the value is configuration we cannot read. */
  private enabled(node: SyntaxNode | undefined): boolean | null {
    if (!node) return null;
    const v = this.program.number(node);
    return v === null ? null : v !== 0;
  }

  /** An option with a value we cannot read leaves the socket's options unknown. */
  private optionOrEscape(key: string, node: SyntaxNode, option: ReuseOption, value: SyntaxNode | undefined, platforms: readonly Platform[]): void {
    const enabled = this.enabled(value);
    if (enabled === null) this.use(key, node, 'escape');
    else this.option(key, node, option, enabled, platforms);
  }

  private readInvocation(call: SyntaxNode): void {
    const { method, receiver } = methodCall(call);
    const args = argumentsOf(call);
    if (!receiver) {
      this.escapeArguments(call, method, args);
      return;
    }
    const text = receiverText(receiver);
    const key = this.keyOf(text, call);
    const created = this.created.get(key);
    switch (method) {
      case 'SetSocketOption': {
        const [, name, value] = args;
        if (!name) return;
        const optionName = name.text.replace(/\s+/g, '');
        if (/SocketOptionName\.ReuseAddress$/.test(optionName)) {
          // .NET on Unix sets SO_REUSEPORT along with SO_REUSEADDR for this option.
          this.optionOrEscape(key, call, 'reuseaddr', value, ['linux', 'darwin', 'win32']);
          this.optionOrEscape(key, call, 'reuseport', value, UNIX);
        } else if (/SocketOptionName\.ExclusiveAddressUse$/.test(optionName)) {
          this.optionOrEscape(key, call, 'exclusiveaddruse', value, ['linux', 'darwin', 'win32']);
        } else if (MULTICAST_OPTIONS.test(optionName) || (/SocketOptionName\.Broadcast$/.test(optionName) && this.enabled(value) !== false)) {
          this.use(key, call, 'multicast');
        } else if (!/^SocketOptionName\./.test(optionName) && !/^\(SocketOptionName\)\s*\d/.test(name.text)) {
          this.use(key, call, 'escape');
        }
        return;
      }
      case 'Bind': {
        const ep = args[0];
        if (!ep) return;
        const protocol = this.protocolOf(key, created);
        this.bind(key, call, this.span(call), this.endpoint(ep), protocol === 'tcp' ? TCP_BIND_IMPLICIT : {}, false);
        return;
      }
      case 'Start':
        if (created?.kind === 'TcpListener' || /TcpListener/.test(this.program.typeOf(text, call.startIndex))) {
          this.bind(key, call, this.span(call), created?.endpoint ?? unknownEndpoint(), TCP_BIND_IMPLICIT, false);
          this.use(key, call, 'listen');
        }
        return;
      case 'Listen':
        this.use(key, call, 'listen');
        return;
      case 'JoinMulticastGroup':
        this.use(key, call, 'multicast');
        return;
      default:
        break;
    }
    if (/^(Begin|End)?Accept/.test(method)) this.use(key, call, 'accept');
    else if (/^(Begin)?Connect/.test(method)) this.use(key, call, 'connect');
    else if (/^(Begin)?Receive/.test(method)) this.use(key, call, 'receive');
    else this.escapeArguments(call, `${text}.${method}`, args);
  }

  private protocolOf(key: string, created: Created | undefined): 'tcp' | 'udp' | 'unknown' {
    if (created?.kind === 'UdpClient') return 'udp';
    if (created?.kind === 'TcpListener') return 'tcp';
    const create = this.events.find((e) => e.kind === 'create' && e.key === key);
    return create?.kind === 'create' ? create.protocol : 'unknown';
  }

  /** A socket handed to code we cannot see may get any option there. */
  private escapeArguments(call: SyntaxNode, callee: string, args: readonly SyntaxNode[]): void {
    if (HARMLESS_CALLEE.test(callee)) return;
    // A method of this file that touches no socket option, bind or group cannot change what we know.
    const own = this.program.methods.get(callee.replace(/^this\./, ''));
    if (own && own.every((m) => !SOCKET_API.test(m.text))) return;
    for (const arg of args) {
      if (arg.type !== 'identifier' && arg.type !== 'member_access_expression') continue;
      const key = this.keyOf(receiverText(arg), call);
      if (this.created.has(key)) this.use(key, call, 'escape');
    }
  }

  private readAssignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'member_access_expression' || !right) return;
    const property = left.childForFieldName('name')?.text ?? '';
    const owner = left.childForFieldName('expression');
    if (!owner) return;
    const key = this.keyOf(receiverText(owner), node);
    if (property === 'ExclusiveAddressUse') this.optionOrEscape(key, node, 'exclusiveaddruse', right, ['linux', 'darwin', 'win32']);
    else if ((property === 'EnableBroadcast' || property === 'MulticastLoopback') && this.enabled(right) !== false) this.use(key, node, 'multicast');
  }
}
