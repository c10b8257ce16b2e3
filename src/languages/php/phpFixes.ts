// Fix writers for PHP: socket_set_option statements (guarded with PHP_OS_FAMILY where Windows must
// not get them), 'socket' stream-context options for stream_socket_server and ReactPHP, and the
// create → option → bind → listen rewrite of socket_create_listen. Each writer re-checks the code, so
// a replayed request yields null.
import type { FileFacts, OptionFact, Span } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { platformsOf } from '../common/statementGuards';
import { deleteLines, indentUnit, indentationAt, insertLinesBefore, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';
import { PhpEvaluator, argumentNodes, argumentValue, functionName, unwrap } from './phpValues';

const NOT_WINDOWS = "PHP_OS_FAMILY !== 'Windows'";
const STATEMENT_PARENTS = new Set(['program', 'compound_statement', 'case_statement', 'default_statement', 'colon_block']);

function nodeAt(root: SyntaxNode, span: Span, accept: (n: SyntaxNode) => boolean): SyntaxNode | null {
  for (let n: SyntaxNode | null = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1)); n; n = n.parent) {
    if (n.startIndex === span.start && n.endIndex === span.end && accept(n)) return n;
    if (n.startIndex < span.start || n.endIndex > span.end) break;
  }
  return null;
}

function callAt(root: SyntaxNode, span: Span, names: readonly string[]): SyntaxNode | null {
  return nodeAt(root, span, (n) => n.type === 'function_call_expression' && names.includes(functionName(n)));
}

/** The statement holding `node`, when it starts its own line in a statement list. */
function enclosingStatement(node: SyntaxNode, text: string): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n?.parent; n = n.parent) {
    if (STATEMENT_PARENTS.has(n.parent.type)) return /^[ \t]*$/.test(text.slice(lineStartAt(text, n.startIndex), n.startIndex)) ? n : null;
  }
  return null;
}

/** A statement, or the bare `if (...) { statement; }` (no else) that holds only it. */
function statementUnit(statement: SyntaxNode): SyntaxNode {
  let unit = statement;
  for (;;) {
    const parent = unit.parent;
    if (parent?.type === 'compound_statement' && parent.namedChildren.filter((c) => c?.type !== 'comment').length === 1 && parent.parent?.type === 'if_statement') {
      unit = parent;
      continue;
    }
    if (parent?.type === 'if_statement' && parent.childForFieldName('body')?.startIndex === unit.startIndex && parent.childrenForFieldName('alternative').length === 0) {
      unit = parent;
      continue;
    }
    return unit;
  }
}

/** Lines of a statement without the indentation of its first line. */
function unitLines(text: string, unit: SyntaxNode): string[] {
  const indent = indentationAt(text, unit.startIndex);
  return text.slice(unit.startIndex, unit.endIndex).split(/\r?\n/).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
}

function guarded(condition: string, line: string, unit: string): string[] {
  return [`if (${condition}) {`, `${unit}${line}`, '}'];
}

/** The socket_set_option statement (with a bare if around it) an option fact points at. */
function optionUnit(text: string, root: SyntaxNode, option: OptionFact): { call: SyntaxNode; unit: SyntaxNode } | null {
  const call = callAt(root, option.span, ['socket_set_option', 'socket_setopt']);
  const statement = call?.parent?.type === 'expression_statement' ? call.parent : null;
  if (!call || !statement || !enclosingStatement(statement, text)) return null;
  return { call, unit: statementUnit(statement) };
}

// ---- stream contexts ---------------------------------------------------------------------------

/** Sets `key => value` in an array literal: replaces an existing entry's value, or appends one. */
function setArrayEntry(array: SyntaxNode, key: string, value: string): TextEdit | null {
  const entries = PhpEvaluator.arrayEntries(array);
  const existing = entries.find((e) => e.key === key);
  if (existing) return existing.value.text === value ? null : { start: existing.value.startIndex, end: existing.value.endIndex, newText: value };
  const last = entries[entries.length - 1];
  if (last) return { start: last.element.endIndex, end: last.element.endIndex, newText: `, '${key}' => ${value}` };
  const open = array.text.startsWith('[') ? array.startIndex + 1 : array.text.indexOf('(') + array.startIndex + 1;
  return { start: open, end: open, newText: `'${key}' => ${value}` };
}

