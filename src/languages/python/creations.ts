// Calls that create sockets: socket.socket(), socket.create_server(), socketserver/http.server classes,
// asyncio create_server/start_server/create_datagram_endpoint, Twisted listenTCP/UDP/Multicast/SSL and
// wsgiref make_server. Each becomes a SocketRecord carrying its runtime's defaults.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import type { CallSite, Collected } from './collect';
import type { ImportTable } from './imports';
import type { PythonGuards } from './platformGuards';
import { LISTEN_MULTIPLE, NON_IP_FAMILY, UNIX_REUSEADDR, type Implicit } from './runtimeDefaults';
import type { Scope } from './scopes';
import { serverConstructorArguments, type ResolvedServer, type ServerClassResolver } from './serverClasses';
import { newRecord, type SocketRecord } from './socketRecords';
import { argument, callArguments, type CallArguments } from './syntax';
import { isMulticastHost, type Evaluator, type HostInfo } from './values';

export interface BuildContext {
  collected: Collected;
  imports: ImportTable;
  evaluator: Evaluator;
  guards: PythonGuards;
  servers: ServerClassResolver;
  /** The file uses asyncio (or uvloop/aiohttp), so `x.create_server(...)` is an event loop's. */
  usesAsyncio: boolean;
}

export interface Creation {
  record: SocketRecord;
  /** `sock=s` handed to a server API: that socket serves. */
  servedSocket?: SyntaxNode;
}

const NO_HOST: HostInfo = { host: null, hostKind: 'any', explicitWildcard: false };

export function creationFor(call: CallSite, ctx: BuildContext): Creation | null {
  const qualified = call.dotted ? ctx.imports.qualify(call.dotted) : null;
  switch (call.name) {
    case 'socket':
      return qualified !== null && /(^|\.)socket\.socket$/.test(qualified) ? plainSocket(call, ctx) : null;
    case 'create_server':
      if (qualified === 'socket.create_server') return socketCreateServer(call, ctx);
      return isEventLoopCall(call, ctx) ? asyncioServer(call, ctx, 'loop.create_server') : null;
    case 'start_server':
      return qualified === 'asyncio.start_server' || qualified === 'asyncio.streams.start_server' ? asyncioServer(call, ctx, 'asyncio.start_server') : null;
    case 'create_datagram_endpoint':
      return isEventLoopCall(call, ctx) ? datagramEndpoint(call, ctx) : null;
    case 'listenTCP':
    case 'listenSSL':
    case 'listenUDP':
    case 'listenMulticast':
      return call.receiver !== null || call.node.childForFieldName('function')?.type === 'attribute' ? twisted(call, ctx) : null;
    case 'make_server':
      return qualified === 'wsgiref.simple_server.make_server' ? wsgiMakeServer(call, ctx) : null;
    default: {
      if (!call.dotted) return null;
      const code = call.name.charCodeAt(0);
      if (code < 65 || code > 90) return null;
      const server = ctx.servers.resolve(call.dotted, call.scope);
      if (!server) return null;
      return serverInstance(call, ctx, server, callArguments(call.node));
    }
  }
}

function isEventLoopCall(call: CallSite, ctx: BuildContext): boolean {
  const object = call.node.childForFieldName('function')?.childForFieldName('object');
  if (!object) return false;
  return ctx.usesAsyncio || /loop/i.test(object.text);
}

export function plainSocket(call: CallSite, ctx: BuildContext): Creation | null {
  const args = callArguments(call.node);
  if (args.keywords.has('fileno')) return null;
  const family = resolvedText(argument(args, 'family', 0), call, ctx);
  const type = resolvedText(argument(args, 'type', 1), call, ctx);
  const record = newRecord('socket', 'socket.socket', call.node, call.scope, call.target, 'unknown');
  if (family !== null && NON_IP_FAMILY.test(family)) record.nonIp = true;
  // `socket.socket(*addrinfo[:3])`: family and type are whatever the caller had.
  const unknownArgs = args.hasSplat && args.positional.length < 2;
  record.familyKnown = family === null ? !unknownArgs : /\bAF_INET6?\b/.test(family);
  if (type === null && unknownArgs) record.protocol = 'unknown';
  else if (type === null || /\bSOCK_STREAM\b/.test(type)) record.protocol = 'tcp';
  else if (/\bSOCK_DGRAM\b/.test(type)) record.protocol = 'udp';
  else if (/\bSOCK_(RAW|SEQPACKET|RDM)\b/.test(type)) record.nonIp = true;
  return { record };
}

