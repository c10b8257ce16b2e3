// One cheap pass over a syntax tree: a cursor walk that materialises only the nodes whose type is
// asked for (creating a Node object for every node is what makes naive walks slow).
import type { SyntaxNode } from '../treeSitter';

/** Calls `visit` on every node whose type is in `types`, in document order. */
export function visitNodes(root: SyntaxNode, types: ReadonlySet<string>, visit: (node: SyntaxNode) => void): void {
  const cursor = root.walk();
  try {
    for (;;) {
      if (types.has(cursor.nodeType)) visit(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Nearest ancestor (or the node itself) whose type matches. */
export function ancestorOfType(node: SyntaxNode, types: ReadonlySet<string>): SyntaxNode | null {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (types.has(n.type)) return n;
  return null;
}

/** The node's range as a fact Span. */
export function spanOf(node: SyntaxNode): { start: number; end: number } {
  return { start: node.startIndex, end: node.endIndex };
}
