// Turns one JavaScript/TypeScript syntax tree into socket facts, keeping the syntax each fact came
// from so fixes can edit it. Queries collect the interesting nodes; they are then read in text order:
// imports and requires, then what creates sockets, then what binds them or joins groups.
import type { BindFact, ConstantFact, FileFacts, OptionFact, SocketFact, Span } from '../../analysis/facts';
import { classifyHost, optionFromConstant } from '../common/hostPort';
import { intersect, platformsFromFileName } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import { BindArgumentReader, type BindArguments } from './listenArguments';
import { ModuleAliases, requiredModule } from './moduleAliases';
import { PlatformReader } from './platformBranches';
import { reachingAssignments } from './reachingAssignments';
import { ScopeResolver } from './scopes';
import { GROUP_METHODS, OPTION_KEYS, classifyCreation, classifyRequiredApp, isMulticastAddress, tcpImplicit, type Creation, type Flavor } from './socketApis';
import { callArguments, calleeParts, findEntry, type CalleeParts, objectShape, propertyKey, unwrap, unwrapAwait, valueParent, type ObjectShape } from './syntax';
import type { SyntaxQueries } from './syntaxQueries';
import { readUwsListen, uwsImplicit, type UwsListenArguments } from './uwsListen';
import { ValueReader } from './values';

export interface JsSocket {
  fact: SocketFact;
  flavor: Flavor;
  creation: Creation | null;
  /** TCP candidates (express(), http.createServer) become facts only once something listens on them. */
  emitted: boolean;
  /** A reuse option whose value a reader cannot tell (passed through, spread in). */
  opaqueReuse: boolean;
}

export interface JsBind {
  fact: BindFact;
  socket: JsSocket;
  call: SyntaxNode;
  args: BindArguments | null;
  /** A uWebSockets.js listen(): its arguments, flags included. */
  uws?: UwsListenArguments;
}

export interface JsOption {
  fact: OptionFact;
  socket: JsSocket;
  /** The pair or shorthand property that sets it. */
  property: SyntaxNode;
  key: string;
  /** Which API family reads the key (a listen() options object is node-net even on an express app). */
  flavor: Flavor;
}

export interface JsAnalysis {
  facts: FileFacts;
  sockets: JsSocket[];
  binds: JsBind[];
  options: JsOption[];
  /** The object literal an expression stands for (a literal, or a constant holding one). */
  objectLiteral: (node: SyntaxNode | null) => SyntaxNode | null;
  /** The file's imports and requires, for fixes that name a module's export. */
  aliases: ModuleAliases;
}

/** Methods the extractor reads; calls of other methods are skipped early. */
const RELEVANT_METHODS = new Set([
  'listen', 'bind', 'createSocket', 'createServer', 'createSecureServer', 'setBroadcast', 'serve', 'listenTls',
  'listenDatagram', 'udpSocket', 'server', 'create', 'Server', 'WebSocketServer', 'App', 'SSLApp', ...GROUP_METHODS,
  // Apps called through a compiled import: `(0, express_1.default)()`, `(0, fastify_1.fastify)()`.
  'default', 'express', 'fastify', 'koa', 'connect', 'polka', 'restana',
]);

/** Methods that return the object they are called on, so a chain of them is still that object. */
const EMITTER_CHAIN = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'setTimeout', 'setMaxListeners']);

const WILDCARD_DEFAULT: Pick<BindFact, 'host' | 'hostKind' | 'explicitWildcard'> = { host: null, hostKind: 'any', explicitWildcard: false };

function spanOf(node: SyntaxNode): Span {
  return { start: node.startIndex, end: node.endIndex };
}

function nodeKey(node: SyntaxNode): string {
  return `${node.startIndex}:${node.endIndex}`;
}

