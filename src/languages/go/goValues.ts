// Go values a reader of the code can tell: literals, constants, variables with their last plain
// assignment, env-var-with-default idioms, flag defaults, fmt.Sprintf/net.JoinHostPort, and the
// host/port of listen addresses (strings, &net.TCPAddr{...}, net.ResolveUDPAddr(...)).
import type { SyntaxNode } from '../treeSitter';
import { classifyHost } from '../common/hostPort';
import type { HostKind } from '../../analysis/facts';
import { unconditionalWithin, type GoBinding, type GoScope } from './goScope';
import { callArgs, calleeName, calleeText, goIntValue, goStringValue, namedChildrenOf, unparen } from './goSyntax';

export type GoValue = string | number | null;

const MAX_DEPTH = 12;

/** Well-known service names Go's resolver maps to ports (":http" is http.Server's default). */
const SERVICE_PORTS: Record<string, number> = { http: 80, https: 443, domain: 53, ftp: 21, ssh: 22, smtp: 25 };

/** Named IPs of package net. */
const NET_IPS: Record<string, string> = {
  IPv4zero: '0.0.0.0', IPv6zero: '::', IPv6unspecified: '::', IPv4bcast: '255.255.255.255', IPv4allsys: '224.0.0.1',
  IPv4allrouter: '224.0.0.2', IPv6loopback: '::1', IPv6interfacelocalallnodes: 'ff01::1', IPv6linklocalallnodes: 'ff02::1',
  IPv6linklocalallrouters: 'ff02::2',
};

const INT_TYPES = /^(?:u?int(?:8|16|32|64)?|uintptr)$/;

export interface ListenAddress {
  host: string | null;
  port: number | null;
  /** The host is a wildcard the code spells out (":8080", "0.0.0.0", net.IPv4zero). */
  explicitWildcard: boolean;
  hostKind: HostKind;
}

export function isMulticastHost(host: string | null): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(h);
  if (v4) {
    const first = Number(v4[1]);
    return first >= 224 && first <= 239;
  }
  return /^ff[0-9a-f]{2}:/.test(h);
}

export class GoValues {
  constructor(private readonly scope: GoScope) {}

  /** The binding value currently held by identifier `name` at `at`, or undefined when unknowable. */
  private currentValue(name: string, at: SyntaxNode, depth: number): GoValue {
    const decl = this.scope.declaration(name, at);
    const assigns = this.scope.assignments(name, decl, at);
    let value: GoValue = decl ? this.bindingValue(decl, depth) : null;
    let fromEnv = decl ? this.isEnvLookup(decl) : false;
    for (const a of assigns) {
      const scope = decl?.scope ?? a.scope;
      if (a.kind === 'flagvar' || unconditionalWithin(a.node, scope)) {
        value = this.bindingValue(a, depth);
        fromEnv = false;
      } else if ((fromEnv || value === '' || value === 0) && this.isEmptyDefault(a, name)) {
        // port := os.Getenv("PORT"); if port == "" { port = "8080" }
        value = this.bindingValue(a, depth);
        fromEnv = false;
      } else {
        return null;
      }
    }
    return value;
  }

  private bindingValue(b: GoBinding, depth: number): GoValue {
    if (!b.value || b.multiValue) return null;
    return this.evaluate(b.value, depth + 1);
  }

  private isEnvLookup(b: GoBinding): boolean {
    const v = b.value ? unparen(b.value) : null;
    return v?.type === 'call_expression' && /env/i.test(calleeText(v));
  }

  /** Is the assignment inside `if name == "" {` (or `len(name) == 0`, `name == 0`)? */
  private isEmptyDefault(a: GoBinding, name: string): boolean {
    let n = a.node.parent;
    while (n && n.type !== 'if_statement') n = n.parent;
    const condition = n?.childForFieldName('condition');
    if (!condition) return false;
    const text = condition.text.replace(/\s+/g, '');
    return text === `${name}==""` || text === `len(${name})==0` || text === `${name}==0` || text === `""==${name}`;
  }

  /** Evaluates a string or integer expression; null when it depends on run time. */
  evaluate(node: SyntaxNode, depth = 0): GoValue {
    if (depth > MAX_DEPTH) return null;
    const n = unparen(node);
    switch (n.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return goStringValue(n);
      case 'int_literal':
        return goIntValue(n.text);
      case 'rune_literal':
        return null;
      case 'identifier':
        return this.currentValue(n.text, n, depth);
      case 'selector_expression': {
        const key = n.text.replace(/\s+/g, '');
        const assigned = this.scope.all(key).filter((b) => b.node.startIndex < n.startIndex);
        const last = assigned[assigned.length - 1];
        return last ? this.bindingValue(last, depth) : null;
      }
      case 'unary_expression':
        return this.unary(n, depth);
      case 'binary_expression':
        return this.binary(n, depth);
      case 'call_expression':
        return this.call(n, depth);
      default:
        return null;
    }
  }

