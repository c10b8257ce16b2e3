// Small readers over tree-sitter-python nodes: literals, call arguments, dotted names, statements.
import type { SyntaxNode } from '../treeSitter';

/** The value of a plain string literal ('x', "x", r'x', b'x'); null for f-strings and other nodes. */
export function stringValue(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      const value = stringValue(part);
      if (value === null) return null;
      out += value;
    }
    return out;
  }
  if (node.type !== 'string') return null;
  const match = /^([rRbBuU]{0,2})("""|'''|"|')([\s\S]*)\2$/.exec(node.text);
  if (!match) return null;
  return match[3] ?? '';
}

export interface CallArguments {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
  /** The whole `name=value` nodes, for fixes that edit or remove a keyword. */
  keywordNodes: Map<string, SyntaxNode>;
  /** `*args` or `**kwargs` present: positions after it are unknown. */
  hasSplat: boolean;
}

export function callArguments(call: SyntaxNode): CallArguments {
  const result: CallArguments = { positional: [], keywords: new Map(), keywordNodes: new Map(), hasSplat: false };
  const list = call.childForFieldName('arguments');
  if (!list) return result;
  if (list.type === 'generator_expression') {
    result.positional.push(list);
    return result;
  }
  for (const arg of list.namedChildren) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) {
        result.keywords.set(name, value);
        result.keywordNodes.set(name, arg);
      }
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      result.hasSplat = true;
    } else {
      result.positional.push(arg);
    }
  }
  return result;
}

/** Argument by keyword, else by position (unless a splat came first). */
export function argument(args: CallArguments, keyword: string, position: number): SyntaxNode | null {
  const byName = args.keywords.get(keyword);
  if (byName) return byName;
  return args.positional[position] ?? null;
}

/** "a.b.c" for identifier/attribute chains, null for anything else (calls, subscripts...). */
export function dottedName(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute')?.text;
    return object && attribute ? `${object}.${attribute}` : null;
  }
  return null;
}

/** Last component of a dotted name or the identifier itself. */
export function lastName(node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** The callee of a call split into receiver text (when dotted) and the called name. */
export function calleeOf(call: SyntaxNode): { receiver: SyntaxNode | null; name: string; dotted: string | null } | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return { receiver: null, name: fn.text, dotted: fn.text };
  if (fn.type === 'attribute') {
    const name = fn.childForFieldName('attribute')?.text;
    if (!name) return null;
    return { receiver: fn.childForFieldName('object'), name, dotted: dottedName(fn) };
  }
  return null;
}

/** Strips parentheses around an expression. */
export function unwrap(node: SyntaxNode | null | undefined): SyntaxNode | null {
  let current = node ?? null;
  while (current && current.type === 'parenthesized_expression') {
    current = current.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
  }
  return current;
}

/** The statement holding `node`: the ancestor whose parent is a block or the module. */
export function statementOf(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current;
}

/** Items of a tuple/list expression (or an expression_list on the right of `a, b = 1, 2`). */
export function sequenceItems(node: SyntaxNode | null): SyntaxNode[] | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'tuple' || n.type === 'list' || n.type === 'expression_list' || n.type === 'pattern_list' || n.type === 'tuple_pattern' || n.type === 'list_pattern') {
    return n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
  }
  return null;
}

/** Does the node sit inside `outer` (inclusive)? */
export function within(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

const EXPECTED_FAILURE = new Set(['assertRaises', 'assertRaisesRegex', 'assertRaisesRegexp', 'raises']);

/** Any `with self.assertRaises(...)` / `with pytest.raises(...)` among the ancestors (innermost first). */
export function insideExpectedFailure(ancestors: readonly SyntaxNode[]): boolean {
  for (const p of ancestors) {
    if (p.type === 'function_definition' || p.type === 'class_definition') return false;
    if (p.type !== 'with_statement') continue;
    for (const clause of p.namedChildren) {
      if (clause?.type !== 'with_clause') continue;
      for (const item of clause.namedChildren) {
        let value = item?.childForFieldName('value') ?? null;
        if (value?.type === 'as_pattern') value = value.firstNamedChild;
        const callee = value?.type === 'call' ? calleeOf(value) : null;
        if (callee && EXPECTED_FAILURE.has(callee.name)) return true;
      }
    }
  }
  return false;
}
