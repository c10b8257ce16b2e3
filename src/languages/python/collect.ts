// The one walk over a Python tree: records imports, scopes with their assignments and parameters,
// class definitions, and the calls and assignments that can matter to sockets. Facts are built from
// this record afterwards, without walking the tree again.
import type { SyntaxNode } from '../treeSitter';
import { ImportTable } from './imports';
import { Scope } from './scopes';
import { calleeOf, dottedName, lastName, sequenceItems, unwrap } from './syntax';

export interface CallSite {
  node: SyntaxNode;
  scope: Scope;
  /** The called name: `bind` in `s.bind(...)`, `TCPServer` in `TCPServer(...)`. */
  name: string;
  /** Dotted callee text (`socketserver.TCPServer`), null when the callee is not a plain name chain. */
  dotted: string | null;
  /** Dotted receiver text for method calls (`self.sock` in `self.sock.bind(...)`). */
  receiver: string | null;
  /** Dotted name the result is stored in (`srv = ...`, `with ... as srv`). */
  target: string | null;
}

export interface ClassAttribute {
  /** The assignment statement in the class body. */
  node: SyntaxNode;
  value: SyntaxNode | null;
}

export interface ClassSite {
  name: string;
  node: SyntaxNode;
  /** The class body's own scope. */
  scope: Scope;
  /** The scope the class is defined in (where its name and its bases are looked up). */
  outer: Scope;
  bases: SyntaxNode[];
  attributes: Map<string, ClassAttribute[]>;
  /** Methods by name, as their function scopes. */
  methods: Map<string, Scope>;
}

/** `x.attr = value` for attributes that configure servers (allow_reuse_address...). */
export interface AttributeSet {
  node: SyntaxNode;
  object: string;
  attribute: string;
  value: SyntaxNode | null;
  scope: Scope;
}

/** `a = b` or `a = ctx.wrap_socket(b, ...)`: a second name for the same socket. */
export interface AliasSite {
  target: string;
  source: string;
  scope: Scope;
  start: number;
}

export interface Collected {
  root: SyntaxNode;
  imports: ImportTable;
  moduleScope: Scope;
  calls: CallSite[];
  classes: ClassSite[];
  attributeSets: AttributeSet[];
  aliases: AliasSite[];
  /** Assignments whose target is named like an option constant (`SO_EXCLUSIVEADDRUSE = ...`). */
  constantAssignments: { node: SyntaxNode; name: string; value: SyntaxNode }[];
  /** Ancestors (innermost first, of the kinds in ANCESTOR_TYPES) of every call and assignment, by nodeKey. */
  ancestry: Map<string, SyntaxNode[]>;
}

const CALLS_OF_INTEREST = new Set([
  'socket', 'create_server', 'setsockopt', 'bind', 'listen', 'accept', 'connect', 'connect_ex',
  'recv', 'recvfrom', 'recv_into', 'recvfrom_into', 'recvmsg', 'recvmsg_into', 'sendto',
  'server_bind', 'server_activate', 'start_server', 'create_datagram_endpoint', 'listenTCP', 'listenUDP',
  'listenMulticast', 'listenSSL', 'joinGroup', 'wrap_socket', 'make_server', '__init__', 'add_argument',
  'create_socket', 'set_socket',
]);

const SERVER_ATTRIBUTES = new Set(['allow_reuse_address', 'allow_reuse_port', 'address_family', 'socket_type']);

/** Ancestors readers need: branches and decorators (platforms), blocks (early exits), with (assertRaises), and what holds a call's result. */
const ANCESTOR_TYPES = new Set([
  'module', 'block', 'if_statement', 'elif_clause', 'decorated_definition', 'with_statement', 'function_definition', 'class_definition',
  'assignment', 'await', 'parenthesized_expression', 'as_pattern',
]);

const NODE_TYPES = new Set([
  'import_statement', 'import_from_statement', 'function_definition', 'class_definition', 'assignment',
  'augmented_assignment', 'for_statement', 'with_item', 'global_statement', 'call', 'named_expression',
]);

