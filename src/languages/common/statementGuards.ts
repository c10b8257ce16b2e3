// Platforms on which a statement runs, read off the syntax tree around it: enclosing if/elseif/else/
// unless branches and ternaries, plus earlier early exits in the same block (`if (IS_WINDOWS) return;`,
// `return if Gem.win_platform?`). Conditions go through splitByCondition after a normalisation that
// understands parenthesised conditions, boolean constants named after Windows and "not found" tests.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { intersect, splitByCondition, type GuardSplit } from './platformGuards';

const CONDITIONAL = /^(if|unless|if_statement|else_if_clause|elsif|elif_clause|if_modifier|unless_modifier|conditional|conditional_expression|ternary_expression|ternary)$/;
const FUNCTION_BOUNDARY = /^(method_declaration|constructor_declaration|compact_constructor_declaration|lambda_expression|method|singleton_method|lambda|function_definition|anonymous_function|anonymous_function_creation_expression|arrow_function|function_declaration|class_declaration|class|module)$/;
const EXIT_NODE = /^(return_statement|throw_statement|break_statement|continue_statement|return|break|next|redo|retry|exit_statement)$/;
const EXIT_CALL = /^(?:System\.exit|exit|exit!|abort|raise|fail|die)$/;

function contains(outer: SyntaxNode | null, inner: SyntaxNode): boolean {
  return outer !== null && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** "(cond)" → "cond" when the outer parentheses enclose the whole condition. */
export function stripOuterParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')') depth--;
      if (depth === 0 && i < t.length - 1) return t;
    }
    t = t.slice(1, -1).trim();
  }
  return t;
}

/**
 * Rewrites idioms splitByCondition does not read into ones it does, and reports whether the rewrite
 * inverted the test (`strpos(PHP_OS, 'WIN') === false`, `os.indexOf("win") < 0`, `RUBY_PLATFORM !~ /mswin/`).
 */
