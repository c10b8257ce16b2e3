// uWebSockets (C++): `uWS::App().get(...).listen(port, handler)`, `app.listen(host, port, handler)`,
// `app.listen(port, LIBUS_LISTEN_EXCLUSIVE_PORT, handler)`. uSockets' bsd_bind_listen_fd sets
// SO_REUSEADDR and SO_REUSEPORT on Unix and SO_REUSEADDR on Windows for every non-zero port, unless
// the options hold LIBUS_LISTEN_EXCLUSIVE_PORT (1): then no SO_REUSEPORT, and SO_EXCLUSIVEADDRUSE on Windows.
import type { Platform, ReuseOption, Span } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { hostPortEndpoint } from './cAddress';
import type { CProgram, Ctx } from './cProgram';
import { receiverTypedAs, type EventWriter, type Run } from './cEventWriter';
import { callArguments, calleeName, callReceiver, expressionKey, stringLiteral, unwrap } from './cSyntax';

export const UWS_EXCLUSIVE = 'LIBUS_LISTEN_EXCLUSIVE_PORT';
const UWS_APP = /\buWS\s*::\s*(?:SSL)?App\b|\buWS\s*::\s*TemplatedApp\b/;
const UWS_CHAIN_START = /\buWS\s*::\s*(?:SSL)?App\s*[({]/;

/** Is `receiver` a uWS app: a chain starting at `uWS::App()`, or a variable typed or initialised as one? */
export function isUwsReceiver(w: EventWriter, run: Run, receiver: SyntaxNode): boolean {
  return UWS_CHAIN_START.test(receiver.text) || receiverTypedAs(w, run, receiver, UWS_APP);
}

export interface UwsListen {
  port: SyntaxNode;
  host: SyntaxNode | null;
  options: SyntaxNode | null;
  exclusive: 'yes' | 'no' | 'unknown';
}

/** Reads listen()'s arguments; null for the Unix-domain overload `listen(options, handler, path)`. */
export function readUwsArguments(program: CProgram, call: SyntaxNode, ctx: Ctx): UwsListen | null {
  const args = callArguments(call);
  const handler = args.findIndex((a) => unwrap(a, false).type === 'lambda_expression');
  if (handler >= 0 && handler !== args.length - 1) return null;
  // The handler is always the last argument.
  const rest = args.length >= 2 ? args.slice(0, -1) : args;
  const [first, second, third] = rest;
  if (!first) return null;
  let result: UwsListen;
  if (third && second) result = { host: first, port: second, options: third, exclusive: 'no' };
  else if (second && isHostArgument(program, first, ctx)) result = { host: first, port: second, options: null, exclusive: 'no' };
  else result = { host: null, port: first, options: second ?? null, exclusive: 'no' };
  if (result.options) result.exclusive = exclusiveOf(program, result.options, ctx);
  return result;
}

function isHostArgument(program: CProgram, node: SyntaxNode, ctx: Ctx): boolean {
  if (stringLiteral(node) !== null) return true;
  if (program.number(node, ctx) !== null) return false;
  return program.string(node, ctx) !== null || /host|addr|ip\b|interface/i.test(node.text);
}

function exclusiveOf(program: CProgram, node: SyntaxNode, ctx: Ctx): 'yes' | 'no' | 'unknown' {
  if (new RegExp(`\\b${UWS_EXCLUSIVE}\\b`).test(node.text)) return 'yes';
  if (/^LIBUS_LISTEN_DEFAULT$/.test(node.text.trim())) return 'no';
  const value = program.number(node, ctx);
  if (value === null) return 'unknown';
  return (value & 1) === 1 ? 'yes' : 'no';
}

function implicitFor(port: number | null, exclusive: UwsListen['exclusive']): Partial<Record<Platform, ReuseOption[]>> {
  if (port === 0) return {};
  if (exclusive === 'yes') return { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] };
  if (exclusive === 'unknown') return { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
  return { linux: ['reuseaddr', 'reuseport'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] };
}

/** The span a user expects underlined: the call, or `listen(...)` alone at the end of a route chain. */
function listenSpan(call: SyntaxNode, receiver: SyntaxNode): Span {
  const field = call.childForFieldName('function')?.childForFieldName('field');
  if (!field || !receiver.text.includes('(')) return { start: call.startIndex, end: call.endIndex };
  return { start: field.startIndex, end: call.endIndex };
}

export function readUwsListen(w: EventWriter, run: Run, call: SyntaxNode, receiver: SyntaxNode): void {
  const ctx = w.ctxAt(run, call);
  const listen = readUwsArguments(w.program, call, ctx);
  if (!listen) return;
  const plain = !receiver.text.includes('(');
  const key = plain ? w.keyOf(receiver, run) : { key: `${run.fn.id}|uws#${call.startIndex}` };
  const api = /SSLApp/.test(receiver.text) ? 'uWS::SSLApp' : 'uWS::App';
  w.push(run, {
    kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: w.span(call), protocol: 'tcp', api, role: 'server',
    ...(plain ? { variable: expressionKey(receiver) } : {}),
  });
  const port = w.program.number(listen.port, ctx);
  const resolve = (at: Ctx) => {
    const host = listen.host ? (stringLiteral(listen.host) ?? w.program.string(listen.host, at)) : null;
    const endpoint = hostPortEndpoint(host, w.program.number(listen.port, at));
    if (!listen.host) endpoint.hostKind = 'any';
    else if (host === null) endpoint.hostKind = 'unknown';
    return endpoint;
  };
  w.pushBind(run, key, call, listenSpan(call, receiver), resolve, implicitFor(port, listen.exclusive), false);
}

/** The listen() call of a uWS bind, found from the bind's span (its end is the call's end). */
export function uwsListenCallAt(root: SyntaxNode, span: Span): SyntaxNode | null {
  let n: SyntaxNode | null = root.descendantForIndex(span.start, span.start);
  while (n && !(n.type === 'call_expression' && n.endIndex === span.end && calleeName(n) === 'listen')) {
    if (n.endIndex > span.end) return null;
    n = n.parent;
  }
  return n && callReceiver(n) ? n : null;
}
