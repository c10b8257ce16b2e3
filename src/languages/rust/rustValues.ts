// Rust values a reader can tell: literals, consts/statics, `let` bindings (with shadowing),
// format!(), env-var-with-default chains, and socket addresses in their many spellings
// ("0.0.0.0:8080", ("0.0.0.0", PORT), SocketAddr::from(([0, 0, 0, 0], 8080)), Ipv4Addr::UNSPECIFIED...).
import type { HostKind } from '../../analysis/facts';
import { classifyHost } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import { callArgs, methodName, named, pathSegments, receiverOf, rustIntValue, rustStringValue, unparen, within } from './rustSyntax';

export type RustValue = string | number | null;

export interface RustAddress {
  host: string | null;
  port: number | null;
  explicitWildcard: boolean;
  hostKind: HostKind;
}

interface Binding {
  name: string;
  value: SyntaxNode | null;
  /** Block (or file / impl body) the name lives in. */
  scope: SyntaxNode;
  node: SyntaxNode;
  /** Items (const, static) are visible in their whole scope; lets only after them. */
  item: boolean;
}

const MAX_DEPTH = 12;

/** Methods whose result holds the same address or text as their receiver. */
const PASS_THROUGH = /^(?:to_string|to_owned|into|clone|as_str|as_ref|unwrap|expect|parse|to_vec|map_err|context|with_context)$/;

const NAMED_IPS: Record<string, string> = {
  'Ipv4Addr::UNSPECIFIED': '0.0.0.0', 'Ipv4Addr::LOCALHOST': '127.0.0.1', 'Ipv4Addr::BROADCAST': '255.255.255.255',
  'Ipv6Addr::UNSPECIFIED': '::', 'Ipv6Addr::LOCALHOST': '::1',
};

export function unknownRustAddress(): RustAddress {
  return { host: null, port: null, explicitWildcard: false, hostKind: 'unknown' };
}

export function isMulticastIp(host: string | null): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(h);
  if (v4) return Number(v4[1]) >= 224 && Number(v4[1]) <= 239;
  return /^ff[0-9a-f]{2}:/.test(h);
}

function addressOf(host: string | null, port: number | null, explicit: boolean): RustAddress {
  const kind = host === null ? 'unknown' : classifyHost(host);
  return { host, port, explicitWildcard: explicit && kind === 'any', hostKind: kind };
}

/** "0.0.0.0:8080", "[::]:80", "localhost:0". */
export function parseRustAddress(text: string): RustAddress {
  const t = text.trim();
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(t);
  const plain = /^([^:]*):(\d+)$/.exec(t);
  const m = bracketed ?? plain;
  if (!m) return unknownRustAddress();
  const port = Number.parseInt(m[2] ?? '', 10);
  return addressOf(m[1] ?? '', port <= 65535 ? port : null, true);
}

export class RustValues {
  private readonly bindings = new Map<string, Binding[]>();
  private readonly assigned = new Map<string, SyntaxNode[]>();