export class FactExtractor {
  private readonly scopes = new ScopeResolver();
  private readonly aliases = new ModuleAliases();
  private readonly platforms: PlatformReader;
  private readonly values: ValueReader;
  private readonly argsReader: BindArgumentReader;
  private readonly sockets: JsSocket[] = [];
  private readonly binds: JsBind[] = [];
  private readonly options: JsOption[] = [];
  private readonly constants: ConstantFact[] = [];
  /** Sockets by the call that made or bound them (`http.createServer(h).listen(80)` chains). */
  private readonly byNode = new Map<string, JsSocket>();
  /** Sockets by the variable that holds them (its declaration, or "text:this.server"), with where each was stored. */
  private readonly byVariable = new Map<string, { at: number; node: SyntaxNode; socket: JsSocket }[]>();
  /** Assignments `left = value` in the file by the text of `left`, collected on first need. */
  private assignments: Map<string, SyntaxNode[]> | null = null;

  constructor(private readonly root: SyntaxNode, path: string, private readonly queries: SyntaxQueries) {
    this.platforms = new PlatformReader(this.scopes, platformsFromFileName(path));
    this.values = new ValueReader(this.scopes, this.platforms);
    this.argsReader = new BindArgumentReader(this.scopes, this.values);
  }

  run(): JsAnalysis {
    const collected = this.queries.collect(this.root, /EXCLUSIVEADDRUSE/i.test(this.root.text));
    for (const name of collected.assigned) this.scopes.reassigned.add(name);
    for (const statement of collected.imports) this.aliases.noteImport(statement);
    const calls = collected.calls.flatMap((call) => {
      const parts = calleeParts(call);
      if (!parts) {
        this.noteRequiredApp(call);
        return [];
      }
      return !parts.object || RELEVANT_METHODS.has(parts.property) ? [{ call, parts }] : [];
    });
    for (const { call, parts } of calls) if (!parts.object && parts.property === 'require') this.noteRequire(call);
    for (const { call, parts } of calls) this.noteCreation(call, parts);
    for (const { call, parts } of calls) if (parts.object) this.noteUse(call, parts.object, parts.property);
    for (const socket of this.sockets) this.finishSocket(socket);
    for (const node of collected.constants) this.noteConstant(node);
    const sockets = this.sockets.filter((s) => s.emitted);
    const emitted = new Set(sockets);
    const binds = this.binds.filter((b) => emitted.has(b.socket));
    const options = this.options.filter((o) => emitted.has(o.socket));
    return {
      facts: {
        sockets: sockets.map((s) => s.fact),
        options: options.map((o) => o.fact),
        binds: binds.map((b) => b.fact),
        constants: this.constants,
      },
      sockets, binds, options,
      objectLiteral: (node) => this.values.objectLiteral(node),
      aliases: this.aliases,
    };
  }

  private noteRequire(call: SyntaxNode): void {
    if (call.type !== 'call_expression') return;
    let holder = valueParent(call);
    // `__importDefault(require('http'))`
    const helper = holder?.type === 'arguments' ? holder.parent : null;
    if (helper?.type === 'call_expression' && requiredModule(helper) !== null) holder = valueParent(helper);
    // `require('http').createServer` assigned to a name
    if (holder?.type === 'member_expression') holder = valueParent(holder);
    if (holder?.type === 'variable_declarator') this.aliases.noteRequire(holder);
  }

  /** `const app = require('fastify')()`: listen() on it is the app's. Read before any listen(). */
  private noteRequiredApp(call: SyntaxNode): void {
    const creation = classifyRequiredApp(call);
    if (!creation) return;
    const socket = this.newSocket(creation.node, creation.api, creation.flavor, creation.protocol, creation, false);
    this.byNode.set(nodeKey(call), socket);
    this.holdIn(call, socket);
  }

  private noteCreation(call: SyntaxNode, parts: CalleeParts): void {
    const creation = classifyCreation(call, this.aliases, parts);
    if (!creation) return;
    // Options kept in a constant: `const OPTIONS = { type: 'udp4', reuseAddr: true }; createSocket(OPTIONS)`.
    if (!creation.options && creation.flavor !== 'node-net') creation.options = this.values.objectLiteral(callArguments(call)[0] ?? null);
    const eager = creation.protocol === 'udp' || creation.bindsAtCreation;
    const socket = this.newSocket(creation.node, creation.api, creation.flavor, creation.protocol, creation, eager);
    this.byNode.set(nodeKey(call), socket);
    this.holdIn(call, socket);
    if (creation.options) this.readOptions(socket, creation.options, call);
    else if (creation.protocol === 'udp') this.noteOpaqueUdpOptions(socket, call);
    if (creation.bindsAtCreation) this.bindAtCreation(socket, creation);
    if (creation.flavor === 'uws') this.followChain(call, socket);
  }

