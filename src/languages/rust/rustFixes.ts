// Rust fix writers. Each fix re-reads the current text, so a fix already applied yields null.
// Builders (tokio TcpSocket, socket2) get the setter before `bind`; listeners that bind as they
// are created are rewritten into the builder their crate offers (tokio TcpSocket, or socket2
// when the file already uses it), inside a closure returning io::Result so `?`/`.await` callers
// keep their types.
import type { FileFacts, OptionFact, ReuseOption, SocketFact } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { effectiveOptions } from '../../analysis/socketModel';
import type { SourceDocument } from '../adapter';
import { deleteLines, indentUnit, indentationAt, insertLinesBefore, lineEndAt, lineEnding, lineStartAt } from '../common/textEdits';
import type { GrammarParser, SyntaxNode } from '../treeSitter';
import { extractRustFacts, rustOptionName, type RustExtraction } from './rustExtract';
import { callArgs, enclosingStatement, methodName, named, pathSegments, receiverOf } from './rustSyntax';
import { fixOf, nodeWithSpan } from '../common/fixBuilding';

type ShareOption = Exclude<ReuseOption, 'exclusiveaddruse'>;

interface FixContext {
  doc: SourceDocument;
  root: SyntaxNode;
  current: RustExtraction;
}

const NAMES: Record<ReuseOption, string> = { reuseaddr: 'SO_REUSEADDR', reuseport: 'SO_REUSEPORT', exclusiveaddruse: 'SO_EXCLUSIVEADDRUSE' };



export function rustFix(doc: SourceDocument, _facts: FileFacts, request: FixRequest, parser: GrammarParser): Fix | null {
  return parser.withTree(doc.text, (root) => {
    const ctx: FixContext = { doc, root, current: extractRustFacts(root, doc.path, doc.text) };
    switch (request.kind) {
      case 'fix-exclusive-constant':
        return fixConstant(ctx, request.constant.valueSpan);
      case 'add-option':
        return addOption(ctx, request.socket.id, request.option, []);
      case 'move-before-bind':
        return moveBeforeBind(ctx, request.option);
      case 'guard-not-windows':
        return guardNotWindows(ctx, request.option);
      case 'remove-option':
        return removeOption(ctx, request.option);
      case 'add-exclusive':
        return addExclusive(ctx, request.socket.id);
      default:
        return null;
    }
  });
}

function fixConstant(ctx: FixContext, valueSpan: { start: number; end: number }): Fix | null {
  const constant = ctx.current.facts.constants.find((c) => c.valueSpan.start === valueSpan.start && c.valueSpan.end === valueSpan.end);
  if (!constant || constant.value === -5 || constant.value === 0xfffffffb) return null;
  // `!4` has the bits of ~SO_REUSEADDR in any integer type: -5 as i32, 0xFFFF_FFFB as u32.
  return fixOf('Use !4 (~SO_REUSEADDR, -5) for SO_EXCLUSIVEADDRUSE', [{ start: valueSpan.start, end: valueSpan.end, newText: '!4' }]);
}

// ---- add-option -----------------------------------------------------------------------------------

function socketById(ctx: FixContext, id: string): SocketFact | null {
  return ctx.current.facts.sockets.find((s) => s.id === id) ?? null;
}

function inEffect(ctx: FixContext, socket: SocketFact, option: ShareOption): boolean {
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socket.id);
  if (!bind) return false;
  const platforms = bind.platforms.filter((p) => socket.multicast || p !== 'win32');
  return platforms.every((p) => effectiveOptions(ctx.current.facts, bind, p).has(option));
}

/** How the bind statement handles errors, to write the new call the same way. */
function resultSuffix(call: SyntaxNode): string | null {
  const parent = call.parent;
  if (parent?.type === 'try_expression') return '?';
  if (parent?.type === 'field_expression') {
    const field = parent.childForFieldName('field')?.text;
    if (field === 'unwrap') return '.unwrap()';
    if (field === 'expect') return '.expect("set socket option")';
  }
  if (parent?.type === 'expression_statement') return '';
  return null;
}

