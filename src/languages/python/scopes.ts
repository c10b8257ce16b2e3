// Python scopes: which function, class or module a name belongs to, what was assigned to it, and
// stable keys for the variables that hold sockets (`s` in one function, `self.sock` in one class).
import type { SyntaxNode } from '../treeSitter';

export type ScopeKind = 'module' | 'class' | 'function';

export interface Assignment {
  /** The assigned expression; null when not statically known (loop targets, `+=`, `with ... as`). */
  value: SyntaxNode | null;
  start: number;
}

export class Scope {
  readonly params = new Set<string>();
  readonly globals = new Set<string>();
  readonly assignments = new Map<string, Assignment[]>();

  constructor(
    readonly id: number,
    readonly kind: ScopeKind,
    readonly node: SyntaxNode,
    readonly parent: Scope | null,
    readonly name: string,
  ) {}

  /** Records `name = value` made in this scope (or the module for names declared `global`). */
  assign(name: string, assignment: Assignment): void {
    const target = this.kind === 'function' && this.globals.has(name) ? this.module() : this;
    const list = target.assignments.get(name);
    if (list) list.push(assignment);
    else target.assignments.set(name, [assignment]);
  }

  module(): Scope {
    return this.parent ? this.parent.module() : this;
  }

  /** The class a method (or a function nested in one) belongs to, for `self.x` keys. */
  enclosingClass(): Scope | null {
    if (this.kind === 'class') return this;
    return this.parent ? this.parent.enclosingClass() : null;
  }
}

/** The scope a bare name refers to, following Python's lookup (class bodies are skipped from functions). */
export function ownerOf(name: string, scope: Scope): Scope {
  let s: Scope | null = scope;
  let first = true;
  while (s) {
    if (s.kind === 'function' && s.globals.has(name)) return s.module();
    const visible = first || s.kind !== 'class';
    if (visible && (s.params.has(name) || s.assignments.has(name))) return s;
    first = false;
    s = s.parent;
  }
  return scope.module();
}

/**
 * A key naming one variable across the file: `s` in function #3 → "3:s"; `self.sock` anywhere in class
 * #2 → "2:self.sock"; `srv.socket` → key of `srv` plus ".socket".
 */
export function variableKey(dotted: string, scope: Scope): string | null {
  const dot = dotted.indexOf('.');
  const base = dot < 0 ? dotted : dotted.slice(0, dot);
  if (base === 'self' || base === 'cls') {
    const cls = scope.enclosingClass();
    return cls ? `${cls.id}:${dotted}` : null;
  }
  return `${ownerOf(base, scope).id}:${dotted}`;
}
