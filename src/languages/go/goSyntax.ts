// Small readers of Go syntax nodes shared by the Go extractor, guards and fix writers.
import type { SyntaxNode } from '../treeSitter';

/** Value of a Go string literal (interpreted or raw), or null when the node is not one. */
export function goStringValue(node: SyntaxNode): string | null {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  if (node.type !== 'interpreted_string_literal') return null;
  let out = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'escape_sequence') out += decodeEscape(child.text);
    else out += child.text;
  }
  return out;
}

function decodeEscape(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
  const c = text.slice(1);
  if (c in simple) return simple[c] ?? '';
  const hex = /^(?:x|u|U)([0-9a-fA-F]+)$/.exec(c);
  if (hex?.[1]) return String.fromCodePoint(Number.parseInt(hex[1], 16));
  if (/^[0-7]{3}$/.test(c)) return String.fromCharCode(Number.parseInt(c, 8));
  return c;
}

/** Parses a Go integer literal (decimal, 0x, 0o, 0b, legacy 0-octal, underscores). */
export function goIntValue(text: string): number | null {
  const t = text.replace(/_/g, '').toLowerCase();
  let value: number;
  if (/^0x[0-9a-f]+$/.test(t)) value = Number.parseInt(t.slice(2), 16);
  else if (/^0o[0-7]+$/.test(t)) value = Number.parseInt(t.slice(2), 8);
  else if (/^0b[01]+$/.test(t)) value = Number.parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) value = Number.parseInt(t.slice(1), 8);
  else if (/^\d+$/.test(t)) value = Number.parseInt(t, 10);
  else return null;
  return Number.isSafeInteger(value) ? value : null;
}

/** Strips parentheses around an expression. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** The callee of a call as "pkg.Name" / "recv.Method" / "Name" text with whitespace removed. */
export function calleeText(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn ? fn.text.replace(/\s+/g, '') : '';
}

/** The last identifier of a callee: `net.Listen` → "Listen". */
export function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'selector_expression') return fn.childForFieldName('field')?.text ?? '';
  if (fn.type === 'identifier') return fn.text;
  return '';
}

/** The receiver/package expression of a selector callee: `lc.Listen` → node `lc`. */
export function calleeOperand(call: SyntaxNode): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  if (!fn || fn.type !== 'selector_expression') return null;
  return fn.childForFieldName('operand');
}

/** Call arguments, skipping comments. */
export function callArgs(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments');
  if (!list) return [];
  return list.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

export function namedChildrenOf(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

/** The nearest enclosing node of one of `types`. */
export function ancestorOfType(node: SyntaxNode, types: readonly string[]): SyntaxNode | null {
  let n = node.parent;
  while (n) {
    if (types.includes(n.type)) return n;
    n = n.parent;
  }
  return null;
}

/** The nearest enclosing function (declaration, method or literal). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  return ancestorOfType(node, ['function_declaration', 'method_declaration', 'func_literal']);
}

/** The statement holding `node`: the ancestor whose parent is a statement list or a block. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n?.parent) {
    const t = n.parent.type;
    if (t === 'statement_list' || t === 'block' || t === 'source_file') return n;
    n = n.parent;
  }
  return null;
}

/** True when `inner` lies within `outer`. */
export function within(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The statements of a block (newer grammars wrap them in a statement_list). */
export function blockStatements(block: SyntaxNode | null): SyntaxNode[] {
  if (!block) return [];
  const list = block.namedChildren.find((c) => c?.type === 'statement_list');
  return namedChildrenOf(list ?? block);
}
