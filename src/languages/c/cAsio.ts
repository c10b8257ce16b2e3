// Boost.Asio (and standalone Asio): acceptors built with an endpoint bind at once and set SO_REUSEADDR
// on every OS, Windows included; the explicit open/set_option/bind/listen steps set only what they say.
// Method calls of uWS apps and Qt sockets are handed to their own readers first.
import type { ReuseOption } from '../../analysis/facts';
import type { BindEvent } from '../common/socketEvents';
import type { SyntaxNode } from '../treeSitter';
import { asioEndpoint } from './cAddress';
import { assignmentTarget, type EventWriter, type Run } from './cEventWriter';
import { QT_UDP_METHODS, isQtReceiver, isQtUdpReceiver, readQtListen, readQtUdpCall } from './cLibraries';
import { callArguments, calleeName, expressionKey, rootIdentifier, unwrap } from './cSyntax';
import { isUwsReceiver, readUwsListen } from './cUws';

export const ASIO_TYPE = /\b(tcp|udp)::(acceptor|socket)\b|basic_socket_acceptor|basic_datagram_socket|basic_stream_socket/;

/** Options whose own type names the socket kind: `tcp::acceptor::reuse_address`, `udp::socket::broadcast`. */
const TYPED_OPTION = /\b(tcp|udp)::(acceptor|socket)::\w+/;
const inferredTypes = new WeakMap<object, Map<string, string>>();

/**
 * Asio objects declared where this file cannot see (a class member in a header), typed by how the
 * file uses them: `acceptor_.set_option(tcp::acceptor::reuse_address(true))` makes `acceptor_` a
 * tcp::acceptor; with `socket_base::` options, accepting (acceptor) or receive_from (udp::socket)
 * on the same name tells, when the name is also opened or bound here.
 */
function inferredAsioTypes(w: EventWriter): Map<string, string> {
  const known = inferredTypes.get(w.program);
  if (known) return known;
  const result = new Map<string, string>();
  inferredTypes.set(w.program, result);
  const text = w.program.text;
  if (!/set_option/.test(text)) return result;
  const methodsOf = (name: string): Set<string> => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new Set([...text.matchAll(new RegExp(`\\b${escaped}\\s*(?:\\.|->)\\s*(\\w+)\\s*\\(`, 'g'))].map((m) => m[1] ?? ''));
  };
  for (const m of text.matchAll(/\b([A-Za-z_]\w*)\s*(?:\.|->)\s*set_option\s*\(\s*([\w:]+)/g)) {
    const name = m[1] ?? '';
    const option = m[2] ?? '';
    if (result.has(name)) continue;
    const typed = TYPED_OPTION.exec(option);
    if (typed) {
      result.set(name, `${typed[1] ?? 'tcp'}::${typed[2] ?? 'socket'}`);
      continue;
    }
    const methods = methodsOf(name);
    if (/\bsocket_base::\w+/.test(option) && (methods.has('open') || methods.has('bind'))) {
      if (methods.has('listen') || methods.has('accept') || methods.has('async_accept')) result.set(name, 'tcp::acceptor');
      else if (methods.has('receive_from') || methods.has('async_receive_from')) result.set(name, 'udp::socket');
    }
  }
  return result;
}

function asioType(w: EventWriter, run: Run, receiver: SyntaxNode): string | null {
  const root = rootIdentifier(receiver);
  if (!root) return null;
  const fn = run.ctx.fn;
  const type = fn?.types.get(root) ?? (fn?.locals.has(root) ? undefined : w.program.declaredTypes.get(root) ?? memberType(w, receiver, root));
  if (type && ASIO_TYPE.test(type)) return type;
  const writes = fn?.writes.get(root) ?? [];
  for (const write of writes) {
    const text = write.value?.text ?? '';
    const m = ASIO_TYPE.exec(text);
    if (m) return m[0];
  }
  if (fn?.params.includes(root)) {
    const binding = run.ctx.env?.get(root);
    if (binding?.ctx.fn) {
      return asioType(w, { ...run, fn: binding.ctx.fn, ctx: binding.ctx }, binding.node);
    }
  }
  return null;
}

