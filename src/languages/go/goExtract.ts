// Go source → socket facts. One walk collects declarations and calls; the calls are then read in
// source order: listeners (net, tls, http, ListenConfig, reuseport libraries), raw syscall sockets,
// options set in Control callbacks, options set after the fact through SyscallConn/File, and
// multicast group joins through golang.org/x/net/ipv4|ipv6.
import {
  emptyFacts, type BindFact, type FileFacts, type OptionFact, type Platform, type Protocol,
  type SocketFact, type SocketRole,
} from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { goGuardedPlatforms, type GuardCache } from './goGuards';
import { goFilePlatforms } from './goPlatforms';
import { GoScope, unconditionalWithin } from './goScope';
import { GoSockopts, goOptionName, type SockoptScan } from './goSockopts';
import { callArgs, calleeName, calleeOperand, calleeText, goIntValue, namedChildrenOf, unparen } from './goSyntax';
import { GoValues, isMulticastHost, parseGoAddress, unknownAddress, type ListenAddress } from './goValues';

type Implicit = BindFact['implicit'];

const STREAM_DEFAULTS: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
/** net.ListenPacket on a multicast address: setDefaultMulticastSockopts (RA; RA+RP on BSD; RA on Windows). */
const MULTICAST_DEFAULTS: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] };
/** go-reuseport / fasthttp reuseport: RA+RP on Unix, SO_REUSEADDR on Windows. */
const REUSEPORT_LIB_DEFAULTS: Implicit = { linux: ['reuseaddr', 'reuseport'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] };
/**
 * A group receiver whose bind host we cannot resolve (`net.ListenPacket("udp4", tt.addr)`): Go sets
 * SO_REUSEADDR itself if that host is the group, so on Unix reuse may well be in effect and a missing
 * option cannot be claimed. Windows is left out: hijacking is not claimed on a guess either.
 */
const MAYBE_MULTICAST_DEFAULTS: Implicit = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };

/** A socket with its bind, before it becomes facts. */
interface Pending {
  socket: SocketFact;
  bind: BindFact | null;
  options: OptionFact[];
  /** The call that created it (for variable tracking). */
  creator: SyntaxNode;
  raw: boolean;
}

export interface GoExtraction {
  facts: FileFacts;
  /** Per socket id: the Control callback expression used by its bind, when known. */
  controls: Map<string, SyntaxNode>;
  /** Per socket id: the ListenConfig receiver or literal, when the bind uses one. */
  configs: Map<string, SyntaxNode>;
  filePlatforms: Platform[];
}

function span(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}

function protocolOf(network: string | number | null): Protocol | 'skip' {
  if (typeof network !== 'string') return 'unknown';
  if (/^tcp[46]?$/.test(network)) return 'tcp';
  if (/^udp[46]?$/.test(network)) return 'udp';
  return 'skip';
}

/** The variable a call's result goes to: `ln, err := net.Listen(...)` → "ln". */
export function assignedName(call: SyntaxNode): string | null {
  const list = call.parent;
  if (!list || list.type !== 'expression_list') return null;
  const holder = list.parent;
  if (!holder) return null;
  if (holder.type === 'short_var_declaration' || holder.type === 'assignment_statement') {
    const first = namedChildrenOf(holder.childForFieldName('left'))[0];
    return first?.type === 'identifier' && first.text !== '_' ? first.text : null;
  }
  if (holder.type === 'var_spec') {
    const first = holder.childrenForFieldName('name')[0];
    return first && first.text !== '_' ? first.text : null;
  }
  return null;
}

