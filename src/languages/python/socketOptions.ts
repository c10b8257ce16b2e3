// Reading `setsockopt(level, option, value)` calls: which reuse option (possibly chosen per platform),
// whether it is turned on, and whether the call joins a multicast group or enables broadcast.
import { ALL_PLATFORMS, type Platform, type ReuseOption } from '../../analysis/facts';
import { optionFromConstant } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import { intersect } from '../common/platformGuards';
import type { BuildContext } from './creations';
import type { EnabledSplit, PythonGuards } from './platformGuards';
import { GROUP_OPTIONS } from './runtimeDefaults';
import type { Scope } from './scopes';
import type { SocketRecord } from './socketRecords';
import { callArguments, calleeOf, lastName, stringValue, unwrap } from './syntax';
import type { Evaluator } from './values';

export interface OptionChoice {
  option: ReuseOption;
  /** Platforms on which this option is the one the expression names. */
  platforms: Platform[];
}

export type SetsockoptRead =
  | { kind: 'reuse'; choices: OptionChoice[]; enabled: EnabledSplit | null; value: SyntaxNode | null }
  | { kind: 'group' }
  | { kind: 'broadcast'; enabled: boolean }
  | { kind: 'other' };

/** Reads a setsockopt call into the record: reuse options per platform, group and broadcast markers. */
export function recordSetsockopt(ctx: BuildContext, record: SocketRecord, node: SyntaxNode, scope: Scope, timing?: 'before' | 'after'): void {
  const read = readSetsockopt(node, scope, ctx.evaluator, ctx.guards);
  if (read.kind === 'group') record.multicast = true;
  else if (read.kind === 'broadcast') record.multicast ||= read.enabled;
  if (read.kind !== 'reuse') return;
  if (read.enabled === null || ctx.guards.isConfigurable(node, scope)) {
    record.configurable = true;
    return;
  }
  const where = ctx.guards.platformsOf(node);
  for (const choice of read.choices) {
    // SO_EXCLUSIVEADDRUSE exists only in Winsock: elsewhere the line raises instead of setting anything.
    let base = intersect(intersect(where, choice.platforms), choice.option === 'exclusiveaddruse' ? ['win32'] : where);
    // `try: ...SO_REUSEPORT... except AttributeError: pass`: on Windows the lookup fails and is caught.
    if (choice.option === 'reuseport' && missingConstantCaught(node, callArguments(node).positional[1] ?? null)) base = base.filter((p) => p !== 'win32');
    const on = intersect(base, read.enabled.enabled);
    const off = intersect(base, read.enabled.disabled);
    // socket.SO_REUSEPORT does not exist on Windows: the line raises AttributeError there.
    const unsupportedOn = choice.option === 'reuseport' && on.includes('win32') ? (['win32'] as Platform[]) : undefined;
    if (on.length > 0) record.options.push({ option: choice.option, enabled: true, node, scope, platforms: on, timing, unsupportedOn });
    if (off.length > 0) record.options.push({ option: choice.option, enabled: false, node, scope, platforms: off, timing });
  }
}

const FUNCTION_BOUNDARY = new Set(['function_definition', 'class_definition', 'module', 'lambda']);

/**
 * Is the call in the body of a `try` whose handler catches the error a missing constant raises:
 * AttributeError for `socket.SO_REUSEPORT` or `getattr(socket, "SO_REUSEPORT")`, NameError for a bare
 * name; `except Exception`, `except BaseException` and a bare `except:` catch both.
 */
export function missingConstantCaught(call: SyntaxNode, option: SyntaxNode | null): boolean {
  const n = unwrap(option);
  if (!n) return false;
  const error = n.type === 'identifier' ? 'NameError' : n.type === 'attribute' || n.type === 'call' ? 'AttributeError' : null;
  if (!error) return false;
  const catches = new RegExp(`\\b(?:${error}|Exception|BaseException)\\b`);
  let child = call;
  for (let p = call.parent; p && !FUNCTION_BOUNDARY.has(p.type); child = p, p = p.parent) {
    if (p.type !== 'try_statement') continue;
    const body = p.childForFieldName('body');
    if (!body || child.startIndex < body.startIndex || child.endIndex > body.endIndex) continue;
    for (const clause of p.namedChildren) {
      if (clause?.type !== 'except_clause') continue;
      const caught = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
      if (!caught || catches.test(caught.text)) return true;
    }
  }
  return false;
}

