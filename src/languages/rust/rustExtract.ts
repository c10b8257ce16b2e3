// Rust source → socket facts: std/tokio/mio/async-std listeners that bind as they are created,
// tokio TcpSocket and socket2 builders (options, bind, listen/connect), SockRef and raw
// setsockopt calls, multicast joins, and hand-written SO_EXCLUSIVEADDRUSE constants.
import {
  emptyFacts, type BindFact, type FileFacts, type OptionFact, type Platform, type Protocol, type ReuseOption,
  type SocketFact, type SocketRole,
} from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { rustFilePlatforms, rustGuardedPlatforms, type GuardCache } from './rustCfg';
import { callArgs, methodName, named, pathSegments, receiverOf, rustIntValue, unparen, unwrapResult } from './rustSyntax';
import { RustValues, isMulticastIp, type RustAddress } from './rustValues';

type Implicit = BindFact['implicit'];

/** std, tokio, mio, async-std and smol TcpListener::bind set SO_REUSEADDR except on Windows. */
const LISTENER_DEFAULTS: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
const UNIX: Platform[] = ['linux', 'darwin'];

export type RustSocketKind = 'listener' | 'udp' | 'tokio-socket' | 'socket2';

interface Pending {
  socket: SocketFact;
  kind: RustSocketKind;
  bind: BindFact | null;
  options: OptionFact[];
  creator: SyntaxNode;
}

export interface RustExtraction {
  facts: FileFacts;
  kinds: Map<string, RustSocketKind>;
  filePlatforms: Platform[];
}

function span(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}

/** Option setter methods of tokio TcpSocket, mio and socket2. */
const SETTERS: Record<string, ReuseOption> = {
  set_reuseaddr: 'reuseaddr', set_reuse_address: 'reuseaddr', set_reuseport: 'reuseport', set_reuse_port: 'reuseport',
  set_reuse_port_lb: 'reuseport',
};

/** Option named by a constant or nix sockopt type. */
export function rustOptionName(text: string): ReuseOption | 'broadcast' | 'membership' | null {
  const name = text.replace(/^.*::/, '').replace(/_/g, '').toUpperCase();
  if (name === 'SOREUSEADDR' || name === 'REUSEADDR') return 'reuseaddr';
  if (name === 'SOREUSEPORT' || name === 'REUSEPORT' || name === 'SOREUSEPORTLB' || name === 'REUSEPORTLB') return 'reuseport';
  if (name === 'SOEXCLUSIVEADDRUSE') return 'exclusiveaddruse';
  if (name === 'SOBROADCAST' || name === 'BROADCAST') return 'broadcast';
  if (name === 'IPADDMEMBERSHIP' || name === 'IPV6ADDMEMBERSHIP' || name === 'IPV6JOINGROUP' || name === 'IPMEMBERSHIP') return 'membership';
  return null;
}

/** The value a block ends with (its last expression without a semicolon). */
function tailOf(block: SyntaxNode | null): SyntaxNode | null {
  if (!block) return null;
  const last = named(block).pop();
  return last && last.type !== 'expression_statement' && last.type !== 'let_declaration' ? last : null;
}

/** The variable a constructor's result goes to: `let s = Socket::new(..)?;` → "s". */
export function letName(call: SyntaxNode): string | null {
  let n: SyntaxNode = call;
  while (n.parent && ['try_expression', 'await_expression', 'field_expression', 'call_expression', 'parenthesized_expression'].includes(n.parent.type)) {
    const p = n.parent;
    if (p.type === 'field_expression' && !/^(?:unwrap|expect|map_err|context|with_context)$/.test(p.childForFieldName('field')?.text ?? '')) return null;
    if (p.type === 'call_expression' && p.childForFieldName('function')?.type !== 'field_expression') return null;
    n = p;
  }
  const decl = n.parent;
  if (decl?.type !== 'let_declaration') return null;
  const pattern = decl.childForFieldName('pattern');
  return pattern?.type === 'identifier' ? pattern.text : null;
}

export class RustExtractor {
  private readonly values = new RustValues();
  private readonly calls: SyntaxNode[] = [];
  private readonly items: SyntaxNode[] = [];
  private readonly pending: Pending[] = [];
  private readonly byCreator = new Map<number, Pending>();
  private readonly filePlatforms: Platform[];
  private usesHyper = false;
  private readonly guards: GuardCache = new Map();

