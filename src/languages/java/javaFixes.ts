// Fix writers for Java: statements in the file's own indentation and line endings, with the imports
// they need. Every writer checks that the code still looks like the request describes, so a request
// replayed on fixed text yields null instead of a second edit.
import type { FileFacts, OptionFact, Span } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { platformsOf } from '../common/statementGuards';
import { deleteLines, indentUnit, indentationAt, insertLinesAfter, insertLinesBefore, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';
import { argumentsOf, simpleTypeName, unwrap } from './javaValues';

const NOT_WINDOWS = '!System.getProperty("os.name").toLowerCase().startsWith("windows")';
const STATEMENT_PARENTS = new Set(['block', 'constructor_body', 'switch_block_statement_group', 'program']);

/** The smallest node covering exactly `span` that satisfies `accept`. */
function nodeAt(root: SyntaxNode, span: Span, accept: (n: SyntaxNode) => boolean): SyntaxNode | null {
  for (let n: SyntaxNode | null = root.descendantForIndex(span.start, Math.max(span.start, span.end - 1)); n; n = n.parent) {
    if (n.startIndex <= span.start && n.endIndex >= span.end && accept(n)) return n;
    if (n.startIndex < span.start) break;
  }
  return null;
}

/** The method_invocation an option or bind span points at (whole call, or `name(...)` inside a chain). */
function callAt(root: SyntaxNode, span: Span, names: readonly string[]): SyntaxNode | null {
  const call = nodeAt(root, span, (n) => n.type === 'method_invocation' && n.endIndex === span.end);
  return call && names.includes(call.childForFieldName('name')?.text ?? '') ? call : null;
}

/** The statement a call stands alone in (`ss.setReuseAddress(true);`), when it is one. */
function ownStatement(call: SyntaxNode): SyntaxNode | null {
  const parent = call.parent;
  return parent?.type === 'expression_statement' && parent.namedChildCount === 1 ? parent : null;
}

/** The unit to move or delete with a statement: a bare `if (...) stmt;` (or `{ stmt; }`) around it. */
function statementUnit(statement: SyntaxNode): SyntaxNode {
  let unit = statement;
  for (;;) {
    const parent = unit.parent;
    if (parent?.type === 'block' && parent.namedChildren.filter((c) => c?.type !== 'comment').length === 1 && parent.parent?.type === 'if_statement') {
      unit = parent;
      continue;
    }
    if (parent?.type === 'if_statement' && parent.childForFieldName('consequence')?.startIndex === unit.startIndex && !parent.childForFieldName('alternative')) {
      unit = parent;
      continue;
    }
    return unit;
  }
}

/** A statement that starts its own line inside a block, so lines can be inserted before it. */
function enclosingStatement(node: SyntaxNode, text: string): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.parent && STATEMENT_PARENTS.has(n.parent.type) && /statement|declaration/.test(n.type)) {
      const lineStart = lineStartAt(text, n.startIndex);
      return /^[ \t]*$/.test(text.slice(lineStart, n.startIndex)) ? n : null;
    }
  }
  return null;
}

function importCovers(root: SyntaxNode, qualified: string): boolean {
  const pkg = qualified.slice(0, qualified.lastIndexOf('.'));
  return root.namedChildren.some((c) => {
    if (c?.type !== 'import_declaration') return false;
    const t = c.text.replace(/\s+/g, ' ');
    return t === `import ${qualified};` || t === `import ${pkg}.*;`;
  }) || pkg === 'java.lang';
}

function addImport(text: string, root: SyntaxNode, qualified: string): TextEdit | null {
  if (importCovers(root, qualified)) return null;
  const children = root.namedChildren.filter((c): c is SyntaxNode => c !== null);
  const anchor = [...children].reverse().find((c) => c.type === 'import_declaration') ?? children.find((c) => c.type === 'package_declaration');
  const eol = lineEnding(text);
  if (!anchor) return { start: 0, end: 0, newText: `import ${qualified};${eol}` };
  return insertLinesAfter(text, anchor.endIndex, [`import ${qualified};`]);
}

function isChannelExpression(receiver: string, api: string): boolean {
  return !/\.socket\(\)$/.test(receiver) && /Channel/.test(api);
}