/** The inferred type of a member (`acceptor_`, `this->acceptor_`) used but not declared in this file. */
function memberType(w: EventWriter, receiver: SyntaxNode, root: string): string | undefined {
  const n = unwrap(receiver, false);
  const name = n.type === 'field_expression' && n.childForFieldName('argument')?.type === 'this' ? n.childForFieldName('field')?.text ?? root : root;
  return inferredAsioTypes(w).get(name);
}

export function readDeclaration(w: EventWriter, run: Run, decl: SyntaxNode): void {
  const type = decl.childForFieldName('type')?.text ?? '';
  if (!ASIO_TYPE.test(type)) return;
  for (const d of decl.childrenForFieldName('declarator')) {
    if (!d) continue;
    let args: SyntaxNode[] = [];
    let nameNode: SyntaxNode | null = d;
    if (d.type === 'init_declarator') {
      nameNode = d.childForFieldName('declarator');
      const value = d.childForFieldName('value');
      if (value?.type === 'argument_list' || value?.type === 'initializer_list') args = callArguments(value);
      else if (value) continue;
    } else if (d.type === 'function_declarator') {
      // `tcp::acceptor a(io);` reads as a function declaration: its "parameters" are the arguments.
      nameNode = d.childForFieldName('declarator');
      args = (d.childForFieldName('parameters')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null);
    } else if (d.type !== 'identifier') {
      continue;
    }
    if (!nameNode || nameNode.type !== 'identifier') continue;
    readAsioConstruction(w, run, d, type, args, nameNode, d);
  }
}

export function readNew(w: EventWriter, run: Run, node: SyntaxNode): void {
  const type = node.childForFieldName('type')?.text ?? '';
  if (!ASIO_TYPE.test(type)) return;
  const target = assignmentTarget(node);
  const list = node.childForFieldName('arguments');
  readAsioConstruction(w, run, node, type, list ? callArguments(list) : [], target ?? node, node);
}

export function readFieldInitializer(w: EventWriter, run: Run, init: SyntaxNode): void {
  const field = init.namedChildren.find((c) => c?.type === 'field_identifier');
  if (!field) return;
  const type = w.program.declaredTypes.get(field.text) ?? inferredAsioTypes(w).get(field.text);
  if (!type || !ASIO_TYPE.test(type)) return;
  const list = init.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'initializer_list');
  readAsioConstruction(w, run, init, type, list ? callArguments(list) : [], field, init);
}

/** An Asio acceptor or socket constructed with `(io)`, `(io, protocol)` or `(io, endpoint[, reuse])`. */
export function readAsioConstruction(w: EventWriter, run: Run, node: SyntaxNode, type: string, args: readonly SyntaxNode[], target: SyntaxNode, spanNode: SyntaxNode): void {
  const key = target.type === 'field_identifier' ? { key: `file:${run.fn.owner}|${target.text}` } : w.keyOf(target, run);
  const acceptor = /acceptor/.test(type);
  const protocol = /udp|datagram/.test(type) ? 'udp' : 'tcp';
  const api = acceptor ? 'asio::ip::tcp::acceptor' : `asio::ip::${protocol}::socket`;
  const variable = target.type === 'field_identifier' ? target.text : expressionKey(target);
  w.push(run, {
    kind: 'create', key: key.key, at: node.startIndex, scope: run.fn.id, span: w.span(spanNode), protocol, api, variable,
    ...(acceptor ? { role: 'server' as const } : {}),
  });
  const endpoint = args[1];
  if (!endpoint || /(^|::)v[46]\(\)$|\.protocol\(\)$/.test(endpoint.text.replace(/\s+/g, ''))) return;
  if (args.length > 2 && !acceptor) return;
  // basic_socket_acceptor(ex, endpoint, reuse_addr = true) sets SO_REUSEADDR on every OS, Windows too.
  const reuse = acceptor && (args[2] === undefined || w.program.number(args[2], w.ctxAt(run, node)) !== 0);
  const implicit = reuse ? { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] } as BindEvent['implicit'] : {};
  w.pushBind(run, key, node, w.span(spanNode), (ctx) => asioEndpoint(w.program, endpoint, ctx), implicit, true);
}

