// Platform guards read off a syntax tree: enclosing `if`/`#ifdef`/`unless` branches narrow the
// platforms on which a node runs.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { intersect, splitByCondition } from './platformGuards';

function contains(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return outer !== null && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * Platforms on which `node` runs, from the branches around it. `base` is the file's own set (from
 * its name or build tags). Works for any grammar whose conditionals expose `condition`, `consequence`
 * and `alternative` fields, plus C preprocessor blocks and Ruby `unless`.
 */
export interface GuardOptions {
  /**
   * The text to test for a condition node. Lets an adapter substitute a named flag's definition
   * (Python `if IS_WINDOWS:` with `IS_WINDOWS = sys.platform == "win32"`). Defaults to the node's text.
   */
  conditionText?: (condition: SyntaxNode) => string;
  /**
   * The node's ancestors, innermost first, when the caller already has them (from a tree-cursor walk).
   * `Node.parent` searches down from the root, which is slow in files with thousands of statements.
   * Only branching ancestors (if/elif/#if...) need to be listed.
   */
  ancestors?: readonly SyntaxNode[];
}

export function guardedPlatforms(node: SyntaxNode, base: readonly Platform[] = ALL_PLATFORMS, options: GuardOptions = {}): Platform[] {
  const textOf = options.conditionText ?? ((c: SyntaxNode) => c.text);
  let platforms = [...base];
  let child: SyntaxNode = node;
  if (options.ancestors) {
    for (const ancestor of options.ancestors) {
      const narrowed = branchPlatforms(ancestor, child, textOf);
      if (narrowed) platforms = intersect(platforms, narrowed);
      child = ancestor;
    }
    return platforms;
  }
  let parent = node.parent;
  while (parent) {
    const narrowed = branchPlatforms(parent, child, textOf);
    if (narrowed) platforms = intersect(platforms, narrowed);
    child = parent;
    parent = parent.parent;
  }
  return platforms;
}

function branchPlatforms(parent: SyntaxNode, child: SyntaxNode, textOf: (c: SyntaxNode) => string): Platform[] | null {
  const type = parent.type;
  if (type === 'preproc_ifdef' || type === 'preproc_if' || type === 'preproc_elif' || type === 'preproc_elifdef') {
    const condition = parent.childForFieldName('condition') ?? parent.childForFieldName('name');
    if (!condition || contains(condition, child)) return null;
    const directive = parent.child(0)?.type ?? '';
    const split = splitByCondition(textOf(condition), directive === '#ifndef' || directive === '#elifndef');
    if (!split) return null;
    const alternative = parent.childForFieldName('alternative');
    return contains(alternative, child) ? split.whenFalse : split.whenTrue;
  }
  const condition = parent.childForFieldName('condition');
  if (!condition || contains(condition, child)) return null;
  if (!/if|unless|elif|when|ternary|conditional/.test(type)) return null;
  const negated = type.startsWith('unless');
  const split = splitByCondition(textOf(condition), negated);
  // Python lists `elif`/`else` clauses side by side as several `alternative` children: a later clause
  // runs only when the `if` condition and every earlier `elif` condition were false.
  const alternatives = parent.childrenForFieldName('alternative');
  const index = alternatives.findIndex((a) => contains(a, child));
  if (index < 0) return split ? split.whenTrue : null;
  let platforms: Platform[] | null = split ? split.whenFalse : null;
  for (const earlier of alternatives.slice(0, index)) {
    const earlierCondition = earlier?.childForFieldName('condition');
    const earlierSplit = earlierCondition ? splitByCondition(textOf(earlierCondition)) : null;
    if (earlierSplit) platforms = intersect(platforms ?? ALL_PLATFORMS, earlierSplit.whenFalse);
  }
  return platforms;
}
