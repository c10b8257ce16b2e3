// Reading ports, hosts and option switches out of JavaScript expressions: literals, constants in scope,
// `process.env.PORT || 3000`, `Number(process.env.PORT ?? 8080)`, `parseInt(process.env.PORT, 10) || 3000`,
// and booleans that depend on the platform (`reuseAddr: process.platform !== 'win32'`).
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import type { PlatformReader } from './platformBranches';
import type { ScopeResolver } from './scopes';
import { findEntry, objectShape, stringValue, unwrap } from './syntax';

const MAX_DEPTH = 10;

/** Reads of the environment or the command line: values a reader cannot know. */
const ENVIRONMENT = /^(process\.env\b|Deno\.env\.get\s*\(|Bun\.env\b|import\.meta\.env\b|process\.argv\b|Deno\.args\b)/;
/** Calls that turn their first argument into a number. */
const NUMERIC_CALLS = /^(Number|parseInt|parseFloat|Number\.parseInt|Number\.parseFloat|Math\.floor|Math\.trunc|Math\.round|normalizePort|parsePort|toPort|toNumber|toInt)$/;

export interface Switch {
  /** Platforms where the expression is true. */
  on: Platform[];
  /** Platforms where it is false. */
  off: Platform[];
}

export class ValueReader {
  constructor(private readonly scopes: ScopeResolver, private readonly platforms: PlatformReader) {}

  /** True when the expression reads the environment or argv (possibly through Number(...) and the like). */
  isEnvironment(node: SyntaxNode | null, depth = 0): boolean {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return false;
    if (ENVIRONMENT.test(n.text)) return true;
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function')?.text ?? '';
      const first = n.childForFieldName('arguments')?.firstNamedChild ?? null;
      return NUMERIC_CALLS.test(fn) && this.isEnvironment(first, depth + 1);
    }
    if (n.type === 'unary_expression') return this.isEnvironment(n.childForFieldName('argument'), depth + 1);
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier') return this.isEnvironment(this.scopes.resolve(n), depth + 1);
    return false;
  }

  /** A port, when a reader could tell it; 0 is ephemeral. */
  port(node: SyntaxNode | null, depth = 0): number | null {
    const value = this.numberOrString(node, depth);
    if (value === null) return null;
    return typeof value === 'number' ? (Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null) : parsePort(value);
  }

  /** Any number a reader could compute (for constants such as `SO_EXCLUSIVEADDRUSE = ~4`). */
  number(node: SyntaxNode | null): number | null {
    const value = this.numberOrString(node, 0);
    return typeof value === 'number' ? value : null;
  }

  /** A host string, when a reader could tell it. */
  host(node: SyntaxNode | null, depth = 0): string | null {
    const value = this.numberOrString(node, depth);
    return typeof value === 'string' ? value : null;
  }

  private numberOrString(node: SyntaxNode | null, depth: number): number | string | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'number': {
        const text = n.text.replace(/_/g, '');
        const value = /^0[bB][01]+$/.test(text) ? Number.parseInt(text.slice(2), 2) : Number(text);
        return Number.isFinite(value) ? value : null;
      }
      case 'string':
      case 'template_string':
        return stringValue(n);
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.numberOrString(this.scopes.resolve(n), depth + 1);
      case 'member_expression':
        return this.numberOrString(this.memberValue(n), depth + 1);
      case 'binary_expression':
        return this.binary(n, depth);
      case 'ternary_expression': {
        const condition = n.childForFieldName('condition');
        const whenTrue = this.numberOrString(n.childForFieldName('consequence'), depth + 1);
        const whenFalse = this.numberOrString(n.childForFieldName('alternative'), depth + 1);
        // `process.env.PORT ? Number(process.env.PORT) : 3000` reads as 3000 unless configured.
        if (this.isEnvironment(condition)) return whenFalse;
        return whenTrue !== null && whenTrue === whenFalse ? whenTrue : null;
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.text;
        const value = this.numberOrString(n.childForFieldName('argument'), depth + 1);
        if (value === null) return null;
        const number = typeof value === 'number' ? value : Number(value);
        if (op === '+') return Number.isNaN(number) ? null : number;
        if (op === '-') return Number.isNaN(number) ? null : -number;
        if (op === '~') return Number.isNaN(number) ? null : ~number;
        return null;
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function')?.text ?? '';
        const first = n.childForFieldName('arguments')?.firstNamedChild ?? null;
        if (!NUMERIC_CALLS.test(fn)) return null;
        const value = this.numberOrString(first, depth + 1);
        if (value === null) return null;
        const number = typeof value === 'number' ? value : Number.parseFloat(value);
        return Number.isNaN(number) ? null : Math.trunc(number);
      }
      default:
        return null;
    }
  }

  private binary(n: SyntaxNode, depth: number): number | string | null {
    const op = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (op === '||' || op === '??') {
      const value = this.numberOrString(left, depth + 1);
      if (value !== null && (op === '??' || (value !== 0 && value !== ''))) return value;
      // Only a configurable value with a default reads as its default; `options.port || 3000` does not.
      return this.isEnvironment(left) ? this.numberOrString(right, depth + 1) : null;
    }
    const a = this.numberOrString(left, depth + 1);
    const b = this.numberOrString(right, depth + 1);
    if (a === null || b === null) return null;
    if (op === '+') return typeof a === 'number' && typeof b === 'number' ? a + b : `${a}${b}`;
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    if (op === '-') return a - b;
    if (op === '|') return a | b;
    if (op === '&') return a & b;
    if (op === '*') return a * b;
    return null;
  }

  /** `config.port` where `const config = { port: 3000 }`. */
  private memberValue(n: SyntaxNode): SyntaxNode | null {
    const object = this.objectLiteral(n.childForFieldName('object'));
    const property = n.childForFieldName('property');
    if (!object || !property) return null;
    const shape = objectShape(object, (x) => this.objectLiteral(x));
    const entry = findEntry(shape, property.text);
    return entry ? entry.value : null;
  }

  /** The object literal an expression stands for: the literal itself, or a constant holding one. */
  objectLiteral(node: SyntaxNode | null, depth = 0): SyntaxNode | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'object') return n;
    if (n.type === 'identifier' || n.type === 'shorthand_property_identifier') return this.objectLiteral(this.scopes.resolve(n), depth + 1);
    if (n.type === 'member_expression') return this.objectLiteral(this.memberValue(n), depth + 1);
    return null;
  }

  /**
   * Where a boolean expression is true and false: `true`, `false`, constants, `!x`, platform tests and
   * ternaries on them. null when a reader cannot tell (a parameter, an option passed through).
   */
  switchOf(node: SyntaxNode | null, depth = 0): Switch | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    const all = (): Platform[] => [...ALL_PLATFORMS];
    switch (n.type) {
      case 'true':
        return { on: all(), off: [] };
      case 'false':
      case 'null':
      case 'undefined':
        return { on: [], off: all() };
      case 'number':
        return Number(n.text) === 0 ? { on: [], off: all() } : { on: all(), off: [] };
      case 'identifier':
      case 'shorthand_property_identifier': {
        const value = this.scopes.resolve(n);
        if (value) return this.switchOf(value, depth + 1);
        return this.fromCondition(n);
      }
      case 'unary_expression': {
        if (n.childForFieldName('operator')?.text !== '!') return null;
        const inner = this.switchOf(n.childForFieldName('argument'), depth + 1);
        return inner ? { on: inner.off, off: inner.on } : null;
      }
      case 'ternary_expression': {
        const split = this.platforms.split(n.childForFieldName('condition') ?? n);
        const a = this.switchOf(n.childForFieldName('consequence'), depth + 1);
        const b = this.switchOf(n.childForFieldName('alternative'), depth + 1);
        if (!split && (!a || !b) && defaultsToTrue(n)) return { on: all(), off: [] };
        if (!a || !b) return null;
        if (!split) return sameSwitch(a, b) ? a : null;
        const on = [...a.on.filter((p) => split.whenTrue.includes(p)), ...b.on.filter((p) => split.whenFalse.includes(p))];
        return { on: ALL_PLATFORMS.filter((p) => on.includes(p)), off: ALL_PLATFORMS.filter((p) => !on.includes(p)) };
      }
      case 'binary_expression':
        return this.defaultTrue(n, depth) ?? this.fromCondition(n);
      default:
        return this.fromCondition(n);
    }
  }

  /**
   * `x !== false` and `x ?? true`: true unless someone passes false. When `x` cannot be read (an option
   * passed in), the value is its default, true; when it can, the expression is computed from it.
   */
  private defaultTrue(n: SyntaxNode, depth: number): Switch | null {
    const op = n.childForFieldName('operator')?.text;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const all = (): Platform[] => [...ALL_PLATFORMS];
    if (op === '??' && unwrap(right)?.type === 'true') {
      const l = unwrap(left);
      if (l?.type === 'null' || l?.type === 'undefined') return { on: all(), off: [] };
      return this.switchOf(left, depth + 1) ?? (isPassedIn(l) ? { on: all(), off: [] } : null);
    }
    if (op !== '!==') return null;
    const subject = unwrap(right)?.type === 'false' ? left : unwrap(left)?.type === 'false' ? right : null;
    const s = unwrap(subject);
    if (!s) return null;
    // Only the literal false is false here: undefined, null and 0 all pass `!== false`.
    if (s.type === 'false') return { on: [], off: all() };
    if (s.type === 'true' || s.type === 'null' || s.type === 'undefined' || s.type === 'number' || s.type === 'string') return { on: all(), off: [] };
    const known = this.switchOf(s, depth + 1);
    if (known) return known;
    return isPassedIn(s) ? { on: all(), off: [] } : null;
  }

  private fromCondition(n: SyntaxNode): Switch | null {
    const split = this.platforms.split(n);
    if (!split) return null;
    // A compound test like `a && isLinux` is true at most where its platform part is.
    const off = ALL_PLATFORMS.filter((p) => !split.whenTrue.includes(p));
    return { on: split.whenTrue, off };
  }
}

