// Small readers over the tree-sitter C++ grammar (which also parses C): call names, arguments, casts,
// the statement that holds a call.
import type { SyntaxNode } from '../treeSitter';

const CAST_CALLS = new Set(['reinterpret_cast', 'static_cast', 'const_cast', 'dynamic_cast']);

/** Strips parentheses, C casts, C++ named casts and (optionally) a leading `&`. */
export function unwrap(node: SyntaxNode, addressOf = true): SyntaxNode {
  let n = node;
  for (let i = 0; i < 16; i++) {
    if (n.type === 'parenthesized_expression' || n.type === 'condition_clause') {
      const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'cast_expression') {
      const value = n.childForFieldName('value');
      if (!value) return n;
      n = value;
    } else if (n.type === 'pointer_expression' && addressOf && n.child(0)?.type === '&') {
      const arg = n.childForFieldName('argument');
      if (!arg) return n;
      n = arg;
    } else if (n.type === 'call_expression' && isNamedCast(n)) {
      const first = callArguments(n)[0];
      if (!first) return n;
      n = first;
    } else {
      return n;
    }
  }
  return n;
}

function isNamedCast(call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'template_function') return false;
  return CAST_CALLS.has(fn.childForFieldName('name')?.text ?? '');
}

/** Arguments of a call (or an argument_list / initializer_list node), comments and directives skipped. */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  const list = call.type === 'argument_list' || call.type === 'initializer_list' ? call : call.childForFieldName('arguments');
  if (!list) return [];
  return list.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment' && c.type !== 'ERROR');
}

/** The called name: `bind`, `::bind` and `std::bind` give their last segment; methods give the field. */
export function calleeName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  return lastName(fn);
}

function lastName(fn: SyntaxNode): string {
  switch (fn.type) {
    case 'identifier':
    case 'field_identifier':
      return fn.text;
    case 'field_expression':
      return fn.childForFieldName('field')?.text ?? '';
    case 'qualified_identifier': {
      const name = fn.childForFieldName('name');
      return name ? lastName(name) : '';
    }
    case 'template_function':
    case 'template_method':
      return fn.childForFieldName('name')?.text ?? '';
    default:
      return '';
  }
}

/** Scope qualifier of a called name (`std` in `std::bind`, '' for `::bind`), or null when unqualified. */
export function calleeScope(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'qualified_identifier') return null;
  return fn.childForFieldName('scope')?.text ?? '';
}

/** Receiver of a method call (`a` in `a.bind(ep)` or `a->bind(ep)`), or null for plain calls. */
export function callReceiver(call: SyntaxNode): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'field_expression') return null;
  return fn.childForFieldName('argument');
}

/** Expression text without whitespace, `this->` or a leading `&`/`*`, used as a socket's identity. */
export function expressionKey(node: SyntaxNode): string {
  const inner = unwrap(node);
  let text = inner.text.replace(/\s+/g, '');
  text = text.replace(/^this->/, '').replace(/^\(\*this\)\./, '');
  if (inner.type === 'pointer_expression' && text.startsWith('*')) text = text.slice(1);
  return text;
}

/** The identifier a field/subscript/pointer expression starts from (`addr` in `addr.sin_addr.s_addr`). */
export function rootIdentifier(node: SyntaxNode): string | null {
  let n: SyntaxNode | null = unwrap(node);
  for (let i = 0; i < 16 && n; i++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
        return n.text;
      case 'field_expression':
      case 'subscript_expression':
      case 'pointer_expression':
        n = n.childForFieldName('argument') ?? n.namedChild(0);
        if (n?.type === 'this') return null;
        if (n) n = unwrap(n);
        break;
      default:
        return null;
    }
  }
  return null;
}

/** Field names from the root outwards: `addr.sin_addr.s_addr` → ['sin_addr', 's_addr']. */
export function fieldPath(node: SyntaxNode): string[] {
  const path: string[] = [];
  let n: SyntaxNode | null = unwrap(node);
  for (let i = 0; i < 16 && n; i++) {
    if (n.type === 'field_expression') {
      path.unshift(n.childForFieldName('field')?.text ?? '');
      n = n.childForFieldName('argument');
      if (n) n = unwrap(n);
    } else if (n.type === 'subscript_expression') {
      n = n.childForFieldName('argument');
    } else {
      break;
    }
  }
  return path;
}

const BLOCK_PARENTS = new Set([
  'compound_statement', 'translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif',
  'preproc_elifdef', 'case_statement', 'declaration_list', 'field_declaration_list',
]);

/** The statement (directly inside a block) that holds `node`: where lines can be inserted before. */
export function blockStatement(node: SyntaxNode): SyntaxNode | null {
  let child: SyntaxNode = node;
  let parent = node.parent;
  while (parent) {
    if (BLOCK_PARENTS.has(parent.type) && child.type !== 'ERROR') return child;
    if (parent.type === 'function_definition' || parent.type === 'lambda_expression') return null;
    child = parent;
    parent = parent.parent;
  }
  return null;
}

/** Nearest enclosing node of one of the given types. */
export function ancestorOfType(node: SyntaxNode, types: ReadonlySet<string>): SyntaxNode | null {
  let n = node.parent;
  while (n) {
    if (types.has(n.type)) return n;
    n = n.parent;
  }
  return null;
}

/** String content of a literal (`"a"`, `L"a"`, `"a" "b"`, `_T("a")`, `TEXT("a")`), or null. */
export function stringLiteral(node: SyntaxNode): string | null {
  const n = unwrap(node, false);
  if (n.type === 'string_literal' || n.type === 'raw_string_literal') {
    return n.namedChildren.filter((c) => c?.type === 'string_content' || c?.type === 'escape_sequence').map((c) => c?.text ?? '').join('');
  }
  if (n.type === 'concatenated_string') {
    const parts = n.namedChildren.map((c) => (c ? stringLiteral(c) : null));
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (n.type === 'call_expression' && /^(_T|TEXT|_TEXT|L|QStringLiteral|QLatin1String|std::string)$/.test(n.childForFieldName('function')?.text ?? '')) {
    const first = callArguments(n)[0];
    return first ? stringLiteral(first) : null;
  }
  return null;
}
