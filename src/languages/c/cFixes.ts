// Quick fixes for C and C++: setsockopt before bind (with `int one = 1;` when no such variable exists),
// moving a late setsockopt, Windows-guarded SO_EXCLUSIVEADDRUSE, `#ifndef _WIN32` guards, removals,
// the right SO_EXCLUSIVEADDRUSE value; Asio acceptors, libuv flags, uWS listen flags and Qt bind modes
// in their own idiom.
import type { BindFact, FileFacts, OptionFact, Span } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import { deleteLines, indentationAt, lineEndAt, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';
import type { CProgram, FnScope } from './cProgram';
import { blockStatement, callArguments, calleeName, callReceiver, unwrap } from './cSyntax';
import { UWS_EXCLUSIVE, readUwsArguments, uwsListenCallAt } from './cUws';

export const EXCLUSIVE_VALUE = '((int)(~SO_REUSEADDR))';

interface Line {
  text: string;
  /** Preprocessor lines keep the file's directive indentation (usually column 0). */
  directive?: boolean;
}

/** The node whose range is exactly `span`, preferring calls and declarators. */
export function nodeAtSpan(root: SyntaxNode, span: Span): SyntaxNode | null {
  let n: SyntaxNode | null = root.descendantForIndex(span.start, span.end);
  while (n && (n.startIndex > span.start || n.endIndex < span.end)) n = n.parent;
  if (!n || n.startIndex !== span.start || n.endIndex !== span.end) return null;
  // Several nodes may share the range (an expression statement's call): take the outermost call-like one.
  let best = n;
  for (let p = n.parent; p && p.startIndex === span.start && p.endIndex === span.end; p = p.parent) {
    if (/call_expression|init_declarator|field_initializer|new_expression/.test(p.type)) best = p;
  }
  return best;
}

function directivesIndented(text: string): boolean {
  return /^[ \t]+#[ \t]*(if|ifdef|ifndef|endif|else)\b/m.test(text);
}

/** Lines to insert before the line holding `offset`; null when exactly these lines are already there. */
function linesBefore(text: string, offset: number, lines: readonly Line[]): TextEdit | null {
  const start = lineStartAt(text, offset);
  const indent = indentationAt(text, offset);
  const eol = lineEnding(text);
  const hashIndent = directivesIndented(text) ? indent : '';
  const block = lines.map((l) => (l.directive ? hashIndent : indent) + l.text + eol).join('');
  if (text.slice(Math.max(0, start - block.length), start) === block) return null;
  return { start, end: start, newText: block };
}

function isWinsockFile(program: CProgram): boolean {
  return program.usesWinsock || /\bSOCKET\b|closesocket|WSAStartup/.test(program.text);
}

/** A local int (or BOOL) that holds 1 and is never changed, declared before `before`. */
function existingOne(program: CProgram, fn: FnScope | null, before: number): string | null {
  if (!fn) return null;
  for (const [name, writes] of fn.writes) {
    if (writes.length !== 1 || fn.params.includes(name)) continue;
    const w = writes[0];
    if (!w?.value || w.at >= before) continue;
    const type = fn.types.get(name) ?? '';
    if (!/^(const\s+)?(int|BOOL|unsigned|unsigned int|u_int|DWORD|char|int32_t|uint32_t)$/.test(type.trim())) continue;
    if (program.number(w.value, { fn, at: w.at, env: null, depth: 0 }) === 1) return name;
  }
  return null;
}

function freshName(fn: FnScope | null, wanted: string): string {
  if (!fn?.locals.has(wanted)) return wanted;
  for (let i = 2; ; i++) if (!fn.locals.has(`${wanted}${i}`)) return `${wanted}${i}`;
}

/** `setsockopt(fd, SOL_SOCKET, NAME, &one, sizeof one);` with an `int one = 1;` when needed. */
function setsockoptLines(program: CProgram, fn: FnScope | null, before: number, socket: string, name: string, valueName: string): Line[] {
  const existing = existingOne(program, fn, before);
  const variable = existing ?? freshName(fn, valueName);
  const pointer = isWinsockFile(program) ? `(const char *)&${variable}` : `&${variable}`;
  const lines: Line[] = [];
  if (!existing) lines.push({ text: `int ${variable} = 1;` });
  lines.push({ text: `setsockopt(${socket}, SOL_SOCKET, ${name}, ${pointer}, sizeof ${variable});` });
  return lines;
}

function asioNamespace(program: CProgram): string {
  return program.includes.some((i) => i.path.startsWith('boost/')) || /\bboost::asio\b/.test(program.text) ? 'boost::asio' : 'asio';
}

function sameSpan(a: Span, b: Span): boolean {
  return a.start === b.start && a.end === b.end;
}

/** The current facts' bind at the request's span (a stale request finds none). */
function currentBind(facts: FileFacts, bind: BindFact): BindFact | undefined {
  return facts.binds.find((b) => sameSpan(b.span, bind.span));
}

function currentOption(facts: FileFacts, option: OptionFact): OptionFact | undefined {
  return facts.options.find((o) => sameSpan(o.span, option.span) && o.option === option.option);
}

/** Does the statement hold just this call (alone, or as an `if (call < 0) { error }` test)? */
function simpleStatementOf(call: SyntaxNode): SyntaxNode | null {
  const statement = blockStatement(call);
  if (!statement) return null;
  if (statement.type === 'expression_statement') {
    return unwrap(statement.namedChild(0) ?? statement, false).equals(call) ? statement : null;
  }
  if (statement.type === 'if_statement') {
    const condition = statement.childForFieldName('condition');
    if (!condition || !(condition.startIndex <= call.startIndex && call.endIndex <= condition.endIndex)) return null;
    // Only one socket call in the condition, and nothing else binding or creating in the branches.
    if (/\b(bind|listen|socket)\s*\(/.test(statement.text)) return null;
    return statement;
  }
  return null;
}

/** A preprocessor block that holds nothing but `statement` (`#ifdef SO_REUSEPORT ... #endif`). */
function soleGuardBlock(statement: SyntaxNode): SyntaxNode | null {
  const parent = statement.parent;
  if (!parent || !/^preproc_(if|ifdef)$/.test(parent.type) || parent.childForFieldName('alternative')) return null;
  const body = guardBody(parent);
  return body.length === 1 && body[0]?.equals(statement) ? parent : null;
}

/** Re-indents moved lines to `to`, keeping their relative indentation; directives stay where they were. */
function reindent(text: string, to: string): string[] {
  const lines = text.split(/\r?\n/);
  const code = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const common = code.reduce((min, l) => Math.min(min, /^[ \t]*/.exec(l)?.[0].length ?? 0), Number.MAX_SAFE_INTEGER);
  const cut = common === Number.MAX_SAFE_INTEGER ? 0 : common;
  return lines.map((l) => (l.trimStart().startsWith('#') || l.trim() === '' ? l : to + l.slice(cut)));
}

export function fixC(program: CProgram, facts: FileFacts, request: FixRequest): Fix | null {
  switch (request.kind) {
    case 'add-option':
      return addOption(program, facts, request.option, request.bind);
    case 'move-before-bind':
      return moveBeforeBind(program, facts, request.option, request.bind);
    case 'add-exclusive':
      return addExclusive(program, facts, request.bind);
    case 'guard-not-windows':
      return guardNotWindows(program, facts, request.option);
    case 'remove-option':
      return removeOption(program, facts, request.option);
    case 'fix-exclusive-constant': {
      const { valueSpan } = request.constant;
      const current = facts.constants.find((c) => c.span.start === request.constant.span.start && sameSpan(c.valueSpan, valueSpan));
      if (!current || current.value === -5 || !/SO_EXCLUSIVEADDRUSE/.test(program.text.slice(request.constant.span.start, valueSpan.start))) return null;
      return { title: `Define SO_EXCLUSIVEADDRUSE as ${EXCLUSIVE_VALUE}`, edits: [{ start: valueSpan.start, end: valueSpan.end, newText: EXCLUSIVE_VALUE }] };
    }
  }
}

// ----- add-option -----

function addOption(program: CProgram, facts: FileFacts, option: 'reuseaddr' | 'reuseport', bind: BindFact): Fix | null {
  const current = currentBind(facts, bind);
  if (!current) return null;
  const already = facts.options.some((o) => o.socketId === current.socketId && o.enabled && o.timing === 'before' && (o.option === option || (option === 'reuseaddr' && o.option === 'reuseport')));
  if (already) return null;
  const node = nodeAtSpan(program.root, bind.span);
  if (!node) return null;
  const name = option === 'reuseaddr' ? 'SO_REUSEADDR' : 'SO_REUSEPORT';
  const title = `Set ${name} before binding`;
  if (node.type === 'call_expression') {
    const callee = calleeName(node);
    if (callee === 'uv_tcp_bind' || callee === 'uv_udp_bind') return libuvFlag(program, node, callee, option, title);
    if (callee === 'evconnlistener_new_bind') return libeventFlag(node, option, title);
    const receiver = callReceiver(node);
    if (receiver && callee === 'bind') return asioSetOption(program, node, receiver, option, title);
    if (receiver) return null;
    // bind(fd, ...) itself, or a helper of this file that binds the socket passed to it.
    const variable = facts.sockets.find((s) => s.id === current.socketId)?.variable;
    const socket = callee === 'bind' ? callArguments(node)[0] : callArguments(node).find((a) => variable !== undefined && unwrap(a).text.replace(/\s+/g, '').replace(/->/g, '.') === variable);
    if (!socket) return null;
    return bsdSetOption(program, facts, node, unwrap(socket).text, current, option, title);
  }
  // Asio acceptor(io, endpoint, false): turn its reuse_addr argument back on, or on Windows (where it
  // would open the port to hijacking) spell out the constructor's steps with SO_EXCLUSIVEADDRUSE there.
  if (option === 'reuseaddr' && node.type === 'init_declarator' && program.basePlatforms.includes('win32')) {
    return rewriteAsioAcceptor(program, node, title);
  }
  if (option === 'reuseaddr') {
    const list = node.type === 'init_declarator' ? node.childForFieldName('value') : node.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'initializer_list') ?? null;
    const third = list ? callArguments(list)[2] : undefined;
    if (third && /^(false|0)$/.test(third.text.trim())) {
      return { title: 'Let the acceptor set SO_REUSEADDR (reuse_addr = true)', edits: [{ start: third.startIndex, end: third.endIndex, newText: 'true' }] };
    }
  }
  return null;
}

function bsdSetOption(program: CProgram, facts: FileFacts, bindCall: SyntaxNode, socket: string, bind: BindFact, option: 'reuseaddr' | 'reuseport', title: string): Fix | null {
  const statement = blockStatement(bindCall);
  if (!statement) return null;
  const fn = program.functionAt(statement.startIndex);
  const created = facts.sockets.find((s) => s.id === bind.socketId);
  // The socket must exist at the insertion point.
  if (created && fn && created.span.start >= fn.start && created.span.start < fn.end && created.span.start >= statement.startIndex) return null;
  const name = option === 'reuseaddr' ? 'SO_REUSEADDR' : 'SO_REUSEPORT';
  const body = setsockoptLines(program, fn, statement.startIndex, socket, name, 'one');
  const onWindows = program.basePlatforms.includes('win32');
  let lines: Line[] = body;
  if (option === 'reuseport' && onWindows) lines = [{ text: '#ifdef SO_REUSEPORT', directive: true }, ...body, { text: '#endif', directive: true }];
  // On Windows SO_REUSEADDR lets other processes take the port, and TIME_WAIT does not block a restart.
  else if (option === 'reuseaddr' && onWindows) lines = [{ text: '#ifndef _WIN32', directive: true }, ...body, { text: '#endif', directive: true }];
  const edit = linesBefore(program.text, statement.startIndex, lines);
  return edit ? { title, edits: [edit] } : null;
}

function libuvFlag(program: CProgram, call: SyntaxNode, callee: string, option: 'reuseaddr' | 'reuseport', title: string): Fix | null {
  const flags = callArguments(call)[2];
  if (!flags) return null;
  const flag = callee === 'uv_tcp_bind' ? (option === 'reuseport' ? 'UV_TCP_REUSEPORT' : null) : option === 'reuseaddr' ? 'UV_UDP_REUSEADDR' : 'UV_UDP_REUSEPORT';
  if (!flag || flags.text.includes(flag)) return null;
  const newText = /^\s*0\s*$/.test(flags.text) ? flag : `${flags.text} | ${flag}`;
  return { title, edits: [{ start: flags.startIndex, end: flags.endIndex, newText }] };
}

function libeventFlag(call: SyntaxNode, option: 'reuseaddr' | 'reuseport', title: string): Fix | null {
  const flags = callArguments(call)[3];
  const flag = option === 'reuseaddr' ? 'LEV_OPT_REUSEABLE' : 'LEV_OPT_REUSEABLE_PORT';
  if (!flags || new RegExp(`\\b${flag}\\b`).test(flags.text)) return null;
  const newText = /^\s*0\s*$/.test(flags.text) ? flag : `${flags.text} | ${flag}`;
  return { title, edits: [{ start: flags.startIndex, end: flags.endIndex, newText }] };
}

function receiverAccess(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn?.text.includes('->') ? '->' : '.';
}

function asioOptionText(program: CProgram, option: 'reuseaddr' | 'reuseport' | 'exclusiveaddruse'): string {
  const ns = asioNamespace(program);
  if (option === 'reuseaddr') return `${ns}::socket_base::reuse_address(true)`;
  const name = option === 'reuseport' ? 'SO_REUSEPORT' : 'SO_EXCLUSIVEADDRUSE';
  return `${ns}::detail::socket_option::boolean<SOL_SOCKET, ${name}>(true)`;
}

function asioSetOption(program: CProgram, bindCall: SyntaxNode, receiver: SyntaxNode, option: 'reuseaddr' | 'reuseport', title: string): Fix | null {
  const statement = blockStatement(bindCall);
  if (!statement) return null;
  const line = `${receiver.text}${receiverAccess(bindCall)}set_option(${asioOptionText(program, option)});`;
  const lines: Line[] = option === 'reuseport' && program.basePlatforms.includes('win32')
    ? [{ text: '#ifdef SO_REUSEPORT', directive: true }, { text: line }, { text: '#endif', directive: true }]
    : [{ text: line }];
  const edit = linesBefore(program.text, statement.startIndex, lines);
  return edit ? { title, edits: [edit] } : null;
}

// ----- move-before-bind -----

function moveBeforeBind(program: CProgram, facts: FileFacts, option: OptionFact, bind: BindFact): Fix | null {
  const current = currentOption(facts, option);
  // Asio objects constructed with an endpoint are bound by their constructor: nothing to move before.
  if (!current || current.timing !== 'after' || bind.bindsAtCreation) return null;
  const optionNode = nodeAtSpan(program.root, option.span);
  const bindNode = nodeAtSpan(program.root, bind.span);
  if (optionNode?.type !== 'call_expression' || !bindNode) return null;
  if (!/^(setsockopt|set_option)$/.test(calleeName(optionNode))) return null;
  const statement = simpleStatementOf(optionNode);
  const target = blockStatement(bindNode);
  if (!statement || !target || statement.startIndex <= target.endIndex) return null;
  const text = program.text;
  // The value variable (`int one = 1;`) may be declared between the bind and the option: move it too.
  const value = callArguments(optionNode)[3];
  const valueName = value ? unwrap(value).text : '';
  const fn = program.functionAt(optionNode.startIndex);
  const declaration = fn?.declarations.find((d) => d.startIndex > target.endIndex && d.endIndex <= statement.startIndex
    && d.childrenForFieldName('declarator').some((x) => x !== null && /^\w+$/.test(valueName) && (x.childForFieldName('declarator')?.text ?? x.text) === valueName));
  const items = declaration ? [declaration, statement] : [statement];
  // A guard around the option (`#ifndef _WIN32`) must come along.
  const guard = enclosingGuard(statement, target);
  let units: SyntaxNode[] = items;
  let wrap: [string, string] | null = null;
  if (guard) {
    if (guard.childForFieldName('alternative')) return null;
    const body = guardBody(guard);
    if (body.every((b) => items.some((i) => i.equals(b)))) units = [guard];
    else {
      wrap = [text.slice(lineStartAt(text, guard.startIndex), lineEndAt(text, guard.startIndex)).trim(), '#endif'];
      units = items.filter((i) => guard.startIndex <= i.startIndex && i.endIndex <= guard.endIndex);
      if (declaration && !units.includes(declaration)) units.unshift(declaration);
    }
  }
  const indent = indentationAt(text, target.startIndex);
  const eol = lineEnding(text);
  const hashIndent = directivesIndented(text) ? indent : '';
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  for (const node of units) {
    const start = lineStartAt(text, node.startIndex);
    const end = lineEndAt(text, node.endIndex);
    const moved = reindent(text.slice(start, end), indent);
    if (wrap && node.equals(statement)) lines.push(hashIndent + wrap[0], ...moved, hashIndent + wrap[1]);
    else lines.push(...moved);
    edits.push(deleteLines(text, node.startIndex, node.endIndex));
  }
  const insertAt = lineStartAt(text, target.startIndex);
  edits.push({ start: insertAt, end: insertAt, newText: lines.map((l) => l + eol).join('') });
  return { title: 'Set the option before bind', edits };
}

/** The innermost #if/#ifdef block around `node` that does not also hold `other`. */
function enclosingGuard(node: SyntaxNode, other: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'compound_statement' || p.type === 'function_definition') return null;
    if (/^preproc_(if|ifdef)$/.test(p.type)) return p.startIndex <= other.startIndex && other.endIndex <= p.endIndex ? null : p;
  }
  return null;
}

