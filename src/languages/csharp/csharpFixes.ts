// Quick fixes for C#: SetSocketOption before Bind/Start, `new UdpClient(port)` rewritten into
// create → option → Bind, ExclusiveAddressUse on Windows, `if (!OperatingSystem.IsWindows())` guards,
// removals, and the right SO_EXCLUSIVEADDRUSE value.
import type { BindFact, FileFacts, OptionFact, Span } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { deleteLines, indentUnit, indentationAt, lineEndAt, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';
import type { CSharpProgram } from './csharpProgram';
import { argumentsOf, unwrapCs } from './csharpProgram';
import { methodCall } from './csharpSocketEvents';

const REUSE_LINE = 'SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);';

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

function nodeAtSpan(root: SyntaxNode, span: Span): SyntaxNode | null {
  let n: SyntaxNode | null = root.descendantForIndex(span.start, span.end);
  while (n && (n.startIndex > span.start || n.endIndex < span.end)) n = n.parent;
  if (!n || n.startIndex !== span.start || n.endIndex !== span.end) return null;
  let best = n;
  for (let p = n.parent; p && p.startIndex === span.start && p.endIndex === span.end; p = p.parent) {
    if (/invocation_expression|object_creation_expression|assignment_expression/.test(p.type)) best = p;
  }
  return best;
}

/** The statement directly inside a block that holds `node`. */
function statementOf(node: SyntaxNode): SyntaxNode | null {
  let child = node;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'block' || parent.type === 'global_statement' || parent.type === 'switch_section') return child;
    if (/lambda_expression|method_declaration|constructor_declaration|local_function_statement/.test(parent.type)) return null;
    child = parent;
  }
  return null;
}

/** An expression statement made of exactly this call or assignment. */
function soleStatement(node: SyntaxNode): SyntaxNode | null {
  const statement = statementOf(node);
  if (statement?.type !== 'expression_statement') return null;
  const inner = statement.namedChildren.find((c) => c !== null && c.type !== 'comment');
  return inner?.equals(node) ? statement : null;
}

