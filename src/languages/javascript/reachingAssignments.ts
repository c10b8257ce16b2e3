// Which of a variable's assignments can still be its value at a later use, read off the syntax:
// `if (a) s = x(); else s = y(); s.bind()` reaches the bind with both, while a later unconditional
// assignment hides the earlier ones. Loops, try blocks and switches are taken as "may run"; function
// bodies as "runs later", so they neither assign nor hide anything at the use.
import type { SyntaxNode } from '../treeSitter';

export interface Assignment {
  /** The call whose value the variable receives. */
  node: SyntaxNode;
}

const FUNCTIONS = new Set([
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function', 'class_declaration', 'class', 'class_body',
]);
/** Statement lists whose earlier statements run before later ones. */
const SEQUENCES = new Set(['program', 'statement_block', 'switch_case', 'switch_default', 'class_static_block']);
/** Constructs whose parts may run zero times. */
const MAYBE = new Set([
  'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'try_statement', 'switch_statement', 'switch_body',
  'catch_clause', 'finally_clause',
]);
const MAX_DEPTH = 64;

class Flow<T extends Assignment> {
  constructor(private readonly entries: readonly T[]) {}

  private inside(node: SyntaxNode): T[] {
    return this.entries.filter((e) => e.node.startIndex >= node.startIndex && e.node.endIndex <= node.endIndex);
  }

  private isEntry(node: SyntaxNode): T | undefined {
    return this.entries.find((e) => e.node.startIndex === node.startIndex && e.node.endIndex === node.endIndex);
  }

  /** True when running `node` to its end always makes one of the assignments. */
  definite(node: SyntaxNode | null, depth = 0): boolean {
    if (!node || depth > MAX_DEPTH || this.inside(node).length === 0) return false;
    if (this.isEntry(node)) return true;
    if (FUNCTIONS.has(node.type) || MAYBE.has(node.type)) return false;
    switch (node.type) {
      case 'if_statement': {
        if (this.definite(node.childForFieldName('condition'), depth + 1)) return true;
        const alternative = node.childForFieldName('alternative');
        return alternative !== null && this.definite(node.childForFieldName('consequence'), depth + 1) && this.definite(alternative, depth + 1);
      }
      case 'ternary_expression':
        return this.definite(node.childForFieldName('condition'), depth + 1)
          || (this.definite(node.childForFieldName('consequence'), depth + 1) && this.definite(node.childForFieldName('alternative'), depth + 1));
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.text;
        if (op === '&&' || op === '||' || op === '??') return this.definite(node.childForFieldName('left'), depth + 1);
        break;
      }
      default:
        break;
    }
    return node.namedChildren.some((c) => c !== null && this.definite(c, depth + 1));
  }

  /** The assignments made inside `node` that can still hold when it finishes. */
  live(node: SyntaxNode | null, depth = 0): T[] {
    if (!node || depth > MAX_DEPTH || this.inside(node).length === 0) return [];
    const entry = this.isEntry(node);
    if (entry) return [entry];
    if (FUNCTIONS.has(node.type)) return [];
    if (node.type === 'if_statement' || node.type === 'ternary_expression') {
      return [...this.live(node.childForFieldName('consequence'), depth + 1), ...this.live(node.childForFieldName('alternative'), depth + 1)];
    }
    if (MAYBE.has(node.type)) return node.namedChildren.flatMap((c) => (c ? this.live(c, depth + 1) : []));
    // Anything else runs its parts in order: the last part that surely assigns hides the earlier ones.
    const found: T[] = [];
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (!child) continue;
      found.push(...this.live(child, depth + 1));
      if (this.definite(child, depth + 1)) break;
    }
    return found;
  }
}

/**
 * The assignments (made before `use` in the text) that can be the variable's value at `use`; empty when
 * the syntax does not say (the assignments sit in other functions), so callers fall back to text order.
 */
export function reachingAssignments<T extends Assignment>(entries: readonly T[], use: SyntaxNode): T[] {
  const flow = new Flow(entries.filter((e) => e.node.endIndex <= use.startIndex));
  const found: T[] = [];
  let child = use;
  let parent = use.parent;
  for (let depth = 0; parent && depth < MAX_DEPTH * 4; depth++) {
    if (SEQUENCES.has(parent.type)) {
      for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) {
        found.push(...flow.live(s));
        if (flow.definite(s)) return order(found);
      }
    }
    child = parent;
    parent = parent.parent;
  }
  return order(found);
}

function order<T extends Assignment>(found: T[]): T[] {
  return [...new Set(found)].sort((a, b) => a.node.startIndex - b.node.startIndex);
}