/** Sets `['outer' => ['key' => value]]` inside an array literal. */
function setNestedEntry(array: SyntaxNode, outer: string, key: string, value: string): TextEdit | null {
  const entry = PhpEvaluator.arrayEntries(array).find((e) => e.key === outer);
  const inner = entry ? unwrap(entry.value) : null;
  if (inner?.type === 'array_creation_expression') return setArrayEntry(inner, key, value);
  if (entry) return null;
  return setArrayEntry(array, outer, `['${key}' => ${value}]`);
}

/** Appends an argument before the call's closing parenthesis. */
function appendArgument(call: SyntaxNode, argument: string): TextEdit | null {
  const args = call.childForFieldName('arguments') ?? call.namedChildren.find((c) => c?.type === 'arguments') ?? null;
  if (!args) return null;
  const list = argumentNodes(call);
  const last = list[list.length - 1];
  const at = last ? last.endIndex : args.startIndex + 1;
  return { start: at, end: at, newText: last ? `, ${argument}` : argument };
}

function serverKind(node: SyntaxNode): 'stream' | 'react-tcp' | 'react-socket' | null {
  if (node.type === 'function_call_expression') return functionName(node) === 'stream_socket_server' ? 'stream' : null;
  if (node.type !== 'object_creation_expression') return null;
  const name = node.namedChildren.find((c) => c?.type === 'name' || c?.type === 'qualified_name')?.text.replace(/^.*\\/, '') ?? '';
  return name === 'TcpServer' ? 'react-tcp' : name === 'SocketServer' || name === 'Server' ? 'react-socket' : null;
}

/** Sets a 'socket' context option on a stream server or ReactPHP server call. */
function setContextOption(text: string, server: SyntaxNode, key: string, value: string): TextEdit | null {
  const kind = serverKind(server);
  if (kind === 'stream') {
    const context = unwrap(argumentValue(server, 4, 'context'));
    const created = `stream_context_create(['socket' => ['${key}' => ${value}]])`;
    if (!context) {
      const positional = argumentNodes(server).filter((a) => !a.childForFieldName('name')).length;
      return appendArgument(server, positional >= 4 ? created : `context: ${created}`);
    }
    if (context.type === 'function_call_expression' && functionName(context) === 'stream_context_create') {
      const options = unwrap(argumentValue(context, 0, 'options'));
      if (!options) return appendArgument(context, `['socket' => ['${key}' => ${value}]]`);
      return options.type === 'array_creation_expression' ? setNestedEntry(options, 'socket', key, value) : null;
    }
    if (context.type === 'variable_name') {
      const statement = enclosingStatement(server, text);
      if (!statement) return null;
      return insertLinesBefore(text, statement.startIndex, [`stream_context_set_option(${context.text}, 'socket', '${key}', ${value});`]);
    }
    return null;
  }
  if (kind === 'react-tcp') {
    const context = unwrap(argumentValue(server, 2, 'context'));
    if (!context) {
      const count = argumentNodes(server).length;
      if (count === 0 || argumentNodes(server).some((a) => a.childForFieldName('name'))) return null;
      return appendArgument(server, `${count === 1 ? 'null, ' : ''}['${key}' => ${value}]`);
    }
    return context.type === 'array_creation_expression' ? setArrayEntry(context, key, value) : null;
  }
  if (kind === 'react-socket') {
    const context = unwrap(argumentValue(server, 1, 'context'));
    if (!context) {
      if (argumentNodes(server).length !== 1) return null;
      return appendArgument(server, `['tcp' => ['${key}' => ${value}]]`);
    }
    return context.type === 'array_creation_expression' ? setNestedEntry(context, 'tcp', key, value) : null;
  }
  return null;
}

function serverAt(root: SyntaxNode, span: Span): SyntaxNode | null {
  return nodeAt(root, span, (n) => serverKind(n) !== null);
}

// ---- socket_create_listen ----------------------------------------------------------------------