/** The text of an argument, or of the single value assigned to a bare name passed as one. */
function resolvedText(node: SyntaxNode | null, call: CallSite, ctx: BuildContext): string | null {
  if (!node) return null;
  if (node.type === 'identifier') {
    const assigned = ctx.evaluator.assignedExpression(node.text, call.scope);
    if (assigned && assigned !== 'parameter') return assigned.node.text;
  }
  return node.text;
}

/** A keyword option passed to the call that binds (`reuse_port=True`), as an option draft. */
function keywordOption(record: SocketRecord, call: CallSite, ctx: BuildContext, args: CallArguments, keyword: string, option: 'reuseaddr' | 'reuseport', raisesOnWindows: boolean): void {
  const value = args.keywords.get(keyword);
  const node = args.keywordNodes.get(keyword);
  if (!value || !node) return;
  const enabled = ctx.guards.enabledBy(value, call.scope, ctx.evaluator);
  if (!enabled) {
    record.configurable = true;
    return;
  }
  const where = ctx.guards.platformsOf(call.node);
  const on = intersect(where, enabled.enabled);
  const off = intersect(where, enabled.disabled);
  const unsupportedOn = raisesOnWindows && on.includes('win32') ? (['win32'] as Platform[]) : undefined;
  if (on.length > 0) record.options.push({ option, enabled: true, node, scope: call.scope, platforms: on, timing: 'before', unsupportedOn });
  if (off.length > 0) record.options.push({ option, enabled: false, node, scope: call.scope, platforms: off, timing: 'before' });
}

function atCreationBind(ctx: BuildContext, record: SocketRecord, call: CallSite, address: Address, implicit: Implicit): void {
  if (isMulticastHost(address.host.host)) record.multicast = true;
  const fails = address.fails === true || ctx.guards.expectsFailure(call.node);
  record.binds.push({ node: call.node, scope: call.scope, host: address.host, port: address.port, tuple: address.tuple, implicit, bindsAtCreation: true, fails });
}

interface Address {
  host: HostInfo;
  port: number | null;
  tuple: boolean;
  fails?: boolean;
}

/** An address tuple `(host, port)` given directly or through a constant. */
export function addressOf(node: SyntaxNode | null, scope: Scope, ctx: BuildContext): Address {
  const value = node ? ctx.evaluator.evaluate(node, scope) : null;
  if (value?.kind === 'seq') {
    return {
      host: ctx.evaluator.host(value.items[0], value.scope),
      port: ctx.evaluator.port(value.items[1], value.scope),
      tuple: true,
      fails: ctx.evaluator.invalidPort(value.items[1], value.scope),
    };
  }
  return { host: { host: null, hostKind: 'unknown', explicitWildcard: false }, port: null, tuple: false };
}

function hostPortAddress(hostNode: SyntaxNode | null, portNode: SyntaxNode | null, scope: Scope, ctx: BuildContext): Address {
  return {
    host: hostNode ? ctx.evaluator.host(hostNode, scope) : NO_HOST,
    port: portNode ? ctx.evaluator.port(portNode, scope) : null,
    tuple: hostNode !== null || portNode !== null,
    fails: ctx.evaluator.invalidPort(portNode, scope),
  };
}

function socketCreateServer(call: CallSite, ctx: BuildContext): Creation {
  const args = callArguments(call.node);
  const record = newRecord('api', 'socket.create_server', call.node, call.scope, call.target, 'tcp');
  record.fixedRole = 'server';
  atCreationBind(ctx, record, call, addressOf(argument(args, 'address', 0), call.scope, ctx), UNIX_REUSEADDR);
  keywordOption(record, call, ctx, args, 'reuse_port', 'reuseport', true);
  return { record };
}

