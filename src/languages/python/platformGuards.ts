// Which platforms a Python statement runs on: enclosing if/elif/else (via the shared guardedPlatforms),
// named flags like `MS_WINDOWS`, `@unittest.skipIf(sys.platform == "win32")` decorators, and early exits
// such as `if os.name == "nt": return` earlier in the block. Also reads platform-dependent values:
// `reuse_port=hasattr(socket, "SO_REUSEPORT")`, `1 if os.name != "nt" else 0`.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect, splitByCondition, type GuardSplit } from '../common/platformGuards';
import { guardedPlatforms } from '../common/treeGuards';
import type { SyntaxNode } from '../treeSitter';
import type { Scope } from './scopes';
import { nodeKey } from './collect';
import { calleeOf, callArguments, insideExpectedFailure, stringValue, unwrap } from './syntax';
import type { Evaluator } from './values';

// Named platform flags people define or import (support.MS_WINDOWS, IS_WINDOWS, _mswindows, IS_MACOS...).
const WINDOWS_FLAG = /\b(?:[A-Za-z]+\.)*_?(?:MS_?WINDOWS|IS_?WINDOWS|ON_?WINDOWS|RUNNING_ON_WINDOWS|WINDOWS|WIN32|IS_?WIN|mswindows|is_?windows|on_?windows|iswindows|is_win)\b/g;
const MAC_FLAG = /\b(?:[A-Za-z]+\.)*_?(?:IS_?MACOS|IS_?OSX|IS_?DARWIN|MACOS|is_?macos|is_?osx|is_?darwin|is_apple)\b/g;

const EXIT_CALLS = /(^|\.)(skipTest|skip|exit|_exit|fail|abort)$/;

export interface EnabledSplit {
  enabled: Platform[];
  disabled: Platform[];
}

export class PythonGuards {
  private readonly exitCache = new Map<string, { end: number; runsAfter: Platform[] }[]>();

  constructor(
    private readonly base: readonly Platform[],
    private readonly moduleScope: Scope,
    private readonly ancestry: ReadonlyMap<string, SyntaxNode[]> = new Map(),
  ) {}

  /** Condition text with named flags spelled out, so the shared splitter recognises them. */
  conditionText = (condition: SyntaxNode): string => {
    let text = condition.text;
    const bare = /^\s*(not\s+)?([A-Za-z_]\w*)\s*$/.exec(text);
    if (bare?.[2]) {
      const defined = this.flagDefinition(bare[2]);
      if (defined !== null) text = `${bare[1] ?? ''}(${defined})`;
    }
    return text.replace(WINDOWS_FLAG, "(sys.platform == 'win32')").replace(MAC_FLAG, "(sys.platform == 'darwin')");
  };

  /** A module-level `FLAG = <platform test>` definition's text, when it is one. */
  private flagDefinition(name: string): string | null {
    const assignments = this.moduleScope.assignments.get(name);
    if (assignments?.length !== 1) return null;
    const value = assignments[0]?.value;
    return value && splitByCondition(value.text) ? value.text : null;
  }

  split(condition: SyntaxNode, negated = false): GuardSplit | null {
    return splitByCondition(this.conditionText(condition), negated);
  }

  /** Platforms on which the statement holding `node` runs. */
  platformsOf(node: SyntaxNode): Platform[] {
    const chain = this.ancestorsOf(node);
    let platforms = guardedPlatforms(node, this.base, { conditionText: this.conditionText, ancestors: chain });
    let child = node;
    for (const parent of chain) {
      if (platforms.length === 0) break;
      if (parent.type === 'block' || parent.type === 'module') platforms = intersect(platforms, this.afterEarlyExits(parent, child));
      if (parent.type === 'decorated_definition') platforms = intersect(platforms, this.decoratorPlatforms(parent));
      child = parent;
    }
    return platforms;
  }

  /** Ancestors recorded by the walk, or found through `Node.parent` for nodes it did not record. */
  ancestorsOf(node: SyntaxNode): readonly SyntaxNode[] {
    const recorded = this.ancestry.get(nodeKey(node));
    if (recorded) return recorded;
    const chain: SyntaxNode[] = [];
    for (let p = node.parent; p; p = p.parent) chain.push(p);
    return chain;
  }

  /** `if os.name == "nt": return` (or raise/skipTest) before `child` in the same block rules Windows out. */
  private afterEarlyExits(block: SyntaxNode, child: SyntaxNode): Platform[] {
    let platforms: Platform[] = [...ALL_PLATFORMS];
    for (const exit of this.earlyExits(block)) {
      if (exit.end <= child.startIndex) platforms = intersect(platforms, exit.runsAfter);
    }
    return platforms;
  }