function setterName(ctx: FixContext, socketId: string, option: ShareOption): string | null {
  const kind = ctx.current.kinds.get(socketId);
  if (kind === 'tokio-socket') return option === 'reuseaddr' ? 'set_reuseaddr' : 'set_reuseport';
  if (kind === 'socket2') return option === 'reuseaddr' ? 'set_reuse_address' : 'set_reuse_port';
  return null;
}

/** `#[cfg(...)]` for the new setter: SO_REUSEPORT exists on Unix only; SO_REUSEADDR hijacks on Windows. */
function guardFor(option: ShareOption, socket: SocketFact): string | null {
  if (option === 'reuseport') return '#[cfg(unix)]';
  return socket.multicast ? null : '#[cfg(not(windows))]';
}

function addOption(ctx: FixContext, socketId: string, option: ShareOption, extra: TextEdit[]): Fix | null {
  const socket = socketById(ctx, socketId);
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socketId);
  if (!socket || !bind || inEffect(ctx, socket, option)) return null;
  if (bind.bindsAtCreation) return rewriteListener(ctx, socket, option, extra);
  const setter = setterName(ctx, socketId, option);
  const bindCall = nodeWithSpan(ctx.root, bind.span.start, bind.span.end, 'call_expression');
  const receiver = bindCall ? receiverOf(bindCall) : null;
  const statement = bindCall ? enclosingStatement(bindCall) : null;
  const suffix = bindCall ? resultSuffix(bindCall) : null;
  if (!setter || !receiver || receiver.type !== 'identifier' || !statement || suffix === null) return null;
  const guard = guardFor(option, socket);
  const line = suffix === '' ? `let _ = ${receiver.text}.${setter}(true);` : `${receiver.text}.${setter}(true)${suffix};`;
  const lines = guard ? [guard, line] : [line];
  const insertion = insertLinesBefore(ctx.doc.text, attributeStart(ctx.doc.text, statement), lines);
  if (!insertion) return null;
  return fixOf(`Set ${NAMES[option]} before bind`, [...extra, insertion]);
}

/** Where a statement starts, counting the attribute lines written above it. */
function attributeStart(text: string, statement: SyntaxNode): number {
  let start = statement.startIndex;
  let sibling = statement.previousNamedSibling;
  while (sibling?.type === 'attribute_item') {
    start = sibling.startIndex;
    sibling = sibling.previousNamedSibling;
  }
  return lineStartAt(text, start) === lineStartAt(text, statement.startIndex) ? statement.startIndex : start;
}

/** Which crate a listener belongs to: from its path or the file's `use` lines. */
function listenerCrate(ctx: FixContext, call: SyntaxNode): 'tokio' | 'std' | null {
  const segments = pathSegments(call);
  const type = segments[segments.length - 2] ?? '';
  if (segments.includes('tokio')) return 'tokio';
  if (segments.includes('std')) return 'std';
  if (segments.length > 2) return null;
  const text = ctx.doc.text;
  if (new RegExp(`use\\s+tokio::net::(?:${type}\\b|\\{[^}]*\\b${type}\\b)`).test(text)) return 'tokio';
  if (new RegExp(`use\\s+std::net::(?:${type}\\b|\\{[^}]*\\b${type}\\b)`).test(text)) return 'std';
  return null;
}

