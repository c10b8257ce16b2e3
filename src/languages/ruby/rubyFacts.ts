// Ruby source → socket facts: TCPServer, Socket.tcp_server_*, Addrinfo#listen, UDPSocket and
// Socket.new with setsockopt/bind/listen, and the WEBrick, Thin and Puma servers built on them.
import type { BindFact, FileFacts, Platform, ReuseOption } from '../../analysis/facts';
import { optionFromConstant } from '../common/hostPort';
import { platformsFromFileName } from '../common/platformGuards';
import { SocketTracker, type SocketInit, type TrackedSocket } from '../common/socketTracker';
import { platformsOf } from '../common/statementGuards';
import { spanOf, visitNodes } from '../common/treeWalk';
import type { SyntaxNode } from '../treeSitter';
import { EVERYWHERE_REUSE, UNIX_REUSE, WEBRICK_SERVERS, serverCall } from './rubyRuntime';
import { RubyNames, scopeChain, scopeFor } from './rubyScopes';
import { RubyEvaluator, hashValue, methodName, positional, receiverName, type Address } from './rubyValues';

const VISITED = new Set(['assignment', 'operator_assignment', 'method', 'singleton_method', 'block_parameters', 'lambda_parameters', 'call']);
const NAME_NODES = new Set(['identifier', 'constant', 'instance_variable', 'global_variable', 'class_variable']);
const MULTICAST_OPTIONS = /^(IP_ADD_MEMBERSHIP|ADD_MEMBERSHIP|IPV6_JOIN_GROUP|JOIN_GROUP|MCAST_JOIN_GROUP|IPV6_ADD_MEMBERSHIP)$/;
const ACCEPTS = new Set(['accept', 'accept_nonblock', 'sysaccept', 'listen']);
const RECEIVES = new Set(['recv', 'recvfrom', 'recvmsg', 'recv_nonblock', 'recvfrom_nonblock', 'recvmsg_nonblock']);

/** A call without its block: `TCPServer.open(8080)` rather than the whole `do ... end`. */
function callSpan(call: SyntaxNode): { start: number; end: number } {
  const block = call.childForFieldName('block');
  if (!block) return spanOf(call);
  const before = call.childForFieldName('arguments') ?? call.childForFieldName('method');
  return { start: call.startIndex, end: before && before.endIndex <= block.startIndex ? before.endIndex : call.endIndex };
}

/** The method a node runs in: text order is run order only inside one. */
function functionOf(node: SyntaxNode): string {
  return scopeChain(node).find((s) => s.startsWith('fn@')) ?? 'file';
}