  /**
   * uWS routes return the app: `uWS.App().get(...).ws(...)` is still the app, and so is a variable
   * holding the end of such a chain. Stops at listen(), which noteListen reads.
   */
  private followChain(call: SyntaxNode, socket: JsSocket): void {
    let current = call;
    for (let depth = 0; depth < 64; depth++) {
      const member = valueParent(current);
      if (member?.type !== 'member_expression' || member.childForFieldName('object') === null) break;
      if (unwrap(member.childForFieldName('object'))?.startIndex !== current.startIndex) break;
      const next = valueParent(member);
      if (next?.type !== 'call_expression' || next.childForFieldName('function')?.startIndex !== member.startIndex) break;
      if (member.childForFieldName('property')?.text === 'listen') break;
      current = next;
      this.byNode.set(nodeKey(current), socket);
    }
    if (current !== call) this.holdIn(current, socket);
  }

  private newSocket(node: SyntaxNode, api: string, flavor: Flavor, protocol: SocketFact['protocol'], creation: Creation | null, emitted: boolean): JsSocket {
    const socket: JsSocket = {
      fact: {
        id: `s@${node.startIndex}`, protocol, role: protocol === 'tcp' ? 'server' : 'client', api, span: spanOf(node), multicast: false,
      },
      flavor, creation, emitted, opaqueReuse: false,
    };
    this.sockets.push(socket);
    return socket;
  }

  /**
   * Records the variable a call's value is stored in. Variables are told apart by their declaration,
   * so two functions' own `socket` variables never mix; `this.server` and globals go by their text.
   */
  private holdIn(call: SyntaxNode, socket: JsSocket): void {
    let holder = valueParent(call);
    let child: SyntaxNode = call;
    // `opts.socket || dgram.createSocket(...)`, `cond ? a : dgram.createSocket(...)`
    while (holder && (holder.type === 'binary_expression' || holder.type === 'ternary_expression') && holder.childForFieldName('condition')?.startIndex !== child.startIndex) {
      if (holder.type === 'binary_expression' && holder.childForFieldName('right')?.startIndex !== child.startIndex) return;
      child = holder;
      holder = valueParent(holder);
    }
    let key: string | null = null;
    let name: string | null = null;
    if (holder?.type === 'variable_declarator') {
      const target = holder.childForFieldName('name');
      if (target?.type === 'identifier') {
        key = `decl@${holder.startIndex}`;
        name = target.text;
      }
    } else if (holder?.type === 'assignment_expression') {
      const left = unwrap(holder.childForFieldName('left'));
      if (left && (left.type === 'identifier' || left.type === 'member_expression')) {
        key = this.variableKey(left);
        name = left.text;
      }
    } else if (holder?.type === 'public_field_definition' || holder?.type === 'field_definition') {
      const field = holder.childForFieldName('name') ?? holder.childForFieldName('property');
      if (field) {
        name = `this.${field.text}`;
        key = `text:${name}`;
      }
    }
    if (key === null || name === null) return;
    socket.fact.variable ??= name;
    const list = this.byVariable.get(key) ?? [];
    list.push({ at: call.startIndex, node: call, socket });
    this.byVariable.set(key, list);
  }

  /** Where a variable's sockets are filed: its declaration, or its text for members and globals. */
  private variableKey(node: SyntaxNode): string | null {
    if (node.type !== 'identifier') return `text:${node.text}`;
    const declaration = this.scopes.lookup(node);
    if (!declaration) return `text:${node.text}`;
    return declaration.kind === 'parameter' ? null : `decl@${declaration.node.startIndex}`;
  }