function optionStatement(receiver: string, option: 'reuseaddr' | 'reuseport', channel: boolean): string {
  if (option === 'reuseport') return `${receiver}.setOption(StandardSocketOptions.SO_REUSEPORT, true);`;
  return channel ? `${receiver}.setOption(StandardSocketOptions.SO_REUSEADDR, true);` : `${receiver}.setReuseAddress(true);`;
}

function needsOptionsImport(line: string): boolean {
  return line.includes('StandardSocketOptions.');
}

/** new DatagramSocket(addr): the argument is a SocketAddress (created here, or declared as one). */
function isSocketAddress(text: string, arg: SyntaxNode): boolean {
  const n = unwrap(arg);
  if (!n) return false;
  if (n.type === 'object_creation_expression') return /SocketAddress$/.test(simpleTypeName(n.childForFieldName('type')));
  if (n.type !== 'identifier') return false;
  return new RegExp(`SocketAddress\\s+${n.text}\\b`).test(text);
}

interface CreationRewrite {
  /** Replace the creation with the unbound form. */
  unbound: TextEdit;
  variable: string;
  /** Statement whose line the new statements follow, or the try body they open. */
  after: { offset: number; indent: string } | null;
  bindLine: string;
}

/** `new ServerSocket(port[, backlog[, addr]])` / `new DatagramSocket(port[, addr])` → unbound + bind line. */
function rewriteCreation(text: string, creation: SyntaxNode): CreationRewrite | null {
  if (creation.type !== 'object_creation_expression') return null;
  const className = simpleTypeName(creation.childForFieldName('type'));
  const args = argumentsOf(creation);
  const argsNode = creation.childForFieldName('arguments');
  if (!argsNode || args.length === 0) return null;
  let address: string;
  let backlog = '';
  if (className === 'ServerSocket') {
    const port = args[0]?.text ?? '0';
    const addr = args[2] && args[2].text !== 'null' ? args[2].text : null;
    address = addr ? `new InetSocketAddress(${addr}, ${port})` : `new InetSocketAddress(${port})`;
    if (args[1]) backlog = `, ${args[1].text}`;
  } else if (className === 'DatagramSocket' || className === 'MulticastSocket') {
    const first = args[0];
    if (!first || unwrap(first)?.type === 'null_literal') return null;
    if (args.length === 1 && isSocketAddress(text, first)) address = first.text;
    else address = args[1] ? `new InetSocketAddress(${args[1].text}, ${first.text})` : `new InetSocketAddress(${first.text})`;
  } else {
    return null;
  }
  const unboundArgs = className === 'ServerSocket' ? '()' : '((java.net.SocketAddress) null)';
  const unbound: TextEdit = { start: argsNode.startIndex, end: argsNode.endIndex, newText: unboundArgs };
  // Where the variable lives decides where the new statements go.
  let holder: SyntaxNode = creation;
  while (holder.parent && (holder.parent.type === 'parenthesized_expression' || holder.parent.type === 'cast_expression')) holder = holder.parent;
  const parent = holder.parent;
  let variable: string | undefined;
  let after: CreationRewrite['after'] = null;
  if (parent?.type === 'variable_declarator' && parent.parent?.type === 'local_variable_declaration') {
    if (parent.parent.namedChildren.filter((c) => c?.type === 'variable_declarator').length !== 1) return null;
    variable = parent.childForFieldName('name')?.text;
    const statement = parent.parent;
    if (!STATEMENT_PARENTS.has(statement.parent?.type ?? '')) return null;
    after = { offset: statement.endIndex, indent: indentationAt(text, statement.startIndex) };
  } else if (parent?.type === 'assignment_expression' && parent.parent?.type === 'expression_statement') {
    variable = parent.childForFieldName('left')?.text;
    const statement = parent.parent;
    if (!STATEMENT_PARENTS.has(statement.parent?.type ?? '')) return null;
    after = { offset: statement.endIndex, indent: indentationAt(text, statement.startIndex) };
  } else if (parent?.type === 'resource') {
    // try (ServerSocket ss = new ServerSocket(port)) { ... }: bind first thing in the body, and only if
    // no later resource could use the socket before that.
    const spec = parent.parent;
    const resources = spec?.namedChildren.filter((c) => c?.type === 'resource') ?? [];
    if (resources[resources.length - 1]?.startIndex !== parent.startIndex) return null;
    const body = spec?.parent?.childForFieldName('body');
    if (!body) return null;
    variable = parent.childForFieldName('name')?.text;
    const first = body.namedChildren.find((c) => c !== null && c.type !== 'comment');
    const indent = first ? indentationAt(text, first.startIndex) : indentationAt(text, body.startIndex) + indentUnit(text);
    after = { offset: body.startIndex, indent };
  }
  if (!variable || !after) return null;
  return { unbound, variable, after, bindLine: `${variable}.bind(${address}${backlog});` };
}