/** TcpListener::bind / UdpSocket::bind → a builder that sets the option, inside `(|| -> io::Result<_> { ... })()`. */
function rewriteListener(ctx: FixContext, socket: SocketFact, option: ShareOption, extra: TextEdit[]): Fix | null {
  const call = nodeWithSpan(ctx.root, socket.span.start, socket.span.end, 'call_expression');
  const addr = call ? callArgs(call)[0] : undefined;
  if (!call || !addr) return null;
  const crate = listenerCrate(ctx, call);
  const kind = ctx.current.kinds.get(socket.id);
  const text = ctx.doc.text;
  const usesSocket2 = /\bsocket2\b/.test(text);
  const eol = lineEnding(text);
  const indent = indentationAt(text, call.startIndex);
  const unit = indentUnit(text);
  const i1 = indent + unit;
  const resolve = `let addr = std::net::ToSocketAddrs::to_socket_addrs(&${addr.text})?.next().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no socket address"))?;`;
  const reuse: string[] = [];
  let body: string[];
  let target: SyntaxNode = call;
  if (kind === 'listener' && crate === 'tokio') {
    // tokio's bind is awaited: the builder is synchronous, so the `.await` goes too.
    if (call.parent?.type !== 'await_expression') return null;
    target = call.parent;
    reuse.push('#[cfg(not(windows))]', 'socket.set_reuseaddr(true)?;');
    if (option === 'reuseport') reuse.push('#[cfg(unix)]', 'socket.set_reuseport(true)?;');
    body = [
      `(|| -> std::io::Result<tokio::net::TcpListener> {`,
      resolve,
      'let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };',
      ...reuse,
      'socket.bind(addr)?;',
      'socket.listen(1024)',
    ];
  } else if ((kind === 'listener' || kind === 'udp') && crate === 'std' && usesSocket2) {
    const stream = kind === 'listener';
    if (stream || !socket.multicast) reuse.push('#[cfg(not(windows))]');
    if (stream || option === 'reuseaddr') reuse.push('socket.set_reuse_address(true)?;');
    if (option === 'reuseport') reuse.push('#[cfg(unix)]', 'socket.set_reuse_port(true)?;');
    body = [
      `(|| -> std::io::Result<std::net::${stream ? 'TcpListener' : 'UdpSocket'}> {`,
      resolve,
      `let socket = socket2::Socket::new(socket2::Domain::for_address(addr), socket2::Type::${stream ? 'STREAM' : 'DGRAM'}, None)?;`,
      ...reuse,
      'socket.bind(&addr.into())?;',
      ...(stream ? ['socket.listen(128)?;'] : []),
      'Ok(socket.into())',
    ];
  } else {
    return null;
  }
  const [first, ...rest] = body;
  const replacement = [first ?? '', ...rest.map((l) => i1 + l), `${indent}})()`].join(eol);
  return fixOf(`Create the socket, set ${NAMES[option]}, then bind`, [...extra, { start: target.startIndex, end: target.endIndex, newText: replacement }]);
}

// ---- move / guard / remove ---------------------------------------------------------------------------

function findOption(ctx: FixContext, option: OptionFact): OptionFact | null {
  return ctx.current.facts.options.find((o) => o.span.start === option.span.start && o.span.end === option.span.end && o.option === option.option) ?? null;
}

/** The statement holding an option call, when it is a plain expression statement. */
function optionStatement(ctx: FixContext, option: OptionFact): SyntaxNode | null {
  const call = nodeWithSpan(ctx.root, option.span.start, option.span.end, 'call_expression');
  let statement = call ? enclosingStatement(call) : null;
  // `unsafe { setsockopt(...) };` counts as the statement when the call is alone in it.
  if (statement?.parent?.type === 'block' && statement.parent.parent?.type === 'unsafe_block' && named(statement.parent).length === 1) {
    statement = enclosingStatement(statement.parent.parent);
  }
  return statement?.type === 'expression_statement' ? statement : null;
}

/** Deletes a statement and the attribute lines above it. */
function deleteStatement(text: string, statement: SyntaxNode): TextEdit {
  return deleteLines(text, attributeStart(text, statement), statement.endIndex);
}

