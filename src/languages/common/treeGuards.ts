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
export function guardedPlatforms(node: SyntaxNode, base: readonly Platform[] = ALL_PLATFORMS): Platform[] {
  let platforms = [...base];
  let child: SyntaxNode = node;
  let parent = node.parent;
  while (parent) {
    const narrowed = branchPlatforms(parent, child);
    if (narrowed) platforms = intersect(platforms, narrowed);
    child = parent;
    parent = parent.parent;
  }
  return platforms;
}

function branchPlatforms(parent: SyntaxNode, child: SyntaxNode): Platform[] | null {
  const type = parent.type;
  if (type === 'preproc_ifdef' || type === 'preproc_if' || type === 'preproc_elif' || type === 'preproc_elifdef') {
    const condition = parent.childForFieldName('condition') ?? parent.childForFieldName('name');
    if (!condition || contains(condition, child)) return null;
    const directive = parent.child(0)?.type ?? '';
    const split = splitByCondition(condition.text, directive === '#ifndef' || directive === '#elifndef');
    if (!split) return null;
    const alternative = parent.childForFieldName('alternative');
    return contains(alternative, child) ? split.whenFalse : split.whenTrue;
  }
  const condition = parent.childForFieldName('condition');
  if (!condition || contains(condition, child)) return null;
  if (!/if|unless|elif|when|ternary|conditional/.test(type)) return null;
  const negated = type.startsWith('unless');
  const split = splitByCondition(condition.text, negated);
  if (!split) return null;
  const alternative = parent.childForFieldName('alternative');
  if (contains(alternative, child)) return split.whenFalse;
  return split.whenTrue;
}