export function collect(root: SyntaxNode, source: string = root.text): Collected {
  let nextScopeId = 0;
  const moduleScope = new Scope(nextScopeId++, 'module', root, null, '<module>');
  const out: Collected = {
    root,
    imports: new ImportTable(),
    moduleScope,
    calls: [],
    classes: [],
    attributeSets: [],
    aliases: [],
    constantAssignments: [],
    ancestry: new Map(),
  };
  const classByNode = new Map<number, ClassSite>();
  // One query for every node kind of interest (a walk crossing into wasm at each node is several
  // times slower); ancestors and scopes are then rebuilt from the ranges, in document order.
  // `Node.parent` is avoided as well: it searches down from the root, quadratic in long modules.
  const found = root.descendantsOfType([...NODE_TYPES, ...ANCESTOR_TYPES]);
  // endIndex and type each cross into wasm: read them once per node.
  const open: { node: SyntaxNode; end: number; type: string; scope: Scope | null }[] = [];
  const scopes: Scope[] = [moduleScope];
  for (const node of found) {
    if (!node) continue;
    const start = node.startIndex;
    const end = node.endIndex;
    const type = node.type;
    while (open.length > 0) {
      const top = open[open.length - 1];
      if (top && top.node.startIndex <= start && end <= top.end && !(top.node.startIndex === start && top.end === end && top.type === type)) break;
      const closed = open.pop();
      if (closed?.scope) scopes.pop();
    }
    const scope = scopes[scopes.length - 1] ?? moduleScope;
    let opened: Scope | null = null;
    if (type === 'call' || type === 'assignment') out.ancestry.set(`${start}:${end}`, open.map((a) => a.node).reverse());
    switch (type) {
      case 'import_statement':
      case 'import_from_statement':
        out.imports.add(node);
        break;
      case 'function_definition': {
        const name = node.childForFieldName('name')?.text ?? '<function>';
        scope.assign(name, { value: null, start });
        opened = new Scope(nextScopeId++, 'function', node, scope, name);
        addParameters(opened, node.childForFieldName('parameters'));
        if (scope.kind === 'class') classByNode.get(scope.id)?.methods.set(name, opened);
        break;
      }
      case 'class_definition': {
        const name = node.childForFieldName('name')?.text ?? '<class>';
        scope.assign(name, { value: null, start });
        opened = new Scope(nextScopeId++, 'class', node, scope, name);
        const bases = (node.childForFieldName('superclasses')?.namedChildren ?? [])
          .filter((b): b is SyntaxNode => b !== null && b.type !== 'keyword_argument' && b.type !== 'comment');
        const site: ClassSite = { name, node, scope: opened, outer: scope, bases, attributes: new Map(), methods: new Map() };
        out.classes.push(site);
        classByNode.set(opened.id, site);
        break;
      }
      case 'assignment':
        recordAssignment(node, scope, out, classByNode);
        break;
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier') scope.assign(left.text, { value: null, start });
        break;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name')?.text;
        if (name) scope.assign(name, { value: node.childForFieldName('value'), start });
        break;
      }
      case 'for_statement':
        for (const name of targetNames(node.childForFieldName('left'))) scope.assign(name, { value: null, start });
        break;
      case 'with_item': {
        const pattern = node.childForFieldName('value');
        if (pattern?.type === 'as_pattern') {
          const alias = pattern.childForFieldName('alias')?.firstNamedChild;
          const value = pattern.firstNamedChild;
          if (alias?.type === 'identifier') scope.assign(alias.text, { value: null, start });
          const source = dottedName(unwrap(value));
          const target = dottedName(alias);
          if (source && target) out.aliases.push({ target, source, scope, start });
        }
        break;
      }
      case 'global_statement':
        for (const name of node.namedChildren) if (name?.type === 'identifier') scope.globals.add(name.text);
        break;
      case 'call':
        if (mayMatter(source, start)) recordCall(node, scope, out, open);
        break;
    }
    if (opened) scopes.push(opened);
    if (ANCESTOR_TYPES.has(type) || opened) open.push({ node, end, type, scope: opened });
  }
  return out;
}

/** Key of a node in `Collected.ancestry`. */
export function nodeKey(node: SyntaxNode): string {
  return `${node.startIndex}:${node.endIndex}`;
}

function addParameters(scope: Scope, parameters: SyntaxNode | null): void {
  for (const p of parameters?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') scope.params.add(p.text);
    else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const name = p.childForFieldName('name')?.text;
      if (name) scope.params.add(name);
    } else if (p.type === 'typed_parameter' || p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
      const name = p.namedChildren.find((c) => c?.type === 'identifier')?.text;
      if (name) scope.params.add(name);
    }
  }
}

function targetNames(node: SyntaxNode | null): string[] {
  if (!node) return [];
  if (node.type === 'identifier') return [node.text];
  const items = sequenceItems(node);
  return items ? items.flatMap((i) => targetNames(i)) : [];
}