function guardBody(guard: SyntaxNode): SyntaxNode[] {
  const skip = [guard.childForFieldName('condition'), guard.childForFieldName('name'), guard.childForFieldName('alternative')];
  return guard.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment' && !skip.some((x) => x?.equals(c)));
}

// ----- add-exclusive -----

function addExclusive(program: CProgram, facts: FileFacts, bind: BindFact): Fix | null {
  const current = currentBind(facts, bind);
  if (!current) return null;
  if (facts.options.some((o) => o.socketId === current.socketId && o.option === 'exclusiveaddruse' && o.enabled && o.platforms.includes('win32'))) return null;
  const listen = uwsListenCallAt(program.root, bind.span);
  if (listen) return uwsExclusiveFlag(program, listen);
  const node = nodeAtSpan(program.root, bind.span);
  if (!node) return null;
  const title = 'Use SO_EXCLUSIVEADDRUSE on Windows';
  const windowsOnly = !program.basePlatforms.includes('linux') && !program.basePlatforms.includes('darwin');
  const guard = (body: Line[]): Line[] => (windowsOnly ? body : [{ text: '#ifdef _WIN32', directive: true }, ...body, { text: '#endif', directive: true }]);
  if (node.type === 'call_expression' && calleeName(node) === 'bind') {
    const statement = blockStatement(node);
    if (!statement) return null;
    const receiver = callReceiver(node);
    if (receiver) {
      const line = `${receiver.text}${receiverAccess(node)}set_option(${asioOptionText(program, 'exclusiveaddruse')});`;
      const edit = linesBefore(program.text, statement.startIndex, guard([{ text: line }]));
      return edit ? { title, edits: [edit] } : null;
    }
    const socket = callArguments(node)[0];
    if (!socket) return null;
    const fn = program.functionAt(statement.startIndex);
    const existing = existingOne(program, fn, statement.startIndex);
    const variable = existing ?? freshName(fn, 'exclusive');
    const body: Line[] = [];
    if (!existing) body.push({ text: `int ${variable} = 1;` });
    body.push({ text: `setsockopt(${socket.text}, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&${variable}, sizeof ${variable});` });
    const edit = linesBefore(program.text, statement.startIndex, guard(body));
    return edit ? { title, edits: [edit] } : null;
  }
  if (node.type === 'init_declarator') return rewriteAsioAcceptor(program, node, title);
  return null;
}

