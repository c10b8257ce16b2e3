// Java source → socket facts. One walk collects declarations, socket creations and calls; creations
// are then registered (with their variables), and calls are read against them in document order.
import type { BindFact, FileFacts, OptionFact, Platform } from '../../analysis/facts';
import { optionFromConstant } from '../common/hostPort';
import { platformsFromFileName } from '../common/platformGuards';
import { SocketTracker, type TrackedSocket } from '../common/socketTracker';
import { platformsOf } from '../common/statementGuards';
import { spanOf, visitNodes } from '../common/treeWalk';
import type { SyntaxNode } from '../treeSitter';
import { CHANNEL_CLASSES, SOCKET_CLASSES, implicitOptions, reuseAddrPlatforms, type JavaSocketClass, type JavaSocketKind } from './javaRuntime';
import { conditionalBranch, withinBranch } from './javaBranches';
import { JavaSymbols, scopeChain } from './javaSymbols';
import { JavaEvaluator, UNKNOWN_ADDRESS, argumentsOf, simpleTypeName, unwrap, type Address } from './javaValues';

const VISITED = new Set([
  'import_declaration', 'variable_declarator', 'formal_parameter', 'spread_parameter', 'catch_formal_parameter', 'resource',
  'enhanced_for_statement', 'assignment_expression', 'object_creation_expression', 'method_invocation',
]);

/** Methods that return the channel they are called on, so a chain still names the same socket. */
const CHAINABLE = new Set(['setOption', 'bind', 'configureBlocking']);

