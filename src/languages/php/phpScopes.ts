// PHP names and their scopes: variables belong to their function (or the file), `$this->x` to the
// class, constants (`const`, `define`, class constants) to the file.
import type { SyntaxNode } from '../treeSitter';

const FUNCTION_SCOPES = new Set(['function_definition', 'method_declaration', 'anonymous_function', 'anonymous_function_creation_expression']);
const CLASS_SCOPES = new Set(['class_declaration', 'trait_declaration', 'interface_declaration', 'enum_declaration']);

/** Scopes around a node, innermost first: the function, the class, then "file". */
export function scopeChain(node: SyntaxNode): string[] {
  const chain: string[] = [];
  let inFunction = false;
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (FUNCTION_SCOPES.has(n.type) && !inFunction) {
      chain.push(`fn@${n.startIndex}`);
      inFunction = true;
    } else if (CLASS_SCOPES.has(n.type)) chain.push(`class@${n.startIndex}`);
  }
  chain.push('file');
  return chain;
}

/** The key a variable or property is tracked under: "s" for `$s`, "->s" for `$this->s`, "A::s" for statics. */
export function variableKey(node: SyntaxNode): string | null {
  if (node.type === 'variable_name') return node.text.replace(/^\$/, '');
  if (node.type === 'member_access_expression' && node.childForFieldName('object')?.text === '$this') {
    const name = node.childForFieldName('name')?.text;
    return name ? `->${name}` : null;
  }
  return null;
}

/** Where a key written at `node` lives: properties in their class, variables in their function or the file. */
export function scopeForKey(key: string, node: SyntaxNode): string {
  const chain = scopeChain(node);
  if (key.startsWith('->')) return chain.find((s) => s.startsWith('class@')) ?? 'file';
  return chain.find((s) => s.startsWith('fn@')) ?? 'file';
}

/** The scopes a use of `key` at `node` can see (PHP functions do not see the file's variables). */
export function visibleScopes(key: string, node: SyntaxNode): string[] {
  const chain = scopeChain(node);
  if (key.startsWith('->')) return [...chain.filter((s) => s.startsWith('class@')), 'file'];
  return [chain.find((s) => s.startsWith('fn@')) ?? 'file'];
}

export interface Binding {
  values: SyntaxNode[];
  external: boolean;
}

export class PhpNames {
  private readonly variables = new Map<string, Binding>();
  private readonly constants = new Map<string, SyntaxNode[]>();

  private binding(key: string, scope: string): Binding {
    const id = `${scope}|${key}`;
    let b = this.variables.get(id);
    if (!b) {
      b = { values: [], external: false };
      this.variables.set(id, b);
    }
    return b;
  }

  assign(key: string, scope: string, value: SyntaxNode): void {
    this.binding(key, scope).values.push(value);
  }

  parameter(key: string, scope: string): void {
    this.binding(key, scope).external = true;
  }

  defineConstant(name: string, value: SyntaxNode): void {
    const list = this.constants.get(name) ?? [];
    list.push(value);
    this.constants.set(name, list);
  }

  /** A variable's value at `offset`: the last assignment before it, or the only one. */
  variableAt(key: string, scopes: readonly string[], offset: number): SyntaxNode | null {
    for (const scope of scopes) {
      const b = this.variables.get(`${scope}|${key}`);
      if (!b) continue;
      // A parameter has the caller's value until the function assigns it.
      const before = b.values.filter((v) => v.startIndex < offset);
      if (before.length > 0) return before[before.length - 1] ?? null;
      return !b.external && b.values.length === 1 ? (b.values[0] ?? null) : null;
    }
    return null;
  }

  /** A constant's value when it is defined once in the file. */
  constant(name: string): SyntaxNode | null {
    const list = this.constants.get(name);
    return list?.length === 1 ? (list[0] ?? null) : null;
  }
}
