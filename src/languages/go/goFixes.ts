// Go fix writers. Every fix re-reads the current text, so a fix already applied yields null.
// Options can only be set through ListenConfig.Control in Go: fixes add a SetsockoptInt call to an
// existing Control callback, or rewrite net.Listen/ListenPacket into a ListenConfig whose Control
// sets it, where the result compiles (syscall.SetsockoptInt takes an int fd on Unix only).
import type { FileFacts, OptionFact, ReuseOption } from '../../analysis/facts';
import { effectiveOptions } from '../../analysis/socketModel';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import type { SourceDocument } from '../adapter';
import { deleteLines, indentUnit, indentationAt, lineEnding, lineStartAt } from '../common/textEdits';
import type { GrammarParser, SyntaxNode } from '../treeSitter';
import { extractGoFacts, type GoExtraction } from './goExtract';
import { addImport, importName, removeUnusedImport } from './goImports';
import { goOptionName } from './goSockopts';
import { callArgs, calleeName, calleeOperand, enclosingFunction, enclosingStatement, namedChildrenOf, unparen } from './goSyntax';
import { fixOf, nodeWithSpan } from '../common/fixBuilding';

const OPTION_CONSTANT: Record<Exclude<ReuseOption, 'exclusiveaddruse'>, string> = { reuseaddr: 'SO_REUSEADDR', reuseport: 'SO_REUSEPORT' };
const UNIX_PACKAGE = 'golang.org/x/sys/unix';

interface FixContext {
  doc: SourceDocument;
  root: SyntaxNode;
  current: GoExtraction;
}