export function normalizeCondition(condition: string): { text: string; flipped: boolean } {
  let flipped = false;
  let text = stripOuterParens(condition);
  // Boolean constants and helpers named after Windows: IS_WINDOWS, isWindows, SystemUtils.IS_OS_WINDOWS.
  text = text.replace(/\b(?:IS|ON|RUNNING_ON)_(?:OS_)?WIN(?:DOWS|32)?\b|\b(?:is|on|running|runningOn)_?[Ww]in(?:dows|32)?\b|\bWINDOWS\b/g, 'windows');
  // PHP's defined('PHP_WINDOWS_VERSION_BUILD') and PHP_OS === 'WINNT'; Ruby's RUBY_PLATFORM =~ /win32/.
  text = text.replace(/\bPHP_WINDOWS_VERSION_\w+|\bWINNT\b|\bwin32\b/g, 'windows');
  text = text.replace(/\b(?:IS|ON)_(?:OS_)?(?:MAC|MACOS|OSX)\b|\bis_?(?:Mac|MacOS|OSX)\b/g, 'darwin');
  text = text.replace(/\b(?:IS|ON)_(?:OS_)?LINUX\b|\bis_?Linux\b/g, 'linux');
  // Path separator tests: DIRECTORY_SEPARATOR === '\\', File.separatorChar == '\\'.
  text = text.replace(/(?:DIRECTORY_SEPARATOR|File\.separatorChar|File\.separator|separatorChar)\s*(===?|!==?)\s*(['"])\\\\\2/g,
    (_m, op: string) => (op.startsWith('!') ? 'windows != 1' : 'windows'));
  text = text.replace(/(['"])\\\\\1\s*(===?|!==?)\s*\\?(?:DIRECTORY_SEPARATOR|File\.separatorChar)/g,
    (_m, _q: string, op: string) => (op.startsWith('!') ? 'windows != 1' : 'windows'));
  text = text.replace(/(?:DIRECTORY_SEPARATOR|File\.separatorChar|File\.separator|separatorChar)\s*(===?|!==?)\s*(['"])\/\2/g,
    (_m, op: string) => (op.startsWith('!') ? 'windows' : 'windows != 1'));
  // Lookups that say "not found": === false, == -1, < 0 flip the test; !== false, >= 0 keep it.
  text = text.replace(/\s*(?:!==?\s*(?:false|FALSE|False)|!==?\s*-1|>=\s*0|>\s*-1)(?![.\w])/g, '');
  text = text.replace(/\s*(?:===?\s*(?:false|FALSE|False)|===?\s*-1|<\s*0)(?![.\w])/g, () => {
    flipped = !flipped;
    return '';
  });
  // Ruby's "does not match".
  text = text.replace(/!~/g, () => {
    flipped = !flipped;
    return '=~';
  });
  return { text, flipped };
}

/** Platform split of a condition's text, or null when the condition is not about the platform. */
export function splitCondition(condition: string, negated = false): GuardSplit | null {
  const { text, flipped } = normalizeCondition(condition);
  return splitByCondition(text, negated !== flipped);
}

function conditionSplit(node: SyntaxNode): GuardSplit | null {
  const condition = node.childForFieldName('condition');
  if (!condition) return null;
  return splitCondition(condition.text, node.type.startsWith('unless'));
}

function alternativesOf(node: SyntaxNode): SyntaxNode[] {
  return node.childrenForFieldName('alternative').filter((n): n is SyntaxNode => n !== null);
}

/** Platforms implied by `child` sitting in a branch of the conditional `parent`, or null. */
function branchPlatforms(parent: SyntaxNode, child: SyntaxNode): Platform[] | null {
  if (!CONDITIONAL.test(parent.type)) return null;
  const condition = parent.childForFieldName('condition');
  if (!condition || contains(condition, child)) return null;
  const alternatives = alternativesOf(parent);
  const index = alternatives.findIndex((a) => contains(a, child));
  const own = conditionSplit(parent);
  if (index < 0) return own ? own.whenTrue : null;
  // In the else part: the condition was false, and so was every earlier `elseif` of a flat chain (PHP).
  let platforms: Platform[] = own ? own.whenFalse : [...ALL_PLATFORMS];
  for (const earlier of alternatives.slice(0, index)) {
    const split = conditionSplit(earlier);
    if (split) platforms = intersect(platforms, split.whenFalse);
  }
  return own || index > 0 ? platforms : null;
}

function isExitCall(node: SyntaxNode): boolean {
  const target = node.type === 'expression_statement' ? node.namedChild(0) : node;
  if (!target) return false;
  if (target.type === 'identifier') return EXIT_CALL.test(target.text);
  if (!/call|invocation/.test(target.type)) return false;
  const callee = target.childForFieldName('function') ?? target.childForFieldName('method') ?? target.childForFieldName('name');
  const receiver = target.childForFieldName('object') ?? target.childForFieldName('receiver');
  const name = receiver ? `${receiver.text}.${callee?.text ?? ''}` : (callee?.text ?? '');
  return EXIT_CALL.test(name);
}

/** True when running `body` always leaves the enclosing block. */
function alwaysExits(body: SyntaxNode | null): boolean {
  if (!body) return false;
  if (EXIT_NODE.test(body.type) || isExitCall(body)) return true;
  const last = body.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment').pop();
  if (!last || last === body) return false;
  return EXIT_NODE.test(last.type) || isExitCall(last);
}

/** Narrowing from `if (windows) return;`-style statements before `child` in its block. */
function earlyExitPlatforms(child: SyntaxNode): Platform[] | null {
  let platforms: Platform[] | null = null;
  for (let sibling = child.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    const statement = sibling;
    if (!CONDITIONAL.test(statement.type) || alternativesOf(statement).length > 0) continue;
    const body = statement.childForFieldName('consequence') ?? statement.childForFieldName('body');
    if (!alwaysExits(body)) continue;
    const split = conditionSplit(statement);
    if (split) platforms = intersect(platforms ?? [...ALL_PLATFORMS], split.whenFalse);
  }
  return platforms;
}

/**
 * Platforms on which `node` runs: `base` (from the file name), narrowed by the branches around it and
 * by early exits before it inside the same function.
 */
export function platformsOf(node: SyntaxNode, base: readonly Platform[] = ALL_PLATFORMS): Platform[] {
  let platforms = [...base];
  let child: SyntaxNode = node;
  let parent = node.parent;
  let insideFunction = true;
  while (parent) {
    const branch = branchPlatforms(parent, child);
    if (branch) platforms = intersect(platforms, branch);
    if (insideFunction) {
      const exits = earlyExitPlatforms(child);
      if (exits) platforms = intersect(platforms, exits);
    }
    if (FUNCTION_BOUNDARY.test(parent.type)) insideFunction = false;
    child = parent;
    parent = parent.parent;
  }
  return platforms;
}
