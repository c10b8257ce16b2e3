// Whether a statement runs on every path through its method. An option set inside `if (port == 0) {`
// only "may" be set: rules must not treat it as on (or off) at the bind. Platform tests
// (`if (IS_WINDOWS)`) are not such branches: statementGuards turns them into platforms.
import type { Span } from '../../analysis/facts';
import { splitCondition } from '../common/statementGuards';
import type { SyntaxNode } from '../treeSitter';

const BOUNDARY = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression', 'class_body', 'program']);

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * The innermost branch (then/else part, ternary arm, switch case, catch block) holding `node` under a
 * condition that is not a platform test, below `origin` (the socket's creation) and the method; null
 * when `node` runs whenever the code around the socket does.
 */
export function conditionalBranch(node: SyntaxNode, origin: Span | null): SyntaxNode | null {
  let child = node;
  for (let parent = node.parent; parent && !BOUNDARY.has(parent.type); child = parent, parent = parent.parent) {
    if (origin && parent.startIndex <= origin.start && origin.end <= parent.endIndex) return null;
    switch (parent.type) {
      case 'if_statement':
      case 'ternary_expression': {
        const condition = parent.childForFieldName('condition');
        if (!condition || contains(condition, child)) continue;
        if (splitCondition(condition.text) !== null) continue;
        return child;
      }
      case 'switch_block_statement_group':
      case 'switch_rule':
      case 'catch_clause':
        return parent;
      default:
        continue;
    }
  }
  return null;
}

/** Does `span` (a bind) lie in `branch`, so the option before it in the branch is on its every path? */
export function withinBranch(branch: SyntaxNode, span: Span): boolean {
  return branch.startIndex <= span.start && span.end <= branch.endIndex;
}
