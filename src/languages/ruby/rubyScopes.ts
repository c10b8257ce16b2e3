// Ruby names and their scopes: locals belong to their method (or the file), block parameters to
// their block, instance variables to their class, constants and globals to the file.
import type { SyntaxNode } from '../treeSitter';

const METHOD_SCOPES = new Set(['method', 'singleton_method', 'lambda']);
const CLASS_SCOPES = new Set(['class', 'module', 'singleton_class']);
const BLOCK_SCOPES = new Set(['block', 'do_block']);

/** Scopes around a node, innermost first: blocks, then the method, then classes, then "file". */
export function scopeChain(node: SyntaxNode): string[] {
  const chain: string[] = [];
  let inMethod = false;
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (BLOCK_SCOPES.has(n.type) && !inMethod) chain.push(`blk@${n.startIndex}`);
    else if (METHOD_SCOPES.has(n.type) && !inMethod) {
      chain.push(`fn@${n.startIndex}`);
      inMethod = true;
    } else if (CLASS_SCOPES.has(n.type)) chain.push(`class@${n.startIndex}`);
  }
  chain.push('file');
  return chain;
}

/** The scope a name written at `node` is stored in. */
export function scopeFor(name: string, node: SyntaxNode): string {
  const chain = scopeChain(node);
  if (name.startsWith('$') || /^[A-Z]/.test(name)) return 'file';
  if (name.startsWith('@')) return chain.find((s) => s.startsWith('class@')) ?? 'file';
  // Locals live in the method (blocks see them); only block parameters are block-scoped.
  return chain.find((s) => s.startsWith('fn@')) ?? 'file';
}

export interface Binding {
  name: string;
  scope: string;
  values: SyntaxNode[];
  /** Method parameters: the caller decides the value. */
  external: boolean;
}

export class RubyNames {
  private readonly byName = new Map<string, Binding[]>();

  private binding(name: string, scope: string): Binding {
    const list = this.byName.get(name) ?? [];
    let found = list.find((b) => b.scope === scope);
    if (!found) {
      found = { name, scope, values: [], external: false };
      list.push(found);
      this.byName.set(name, list);
    }
    return found;
  }

  assign(name: string, scope: string, value: SyntaxNode): void {
    this.binding(name, scope).values.push(value);
  }

  parameter(name: string, scope: string): void {
    this.binding(name, scope).external = true;
  }

  /** The binding a use of `name` reaches from the scopes around it. */
  lookup(name: string, chain: readonly string[]): Binding | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    if (/^[A-Z$]/.test(name)) return list.length === 1 ? list[0] : list.find((b) => b.scope === 'file');
    for (const scope of chain) {
      const found = list.find((b) => b.scope === scope);
      if (found) return found;
    }
    return undefined;
  }

  /** The last value assigned before `offset`, or the only one; null for parameters. */
  static valueAt(binding: Binding, offset: number): SyntaxNode | null {
    // A parameter has the caller's value until the method assigns it.
    const before = binding.values.filter((v) => v.startIndex < offset);
    if (before.length > 0) return before[before.length - 1] ?? null;
    return !binding.external && binding.values.length === 1 ? (binding.values[0] ?? null) : null;
  }
}
