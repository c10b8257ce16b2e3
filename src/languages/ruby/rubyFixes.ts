// Fix writers for Ruby: `setsockopt(:SOCKET, :REUSEADDR, true)` lines before the bind, `unless
// Gem.win_platform?` modifiers, in the file's own indentation and line endings. Each writer checks
// that the code still reads as the request describes, so a replayed request yields null.
import type { FileFacts, OptionFact, Span } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { platformsOf } from '../common/statementGuards';
import { deleteLines, indentUnit, indentationAt, insertLinesBefore, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';

const STATEMENT_PARENTS = new Set(['program', 'body_statement', 'then', 'else', 'block_body', 'begin', 'ensure', 'rescue', 'do']);
const MODIFIERS = new Set(['if_modifier', 'unless_modifier']);

function nodeAt(root: SyntaxNode, span: Span, type: string): SyntaxNode | null {
  for (let n: SyntaxNode | null = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1)); n; n = n.parent) {
    if (n.type === type && n.startIndex === span.start && n.endIndex === span.end) return n;
    if (n.startIndex < span.start || n.endIndex > span.end) break;
  }
  return null;
}

function callAt(root: SyntaxNode, span: Span, method: string): SyntaxNode | null {
  const call = nodeAt(root, span, 'call');
  return call?.childForFieldName('method')?.text === method ? call : null;
}

/** The statement holding `node` when it starts its own line in a statement list. */
function enclosingStatement(node: SyntaxNode, text: string): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n?.parent; n = n.parent) {
    if (STATEMENT_PARENTS.has(n.parent.type)) {
      return /^[ \t]*$/.test(text.slice(lineStartAt(text, n.startIndex), n.startIndex)) ? n : null;
    }
  }
  return null;
}

/** The option call's statement, with the `if`/`unless` modifier around it. */
function optionUnit(text: string, root: SyntaxNode, option: OptionFact): { call: SyntaxNode; unit: SyntaxNode } | null {
  const call = callAt(root, option.span, 'setsockopt');
  if (!call) return null;
  let unit = call;
  if (call.parent && MODIFIERS.has(call.parent.type) && call.parent.childForFieldName('body')?.startIndex === call.startIndex) unit = call.parent;
  const statement = enclosingStatement(unit, text);
  return statement && statement.startIndex === unit.startIndex ? { call, unit } : null;
}

function unitText(text: string, unit: SyntaxNode): string[] {
  const indent = indentationAt(text, unit.startIndex);
  return text.slice(unit.startIndex, unit.endIndex).split(/\r?\n/).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
}

/**
 * The setsockopt line for an option. A TCP server's SO_REUSEADDR is kept off Windows, where it would
 * let other processes take the port (and Windows rebinds over TIME_WAIT without it); multicast
 * receivers need it everywhere. Windows has no SO_REUSEPORT at all.
 */
function optionLine(receiver: string, option: 'reuseaddr' | 'reuseport', everywhere: boolean): string {
  const line = `${receiver}.setsockopt(:SOCKET, ${option === 'reuseport' ? ':REUSEPORT' : ':REUSEADDR'}, true)`;
  return everywhere && option === 'reuseaddr' ? line : `${line} unless Gem.win_platform?`;
}

/** Inserts lines before the explicit `s.bind(...)` of the request's bind. */
function beforeBind(text: string, root: SyntaxNode, bindSpan: Span, lines: (receiver: string) => string[]): TextEdit | null {
  const call = callAt(root, bindSpan, 'bind');
  const receiver = call?.childForFieldName('receiver');
  if (!call || !receiver) return null;
  const statement = enclosingStatement(call, text);
  return statement ? insertLinesBefore(text, statement.startIndex, lines(receiver.text)) : null;
}

function addOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'add-option' }>): Fix | null {
  // TCPServer.new and friends bind as they create the socket: rewriting them to Socket.new would change
  // the objects the rest of the code gets back.
  if (request.bind.bindsAtCreation) return null;
  const receiverGroup = request.socket.protocol === 'udp' && request.socket.multicast;
  const edit = beforeBind(text, root, request.bind.span, (receiver) => [optionLine(receiver, request.option, receiverGroup)]);
  return edit ? { title: request.option === 'reuseport' ? 'Set SO_REUSEPORT before bind' : 'Set SO_REUSEADDR before bind', edits: [edit] } : null;
}

