// Names in a Java file and the values a reader can see for them: locals, parameters, fields and
// constants, scoped to their method or class. Enough to resolve `PORT`, `this.port` or `addr`.
import type { SyntaxNode } from '../treeSitter';

const FUNCTION_SCOPES = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression']);
const CLASS_SCOPES = new Set(['class_body', 'enum_body', 'interface_body', 'record_declaration', 'enum_body_declarations']);

export interface Declaration {
  name: string;
  scope: string;
  /** Declared type as written ("int", "ServerSocket", "var"), when known. */
  type: string | null;
  /** Values assigned, in document order (the initializer first). */
  values: SyntaxNode[];
  /** Parameters and catch/for variables get their value from outside. */
  external: boolean;
}

/** Scope ids around a node, innermost first, ending with "file". */
export function scopeChain(node: SyntaxNode): string[] {
  const chain: string[] = [];
  for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
    if (FUNCTION_SCOPES.has(n.type)) chain.push(`fn@${n.startIndex}`);
    else if (CLASS_SCOPES.has(n.type)) chain.push(`class@${n.startIndex}`);
  }
  chain.push('file');
  return chain;
}

export class JavaSymbols {
  private readonly byName = new Map<string, Declaration[]>();

  declare(name: string, scope: string, type: string | null, value: SyntaxNode | null, external: boolean): void {
    const list = this.byName.get(name) ?? [];
    const existing = list.find((d) => d.scope === scope);
    if (existing) {
      // A second local of the same name in one method (separate blocks): keep both values.
      if (value) existing.values.push(value);
      existing.external ||= external;
      return;
    }
    list.push({ name, scope, type, values: value ? [value] : [], external });
    this.byName.set(name, list);
  }

  /** Records `name = value` against the declaration it reaches, or a file-level one. */
  assign(name: string, chain: readonly string[], value: SyntaxNode, field: boolean): void {
    const decl = field ? this.fieldDeclaration(name, chain) : this.declarationFor(name, chain);
    if (decl) decl.values.push(value);
    else this.declare(name, 'file', null, value, false);
  }

  declarationFor(name: string, chain: readonly string[]): Declaration | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    for (const scope of chain) {
      const decl = list.find((d) => d.scope === scope);
      if (decl) return decl;
    }
    return undefined;
  }

  /** A field of the enclosing classes (for `this.x`), skipping locals that shadow it. */
  fieldDeclaration(name: string, chain: readonly string[]): Declaration | undefined {
    return this.declarationFor(name, chain.filter((s) => !s.startsWith('fn@')));
  }

  /** `Config.PORT`: a field of any class in this file, when only one class declares it. */
  anyField(name: string): Declaration | undefined {
    const list = (this.byName.get(name) ?? []).filter((d) => d.scope.startsWith('class@') || d.scope === 'file');
    return list.length === 1 ? list[0] : undefined;
  }

  /**
   * The value a reader sees for the declaration at `offset`: the last assignment before it, or the only
   * one there is. Null for parameters and when it cannot be told.
   */
  static valueAt(decl: Declaration, offset: number): SyntaxNode | null {
    // A parameter has the caller's value until the method assigns it.
    const before = decl.values.filter((v) => v.startIndex < offset);
    if (before.length > 0) return before[before.length - 1] ?? null;
    return !decl.external && decl.values.length === 1 ? (decl.values[0] ?? null) : null;
  }
}