/** `$s = socket_create_listen(port[, backlog]);` → create, `middle` lines, bind, listen. */
function rewriteCreateListen(text: string, root: SyntaxNode, span: Span, middle: (variable: string) => string[], removal?: TextEdit): TextEdit[] | null {
  const call = callAt(root, span, ['socket_create_listen']);
  const assignment = call?.parent?.type === 'assignment_expression' ? call.parent : null;
  const statement = assignment?.parent?.type === 'expression_statement' ? assignment.parent : null;
  const variable = assignment?.childForFieldName('left')?.text;
  if (!call || !statement || !variable || !enclosingStatement(statement, text)) return null;
  const port = argumentValue(call, 0, 'port')?.text ?? '0';
  const backlog = argumentValue(call, 1, 'backlog')?.text ?? '128';
  const indent = indentationAt(text, statement.startIndex);
  const eol = lineEnding(text);
  const lines = [
    `${variable} = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);`,
    ...middle(variable),
    `socket_bind(${variable}, '0.0.0.0', ${port});`,
    `socket_listen(${variable}, ${backlog});`,
  ];
  const edit = { start: statement.startIndex, end: statement.endIndex, newText: lines.map((l, i) => (i === 0 ? l : indent + l)).join(eol) };
  return removal ? [edit, removal] : [edit];
}

// ---- fix kinds ---------------------------------------------------------------------------------

function reuseLines(variable: string, option: 'reuseaddr' | 'reuseport', everywhere: boolean, unit: string): string[] {
  if (option === 'reuseport') return guarded("defined('SO_REUSEPORT')", `socket_set_option(${variable}, SOL_SOCKET, SO_REUSEPORT, 1);`, unit);
  const line = `socket_set_option(${variable}, SOL_SOCKET, SO_REUSEADDR, 1);`;
  return everywhere ? [line] : guarded(NOT_WINDOWS, line, unit);
}

function beforeBind(text: string, root: SyntaxNode, span: Span, lines: (variable: string) => string[]): TextEdit | null {
  const call = callAt(root, span, ['socket_bind']);
  const socket = call ? argumentValue(call, 0, 'socket') : null;
  const statement = call ? enclosingStatement(call, text) : null;
  return socket && statement ? insertLinesBefore(text, statement.startIndex, lines(socket.text)) : null;
}

function addOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'add-option' }>): Fix | null {
  const { bind, socket, option } = request;
  const unit = indentUnit(text);
  // A TCP server's SO_REUSEADDR stays off Windows (it would let others take the port); group members need it.
  const everywhere = socket.protocol === 'udp' && socket.multicast;
  const title = option === 'reuseport' ? 'Set SO_REUSEPORT before binding' : 'Set SO_REUSEADDR before binding';
  if (!bind.bindsAtCreation) {
    const edit = beforeBind(text, root, bind.span, (v) => reuseLines(v, option, everywhere, unit));
    return edit ? { title, edits: [edit] } : null;
  }
  const server = serverAt(root, bind.span);
  if (server) {
    const value = option === 'reuseport' ? 'true' : NOT_WINDOWS;
    const edit = setContextOption(text, server, option === 'reuseport' ? 'so_reuseport' : 'so_reuseaddr', value);
    return edit ? { title, edits: [edit] } : null;
  }
  const edits = rewriteCreateListen(text, root, bind.span, (v) => reuseLines(v, option, everywhere, unit));
  return edits ? { title, edits } : null;
}

function moveBeforeBind(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'move-before-bind' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (!found) return null;
  const lines = unitLines(text, found.unit);
  const removal = deleteLines(text, found.unit.startIndex, found.unit.endIndex);
  if (!request.bind.bindsAtCreation) {
    const insert = beforeBind(text, root, request.bind.span, () => lines);
    return insert ? { title: 'Set the option before binding', edits: [insert, removal] } : null;
  }
  const edits = rewriteCreateListen(text, root, request.bind.span, () => lines, removal);
  return edits ? { title: 'Set the option before binding', edits } : null;
}