function moveBeforeBind(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'move-before-bind' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (!found) return null;
  const remove = deleteLines(text, found.unit.startIndex, found.unit.endIndex);
  if (request.bind.bindsAtCreation) {
    // A setsockopt after TCPServer.new does nothing; the runtime already set SO_REUSEADDR on Unix.
    const covered = request.option.option === 'reuseaddr' && request.option.enabled
      && request.option.platforms.every((p) => p === 'win32' || (request.bind.implicit[p] ?? []).includes('reuseaddr'));
    return covered ? { title: `Remove the late SO_REUSEADDR (${request.socket.api} already sets it on Unix)`, edits: [remove] } : null;
  }
  const insert = beforeBind(text, root, request.bind.span, () => unitText(text, found.unit));
  return insert ? { title: 'Set the option before bind', edits: [insert, remove] } : null;
}

function guardNotWindows(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'guard-not-windows' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (!found || !platformsOf(found.call).includes('win32')) return null;
  if (found.unit === found.call) {
    return { title: 'Do not set SO_REUSEADDR on Windows', edits: [{ start: found.call.endIndex, end: found.call.endIndex, newText: ' unless Gem.win_platform?' }] };
  }
  const indent = indentationAt(text, found.unit.startIndex);
  const eol = lineEnding(text);
  const body = unitText(text, found.unit).map((l) => `${indent}${indentUnit(text)}${l}`).join(eol);
  const start = lineStartAt(text, found.unit.startIndex);
  return { title: 'Do not set SO_REUSEADDR on Windows', edits: [{ start, end: found.unit.endIndex, newText: `${indent}unless Gem.win_platform?${eol}${body}${eol}${indent}end` }] };
}

function removeOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'remove-option' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  return found ? { title: 'Remove the option', edits: [deleteLines(text, found.unit.startIndex, found.unit.endIndex)] } : null;
}

function addExclusive(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'add-exclusive' }>): Fix | null {
  // Servers that bind inside the library (Addrinfo#listen, WEBrick, ...) give no hook before their bind.
  if (request.bind.bindsAtCreation) return null;
  const edit = beforeBind(text, root, request.bind.span, (receiver) => [`${receiver}.setsockopt(:SOCKET, ~Socket::SO_REUSEADDR, true) if Gem.win_platform? # SO_EXCLUSIVEADDRUSE`]);
  return edit ? { title: 'Bind exclusively on Windows (SO_EXCLUSIVEADDRUSE)', edits: [edit] } : null;
}

function fixConstant(root: SyntaxNode, request: Extract<FixRequest, { kind: 'fix-exclusive-constant' }>): Fix | null {
  const { constant } = request;
  const assignment = nodeAt(root, constant.span, 'assignment');
  const value = assignment?.childForFieldName('right');
  if (!assignment || !value || value.startIndex !== constant.valueSpan.start || value.endIndex !== constant.valueSpan.end) return null;
  if (!assignment.childForFieldName('left')?.text.endsWith(constant.name)) return null;
  if (/^(-5|~0*x?0*4|0x[fF]{7}[bB])$/.test(value.text.replace(/[\s_]+/g, ''))) return null;
  return { title: 'Use ~SO_REUSEADDR (-5) for SO_EXCLUSIVEADDRUSE', edits: [{ start: value.startIndex, end: value.endIndex, newText: '-5' }] };
}

export function rubyFix(text: string, root: SyntaxNode, _facts: FileFacts, request: FixRequest): Fix | null {
  switch (request.kind) {
    case 'add-option':
      return addOption(text, root, request);
    case 'move-before-bind':
      return moveBeforeBind(text, root, request);
    case 'guard-not-windows':
      return guardNotWindows(text, root, request);
    case 'remove-option':
      return removeOption(text, root, request);
    case 'add-exclusive':
      return addExclusive(text, root, request);
    case 'fix-exclusive-constant':
      return fixConstant(root, request);
  }
}
