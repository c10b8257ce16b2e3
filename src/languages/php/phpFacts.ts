// PHP source → socket facts: stream_socket_server (with its 'socket' context), ext/sockets
// (socket_create/socket_set_option/socket_bind/socket_listen, socket_create_listen) and ReactPHP servers.
import type { FileFacts, HostKind, Platform, ReuseOption } from '../../analysis/facts';
import { ALL_PLATFORMS } from '../../analysis/facts';
import { classifyHost, optionFromConstant, parsePort } from '../common/hostPort';
import { intersect, platformsFromFileName } from '../common/platformGuards';
import { SocketTracker, type TrackedSocket } from '../common/socketTracker';
import { platformsOf, splitCondition } from '../common/statementGuards';
import { spanOf, visitNodes } from '../common/treeWalk';
import type { SyntaxNode } from '../treeSitter';
import { MULTICAST_OPTIONS, REACT_SERVERS, streamProtocol, streamServerImplicit } from './phpRuntime';
import { PhpNames, scopeChain, scopeForKey, variableKey, visibleScopes } from './phpScopes';
import { PhpEvaluator, UNKNOWN_PART, argumentValue, functionName, unwrap } from './phpValues';

const VISITED = new Set([
  'assignment_expression', 'const_element', 'function_call_expression', 'object_creation_expression',
  'simple_parameter', 'variadic_parameter', 'property_promotion_parameter', 'namespace_use_clause', 'namespace_definition',
]);
const HOLDER_WRAPPERS = new Set(['parenthesized_expression', 'error_suppression_expression']);
const RECEIVES = new Set(['socket_recvfrom', 'socket_recv', 'socket_recvmsg']);

interface Address {
  host: string | null;
  port: number | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
}

/** A 'socket' context option and the node a fix or finding points at. */
export interface ContextOption {
  key: string;
  value: SyntaxNode;
  node: SyntaxNode;
}

/** The function a node runs in: text order is run order only inside one. */
function functionOf(node: SyntaxNode): string {
  return scopeChain(node).find((s) => s.startsWith('fn@')) ?? 'file';
}