  /** The socket an expression refers to: a creating call, or a variable holding one. */
  private socketOf(node: SyntaxNode | null): JsSocket | null {
    return this.socketsOf(node).at(-1) ?? null;
  }

  /**
   * Every socket an expression may refer to, the likeliest last: a variable assigned in both branches
   * of an if/else or a ternary holds either socket at a later use.
   */
  private socketsOf(node: SyntaxNode | null): JsSocket[] {
    const n = unwrapAwait(node);
    if (!n) return [];
    if (n.type === 'call_expression' || n.type === 'new_expression') {
      const socket = this.byNode.get(nodeKey(n));
      return socket ? [socket] : [];
    }
    if (n.type !== 'identifier' && n.type !== 'member_expression') return [];
    const key = this.variableKey(n);
    const list = key === null ? undefined : this.byVariable.get(key);
    if (!list || list.length === 0) return [];
    const before = list.filter((e) => e.at <= n.startIndex);
    if (before.length > 1) {
      const reaching = reachingAssignments(before, n);
      if (reaching.length > 0) return [...new Set(reaching.map((e) => e.socket))];
    }
    let chosen = list[0];
    for (const entry of list) if (entry.at <= n.startIndex) chosen = entry;
    return chosen ? [chosen.socket] : [];
  }

  private noteUse(call: SyntaxNode, object: SyntaxNode, property: string): void {
    if (call.type !== 'call_expression') return;
    if (property === 'listen') this.noteListen(call, object);
    else if (property === 'bind') this.noteUdpBind(call, object);
    else if (GROUP_METHODS.has(property) || property === 'setBroadcast') {
      const arg = unwrap(callArguments(call)[0] ?? null);
      if (property === 'setBroadcast' && arg?.type === 'false') return;
      for (const socket of this.socketsOf(object)) if (socket.fact.protocol === 'udp') socket.fact.multicast = true;
    }
  }

  private noteListen(call: SyntaxNode, receiver: SyntaxNode): void {
    if (receiver.type === 'identifier' && (receiver.text === 'Deno' || receiver.text === 'Bun')) return;
    let socket = this.socketOf(receiver);
    if (socket && (socket.fact.protocol !== 'tcp' || socket.creation?.bindsAtCreation)) return;
    if (socket?.flavor === 'uws') {
      this.noteUwsListen(call, receiver, socket);
      return;
    }
    const args = this.argsReader.read(call, 'host');
    if (!args) return;
    if (!socket) {
      // An unknown receiver listens on a network port only when the arguments say so.
      if (!this.looksLikePort(args)) return;
      const name = receiver.text.length <= 40 && !receiver.text.includes('(') ? receiver.text : 'server';
      // What an unknown factory made may listen on UDP (CoAP, DNS servers): no protocol, role or defaults.
      const unknownFactory = this.madeByUnknownFactory(receiver);
      socket = this.newSocket(call, `${name}.listen`, 'node-net', unknownFactory ? 'unknown' : 'tcp', null, true);
      if (unknownFactory) socket.fact.role = 'unknown';
      if (receiver.type === 'identifier' || receiver.type === 'member_expression') socket.fact.variable = receiver.text;
    }
    socket.emitted = true;
    this.byNode.set(nodeKey(call), socket);
    this.holdIn(call, socket);
    const core = socket.creation?.coreServer ?? false;
    const port = args.port ? this.values.port(args.port) : core ? 0 : null;
    const tcp = socket.fact.protocol === 'tcp';
    this.addBind(socket, call, this.listenSpan(call, receiver), port, args, tcp ? tcpImplicit() : {}, false);
    if (args.optionsShape && tcp) this.readOptionEntries(socket, args.optionsShape, call, 'node-net');
  }

