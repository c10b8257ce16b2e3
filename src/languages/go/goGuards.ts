// runtime.GOOS guards around a Go node: `if runtime.GOOS == "windows" {...} else {...}`,
// `switch runtime.GOOS { case "linux": ... }` and early exits such as
// `if runtime.GOOS == "windows" { return nil }` / `t.Skip(...)` before the node.
import type { Platform } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { splitRuntimeCondition, triAnd, triNot, triOr, type Tri } from './goPlatforms';
import { blockStatements, calleeText, goStringValue, namedChildrenOf, unparen, within } from './goSyntax';

function isGoosExpr(node: SyntaxNode): boolean {
  return unparen(node).text.replace(/\s+/g, '') === 'runtime.GOOS';
}

/** Evaluates a condition for one GOOS value; null where it depends on anything else. */
export function evalGoosCondition(node: SyntaxNode, goos: string): Tri {
  const n = unparen(node);
  if (n.type === 'unary_expression' && n.child(0)?.type === '!') {
    const operand = n.childForFieldName('operand');
    return operand ? triNot(evalGoosCondition(operand, goos)) : null;
  }
  if (n.type !== 'binary_expression') return null;
  const op = n.childForFieldName('operator')?.type ?? '';
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  if (!left || !right) return null;
  if (op === '&&') return triAnd(evalGoosCondition(left, goos), evalGoosCondition(right, goos));
  if (op === '||') return triOr(evalGoosCondition(left, goos), evalGoosCondition(right, goos));
  if (op !== '==' && op !== '!=') return null;
  const literal = isGoosExpr(left) ? goStringValue(unparen(right)) : isGoosExpr(right) ? goStringValue(unparen(left)) : null;
  if (literal === null) return null;
  return (literal === goos) === (op === '==');
}

function mentionsGoos(node: SyntaxNode): boolean {
  return node.text.includes('GOOS');
}

function conditionSplit(condition: SyntaxNode): { whenTrue: Platform[]; whenFalse: Platform[] } | null {
  if (!mentionsGoos(condition)) return null;
  return splitRuntimeCondition((goos) => evalGoosCondition(condition, goos));
}

const EXIT_CALLS = /^(?:\w+\.(?:Skip|Skipf|SkipNow|Fatal|Fatalf|FailNow)|log\.(?:Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)|os\.Exit|panic)$/;

/** Does the block always leave the enclosing scope (return, panic, t.Skip, continue...)? */
export function blockExits(block: SyntaxNode | null): boolean {
  const last = blockStatements(block).pop();
  if (!last) return false;
  if (['return_statement', 'goto_statement', 'continue_statement', 'break_statement'].includes(last.type)) return true;
  if (last.type === 'expression_statement') {
    const call = namedChildrenOf(last)[0];
    return call?.type === 'call_expression' && EXIT_CALLS.test(calleeText(call));
  }
  return false;
}

function switchCasePlatforms(switchNode: SyntaxNode, caseNode: SyntaxNode): Platform[] | null {
  const value = switchNode.childForFieldName('value');
  const cases = namedChildrenOf(switchNode).filter((c) => c.type === 'expression_case' || c.type === 'default_case');
  const valuesOf = (c: SyntaxNode): SyntaxNode[] => namedChildrenOf(c.childForFieldName('value'));
  // `switch runtime.GOOS { case "a", "b": }` or `switch { case runtime.GOOS == "a": }`.
  const matches = (c: SyntaxNode, goos: string): Tri => {
    let result: Tri = false;
    for (const v of valuesOf(c)) {
      let r: Tri;
      if (value) {
        if (!isGoosExpr(value)) return null;
        const s = goStringValue(unparen(v));
        r = s === null ? null : s === goos;
      } else {
        r = evalGoosCondition(v, goos);
      }
      result = triOr(result, r);
    }
    return result;
  };
  if (value && !isGoosExpr(value)) return null;
  if (!value && !cases.some((c) => valuesOf(c).some(mentionsGoos))) return null;
  const predicate = (goos: string): Tri => {
    if (caseNode.type === 'expression_case') {
      // Earlier cases win: this one runs only where no earlier one matched.
      let earlier: Tri = false;
      for (const c of cases) {
        if (c === caseNode || c.startIndex === caseNode.startIndex) break;
        if (c.type === 'expression_case') earlier = triOr(earlier, matches(c, goos));
      }
      return triAnd(triNot(earlier), matches(caseNode, goos));
    }
    let any: Tri = false;
    for (const c of cases) if (c.type === 'expression_case') any = triOr(any, matches(c, goos));
    return triNot(any);
  };
  return splitRuntimeCondition(predicate).whenTrue;
}

interface EarlyExit {
  start: number;
  whenFalse: Platform[];
}

/** Per statement list: its `if <goos test> { exit }` statements, computed once per extraction. */
export type GuardCache = Map<number, EarlyExit[]>;

function earlyExits(list: SyntaxNode, cache: GuardCache | undefined): EarlyExit[] {
  const cached = cache?.get(list.id);
  if (cached) return cached;
  const exits: EarlyExit[] = [];
  for (const stmt of namedChildrenOf(list)) {
    if (stmt.type !== 'if_statement' || stmt.childForFieldName('alternative')) continue;
    const condition = stmt.childForFieldName('condition');
    if (!condition || !blockExits(stmt.childForFieldName('consequence'))) continue;
    const split = conditionSplit(condition);
    if (split) exits.push({ start: stmt.startIndex, whenFalse: split.whenFalse });
  }
  cache?.set(list.id, exits);
  return exits;
}

/** Narrowing from early exits that come before `child` in its list. */
function earlyExitPlatforms(list: SyntaxNode, child: SyntaxNode, cache: GuardCache | undefined): Platform[] | null {
  let result: Platform[] | null = null;
  for (const exit of earlyExits(list, cache)) {
    if (exit.start >= child.startIndex) break;
    result = result ? result.filter((p) => exit.whenFalse.includes(p)) : exit.whenFalse;
  }
  return result;
}

/** Platforms on which `node` runs given the GOOS guards around it; `base` is the file's own set. */
export function goGuardedPlatforms(node: SyntaxNode, base: readonly Platform[], cache?: GuardCache): Platform[] {
  let platforms = [...base];
  const narrow = (set: Platform[] | null): void => {
    if (set) platforms = platforms.filter((p) => set.includes(p));
  };
  let child: SyntaxNode = node;
  let parent = node.parent;
  while (parent && platforms.length > 0) {
    if (parent.type === 'if_statement') {
      const condition = parent.childForFieldName('condition');
      const split = condition && !within(condition, child) ? conditionSplit(condition) : null;
      if (split) {
        const consequence = parent.childForFieldName('consequence');
        const alternative = parent.childForFieldName('alternative');
        if (consequence && within(consequence, child)) narrow(split.whenTrue);
        else if (alternative && within(alternative, child)) narrow(split.whenFalse);
      }
    } else if ((parent.type === 'expression_case' || parent.type === 'default_case') && parent.parent?.type === 'expression_switch_statement') {
      narrow(switchCasePlatforms(parent.parent, parent));
    } else if (parent.type === 'statement_list' || parent.type === 'block') {
      narrow(earlyExitPlatforms(parent, child, cache));
    }
    child = parent;
    parent = parent.parent;
  }
  return platforms;
}
