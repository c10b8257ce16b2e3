// Socket APIs of C/C++ libraries with their own defaults: libuv (SO_REUSEADDR in uv_tcp_bind on Unix;
// UV_UDP_REUSEADDR is SO_REUSEPORT on BSD/macOS), libevent listeners, Qt servers (SO_REUSEADDR on Unix)
// and Qt UDP sockets (whose BindMode flags mean different options on Unix and Windows).
import type { Platform, ReuseOption } from '../../analysis/facts';
import { ALL_PLATFORMS } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import type { Endpoint } from './cAddress';
import { hostPortEndpoint, qtEndpoint, sockaddrEndpoint, unknownEndpoint } from './cAddress';
import type { OptionEvent } from '../common/socketEvents';
import type { Ctx } from './cProgram';
import { UNIX_RA, assignmentTarget, receiverTypedAs, type EventWriter, type Run } from './cEventWriter';
import { expressionKey, stringLiteral } from './cSyntax';

const QT_SERVER_TYPE = /\b(QTcpServer|QSslServer|QWebSocketServer)\b/;
const QT_UDP_TYPE = /\bQUdpSocket\b/;

// ----- libuv -----

export function readLibuv(w: EventWriter, run: Run, call: SyntaxNode, name: string, args: readonly SyntaxNode[]): void {
  const [first, second, third] = args;
  if (!first) return;
  switch (name) {
    case 'uv_tcp_init':
    case 'uv_tcp_init_ex':
    case 'uv_udp_init':
    case 'uv_udp_init_ex': {
      if (!second) return;
      const key = w.keyOf(second, run);
      const protocol = name.startsWith('uv_tcp') ? 'tcp' : 'udp';
      w.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), protocol, api: name, variable: expressionKey(second) });
      return;
    }
    case 'uv_tcp_bind':
    case 'uv_udp_bind': {
      if (!second) return;
      const key = w.keyOf(first, run);
      const flags = third?.text ?? '';
      const platforms = w.platforms(run, call);
      const option = (option: ReuseOption, on: readonly Platform[], unsupportedOn?: Platform[]): void => {
        const p = intersect(platforms, on);
        if (p.length === 0) return;
        w.push(run, {
          kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), option, enabled: true,
          platforms: p, atBind: true, ...(unsupportedOn ? { unsupportedOn } : {}),
        });
      };
      if (name === 'uv_tcp_bind') {
        if (/UV_TCP_REUSEPORT/.test(flags)) option('reuseport', ALL_PLATFORMS, ['darwin', 'win32']);
      } else {
        // libuv maps UV_UDP_REUSEADDR to SO_REUSEPORT on BSD/macOS and to SO_REUSEADDR elsewhere.
        if (/UV_UDP_REUSEADDR/.test(flags)) {
          option('reuseaddr', ['linux', 'win32']);
          option('reuseport', ['darwin']);
        }
        if (/UV_UDP_REUSEPORT/.test(flags)) option('reuseport', ALL_PLATFORMS, ['darwin', 'win32']);
      }
      w.pushBind(run, key, call, w.span(call), (ctx) => sockaddrEndpoint(w.program, second, ctx), name === 'uv_tcp_bind' ? UNIX_RA : {}, false);
      return;
    }
    case 'uv_listen':
      w.use(run, first, 'listen', call);
      return;
    case 'uv_accept':
      w.use(run, first, 'accept', call);
      return;
    case 'uv_udp_recv_start':
      w.use(run, first, 'receive', call);
      return;
    case 'uv_udp_set_membership':
    case 'uv_udp_set_source_membership':
      w.use(run, first, 'multicast', call);
      return;
    case 'uv_udp_set_broadcast':
      if (second?.text.trim() !== '0') w.use(run, first, 'multicast', call);
      return;
    case 'uv_tcp_connect':
      if (second) w.use(run, second, 'connect', call);
      return;
    default:
      return;
  }
}

// ----- libevent -----

/**
 * evconnlistener_new_bind(base, cb, arg, flags, backlog, sa, len) binds and listens; LEV_OPT_REUSEABLE
 * sets SO_REUSEADDR on Unix only. evhttp_bind_socket(http, host, port) passes that flag itself.
 */
export function readLibevent(w: EventWriter, run: Run, call: SyntaxNode, name: string, args: readonly SyntaxNode[]): void {
  const target = assignmentTarget(call);
  const key = target ? w.keyOf(target, run) : { key: `${run.fn.id}|evlistener#${call.startIndex}` };
  w.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), protocol: 'tcp', api: name, role: 'server' });
  if (name !== 'evconnlistener_new_bind') {
    const [, host, port] = args;
    const resolve = (ctx: Ctx): Endpoint => hostPortEndpoint(host ? w.program.string(host, ctx) : null, port ? w.program.number(port, ctx) : null);
    w.pushBind(run, key, call, w.span(call), resolve, UNIX_RA, true);
    return;
  }
  const flags = args[3]?.text ?? '';
  const option = (option: ReuseOption, on: readonly Platform[]): void => {
    const p = intersect(w.platforms(run, call), on);
    if (p.length > 0) w.push(run, { kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), option, enabled: true, platforms: p, atBind: true });
  };
  if (/LEV_OPT_REUSEABLE\b/.test(flags)) option('reuseaddr', ['linux', 'darwin']);
  if (/LEV_OPT_REUSEABLE_PORT\b/.test(flags)) option('reuseport', ['linux']);
  const address = args[5];
  w.pushBind(run, key, call, w.span(call), (ctx) => (address ? sockaddrEndpoint(w.program, address, ctx) : unknownEndpoint()), {}, true);
}