function asioOption(w: EventWriter, run: Run, arg: SyntaxNode): { option: ReuseOption | 'multicast' | null; enabled: boolean } {
  const n = unwrap(arg, false);
  const fnNode = n.type === 'call_expression' ? n.childForFieldName('function') : null;
  const typeText = (fnNode?.text ?? n.text).replace(/\s+/g, '');
  const name = typeText.replace(/<.*$/, '').replace(/^.*::/, '');
  const alias = w.program.aliases.get(name) ?? '';
  const all = `${typeText} ${alias}`;
  const valueNode = n.type === 'call_expression' ? callArguments(n)[0] : undefined;
  const value = valueNode ? w.program.number(valueNode, w.ctxAt(run, arg)) : null;
  const enabled = value === null ? true : value !== 0;
  if (/reuse_address/.test(all) || /SO_REUSEADDR\b/.test(all)) return { option: 'reuseaddr', enabled };
  if (/SO_REUSEPORT/.test(all) || /^reuse_?port$/i.test(name)) return { option: 'reuseport', enabled };
  if (/SO_EXCLUSIVEADDRUSE|exclusive_address/i.test(all)) return { option: 'exclusiveaddruse', enabled };
  if (/multicast::(join_group|enable_loopback|hops|outbound_interface)/.test(all) || (/\bbroadcast\b/.test(all) && enabled)) return { option: 'multicast', enabled };
  return { option: null, enabled };
}

export function readMethodCall(w: EventWriter, run: Run, call: SyntaxNode, receiver: SyntaxNode): void {
  const method = calleeName(call);
  const args = callArguments(call);
  if (method === 'listen' && isUwsReceiver(w, run, receiver)) {
    readUwsListen(w, run, call, receiver);
    return;
  }
  if (method === 'listen' && isQtReceiver(w, run, receiver)) {
    readQtListen(w, run, call, args);
    return;
  }
  if (QT_UDP_METHODS.has(method) && isQtUdpReceiver(w, run, receiver)) {
    readQtUdpCall(w, run, call, receiver, method, args);
    return;
  }
  const type = asioType(w, run, receiver);
  if (!type) {
    for (const arg of args) {
      const n = unwrap(arg);
      if (n.type === 'identifier' && (asioType(w, run, n) || isSocketLike(w, run, n))) w.use(run, arg, 'escape', call);
    }
    return;
  }
  const key = w.keyOf(receiver, run);
  switch (method) {
    case 'set_option': {
      const first = args[0];
      if (!first) return;
      const { option, enabled } = asioOption(w, run, first);
      if (option === 'multicast') w.use(run, receiver, 'multicast', call);
      else if (option) {
        w.push(run, { kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), option, enabled, platforms: w.platforms(run, call) });
      }
      return;
    }
    case 'bind': {
      const first = args[0];
      if (!first) return;
      w.pushBind(run, key, call, w.span(call), (ctx) => asioEndpoint(w.program, first, ctx), {}, false);
      return;
    }
    case 'listen':
      w.use(run, receiver, 'listen', call);
      return;
    case 'accept':
    case 'async_accept':
      w.use(run, receiver, 'accept', call);
      return;
    case 'connect':
    case 'async_connect':
      w.use(run, receiver, 'connect', call);
      return;
    case 'receive_from':
    case 'async_receive_from':
    case 'receive':
    case 'async_receive':
      w.use(run, receiver, 'receive', call);
      return;
    default:
      return;
  }
}

/** A plain identifier that names something created by socket() in this function. */
function isSocketLike(w: EventWriter, run: Run, node: SyntaxNode): boolean {
  const writes = run.ctx.fn?.writes.get(node.text) ?? [];
  return writes.some((w) => w.value !== null && /\b(socket|WSASocketW?|WSASocketA)\s*\(/.test(w.value.text));
}