export function readSetsockopt(call: SyntaxNode, scope: Scope, evaluator: Evaluator, guards: PythonGuards): SetsockoptRead {
  const args = callArguments(call);
  const [level, option, value] = args.positional;
  if (!level || !option) return { kind: 'other' };
  if (GROUP_OPTIONS.test(option.text)) return { kind: 'group' };
  if (!isSocketLevel(level, scope, evaluator)) return { kind: 'other' };
  if (/\bSO_BROADCAST\b/.test(option.text)) {
    const on = guards.enabledBy(value, scope, evaluator);
    return { kind: 'broadcast', enabled: on === null || on.enabled.length > 0 };
  }
  const choices = reuseOptionChoices(option, scope, evaluator, guards, 0);
  if (choices.length === 0) return { kind: 'other' };
  return { kind: 'reuse', choices, enabled: guards.enabledBy(value, scope, evaluator), value: value ?? null };
}

function isSocketLevel(level: SyntaxNode, scope: Scope, evaluator: Evaluator): boolean {
  if (/SOL_SOCKET$/.test(level.text)) return true;
  const value = evaluator.evaluate(level, scope);
  // SOL_SOCKET is 1 on Linux and 0xffff on BSD, macOS and Windows.
  return value?.kind === 'int' && (value.value === 1 || value.value === 0xffff);
}

/** The option an expression names: a constant, `~SO_REUSEADDR`, getattr(socket, "..."), or a per-platform choice. */
export function reuseOptionChoices(node: SyntaxNode | null | undefined, scope: Scope, evaluator: Evaluator, guards: PythonGuards, depth: number): OptionChoice[] {
  const n = unwrap(node);
  if (!n || depth > 4) return [];
  const everywhere = (option: ReuseOption | null): OptionChoice[] => (option ? [{ option, platforms: [...ALL_PLATFORMS] }] : []);
  switch (n.type) {
    case 'identifier':
    case 'attribute': {
      const named = optionFromConstant(lastName(n) ?? '');
      if (named) return everywhere(named);
      if (n.type !== 'identifier') return [];
      const assigned = evaluator.assignedExpression(n.text, scope);
      if (assigned === null || assigned === 'parameter') return [];
      return reuseOptionChoices(assigned.node, assigned.scope, evaluator, guards, depth + 1);
    }
    case 'unary_operator': {
      // ~SO_REUSEADDR is how Winsock defines SO_EXCLUSIVEADDRUSE.
      const argument = n.childForFieldName('argument');
      if (n.childForFieldName('operator')?.text === '~' && optionFromConstant(lastName(argument) ?? '') === 'reuseaddr') return everywhere('exclusiveaddruse');
      const value = evaluator.evaluate(n, scope);
      return value?.kind === 'int' && value.value === -5 ? everywhere('exclusiveaddruse') : [];
    }
    case 'call': {
      const callee = calleeOf(n);
      if (callee?.name !== 'getattr') return [];
      return everywhere(optionFromConstant(stringValue(callArguments(n).positional[1]) ?? ''));
    }
    case 'conditional_expression': {
      const [whenTrue, condition, whenFalse] = n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
      const split = condition ? guards.split(condition) : null;
      const a = reuseOptionChoices(whenTrue, scope, evaluator, guards, depth + 1);
      const b = reuseOptionChoices(whenFalse, scope, evaluator, guards, depth + 1);
      if (!split) return [...a, ...b];
      return [
        ...a.map((c) => ({ option: c.option, platforms: c.platforms.filter((p) => split.whenTrue.includes(p)) })),
        ...b.map((c) => ({ option: c.option, platforms: c.platforms.filter((p) => split.whenFalse.includes(p)) })),
      ].filter((c) => c.platforms.length > 0);
    }
    default:
      return [];
  }
}