function asyncioServer(call: CallSite, ctx: BuildContext, api: string): Creation | null {
  const args = callArguments(call.node);
  const family = args.keywords.get('family');
  if (family && NON_IP_FAMILY.test(family.text)) return null;
  const record = newRecord('api', api, call.node, call.scope, call.target, 'tcp');
  record.fixedRole = 'server';
  const sock = args.keywords.get('sock');
  if (sock) return { record, servedSocket: sock };
  const address = hostPortAddress(argument(args, 'host', 1), argument(args, 'port', 2), call.scope, ctx);
  atCreationBind(ctx, record, call, address, UNIX_REUSEADDR);
  keywordOption(record, call, ctx, args, 'reuse_address', 'reuseaddr', false);
  keywordOption(record, call, ctx, args, 'reuse_port', 'reuseport', true);
  return { record };
}

function datagramEndpoint(call: CallSite, ctx: BuildContext): Creation | null {
  const args = callArguments(call.node);
  const family = args.keywords.get('family');
  if (family && NON_IP_FAMILY.test(family.text)) return null;
  const record = newRecord('api', 'loop.create_datagram_endpoint', call.node, call.scope, call.target, 'udp');
  const sock = args.keywords.get('sock');
  if (sock) return { record, servedSocket: sock };
  const local = argument(args, 'local_addr', 1);
  if (!local) return null;
  const remote = argument(args, 'remote_addr', 2);
  record.fixedRole = remote ? 'client' : 'server';
  const broadcast = args.keywords.get('allow_broadcast');
  if (broadcast && (ctx.guards.enabledBy(broadcast, call.scope, ctx.evaluator)?.enabled.length ?? 1) > 0) record.multicast = true;
  atCreationBind(ctx, record, call, addressOf(local, call.scope, ctx), {});
  keywordOption(record, call, ctx, args, 'reuse_address', 'reuseaddr', false);
  keywordOption(record, call, ctx, args, 'reuse_port', 'reuseport', true);
  return { record };
}

function twisted(call: CallSite, ctx: BuildContext): Creation {
  const args = callArguments(call.node);
  const name = call.name;
  const udp = name === 'listenUDP' || name === 'listenMulticast';
  const record = newRecord('api', `reactor.${name}`, call.node, call.scope, call.target, udp ? 'udp' : 'tcp');
  record.fixedRole = 'server';
  const interfaceIndex = name === 'listenTCP' ? 3 : name === 'listenSSL' ? 4 : 2;
  const address = hostPortAddress(argument(args, 'interface', interfaceIndex), argument(args, 'port', 0), call.scope, ctx);
  address.tuple = true;
  let implicit: Implicit = {};
  if (!udp) implicit = UNIX_REUSEADDR;
  if (name === 'listenMulticast') {
    record.multicast = true;
    const multiple = argument(args, 'listenMultiple', 4);
    const enabled = multiple ? ctx.guards.enabledBy(multiple, call.scope, ctx.evaluator) : null;
    if (enabled) implicit = onlyOn(LISTEN_MULTIPLE, enabled.enabled);
  }
  atCreationBind(ctx, record, call, address, implicit);
  return { record };
}

function onlyOn(implicit: Implicit, platforms: readonly Platform[]): Implicit {
  const out: Implicit = {};
  for (const p of ALL_PLATFORMS) {
    const options = implicit[p];
    if (options && platforms.includes(p)) out[p] = [...options];
  }
  return out;
}

function wsgiMakeServer(call: CallSite, ctx: BuildContext): Creation | null {
  const args = callArguments(call.node);
  const serverClass = argument(args, 'server_class', 3);
  const server = ctx.servers.resolve(serverClass?.text.replace(/\s+/g, '') ?? 'wsgiref.simple_server.WSGIServer', call.scope);
  if (!server) return null;
  const address = hostPortAddress(argument(args, 'host', 0), argument(args, 'port', 1), call.scope, ctx);
  const creation = serverInstance(call, ctx, server, null, address);
  if (creation) creation.record.api = 'wsgiref.simple_server.make_server';
  return creation;
}