  constructor(private readonly root: SyntaxNode, path: string, text: string) {
    this.filePlatforms = rustFilePlatforms(path, root);
    this.usesHyper = /\b(?:hyper|axum)\b/.test(text);
  }

  run(): RustExtraction {
    const facts = emptyFacts();
    const kinds = new Map<string, RustSocketKind>();
    const result = { facts, kinds, filePlatforms: this.filePlatforms };
    if (this.filePlatforms.length === 0) return result;
    this.collect();
    for (const call of this.calls) this.creation(call);
    for (const call of this.calls) this.usage(call);
    for (const p of this.pending) {
      if (!p.bind) continue;
      facts.sockets.push(p.socket);
      facts.binds.push(p.bind);
      facts.options.push(...p.options);
      kinds.set(p.socket.id, p.kind);
    }
    for (const item of this.items) this.constant(item, facts);
    return result;
  }

  private collect(): void {
    const cursor = this.root.walk();
    try {
      let done = false;
      while (!done) {
        const node = cursor.currentNode;
        this.values.visit(node);
        if (node.type === 'call_expression') this.calls.push(node);
        else if (node.type === 'const_item' || node.type === 'static_item') this.items.push(node);
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            done = true;
            break;
          }
        }
      }
    } finally {
      cursor.delete();
    }
  }

  private add(call: SyntaxNode, api: string, kind: RustSocketKind, protocol: Protocol, role: SocketRole, address: RustAddress | null, implicit: Implicit): Pending {
    const id = `${api}@${call.startIndex}`;
    const multicast = address !== null && isMulticastIp(address.host);
    const socket: SocketFact = { id, protocol, role, api, span: span(call), multicast };
    const variable = letName(call);
    if (variable) socket.variable = variable;
    const bind: BindFact | null = address === null ? null : {
      socketId: id, span: span(call), port: address.port, host: address.host, hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard, platforms: rustGuardedPlatforms(call, this.filePlatforms, this.guards), implicit,
      bindsAtCreation: true,
    };
    const p: Pending = { socket, kind, bind, options: [], creator: call };
    this.pending.push(p);
    this.byCreator.set(call.id, p);
    return p;
  }

  private udpRole(address: RustAddress): SocketRole {
    if (isMulticastIp(address.host)) return 'server';
    if (address.port === 0) return 'client';
    return address.port === null ? 'unknown' : 'server';
  }

  /** Constructors: X::bind(addr), TcpSocket::new_v4(), Socket::new(domain, type, proto). */
  private creation(call: SyntaxNode): void {
    const segments = pathSegments(call);
    if (segments.length < 2) return;
    const name = segments[segments.length - 1] ?? '';
    const type = segments[segments.length - 2] ?? '';
    const api = segments.join('::');
    const args = callArgs(call);
    if (name === 'bind' && args.length === 1 && args[0]) {
      if (type === 'TcpListener' || (type === 'Server' && this.usesHyper)) {
        this.add(call, api, 'listener', 'tcp', 'server', this.values.address(args[0]), LISTENER_DEFAULTS);
      } else if (type === 'UdpSocket') {
        const address = this.values.address(args[0]);
        this.add(call, api, 'udp', 'udp', this.udpRole(address), address, {});
      }
      return;
    }
    if (type === 'TcpSocket' && /^new(?:_v4|_v6)?$/.test(name)) {
      this.add(call, api, 'tokio-socket', 'tcp', 'unknown', null, {});
      return;
    }
    if (type === 'Socket' && /^new(?:_raw)?$/.test(name) && args.length >= 2) {
      const typeText = args[1]?.text ?? '';
      const protocol: Protocol = /STREAM/.test(typeText) ? 'tcp' : /DGRAM/.test(typeText) ? 'udp' : 'unknown';
      this.add(call, api, 'socket2', protocol, 'unknown', null, {});
    }
  }

  /** The socket an expression refers to: a variable, `&s`, `SockRef::from(&s)`, `s.as_raw_fd()`. */
  private socketOf(expr: SyntaxNode | null | undefined, depth = 0): Pending | null {
    if (!expr || depth > 5) return null;
    const n = unwrapResult(unparen(expr));
    if (n.type === 'reference_expression' || n.type === 'type_cast_expression') {
      const inner = n.childForFieldName('value') ?? named(n)[0];
      return this.socketOf(inner, depth + 1);
    }
    if (n.type === 'match_expression') {
      // match Socket::new(..) { Ok(s) => s, Err(e) => ... }
      return this.socketOf(n.childForFieldName('value'), depth + 1);
    }
    if (n.type === 'if_expression') {
      // `if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? }`: either branch.
      return this.socketOf(tailOf(n.childForFieldName('consequence')), depth + 1);
    }
    if (n.type === 'call_expression') {
      const direct = this.byCreator.get(n.id);
      if (direct) return direct;
      const fn = n.childForFieldName('function');
      if (fn && unparen(fn).type === 'closure_expression') {
        // (|| -> io::Result<_> { ...; Ok(socket.into()) })(): the socket the closure returns.
        return this.socketOf(tailOf(unparen(fn).childForFieldName('body')), depth + 1);
      }
      if (pathSegments(n).join('::') === 'Ok') return this.socketOf(callArgs(n)[0], depth + 1);
      const method = methodName(n);
      if (method && /^(?:as_raw_fd|as_raw_socket|as_fd|as_socket|by_ref|into|listen)$/.test(method)) return this.socketOf(receiverOf(n), depth + 1);
      const segments = pathSegments(n);
      if (segments.slice(-2).join('::') === 'SockRef::from') return this.socketOf(callArgs(n)[0], depth + 1);
      return null;
    }
    if (n.type === 'identifier') {
      const value = this.values.valueOf(n.text, n);
      return value ? this.socketOf(value, depth + 1) : null;
    }
    return null;
  }

  private timing(p: Pending, at: SyntaxNode): 'before' | 'after' {
    if (!p.bind) return 'before';
    return p.bind.bindsAtCreation || p.bind.span.start < at.startIndex ? 'after' : 'before';
  }

  private addOption(p: Pending, call: SyntaxNode, option: ReuseOption, enabled: boolean, only?: Platform[]): void {
    let platforms = rustGuardedPlatforms(call, this.filePlatforms, this.guards);
    if (only) platforms = platforms.filter((pl) => only.includes(pl));
    if (option === 'reuseport') platforms = platforms.filter((pl) => pl !== 'win32');
    p.options.push({ socketId: p.socket.id, option, enabled, span: span(call), platforms, timing: this.timing(p, call) });
  }

  private enabledOf(arg: SyntaxNode | undefined): boolean {
    if (!arg) return true;
    const n = unparen(arg);
    const inner = n.type === 'reference_expression' ? n.childForFieldName('value') ?? n : n;
    if (inner.text === 'false') return false;
    if (inner.text === 'true') return true;
    const v = this.values.evaluate(inner);
    return typeof v === 'number' ? v !== 0 : true;
  }

  private markMulticast(p: Pending): void {
    p.socket.multicast = true;
    if (p.socket.protocol === 'udp') p.socket.role = 'server';
  }

  /** Method calls on sockets and raw setsockopt calls. */
  private usage(call: SyntaxNode): void {
    const method = methodName(call);
    const args = callArgs(call);
    if (method) {
      const p = this.socketOf(receiverOf(call));
      if (!p) return;
      const option = SETTERS[method];
      if (option) {
        this.addOption(p, call, option, this.enabledOf(args[0]));
        return;
      }
      if (method === 'bind' && args[0] && !p.bind) {
        const address = this.values.address(args[0]);
        p.bind = {
          socketId: p.socket.id, span: span(call), port: address.port, host: address.host, hostKind: address.hostKind,
          explicitWildcard: address.explicitWildcard, platforms: rustGuardedPlatforms(call, this.filePlatforms, this.guards), implicit: {},
          bindsAtCreation: false,
        };
        if (isMulticastIp(address.host)) this.markMulticast(p);
        else if (p.socket.protocol === 'udp' && p.socket.role === 'unknown') p.socket.role = this.udpRole(address);
        // Options seen before were timed against a socket without a bind yet.
        for (const o of p.options) o.timing = o.span.start > call.startIndex ? 'after' : 'before';
        return;
      }
      if (method === 'listen') p.socket.role = 'server';
      else if (method === 'connect' && p.socket.role !== 'server' && !p.socket.multicast) p.socket.role = 'client';
      else if (/^join_multicast_v[46]$|^join_ssm_v4$/.test(method)) this.markMulticast(p);
      else if (method === 'set_broadcast' && this.enabledOf(args[0])) this.markMulticast(p);
      return;
    }
    const segments = pathSegments(call);
    if (segments[segments.length - 1] !== 'setsockopt') return;
    this.rawSetsockopt(call, segments, args);
  }

  /** libc/windows-sys/winapi `setsockopt(fd, SOL_SOCKET, SO_X, ...)` and nix `setsockopt(&s, ReuseAddr, &true)`. */
  private rawSetsockopt(call: SyntaxNode, segments: string[], args: SyntaxNode[]): void {
    const p = this.socketOf(args[0]);
    if (!p) return;
    const nix = args.length === 3;
    const optionNode = nix ? args[1] : args[2];
    const option = optionNode ? this.optionOf(optionNode) : null;
    if (!option) return;
    const crate = segments[0] ?? '';
    const only = crate === 'libc' || crate === 'nix' || nix ? UNIX : /^(?:windows_sys|winapi|windows|WinSock)$/.test(crate) ? (['win32'] as Platform[]) : undefined;
    const enabled = nix ? this.enabledOf(args[2]) : true;
    if (option === 'membership') {
      this.markMulticast(p);
      return;
    }
    if (option === 'broadcast') {
      if (enabled) this.markMulticast(p);
      return;
    }
    this.addOption(p, call, option, enabled, only);
  }

  private optionOf(node: SyntaxNode): ReuseOption | 'broadcast' | 'membership' | null {
    const n = unparen(node);
    if (n.type === 'unary_expression' && n.child(0)?.type === '!') {
      const operand = named(n)[0];
      return operand && this.optionOf(operand) === 'reuseaddr' ? 'exclusiveaddruse' : null;
    }
    const direct = rustOptionName(n.text);
    if (direct) return direct;
    if (n.type === 'type_cast_expression') {
      const inner = n.childForFieldName('value');
      return inner ? this.optionOf(inner) : null;
    }
    const v = this.values.evaluate(n);
    return v === -5 || v === 0xfffffffb ? 'exclusiveaddruse' : null;
  }

  /** `const SO_EXCLUSIVEADDRUSE: i32 = 4;` */
  private constant(item: SyntaxNode, facts: FileFacts): void {
    const name = item.childForFieldName('name');
    const value = item.childForFieldName('value');
    if (!name || !value || rustOptionName(name.text) !== 'exclusiveaddruse') return;
    const type = item.childForFieldName('type')?.text ?? null;
    facts.constants.push({ name: name.text, value: rustExclusiveValue(value, type), span: span(item), valueSpan: span(value) });
  }
}