/** uWS `app.listen(port, handler)` becomes `app.listen(port, LIBUS_LISTEN_EXCLUSIVE_PORT, handler)`. */
function uwsExclusiveFlag(program: CProgram, call: SyntaxNode): Fix | null {
  const listen = readUwsArguments(program, call, { fn: program.functionAt(call.startIndex), at: call.startIndex, env: null, depth: 0 });
  if (listen?.exclusive !== 'no') return null;
  const title = `Listen with ${UWS_EXCLUSIVE} (SO_EXCLUSIVEADDRUSE on Windows, no SO_REUSEPORT on Unix)`;
  const { options, port } = listen;
  if (!options) return { title, edits: [{ start: port.endIndex, end: port.endIndex, newText: `, ${UWS_EXCLUSIVE}` }] };
  const keep = !/^(LIBUS_LISTEN_DEFAULT|0)$/.test(options.text.trim());
  return { title, edits: [{ start: options.startIndex, end: options.endIndex, newText: keep ? `${options.text} | ${UWS_EXCLUSIVE}` : UWS_EXCLUSIVE }] };
}

/**
 * `tcp::acceptor a(io, endpoint);` sets SO_REUSEADDR on Windows too. Rewritten into the steps the
 * constructor takes, with SO_EXCLUSIVEADDRUSE on Windows and SO_REUSEADDR elsewhere.
 */