/** An argument that is a parameter of the `__init__` override, read at the instantiation instead. */
function throughParameter(node: SyntaxNode | null, initScope: Scope, callerArgs: CallArguments | null, callerScope: Scope): { node: SyntaxNode; scope: Scope } | null {
  if (!node) return null;
  if (node.type !== 'identifier' || !initScope.params.has(node.text)) return { node, scope: initScope };
  if (!callerArgs) return null;
  const index = [...initScope.params].indexOf(node.text) - 1;
  const passed = callerArgs.keywords.get(node.text) ?? (callerArgs.hasSplat ? undefined : callerArgs.positional[index]);
  return passed ? { node: passed, scope: callerScope } : null;
}

/** `super().__init__(("127.0.0.1", port), H)` with `port` a parameter: read the caller's argument. */
function addressThroughParameters(node: SyntaxNode, initScope: Scope, callerArgs: CallArguments | null, callerScope: Scope, ctx: BuildContext): Address | null {
  const value = ctx.evaluator.evaluate(node, initScope);
  if (value?.kind !== 'seq') return null;
  const item = (i: number): { node: SyntaxNode; scope: Scope } | null => {
    const n = value.items[i];
    return n ? throughParameter(n, value.scope === initScope ? initScope : value.scope, callerArgs, callerScope) : null;
  };
  const host = item(0);
  const port = item(1);
  return {
    host: host ? ctx.evaluator.host(host.node, host.scope) : { host: null, hostKind: 'unknown', explicitWildcard: false },
    port: port ? ctx.evaluator.port(port.node, port.scope) : null,
    tuple: true,
    fails: port ? ctx.evaluator.invalidPort(port.node, port.scope) : false,
  };
}

/**
 * A socketserver-family instance: binds in its constructor unless bind_and_activate=False. With an
 * overridden `__init__`, the address and flag are whatever it passes to the base constructor.
 */
function serverInstance(call: CallSite, ctx: BuildContext, server: ResolvedServer, args: CallArguments | null, given?: Address): Creation | null {
  if (server.base.unix) return null;
  const family = ctx.servers.attribute(server, 'address_family');
  if (family?.definitions.some((d) => d.value !== null && NON_IP_FAMILY.test(d.value.text))) return null;
  const api = server.chain.length > 0 ? `${server.name} (${server.base.api})` : server.base.api;
  const record = newRecord('server', api, call.node, call.scope, call.target, server.base.protocol);
  record.fixedRole = 'server';
  record.server = server;
  const init = ctx.servers.initOverride(server);
  if (init.kind === 'no-bind') return null;
  let address: SyntaxNode | null = null;
  let activate: SyntaxNode | null = null;
  let addressScope = call.scope;
  let activateScope = call.scope;
  let tupleAddress: Address | null = null;
  if (init.kind === 'base-call') {
    const passed = serverConstructorArguments(init.args, server.base, init.offset);
    // `def __init__(self, addr, ...): super().__init__(addr, ...)`: follow the parameter to the caller.
    const a = throughParameter(passed.address, init.call.scope, args, call.scope);
    tupleAddress = a && a.scope === init.call.scope ? addressThroughParameters(a.node, init.call.scope, args, call.scope, ctx) : null;
    const b = throughParameter(passed.activate, init.call.scope, args, call.scope);
    address = a?.node ?? null;
    addressScope = a?.scope ?? call.scope;
    activate = b?.node ?? null;
    activateScope = b?.scope ?? call.scope;
    // make_server calls server_class((host, port), handler_class): its first parameter is the address.
    const first = [...init.call.scope.params][1];
    if (args || passed.address?.type !== 'identifier' || passed.address.text !== first) given = undefined;
  } else if (init.kind === 'unknown') {
    given = undefined;
  } else if (args) {
    ({ address, activate } = serverConstructorArguments(args, server.base, 0));
  }
  if (activate) {
    const enabled = ctx.guards.enabledBy(activate, activateScope, ctx.evaluator);
    record.bindAndActivate = enabled === null || enabled.enabled.length > 0;
  }
  const where = given ?? tupleAddress ?? addressOf(address, addressScope, ctx);
  record.serverAddress = { ...where, fails: where.fails === true || ctx.guards.expectsFailure(call.node) };
  return { record };
}
