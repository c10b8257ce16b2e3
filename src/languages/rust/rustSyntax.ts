// Small readers of Rust syntax nodes shared by the Rust extractor, guards and fix writers.
import type { SyntaxNode } from '../treeSitter';

export function named(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'line_comment' && c.type !== 'block_comment');
}

/** Value of a string literal (plain or raw), or null. */
export function rustStringValue(node: SyntaxNode): string | null {
  if (node.type === 'raw_string_literal') {
    return named(node).filter((c) => c.type === 'string_content').map((c) => c.text).join('');
  }
  if (node.type !== 'string_literal') return null;
  let out = '';
  for (const child of named(node)) {
    if (child.type === 'escape_sequence') out += decodeEscape(child.text);
    else out += child.text;
  }
  return out;
}

function decodeEscape(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'", '0': '\0' };
  const c = text.slice(1);
  if (c in simple) return simple[c] ?? '';
  const hex = /^x([0-9a-fA-F]{2})$/.exec(c) ?? /^u\{([0-9a-fA-F]+)\}$/.exec(c);
  if (hex?.[1]) return String.fromCodePoint(Number.parseInt(hex[1], 16));
  return '';
}

/** Parses an integer literal with an optional type suffix: 8080, 8_080u16, 0x1F90, 0o17, 0b1. */
export function rustIntValue(text: string): number | null {
  const t = text.replace(/_/g, '').replace(/(?:[iu](?:8|16|32|64|128|size))$/, '').toLowerCase();
  let value: number;
  if (/^0x[0-9a-f]+$/.test(t)) value = Number.parseInt(t.slice(2), 16);
  else if (/^0o[0-7]+$/.test(t)) value = Number.parseInt(t.slice(2), 8);
  else if (/^0b[01]+$/.test(t)) value = Number.parseInt(t.slice(2), 2);
  else if (/^\d+$/.test(t)) value = Number.parseInt(t, 10);
  else return null;
  return Number.isSafeInteger(value) ? value : null;
}

/** Strips parentheses. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = named(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

export function callArgs(call: SyntaxNode): SyntaxNode[] {
  return named(call.childForFieldName('arguments'));
}

/** A method call's name (`s.bind(a)` → "bind"), or null when the call is not a method call. */
export function methodName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'field_expression') return fn.childForFieldName('field')?.text ?? null;
  if (fn?.type === 'generic_function') {
    const inner = fn.childForFieldName('function');
    if (inner?.type === 'field_expression') return inner.childForFieldName('field')?.text ?? null;
  }
  return null;
}

/** A method call's receiver. */
export function receiverOf(call: SyntaxNode): SyntaxNode | null {
  let fn = call.childForFieldName('function');
  if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
  return fn?.type === 'field_expression' ? fn.childForFieldName('value') : null;
}

/** A path call's segments: `tokio::net::TcpListener::bind(..)` → ["tokio", "net", "TcpListener", "bind"]. */
export function pathSegments(call: SyntaxNode): string[] {
  let fn = call.childForFieldName('function');
  if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
  if (!fn || (fn.type !== 'scoped_identifier' && fn.type !== 'identifier')) return [];
  return fn.text.replace(/\s+/g, '').replace(/<[^>]*>/g, '').split('::').filter(Boolean);
}

/** Strips `?`, `.await`, `.unwrap()`, `.expect(..)` around an expression. */
export function unwrapResult(node: SyntaxNode): SyntaxNode {
  let n = unparen(node);
  for (;;) {
    if (n.type === 'try_expression' || n.type === 'await_expression') {
      const inner = named(n)[0];
      if (!inner) return n;
      n = unparen(inner);
      continue;
    }
    // Adapters that keep the Ok value: .unwrap(), .expect(..), .map_err(..), anyhow's .context(..).
    if (n.type === 'call_expression' && /^(?:unwrap|expect|map_err|context|with_context|inspect_err|wrap_err)$/.test(methodName(n) ?? '')) {
      const receiver = receiverOf(n);
      if (!receiver) return n;
      n = unparen(receiver);
      continue;
    }
    return n;
  }
}

export function within(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The statement (child of a block or the file) that holds `node`. */
export function enclosingStatement(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  while (n?.parent) {
    const t = n.parent.type;
    if (t === 'block' || t === 'source_file' || t === 'declaration_list') return n;
    n = n.parent;
  }
  return null;
}

/** The nearest enclosing function item or closure. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  let n = node.parent;
  while (n) {
    if (n.type === 'function_item' || n.type === 'closure_expression') return n;
    n = n.parent;
  }
  return null;
}