function addExclusive(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'add-exclusive' }>): Fix | null {
  const title = 'Bind exclusively on Windows (SO_EXCLUSIVEADDRUSE)';
  if (request.bind.bindsAtCreation) {
    // PHP 8.6: so_reuseaddr => false drops SO_REUSEADDR and sets SO_EXCLUSIVEADDRUSE on Windows.
    const server = serverAt(root, request.bind.span);
    const edit = server ? setContextOption(text, server, 'so_reuseaddr', NOT_WINDOWS) : null;
    return edit ? { title, edits: [edit] } : null;
  }
  const unit = indentUnit(text);
  const edit = beforeBind(text, root, request.bind.span, (v) => [
    "if (PHP_OS_FAMILY === 'Windows') {",
    `${unit}socket_set_option(${v}, SOL_SOCKET, ~SO_REUSEADDR, 1); // SO_EXCLUSIVEADDRUSE`,
    '}',
  ]);
  return edit ? { title, edits: [edit] } : null;
}

function guardNotWindows(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'guard-not-windows' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (!found || !platformsOf(found.call).includes('win32')) return null;
  const indent = indentationAt(text, found.unit.startIndex);
  const eol = lineEnding(text);
  const body = unitLines(text, found.unit).map((l) => indent + indentUnit(text) + l).join(eol);
  const start = lineStartAt(text, found.unit.startIndex);
  return {
    title: 'Do not set SO_REUSEADDR on Windows',
    edits: [{ start, end: found.unit.endIndex, newText: `${indent}if (${NOT_WINDOWS}) {${eol}${body}${eol}${indent}}` }],
  };
}

function removeOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'remove-option' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (found) return { title: 'Remove the option', edits: [deleteLines(text, found.unit.startIndex, found.unit.endIndex)] };
  // A context entry 'so_reuseport' => true: drop it with its comma.
  const element = nodeAt(root, request.option.span, (n) => n.type === 'array_element_initializer');
  if (element) {
    const next = element.nextNamedSibling;
    const previous = element.previousNamedSibling;
    if (next) return { title: 'Remove the option', edits: [{ start: element.startIndex, end: next.startIndex, newText: '' }] };
    if (previous) return { title: 'Remove the option', edits: [{ start: previous.endIndex, end: element.endIndex, newText: '' }] };
    return { title: 'Remove the option', edits: [{ start: element.startIndex, end: element.endIndex, newText: '' }] };
  }
  const setCall = callAt(root, request.option.span, ['stream_context_set_option']);
  const statement = setCall?.parent?.type === 'expression_statement' ? setCall.parent : null;
  return statement && enclosingStatement(statement, text) ? { title: 'Remove the option', edits: [deleteLines(text, statement.startIndex, statement.endIndex)] } : null;
}

function fixConstant(root: SyntaxNode, request: Extract<FixRequest, { kind: 'fix-exclusive-constant' }>): Fix | null {
  const { constant } = request;
  const holder = nodeAt(root, constant.span, (n) => n.type === 'const_element' || n.type === 'function_call_expression');
  if (!holder) return null;
  const value = nodeAt(holder, constant.valueSpan, () => true);
  if (!value || !holder.text.includes(constant.name)) return null;
  if (/^(-5|~0*x?0*4|~SO_REUSEADDR|0x[fF]{7}[bB])$/.test(value.text.replace(/[\s_]+/g, ''))) return null;
  return { title: 'Use ~SO_REUSEADDR (-5) for SO_EXCLUSIVEADDRUSE', edits: [{ start: value.startIndex, end: value.endIndex, newText: '-5' }] };
}

export function phpFix(text: string, root: SyntaxNode, _facts: FileFacts, request: FixRequest): Fix | null {
  switch (request.kind) {
    case 'add-option':
      return addOption(text, root, request);
    case 'move-before-bind':
      return moveBeforeBind(text, root, request);
    case 'add-exclusive':
      return addExclusive(text, root, request);
    case 'guard-not-windows':
      return guardNotWindows(text, root, request);
    case 'remove-option':
      return removeOption(text, root, request);
    case 'fix-exclusive-constant':
      return fixConstant(root, request);
  }
}