function isMulticastHost(host: string | null): boolean {
  if (!host) return false;
  const first = Number.parseInt(host.split('.')[0] ?? '', 10);
  return (/^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239) || /^\[?ff[0-9a-f]{2}:/i.test(host);
}

/** The name an option argument spells: :REUSEADDR, :SO_REUSEADDR, Socket::SO_REUSEADDR, "SO_REUSEADDR". */
function constantName(node: SyntaxNode | null): string {
  if (!node) return '';
  if (node.type === 'scope_resolution') return node.childForFieldName('name')?.text ?? '';
  return node.text.replace(/^:/, '').replace(/^['"]|['"]$/g, '');
}

export class RubyFactsBuilder {
  private readonly names = new RubyNames();
  private readonly values = new RubyEvaluator(this.names);
  private readonly tracker = new SocketTracker();
  private readonly calls: SyntaxNode[] = [];
  /** Calls that made a socket, by start offset. */
  private readonly created = new Map<number, TrackedSocket>();
  private readonly base: Platform[];
  private includesWebrick = false;
  /** `h[:Key] = v` / `h[:Key] ||= v` on a local hash, by "<scope>|<name>", in text order. */
  private readonly keyAssignments = new Map<string, { key: string; value: SyntaxNode; fillsOnly: boolean; start: number }[]>();

  constructor(path: string) {
    this.base = platformsFromFileName(path);
  }

  build(root: SyntaxNode): FileFacts {
    visitNodes(root, VISITED, (node) => this.collect(node));
    for (const call of this.calls) this.readCreation(call);
    for (const call of this.calls) this.readOperation(call);
    return this.tracker.finish();
  }

  private collect(node: SyntaxNode): void {
    switch (node.type) {
      case 'assignment':
      case 'operator_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return;
        if (left.type === 'element_reference') {
          this.collectKeyAssignment(node, left, right);
          return;
        }
        const name = left.type === 'scope_resolution' ? (left.childForFieldName('name')?.text ?? '') : left.text;
        if (!NAME_NODES.has(left.type) && left.type !== 'scope_resolution') return;
        this.names.assign(name, scopeFor(name, node), right);
        if (/SO_EXCLUSIVEADDRUSE$/i.test(name)) {
          let value = this.values.int(right);
          if (value !== null && value > 0x7fffffff && value <= 0xffffffff) value |= 0;
          this.tracker.constants.push({ name, value, span: spanOf(node), valueSpan: spanOf(right) });
        }
        return;
      }
      case 'method':
      case 'singleton_method': {
        const params = node.childForFieldName('parameters');
        for (const p of params?.namedChildren ?? []) {
          const name = p?.type === 'identifier' ? p.text : p?.childForFieldName('name')?.text;
          if (name) this.names.parameter(name, `fn@${node.startIndex}`);
        }
        return;
      }
      case 'block_parameters':
      case 'lambda_parameters': {
        const owner = node.parent;
        if (!owner) return;
        for (const p of node.namedChildren) {
          const name = p?.type === 'identifier' ? p.text : p?.childForFieldName('name')?.text;
          if (name) this.names.parameter(name, owner.type === 'lambda' ? `fn@${owner.startIndex}` : `blk@${owner.startIndex}`);
        }
        return;
      }
      case 'call':
        if (methodName(node) === 'include' && /\bWEBrick\b/.test(node.text)) this.includesWebrick = true;
        this.calls.push(node);
        return;
    }
  }

  /** `options[:Port] ||= 8080` before `WEBrick::HTTPServer.new(options)`: the key the hash will hold. */
  private collectKeyAssignment(node: SyntaxNode, left: SyntaxNode, right: SyntaxNode): void {
    const [object, index] = left.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    if (object?.type !== 'identifier' || !index || !/^(simple_symbol|string)$/.test(index.type)) return;
    const key = index.text.replace(/^:/, '').replace(/^['"]|['"]$/g, '');
    const operator = node.type === 'operator_assignment' ? (node.childForFieldName('operator')?.text ?? '') : '=';
    if (operator !== '=' && operator !== '||=') return;
    const id = `${scopeFor(object.text, node)}|${object.text}`;
    const list = this.keyAssignments.get(id) ?? [];
    list.push({ key, value: right, fillsOnly: operator === '||=', start: node.startIndex });
    this.keyAssignments.set(id, list);
  }

  /**
   * A key of the hash a local variable holds when `call` runs: its literal's pair, then `h[:Key] = v`
   * (replaces) and `h[:Key] ||= v` (fills a key not set yet) made earlier in the same method.
   */
  private hashKey(config: SyntaxNode, variable: SyntaxNode | null, call: SyntaxNode, key: string): SyntaxNode | null {
    let value = hashValue(config, key);
    if (variable?.type !== 'identifier') return value;
    const list = this.keyAssignments.get(`${scopeFor(variable.text, call)}|${variable.text}`) ?? [];
    for (const set of list) {
      if (set.key !== key || set.start >= call.startIndex) continue;
      if (!set.fillsOnly || value === null) value = set.value;
    }
    return value;
  }

  // ---- creations ------------------------------------------------------------------------------

  private readCreation(call: SyntaxNode): void {
    const method = methodName(call);
    const receiver = receiverName(call);
    const server = serverCall(receiver, method);
    if (server) {
      const args = positional(call);
      const address = this.hostPortArgs(args);
      const implicit = server.protocol === 'udp' && address.port === 0 ? {} : server.implicit;
      this.createBound(call, server.api, server.protocol, address, implicit, method === 'open');
      return;
    }
    if ((receiver === 'UDPSocket' || receiver === 'Socket') && (method === 'new' || method === 'open')) {
      const args = positional(call);
      if (receiver === 'Socket') {
        if (/UNIX|LOCAL/.test(args[0]?.text ?? '')) return;
        const type = args[1]?.text ?? '';
        const protocol = /STREAM/.test(type) ? 'tcp' : /DGRAM/.test(type) ? 'udp' : 'unknown';
        this.create(call, { protocol, api: 'Socket.new', span: callSpan(call), scope: 'file' }, method === 'open');
      } else {
        this.create(call, { protocol: 'udp', api: 'UDPSocket.new', span: callSpan(call), scope: 'file' }, method === 'open');
      }
      return;
    }
    const info = method === 'listen' || (method === 'bind' && positional(call).length === 0) ? this.addrinfoOf(call.childForFieldName('receiver')) : null;
    if (info) {
      // Addrinfo#listen is a server; Addrinfo#bind's role shows in what the code does next.
      this.createBound(call, `Addrinfo#${method}`, info.kind, info.address, EVERYWHERE_REUSE, true, method === 'listen' ? 'server' : undefined);
      return;
    }
    const webrick = /^(?:WEBrick::)?(\w+)$/.exec(receiver);
    if (webrick?.[1] && WEBRICK_SERVERS.has(webrick[1]) && method === 'new' && (receiver.startsWith('WEBrick::') || this.includesWebrick)) {
      this.readWebrick(call, `WEBrick::${webrick[1]}`, WEBRICK_SERVERS.get(webrick[1]) ?? null);
      return;
    }
    if (/^(Rack|Rackup)::Handler::WEBrick$/.test(receiver) && method === 'run') {
      const port = hashValue(call, 'Port');
      const host = hashValue(call, 'Host');
      const address = { ...this.values.host(host), port: port ? this.values.int(port) : 8080 };
      if (!host) Object.assign(address, { host: null, hostKind: 'unknown', explicitWildcard: false });
      this.createBound(call, 'Rack::Handler::WEBrick.run', 'tcp', address, EVERYWHERE_REUSE, false);
      return;
    }
    if (receiver === 'Thin::Server' && (method === 'new' || method === 'start')) {
      // Thin::Server.new('0.0.0.0', 3000, app): a String is the host, an Integer the port (defaults 0.0.0.0:3000).
      const args = positional(call);
      const hostArg = args.find((a) => a.type === 'string') ?? null;
      const portArg = args.find((a) => a.type === 'integer') ?? null;
      const host = hostArg ? this.values.host(hostArg) : { host: '0.0.0.0', hostKind: 'any' as const, explicitWildcard: false };
      this.createBound(call, 'Thin::Server', 'tcp', { ...host, port: portArg ? this.values.int(portArg) : 3000 }, UNIX_REUSE, false);
      return;
    }
    if (method === 'add_tcp_listener') {
      // Puma::Server#add_tcp_listener(host, port) → TCPServer.new(host, port).
      const args = positional(call);
      if (args.length < 2) return;
      this.createBound(call, 'Puma add_tcp_listener', 'tcp', { ...this.values.host(args[0] ?? null), port: this.values.int(args[1] ?? null) }, UNIX_REUSE, false);
    }
  }

  /** [host,] port arguments: one argument is the port, two are host and port. */
  private hostPortArgs(args: SyntaxNode[]): Address {
    if (args.length === 1) return { host: null, hostKind: 'any', explicitWildcard: false, port: this.values.int(args[0] ?? null) };
    if (args.length >= 2) return { ...this.values.host(args[0] ?? null), port: this.values.int(args[1] ?? null) };
    return { host: null, hostKind: 'unknown', explicitWildcard: false, port: null };
  }

  private readWebrick(call: SyntaxNode, api: string, defaultPort: number | null): void {
    const args = positional(call);
    let config: SyntaxNode = call;
    if (args.length === 1 && args[0] && (args[0].type === 'identifier' || args[0].type === 'constant')) {
      const resolved = this.values.resolve(args[0]);
      if (resolved?.type === 'hash') config = resolved;
    } else if (args[0]?.type === 'hash') config = args[0];
    const variable = args.length === 1 ? (args[0] ?? null) : null;
    const doNotListen = this.hashKey(config, variable, call, 'DoNotListen');
    if (doNotListen && this.values.truthy(doNotListen)) return;
    const port = this.hashKey(config, variable, call, 'Port');
    const host = this.values.host(this.hashKey(config, variable, call, 'BindAddress'));
    this.createBound(call, api, 'tcp', { ...host, port: port ? this.values.int(port) : defaultPort }, EVERYWHERE_REUSE, false);
  }

  /** Addrinfo.tcp(h, p) / Addrinfo.udp(h, p), directly or through a variable. */
  private addrinfoOf(node: SyntaxNode | null, depth = 0): { kind: 'tcp' | 'udp'; address: Address } | null {
    if (!node || depth > 4) return null;
    if (NAME_NODES.has(node.type)) return this.addrinfoOf(this.values.resolve(node), depth + 1);
    if (node.type !== 'call' || receiverName(node) !== 'Addrinfo') return null;
    const method = methodName(node);
    if (method !== 'tcp' && method !== 'udp') return null;
    const address = this.values.sockaddr(node);
    return address ? { kind: method, address } : null;
  }

  private create(call: SyntaxNode, init: SocketInit, yieldsSocket: boolean): TrackedSocket {
    const holder = this.holderOf(call, yieldsSocket);
    const tracked = this.tracker.add({ ...init, ...holder });
    this.created.set(call.startIndex, tracked);
    return tracked;
  }

  private createBound(
    call: SyntaxNode, api: string, protocol: 'tcp' | 'udp', address: Address, implicit: BindFact['implicit'], yieldsSocket: boolean,
    role: 'server' | undefined = 'server',
  ): TrackedSocket {
    const tracked = this.create(call, { protocol, api, span: callSpan(call), scope: 'file', role, multicast: isMulticastHost(address.host) }, yieldsSocket);
    this.tracker.bind(tracked, {
      span: callSpan(call),
      port: address.port,
      host: address.host,
      hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard,
      platforms: platformsOf(call, this.base),
      implicit,
      bindsAtCreation: true,
    });
    return tracked;
  }

  /** Where a new socket is kept: `x = ...`, `@x ||= ...`, or the block parameter of `open { |s| }`. */
  private holderOf(call: SyntaxNode, yieldsSocket: boolean): Pick<SocketInit, 'variable' | 'key' | 'scope'> {
    const block = call.childForFieldName('block');
    const param = block?.childForFieldName('parameters')?.namedChild(0);
    if (yieldsSocket && block && param?.type === 'identifier') return { variable: param.text, key: param.text, scope: `blk@${block.startIndex}` };
    let holder = call;
    while (holder.parent?.type === 'parenthesized_statements') holder = holder.parent;
    const parent = holder.parent;
    if ((parent?.type === 'assignment' || parent?.type === 'operator_assignment') && parent.childForFieldName('right')?.startIndex === holder.startIndex) {
      const left = parent.childForFieldName('left');
      if (left && NAME_NODES.has(left.type)) return { variable: left.text, key: left.text, scope: scopeFor(left.text, parent) };
    }
    return { scope: 'file' };
  }

  // ---- operations on sockets --------------------------------------------------------------------

  /** The tracked socket a receiver names. Locals do not cross method boundaries; @ivars stay in their class. */
  private socketFor(receiver: SyntaxNode | null): TrackedSocket | undefined {
    if (!receiver) return undefined;
    if (this.created.has(receiver.startIndex) && receiver.type === 'call') return this.created.get(receiver.startIndex);
    if (!NAME_NODES.has(receiver.type)) return undefined;
    const chain = scopeChain(receiver);
    const name = receiver.text;
    let scopes: string[];
    if (name.startsWith('@')) scopes = [...chain.filter((s) => s.startsWith('class@')), 'file'];
    else if (name.startsWith('$') || /^[A-Z]/.test(name)) scopes = ['file'];
    else {
      const method = chain.findIndex((s) => s.startsWith('fn@'));
      scopes = method >= 0 ? chain.slice(0, method + 1) : chain.filter((s) => s.startsWith('blk@') || s === 'file');
    }
    return this.tracker.lookup(name, scopes, receiver.startIndex);
  }

  private readOperation(call: SyntaxNode): void {
    const method = methodName(call);
    if (method !== 'setsockopt' && method !== 'bind' && !ACCEPTS.has(method) && !RECEIVES.has(method) && method !== 'connect' && method !== 'connect_nonblock') return;
    if (this.created.has(call.startIndex)) return;
    const socket = this.socketFor(call.childForFieldName('receiver'));
    if (!socket) return;
    if (method === 'setsockopt') this.readSetsockopt(socket, call);
    else if (method === 'bind') this.readBind(socket, call);
    else if (ACCEPTS.has(method)) socket.listens = true;
    else if (RECEIVES.has(method)) socket.receives = true;
    else socket.connects = true;
  }

  private readSetsockopt(socket: TrackedSocket, call: SyntaxNode): void {
    let args = positional(call);
    // setsockopt(Socket::Option.bool(:INET, :SOCKET, :REUSEADDR, true))
    if (args.length === 1 && args[0]?.type === 'call' && /Option$/.test(receiverName(args[0]))) args = positional(args[0]).slice(1);
    if (args.length < 3) return;
    const nameNode = args[1] ?? null;
    const enabled = this.values.truthy(args[2] ?? null) ?? true;
    let option: ReuseOption | null;
    if (nameNode?.type === 'unary' && nameNode.child(0)?.text === '~' && optionFromConstant(constantName(nameNode.childForFieldName('operand'))) === 'reuseaddr') {
      option = 'exclusiveaddruse'; // ~SO_REUSEADDR is Winsock's SO_EXCLUSIVEADDRUSE
    } else {
      const name = constantName(nameNode);
      if (MULTICAST_OPTIONS.test(name.replace(/^SO_/, ''))) {
        if (socket.fact.protocol !== 'tcp') socket.fact.multicast = true;
        return;
      }
      if (/^(SO_)?BROADCAST$/.test(name)) {
        if (enabled) socket.fact.multicast = true;
        return;
      }
      option = optionFromConstant(name);
    }
    if (!option) return;
    const platforms = platformsOf(call, this.base);
    // Windows has no SO_REUSEPORT: Socket::SO_REUSEPORT is undefined and :REUSEPORT raises SocketError.
    const unsupported = option === 'reuseport' ? { unsupportedOn: ['win32' as Platform] } : {};
    this.tracker.option(socket, { option, enabled, span: spanOf(call), platforms, ...unsupported, where: functionOf(call) });
  }

  private readBind(socket: TrackedSocket, call: SyntaxNode): void {
    const args = positional(call);
    let address: Address | null = null;
    if (args.length >= 2) address = { ...this.values.host(args[0] ?? null), port: this.values.int(args[1] ?? null) };
    else if (args.length === 1) address = this.values.sockaddr(args[0] ?? null) ?? { host: null, hostKind: 'unknown', explicitWildcard: false, port: null };
    if (!address) return;
    if (isMulticastHost(address.host)) socket.fact.multicast = true;
    this.tracker.bind(socket, {
      span: spanOf(call),
      port: address.port,
      host: address.host,
      hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard,
      platforms: platformsOf(call, this.base),
      implicit: {},
      bindsAtCreation: false,
    }, functionOf(call));
  }
}

export function extractRubyFacts(root: SyntaxNode, path: string): FileFacts {
  return new RubyFactsBuilder(path).build(root);
}
