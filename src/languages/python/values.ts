// Static values a reader of the code could tell: literals, module and function constants, tuples,
// `int(os.environ.get("PORT", 8080))`-style environment lookups with a default, simple arithmetic.
import { classifyHost } from '../common/hostPort';
import type { HostKind } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import type { ImportTable } from './imports';
import { ownerOf, type Scope } from './scopes';
import { argument, callArguments, calleeOf, sequenceItems, stringValue, unwrap } from './syntax';

export type Value =
  | { kind: 'int'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'seq'; items: SyntaxNode[]; scope: Scope };

const MAX_DEPTH = 8;

const FREE_PORT_HELPER = /^_?(?:(?:find|get|pick|choose|reserve)_?)?(?:unused|free|open|available|ephemeral|random)_?(?:tcp_?|udp_?)?port$/i;

const ENV_LOOKUPS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault', 'os.environ.pop']);

export function parseIntLiteral(text: string): number | null {
  const t = text.replace(/_/g, '').toLowerCase();
  if (/^(0|[1-9]\d*)$/.test(t)) return Number.parseInt(t, 10);
  if (/^0x[0-9a-f]+$/.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^0o[0-7]+$/.test(t)) return Number.parseInt(t.slice(2), 8);
  if (/^0b[01]+$/.test(t)) return Number.parseInt(t.slice(2), 2);
  return null;
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'seq' || b.kind === 'seq') return false;
  if (a.kind === 'none') return true;
  return (a as { value: unknown }).value === (b as { value: unknown }).value;
}

/** argparse `add_argument("--port", default=8080)`: the option's dest and its default. */
export interface ArgumentDefault {
  dest: string;
  value: SyntaxNode | null;
  scope: Scope;
}

export class Evaluator {
  constructor(
    private readonly imports: ImportTable,
    private readonly argumentDefaults: readonly ArgumentDefault[] = [],
  ) {}