  /**
   * A receiver made by a call or `new` the extractor does not know: `coap.createServer(...).listen()`,
   * `const server = dns.createUDPServer(...)`. An import (`require('./app')`) or a name with no visible
   * definition is not one: those are taken for the Node servers they nearly always are.
   */
  private madeByUnknownFactory(receiver: SyntaxNode): boolean {
    const r = unwrapAwait(receiver);
    if (!r) return false;
    let value: SyntaxNode | null = r;
    if (r.type === 'identifier' || r.type === 'member_expression') {
      value = r.type === 'identifier' ? this.scopes.resolve(r) : null;
      // `let server; ... server = coap.createServer()`, `this.server = dns.createServer()`.
      value ??= this.assignedValue(r);
    }
    return this.isUnknownFactoryValue(value, 0);
  }

  private isUnknownFactoryValue(value: SyntaxNode | null, depth: number): boolean {
    const n = unwrapAwait(value);
    if (!n || depth > 8) return false;
    // `(ssl ? https.createServer(o) : http.createServer())`: unknown when either branch is.
    if (n.type === 'ternary_expression') {
      return this.isUnknownFactoryValue(n.childForFieldName('consequence'), depth + 1) || this.isUnknownFactoryValue(n.childForFieldName('alternative'), depth + 1);
    }
    if (n.type !== 'call_expression' && n.type !== 'new_expression') return false;
    if (this.byNode.has(nodeKey(n)) || requiredModule(n) !== null) return false;
    // `http.createServer().on('request', h)`: event methods return the emitter itself.
    const parts = n.type === 'call_expression' ? calleeParts(n) : null;
    if (parts?.object && EMITTER_CHAIN.has(parts.property)) return this.isUnknownFactoryValue(parts.object, depth + 1);
    return true;
  }

  /** The value last assigned to a variable or member before `use` (the first one when all come later). */
  private assignedValue(use: SyntaxNode): SyntaxNode | null {
    if (!this.assignments) {
      this.assignments = new Map();
      for (const node of this.root.descendantsOfType('assignment_expression')) {
        const left = unwrap(node?.childForFieldName('left') ?? null);
        if (!node || !left) continue;
        const list = this.assignments.get(left.text) ?? [];
        list.push(node);
        this.assignments.set(left.text, list);
      }
    }
    const key = this.variableKey(use);
    if (key === null) return null;
    const same = (this.assignments.get(use.text) ?? []).filter((a) => {
      const left = unwrap(a.childForFieldName('left'));
      return left !== null && this.variableKey(left) === key;
    });
    const before = same.filter((a) => a.endIndex <= use.startIndex);
    return (before.at(-1) ?? same[0])?.childForFieldName('right') ?? null;
  }

  private noteUwsListen(call: SyntaxNode, receiver: SyntaxNode, socket: JsSocket): void {
    const uws = readUwsListen(call, this.values);
    if (!uws.port) return;
    socket.emitted = true;
    this.byNode.set(nodeKey(call), socket);
    this.holdIn(call, socket);
    const port = this.values.port(uws.port);
    const args: BindArguments = {
      form: 'positional', port: uws.port, host: uws.host, hostState: uws.host ? 'given' : 'omitted', backlog: null,
      callbacks: uws.callbacks, options: null, optionsShape: null, optionsArgument: null,
    };
    this.addBind(socket, call, this.listenSpan(call, receiver), port, args, uwsImplicit(port, uws.exclusive), false);
    const bind = this.binds[this.binds.length - 1];
    if (bind) bind.uws = uws;
  }

  private looksLikePort(args: BindArguments): boolean {
    if (args.form === 'none') return false;
    if (args.form === 'options') return args.port !== null;
    const port = args.port;
    if (!port) return false;
    return this.values.port(port) !== null || this.values.isEnvironment(port) || /port/i.test(port.text);
  }

  private noteUdpBind(call: SyntaxNode, receiver: SyntaxNode): void {
    const sockets = this.socketsOf(receiver).filter((s) => s.flavor === 'node-dgram');
    const socket = sockets.at(-1);
    if (!socket) return;
    const args = this.argsReader.read(call, 'address');
    if (!args) return;
    this.byNode.set(nodeKey(call), socket);
    this.holdIn(call, socket);
    const port = args.form === 'none' ? 0 : args.port ? this.values.port(args.port) : 0;
    for (const bound of this.pathSockets(sockets)) this.addBind(bound, call, spanOf(call), port, args, {}, false);
  }