// ----- Qt -----

export function isQtReceiver(w: EventWriter, run: Run, receiver: SyntaxNode): boolean {
  if (receiver.type === 'this') return inQtServerClass(w, run);
  return receiverTypedAs(w, run, receiver, QT_SERVER_TYPE);
}

function inQtServerClass(w: EventWriter, run: Run): boolean {
  const fn = run.fn;
  if (w.program.qtServerClasses.some((c) => c.startIndex <= fn.start && fn.end <= c.endIndex)) return true;
  const declarator = fn.node.childForFieldName('declarator')?.text ?? '';
  const owner = /(\w+)\s*::\s*~?\w+\s*\(/.exec(declarator)?.[1];
  return owner !== undefined && w.program.qtServerClasses.some((c) => c.childForFieldName('name')?.text === owner);
}

export function isQtListen(w: EventWriter, run: Run, args: readonly SyntaxNode[]): boolean {
  return args.some((a) => /QHostAddress/.test(a.text)) || inQtServerClass(w, run);
}

export function readQtListen(w: EventWriter, run: Run, call: SyntaxNode, args: readonly SyntaxNode[]): void {
  const key = { key: `${run.fn.id}|qt#${call.startIndex}` };
  w.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), protocol: 'tcp', api: 'QTcpServer::listen', role: 'server' });
  // QTcpServer::listen sets SO_REUSEADDR on Unix only ("Under Windows this is possible anyway").
  w.pushBind(run, key, call, w.span(call), (ctx) => qtEndpoint(w.program, args, ctx), UNIX_RA, false);
}

// ----- Qt UDP -----

export const QT_UDP_METHODS = new Set(['bind', 'joinMulticastGroup', 'connectToHost']);
const QT_BIND_MODE = /ShareAddress|ReuseAddressHint|DefaultForPlatform|BindMode|BindFlag/;

export function isQtUdpReceiver(w: EventWriter, run: Run, receiver: SyntaxNode): boolean {
  return receiverTypedAs(w, run, receiver, QT_UDP_TYPE);
}

/** QAbstractSocket::BindMode bits: ShareAddress 0x1, DontShareAddress 0x2, ReuseAddressHint 0x4; 0 is DefaultForPlatform. */
interface BindMode {
  share: boolean;
  dontShare: boolean;
  hint: boolean;
}

function bindMode(w: EventWriter, run: Run, node: SyntaxNode | undefined): BindMode | 'default' | null {
  if (!node) return 'default';
  const text = node.text;
  const named = { share: /(?<!Dont)ShareAddress\b/.test(text), dontShare: /\bDontShareAddress\b/.test(text), hint: /\bReuseAddressHint\b/.test(text) };
  if (named.share || named.dontShare || named.hint) return named;
  if (/^\s*(\w+::)*DefaultForPlatform\s*$/.test(text)) return 'default';
  const value = w.program.number(node, w.ctxAt(run, node));
  if (value === null) return null;
  if (value === 0) return 'default';
  return { share: (value & 1) !== 0, dontShare: (value & 2) !== 0, hint: (value & 4) !== 0 };
}

/**
 * QUdpSocket::bind([address,] port[, mode]): on Unix ShareAddress or ReuseAddressHint set SO_REUSEADDR;
 * on Windows ReuseAddressHint sets SO_REUSEADDR and DontShareAddress SO_EXCLUSIVEADDRUSE.
 * DefaultForPlatform is DontShareAddress|ReuseAddressHint on Unix and ShareAddress on Windows.
 */
export function readQtUdpCall(w: EventWriter, run: Run, call: SyntaxNode, receiver: SyntaxNode, method: string, args: readonly SyntaxNode[]): void {
  if (method === 'joinMulticastGroup') {
    w.use(run, receiver, 'multicast', call);
    return;
  }
  if (method === 'connectToHost') {
    w.use(run, receiver, 'connect', call);
    return;
  }
  const ctx = w.ctxAt(run, call);
  const [first, second, third] = args;
  const addressForm = first !== undefined && (/QHostAddress/.test(first.text) || stringLiteral(first) !== null || third !== undefined
    || (second !== undefined && !QT_BIND_MODE.test(second.text) && w.program.number(first, ctx) === null));
  const port = addressForm ? second : first;
  const modeNode = addressForm ? third : second;
  const mode = bindMode(w, run, modeNode);
  // A mode this reader cannot tell: say nothing rather than guess which options are on.
  if (mode === null) return;
  const key = w.keyOf(receiver, run);
  w.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), protocol: 'udp', api: 'QUdpSocket::bind', variable: expressionKey(receiver) });
  const platforms = w.platforms(run, call);
  if (mode !== 'default' && modeNode) {
    const option = (option: OptionEvent['option'], on: readonly Platform[]): void => {
      const p = intersect(platforms, on);
      if (p.length > 0) w.push(run, { kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(modeNode), option, enabled: true, platforms: p, atBind: true });
    };
    if (mode.share || mode.hint) option('reuseaddr', ['linux', 'darwin']);
    if (mode.hint) option('reuseaddr', ['win32']);
    if (mode.dontShare) option('exclusiveaddruse', ['win32']);
  }
  const resolve = (at: Ctx): Endpoint => (addressForm && first ? qtEndpoint(w.program, [first, ...(port ? [port] : [])], at) : { ...hostPortEndpoint(null, port ? w.program.number(port, at) : 0), hostKind: 'any' });
  w.pushBind(run, key, call, w.span(call), resolve, mode === 'default' ? UNIX_RA : {}, false);
  // A bound QUdpSocket receives through readyRead/readDatagram.
  w.use(run, receiver, 'receive', call);
}