  /** The platform early exits of a block, read once per block (large modules have thousands of statements). */
  private earlyExits(block: SyntaxNode): { end: number; runsAfter: Platform[] }[] {
    const key = `${block.startIndex}:${block.endIndex}`;
    const cached = this.exitCache.get(key);
    if (cached) return cached;
    const exitsFound: { end: number; runsAfter: Platform[] }[] = [];
    for (const s of block.namedChildren) {
      if (s?.type !== 'if_statement' || s.childrenForFieldName('alternative').length > 0) continue;
      const consequence = s.childForFieldName('consequence');
      const condition = s.childForFieldName('condition');
      if (!consequence || !condition || !exits(consequence)) continue;
      const split = this.split(condition);
      if (split) exitsFound.push({ end: s.endIndex, runsAfter: split.whenFalse });
    }
    this.exitCache.set(key, exitsFound);
    return exitsFound;
  }

  /** `@unittest.skipIf(cond)`, `@unittest.skipUnless(cond)`, `@pytest.mark.skipif(cond)`. */
  private decoratorPlatforms(definition: SyntaxNode): Platform[] {
    let platforms: Platform[] = [...ALL_PLATFORMS];
    for (const decorator of definition.namedChildren) {
      if (decorator?.type !== 'decorator') continue;
      const call = decorator.namedChildren.find((c) => c?.type === 'call');
      const callee = call ? calleeOf(call) : null;
      if (!call || !callee) continue;
      const skipWhenTrue = /^skip[Ii]f$/.test(callee.name);
      const runWhenTrue = callee.name === 'skipUnless';
      if (!skipWhenTrue && !runWhenTrue) continue;
      const condition = callArguments(call).positional[0] ?? callArguments(call).keywords.get('condition');
      if (!condition) continue;
      // pytest also accepts the condition as a string.
      const text = stringValue(condition) ?? this.conditionText(condition);
      const split = splitByCondition(text);
      if (split) platforms = intersect(platforms, skipWhenTrue ? split.whenFalse : split.whenTrue);
    }
    return platforms;
  }

  /**
   * Where a value turns an option on: literals everywhere or nowhere, platform tests where true,
   * `a if <platform test> else b` per branch. Null when it depends on configuration (a parameter,
   * an attribute, an environment variable): the code passes a caller's choice through.
   */
  enabledBy(value: SyntaxNode | null | undefined, scope: Scope, evaluator: Evaluator, depth = 0): EnabledSplit | null {
    const n = unwrap(value);
    if (!n || depth > 6) return null;
    const everywhere = (on: boolean): EnabledSplit => (on ? { enabled: [...ALL_PLATFORMS], disabled: [] } : { enabled: [], disabled: [...ALL_PLATFORMS] });
    switch (n.type) {
      case 'true':
        return everywhere(true);
      case 'false':
      case 'none':
        return everywhere(false);
      case 'integer': {
        const v = evaluator.evaluate(n, scope);
        return v?.kind === 'int' ? everywhere(v.value !== 0) : null;
      }
      case 'identifier': {
        const v = evaluator.evaluate(n, scope);
        if (v?.kind === 'int') return everywhere(v.value !== 0);
        if (v?.kind === 'bool') return everywhere(v.value);
        const assigned = evaluator.assignedExpression(n.text, scope);
        if (assigned === null || assigned === 'parameter') return null;
        return this.enabledBy(assigned.node, assigned.scope, evaluator, depth + 1);
      }
      case 'conditional_expression': {
        const [whenTrue, condition, whenFalse] = n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
        if (!condition) return null;
        const a = this.enabledBy(whenTrue, scope, evaluator, depth + 1);
        const b = this.enabledBy(whenFalse, scope, evaluator, depth + 1);
        if (!a || !b) return null;
        const split = this.split(condition);
        if (!split) return sameSplit(a, b) ? a : null;
        return {
          enabled: ALL_PLATFORMS.filter((p) => (split.whenTrue.includes(p) && a.enabled.includes(p)) || (split.whenFalse.includes(p) && b.enabled.includes(p))),
          disabled: ALL_PLATFORMS.filter((p) => (split.whenTrue.includes(p) && a.disabled.includes(p)) || (split.whenFalse.includes(p) && b.disabled.includes(p))),
        };
      }
      case 'comparison_operator':
      case 'not_operator':
      case 'boolean_operator':
      case 'call': {
        const split = this.split(n);
        if (split) return { enabled: split.whenTrue, disabled: split.whenFalse };
        return null;
      }
      case 'binary_operator':
        // `sock.getsockopt(...) | 1` and the like: the code means to turn it on.
        return everywhere(true);
      default:
        return null;
    }
  }