function recordAssignment(node: SyntaxNode, scope: Scope, out: Collected, classes: Map<number, ClassSite>): void {
  const left = node.childForFieldName('left');
  let right = node.childForFieldName('right');
  // `a = b = value`: the innermost right side is the value of every target.
  while (right?.type === 'assignment') right = right.childForFieldName('right');
  if (!left) return;
  if (left.type === 'identifier') {
    scope.assign(left.text, { value: right, start: node.startIndex });
    if (scope.kind === 'class') {
      const site = classes.get(scope.id);
      if (site) {
        const list = site.attributes.get(left.text);
        const attribute: ClassAttribute = { node, value: right };
        if (list) list.push(attribute);
        else site.attributes.set(left.text, [attribute]);
      }
    }
  } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
    const targets = sequenceItems(left) ?? [];
    const values = sequenceItems(right);
    targets.forEach((t, i) => {
      for (const name of targetNames(t)) {
        const value = values && values.length === targets.length && t.type === 'identifier' ? (values[i] ?? null) : null;
        scope.assign(name, { value, start: node.startIndex });
      }
    });
    return;
  } else if (left.type === 'attribute') {
    const attribute = lastName(left);
    const object = dottedName(left.childForFieldName('object'));
    if (attribute && object && SERVER_ATTRIBUTES.has(attribute)) {
      out.attributeSets.push({ node, object, attribute, value: right, scope });
    }
  }
  const name = lastName(left);
  if (name && right && /EXCLUSIVEADDRUSE$/i.test(name)) out.constantAssignments.push({ node, name, value: right });
  recordAlias(left, right, scope, node.startIndex, out);
}

function recordAlias(left: SyntaxNode, right: SyntaxNode | null, scope: Scope, start: number, out: Collected): void {
  const target = dottedName(left);
  const value = unwrap(right);
  if (!target || !value) return;
  let source = dottedName(value);
  if (!source && value.type === 'call') {
    // `conn = ctx.wrap_socket(sock, server_side=True)` keeps the same bound socket.
    const callee = calleeOf(value);
    if (callee?.name === 'wrap_socket') source = dottedName(value.childForFieldName('arguments')?.firstNamedChild);
  }
  if (source && source !== target) out.aliases.push({ target, source, scope, start });
}

/**
 * A look at the call's own text before asking the tree: `print(x)` and `self.assertEqual(...)` are
 * most calls, and reading their callee costs several crossings into wasm. Every name called near
 * the start counts, so chains like `super().__init__(...)` stay in.
 */
const CALLED_NAME = /([A-Za-z_]\w*)\s*\(/g;

function mayMatter(source: string, start: number): boolean {
  // The callee and any chain before it sit on the call's first line.
  const lineEnd = source.indexOf('\n', start);
  const head = source.slice(start, Math.min(start + 200, lineEnd === -1 ? source.length : lineEnd));
  for (const match of head.matchAll(CALLED_NAME)) {
    const name = match[1] ?? '';
    const first = name.charCodeAt(0);
    if ((first >= 65 && first <= 90) || CALLS_OF_INTEREST.has(name) || /reuse/i.test(name)) return true;
  }
  return false;
}

function recordCall(node: SyntaxNode, scope: Scope, out: Collected, open: readonly { node: SyntaxNode }[]): void {
  const callee = calleeOf(node);
  if (!callee) return;
  const first = callee.name.charCodeAt(0);
  const capitalised = first >= 65 && first <= 90;
  // Helpers like `_set_reuseport(sock)` configure reuse where we cannot see it.
  if (!capitalised && !CALLS_OF_INTEREST.has(callee.name) && !/reuse/i.test(callee.name)) return;
  out.calls.push({
    node,
    scope,
    name: callee.name,
    dotted: callee.dotted,
    receiver: dottedName(callee.receiver),
    target: resultTarget(node, open),
  });
}

const same = (a: SyntaxNode | null | undefined, b: SyntaxNode): boolean => a !== null && a !== undefined && a.startIndex === b.startIndex && a.endIndex === b.endIndex;

/** Where a call's result is stored: `x = call()`, `x = await call()`, `with call() as x`. */
function resultTarget(call: SyntaxNode, open: readonly { node: SyntaxNode }[]): string | null {
  let node = call;
  for (let i = open.length - 1; i >= 0; i--) {
    const ancestor = open[i]?.node;
    if (!ancestor) return null;
    const type = ancestor.type;
    if (type === 'await' || type === 'parenthesized_expression') {
      // Only `await call()` / `(call())` themselves, not a call deeper inside them.
      if (!same(ancestor.namedChildren.find((c) => c?.type !== 'comment'), node)) return null;
      node = ancestor;
      continue;
    }
    if (type === 'assignment') return same(ancestor.childForFieldName('right'), node) ? dottedName(ancestor.childForFieldName('left')) : null;
    if (type === 'as_pattern') return same(ancestor.firstNamedChild, node) ? dottedName(ancestor.childForFieldName('alias')?.firstNamedChild) : null;
    return null;
  }
  return null;
}