/**
 * `x === undefined ? true : x`, `x != null ? x : true`, `'k' in o ? o.k : true`: a passed-in value
 * whose absence means true.
 */
function defaultsToTrue(ternary: SyntaxNode): boolean {
  const condition = unwrap(ternary.childForFieldName('condition'));
  const consequence = unwrap(ternary.childForFieldName('consequence'));
  const alternative = unwrap(ternary.childForFieldName('alternative'));
  if (condition?.type !== 'binary_expression' || !consequence || !alternative) return false;
  const op = condition.childForFieldName('operator')?.text ?? '';
  const left = unwrap(condition.childForFieldName('left'));
  const right = unwrap(condition.childForFieldName('right'));
  if (!left || !right) return false;
  let tested: string | null = null;
  let presentWhenTrue: boolean;
  if (op === 'in') {
    // `'reuseAddr' in opts` tests `opts.reuseAddr`.
    const key = stringValue(left);
    tested = key === null ? null : `${right.text}.${key}`;
    presentWhenTrue = true;
  } else if (op === '===' || op === '==' || op === '!==' || op === '!=') {
    const absent = (x: SyntaxNode): boolean => x.type === 'undefined' || x.type === 'null' || stringValue(x) === 'undefined' || /^void\s+0$/.test(x.text);
    const other = absent(right) ? left : absent(left) ? right : null;
    if (!other) return false;
    tested = other.type === 'unary_expression' && other.childForFieldName('operator')?.text === 'typeof' ? unwrap(other.childForFieldName('argument'))?.text ?? null : other.text;
    presentWhenTrue = op === '!==' || op === '!=';
  } else {
    return false;
  }
  if (tested === null) return false;
  const [whenPresent, whenAbsent] = presentWhenTrue ? [consequence, alternative] : [alternative, consequence];
  return whenAbsent.type === 'true' && whenPresent.text === tested && isPassedIn(whenPresent);
}

/** A value handed in from outside: `opts.reuseAddr`, `options?.reuse`, a parameter or free name. */
function isPassedIn(node: SyntaxNode | null): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'identifier') return true;
  if (n.type === 'member_expression' || n.type === 'subscript_expression') return isPassedIn(n.childForFieldName('object')) || n.childForFieldName('object')?.type === 'this';
  return false;
}

function sameSwitch(a: Switch, b: Switch): boolean {
  return a.on.length === b.on.length && a.on.every((p) => b.on.includes(p));
}