  /**
   * Inside `if reuse_port:` / `if self.allow_reuse_address and ...`: the option follows a caller's
   * setting, so it is neither a decision of this code nor a missing one.
   */
  isConfigurable(node: SyntaxNode, scope?: Scope): boolean {
    let child = node;
    for (const p of this.ancestorsOf(node)) {
      // Inside `def set_reuse_addr(self):` / `def _set_reuseport(sock):` reuse is what the caller asked
      // for; a function that creates its own socket (`def serve_with_reuse():`) decides for itself.
      if (p.type === 'function_definition') {
        return /reuse/i.test(p.childForFieldName('name')?.text ?? '') && !/\bsocket\s*\(/.test(p.childForFieldName('body')?.text ?? '');
      }
      if (p.type === 'class_definition') return false;
      const inside = child;
      child = p;
      if (p.type !== 'if_statement' && p.type !== 'elif_clause') continue;
      const condition = p.childForFieldName('condition');
      if (!condition || (condition.startIndex <= inside.startIndex && inside.endIndex <= condition.endIndex)) continue;
      // `hasattr(socket, "SO_REUSEPORT")` is a platform test, not a setting.
      const text = condition.text.replace(/\b(?:has|get)attr\s*\([^)]*\)/g, '');
      if (/reuse/i.test(text) && !(scope && switchedOnByDefault(condition, scope))) return true;
    }
    return false;
  }

  /** Inside `with self.assertRaises(...)` / `with pytest.raises(...)`: the code is expected to fail. */
  expectsFailure(node: SyntaxNode): boolean {
    return insideExpectedFailure(this.ancestorsOf(node));
  }
}

/**
 * `if reuse_addr:` / `if reuse_port and hasattr(...)` where the flag is on unless a caller turns it off:
 * a parameter defaulting to True (`def listen(addr, reuse_addr=True)`), or defaulting to None and filled
 * with True in the function (`if reuse_port is None: reuse_port = True`), or a local only ever set to
 * True. The flag must be a plain conjunct of the condition (not `not reuse`, not `reuse is None`).
 */
function switchedOnByDefault(condition: SyntaxNode, scope: Scope): boolean {
  const withoutLookups = (text: string): string => text.replace(/\b(?:has|get)attr\s*\([^)]*\)/g, '');
  const flags = positiveConjuncts(unwrap(condition)).filter((c) => /reuse/i.test(withoutLookups(c.text)));
  const mentioned = withoutLookups(condition.text).match(/[\w.]*reuse\w*/gi) ?? [];
  // Every reuse name in the condition must be such a flag: `reuse_port and not self.reuse_addr` is not.
  if (flags.length === 0 || mentioned.length !== flags.length) return false;
  return flags.every((flag) => flag.type === 'identifier' && flagOnByDefault(flag.text, scope));
}

/** The operands of a chain of `and`, or the condition itself. */
function positiveConjuncts(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.text === 'and') {
    return [...positiveConjuncts(unwrap(node.childForFieldName('left'))), ...positiveConjuncts(unwrap(node.childForFieldName('right')))];
  }
  return [node];
}

function isTrueLiteral(node: SyntaxNode | null | undefined): boolean {
  const n = unwrap(node);
  return n !== null && (n.type === 'true' || (n.type === 'integer' && /^[1-9]\d*$/.test(n.text)));
}

function flagOnByDefault(name: string, scope: Scope): boolean {
  if (scope.kind !== 'function' || scope.globals.has(name)) return false;
  const assigned = scope.assignments.get(name) ?? [];
  if (assigned.some((a) => !isTrueLiteral(a.value))) return false;
  if (!scope.params.has(name)) return assigned.length > 0;
  const parameter = scope.node.childForFieldName('parameters')?.namedChildren
    .find((p) => (p?.type === 'default_parameter' || p?.type === 'typed_default_parameter') && p.childForFieldName('name')?.text === name);
  const fallback = unwrap(parameter?.childForFieldName('value'));
  if (!fallback) return false;
  if (isTrueLiteral(fallback)) return true;
  // None means "not decided": on when the function itself decides True.
  return fallback.type === 'none' && assigned.length > 0;
}

function sameSplit(a: EnabledSplit, b: EnabledSplit): boolean {
  return a.enabled.join() === b.enabled.join() && a.disabled.join() === b.disabled.join();
}

/** Does a block always leave (return, raise, continue, break, skipTest(), sys.exit())? */
function exits(block: SyntaxNode): boolean {
  const last = block.namedChildren.filter((c) => c !== null && c.type !== 'comment').pop();
  if (!last) return false;
  if (['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type)) return true;
  if (last.type === 'expression_statement') {
    const call = last.firstNamedChild;
    const callee = call?.type === 'call' ? calleeOf(call) : null;
    return callee !== null && EXIT_CALLS.test(callee.dotted ?? callee.name);
  }
  return false;
}