function rewriteAsioAcceptor(program: CProgram, declarator: SyntaxNode, title: string): Fix | null {
  const declaration = declarator.parent;
  if (declaration?.type !== 'declaration' || declaration.childrenForFieldName('declarator').length !== 1) return null;
  if (declaration.parent?.type !== 'compound_statement') return null;
  const typeNode = declaration.childForFieldName('type');
  const type = typeNode?.text;
  const name = declarator.childForFieldName('declarator')?.text;
  const list = declarator.childForFieldName('value');
  // `static` or `const` acceptors are left alone: the rewrite needs a plain local.
  if (!typeNode || !type || typeNode.startIndex !== declaration.startIndex || !name || !/^\w+$/.test(name) || !list) return null;
  const [io, endpoint, ...rest] = callArguments(list);
  if (!io || !endpoint || rest.length > 1) return null;
  const lines: Line[] = [];
  let endpointName = endpoint.text;
  if (!/^\w+$/.test(endpoint.text)) {
    endpointName = `${name}_endpoint`;
    lines.push({ text: endpoint.type === 'initializer_list' ? `const ${type}::endpoint_type ${endpointName}${endpoint.text};` : `const ${type}::endpoint_type ${endpointName}(${endpoint.text});` });
  }
  lines.push(
    { text: `${type} ${name}(${io.text});` },
    { text: `${name}.open(${endpointName}.protocol());` },
    { text: '#ifdef _WIN32', directive: true },
    { text: `${name}.set_option(${asioOptionText(program, 'exclusiveaddruse')});` },
    { text: '#else', directive: true },
    { text: `${name}.set_option(${type}::reuse_address(true));` },
    { text: '#endif', directive: true },
    { text: `${name}.bind(${endpointName});` },
    { text: `${name}.listen();` },
  );
  const text = program.text;
  const indent = indentationAt(text, declaration.startIndex);
  const hashIndent = directivesIndented(text) ? indent : '';
  const eol = lineEnding(text);
  const block = lines.map((l, i) => (i === 0 ? '' : l.directive ? hashIndent : indent) + l.text).join(eol);
  return { title, edits: [{ start: declaration.startIndex, end: declaration.endIndex, newText: block }] };
}

