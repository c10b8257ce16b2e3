// Small readers over JavaScript/TypeScript tree-sitter nodes: unwrapping, literals, calls, objects.
import type { SyntaxNode } from '../treeSitter';

/** Wrappers that do not change a value: parentheses and TypeScript-only casts. */
const TRANSPARENT = new Set([
  'parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion',
]);

/** Strips parentheses and type casts: `(x as number)!` reads as `x`. */
export function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  for (let depth = 0; current && depth < 16; depth++) {
    if (!TRANSPARENT.has(current.type)) return current;
    // `x as T` and `<T>x` keep the value as a named child that is not a type node.
    const inner = current.type === 'type_assertion' ? current.namedChild(1) : current.firstNamedChild;
    if (!inner || inner.type === 'comment') return current;
    current = inner;
  }
  return current;
}

/** Like unwrap, and also looks through `await`. */
export function unwrapAwait(node: SyntaxNode | null): SyntaxNode | null {
  let current = unwrap(node);
  for (let depth = 0; current && current.type === 'await_expression' && depth < 4; depth++) {
    current = unwrap(current.firstNamedChild);
  }
  return current;
}

/** The parent, skipping the wrappers unwrap() looks through (and `await`). */
export function valueParent(node: SyntaxNode): SyntaxNode | null {
  let parent = node.parent;
  while (parent && (TRANSPARENT.has(parent.type) || parent.type === 'await_expression')) parent = parent.parent;
  return parent;
}

/** The value of a plain string literal or a template string without substitutions. */
export function stringValue(node: SyntaxNode | null): string | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'string') {
    let out = '';
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_fragment') out += child.text;
      else if (child.type === 'escape_sequence') out += unescape(child.text);
    }
    return out;
  }
  if (n.type === 'template_string') {
    let out = '';
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (child.type === 'template_substitution') return null;
      if (child.type === 'string_fragment') out += child.text;
      else if (child.type === 'escape_sequence') out += unescape(child.text);
    }
    return out;
  }
  return null;
}

function unescape(sequence: string): string {
  const c = sequence.slice(1);
  if (c === 'n') return '\n';
  if (c === 't') return '\t';
  return c;
}

/** The argument nodes of a call or `new` expression, comments left out. */
export function callArguments(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

export interface CalleeParts {
  object: SyntaxNode | null;
  property: string;
  callee: SyntaxNode;
}

/** For `a.b.c(...)` returns `{ object: a.b, property: 'c' }`; for `f(...)` `{ object: null, property: 'f' }`. */
export function calleeParts(call: SyntaxNode): CalleeParts | null {
  let callee = unwrap(call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function'));
  // TypeScript's CommonJS output calls imports as `(0, node_net_1.createServer)()`.
  for (let depth = 0; callee?.type === 'sequence_expression' && depth < 4; depth++) callee = unwrap(callee.lastNamedChild);
  if (!callee) return null;
  if (callee.type === 'identifier') return { object: null, property: callee.text, callee };
  if (callee.type === 'member_expression') {
    const property = callee.childForFieldName('property');
    const object = callee.childForFieldName('object');
    if (!property || !object) return null;
    return { object: unwrap(object), property: property.text, callee };
  }
  return null;
}

/** A property's key as a plain name: `port`, `'port'`, `["port"]`. */
export function propertyKey(property: SyntaxNode): string | null {
  if (property.type === 'shorthand_property_identifier') return property.text;
  if (property.type !== 'pair') return null;
  const key = property.childForFieldName('key');
  if (!key) return null;
  if (key.type === 'property_identifier' || key.type === 'identifier') return key.text;
  if (key.type === 'string') return stringValue(key);
  if (key.type === 'computed_property_name') return stringValue(key.firstNamedChild);
  return null;
}

export interface ObjectEntry {
  key: string;
  /** The pair or shorthand property node (what an option fact spans). */
  node: SyntaxNode;
  /** The value node; for a shorthand `{ port }` the identifier itself. */
  value: SyntaxNode;
}

export interface ObjectShape {
  entries: ObjectEntry[];
  /** True when a spread could bring in keys this reader cannot see. */
  opaqueSpread: boolean;
}

/**
 * Reads an object literal's entries, following spreads of literal objects, including conditional
 * ones such as `...(cond && { reuseAddr: true })` and `...(cond ? { a } : { b })`.
 */
export function objectShape(object: SyntaxNode, resolveObject?: (n: SyntaxNode) => SyntaxNode | null): ObjectShape {
  const shape: ObjectShape = { entries: [], opaqueSpread: false };
  collectEntries(object, shape, resolveObject, 0);
  return shape;
}

function collectEntries(object: SyntaxNode, shape: ObjectShape, resolveObject: ((n: SyntaxNode) => SyntaxNode | null) | undefined, depth: number): void {
  for (const child of object.namedChildren) {
    if (!child) continue;
    if (child.type === 'pair' || child.type === 'shorthand_property_identifier') {
      const key = propertyKey(child);
      const value = child.type === 'pair' ? child.childForFieldName('value') : child;
      if (key !== null && value) shape.entries.push({ key, node: child, value });
    } else if (child.type === 'spread_element') {
      const spread = spreadObjects(child.firstNamedChild, resolveObject, depth);
      if (spread === null) shape.opaqueSpread = true;
      else for (const inner of spread) collectEntries(inner, shape, resolveObject, depth + 1);
    }
  }
}

/** Object literals a spread may contribute, or null when it is not readable. */
function spreadObjects(node: SyntaxNode | null, resolveObject: ((n: SyntaxNode) => SyntaxNode | null) | undefined, depth: number): SyntaxNode[] | null {
  const n = unwrap(node);
  if (!n || depth > 4) return null;
  if (n.type === 'object') return [n];
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text;
    if (op === '&&') return spreadObjects(n.childForFieldName('right'), resolveObject, depth + 1);
    return null;
  }
  if (n.type === 'ternary_expression') {
    const a = spreadObjects(n.childForFieldName('consequence'), resolveObject, depth + 1);
    const b = spreadObjects(n.childForFieldName('alternative'), resolveObject, depth + 1);
    return a && b ? [...a, ...b] : null;
  }
  if ((n.type === 'identifier' || n.type === 'member_expression') && resolveObject) {
    const target = resolveObject(n);
    return target ? [target] : null;
  }
  if (n.type === 'null' || n.type === 'undefined' || n.type === 'false') return [];
  return null;
}

export function findEntry(shape: ObjectShape, key: string): ObjectEntry | undefined {
  // The last one wins, as in JavaScript.
  let found: ObjectEntry | undefined;
  for (const entry of shape.entries) if (entry.key === key) found = entry;
  return found;
}

export function contains(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return outer !== null && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The innermost node of one of `types` that spans exactly [start, end). */
export function nodeAtSpan(root: SyntaxNode, start: number, end: number, types: ReadonlySet<string>): SyntaxNode | null {
  let node = root.descendantForIndex(start, Math.max(start, end - 1));
  while (node) {
    if (node.startIndex === start && node.endIndex === end && types.has(node.type)) return node;
    if (node.startIndex < start || node.endIndex > end) {
      // Climbing further only gets wider.
      if (node.startIndex < start) return null;
    }
    node = node.parent;
  }
  return null;
}
