// Small pieces every fix writer needs: find the node a fact's span names, and assemble a fix from
// edits some of which turned out unnecessary.
import type { Fix, TextEdit } from '../../analysis/fixes';
import type { SyntaxNode } from '../treeSitter';

/** The node with exactly this span (the smallest such, of `type` when given), or null. */
export function nodeWithSpan(root: SyntaxNode, start: number, end: number, type?: string): SyntaxNode | null {
  let n: SyntaxNode | null = root.descendantForIndex(start, Math.max(start, end - 1));
  while (n && !(n.startIndex === start && n.endIndex === end && (!type || n.type === type))) {
    if (n.startIndex < start || n.endIndex > end) return null;
    n = n.parent;
  }
  return n;
}

/** A fix from the edits that are needed; null when none is. */
export function fixOf(title: string, edits: readonly (TextEdit | null)[]): Fix | null {
  const real = edits.filter((e): e is TextEdit => e !== null);
  return real.length > 0 ? { title, edits: real } : null;
}