export function goFix(doc: SourceDocument, _facts: FileFacts, request: FixRequest, parser: GrammarParser): Fix | null {
  return parser.withTree(doc.text, (root) => {
    const ctx: FixContext = { doc, root, current: extractGoFacts(root, doc.path, doc.text) };
    switch (request.kind) {
      case 'fix-exclusive-constant':
        return fixConstant(ctx, request.constant.valueSpan);
      case 'add-option':
        return addOption(ctx, request.socket.id, request.option);
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

// ---- fix-exclusive-constant ---------------------------------------------------------------------

function fixConstant(ctx: FixContext, valueSpan: { start: number; end: number }): Fix | null {
  const constant = ctx.current.facts.constants.find((c) => c.valueSpan.start === valueSpan.start && c.valueSpan.end === valueSpan.end);
  if (!constant || constant.value === -5 || constant.value === 0xfffffffb) return null;
  const value = nodeWithSpan(ctx.root, valueSpan.start, valueSpan.end);
  if (!value) return null;
  const spec = value.parent?.parent;
  const declared = spec?.childForFieldName('type')?.text ?? null;
  const inner = unparen(value);
  const conversion = inner.type === 'call_expression' && callArgs(inner).length === 1 ? inner.childForFieldName('function')?.text ?? null : null;
  const type = declared ?? conversion;
  // An unsigned type cannot hold -5: write the same bits as ^uint32(0x4).
  const replacement = type && /^(?:uint\d*|uintptr|windows\.DWORD|DWORD)$/.test(type) ? `^${type}(0x4)` : conversion ? `${conversion}(^0x4)` : '^0x4';
  return fixOf('Use ^0x4 (~SO_REUSEADDR, -5) for SO_EXCLUSIVEADDRUSE', [{ start: valueSpan.start, end: valueSpan.end, newText: replacement }]);
}

// ---- helpers to find sockets and Control callbacks -------------------------------------------------

function findSocket(ctx: FixContext, socketId: string): { id: string; call: SyntaxNode } | null {
  const socket = ctx.current.facts.sockets.find((s) => s.id === socketId);
  if (!socket) return null;
  const call = nodeWithSpan(ctx.root, socket.span.start, socket.span.end, 'call_expression');
  return call ? { id: socket.id, call } : null;
}

/** The `func(fd uintptr) {...}` passed to RawConn.Control inside a Control callback. */
function innerControlBody(ctx: FixContext, controlExpr: SyntaxNode): SyntaxNode | null {
  let scope: SyntaxNode | null = unparen(controlExpr);
  if (scope.type === 'identifier') {
    const name = scope.text;
    scope = namedChildrenOf(ctx.root).find((d) => d.type === 'function_declaration' && d.childForFieldName('name')?.text === name) ?? null;
  }
  if (!scope || (scope.type !== 'func_literal' && scope.type !== 'function_declaration')) return null;
  let found: SyntaxNode | null = null;
  const visit = (n: SyntaxNode): void => {
    if (found) return;
    if (n.type === 'call_expression' && calleeName(n) === 'Control') {
      const fn = callArgs(n)[0];
      if (fn?.type === 'func_literal' && /uintptr/.test(fn.childForFieldName('parameters')?.text ?? '')) {
        found = fn.childForFieldName('body');
        return;
      }
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(scope);
  return found;
}

/** SetsockoptInt calls directly in a block. */
function sockoptStatements(body: SyntaxNode): { statement: SyntaxNode; call: SyntaxNode }[] {
  const result: { statement: SyntaxNode; call: SyntaxNode }[] = [];
  const visit = (n: SyntaxNode): void => {
    if (n.type === 'call_expression' && /^Setsockopt/.test(calleeName(n))) {
      const statement = enclosingStatement(n);
      if (statement) result.push({ statement, call: n });
      return;
    }
    if (n.type === 'func_literal') return;
    for (const c of n.namedChildren) if (c) visit(c);
  };
  for (const c of body.namedChildren) if (c) visit(c);
  return result;
}

function statementLines(text: string, statement: SyntaxNode): string {
  return text.slice(lineStartAt(text, statement.startIndex), statement.endIndex);
}

/** A cloned statement should not repeat the original's trailing comments. */
function withoutTrailingComments(snippet: string): string {
  return snippet.split('\n').map((line) => line.replace(/[ \t]*\/\/[^"`\n]*?(\r?)$/, '$1')).join('\n');
}

/** Re-indents a multi-line snippet taken from `from` so that it starts at `indent`. */
function reindent(snippet: string, fromIndent: string, indent: string): string {
  return snippet.split('\n').map((line) => (line.startsWith(fromIndent) ? indent + line.slice(fromIndent.length) : line)).join('\n');
}

/** Does the file compile only where an int file descriptor is right (no Windows build)? */
function unixOnly(ctx: FixContext): boolean {
  return !ctx.current.filePlatforms.includes('win32') || importName(ctx.root, UNIX_PACKAGE) !== null;
}

/** `pkg.SetsockoptInt(int(fd), pkg.SOL_SOCKET, pkg.SO_X, 1)` in a form that compiles here, or null. */
function sockoptCall(ctx: FixContext, option: Exclude<ReuseOption, 'exclusiveaddruse'>, fd: string): { text: string; imports: string[] } | null {
  if (!unixOnly(ctx)) return null;
  const unix = importName(ctx.root, UNIX_PACKAGE);
  // syscall has no SO_REUSEPORT on Linux; only x/sys/unix has it everywhere.
  if (unix) return { text: `${unix}.SetsockoptInt(int(${fd}), ${unix}.SOL_SOCKET, ${unix}.${OPTION_CONSTANT[option]}, 1)`, imports: [] };
  if (option === 'reuseport') return null;
  const sys = importName(ctx.root, 'syscall') ?? 'syscall';
  return { text: `${sys}.SetsockoptInt(int(${fd}), ${sys}.SOL_SOCKET, ${sys}.SO_REUSEADDR, 1)`, imports: ['syscall'] };
}

// ---- add-option ---------------------------------------------------------------------------------------

function optionInEffect(ctx: FixContext, socketId: string, option: ReuseOption): boolean {
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socketId);
  if (!bind) return false;
  return bind.platforms.filter((p) => p !== 'win32').every((p) => effectiveOptions(ctx.current.facts, bind, p).has(option));
}

function addOption(ctx: FixContext, socketId: string, option: Exclude<ReuseOption, 'exclusiveaddruse'>): Fix | null {
  const target = findSocket(ctx, socketId);
  if (!target || optionInEffect(ctx, socketId, option)) return null;
  const socket = ctx.current.facts.sockets.find((s) => s.id === socketId);
  if (!socket) return null;
  const control = ctx.current.controls.get(socketId);
  if (control) return addToControl(ctx, control, option);
  if (socket.api === 'syscall.Socket' || socket.api === 'unix.Socket') return addBeforeRawBind(ctx, socketId, option);
  if (socket.api === 'net.Listen' || socket.api === 'net.ListenPacket') return rewriteIntoListenConfig(ctx, target.call, option, []);
  return null;
}

/** Adds a SetsockoptInt next to the ones an existing Control callback already makes. */
function addToControl(ctx: FixContext, control: SyntaxNode, option: Exclude<ReuseOption, 'exclusiveaddruse'>): Fix | null {
  const body = innerControlBody(ctx, control);
  if (!body) return null;
  const existing = sockoptStatements(body).filter(({ call }) => {
    const pkg = calleeOperand(call)?.text;
    return pkg !== 'windows' && !/Handle\(/.test(callArgs(call)[0]?.text ?? '');
  });
  const model = existing[existing.length - 1];
  if (!model) return null;
  const pkg = calleeOperand(model.call)?.text ?? '';
  if (option === 'reuseport' && pkg !== 'unix') return null;
  const optArg = callArgs(model.call)[2];
  if (!optArg) return null;
  const text = ctx.doc.text;
  const lineStart = lineStartAt(text, model.statement.startIndex);
  const snippet = statementLines(text, model.statement);
  const optStart = optArg.startIndex - lineStart;
  const cloned = withoutTrailingComments(`${snippet.slice(0, optStart)}${pkg}.${OPTION_CONSTANT[option]}${snippet.slice(optArg.endIndex - lineStart)}`);
  const eol = lineEnding(text);
  return fixOf(`Set ${OPTION_CONSTANT[option]} in the Control callback, before bind`, [{ start: model.statement.endIndex, end: model.statement.endIndex, newText: eol + cloned.replace(/\r?\n/g, eol) }]);
}

/** Raw syscall sockets: `SetsockoptInt` just before `Bind`, with the Bind statement's error handling. */
function addBeforeRawBind(ctx: FixContext, socketId: string, option: Exclude<ReuseOption, 'exclusiveaddruse'>): Fix | null {
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socketId);
  const bindCall = bind ? nodeWithSpan(ctx.root, bind.span.start, bind.span.end, 'call_expression') : null;
  if (!bindCall) return null;
  const pkg = calleeOperand(bindCall)?.text ?? 'syscall';
  if (option === 'reuseport' && pkg !== 'unix') return null;
  const fd = callArgs(bindCall)[0]?.text;
  const statement = enclosingStatement(bindCall);
  if (!fd || !statement) return null;
  const text = ctx.doc.text;
  const lineStart = lineStartAt(text, statement.startIndex);
  const snippet = statementLines(text, statement);
  const call = `${pkg}.SetsockoptInt(${fd}, ${pkg}.SOL_SOCKET, ${pkg}.${OPTION_CONSTANT[option]}, 1)`;
  const cloned = withoutTrailingComments(snippet.slice(0, bindCall.startIndex - lineStart) + call + snippet.slice(bindCall.endIndex - lineStart));
  const eol = lineEnding(text);
  return fixOf(`Set ${OPTION_CONSTANT[option]} before bind`, [{ start: lineStart, end: lineStart, newText: cloned.replace(/\r?\n/g, eol) + eol }]);
}

/** The context expression to pass: a `ctx context.Context` parameter in scope, else context.Background(). */
function contextExpression(call: SyntaxNode): string | null {
  let fn = enclosingFunction(call);
  while (fn) {
    for (const param of namedChildrenOf(fn.childForFieldName('parameters'))) {
      if (param.type !== 'parameter_declaration' || !/^context\.Context$/.test(param.childForFieldName('type')?.text ?? '')) continue;
      const name = param.childForFieldName('name')?.text;
      if (name && name !== '_') return name;
    }
    fn = enclosingFunction(fn);
  }
  return null;
}

/** net.Listen(n, a) → (&net.ListenConfig{Control: ...}).Listen(ctx, n, a). */
function rewriteIntoListenConfig(ctx: FixContext, call: SyntaxNode, option: Exclude<ReuseOption, 'exclusiveaddruse'>, extra: TextEdit[]): Fix | null {
  const setter = sockoptCall(ctx, option, 'fd');
  const args = call.childForFieldName('arguments');
  const pkg = calleeOperand(call)?.text;
  if (!setter || !args || !pkg) return null;
  const text = ctx.doc.text;
  const eol = lineEnding(text);
  const indent = indentationAt(text, call.startIndex);
  const unit = indentUnit(text);
  const i1 = indent + unit;
  const i2 = i1 + unit;
  const given = contextExpression(call);
  const contextArg = given ?? 'context.Background()';
  const method = calleeName(call);
  const sys = importName(ctx.root, 'syscall') ?? 'syscall';
  const replacement = [
    `(&${pkg}.ListenConfig{Control: func(_, _ string, c ${sys}.RawConn) error {`,
    `${i1}var opErr error`,
    `${i1}if err := c.Control(func(fd uintptr) {`,
    `${i2}opErr = ${setter.text}`,
    `${i1}}); err != nil {`,
    `${i2}return err`,
    `${i1}}`,
    `${i1}return opErr`,
    `${indent}}}).${method}(${contextArg}, ${args.text.slice(1)}`,
  ].join(eol);
  const imports = [...new Set(['syscall', ...setter.imports, ...(given ? [] : ['context'])])].sort();
  const edits: (TextEdit | null)[] = [...extra, { start: call.startIndex, end: call.endIndex, newText: replacement }];
  for (const path of imports) edits.push(addImport(ctx.root, text, path));
  return fixOf(`Set ${OPTION_CONSTANT[option]} in a net.ListenConfig Control callback, before bind`, mergeInsertions(edits));
}

/** Several imports added at one point become one edit, so applyEdits keeps them all. */
function mergeInsertions(edits: (TextEdit | null)[]): TextEdit[] {
  const result: TextEdit[] = [];
  for (const e of edits) {
    if (!e) continue;
    const same = result.find((r) => r.start === e.start && r.end === e.end && r.start === r.end);
    if (same) same.newText += e.newText;
    else result.push({ ...e });
  }
  return result;
}

// ---- move-before-bind -------------------------------------------------------------------------------

function findOption(ctx: FixContext, option: OptionFact): OptionFact | null {
  return ctx.current.facts.options.find((o) => o.span.start === option.span.start && o.span.end === option.span.end && o.option === option.option) ?? null;
}

function moveBeforeBind(ctx: FixContext, option: OptionFact): Fix | null {
  const current = findOption(ctx, option);
  if (!current || current.timing !== 'after' || current.option === 'exclusiveaddruse') return null;
  const socket = ctx.current.facts.sockets.find((s) => s.id === current.socketId);
  const bind = ctx.current.facts.binds.find((b) => b.socketId === current.socketId);
  const call = nodeWithSpan(ctx.root, current.span.start, current.span.end, 'call_expression');
  const statement = call ? enclosingStatement(call) : null;
  if (!socket || !bind || !statement) return null;
  const text = ctx.doc.text;
  if (!bind.bindsAtCreation) {
    // Raw socket: move the statement above the Bind statement.
    const bindCall = nodeWithSpan(ctx.root, bind.span.start, bind.span.end, 'call_expression');
    const bindStatement = bindCall ? enclosingStatement(bindCall) : null;
    if (!bindStatement || bindStatement.parent?.id !== statement.parent?.id) return null;
    const from = lineStartAt(text, statement.startIndex);
    const snippet = reindent(text.slice(from, statement.endIndex), indentationAt(text, statement.startIndex), indentationAt(text, bindStatement.startIndex));
    const to = lineStartAt(text, bindStatement.startIndex);
    return fixOf(`Set ${OPTION_CONSTANT[current.option]} before bind`, [deleteLines(text, statement.startIndex, statement.endIndex), { start: to, end: to, newText: snippet + lineEnding(text) }]);
  }
  // Set through SyscallConn/File after Listen: drop it there and set it in a Control callback.
  const removal = removalEdit(text, statement, call);
  if (!removal) return null;
  if (current.enabled && optionInEffect(ctx, socket.id, current.option)) {
    // net.Listen already sets SO_REUSEADDR on Unix: the late call only has to go.
    const pkg = call ? calleeOperand(call)?.text : undefined;
    const unused = pkg ? removeUnusedImport(ctx.root, text, pkg, { start: removal.start, end: removal.end }) : null;
    return fixOf(`Remove the late ${OPTION_CONSTANT[current.option]} (${socket.api} already sets it where it matters)`, [removal, unused]);
  }
  const creator = nodeWithSpan(ctx.root, socket.span.start, socket.span.end, 'call_expression');
  if (!creator || (socket.api !== 'net.Listen' && socket.api !== 'net.ListenPacket')) return null;
  return rewriteIntoListenConfig(ctx, creator, current.option, [removal]);
}

// ---- guard-not-windows / remove-option ------------------------------------------------------------

function guardNotWindows(ctx: FixContext, option: OptionFact): Fix | null {
  const current = findOption(ctx, option);
  if (!current || !current.platforms.includes('win32')) return null;
  // In a Windows-only file a guard would leave dead code: take the option out instead.
  if (ctx.current.filePlatforms.every((p) => p === 'win32')) return removeOption(ctx, option, 'Remove SO_REUSEADDR (it allows port hijacking on Windows)');
  const call = nodeWithSpan(ctx.root, current.span.start, current.span.end, 'call_expression');
  const statement = call ? enclosingStatement(call) : null;
  if (!statement || statement.type === 'short_var_declaration' || statement.type === 'return_statement') return null;
  const text = ctx.doc.text;
  const eol = lineEnding(text);
  const indent = indentationAt(text, statement.startIndex);
  const unit = indentUnit(text);
  const from = lineStartAt(text, statement.startIndex);
  const body = reindent(text.slice(from, statement.endIndex), indent, indent + unit).replace(/\r?\n/g, eol);
  const runtime = importName(ctx.root, 'runtime') ?? 'runtime';
  const wrapped = `${indent}if ${runtime}.GOOS != "windows" {${eol}${body}${eol}${indent}}`;
  return fixOf('Skip SO_REUSEADDR on Windows (it allows port hijacking there)', [
    { start: from, end: statement.endIndex, newText: wrapped },
    addImport(ctx.root, text, 'runtime'),
  ]);
}

/** Deletes a statement: its whole lines when it has them to itself, else just its text. */
function deleteStatement(text: string, statement: SyntaxNode): TextEdit {
  const before = text.slice(lineStartAt(text, statement.startIndex), statement.startIndex);
  const nl = text.indexOf('\n', statement.endIndex);
  const after = text.slice(statement.endIndex, nl < 0 ? text.length : nl);
  if (/^[ \t]*$/.test(before) && /^[ \t;]*\r?$/.test(after)) return deleteLines(text, statement.startIndex, statement.endIndex);
  return { start: statement.startIndex, end: statement.endIndex, newText: '' };
}

/** Edit that takes a setsockopt statement out while keeping the code compiling. */
function removalEdit(text: string, statement: SyntaxNode, call: SyntaxNode | null): TextEdit | null {
  if (!call) return null;
  switch (statement.type) {
    case 'expression_statement':
    case 'assignment_statement':
    case 'if_statement':
      return deleteStatement(text, statement);
    case 'return_statement':
    case 'short_var_declaration':
      // Keep the variable or the return: the call becomes a nil error.
      return { start: call.startIndex, end: call.endIndex, newText: statement.type === 'return_statement' ? 'nil' : 'error(nil)' };
    default:
      return null;
  }
}

function removeOption(ctx: FixContext, option: OptionFact, title?: string): Fix | null {
  const current = findOption(ctx, option);
  if (!current || !current.enabled) return null;
  const call = nodeWithSpan(ctx.root, current.span.start, current.span.end, 'call_expression');
  const statement = call ? enclosingStatement(call) : null;
  if (!call || !statement) return null;
  const text = ctx.doc.text;
  const removal = removalEdit(text, statement, call);
  if (!removal) return null;
  const pkg = calleeOperand(call)?.text;
  const unused = pkg ? removeUnusedImport(ctx.root, text, pkg, { start: removal.start, end: removal.end }) : null;
  const name = goOptionName(callArgs(call)[2]?.text ?? '') === 'reuseport' ? 'SO_REUSEPORT' : 'SO_REUSEADDR';
  return fixOf(title ?? `Remove ${name} from this socket`, [removal, unused]);
}

// ---- add-exclusive ---------------------------------------------------------------------------------

/** SO_EXCLUSIVEADDRUSE next to an existing Windows SetsockoptInt in the socket's Control callback. */
function addExclusive(ctx: FixContext, socketId: string): Fix | null {
  const control = ctx.current.controls.get(socketId);
  const bind = ctx.current.facts.binds.find((b) => b.socketId === socketId);
  if (!control || !bind || !bind.platforms.includes('win32')) return null;
  const effective = effectiveOptions(ctx.current.facts, bind, 'win32');
  // Windows rejects SO_EXCLUSIVEADDRUSE on a socket that has SO_REUSEADDR.
  if (effective.has('exclusiveaddruse') || effective.has('reuseaddr')) return null;
  const body = innerControlBody(ctx, control);
  if (!body) return null;
  const model = sockoptStatements(body).find(({ call }) => calleeOperand(call)?.text === 'windows' || /Handle\(/.test(callArgs(call)[0]?.text ?? ''));
  const optArg = model ? callArgs(model.call)[2] : undefined;
  if (!model || !optArg) return null;
  const pkg = calleeOperand(model.call)?.text ?? 'syscall';
  const text = ctx.doc.text;
  const lineStart = lineStartAt(text, model.statement.startIndex);
  const snippet = statementLines(text, model.statement);
  const cloned = withoutTrailingComments(`${snippet.slice(0, optArg.startIndex - lineStart)}^${pkg}.SO_REUSEADDR${snippet.slice(optArg.endIndex - lineStart)}`);
  const eol = lineEnding(text);
  return fixOf('Set SO_EXCLUSIVEADDRUSE (^SO_REUSEADDR) on Windows before bind', [{ start: model.statement.endIndex, end: model.statement.endIndex, newText: eol + cloned.replace(/\r?\n/g, eol) }]);
}