  evaluate(node: SyntaxNode | null | undefined, scope: Scope, depth = 0): Value | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'integer': {
        const value = parseIntLiteral(n.text);
        return value === null ? null : { kind: 'int', value };
      }
      case 'string':
      case 'concatenated_string': {
        const value = stringValue(n);
        return value === null ? null : { kind: 'str', value };
      }
      case 'true':
        return { kind: 'bool', value: true };
      case 'false':
        return { kind: 'bool', value: false };
      case 'none':
        return { kind: 'none' };
      case 'tuple':
      case 'list':
      case 'expression_list':
        return { kind: 'seq', items: sequenceItems(n) ?? [], scope };
      case 'identifier':
        return this.resolveName(n.text, scope, depth + 1);
      case 'unary_operator':
        return this.unary(n, scope, depth);
      case 'binary_operator':
        return this.binary(n, scope, depth);
      case 'boolean_operator':
        return this.booleanOr(n, scope, depth);
      case 'conditional_expression': {
        const parts = n.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
        // `int(sys.argv[1]) if len(sys.argv) > 1 else 8080` reads as "8080 unless given".
        const fromArgv = (p: SyntaxNode | undefined): boolean => p !== undefined && /\bsys\.argv\b|^argv\b/.test(p.text);
        if (fromArgv(parts[1]) && fromArgv(parts[0]) !== fromArgv(parts[2])) return this.evaluate(fromArgv(parts[0]) ? parts[2] : parts[0], scope, depth + 1);
        const a = this.evaluate(parts[0], scope, depth + 1);
        const b = this.evaluate(parts[2], scope, depth + 1);
        return a && b && sameValue(a, b) ? a : null;
      }
      case 'attribute':
        return this.parsedArgument(n, scope, depth);
      case 'call':
        return this.call(n, scope, depth);
      default:
        return null;
    }
  }

  /** The value of a bare name: its assignments in the owning scope, when they all agree. */
  resolveName(name: string, scope: Scope, depth = 0): Value | null {
    if (depth > MAX_DEPTH) return null;
    const owner = ownerOf(name, scope);
    if (owner.params.has(name)) return null;
    const assignments = owner.assignments.get(name);
    if (!assignments || assignments.length === 0) return null;
    let result: Value | null = null;
    for (const assignment of assignments) {
      const value = this.evaluate(assignment.value, owner, depth + 1);
      if (!value) return null;
      if (result && !sameValue(result, value)) return null;
      if (value.kind === 'seq' && assignments.length > 1) return null;
      result = value;
    }
    return result;
  }

  /** The single expression assigned to a name, for readers that need the syntax (option values). */
  assignedExpression(name: string, scope: Scope): { node: SyntaxNode; scope: Scope } | 'parameter' | null {
    const owner = ownerOf(name, scope);
    if (owner.params.has(name)) return 'parameter';
    const assignments = owner.assignments.get(name);
    const only = assignments?.length === 1 ? assignments[0] : undefined;
    return only?.value ? { node: only.value, scope: owner } : null;
  }

  /** `args.port` where `args = parser.parse_args()` and `--port` has a default. */
  private parsedArgument(n: SyntaxNode, scope: Scope, depth: number): Value | null {
    const object = n.childForFieldName('object');
    const dest = n.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || !dest) return null;
    const assigned = this.assignedExpression(object.text, scope);
    if (!assigned || assigned === 'parameter') return null;
    const source = unwrap(assigned.node);
    const parsed = source?.type === 'call' && /^parse(_known)?_args$/.test(calleeOf(source)?.name ?? '');
    const indexed = source?.type === 'subscript' && /\bparse_known_args\s*\(/.test(source.text);
    if (!parsed && !indexed) return null;
    const defaults = this.argumentDefaults.filter((d) => d.dest === dest);
    let result: Value | null = null;
    for (const d of defaults) {
      const value = this.evaluate(d.value, d.scope, depth + 1);
      if (!value || (result && !sameValue(result, value))) return null;
      result = value;
    }
    return result;
  }

  private unary(n: SyntaxNode, scope: Scope, depth: number): Value | null {
    const operator = n.childForFieldName('operator')?.text;
    const value = this.evaluate(n.childForFieldName('argument'), scope, depth + 1);
    if (!value || value.kind !== 'int') return null;
    if (operator === '-') return { kind: 'int', value: -value.value };
    if (operator === '+') return value;
    if (operator === '~') return { kind: 'int', value: ~value.value };
    return null;
  }

  private binary(n: SyntaxNode, scope: Scope, depth: number): Value | null {
    const operator = n.childForFieldName('operator')?.text;
    const left = this.evaluate(n.childForFieldName('left'), scope, depth + 1);
    const right = this.evaluate(n.childForFieldName('right'), scope, depth + 1);
    if (!left || !right) return null;
    if (left.kind === 'int' && right.kind === 'int') {
      const a = left.value;
      const b = right.value;
      switch (operator) {
        case '+': return { kind: 'int', value: a + b };
        case '-': return { kind: 'int', value: a - b };
        case '*': return { kind: 'int', value: a * b };
        case '|': return { kind: 'int', value: a | b };
        case '&': return { kind: 'int', value: a & b };
        default: return null;
      }
    }
    if (left.kind === 'str' && right.kind === 'str' && operator === '+') return { kind: 'str', value: left.value + right.value };
    return null;
  }

  /** `os.environ.get("PORT") or 8080` reads as "8080 unless configured". */
  private booleanOr(n: SyntaxNode, scope: Scope, depth: number): Value | null {
    if (n.childForFieldName('operator')?.text !== 'or') return null;
    const left = unwrap(n.childForFieldName('left'));
    if (left && this.isEnvironmentLookup(left)) return this.evaluate(n.childForFieldName('right'), scope, depth + 1);
    const value = this.evaluate(left, scope, depth + 1);
    // A known truthy left side decides; anything else is unknown.
    if (value && ((value.kind === 'int' && value.value !== 0) || (value.kind === 'str' && value.value !== ''))) return value;
    return null;
  }

  private isEnvironmentLookup(n: SyntaxNode): boolean {
    if (n.type === 'subscript') {
      const value = n.childForFieldName('value');
      return value !== null && this.imports.qualify(value.text) === 'os.environ';
    }
    if (n.type !== 'call') return false;
    const callee = calleeOf(n);
    return callee?.dotted !== null && callee?.dotted !== undefined && ENV_LOOKUPS.has(this.imports.qualify(callee.dotted));
  }

  private call(n: SyntaxNode, scope: Scope, depth: number): Value | null {
    const callee = calleeOf(n);
    if (!callee?.dotted) return null;
    const name = this.imports.qualify(callee.dotted);
    const args = callArguments(n);
    if (name === 'int') {
      const inner = this.evaluate(args.positional[0], scope, depth + 1);
      if (!inner) return null;
      if (inner.kind === 'int') return inner;
      if (inner.kind === 'str') {
        const value = parseIntLiteral(inner.value.trim());
        return value === null ? null : { kind: 'int', value };
      }
      return null;
    }
    if (name === 'str') {
      const inner = this.evaluate(args.positional[0], scope, depth + 1);
      if (inner?.kind === 'int') return { kind: 'str', value: String(inner.value) };
      return inner?.kind === 'str' ? inner : null;
    }
    // find_unused_port() and friends pick a free port at run time: as good as ephemeral.
    if (FREE_PORT_HELPER.test(callee.name)) return { kind: 'int', value: 0 };
    if (ENV_LOOKUPS.has(name)) {
      const fallback = argument(args, 'default', 1);
      return fallback ? this.evaluate(fallback, scope, depth + 1) : null;
    }
    return null;
  }

  /** A port number from an expression; 0 means ephemeral, null unknown. */
  port(node: SyntaxNode | null | undefined, scope: Scope): number | null {
    const value = this.evaluate(node, scope);
    if (!value) return null;
    let n: number | null = null;
    if (value.kind === 'int') n = value.value;
    else if (value.kind === 'str') n = parseIntLiteral(value.value.trim());
    return n !== null && n >= 0 && n <= 65535 ? n : null;
  }

  /** A literal port no bind can accept (negative or above 65535): the call is meant to fail. */
  invalidPort(node: SyntaxNode | null | undefined, scope: Scope): boolean {
    const value = this.evaluate(node, scope);
    return value?.kind === 'int' && (value.value < 0 || value.value > 65535);
  }

  /** Host as written (or resolved), its kind, and whether the code itself spells a wildcard. */
  host(node: SyntaxNode | null | undefined, scope: Scope): HostInfo {
    const value = this.evaluate(node, scope);
    if (value?.kind === 'str') {
      const host = value.value;
      const kind = host === '<broadcast>' ? 'any' : classifyHost(host);
      return { host, hostKind: kind, explicitWildcard: kind === 'any' && host !== '<broadcast>' };
    }
    // `None` for asyncio means "all interfaces", but nobody wrote a wildcard.
    if (value?.kind === 'none') return { host: null, hostKind: 'any', explicitWildcard: false };
    return { host: null, hostKind: 'unknown', explicitWildcard: false };
  }
}

export interface HostInfo {
  host: string | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
}

/** The defaults argparse options declare, by dest (`--listen-port` → listen_port). */
export function argumentDefaults(calls: readonly { name: string; node: SyntaxNode; scope: Scope }[]): ArgumentDefault[] {
  const out: ArgumentDefault[] = [];
  for (const call of calls) {
    if (call.name !== 'add_argument') continue;
    const args = callArguments(call.node);
    const flags = args.positional.map((p) => stringValue(p)).filter((f): f is string => f !== null);
    const explicit = stringValue(args.keywords.get('dest'));
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-')) ?? flags[0];
    const dest = explicit ?? long?.replace(/^-+/, '').replace(/-/g, '_');
    if (dest) out.push({ dest, value: args.keywords.get('default') ?? null, scope: call.scope });
  }
  return out;
}

export function isMulticastHost(host: string | null): boolean {
  if (host === null) return false;
  return /^2(2[4-9]|3\d)\.\d+\.\d+\.\d+$/.test(host) || /^\[?ff[0-9a-f]{2}:/i.test(host) || host === '<broadcast>' || host === '255.255.255.255';
}