function isMulticastHost(host: string | null): boolean {
  if (!host) return false;
  const first = Number.parseInt(host.split('.')[0] ?? '', 10);
  return (/^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239) || /^\[?ff[0-9a-f]{2}:/i.test(host);
}

/** The method or lambda a node runs in: text order is run order only inside one. */
function functionOf(node: SyntaxNode): string {
  return scopeChain(node).find((s) => s.startsWith('fn@')) ?? 'file';
}

interface Socketish {
  tracked: TrackedSocket;
  kind: JavaSocketKind;
}

/** A reuse option set inside a branch: on every path only if the bind is in that branch too. */
interface BranchedOption {
  socket: Socketish;
  call: SyntaxNode;
  option: 'reuseaddr' | 'reuseport';
  enabled: boolean;
  branch: SyntaxNode;
}

export class JavaFactsBuilder {
  private readonly symbols = new JavaSymbols();
  private readonly values = new JavaEvaluator(this.symbols);
  private readonly tracker = new SocketTracker();
  private readonly kinds = new Map<string, JavaSocketKind>();
  /** Creation expressions (by start offset) to the socket they make. */
  private readonly created = new Map<number, TrackedSocket>();
  private readonly creations: SyntaxNode[] = [];
  private readonly calls: SyntaxNode[] = [];
  private readonly declarators: SyntaxNode[] = [];
  /** Simple names imported from other packages (org.zeromq.ZMQ.Socket): not the JDK's classes. */
  private readonly foreign = new Set<string>();
  private readonly base: Platform[];
  private readonly branched: BranchedOption[] = [];
  /** Sockets whose reuse is turned on only on some paths: "may share", so neither missing nor shared for sure. */
  private readonly mayReuse = new Set<TrackedSocket>();

  constructor(path: string) {
    this.base = platformsFromFileName(path);
  }

  build(root: SyntaxNode): FileFacts {
    visitNodes(root, VISITED, (node) => this.collect(node));
    for (const node of this.creations) this.registerCreation(node);
    for (const call of this.calls) this.readCall(call);
    this.settleBranches();
    for (const declarator of this.declarators) this.readConstant(declarator);
    const facts = this.tracker.finish((socket, bind, options) => this.settleImplicit(socket, bind, options));
    for (const socket of this.mayReuse) {
      const sure = facts.options.some((o) => o.socketId === socket.fact.id && o.enabled && o.option !== 'exclusiveaddruse');
      if (sure || this.kinds.get(socket.fact.id) === 'server' || this.kinds.get(socket.fact.id) === 'multicast') continue;
      socket.fact.role = 'unknown';
      socket.fact.multicast = false;
    }
    return facts;
  }

  /**
   * Options set inside a branch (`if (port == 0) { ss.setReuseAddress(false); }`) that the bind is not
   * part of hold only on some paths: no fact claims them. Off on some paths leaves the default in place
   * (so "missing" is not claimed); on on some paths makes the socket's sharing a run-time choice.
   */
  private settleBranches(): void {
    for (const b of this.branched) {
      const binds = this.tracker.bindsOf(b.socket.tracked);
      const afterCreation = binds.some((bind) => bind.bindsAtCreation);
      if (afterCreation || binds.some((bind) => withinBranch(b.branch, bind.span))) {
        this.addOption(b.socket, b.call, b.option, b.enabled);
      } else if (b.enabled) {
        this.mayReuse.add(b.socket.tracked);
      }
    }
  }

  /** Defers an option under a non-platform branch until the binds are known. */
  private option(socket: Socketish, call: SyntaxNode, option: 'reuseaddr' | 'reuseport', enabled: boolean): void {
    const branch = conditionalBranch(call, socket.tracked.fact.span);
    if (branch) this.branched.push({ socket, call, option, enabled, branch });
    else this.addOption(socket, call, option, enabled);
  }

  /** The JDK socket class a type names, unless it is another library's class of the same name. */
  private socketClass(typeText: string): JavaSocketClass | undefined {
    const type = typeText.replace(/<.*$/s, '').replace(/\s+/g, '');
    const simple = type.replace(/^.*\./, '');
    if (type.includes('.') ? !/^(java\.net|javax\.net\.ssl|java\.nio\.channels)\./.test(type) : this.foreign.has(simple)) return undefined;
    return SOCKET_CLASSES.get(simple);
  }

  private collect(node: SyntaxNode): void {
    switch (node.type) {
      case 'import_declaration': {
        const m = /^import\s+(?:static\s+)?([\w.]+)\s*;/.exec(node.text);
        const name = m?.[1]?.replace(/^.*\./, '') ?? '';
        if (m?.[1] && SOCKET_CLASSES.has(name) && !/^(java\.net|javax\.net\.ssl|java\.nio\.channels)\./.test(m[1])) this.foreign.add(name);
        return;
      }
      case 'variable_declarator': {
        const name = node.childForFieldName('name')?.text;
        if (!name) return;
        const type = node.parent?.childForFieldName('type') ?? null;
        this.symbols.declare(name, scopeChain(node)[0] ?? 'file', type ? type.text : null, node.childForFieldName('value'), false);
        this.declarators.push(node);
        return;
      }
      case 'resource': {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type');
        if (name) this.symbols.declare(name, scopeChain(node)[0] ?? 'file', type ? type.text : null, node.childForFieldName('value'), false);
        return;
      }
      case 'formal_parameter':
      case 'spread_parameter':
      case 'catch_formal_parameter':
      case 'enhanced_for_statement': {
        const name = node.childForFieldName('name')?.text ?? node.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('name')?.text;
        const type = node.childForFieldName('type');
        // The scope chain starts at the parent, so a parameter lands in its method's scope.
        if (name) this.symbols.declare(name, scopeChain(node)[0] ?? 'file', type ? type.text : null, null, true);
        return;
      }
      case 'assignment_expression': {
        if (node.childForFieldName('operator')?.text !== '=') return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return;
        if (left.type === 'identifier') this.symbols.assign(left.text, scopeChain(node), right, false);
        else if (left.type === 'field_access' && left.childForFieldName('object')?.type === 'this') {
          this.symbols.assign(left.childForFieldName('field')?.text ?? '', scopeChain(node), right, true);
        }
        return;
      }
      case 'object_creation_expression':
        if (this.socketClass(node.childForFieldName('type')?.text ?? '')) this.creations.push(node);
        return;
      case 'method_invocation': {
        const name = node.childForFieldName('name')?.text ?? '';
        const object = node.childForFieldName('object');
        const channel = name === 'open' && object !== null && CHANNEL_CLASSES.has(simpleTypeName(object)) && this.socketClass(object.text) !== undefined;
        if (channel || name === 'createServerSocket') this.creations.push(node);
        else this.calls.push(node);
        return;
      }
    }
  }

  // ---- sockets -------------------------------------------------------------------------------

  private registerCreation(node: SyntaxNode): void {
    const args = argumentsOf(node);
    const isOpen = node.type === 'method_invocation';
    const factory = isOpen && node.childForFieldName('name')?.text === 'createServerSocket';
    const className = factory ? 'ServerSocket' : simpleTypeName(isOpen ? node.childForFieldName('object') : node.childForFieldName('type'));
    const cls = factory ? SOCKET_CLASSES.get('ServerSocket') : this.socketClass((isOpen ? node.childForFieldName('object') : node.childForFieldName('type'))?.text ?? '');
    if (!cls) return;
    let address: Address | null = null; // null: not bound by the creation
    if (cls.kind === 'server' && !isOpen) {
      if (args.length > 0) address = this.serverSocketAddress(args);
    } else if (factory) {
      if (args.length > 0) address = this.serverSocketAddress(args);
    } else if (cls.kind === 'datagram' || cls.kind === 'multicast') {
      if (!isOpen) address = this.datagramAddress(args);
    } else if (cls.kind === 'stream') {
      // new Socket(host, port) and SocketChannel.open(addr) connect at once: clients, nothing to bind.
      if (args.length > 0 && !(isOpen && className === 'AsynchronousSocketChannel')) return;
    }
    const api = factory ? 'ServerSocketFactory.createServerSocket' : isOpen ? `${className}.open` : `new ${className}`;
    const holder = this.holderOf(node);
    const tracked = this.tracker.add({
      protocol: cls.protocol,
      api,
      span: spanOf(node),
      ...holder,
      role: cls.kind === 'server' ? 'server' : undefined,
      multicast: cls.kind === 'multicast' && (address?.port ?? 1) !== 0,
    });
    this.kinds.set(tracked.fact.id, cls.kind);
    this.created.set(node.startIndex, tracked);
    if (address) this.addBind(tracked, cls, node, address, true);
  }

  /** new ServerSocket(port[, backlog[, bindAddr]]) */
  private serverSocketAddress(args: SyntaxNode[]): Address {
    const port = this.values.int(args[0] ?? null);
    if (args.length < 3) return { host: null, port, hostKind: 'any', explicitWildcard: false };
    return { ...this.values.inetAddress(args[2] ?? null), port };
  }

  /** new DatagramSocket() / (port[, addr]) / (SocketAddress); null when created unbound. */
  private datagramAddress(args: SyntaxNode[]): Address | null {
    if (args.length === 0) return { host: null, port: 0, hostKind: 'any', explicitWildcard: false };
    const first = unwrap(args[0] ?? null);
    if (first?.type === 'null_literal') return null;
    if (this.values.looksLikeAddress(first)) {
      const address = this.values.socketAddress(first);
      return address === UNKNOWN_ADDRESS && unwrap(first)?.type === 'null_literal' ? null : address;
    }
    const port = this.values.int(first);
    if (args.length < 2) return { host: null, port, hostKind: 'any', explicitWildcard: false };
    return { ...this.values.inetAddress(args[1] ?? null), port };
  }

  /** The variable a creation is stored in, following chains like open().setOption(..).bind(..). */
  private holderOf(node: SyntaxNode): { variable?: string; key?: string; scope: string } {
    let holder = node;
    for (;;) {
      const parent = holder.parent;
      if (!parent) break;
      if (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression') holder = parent;
      else if (parent.type === 'method_invocation' && parent.childForFieldName('object')?.startIndex === holder.startIndex
        && CHAINABLE.has(parent.childForFieldName('name')?.text ?? '')) holder = parent;
      else break;
    }
    const parent = holder.parent;
    const chain = scopeChain(holder);
    const innermost = chain[0] ?? 'file';
    if (parent?.type === 'variable_declarator' || parent?.type === 'resource') {
      const name = parent.childForFieldName('name')?.text;
      if (name) return { variable: name, key: name, scope: innermost };
    }
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.startIndex === holder.startIndex) {
      const left = parent.childForFieldName('left');
      if (left?.type === 'identifier') {
        const decl = this.symbols.declarationFor(left.text, chain);
        return { variable: left.text, key: left.text, scope: decl?.scope ?? innermost };
      }
      if (left?.type === 'field_access' && left.childForFieldName('object')?.type === 'this') {
        const field = left.childForFieldName('field')?.text ?? '';
        const decl = this.symbols.fieldDeclaration(field, chain);
        return { variable: left.text, key: field, scope: decl?.scope ?? chain.find((s) => s.startsWith('class@')) ?? 'file' };
      }
    }
    return { scope: innermost };
  }

  /** The socket an expression refers to: a variable, a field, a creation, or a chain ending in one. */
  private socketFor(expression: SyntaxNode | null): Socketish | undefined {
    const n = unwrap(expression);
    if (!n) return undefined;
    let tracked: TrackedSocket | undefined;
    if (n.type === 'object_creation_expression' || (n.type === 'method_invocation' && this.created.has(n.startIndex))) {
      tracked = this.created.get(n.startIndex);
    } else if (n.type === 'method_invocation') {
      const name = n.childForFieldName('name')?.text ?? '';
      if (CHAINABLE.has(name) || (name === 'socket' && argumentsOf(n).length === 0)) return this.socketFor(n.childForFieldName('object'));
      return undefined;
    } else if (n.type === 'identifier') {
      const chain = scopeChain(n);
      const decl = this.symbols.declarationFor(n.text, chain);
      tracked = this.tracker.lookup(n.text, decl ? [decl.scope] : chain, n.startIndex);
      if (!tracked && decl?.type) tracked = this.declaredSocket(n.text, decl.scope, decl.type, n);
    } else if (n.type === 'field_access' && n.childForFieldName('object')?.type === 'this') {
      const field = n.childForFieldName('field')?.text ?? '';
      const chain = scopeChain(n).filter((s) => !s.startsWith('fn@'));
      tracked = this.tracker.lookup(field, chain, n.startIndex);
      const decl = this.symbols.fieldDeclaration(field, chain);
      if (!tracked && decl?.type) tracked = this.declaredSocket(field, decl.scope, decl.type, n);
    }
    const kind = tracked ? this.kinds.get(tracked.fact.id) : undefined;
    return tracked && kind ? { tracked, kind } : undefined;
  }

  /** A socket typed by its declaration but made elsewhere (a parameter, a factory we do not know). */
  private declaredSocket(name: string, scope: string, type: string, use: SyntaxNode): TrackedSocket | undefined {
    const cls = this.socketClass(type);
    if (!cls) return undefined;
    const tracked = this.tracker.add({
      protocol: cls.protocol,
      api: type.replace(/<.*$/s, '').replace(/^.*\./, '').trim(),
      span: spanOf(use),
      variable: name,
      key: name,
      scope,
      role: cls.kind === 'server' ? 'server' : undefined,
      multicast: cls.kind === 'multicast',
    });
    this.kinds.set(tracked.fact.id, cls.kind);
    return tracked;
  }

  private addBind(tracked: TrackedSocket, cls: JavaSocketClass, node: SyntaxNode, address: Address, atCreation: boolean): void {
    const span = atCreation ? spanOf(node) : this.callSpan(node);
    if (isMulticastHost(address.host)) tracked.fact.multicast = true;
    const fact: Omit<BindFact, 'socketId'> = {
      span,
      port: address.port,
      host: address.host,
      hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard,
      platforms: platformsOf(node, this.base),
      implicit: implicitOptions(cls.kind),
      bindsAtCreation: atCreation,
    };
    this.tracker.bind(tracked, fact, functionOf(node));
  }

  /** `ss.bind(addr)` whole; in a chain `open().setOption(..).bind(addr)`, just `bind(addr)`. */
  private callSpan(call: SyntaxNode): { start: number; end: number } {
    const object = unwrap(call.childForFieldName('object'));
    const name = call.childForFieldName('name');
    if (object && name && (object.type === 'method_invocation' || object.type === 'object_creation_expression')) {
      return { start: name.startIndex, end: call.endIndex };
    }
    return spanOf(call);
  }

  // ---- calls on sockets ------------------------------------------------------------------------

  private readCall(call: SyntaxNode): void {
    const name = call.childForFieldName('name')?.text ?? '';
    const args = argumentsOf(call);
    switch (name) {
      case 'setReuseAddress': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (socket) this.option(socket, call, 'reuseaddr', this.values.bool(args[0] ?? null) ?? true);
        return;
      }
      case 'setOption': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (!socket || args.length < 2) return;
        const optionName = (args[0]?.text ?? '').replace(/^.*\./, '');
        const enabled = this.values.bool(args[1] ?? null) ?? true;
        if (optionName === 'SO_BROADCAST') {
          if (enabled) socket.tracked.fact.multicast = true;
          return;
        }
        const option = optionFromConstant(optionName);
        if (option === 'reuseaddr' || option === 'reuseport') this.option(socket, call, option, enabled);
        return;
      }
      case 'setBroadcast':
        if (this.values.bool(args[0] ?? null) !== false) this.markMulticast(call);
        return;
      case 'joinGroup':
      case 'join':
        this.markMulticast(call);
        return;
      case 'bind': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (!socket || args.length === 0) return;
        const cls = { kind: socket.kind, protocol: socket.tracked.fact.protocol };
        this.addBind(socket.tracked, cls, call, this.values.socketAddress(args[0] ?? null), false);
        return;
      }
      case 'accept':
      case 'listen': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (socket) socket.tracked.listens = true;
        return;
      }
      case 'connect': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (socket) socket.tracked.connects = true;
        return;
      }
      case 'receive': {
        const socket = this.socketFor(call.childForFieldName('object'));
        if (socket) socket.tracked.receives = true;
        return;
      }
    }
  }

  private markMulticast(call: SyntaxNode): void {
    const socket = this.socketFor(call.childForFieldName('object'));
    if (socket && socket.tracked.fact.protocol === 'udp') socket.tracked.fact.multicast = true;
  }

  private addOption(socket: Socketish, call: SyntaxNode, option: 'reuseaddr' | 'reuseport', enabled: boolean): void {
    const guarded = platformsOf(call, this.base);
    const span = this.callSpan(call);
    if (option === 'reuseaddr') {
      this.tracker.option(socket.tracked, { option, enabled, span, platforms: reuseAddrPlatforms(socket.kind, guarded), where: functionOf(call) });
    } else {
      // StandardSocketOptions.SO_REUSEPORT is not supported on Windows: setOption throws.
      this.tracker.option(socket.tracked, { option, enabled, span, platforms: guarded, unsupportedOn: ['win32'], where: functionOf(call) });
    }
  }

  /** `static final int SO_EXCLUSIVEADDRUSE = ...` written by hand (JNA/JNI code). */
  private readConstant(declarator: SyntaxNode): void {
    const name = declarator.childForFieldName('name');
    const value = declarator.childForFieldName('value');
    if (!name || !value || !/SO_EXCLUSIVEADDRUSE$/i.test(name.text)) return;
    let computed = this.values.int(value);
    // Java ints are 32-bit: 0xFFFFFFFB is -5.
    if (computed !== null && computed > 0x7fffffff && computed <= 0xffffffff) computed |= 0;
    this.tracker.constants.push({ name: name.text, value: computed, span: spanOf(declarator), valueSpan: spanOf(value) });
  }

  /**
   * Refines the runtime defaults once options are known: a DatagramSocket's SO_REUSEADDR set before
   * bind reaches Winsock and the JDK's exclusive bind then cannot apply; an ephemeral MulticastSocket
   * (a sender) shares nothing, so its reuse flag does not matter.
   */
  private settleImplicit(socket: TrackedSocket, bind: BindFact, options: readonly OptionFact[]): void {
    const kind = this.kinds.get(socket.fact.id);
    if (kind === 'datagram') {
      const reuseOnWindows = options.some((o) => o.option === 'reuseaddr' && o.enabled && o.timing === 'before' && o.platforms.includes('win32'));
      if (reuseOnWindows) bind.implicit = { ...bind.implicit, win32: [] };
    }
    if (kind === 'multicast' && bind.port === 0) bind.implicit = {};
  }
}

export function extractJavaFacts(root: SyntaxNode, path: string): FileFacts {
  return new JavaFactsBuilder(path).build(root);
}