function moveBeforeBind(ctx: FixContext, option: OptionFact): Fix | null {
  const current = findOption(ctx, option);
  if (!current || current.timing !== 'after') return null;
  const bind = ctx.current.facts.binds.find((b) => b.socketId === current.socketId);
  const statement = optionStatement(ctx, current);
  if (!bind || !statement) return null;
  const text = ctx.doc.text;
  if (bind.bindsAtCreation) {
    if (current.option === 'exclusiveaddruse') return null;
    const socket = socketById(ctx, current.socketId);
    // TcpListener::bind already sets SO_REUSEADDR on Unix: the late call only has to go.
    if (socket && current.enabled && inEffect(ctx, socket, current.option)) {
      return fixOf(`Remove the late ${NAMES[current.option]} (${socket.api} already sets it where it matters)`, [deleteStatement(text, statement)]);
    }
    return addOption(ctx, current.socketId, current.option, [deleteStatement(text, statement)]);
  }
  const bindCall = nodeWithSpan(ctx.root, bind.span.start, bind.span.end, 'call_expression');
  const bindStatement = bindCall ? enclosingStatement(bindCall) : null;
  if (!bindStatement || bindStatement.parent?.id !== statement.parent?.id) return null;
  const from = lineStartAt(text, attributeStart(text, statement));
  // A comment after the statement on its line moves with it.
  const lineEnd = lineEndAt(text, statement.endIndex);
  const to = /^\s*(?:\/\/.*)?$/.test(text.slice(statement.endIndex, lineEnd)) ? lineEnd : statement.endIndex;
  const lines = text.slice(from, to).split(/\r?\n/).map((l) => l.trim());
  const insertion = insertLinesBefore(text, attributeStart(text, bindStatement), lines);
  if (!insertion) return null;
  return fixOf(`Set ${NAMES[current.option]} before bind`, [insertion, deleteStatement(text, statement)]);
}

function guardNotWindows(ctx: FixContext, option: OptionFact): Fix | null {
  const current = findOption(ctx, option);
  if (!current || !current.platforms.includes('win32')) return null;
  const statement = optionStatement(ctx, current);
  if (!statement) return null;
  const edit = insertLinesBefore(ctx.doc.text, statement.startIndex, ['#[cfg(not(windows))]']);
  return fixOf('Skip SO_REUSEADDR on Windows (it allows port hijacking there)', [edit]);
}

function removeOption(ctx: FixContext, option: OptionFact): Fix | null {
  const current = findOption(ctx, option);
  if (!current || !current.enabled) return null;
  const statement = optionStatement(ctx, current);
  if (!statement) return null;
  return fixOf(`Remove ${NAMES[current.option]} from this socket`, [deleteStatement(ctx.doc.text, statement)]);
}

/** SO_EXCLUSIVEADDRUSE only where the code already calls a Windows setsockopt on this socket. */
function addExclusive(ctx: FixContext, socketId: string): Fix | null {
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socketId);
  if (!bind || !bind.platforms.includes('win32')) return null;
  const effective = effectiveOptions(ctx.current.facts, bind, 'win32');
  if (effective.has('exclusiveaddruse') || effective.has('reuseaddr')) return null;
  for (const option of ctx.current.facts.options.filter((o) => o.socketId === socketId && o.platforms.includes('win32'))) {
    const call = nodeWithSpan(ctx.root, option.span.start, option.span.end, 'call_expression');
    if (!call || methodName(call) || pathSegments(call).pop() !== 'setsockopt') continue;
    const optArg = callArgs(call)[2];
    if (!optArg || rustOptionName(optArg.text) === null) continue;
    const statement = optionStatement(ctx, option);
    if (!statement) continue;
    const text = ctx.doc.text;
    const lineStart = lineStartAt(text, statement.startIndex);
    const snippet = text.slice(lineStart, statement.endIndex);
    const prefix = optArg.text.includes('::') ? optArg.text.replace(/[^:]*$/, '') : '';
    const cloned = snippet.slice(0, optArg.startIndex - lineStart) + `${prefix}SO_EXCLUSIVEADDRUSE` + snippet.slice(optArg.endIndex - lineStart);
    const lines = [`#[cfg(windows)]`, ...cloned.split(/\r?\n/).map((l) => l.trim())];
    const bindCall = nodeWithSpan(ctx.root, bind.span.start, bind.span.end, 'call_expression');
    const bindStatement = bindCall ? enclosingStatement(bindCall) : null;
    if (!bindStatement) return null;
    return fixOf('Set SO_EXCLUSIVEADDRUSE on Windows before bind', [insertLinesBefore(text, attributeStart(text, bindStatement), lines)]);
  }
  return null;
}