// ----- guard-not-windows / remove-option -----

function optionStatement(program: CProgram, facts: FileFacts, option: OptionFact): { call: SyntaxNode; statement: SyntaxNode } | null {
  if (!currentOption(facts, option)) return null;
  const call = nodeAtSpan(program.root, option.span);
  if (call?.type !== 'call_expression' || !/^(setsockopt|set_option)$/.test(calleeName(call))) return null;
  const statement = simpleStatementOf(call);
  return statement ? { call, statement } : null;
}

function guardNotWindows(program: CProgram, facts: FileFacts, option: OptionFact): Fix | null {
  const current = currentOption(facts, option);
  if (!current?.platforms.includes('win32')) return null;
  const found = optionStatement(program, facts, option);
  if (!found) return null;
  const { statement } = found;
  const text = program.text;
  const eol = lineEnding(text);
  const indent = indentationAt(text, statement.startIndex);
  const hashIndent = directivesIndented(text) ? indent : '';
  const start = lineStartAt(text, statement.startIndex);
  const end = lineEndAt(text, statement.endIndex);
  return {
    title: 'Skip SO_REUSEADDR on Windows (#ifndef _WIN32)',
    edits: [
      { start, end: start, newText: `${hashIndent}#ifndef _WIN32${eol}` },
      { start: end, end, newText: `${eol}${hashIndent}#endif` },
    ],
  };
}