  /**
   * The sockets one bind call binds when its variable holds one of several: each of them, since each
   * path really binds it. A socket that lacks reuse some other path sets cannot be called short of it
   * (nor paired on its port) at this bind, as the path decides, so its reuse counts as unknown. What the
   * sockets do set is still reported.
   */
  private pathSockets(sockets: JsSocket[]): JsSocket[] {
    if (sockets.length < 2) return sockets;
    const reuse = new Map(sockets.map((s) => [s, this.reuseSignature(s)]));
    if (new Set(reuse.values()).size === 1) return sockets;
    for (const socket of sockets) {
      const own = reuse.get(socket) ?? '';
      const mine = new Set(own.split(' '));
      const weaker = sockets.some((other) => {
        if (other === socket) return false;
        if (other.opaqueReuse) return true;
        return (reuse.get(other) ?? '').split(' ').some((part) => part !== '' && !mine.has(part));
      });
      if (weaker) socket.opaqueReuse = true;
    }
    return sockets;
  }

  /** The reuse options a socket turns on before binding, per platform, as one comparable string. */
  private reuseSignature(socket: JsSocket): string {
    if (socket.opaqueReuse) return '?';
    const parts = this.options
      .filter((o) => o.socket === socket && o.fact.enabled && o.fact.timing === 'before')
      .flatMap((o) => o.fact.platforms.map((p) => `${o.fact.option}@${p}`));
    return [...new Set(parts)].sort().join(' ');
  }

  /** The span a user expects underlined: the whole call, or `listen(...)` alone at the end of a long chain. */
  private listenSpan(call: SyntaxNode, receiver: SyntaxNode): Span {
    if (receiver.type === 'identifier' || receiver.type === 'this' || (receiver.type === 'member_expression' && !receiver.text.includes('('))) {
      return spanOf(call);
    }
    const callee = call.childForFieldName('function');
    const property = callee?.childForFieldName('property');
    return property ? { start: property.startIndex, end: call.endIndex } : spanOf(call);
  }

  private addBind(socket: JsSocket, call: SyntaxNode, span: Span, port: number | null, args: BindArguments | null, implicit: BindFact['implicit'], atCreation: boolean): void {
    const host = this.hostOf(args);
    const bind: JsBind = {
      fact: { socketId: socket.fact.id, span, port, ...host, platforms: this.platforms.platformsAt(call), implicit, bindsAtCreation: atCreation },
      socket, call, args,
    };
    if (socket.fact.protocol === 'udp' && isMulticastAddress(host.host)) socket.fact.multicast = true;
    this.binds.push(bind);
  }

  private hostOf(args: BindArguments | null): Pick<BindFact, 'host' | 'hostKind' | 'explicitWildcard'> {
    if (!args || args.hostState === 'omitted' || !args.host) return WILDCARD_DEFAULT;
    const host = args.hostState === 'given' ? this.values.host(args.host) : null;
    if (host === null) return { host: null, hostKind: 'unknown', explicitWildcard: false };
    const hostKind = classifyHost(host);
    return { host, hostKind, explicitWildcard: hostKind === 'any' };
  }