function insertAfterLine(text: string, offset: number, indent: string, lines: readonly string[]): TextEdit {
  const eol = lineEnding(text);
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
  return { start: end, end, newText: lines.map((l) => eol + indent + l).join('') };
}

function withImports(text: string, root: SyntaxNode, edits: (TextEdit | null)[], lines: readonly string[]): TextEdit[] {
  const all = edits.filter((e): e is TextEdit => e !== null);
  const joined = lines.join('\n');
  if (needsOptionsImport(joined)) {
    const e = addImport(text, root, 'java.net.StandardSocketOptions');
    if (e) all.push(e);
  }
  if (joined.includes('new InetSocketAddress(')) {
    const e = addImport(text, root, 'java.net.InetSocketAddress');
    if (e) all.push(e);
  }
  return all;
}

function addOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'add-option' }>, moved?: { line: string; remove: TextEdit }): Fix | null {
  const { bind, socket, option } = request;
  const extra = moved ? [moved.remove] : [];
  if (bind.bindsAtCreation) {
    const creation = nodeAt(root, bind.span, (n) => n.type === 'object_creation_expression' && n.startIndex === bind.span.start && n.endIndex === bind.span.end);
    if (!creation) return null;
    const rewrite = rewriteCreation(text, creation);
    if (!rewrite?.after) return null;
    const optionLine = moved ? moved.line : optionStatement(rewrite.variable, option, false);
    const lines = [optionLine, rewrite.bindLine];
    const insert = insertAfterLine(text, rewrite.after.offset, rewrite.after.indent, lines);
    return { title: moved ? 'Set the option before binding' : titleFor(option), edits: withImports(text, root, [rewrite.unbound, insert, ...extra], lines) };
  }
  const call = callAt(root, bind.span, ['bind']);
  if (!call) return null;
  const receiverNode = call.childForFieldName('object');
  if (!receiverNode) return null;
  const object = unwrap(receiverNode);
  const chained = object !== null && (object.type === 'method_invocation' || object.type === 'object_creation_expression') && !/\.socket\(\)$/.test(receiverNode.text);
  if (chained) {
    // open().bind(addr) → open().setOption(..).bind(addr): options chain on channels.
    if (moved) return null;
    const name = option === 'reuseport' ? 'SO_REUSEPORT' : 'SO_REUSEADDR';
    const insertion = `setOption(StandardSocketOptions.${name}, true).`;
    const nameNode = call.childForFieldName('name');
    if (!nameNode || text.slice(nameNode.startIndex - insertion.length, nameNode.startIndex) === insertion) return null;
    const edit = { start: nameNode.startIndex, end: nameNode.startIndex, newText: insertion };
    return { title: titleFor(option), edits: withImports(text, root, [edit], [insertion]) };
  }
  const statement = enclosingStatement(call, text);
  if (!statement) return null;
  const line = moved ? moved.line : optionStatement(receiverNode.text, option, isChannelExpression(receiverNode.text, socket.api));
  const insert = insertLinesBefore(text, statement.startIndex, line.split('\n'));
  if (!insert) return null;
  return { title: moved ? 'Set the option before binding' : titleFor(option), edits: withImports(text, root, [insert, ...extra], [line]) };
}

function titleFor(option: 'reuseaddr' | 'reuseport'): string {
  return option === 'reuseport' ? 'Set SO_REUSEPORT before binding' : 'Set SO_REUSEADDR before binding';
}