function windowsTest(program: CSharpProgram): string {
  if (/RuntimeInformation\.IsOSPlatform/.test(program.text) && !/OperatingSystem\.Is\w+\(/.test(program.text)) return 'RuntimeInformation.IsOSPlatform(OSPlatform.Windows)';
  // Without `using System;` (and no implicit usings) the short name would not compile.
  return program.usings.some((u) => /^(global\s+)?using\s+System\s*;/.test(u)) ? 'OperatingSystem.IsWindows()' : 'System.OperatingSystem.IsWindows()';
}

/** Allman (`{` on its own line) unless the file opens blocks at line ends. */
function allman(text: string): boolean {
  const own = (text.match(/^[ \t]*\{[ \t]*\r?$/gm) ?? []).length;
  const trailing = (text.match(/\)[ \t]*\{[ \t]*\r?$/gm) ?? []).length;
  return own >= trailing;
}

/** `if (condition) { lines }` as separate lines (without the leading indentation). */
function ifBlock(program: CSharpProgram, condition: string, body: readonly string[]): string[] {
  const unit = indentUnit(program.text);
  const inner = body.map((l) => unit + l);
  return allman(program.text) ? [`if (${condition})`, '{', ...inner, '}'] : [`if (${condition}) {`, ...inner, '}'];
}

function insertBefore(text: string, statement: SyntaxNode, lines: readonly string[]): TextEdit | null {
  const start = lineStartAt(text, statement.startIndex);
  const indent = indentationAt(text, statement.startIndex);
  const eol = lineEnding(text);
  const block = lines.map((l) => indent + l + eol).join('');
  if (text.slice(Math.max(0, start - block.length), start) === block) return null;
  return { start, end: start, newText: block };
}

function qualify(program: CSharpProgram, name: string): string {
  return program.usings.some((u) => /^using\s+System\.Net\s*;/.test(u)) ? name : `System.Net.${name}`;
}

export function fixCSharp(program: CSharpProgram, facts: FileFacts, request: FixRequest): Fix | null {
  switch (request.kind) {
    case 'add-option':
      return addOption(program, facts, request.bind);
    case 'move-before-bind':
      return moveBeforeBind(program, facts, request.option, request.bind);
    case 'add-exclusive':
      return addExclusive(program, facts, request.bind);
    case 'guard-not-windows':
      return guardNotWindows(program, facts, request.option);
    case 'remove-option':
      return removeOption(program, facts, request.option);
    case 'fix-exclusive-constant': {
      const current = facts.constants.find((c) => c.span.start === request.constant.span.start && sameSpan(c.valueSpan, request.constant.valueSpan));
      if (!current || current.value === -5) return null;
      const value = program.usings.some((u) => /System\.Net\.Sockets/.test(u)) ? '(int)SocketOptionName.ExclusiveAddressUse' : 'unchecked((int)0xFFFFFFFB)';
      return { title: `Define SO_EXCLUSIVEADDRUSE as ${value}`, edits: [{ start: current.valueSpan.start, end: current.valueSpan.end, newText: value }] };
    }
  }
}

function optionPresent(facts: FileFacts, bind: BindFact, option: 'reuseaddr' | 'reuseport' | 'exclusiveaddruse'): boolean {
  return facts.options.some((o) => o.socketId === bind.socketId && o.option === option && o.enabled && o.timing === 'before');
}

/** What the bind span holds: `x.Bind(ep)`, `listener.Start()`, or a `new UdpClient(port)` that binds. */
function bindSite(program: CSharpProgram, bind: BindFact): { node: SyntaxNode; kind: 'bind' | 'start' | 'udpclient'; receiver: string } | null {
  const node = nodeAtSpan(program.root, bind.span);
  if (!node) return null;
  if (node.type === 'invocation_expression') {
    const { method, receiver } = methodCall(node);
    if (!receiver) return null;
    if (method === 'Bind') return { node, kind: 'bind', receiver: receiver.text };
    if (method === 'Start') return { node, kind: 'start', receiver: receiver.text };
    return null;
  }
  if (/object_creation_expression/.test(node.type) && bind.bindsAtCreation) return { node, kind: 'udpclient', receiver: '' };
  return null;
}

function addOption(program: CSharpProgram, facts: FileFacts, bind: BindFact): Fix | null {
  const current = facts.binds.find((b) => sameSpan(b.span, bind.span));
  if (!current || optionPresent(facts, current, 'reuseaddr')) return null;
  const site = bindSite(program, current);
  if (!site) return null;
  const title = 'Set SocketOptionName.ReuseAddress before binding';
  if (site.kind === 'udpclient') return rewriteUdpClient(program, site.node, [], [], title);
  const statement = statementOf(site.node);
  if (!statement) return null;
  const socket = site.kind === 'start' ? `${site.receiver}.Server` : site.receiver;
  const line = `${socket}.${REUSE_LINE}`;
  // On Windows SO_REUSEADDR opens the port to hijacking (and TIME_WAIT is no problem there): keep it out.
  const lines = ifBlock(program, `!${windowsTest(program)}`, [line]);
  const edit = insertBefore(program.text, statement, lines);
  return edit ? { title, edits: [edit] } : null;
}

function addExclusive(program: CSharpProgram, facts: FileFacts, bind: BindFact): Fix | null {
  const current = facts.binds.find((b) => sameSpan(b.span, bind.span));
  if (!current || optionPresent(facts, current, 'exclusiveaddruse')) return null;
  const site = bindSite(program, current);
  if (!site || site.kind === 'udpclient') return null;
  const statement = statementOf(site.node);
  if (!statement) return null;
  const edit = insertBefore(program.text, statement, ifBlock(program, windowsTest(program), [`${site.receiver}.ExclusiveAddressUse = true;`]));
  return edit ? { title: 'Set ExclusiveAddressUse on Windows', edits: [edit] } : null;
}

function currentOption(facts: FileFacts, option: OptionFact): OptionFact | undefined {
  return facts.options.find((o) => sameSpan(o.span, option.span) && o.option === option.option);
}

function moveBeforeBind(program: CSharpProgram, facts: FileFacts, option: OptionFact, bind: BindFact): Fix | null {
  const current = currentOption(facts, option);
  if (!current || current.timing !== 'after') return null;
  const optionNode = nodeAtSpan(program.root, option.span);
  const moved = optionNode ? soleStatement(optionNode) : null;
  const site = bindSite(program, bind);
  if (!moved || !site) return null;
  const text = program.text;
  const line = text.slice(lineStartAt(text, moved.startIndex), lineEndAt(text, moved.endIndex)).trim();
  // An option inside `if (OperatingSystem.IsWindows()) { ... }` moves with its guard.
  const guard = guardingIf(moved);
  if (guard === undefined) return null;
  const unit = guard && guard.only ? guard.statement : moved;
  const lines = guard && !guard.only ? ifBlock(program, guard.condition, [line]) : unit === moved ? [line] : reindented(text, unit);
  if (site.kind === 'udpclient') return rewriteUdpClient(program, site.node, lines, [unit], 'Set the option before binding');
  const target = statementOf(site.node);
  if (!target || unit.startIndex <= target.endIndex) return null;
  const insert = insertBefore(text, target, lines);
  if (!insert) return null;
  return { title: 'Set the option before binding', edits: [insert, deleteLines(text, unit.startIndex, unit.endIndex)] };
}

/**
 * The `if` (without else) whose block holds `statement`: null when there is none, undefined when the
 * statement sits in a branch that cannot be moved whole (an else, a loop).
 */
function guardingIf(statement: SyntaxNode): { statement: SyntaxNode; condition: string; only: boolean } | null | undefined {
  const parent = statement.parent;
  if (!parent) return undefined;
  let owner: SyntaxNode;
  if (parent.type === 'if_statement') owner = parent;
  else if (parent.type === 'block' && parent.parent?.type === 'if_statement') owner = parent.parent;
  else if (parent.type === 'block' && /^(block|method_declaration|constructor_declaration|local_function_statement|accessor_declaration|lambda_expression|using_statement|lock_statement|fixed_statement|unsafe_statement|checked_statement)$/.test(parent.parent?.type ?? '')) return null;
  else return parent.type === 'global_statement' ? null : undefined;
  const condition = owner.childForFieldName('condition')?.text;
  if (owner.childForFieldName('alternative') || !condition || owner.parent?.type !== 'block') return undefined;
  const body = parent.type === 'block' ? parent.namedChildren.filter((c) => c !== null && c.type !== 'comment') : [statement];
  return { statement: owner, condition, only: body.length === 1 };
}

/** A statement's lines with its own indentation removed (nested lines keep their relative indent). */
function reindented(text: string, node: SyntaxNode): string[] {
  const from = indentationAt(text, node.startIndex);
  return text.slice(lineStartAt(text, node.startIndex), lineEndAt(text, node.endIndex)).split(/\r?\n/).map((l) => (l.startsWith(from) ? l.slice(from.length) : l.trimStart()));
}

function guardNotWindows(program: CSharpProgram, facts: FileFacts, option: OptionFact): Fix | null {
  const current = currentOption(facts, option);
  if (!current?.platforms.includes('win32')) return null;
  const node = nodeAtSpan(program.root, option.span);
  const statement = node ? soleStatement(node) : null;
  if (!statement) return null;
  const text = program.text;
  const start = lineStartAt(text, statement.startIndex);
  const end = lineEndAt(text, statement.endIndex);
  const indent = indentationAt(text, statement.startIndex);
  const eol = lineEnding(text);
  const original = text.slice(start, end).trim();
  const lines = ifBlock(program, `!${windowsTest(program)}`, [original]);
  return { title: 'Skip the option on Windows', edits: [{ start, end, newText: lines.map((l) => indent + l).join(eol) }] };
}

function removeOption(program: CSharpProgram, facts: FileFacts, option: OptionFact): Fix | null {
  if (!currentOption(facts, option)) return null;
  const node = nodeAtSpan(program.root, option.span);
  const statement = node ? soleStatement(node) : null;
  if (!statement) return null;
  return { title: 'Remove the option', edits: [deleteLines(program.text, statement.startIndex, statement.endIndex)] };
}

/**
 * `var u = new UdpClient(5000);` binds in its constructor. Rewritten as `new UdpClient()` (same address
 * family), then the options, then `u.Client.Bind(...)`.
 */
function rewriteUdpClient(program: CSharpProgram, creation: SyntaxNode, options: readonly string[], remove: readonly SyntaxNode[], title: string): Fix | null {
  const text = program.text;
  const args = creation.childForFieldName('arguments') ?? creation.namedChildren.find((c) => c?.type === 'argument_list') ?? null;
  const [first, second] = argumentsOf(creation);
  if (!args || !first) return null;
  // The variable the client is stored in.
  let holder: SyntaxNode | null = creation.parent;
  while (holder && (holder.type === 'parenthesized_expression' || holder.type === 'cast_expression')) holder = holder.parent;
  let variable: string | null = null;
  if (holder?.type === 'variable_declarator') variable = holder.childForFieldName('name')?.text ?? null;
  else if (holder?.type === 'assignment_expression') variable = holder.childForFieldName('left')?.text ?? null;
  if (!variable) return null;
  const statement = statementOf(creation);
  if (!statement) return null;
  const ipEndPoint = qualify(program, 'IPEndPoint');
  const ipAddress = qualify(program, 'IPAddress');
  const firstIsEndpoint = /IPEndPoint/.test(first.text) || /IPEndPoint|EndPoint/.test(program.typeOf(first.text, first.startIndex));
  let newArgs: string;
  let bindArg: string;
  if (firstIsEndpoint) {
    const v6 = /IPv6|InterNetworkV6|::/.test(first.text);
    newArgs = unwrapCs(first).type === 'identifier' ? `${first.text}.AddressFamily` : `AddressFamily.${v6 ? 'InterNetworkV6' : 'InterNetwork'}`;
    bindArg = first.text;
  } else {
    const v6 = /InterNetworkV6/.test(second?.text ?? '');
    newArgs = second?.text ?? '';
    bindArg = `new ${ipEndPoint}(${ipAddress}.${v6 ? 'IPv6Any' : 'Any'}, ${first.text})`;
  }
  const reuse = `${variable}.Client.${REUSE_LINE}`;
  const body = [...options, ...(options.length === 0 ? ifBlock(program, `!${windowsTest(program)}`, [reuse]) : []), `${variable}.Client.Bind(${bindArg});`];
  const eol = lineEnding(text);
  const edits: TextEdit[] = [{ start: args.startIndex, end: args.endIndex, newText: `(${newArgs})` }];
  if (statement.type === 'using_statement') {
    const block = statement.childForFieldName('body');
    const firstInner = block?.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (block?.type !== 'block' || !firstInner) return null;
    const indent = indentationAt(text, firstInner.startIndex);
    const at = lineStartAt(text, firstInner.startIndex);
    edits.push({ start: at, end: at, newText: body.map((l) => indent + l + eol).join('') });
  } else {
    const indent = indentationAt(text, statement.startIndex);
    const at = lineEndAt(text, statement.endIndex);
    edits.push({ start: at, end: at, newText: body.map((l) => eol + indent + l).join('') });
  }
  for (const node of remove) edits.push(deleteLines(text, node.startIndex, node.endIndex));
  return { title, edits };
}