  private unary(n: SyntaxNode, depth: number): GoValue {
    const op = n.child(0)?.type;
    const operand = n.childForFieldName('operand');
    if (!operand) return null;
    if (op === '*') return this.flagDefault(operand, depth);
    const v = this.evaluate(operand, depth + 1);
    if (typeof v !== 'number') return null;
    if (op === '-') return -v;
    if (op === '+') return v;
    if (op === '^') return ~v;
    return null;
  }

  private binary(n: SyntaxNode, depth: number): GoValue {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.type ?? '';
    if (!left || !right) return null;
    const a = this.evaluate(left, depth + 1);
    const b = this.evaluate(right, depth + 1);
    if (a === null || b === null) return null;
    if (typeof a === 'string' || typeof b === 'string') return op === '+' && typeof a === typeof b ? `${a}${b}` : null;
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '|': return a | b;
      case '&': return a & b;
      case '^': return a ^ b;
      case '<<': return b < 31 ? a << b : null;
      default: return null;
    }
  }

  /** `*addr` where `addr := flag.String("addr", ":8080", "...")`. */
  private flagDefault(operand: SyntaxNode, depth: number): GoValue {
    const o = unparen(operand);
    if (o.type !== 'identifier') return null;
    const decl = this.scope.declaration(o.text, o);
    const value = decl?.value ? unparen(decl.value) : null;
    if (value?.type !== 'call_expression') return null;
    const name = calleeName(value);
    if (!/^(?:String|Int|Int64|Int32|Uint|Uint64|Uint32|Uint16)P?$/.test(name) || !/flag|Flags|\bfs\b/i.test(calleeText(value))) return null;
    const arg = callArgs(value)[name.endsWith('P') ? 2 : 1];
    return arg ? this.evaluate(arg, depth + 1) : null;
  }

  private call(n: SyntaxNode, depth: number): GoValue {
    const callee = calleeText(n);
    const name = calleeName(n);
    const args = callArgs(n);
    const arg = (i: number): GoValue => {
      const a = args[i];
      return a ? this.evaluate(a, depth + 1) : null;
    };
    if (callee === 'fmt.Sprintf') return this.sprintf(args, depth);
    if (callee === 'fmt.Sprint' && args.length === 1) {
      const v = arg(0);
      return v === null ? null : String(v);
    }
    if (callee === 'strconv.Itoa' || callee === 'strconv.FormatInt' || callee === 'strconv.FormatUint') {
      const v = arg(0);
      return typeof v === 'number' ? String(v) : null;
    }
    if (callee === 'strconv.Atoi' || callee === 'strconv.ParseInt' || callee === 'strconv.ParseUint') return null;
    if (callee === 'net.JoinHostPort' && args.length === 2) {
      const host = arg(0);
      const port = arg(1);
      if (typeof host !== 'string' || port === null) return null;
      return `${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
    }
    if (callee === 'cmp.Or') {
      // cmp.Or(os.Getenv("PORT"), "8080"): the first argument that is not a lookup.
      for (const a of args) {
        const inner = unparen(a);
        if (inner.type === 'call_expression' && /env/i.test(calleeText(inner))) continue;
        return this.evaluate(a, depth + 1);
      }
      return null;
    }
    // getEnv("PORT", "8080")-style helpers: the second argument is the default.
    if (/env/i.test(name) && args.length === 2) {
      const key = args[0] ? goStringValue(unparen(args[0])) : null;
      if (key !== null && /^[A-Z_][A-Z0-9_]*$/.test(key)) return arg(1);
      return null;
    }
    // Numeric conversions: uint16(8080), int(port).
    const fn = n.childForFieldName('function');
    if (fn?.type === 'identifier' && INT_TYPES.test(fn.text) && args.length === 1) {
      const v = arg(0);
      return typeof v === 'number' ? v : null;
    }
    return null;
  }

  private sprintf(args: SyntaxNode[], depth: number): GoValue {
    const format = args[0] ? this.evaluate(args[0], depth + 1) : null;
    if (typeof format !== 'string') return null;
    let next = 1;
    let failed = false;
    const out = format.replace(/%([-+# 0]*\d*)([dsvq%])/g, (_m, _flags: string, verb: string) => {
      if (verb === '%') return '%';
      const a = args[next++];
      const v = a ? this.evaluate(a, depth + 1) : null;
      if (v === null || (verb === 'd' && typeof v !== 'number')) {
        failed = true;
        return '';
      }
      return verb === 'q' ? JSON.stringify(String(v)) : String(v);
    });
    return failed ? null : out;
  }

  /** An IP expression's text form: net.IPv4(...), net.ParseIP("..."), net.IPv4zero... */
  ip(node: SyntaxNode, depth = 0): { ip: string; explicit: boolean } | null {
    if (depth > MAX_DEPTH) return null;
    const n = unparen(node);
    if (n.type === 'selector_expression' && n.childForFieldName('operand')?.text === 'net') {
      const ip = NET_IPS[n.childForFieldName('field')?.text ?? ''];
      return ip ? { ip, explicit: true } : null;
    }
    if (n.type === 'identifier') {
      const decl = this.scope.declaration(n.text, n);
      if (!decl?.value || decl.multiValue || this.scope.assignments(n.text, decl, n).length > 0) return null;
      return this.ip(decl.value, depth + 1);
    }
    if (n.type === 'call_expression') {
      const callee = calleeText(n);
      const args = callArgs(n);
      if (callee === 'net.IPv4' && args.length === 4) {
        const parts = args.map((a) => this.evaluate(a, depth + 1));
        if (parts.some((p) => typeof p !== 'number')) return null;
        return { ip: parts.join('.'), explicit: true };
      }
      if ((callee === 'net.ParseIP' || callee === 'netip.MustParseAddr') && args[0]) {
        const s = this.evaluate(args[0], depth + 1);
        return typeof s === 'string' ? { ip: s, explicit: true } : null;
      }
    }
    // net.IP{224, 0, 0, 1} and syscall's [4]byte{0, 0, 0, 0}
    if (n.type === 'composite_literal' && /\bIP$|^\[4\]byte$/.test((n.childForFieldName('type')?.text ?? '').replace(/\s+/g, ''))) {
      const parts = namedChildrenOf(n.childForFieldName('body')).map((e) => this.evaluate(namedChildrenOf(e)[0] ?? e, depth + 1));
      if (parts.length !== 4 || parts.some((p) => typeof p !== 'number')) return null;
      return { ip: parts.join('.'), explicit: true };
    }
    return null;
  }

  /** Host and port of a listen address given as a string expression. */
  stringAddress(node: SyntaxNode): ListenAddress {
    const v = this.evaluate(node);
    if (typeof v !== 'string') return unknownAddress();
    return parseGoAddress(v);
  }

  /** Host and port of a *net.TCPAddr / *net.UDPAddr expression. */
  structAddress(node: SyntaxNode, depth = 0): ListenAddress {
    if (depth > MAX_DEPTH) return unknownAddress();
    let n = unparen(node);
    if (n.type === 'unary_expression' && n.child(0)?.type === '&') {
      const operand = n.childForFieldName('operand');
      if (!operand) return unknownAddress();
      n = unparen(operand);
    }
    if (n.type === 'nil') return { host: null, port: 0, explicitWildcard: false, hostKind: 'unknown' };
    if (n.type === 'identifier') {
      const decl = this.scope.declaration(n.text, n);
      if (!decl?.value || this.scope.assignments(n.text, decl, n).length > 0) return unknownAddress();
      if (decl.multiValue) {
        const call = unparen(decl.value);
        if (call.type === 'call_expression' && decl.index === 0 && /^Resolve(?:TCP|UDP)Addr$/.test(calleeName(call))) {
          const s = callArgs(call)[1];
          return s ? this.stringAddress(s) : unknownAddress();
        }
        return unknownAddress();
      }
      return this.structAddress(decl.value, depth + 1);
    }
    if (n.type === 'composite_literal' && /(?:TCP|UDP)Addr$|SockaddrInet[46]$/.test(n.childForFieldName('type')?.text ?? '')) {
      let host: string | null = null;
      let explicit = false;
      let hostUnknown = false;
      // A missing Port is Go's zero value: an ephemeral port.
      let port: number | null = 0;
      for (const element of namedChildrenOf(n.childForFieldName('body'))) {
        if (element.type !== 'keyed_element') continue;
        const [key, value] = namedChildrenOf(element);
        const valueNode = value ? namedChildrenOf(value)[0] ?? value : null;
        if (!key || !valueNode) continue;
        if (key.text === 'Port') {
          const p = this.evaluate(valueNode);
          port = typeof p === 'number' && p >= 0 && p <= 65535 ? p : null;
        } else if (key.text === 'IP' || key.text === 'Addr') {
          const ip = this.ip(valueNode);
          host = ip?.ip ?? null;
          explicit = ip?.explicit ?? false;
          hostUnknown = ip === null;
        }
      }
      const kind = host === null || hostUnknown ? 'unknown' : classifyHost(host);
      return { host, port, explicitWildcard: explicit && kind === 'any', hostKind: kind };
    }
    return unknownAddress();
  }

}

export function unknownAddress(): ListenAddress {
  return { host: null, port: null, explicitWildcard: false, hostKind: 'unknown' };
}

/** Splits a Go listen address: ":8080", "0.0.0.0:8080", "[::]:80", ":http", "localhost:0". */
export function parseGoAddress(text: string): ListenAddress {
  const t = text.trim();
  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]*)\]:(\w*)$/.exec(t);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else {
    const idx = t.lastIndexOf(':');
    if (idx < 0 || t.slice(0, idx).includes(':')) return unknownAddress();
    host = t.slice(0, idx);
    portText = t.slice(idx + 1);
  }
  let port: number | null = null;
  if (/^\d+$/.test(portText)) {
    const p = Number.parseInt(portText, 10);
    port = p <= 65535 ? p : null;
  } else if (portText === '') {
    port = 0;
  } else {
    port = SERVICE_PORTS[portText] ?? null;
  }
  const hostKind = classifyHost(host);
  return { host, port, explicitWildcard: hostKind === 'any', hostKind };
}