/** Value of an SO_EXCLUSIVEADDRUSE definition; SO_REUSEADDR in it is Winsock's 4. */
export function rustExclusiveValue(node: SyntaxNode, type: string | null, depth = 0): number | null {
  if (depth > 8) return null;
  const n = unparen(node);
  const unsigned32 = type !== null && /^(?:u32|DWORD|c_uint|u_int)$/.test(type.replace(/^.*::/, ''));
  const wrap = (v: number | null): number | null => (v !== null && unsigned32 ? v >>> 0 : v);
  if (n.type === 'integer_literal') {
    const suffix = /(u32)$/.exec(n.text);
    const v = rustIntValue(n.text);
    return suffix ? (v === null ? null : v >>> 0) : wrap(v);
  }
  if (n.type === 'scoped_identifier' || n.type === 'identifier') return rustOptionName(n.text) === 'reuseaddr' ? 4 : null;
  if (n.type === 'type_cast_expression') {
    const inner = n.childForFieldName('value');
    const castTo = n.childForFieldName('type')?.text ?? null;
    return inner ? rustExclusiveValue(inner, castTo ?? type, depth + 1) : null;
  }
  if (n.type === 'unary_expression') {
    const operand = named(n)[0];
    const v = operand ? rustExclusiveValue(operand, null, depth + 1) : null;
    if (v === null) return null;
    const op = n.child(0)?.type;
    if (op === '!') return wrap(~v);
    if (op === '-') return wrap(-v);
  }
  return null;
}

export function extractRustFacts(root: SyntaxNode, path: string, text: string): RustExtraction {
  return new RustExtractor(root, path, text).run();
}
