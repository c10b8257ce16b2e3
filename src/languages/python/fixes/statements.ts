// Statement-level Python edits: wrap in an `if`, delete (leaving `pass` in an emptied block), add or
// drop a keyword argument, add or change a class attribute.
import type { TextEdit } from '../../../analysis/fixes';
import type { SyntaxNode } from '../../treeSitter';
import type { ClassSite } from '../collect';
import { stringValue } from '../syntax';
import type { FixContext } from './fixContext';

/** Wraps a statement that starts its own line in `if <condition>:`, indenting its lines one step. */
export function wrapInIf(ctx: FixContext, statement: SyntaxNode, condition: string): TextEdit {
  const { start, end, text } = ctx.statementLines(statement);
  const indent = ctx.indentOf(statement);
  const body = text.split(/(?<=\n)/).map((line) => (line.trim() === '' ? line : ctx.unit + line)).join('');
  const trailing = body.endsWith('\n') ? '' : ctx.eol;
  return { start, end, newText: `${indent}if ${condition}:${ctx.eol}${body}${trailing}` };
}

/** Statements of a block, comments left out. */
function statementsOf(block: SyntaxNode): SyntaxNode[] {
  return block.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/**
 * Removes a statement. When it is the only one in a branch of a single-branch `if`, the `if` goes too;
 * when it is the only one in any other block, `pass` keeps the block valid.
 */
export function deleteStatement(ctx: FixContext, statement: SyntaxNode): TextEdit | null {
  const block = statement.parent;
  if (!block) return null;
  const own = ctx.statementLines(statement);
  // Another statement on the same line (`a; b`): leave it to a human.
  if (!/^[ \t]*$/.test(ctx.text.slice(own.start, statement.startIndex))) return null;
  if (block.type === 'module' || statementsOf(block).length > 1) return { start: own.start, end: own.end, newText: '' };
  const owner = block.parent;
  if (owner?.type === 'if_statement' && owner.childrenForFieldName('alternative').length === 0 && owner.parent && statementsOf(owner.parent).length > 1) {
    const whole = ctx.statementLines(owner);
    return { start: whole.start, end: whole.end, newText: '' };
  }
  return { start: own.start, end: own.end, newText: `${ctx.indentOf(statement)}pass${ctx.eol}` };
}

/** Adds `name=value` to a call, or changes its value when the keyword is there. */
export function setKeywordArgument(ctx: FixContext, call: SyntaxNode, name: string, value: string): TextEdit | null {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return null;
  const args = list.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
  const existing = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  const existingValue = existing?.childForFieldName('value');
  if (existingValue) return existingValue.text === value ? null : ctx.replace(existingValue, value);
  // `**kwargs` may already carry the keyword: a second one is a TypeError.
  if (args.some((a) => a.type === 'dictionary_splat')) return null;
  const last = args[args.length - 1];
  const close = list.lastChild;
  if (!close || close.type !== ')') return null;
  if (!last) return { start: close.startIndex, end: close.startIndex, newText: `${name}=${value}` };
  const afterLast = ctx.text.slice(last.endIndex, close.startIndex);
  const trailingComma = afterLast.trimStart().startsWith(',');
  const multiline = afterLast.includes('\n');
  if (multiline) {
    const indent = ctx.indentOf(last);
    const at = trailingComma ? last.endIndex + afterLast.indexOf(',') + 1 : last.endIndex;
    return { start: at, end: at, newText: `${trailingComma ? '' : ','}${ctx.eol}${indent}${name}=${value}${trailingComma ? ',' : ''}` };
  }
  const at = trailingComma ? last.endIndex + afterLast.indexOf(',') + 1 : last.endIndex;
  return { start: at, end: at, newText: trailingComma ? ` ${name}=${value},` : `, ${name}=${value}` };
}

/** Removes a keyword argument and the comma that joins it to its neighbours. */
export function removeKeywordArgument(ctx: FixContext, keyword: SyntaxNode): TextEdit {
  const text = ctx.text;
  let start = keyword.startIndex;
  let end = keyword.endIndex;
  const after = /^\s*,[ \t]*/.exec(text.slice(end));
  if (after) {
    end += after[0].length;
    // Keep the next argument's own line when arguments sit one per line.
    if (text[end] === '\n' || text.slice(end, end + 2) === '\r\n') {
      start = text.lastIndexOf('\n', start - 1) + 1;
      end = text.indexOf('\n', end) + 1;
    }
  } else {
    const before = /,\s*$/.exec(text.slice(0, start));
    if (before) start -= before[0].length;
  }
  return { start, end, newText: '' };
}

/** The first statement of a class or function body, after its docstring. */
function firstBodyStatement(definition: SyntaxNode): SyntaxNode | null {
  const body = definition.childForFieldName('body');
  if (!body) return null;
  const statements = statementsOf(body);
  const first = statements[0];
  if (first?.type === 'expression_statement' && first.firstNamedChild && stringValue(first.firstNamedChild) !== null) return statements[1] ?? null;
  return first ?? null;
}

/** Lines inserted at the top of a class or function body (after a docstring), indented like the body. */
export function insertAtBodyTop(ctx: FixContext, definition: SyntaxNode, lines: readonly string[]): TextEdit | null {
  const body = definition.childForFieldName('body');
  if (!body) return null;
  // `class S(TCPServer): pass` on one line: no body line to indent like.
  if (ctx.text.slice(definition.startIndex, body.startIndex).includes('\n') === false) return null;
  const first = firstBodyStatement(definition);
  if (first) return ctx.insertBefore(first, lines);
  // Only a docstring: insert after it.
  const docstring = statementsOf(body)[0];
  if (!docstring) return null;
  const indent = ctx.indentOf(docstring);
  const at = ctx.afterLine(docstring.endIndex);
  return { start: at, end: at, newText: lines.map((l) => (l === '' ? '' : indent + l) + ctx.eol).join('') };
}

/** Sets a class attribute in the class's own body: changes its value, or adds the line. */
export function setClassAttribute(ctx: FixContext, site: ClassSite, name: string, value: string): TextEdit | null {
  const own = (site.attributes.get(name) ?? []).filter((a) => a.node.parent?.parent?.parent?.startIndex === site.node.startIndex);
  const current = own[own.length - 1];
  if (current?.value) return current.value.text === value ? null : ctx.replace(current.value, value);
  return insertAtBodyTop(ctx, site.node, [`${name} = ${value}`]);
}