export class GoExtractor {
  private readonly scope = new GoScope();
  private readonly values = new GoValues(this.scope);
  private readonly guards: GuardCache = new Map();
  private readonly sockopts = new GoSockopts(this.scope, this.values, this.guards);
  private readonly calls: SyntaxNode[] = [];
  private readonly specs: SyntaxNode[] = [];
  private readonly pending: Pending[] = [];
  private readonly byCreator = new Map<number, Pending>();
  /** Datagram listeners bound to a host we could not resolve: it may be a multicast group. */
  private readonly unresolvedPacket = new Set<Pending>();
  private readonly controls = new Map<string, SyntaxNode>();
  private readonly configs = new Map<string, SyntaxNode>();
  private readonly filePlatforms: Platform[];

  private readonly packageName: string;

  constructor(private readonly root: SyntaxNode, path: string, text: string) {
    this.filePlatforms = goFilePlatforms(path, text);
    this.packageName = /^\s*package\s+(\w+)/m.exec(text)?.[1] ?? '';
  }

  run(): GoExtraction {
    const facts = emptyFacts();
    const result = { facts, controls: this.controls, configs: this.configs, filePlatforms: this.filePlatforms };
    if (this.filePlatforms.length === 0) return result;
    this.collect();
    for (const call of this.calls) this.creation(call);
    for (const call of this.calls) this.usage(call);
    for (const p of this.pending) {
      if (!p.bind) continue;
      if (this.unresolvedPacket.has(p) && p.socket.multicast && Object.keys(p.bind.implicit).length === 0) p.bind.implicit = MAYBE_MULTICAST_DEFAULTS;
      facts.sockets.push(p.socket);
      facts.binds.push(p.bind);
      facts.options.push(...p.options);
    }
    for (const spec of this.specs) this.constant(spec, facts);
    return result;
  }