  /** Deno.listen({ port }), Bun.serve({ port }), new WebSocketServer({ port }): the call binds. */
  private bindAtCreation(socket: JsSocket, creation: Creation): void {
    const shape = creation.options ? objectShape(creation.options, (n) => this.values.objectLiteral(n)) : null;
    if (shape && (findEntry(shape, 'path') || findEntry(shape, 'unix') || /['"]unix(packet)?['"]/.test(findEntry(shape, 'transport')?.value.text ?? ''))) {
      socket.emitted = false;
      return;
    }
    const hostKey = creation.flavor === 'framework-tcp' && !creation.api.includes('hono') ? 'host' : 'hostname';
    const portEntry = shape ? findEntry(shape, 'port') : undefined;
    const hostEntry = shape ? findEntry(shape, hostKey) : undefined;
    let port: number | null;
    if (portEntry) port = this.values.port(portEntry.value);
    else if (creation.api === 'Deno.serve') port = 8000;
    else if (creation.api.includes('hono')) port = 3000;
    else if (creation.api === 'Bun.udpSocket') port = 0;
    else port = null;
    const args: BindArguments = {
      form: 'options', port: portEntry?.value ?? null, host: hostEntry?.value ?? null, hostState: hostEntry ? 'given' : 'omitted',
      backlog: null, callbacks: [], options: creation.options, optionsShape: shape, optionsArgument: creation.options,
    };
    const implicit = creation.protocol === 'tcp' ? tcpImplicit() : {};
    this.addBind(socket, creation.node, spanOf(creation.node), port, args, implicit, true);
  }

  /** `createSocket(opts)` where opts cannot be read: its reuse settings are unknown. */
  private noteOpaqueUdpOptions(socket: JsSocket, call: SyntaxNode): void {
    const first = unwrap(callArguments(call)[0] ?? null);
    if (!first || first.type === 'string' || first.type === 'template_string') return;
    if (this.values.host(first) !== null) return;
    socket.opaqueReuse = true;
  }

  private readOptions(socket: JsSocket, object: SyntaxNode, call: SyntaxNode): void {
    const shape = objectShape(object, (n) => this.values.objectLiteral(n));
    this.readOptionEntries(socket, shape, call, socket.flavor);
  }

  private readOptionEntries(socket: JsSocket, shape: ObjectShape, call: SyntaxNode, flavor: Flavor): void {
    const keys = OPTION_KEYS[flavor];
    let explicit = false;
    const callPlatforms = this.platforms.platformsAt(call);
    for (const entry of shape.entries) {
      // Own keys only: an options object may well have a `toString` or `constructor` entry.
      const effects = Object.hasOwn(keys, entry.key) ? keys[entry.key] : undefined;
      if (!effects) continue;
      explicit = true;
      const value = this.values.switchOf(entry.value);
      if (!value) {
        socket.opaqueReuse = true;
        continue;
      }
      const where = intersect(callPlatforms, this.platforms.platformsAt(entry.node));
      for (const effect of effects) {
        for (const enabled of [true, false]) {
          const platforms = intersect(intersect(effect.platforms, enabled ? value.on : value.off), where);
          if (platforms.length === 0) continue;
          const fact: OptionFact = { socketId: socket.fact.id, option: effect.option, enabled, span: spanOf(entry.node), platforms, timing: 'before' };
          if (effect.unsupportedOn) fact.unsupportedOn = [...effect.unsupportedOn];
          this.options.push({ fact, socket, property: entry.node, key: entry.key, flavor });
        }
      }
    }
    if (shape.opaqueSpread && !explicit && Object.keys(keys).length > 0) socket.opaqueReuse = true;
  }

  /** Roles and group membership once every use of the socket has been seen. */
  private finishSocket(socket: JsSocket): void {
    if (socket.fact.protocol === 'udp') {
      const binds = this.binds.filter((b) => b.socket === socket);
      const receives = binds.some((b) => b.fact.port !== 0);
      socket.fact.role = receives ? 'server' : 'client';
    }
    if (socket.opaqueReuse) {
      // Reuse passed through from elsewhere: neither flag it missing nor pair it with other binds of
      // its port. A UDP socket's role alone does not keep it out of port pairing, so its protocol goes too.
      socket.fact.role = 'unknown';
      socket.fact.multicast = false;
      if (socket.fact.protocol === 'udp') socket.fact.protocol = 'unknown';
    }
  }

  /** `const SO_EXCLUSIVEADDRUSE = 4` or `{ SO_EXCLUSIVEADDRUSE: 4 }`: the value a fix may have to correct. */
  private noteConstant(node: SyntaxNode): void {
    const name = node.type === 'pair' ? propertyKey(node) : node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (!name || !value || optionFromConstant(name) !== 'exclusiveaddruse') return;
    this.constants.push({ name, value: this.values.number(value), span: spanOf(node), valueSpan: spanOf(value) });
  }
}