  /** Records declarations; called for every node of the walk. */
  visit(node: SyntaxNode): void {
    if (node.type === 'let_declaration') {
      const pattern = node.childForFieldName('pattern');
      if (pattern?.type === 'identifier') this.add(pattern.text, node.childForFieldName('value'), node, false);
    } else if (node.type === 'const_item' || node.type === 'static_item') {
      const name = node.childForFieldName('name')?.text;
      if (name) this.add(name, node.childForFieldName('value'), node, true);
    } else if (node.type === 'assignment_expression' || node.type === 'compound_assignment_expr') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') {
        const list = this.assigned.get(left.text) ?? [];
        list.push(node);
        this.assigned.set(left.text, list);
      }
    }
  }

  private add(name: string, value: SyntaxNode | null, node: SyntaxNode, item: boolean): void {
    const scope = node.parent ?? node;
    const list = this.bindings.get(name) ?? [];
    list.push({ name, value, scope, node, item });
    this.bindings.set(name, list);
  }

  /** The binding of `name` visible at `at`: innermost scope, latest `let` before it. */
  binding(name: string, at: SyntaxNode): Binding | null {
    let best: Binding | null = null;
    for (const b of this.bindings.get(name) ?? []) {
      if (!within(b.scope, at)) continue;
      if (!b.item && b.node.startIndex >= at.startIndex) continue;
      if (!best || b.scope.startIndex > best.scope.startIndex || (b.scope.startIndex === best.scope.startIndex && b.node.startIndex > best.node.startIndex)) best = b;
    }
    return best;
  }

  /** The value expression an identifier holds at `at`, or null when reassigned or unknown. */
  valueOf(name: string, at: SyntaxNode): SyntaxNode | null {
    const b = this.binding(name, at);
    if (!b?.value) return null;
    const reassigned = (this.assigned.get(name) ?? []).some((a) => a.startIndex > b.node.startIndex && a.startIndex < at.startIndex && within(b.scope, a));
    return reassigned ? null : b.value;
  }

  /** A const or static anywhere in the file, by name, when there is exactly one. */
  private itemByName(name: string): SyntaxNode | null {
    const items = (this.bindings.get(name) ?? []).filter((b) => b.item);
    return items.length === 1 ? items[0]?.value ?? null : null;
  }

  evaluate(node: SyntaxNode, depth = 0): RustValue {
    if (depth > MAX_DEPTH) return null;
    const n = unparen(node);
    switch (n.type) {
      case 'string_literal':
      case 'raw_string_literal':
        return rustStringValue(n);
      case 'integer_literal':
        return rustIntValue(n.text);
      case 'identifier': {
        const value = this.valueOf(n.text, n);
        return value ? this.evaluate(value, depth + 1) : null;
      }
      case 'scoped_identifier': {
        const name = n.childForFieldName('name')?.text ?? '';
        const value = this.itemByName(name);
        return value ? this.evaluate(value, depth + 1) : null;
      }
      case 'reference_expression':
      case 'try_expression': {
        const inner = n.childForFieldName('value') ?? named(n)[0];
        return inner ? this.evaluate(inner, depth + 1) : null;
      }
      case 'type_cast_expression': {
        const inner = n.childForFieldName('value');
        return inner ? this.evaluate(inner, depth + 1) : null;
      }
      case 'unary_expression': {
        const operand = named(n)[0];
        const v = operand ? this.evaluate(operand, depth + 1) : null;
        if (typeof v !== 'number') return null;
        const op = n.child(0)?.type;
        return op === '-' ? -v : op === '!' ? ~v : null;
      }
      case 'binary_expression': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const a = left ? this.evaluate(left, depth + 1) : null;
        const b = right ? this.evaluate(right, depth + 1) : null;
        if (typeof a !== 'number' || typeof b !== 'number') return null;
        const op = n.childForFieldName('operator')?.type;
        return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '|' ? a | b : null;
      }
      case 'macro_invocation':
        return this.macro(n, depth);
      case 'call_expression':
        return this.call(n, depth);
      default:
        return null;
    }
  }

  private macro(n: SyntaxNode, depth: number): RustValue {
    const name = n.childForFieldName('macro')?.text;
    if (name !== 'format' && name !== 'concat') return null;
    const tree = named(n).find((c) => c.type === 'token_tree');
    if (!tree) return null;
    // Split the token tree at top-level commas.
    const parts: SyntaxNode[][] = [[]];
    for (const child of tree.children) {
      if (!child || child.type === '(' || child.type === ')' || child.type === '[' || child.type === ']') continue;
      if (child.type === ',') parts.push([]);
      else parts[parts.length - 1]?.push(child);
    }
    const single = (tokens: SyntaxNode[] | undefined): RustValue => (tokens?.length === 1 && tokens[0] ? this.evaluate(tokens[0], depth + 1) : null);
    if (name === 'concat') {
      const values = parts.map(single);
      return values.some((v) => v === null) ? null : values.join('');
    }
    const format = single(parts[0]);
    if (typeof format !== 'string') return null;
    let next = 1;
    let failed = false;
    const out = format.replace(/\{\{|\}\}|\{([A-Za-z_]\w*)?(?::[^}]*)?\}/g, (m, inline: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      let v: RustValue;
      if (inline) {
        const token = tree.descendantsOfType('identifier').find((t) => t?.text === inline) ?? null;
        const value = this.valueOf(inline, token ?? n);
        v = value ? this.evaluate(value, depth + 1) : null;
      } else {
        v = single(parts[next++]);
      }
      if (v === null) failed = true;
      return String(v);
    });
    return failed ? null : out;
  }

  private call(n: SyntaxNode, depth: number): RustValue {
    const method = methodName(n);
    const receiver = receiverOf(n);
    const args = callArgs(n);
    if (method && receiver) {
      if (PASS_THROUGH.test(method)) return this.evaluate(receiver, depth + 1);
      // env::var("PORT").unwrap_or("8080".into()) / .unwrap_or_else(|_| "8080".to_string())
      if (/^(?:unwrap_or|unwrap_or_else|map_or)$/.test(method) && /\benv::var(?:_os)?\s*\(|\bvar\s*\(\s*"/.test(receiver.text)) {
        let fallback = method === 'map_or' ? args[0] : args[0];
        if (fallback?.type === 'closure_expression') fallback = fallback.childForFieldName('body') ?? undefined;
        return fallback ? this.evaluate(fallback, depth + 1) : null;
      }
      return null;
    }
    const segments = pathSegments(n);
    const last = segments.slice(-2).join('::');
    if ((last === 'String::from' || last === 'u16::from') && args[0]) return this.evaluate(args[0], depth + 1);
    return null;
  }

  /** An IP address expression: [0, 0, 0, 0], Ipv4Addr::new(..), Ipv4Addr::UNSPECIFIED, "::1".parse()... */
  ip(node: SyntaxNode, depth = 0): string | null {
    if (depth > MAX_DEPTH) return null;
    const n = unparen(node);
    if (n.type === 'array_expression') {
      const parts = named(n).map((e) => this.evaluate(e, depth + 1));
      if (parts.length === 4 && parts.every((p) => typeof p === 'number')) return parts.join('.');
      if (parts.length === 8 && parts.every((p) => typeof p === 'number')) return parts.every((p) => p === 0) ? '::' : null;
      return null;
    }
    if (n.type === 'scoped_identifier') {
      const key = n.text.replace(/\s+/g, '').split('::').slice(-2).join('::');
      return NAMED_IPS[key] ?? null;
    }
    if (n.type === 'identifier') {
      const value = this.valueOf(n.text, n);
      return value ? this.ip(value, depth + 1) : null;
    }
    if (n.type === 'string_literal') return rustStringValue(n);
    if (n.type === 'reference_expression' || n.type === 'try_expression') {
      const inner = n.childForFieldName('value') ?? named(n)[0];
      return inner ? this.ip(inner, depth + 1) : null;
    }
    if (n.type === 'call_expression') {
      const method = methodName(n);
      const receiver = receiverOf(n);
      if (method && receiver && PASS_THROUGH.test(method)) return this.ip(receiver, depth + 1);
      const segments = pathSegments(n);
      const last = segments.slice(-2).join('::');
      const args = callArgs(n);
      if ((last === 'Ipv4Addr::new' && args.length === 4) || (last === 'Ipv6Addr::new' && args.length === 8)) {
        const parts = args.map((a) => this.evaluate(a, depth + 1));
        if (!parts.every((p) => typeof p === 'number')) return null;
        return args.length === 4 ? parts.join('.') : parts.every((p) => p === 0) ? '::' : parts.every((p, i) => (i < 7 ? p === 0 : p === 1)) ? '::1' : null;
      }
      if (/^(?:IpAddr::V4|IpAddr::V6|IpAddr::from|Ipv4Addr::from|Ipv6Addr::from)$/.test(last) && args[0]) return this.ip(args[0], depth + 1);
    }
    return null;
  }

  /** A socket address expression, as std's ToSocketAddrs would read it. */
  address(node: SyntaxNode, depth = 0): RustAddress {
    if (depth > MAX_DEPTH) return unknownRustAddress();
    const n = unparen(node);
    if (n.type === 'tuple_expression') {
      const [h, p] = named(n);
      if (!h || !p) return unknownRustAddress();
      const port = this.evaluate(p, depth + 1);
      const portNumber = typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : null;
      const host = this.ip(h, depth + 1) ?? (() => {
        const s = this.evaluate(h, depth + 1);
        return typeof s === 'string' ? s : null;
      })();
      return addressOf(host, portNumber, host !== null);
    }
    if (n.type === 'identifier') {
      const value = this.valueOf(n.text, n);
      return value ? this.address(value, depth + 1) : unknownRustAddress();
    }
    if (n.type === 'reference_expression' || n.type === 'try_expression' || n.type === 'await_expression') {
      const inner = n.childForFieldName('value') ?? named(n)[0];
      return inner ? this.address(inner, depth + 1) : unknownRustAddress();
    }
    if (n.type === 'call_expression') {
      const method = methodName(n);
      const receiver = receiverOf(n);
      if (method && receiver && PASS_THROUGH.test(method)) return this.address(receiver, depth + 1);
      const last = pathSegments(n).slice(-2).join('::');
      const args = callArgs(n);
      if (/^(?:SocketAddr|SocketAddrV4|SocketAddrV6)::new$/.test(last) && args.length >= 2 && args[0] && args[1]) {
        const host = this.ip(args[0], depth + 1);
        const port = this.evaluate(args[1], depth + 1);
        return addressOf(host, typeof port === 'number' ? port : null, host !== null);
      }
      if (/^(?:SocketAddr::from|SocketAddr::V4|SocketAddr::V6|SocketAddrV4::from|SocketAddrV6::from)$/.test(last) && args[0]) return this.address(args[0], depth + 1);
    }
    const s = this.evaluate(n, depth + 1);
    return typeof s === 'string' ? parseRustAddress(s) : unknownRustAddress();
  }
}