  /** The single walk: declarations into the scope, calls and constant specs into lists. */
  private collect(): void {
    const cursor = this.root.walk();
    try {
      let done = false;
      while (!done) {
        const node = cursor.currentNode;
        this.scope.visit(node);
        if (node.type === 'call_expression') this.calls.push(node);
        else if (node.type === 'const_spec' || node.type === 'var_spec') this.specs.push(node);
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

  // ---- sockets -------------------------------------------------------------------------------

  private addSocket(call: SyntaxNode, api: string, protocol: Protocol, role: SocketRole, address: ListenAddress,
    implicit: Implicit, multicast: boolean, raw = false): Pending {
    const id = `${api}@${call.startIndex}`;
    const platforms = goGuardedPlatforms(call, this.filePlatforms, this.guards);
    const socket: SocketFact = { id, protocol, role, api, span: span(call), multicast };
    // http's ListenAndServe returns only an error: no variable holds the socket.
    const variable = api.startsWith('http.') ? null : assignedName(call);
    if (variable) socket.variable = variable;
    const bind: BindFact | null = raw ? null : {
      socketId: id, span: span(call), port: address.port, host: address.host, hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard, platforms, implicit, bindsAtCreation: true,
    };
    const p: Pending = { socket, bind, options: [], creator: call, raw };
    this.pending.push(p);
    this.byCreator.set(call.id, p);
    return p;
  }

  private noteUnresolvedHost(p: Pending, address: ListenAddress): void {
    if (address.host === null && address.hostKind === 'unknown') this.unresolvedPacket.add(p);
  }

  private packetRole(protocol: Protocol, address: ListenAddress, multicast: boolean): SocketRole {
    if (protocol !== 'udp') return 'unknown';
    if (multicast) return 'server';
    if (address.port === 0) return 'client';
    return address.port === null ? 'unknown' : 'server';
  }

  /** Calls that create (and bind) a socket. */
  private creation(call: SyntaxNode): void {
    const callee = calleeText(call);
    const name = calleeName(call);
    const args = callArgs(call);
    const pkg = calleeOperand(call)?.text ?? '';
    const arg = (i: number): SyntaxNode | undefined => args[i];
    if ((pkg === 'net' || pkg === 'tls') && (name === 'Listen' || name === 'ListenTCP') && args.length >= 2) {
      const protocol = protocolOf(this.evalArg(arg(0)));
      if (protocol === 'skip') return;
      const address = name === 'Listen' ? this.stringAddress(arg(1)) : this.structAddress(arg(1));
      this.addSocket(call, callee, protocol, 'server', address, STREAM_DEFAULTS, false);
      return;
    }
    if (pkg === 'net' && (name === 'ListenPacket' || name === 'ListenUDP' || name === 'ListenMulticastUDP') && args.length >= 2) {
      const protocol = protocolOf(this.evalArg(arg(0)));
      if (protocol === 'skip') return;
      const address = name === 'ListenPacket' ? this.stringAddress(arg(1)) : this.structAddress(name === 'ListenUDP' ? arg(1) : arg(2));
      const multicast = name === 'ListenMulticastUDP' || isMulticastHost(address.host);
      const p = this.addSocket(call, callee, protocol, this.packetRole(protocol, address, multicast), address, multicast ? MULTICAST_DEFAULTS : {}, multicast);
      if (name !== 'ListenMulticastUDP') this.noteUnresolvedHost(p, address);
      return;
    }
    if (pkg === 'http' && (name === 'ListenAndServe' || name === 'ListenAndServeTLS') && args.length >= 1) {
      this.addSocket(call, callee, 'tcp', 'server', this.httpAddress(arg(0), name), STREAM_DEFAULTS, false);
      return;
    }
    if (/reuseport$/i.test(pkg) && /^(?:Listen|ListenPacket|NewReusablePortListener|NewReusablePortPacketConn)$/.test(name) && args.length === 2) {
      const protocol = protocolOf(this.evalArg(arg(0)));
      if (protocol === 'skip') return;
      const address = this.stringAddress(arg(1));
      const packet = /Packet/.test(name);
      const role = packet ? this.packetRole(protocol, address, isMulticastHost(address.host)) : 'server';
      this.addSocket(call, callee, protocol, role, address, REUSEPORT_LIB_DEFAULTS, isMulticastHost(address.host));
      return;
    }
    if ((name === 'ListenAndServe' && args.length === 0) || (name === 'ListenAndServeTLS' && args.length === 2)) {
      this.httpServerMethod(call, name);
      return;
    }
    if ((name === 'Listen' || name === 'ListenPacket') && args.length === 3 && pkg !== 'net') {
      this.listenConfigCall(call, name);
      return;
    }
    if ((pkg === 'syscall' || pkg === 'unix') && name === 'Socket' && args.length === 3) {
      const type = arg(1)?.text ?? '';
      const protocol: Protocol = /SOCK_STREAM/.test(type) ? 'tcp' : /SOCK_DGRAM/.test(type) ? 'udp' : 'unknown';
      this.addSocket(call, callee, protocol, 'unknown', unknownAddress(), {}, false, true);
    }
  }

  private evalArg(node: SyntaxNode | undefined): string | number | null {
    return node ? this.values.evaluate(node) : null;
  }

  private stringAddress(node: SyntaxNode | undefined): ListenAddress {
    return node ? this.values.stringAddress(node) : unknownAddress();
  }

  private structAddress(node: SyntaxNode | undefined): ListenAddress {
    return node ? this.values.structAddress(node) : unknownAddress();
  }

  /** http's address: "" and a missing Addr mean ":http" (":https" for TLS), all interfaces. */
  private httpAddress(node: SyntaxNode | undefined, method: string): ListenAddress {
    const defaultPort = method.endsWith('TLS') ? 443 : 80;
    if (!node) return { host: null, port: defaultPort, explicitWildcard: false, hostKind: 'any' };
    const v = this.values.evaluate(node);
    if (v === '') return { host: '', port: defaultPort, explicitWildcard: true, hostKind: 'any' };
    return typeof v === 'string' ? parseGoAddress(v) : unknownAddress();
  }

  /** A composite literal of the given type behind `expr` (through &, parentheses and variables). */
  private literalOf(expr: SyntaxNode, typePattern: RegExp, depth = 0): { literal: SyntaxNode | null; type: string; name: string | null } | null {
    let n = unparen(expr);
    if (n.type === 'unary_expression' && n.child(0)?.type === '&') {
      const operand = n.childForFieldName('operand');
      if (!operand) return null;
      n = unparen(operand);
    }
    if (n.type === 'composite_literal') {
      const type = n.childForFieldName('type')?.text ?? '';
      return typePattern.test(type) ? { literal: n, type, name: null } : null;
    }
    if (n.type === 'call_expression' && calleeText(n) === 'new') {
      const type = callArgs(n)[0]?.text ?? '';
      return typePattern.test(type) ? { literal: null, type, name: null } : null;
    }
    if (n.type === 'identifier' && depth < 4) {
      const decl = this.scope.declaration(n.text, n);
      if (!decl) return null;
      if (decl.value && !decl.multiValue) {
        const inner = this.literalOf(decl.value, typePattern, depth + 1);
        return inner ? { ...inner, name: n.text } : null;
      }
      const type = decl.type?.text.replace(/^\*/, '') ?? '';
      if (typePattern.test(type)) return { literal: null, type, name: n.text };
    }
    return null;
  }

  private keyedValue(literal: SyntaxNode | null, key: string): SyntaxNode | null {
    for (const element of namedChildrenOf(literal?.childForFieldName('body') ?? null)) {
      if (element.type !== 'keyed_element') continue;
      const [k, v] = namedChildrenOf(element);
      if (k?.text === key && v) return namedChildrenOf(v)[0] ?? v;
    }
    return null;
  }

  /**
   * The value of `name.Field = value` last assigned before `at`: undefined when there is none,
   * null when it is set only on some paths (a switch choosing the Control), so it is unknown.
   */
  private fieldAssignment(name: string | null, field: string, at: SyntaxNode): SyntaxNode | null | undefined {
    if (!name) return undefined;
    const assigned = this.scope.all(`${name}.${field}`).filter((b) => b.node.startIndex < at.startIndex);
    const last = assigned[assigned.length - 1];
    if (!last) return undefined;
    const declScope = this.scope.declaration(name, at)?.scope;
    if (!declScope || !unconditionalWithin(last.node, declScope)) return null;
    return last.value;
  }

  /** srv.ListenAndServe() on an http.Server the code builds. */
  private httpServerMethod(call: SyntaxNode, method: string): void {
    const receiver = calleeOperand(call);
    if (!receiver) return;
    const server = this.literalOf(receiver, /(?:^|\.)Server$/);
    // A bare `Server` is http's only inside package http itself (dns.Server has ListenAndServe too).
    if (!server || !(server.type === 'http.Server' || (server.type === 'Server' && this.packageName === 'http'))) return;
    const assigned = this.fieldAssignment(server.name, 'Addr', call);
    if (assigned === null) return;
    const addrNode = assigned ?? this.keyedValue(server.literal, 'Addr');
    const address = this.httpAddress(addrNode ?? undefined, method);
    this.addSocket(call, `http.Server.${method}`, 'tcp', 'server', address, STREAM_DEFAULTS, false);
  }

  /** lc.Listen(ctx, "tcp", addr) / lc.ListenPacket(ctx, "udp", addr) with options from lc.Control. */
  private listenConfigCall(call: SyntaxNode, method: string): void {
    const receiver = calleeOperand(call);
    if (!receiver) return;
    const args = callArgs(call);
    const protocol = protocolOf(this.evalArg(args[1]));
    if (protocol === 'skip') return;
    const config = this.literalOf(receiver, /ListenConfig$/);
    // Without a known ListenConfig, only the distinctive (ctx, "tcp"|"udp", addr) shape counts.
    if (!config && protocol === 'unknown') return;
    const address = this.stringAddress(args[2]);
    const assignedControl = config ? this.fieldAssignment(config.name, 'Control', call) : undefined;
    const controlExpr = assignedControl === undefined ? (config ? this.keyedValue(config.literal, 'Control') : null) : assignedControl;
    const scan = controlExpr ? this.scanControl(controlExpr) : null;
    const packet = method === 'ListenPacket';
    const multicastAddr = packet && isMulticastHost(address.host);
    const multicast = multicastAddr || (scan?.multicast ?? false);
    const role = packet ? this.packetRole(protocol, address, multicast) : 'server';
    const implicit = packet ? (multicastAddr ? MULTICAST_DEFAULTS : {}) : STREAM_DEFAULTS;
    const p = this.addSocket(call, packet ? 'net.ListenConfig.ListenPacket' : 'net.ListenConfig.Listen', protocol, role, address, implicit, multicast);
    if (packet) this.noteUnresolvedHost(p, address);
    if (controlExpr) this.controls.set(p.socket.id, controlExpr);
    this.configs.set(p.socket.id, receiver);
    if (scan) this.attachOptions(p, scan, 'before');
  }

  /** What a Control callback sets: a func literal, a named function, or a reuseport library's Control. */
  private scanControl(expr: SyntaxNode): SockoptScan | null {
    const n = unparen(expr);
    if (n.type === 'func_literal') return this.sockopts.scan(n, this.filePlatforms);
    if (n.type === 'identifier') {
      const fn = this.scope.functions.get(n.text);
      if (fn) return this.sockopts.scan(fn, this.filePlatforms);
      const decl = this.scope.declaration(n.text, n);
      if (decl?.value && unparen(decl.value).type === 'func_literal') return this.sockopts.scan(decl.value, this.filePlatforms);
      return null;
    }
    if (n.type === 'selector_expression' && /reuseport$/i.test(n.childForFieldName('operand')?.text ?? '') && n.childForFieldName('field')?.text === 'Control') {
      const s = span(n);
      return {
        multicast: false,
        calls: [],
        options: [
          { option: 'reuseaddr', enabled: true, span: s, platforms: [...this.filePlatforms], call: n },
          { option: 'reuseport', enabled: true, span: s, platforms: this.filePlatforms.filter((p) => p !== 'win32'), call: n },
        ],
      };
    }
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      const decl = fn?.type === 'identifier' ? this.scope.functions.get(fn.text) : undefined;
      if (decl) return this.sockopts.scan(decl, this.filePlatforms);
    }
    return null;
  }

  private attachOptions(p: Pending, scan: SockoptScan, timing: 'before' | 'after'): void {
    const bindPlatforms = p.bind?.platforms ?? this.filePlatforms;
    for (const o of scan.options) {
      p.options.push({
        socketId: p.socket.id, option: o.option, enabled: o.enabled, span: o.span, timing,
        platforms: o.platforms.filter((pl) => bindPlatforms.includes(pl)),
      });
    }
    if (scan.multicast) this.markMulticast(p);
  }

  private markMulticast(p: Pending): void {
    p.socket.multicast = true;
    if (p.socket.protocol === 'udp') p.socket.role = 'server';
  }

  // ---- uses of existing sockets ----------------------------------------------------------------

  /** The socket an expression refers to: `ln`, `pc.(*net.UDPConn)`, `ln.(*net.TCPListener)`. */
  private socketOf(expr: SyntaxNode | null | undefined, depth = 0): Pending | null {
    if (!expr || depth > 4) return null;
    let n = unparen(expr);
    while (n.type === 'type_assertion_expression' || n.type === 'type_conversion_expression') {
      const operand = n.childForFieldName('operand') ?? namedChildrenOf(n)[0];
      if (!operand) return null;
      n = unparen(operand);
    }
    if (n.type === 'call_expression') return this.byCreator.get(n.id) ?? null;
    if (n.type !== 'identifier') return null;
    const decl = this.scope.declaration(n.text, n);
    const assigns = this.scope.assignments(n.text, decl, n);
    const latest = assigns[assigns.length - 1] ?? decl;
    if (!latest?.value || latest.index !== 0) return null;
    return this.socketOf(latest.value, depth + 1);
  }

  /** The call a variable was last set from (`rc, _ := ln.SyscallConn()` → the SyscallConn call). */
  private sourceCall(expr: SyntaxNode): SyntaxNode | null {
    const n = unparen(expr);
    if (n.type === 'call_expression') return n;
    if (n.type !== 'identifier') return null;
    const decl = this.scope.declaration(n.text, n);
    const assigns = this.scope.assignments(n.text, decl, n);
    const latest = assigns[assigns.length - 1] ?? decl;
    const value = latest?.value ? unparen(latest.value) : null;
    return value?.type === 'call_expression' ? value : null;
  }

  /** Calls on sockets that already exist: raw syscalls, late options, multicast joins. */
  private usage(call: SyntaxNode): void {
    const name = calleeName(call);
    const pkg = calleeOperand(call)?.text ?? '';
    const args = callArgs(call);
    if (pkg === 'syscall' || pkg === 'unix' || pkg === 'windows') {
      if (name === 'Bind' || name === 'Listen' || name === 'Connect') {
        const raw = this.rawSocketOf(args[0]);
        if (raw) this.rawCall(raw, call, name, args[1]);
        return;
      }
      if (/^Setsockopt/.test(name)) {
        this.directSockopt(call, args);
        return;
      }
    }
    if (name === 'Control' && args.length === 1) {
      // rc, _ := ln.(*net.TCPListener).SyscallConn(); rc.Control(func(fd uintptr) {...}): too late.
      const receiver = calleeOperand(call);
      const source = receiver ? this.sourceCall(receiver) : null;
      if (source && calleeName(source) === 'SyscallConn') {
        const p = this.socketOf(calleeOperand(source));
        const fn = args[0];
        if (p && fn && !p.raw) this.attachOptions(p, this.sockopts.scan(fn, this.filePlatforms), 'after');
      }
      return;
    }
    if (name === 'JoinGroup' || name === 'JoinSourceSpecificGroup') {
      const receiver = calleeOperand(call);
      const source = receiver ? this.sourceCall(receiver) : null;
      if (source && calleeName(source) === 'NewPacketConn') {
        const p = this.socketOf(callArgs(source)[0]);
        if (p) this.markMulticast(p);
      }
    }
  }

  private rawSocketOf(fd: SyntaxNode | undefined): Pending | null {
    if (!fd) return null;
    const p = this.socketOf(fd);
    return p?.raw ? p : null;
  }

  private rawCall(p: Pending, call: SyntaxNode, name: string, sa: SyntaxNode | undefined): void {
    if (name === 'Listen') {
      p.socket.role = 'server';
      return;
    }
    if (name === 'Connect') {
      if (p.socket.role !== 'server') p.socket.role = 'client';
      return;
    }
    if (p.bind) return;
    const address = sa ? this.values.structAddress(sa) : unknownAddress();
    p.bind = {
      socketId: p.socket.id, span: span(call), port: address.port, host: address.host, hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard, platforms: goGuardedPlatforms(call, this.filePlatforms, this.guards), implicit: {},
      bindsAtCreation: false,
    };
    if (p.socket.protocol === 'udp' && p.socket.role === 'unknown' && address.port !== null) p.socket.role = address.port === 0 ? 'client' : 'server';
  }

  /** SetsockoptInt(fd, ...) on a raw socket, or on `f.Fd()` of a listener's File() (after bind). */
  private directSockopt(call: SyntaxNode, args: SyntaxNode[]): void {
    let fd = args[0] ? unparen(args[0]) : null;
    // int(fd), syscall.Handle(fd)
    while (fd?.type === 'call_expression' && callArgs(fd).length === 1 && /^(?:int|uintptr|syscall\.Handle|windows\.Handle)$/.test(calleeText(fd))) {
      fd = callArgs(fd)[0] ?? null;
    }
    if (!fd) return;
    let p = this.rawSocketOf(fd);
    let timing: 'before' | 'after' = 'before';
    if (!p) {
      const fdCall = this.sourceCall(fd);
      const file = fdCall && calleeName(fdCall) === 'Fd' ? calleeOperand(fdCall) : null;
      const fileCall = file ? this.sourceCall(file) : null;
      if (!fileCall || calleeName(fileCall) !== 'File') return;
      p = this.socketOf(calleeOperand(fileCall));
      if (!p || p.raw) return;
      timing = 'after';
    }
    const scan = this.sockopts.scan(call, this.filePlatforms);
    if (p.raw) {
      // Position decides: set before syscall.Bind or after it (Bind may not have been seen yet).
      for (const o of scan.options) {
        const after = p.bind !== null && p.bind.span.start < o.span.start;
        this.attachOptions(p, { ...scan, options: [o] }, after ? 'after' : 'before');
      }
      if (scan.multicast) this.markMulticast(p);
      return;
    }
    this.attachOptions(p, scan, timing);
  }

  // ---- constants -------------------------------------------------------------------------------

  /** `const SO_EXCLUSIVEADDRUSE = 0x4`: hand-written option constants, with their values. */
  private constant(spec: SyntaxNode, facts: FileFacts): void {
    const names = spec.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null);
    const values = namedChildrenOf(spec.childForFieldName('value'));
    const type = spec.childForFieldName('type')?.text ?? null;
    names.forEach((nameNode, i) => {
      if (goOptionName(nameNode.text) !== 'exclusiveaddruse') return;
      const value = values[i];
      if (!value) return;
      facts.constants.push({ name: nameNode.text, value: exclusiveValue(value, type), span: span(spec), valueSpan: span(value) });
    });
  }
}

const UNSIGNED32 = /^(?:uint32|windows\.DWORD|DWORD)$/;

/** Value of an SO_EXCLUSIVEADDRUSE definition; SO_REUSEADDR inside it is the Winsock value 4. */
export function exclusiveValue(node: SyntaxNode, declaredType: string | null, depth = 0): number | null {
  if (depth > 8) return null;
  const n = unparen(node);
  const wrap = (v: number | null, type: string | null): number | null => (v !== null && type && UNSIGNED32.test(type) ? v >>> 0 : v);
  if (n.type === 'int_literal') return wrap(goIntValue(n.text), declaredType);
  if (n.type === 'selector_expression' || n.type === 'identifier') {
    return goOptionName(n.text) === 'reuseaddr' ? 4 : null;
  }
  if (n.type === 'unary_expression') {
    const operand = n.childForFieldName('operand');
    const op = n.child(0)?.type;
    if (!operand) return null;
    const inner = unparen(operand);
    const innerType = inner.type === 'call_expression' ? calleeText(inner) : declaredType;
    const v = exclusiveValue(operand, null, depth + 1);
    if (v === null) return null;
    if (op === '^') return wrap(~v, innerType ?? declaredType);
    if (op === '-') return wrap(-v, declaredType);
    return null;
  }
  if (n.type === 'call_expression' && callArgs(n).length === 1) {
    const arg = callArgs(n)[0];
    const type = calleeText(n);
    if (!arg || !/^(?:u?int(?:8|16|32|64)?|uintptr|windows\.\w+|syscall\.\w+)$/.test(type)) return null;
    return wrap(exclusiveValue(arg, type, depth + 1), type);
  }
  return null;
}

/** Extracts facts from a parsed Go file. */
export function extractGoFacts(root: SyntaxNode, path: string, text: string): GoExtraction {
  return new GoExtractor(root, path, text).run();
}