function removeOption(program: CProgram, facts: FileFacts, option: OptionFact): Fix | null {
  const current = currentOption(facts, option);
  if (!current) return null;
  const call = nodeAtSpan(program.root, option.span);
  if (call?.type === 'call_expression' && /^uv_udp_bind$/.test(calleeName(call))) {
    const flags = callArguments(call)[2];
    const flag = option.option === 'reuseaddr' || (option.option === 'reuseport' && /UV_UDP_REUSEADDR/.test(flags?.text ?? '') && !/UV_UDP_REUSEPORT/.test(flags?.text ?? '')) ? 'UV_UDP_REUSEADDR' : 'UV_UDP_REUSEPORT';
    if (!flags?.text.includes(flag)) return null;
    const stripped = flags.text.replace(new RegExp(`\\s*\\|\\s*${flag}|${flag}\\s*\\|\\s*`), '');
    return { title: `Remove ${flag}`, edits: [{ start: flags.startIndex, end: flags.endIndex, newText: stripped === flag ? '0' : stripped }] };
  }
  const mode = qtBindModeAt(program, option.span);
  if (mode) return qtDontShare(mode);
  const found = optionStatement(program, facts, option);
  if (!found) return null;
  const block = soleGuardBlock(found.statement) ?? found.statement;
  return { title: 'Remove the option', edits: [deleteLines(program.text, block.startIndex, block.endIndex)] };
}

// ----- Qt UDP -----

/** The BindMode argument of a QUdpSocket::bind at `span`, when the option came from one. */
function qtBindModeAt(program: CProgram, span: Span): SyntaxNode | null {
  const node = nodeAtSpan(program.root, span);
  const call = node?.parent?.type === 'argument_list' ? node.parent.parent : null;
  if (!node || call?.type !== 'call_expression' || calleeName(call) !== 'bind' || !callReceiver(call)) return null;
  return /ShareAddress|ReuseAddressHint/.test(node.text) ? node : null;
}

/** Neither sharing flag: no SO_REUSEADDR on Unix, SO_EXCLUSIVEADDRUSE on Windows. */
function qtDontShare(mode: SyntaxNode): Fix | null {
  const scope = /((?:\w+::)+)(?:DontShareAddress|ShareAddress|ReuseAddressHint)/.exec(mode.text)?.[1] ?? 'QAbstractSocket::';
  const replacement = `${scope}DontShareAddress`;
  if (mode.text.trim() === replacement) return null;
  return { title: `Bind with ${replacement} (no address sharing)`, edits: [{ start: mode.startIndex, end: mode.endIndex, newText: replacement }] };
}