/** The option's own statement (or bare `if` around it), as text lines without indentation. */
function optionUnit(text: string, root: SyntaxNode, option: OptionFact): { unit: SyntaxNode; call: SyntaxNode } | null {
  const call = callAt(root, option.span, ['setReuseAddress', 'setOption']);
  if (!call) return null;
  const statement = ownStatement(call);
  if (!statement) return null;
  const unit = statementUnit(statement);
  if (!enclosingStatement(unit, text)) return null;
  return { unit, call };
}

function unitLines(text: string, unit: SyntaxNode): string {
  const indent = indentationAt(text, unit.startIndex);
  return text.slice(unit.startIndex, unit.endIndex).split(/\r?\n/).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())).join('\n');
}

function moveBeforeBind(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'move-before-bind' }>): Fix | null {
  const found = optionUnit(text, root, request.option);
  if (!found || request.option.option === 'exclusiveaddruse') return null;
  const line = unitLines(text, found.unit);
  const remove = deleteLines(text, found.unit.startIndex, found.unit.endIndex);
  return addOption(text, root, { kind: 'add-option', option: request.option.option, socket: request.socket, bind: request.bind }, { line, remove });
}

function guardNotWindows(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'guard-not-windows' }>): Fix | null {
  const call = callAt(root, request.option.span, ['setReuseAddress', 'setOption']);
  const statement = call ? ownStatement(call) : null;
  if (!call || !statement || !enclosingStatement(statement, text)) return null;
  if (!platformsOf(call).includes('win32')) return null;
  const indent = indentationAt(text, statement.startIndex);
  const unit = indentUnit(text);
  const eol = lineEnding(text);
  const start = lineStartAt(text, statement.startIndex);
  const body = text.slice(statement.startIndex, statement.endIndex);
  const newText = `${indent}if (${NOT_WINDOWS}) {${eol}${indent}${unit}${body}${eol}${indent}}`;
  return { title: 'Do not set SO_REUSEADDR on Windows', edits: [{ start, end: statement.endIndex, newText }] };
}

function removeOption(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'remove-option' }>): Fix | null {
  const call = callAt(root, request.option.span, ['setReuseAddress', 'setOption']);
  if (!call) return null;
  const statement = ownStatement(call);
  if (statement) {
    const unit = statementUnit(statement);
    if (!enclosingStatement(unit, text)) return null;
    return { title: 'Remove the option', edits: [deleteLines(text, unit.startIndex, unit.endIndex)] };
  }
  // Inside a chain: drop `.setOption(...)`, keeping the call it was made on.
  const object = call.childForFieldName('object');
  if (!object || !call.parent || call.parent.type !== 'method_invocation') return null;
  return { title: 'Remove the option', edits: [{ start: object.endIndex, end: call.endIndex, newText: '' }] };
}

function fixConstant(text: string, root: SyntaxNode, request: Extract<FixRequest, { kind: 'fix-exclusive-constant' }>): Fix | null {
  const { constant } = request;
  // The declaration must still read as it did when the finding was made.
  const declarator = nodeAt(root, constant.span, (n) => n.type === 'variable_declarator' && n.startIndex === constant.span.start && n.endIndex === constant.span.end);
  const value = declarator?.childForFieldName('value');
  if (!declarator || declarator.childForFieldName('name')?.text !== constant.name || !value) return null;
  if (value.startIndex !== constant.valueSpan.start || value.endIndex !== constant.valueSpan.end) return null;
  if (/^(-5|~0*x?0*4|0x[fF]{6}[fF][bB])$/.test(value.text.replace(/\s+/g, ''))) return null;
  return { title: 'Use ~SO_REUSEADDR (-5) for SO_EXCLUSIVEADDRUSE', edits: [{ start: value.startIndex, end: value.endIndex, newText: '-5' }] };
}

export function javaFix(text: string, root: SyntaxNode, _facts: FileFacts, request: FixRequest): Fix | null {
  switch (request.kind) {
    case 'add-option':
      return addOption(text, root, request);
    case 'move-before-bind':
      return moveBeforeBind(text, root, request);
    case 'guard-not-windows':
      return guardNotWindows(text, root, request);
    case 'remove-option':
      return removeOption(text, root, request);
    case 'fix-exclusive-constant':
      return fixConstant(text, root, request);
    case 'add-exclusive':
      // The JDK already binds exclusively on Windows; it offers no way to ask for it on other sockets.
      return null;
  }
}