function isMulticastHost(host: string | null): boolean {
  if (!host) return false;
  const first = Number.parseInt(host.split('.')[0] ?? '', 10);
  return (/^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239) || /^\[?ff[0-9a-f]{2}:/i.test(host);
}

/**
 * "tcp://0.0.0.0:8000" (unknown parts as UNKNOWN_PART) → scheme, host, port. The scheme is null when
 * the code computes it: the socket may as well be a unix:// one.
 */
export function parseStreamUri(template: string | null): { scheme: string | null; address: Address } {
  const unknown: Address = { host: null, port: null, hostKind: 'unknown', explicitWildcard: false };
  if (template === null) return { scheme: null, address: unknown };
  let rest = template.trim();
  let scheme = '';
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (m) {
    scheme = m[1] ?? '';
    rest = rest.slice(m[0].length);
  } else if (rest.includes('://') || /^[a-z][a-z0-9+.-]*\uffff/i.test(rest)) {
    return { scheme: null, address: unknown };
  } else if (rest.startsWith(UNKNOWN_PART) && !/^[^/]*:(?:\d+|\uffff)$/.test(rest)) {
    // `$path` alone could be a unix socket path; `$host . ':' . $port` is a TCP address.
    return { scheme: null, address: unknown };
  }
  let hostText: string;
  let portText: string;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    hostText = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else {
    const idx = rest.lastIndexOf(':');
    if (idx < 0) return { scheme, address: unknown };
    hostText = rest.slice(0, idx);
    portText = rest.slice(idx + 1);
  }
  const port = /^\d+$/.test(portText) ? parsePort(portText) : null;
  if (hostText.includes(UNKNOWN_PART)) return { scheme, address: { ...unknown, port } };
  const hostKind = classifyHost(hostText);
  return { scheme, address: { host: hostText, port, hostKind, explicitWildcard: hostKind === 'any' } };
}

export class PhpFactsBuilder {
  private readonly names = new PhpNames();
  private readonly values = new PhpEvaluator(this.names);
  private readonly tracker = new SocketTracker();
  private readonly calls: SyntaxNode[] = [];
  private readonly creations: SyntaxNode[] = [];
  private readonly contextSets: SyntaxNode[] = [];
  private readonly imports = new Map<string, string>();
  private namespace = '';
  private readonly base: Platform[];

  constructor(path: string) {
    this.base = platformsFromFileName(path);
  }

  build(root: SyntaxNode): FileFacts {
    visitNodes(root, VISITED, (node) => this.collect(node));
    for (const node of [...this.creations, ...this.calls].sort((a, b) => a.startIndex - b.startIndex)) this.readCreation(node);
    for (const call of this.calls) this.readOperation(call);
    return this.tracker.finish();
  }

  private collect(node: SyntaxNode): void {
    switch (node.type) {
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const key = left ? variableKey(left) : null;
        if (key && right) this.names.assign(key, scopeForKey(key, node), right);
        return;
      }
      case 'const_element': {
        const parts = node.namedChildren.filter((c): c is SyntaxNode => c !== null);
        const name = parts[0];
        const value = parts[parts.length - 1];
        if (name && value && name !== value) this.defineConstant(name.text, value, node);
        return;
      }
      case 'simple_parameter':
      case 'variadic_parameter':
      case 'property_promotion_parameter': {
        const name = node.childForFieldName('name');
        const key = name ? variableKey(name) : null;
        const fn = scopeChain(node).find((s) => s.startsWith('fn@'));
        if (key && fn) this.names.parameter(key, fn);
        return;
      }
      case 'namespace_use_clause': {
        const m = /^\\?([\w\\]+)(?:\s+as\s+(\w+))?$/.exec(node.text.trim());
        if (m?.[1]) this.imports.set(m[2] ?? m[1].replace(/^.*\\/, ''), m[1]);
        return;
      }
      case 'namespace_definition':
        this.namespace = node.childForFieldName('name')?.text ?? '';
        return;
      case 'object_creation_expression':
        this.creations.push(node);
        return;
      case 'function_call_expression': {
        const name = functionName(node);
        if (name === 'define') {
          const constName = this.values.string(argumentValue(node, 0));
          const value = argumentValue(node, 1);
          if (constName && value) this.defineConstant(constName, value, node);
        } else if (name === 'stream_context_set_option') this.contextSets.push(node);
        this.calls.push(node);
        return;
      }
    }
  }

  private defineConstant(name: string, value: SyntaxNode, node: SyntaxNode): void {
    this.names.defineConstant(name, value);
    if (!/SO_EXCLUSIVEADDRUSE$/i.test(name)) return;
    let computed = this.values.int(value);
    if (computed !== null && computed > 0x7fffffff && computed <= 0xffffffff) computed |= 0;
    this.tracker.constants.push({ name, value: computed, span: spanOf(node), valueSpan: spanOf(value) });
  }

  // ---- creations ------------------------------------------------------------------------------

  private readCreation(node: SyntaxNode): void {
    if (node.type === 'object_creation_expression') {
      this.readReactServer(node);
      return;
    }
    switch (functionName(node)) {
      case 'stream_socket_server': {
        const { scheme, address } = parseStreamUri(this.values.template(argumentValue(node, 0, 'address')));
        const protocol = scheme === null ? null : streamProtocol(scheme);
        if (!protocol) return;
        const flags = argumentValue(node, 3, 'flags');
        const listens = protocol === 'tcp' && (!flags || /STREAM_SERVER_LISTEN/.test(flags.text) || !/STREAM_SERVER_BIND/.test(flags.text));
        const options = this.contextOptions(argumentValue(node, 4, 'context'), node.startIndex, null);
        this.createStreamServer(node, 'stream_socket_server', protocol, address, options, listens);
        return;
      }
      case 'socket_create_listen': {
        const port = this.values.int(argumentValue(node, 0, 'port'));
        const tracked = this.create(node, 'socket_create_listen', 'tcp', 'server');
        this.tracker.bind(tracked, {
          span: spanOf(node), port, host: null, hostKind: 'any', explicitWildcard: false,
          platforms: platformsOf(node, this.base), implicit: {}, bindsAtCreation: true,
        });
        return;
      }
      case 'socket_create': {
        const domain = argumentValue(node, 0, 'domain')?.text ?? '';
        if (/AF_UNIX/.test(domain)) return;
        const type = argumentValue(node, 1, 'type')?.text ?? '';
        const protocol = /SOCK_STREAM/.test(type) ? 'tcp' : /SOCK_DGRAM/.test(type) ? 'udp' : 'unknown';
        this.create(node, 'socket_create', protocol, undefined);
        return;
      }
    }
  }

  private readReactServer(node: SyntaxNode): void {
    const className = node.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name')?.text ?? '';
    const server = REACT_SERVERS.get(this.qualify(className));
    if (!server) return;
    const uriNode = argumentValue(node, 0, 'uri');
    let template = this.values.template(uriNode);
    const port = this.values.int(uriNode);
    // ReactPHP: a bare port listens on 127.0.0.1; a URI without a scheme is tcp://.
    if (template === null && port !== null) template = String(port);
    if (template !== null && /^\d+$/.test(template)) template = `127.0.0.1:${template}`;
    if (template !== null && !template.includes('://')) template = `tcp://${template}`;
    const { scheme, address } = parseStreamUri(template);
    if (scheme === null || streamProtocol(scheme) !== 'tcp') return;
    const options = this.contextOptions(argumentValue(node, server.contextIndex, 'context'), node.startIndex, server.nested, true);
    this.createStreamServer(node, this.qualify(className), 'tcp', address, options, true);
  }

  private qualify(name: string): string {
    if (name.startsWith('\\')) return name.slice(1);
    const first = name.split('\\')[0] ?? name;
    const imported = this.imports.get(first);
    if (imported) return imported + name.slice(first.length);
    return this.namespace ? `${this.namespace}\\${name}` : name;
  }

  /**
   * The 'socket' options of a stream context: an inline stream_context_create([...]), a variable holding
   * one, plus stream_context_set_option calls on that variable before `at`. `nested` reads ReactPHP's
   * ['tcp' => [...]]; `direct` reads a bare options array (ReactPHP TcpServer).
   */
  private contextOptions(node: SyntaxNode | null, at: number, nested: string | null, direct = false): ContextOption[] {
    const n = unwrap(node);
    if (!n) return [];
    const fromArray = (array: SyntaxNode | null): ContextOption[] => {
      let entries = PhpEvaluator.arrayEntries(array);
      if (!direct || nested) {
        const socket = entries.find((e) => e.key === (nested ?? 'socket'));
        entries = socket ? PhpEvaluator.arrayEntries(socket.value) : [];
      }
      return entries.filter((e) => e.key !== null).map((e) => ({ key: e.key ?? '', value: e.value, node: e.element }));
    };
    if (n.type === 'array_creation_expression') return fromArray(n);
    if (n.type === 'function_call_expression' && functionName(n) === 'stream_context_create') return fromArray(argumentValue(n, 0, 'options'));
    const key = variableKey(n);
    if (!key) return [];
    const options = this.contextOptions(this.values.resolve(n), at, nested, direct);
    const scopes = visibleScopes(key, n);
    for (const call of this.contextSets) {
      if (call.startIndex >= at) continue;
      const target = argumentValue(call, 0);
      const targetKey = target ? variableKey(target) : null;
      if (targetKey !== key || !target || !scopes.includes(visibleScopes(key, target)[0] ?? '')) continue;
      const wrapper = this.values.string(argumentValue(call, 1));
      const optionName = this.values.string(argumentValue(call, 2));
      const value = argumentValue(call, 3);
      if (wrapper === 'socket' && optionName && value) options.push({ key: optionName, value, node: call });
      else if (!wrapper) options.push(...fromArray(argumentValue(call, 1)).map((o) => ({ ...o, node: o.node })));
    }
    return options;
  }

  /** Platforms on which a context flag's value is true: literals, or `PHP_OS_FAMILY !== 'Windows'`. */
  private flagPlatforms(value: SyntaxNode): Platform[] {
    const literal = this.values.truthy(value);
    if (literal !== null) return literal ? [...ALL_PLATFORMS] : [];
    const split = splitCondition(value.text);
    return split ? split.whenTrue : [...ALL_PLATFORMS];
  }

  private createStreamServer(node: SyntaxNode, api: string, protocol: 'tcp' | 'udp', address: Address, options: ContextOption[], listens: boolean): void {
    const tracked = this.create(node, api, protocol, listens ? 'server' : undefined);
    if (isMulticastHost(address.host)) tracked.fact.multicast = true;
    const platforms = platformsOf(node, this.base);
    let reuseAddrOn: Platform[] = [...ALL_PLATFORMS];
    for (const option of options) {
      if (option.key === 'so_reuseaddr') reuseAddrOn = this.flagPlatforms(option.value);
      if (option.key === 'so_reuseport') {
        // Windows has no SO_REUSEPORT; PHP skips the option there without a word.
        const on = intersect(intersect(this.flagPlatforms(option.value), platformsOf(option.node, this.base)), ['linux', 'darwin']);
        if (on.length > 0) this.tracker.option(tracked, { option: 'reuseport', enabled: true, span: spanOf(option.node), platforms: on, timing: 'before' });
      }
    }
    this.tracker.bind(tracked, {
      span: spanOf(node),
      port: address.port,
      host: address.host,
      hostKind: address.hostKind,
      explicitWildcard: address.explicitWildcard,
      platforms,
      implicit: streamServerImplicit(reuseAddrOn),
      bindsAtCreation: true,
    });
  }

  private create(node: SyntaxNode, api: string, protocol: 'tcp' | 'udp' | 'unknown', role: 'server' | undefined): TrackedSocket {
    let holder = node;
    while (holder.parent && (HOLDER_WRAPPERS.has(holder.parent.type) || (holder.parent.type === 'unary_op_expression' && holder.parent.child(0)?.text === '@'))) holder = holder.parent;
    const parent = holder.parent;
    let variable: string | undefined;
    let key: string | undefined;
    let scope = 'file';
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('right')?.startIndex === holder.startIndex) {
      const left = parent.childForFieldName('left');
      const k = left ? variableKey(left) : null;
      if (left && k) {
        variable = left.text;
        key = k;
        scope = scopeForKey(k, parent);
      }
    }
    return this.tracker.add({ protocol, api, span: spanOf(node), variable, key, scope, role });
  }

  // ---- ext/sockets calls on a socket ------------------------------------------------------------

  private socketFor(node: SyntaxNode | null, depth = 0): TrackedSocket | undefined {
    const n = unwrap(node);
    if (!n || depth > 4) return undefined;
    if (n.type === 'function_call_expression' && functionName(n) === 'socket_import_stream') return this.socketFor(argumentValue(n, 0), depth + 1);
    const key = variableKey(n);
    if (!key) return undefined;
    const found = this.tracker.lookup(key, visibleScopes(key, n), n.startIndex);
    if (found) return found;
    // $sock = socket_import_stream($server): options on the stream server's socket.
    const value = unwrap(this.values.resolve(n));
    return value?.type === 'function_call_expression' && functionName(value) === 'socket_import_stream' ? this.socketFor(value, depth + 1) : undefined;
  }

  private readOperation(call: SyntaxNode): void {
    const name = functionName(call);
    if (!/^socket_(set_?opt(ion)?|setopt|bind|listen|accept|connect|recv|recvfrom|recvmsg)$/.test(name)) return;
    const socket = this.socketFor(argumentValue(call, 0, 'socket'));
    if (!socket) return;
    if (name === 'socket_set_option' || name === 'socket_setopt') this.readSetOption(socket, call);
    else if (name === 'socket_bind') this.readBind(socket, call);
    else if (name === 'socket_listen' || name === 'socket_accept') socket.listens = true;
    else if (name === 'socket_connect') socket.connects = true;
    else if (RECEIVES.has(name)) socket.receives = true;
  }

  private readSetOption(socket: TrackedSocket, call: SyntaxNode): void {
    const optionNode = unwrap(argumentValue(call, 2, 'option'));
    if (!optionNode) return;
    const enabled = this.values.truthy(argumentValue(call, 3, 'value')) ?? true;
    let option: ReuseOption | null;
    if (optionNode.type === 'unary_op_expression' && optionNode.child(0)?.text === '~') {
      // ~SO_REUSEADDR is Winsock's SO_EXCLUSIVEADDRUSE.
      const inner = optionNode.childForFieldName('argument') ?? optionNode.namedChild(0);
      option = optionFromConstant(inner?.text ?? '') === 'reuseaddr' ? 'exclusiveaddruse' : null;
    } else {
      const name = optionNode.text.replace(/^\\/, '');
      if (MULTICAST_OPTIONS.test(name)) {
        if (socket.fact.protocol !== 'tcp') socket.fact.multicast = true;
        return;
      }
      if (name === 'SO_BROADCAST') {
        if (enabled) socket.fact.multicast = true;
        return;
      }
      option = optionFromConstant(name);
    }
    if (!option) return;
    const unsupported = option === 'reuseport' ? { unsupportedOn: ['win32' as Platform] } : {};
    this.tracker.option(socket, { option, enabled, span: spanOf(call), platforms: platformsOf(call, this.base), ...unsupported, where: functionOf(call) });
  }

  private readBind(socket: TrackedSocket, call: SyntaxNode): void {
    const hostNode = argumentValue(call, 1, 'address');
    const host = this.values.string(hostNode);
    const portNode = argumentValue(call, 2, 'port');
    const port = portNode ? this.values.int(portNode) : 0;
    const hostKind = host === null ? 'unknown' : classifyHost(host);
    if (isMulticastHost(host)) socket.fact.multicast = true;
    this.tracker.bind(socket, {
      span: spanOf(call),
      port,
      host,
      hostKind,
      explicitWildcard: hostKind === 'any',
      platforms: platformsOf(call, this.base),
      implicit: {},
      bindsAtCreation: false,
    }, functionOf(call));
  }
}

export function extractPhpFacts(root: SyntaxNode, path: string): FileFacts {
  return new PhpFactsBuilder(path).build(root);
}
