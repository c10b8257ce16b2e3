// Evaluates the Java expressions a port, host or flag is written with: literals, constants, string
// concatenation, Integer.parseInt, env/property lookups with a default, InetSocketAddress and InetAddress.
import type { HostKind } from '../../analysis/facts';
import { classifyHost, parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import { JavaSymbols, scopeChain } from './javaSymbols';

const MAX_DEPTH = 12;

export interface Address {
  host: string | null;
  port: number | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
}

export const UNKNOWN_ADDRESS: Address = { host: null, port: null, hostKind: 'unknown', explicitWildcard: false };

/** Hosts that mean "every interface" when written out. */
function isWildcardText(host: string): boolean {
  return classifyHost(host) === 'any';
}

export function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) {
    n = n.type === 'cast_expression' ? n.childForFieldName('value') : n.namedChild(0);
  }
  return n;
}

export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment') : [];
}

/** "java.net.ServerSocket" / "ServerSocket<T>" → "ServerSocket". */
export function simpleTypeName(node: SyntaxNode | null): string {
  if (!node) return '';
  return node.text.replace(/<.*$/s, '').replace(/^.*\./, '').trim();
}

function methodName(call: SyntaxNode): string {
  return call.childForFieldName('name')?.text ?? '';
}

function receiverText(call: SyntaxNode): string {
  return call.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
}

function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\\'"nrtbf0])/g, (_m, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

export class JavaEvaluator {
  constructor(private readonly symbols: JavaSymbols) {}

  /** The value node a name refers to at `at`, or null. */
  resolveName(node: SyntaxNode): SyntaxNode | null {
    const decl = this.declarationOf(node);
    return decl ? JavaSymbols.valueAt(decl, node.startIndex) : null;
  }

  declarationOf(node: SyntaxNode): ReturnType<JavaSymbols['declarationFor']> {
    if (node.type === 'identifier') return this.symbols.declarationFor(node.text, scopeChain(node)) ?? this.symbols.anyField(node.text);
    if (node.type === 'field_access') {
      const object = node.childForFieldName('object');
      const field = node.childForFieldName('field')?.text ?? '';
      if (object?.type === 'this') return this.symbols.fieldDeclaration(field, scopeChain(node));
      return this.symbols.anyField(field);
    }
    return undefined;
  }

  int(node: SyntaxNode | null, depth = 0): number | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'decimal_integer_literal':
      case 'hex_integer_literal':
      case 'octal_integer_literal':
      case 'binary_integer_literal': {
        const t = n.text.replace(/_/g, '').replace(/[lL]$/, '');
        if (/^0[bB]/.test(t)) return Number.parseInt(t.slice(2), 2);
        if (/^0[xX]/.test(t)) return Number.parseInt(t.slice(2), 16);
        if (/^0\d/.test(t)) return Number.parseInt(t.slice(1), 8);
        return Number.parseInt(t, 10);
      }
      case 'unary_expression': {
        const v = this.int(n.childForFieldName('operand'), depth + 1);
        if (v === null) return null;
        const op = n.childForFieldName('operator')?.text ?? n.child(0)?.text;
        if (op === '-') return -v;
        if (op === '~') return ~v;
        if (op === '+') return v;
        return null;
      }
      case 'binary_expression': {
        const a = this.int(n.childForFieldName('left'), depth + 1);
        const b = this.int(n.childForFieldName('right'), depth + 1);
        if (a === null || b === null) return null;
        const op = n.childForFieldName('operator')?.text;
        if (op === '+') return a + b;
        if (op === '-') return a - b;
        if (op === '*') return a * b;
        if (op === '|') return a | b;
        return null;
      }
      case 'identifier':
      case 'field_access':
        return this.int(this.resolveName(n), depth + 1);
      case 'method_invocation':
        return this.intCall(n, depth);
      default:
        return null;
    }
  }

  private intCall(call: SyntaxNode, depth: number): number | null {
    const name = methodName(call);
    const args = argumentsOf(call);
    const receiver = receiverText(call);
    if ((name === 'parseInt' || name === 'valueOf') && /^(java\.lang\.)?Integer$/.test(receiver)) {
      const s = this.string(args[0] ?? null, depth + 1);
      return s === null ? this.int(args[0] ?? null, depth + 1) : parsePort(s);
    }
    // Integer.getInteger("port", 8080), Optional...orElse(8080), Objects.requireNonNullElse(x, 8080)
    if (name === 'getInteger' && args.length === 2) return this.int(args[1] ?? null, depth + 1);
    if (name === 'orElse' || name === 'requireNonNullElse' || name === 'getOrDefault') {
      const fallback = args[args.length - 1] ?? null;
      const s = this.string(fallback, depth + 1);
      return s === null ? this.int(fallback, depth + 1) : parsePort(s);
    }
    if (name === 'intValue') return this.int(call.childForFieldName('object'), depth + 1);
    return null;
  }

  string(node: SyntaxNode | null, depth = 0): string | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'string_literal': {
        if (n.text.startsWith('"""')) return null;
        const parts = n.namedChildren.filter((c): c is SyntaxNode => c !== null);
        return parts.map((c) => (c.type === 'escape_sequence' ? unescapeJava(c.text) : c.text)).join('');
      }
      case 'binary_expression': {
        if (n.childForFieldName('operator')?.text !== '+') return null;
        const a = this.string(n.childForFieldName('left'), depth + 1) ?? this.int(n.childForFieldName('left'), depth + 1)?.toString() ?? null;
        const b = this.string(n.childForFieldName('right'), depth + 1) ?? this.int(n.childForFieldName('right'), depth + 1)?.toString() ?? null;
        return a === null || b === null ? null : a + b;
      }
      case 'identifier':
      case 'field_access':
        return this.string(this.resolveName(n), depth + 1);
      case 'method_invocation': {
        const name = methodName(n);
        const args = argumentsOf(n);
        // System.getProperty("k", "def"), System.getenv().getOrDefault("PORT", "8080"), Optional.orElse("x")
        if ((name === 'getProperty' || name === 'getOrDefault') && args.length === 2) return this.string(args[1] ?? null, depth + 1);
        if (name === 'orElse' || name === 'requireNonNullElse') return this.string(args[args.length - 1] ?? null, depth + 1);
        if (name === 'valueOf' && /^String$/.test(receiverText(n))) return this.int(args[0] ?? null, depth + 1)?.toString() ?? null;
        return null;
      }
      default:
        return null;
    }
  }

  bool(node: SyntaxNode | null, depth = 0): boolean | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'true') return true;
    if (n.type === 'false') return false;
    if (n.type === 'unary_expression' && n.child(0)?.text === '!') {
      const v = this.bool(n.childForFieldName('operand'), depth + 1);
      return v === null ? null : !v;
    }
    if (n.type === 'identifier' || n.type === 'field_access') {
      if (/^(Boolean\.)?TRUE$/.test(n.text)) return true;
      if (/^(Boolean\.)?FALSE$/.test(n.text)) return false;
      return this.bool(this.resolveName(n), depth + 1);
    }
    return null;
  }

  /** An InetAddress expression: getByName("h"), getLoopbackAddress(), getByAddress(new byte[]{0,0,0,0}). */
  inetAddress(node: SyntaxNode | null, depth = 0): Omit<Address, 'port'> {
    const n = unwrap(node);
    const unknown = { host: null, hostKind: 'unknown' as HostKind, explicitWildcard: false };
    if (!n || depth > MAX_DEPTH) return unknown;
    if (n.type === 'null_literal') return { host: null, hostKind: 'any', explicitWildcard: false };
    if (n.type === 'identifier' || n.type === 'field_access') return this.inetAddress(this.resolveName(n), depth + 1);
    if (n.type === 'string_literal' || n.type === 'binary_expression') {
      const host = this.string(n, depth + 1);
      return host === null ? unknown : { host, hostKind: classifyHost(host), explicitWildcard: isWildcardText(host) };
    }
    if (n.type !== 'method_invocation') return unknown;
    const name = methodName(n);
    const args = argumentsOf(n);
    if (name === 'getLoopbackAddress') return { host: '127.0.0.1', hostKind: 'loopback', explicitWildcard: false };
    if (name === 'getByName' || name === 'getAllByName') {
      const arg = unwrap(args[0] ?? null);
      if (arg?.type === 'null_literal') return { host: '127.0.0.1', hostKind: 'loopback', explicitWildcard: false };
      const host = this.string(arg, depth + 1);
      return host === null ? unknown : { host, hostKind: classifyHost(host), explicitWildcard: isWildcardText(host) };
    }
    if (name === 'getByAddress') {
      const bytes = unwrap(args[args.length - 1] ?? null);
      const init = bytes?.type === 'array_creation_expression' ? bytes.childForFieldName('value') : bytes;
      if (init?.type === 'array_initializer') {
        const parts = init.namedChildren.map((c) => this.int(c, depth + 1));
        if (parts.length === 4 && parts.every((p) => p !== null)) {
          const host = parts.map((p) => ((p ?? 0) + 256) % 256).join('.');
          return { host, hostKind: classifyHost(host), explicitWildcard: isWildcardText(host) };
        }
      }
    }
    return unknown;
  }

  /** A SocketAddress expression: new InetSocketAddress([host,] port), null (any port), or a variable. */
  socketAddress(node: SyntaxNode | null, depth = 0): Address {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return UNKNOWN_ADDRESS;
    if (n.type === 'null_literal') return { host: null, port: 0, hostKind: 'any', explicitWildcard: false };
    if (n.type === 'identifier' || n.type === 'field_access') return this.socketAddress(this.resolveName(n), depth + 1);
    const creates = n.type === 'object_creation_expression' && simpleTypeName(n.childForFieldName('type')) === 'InetSocketAddress';
    const unresolved = n.type === 'method_invocation' && methodName(n) === 'createUnresolved';
    if (!creates && !unresolved) return UNKNOWN_ADDRESS;
    const args = argumentsOf(n);
    if (args.length === 1) return { host: null, port: this.int(args[0] ?? null, depth + 1), hostKind: 'any', explicitWildcard: false };
    if (args.length === 2) {
      const host = this.inetAddress(args[0] ?? null, depth + 1);
      return { ...host, port: this.int(args[1] ?? null, depth + 1) };
    }
    return UNKNOWN_ADDRESS;
  }

  /** True when the expression is an InetSocketAddress/SocketAddress rather than an int port. */
  looksLikeAddress(node: SyntaxNode | null, depth = 0): boolean {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return false;
    if (n.type === 'object_creation_expression') return /SocketAddress$/.test(simpleTypeName(n.childForFieldName('type')));
    if (n.type === 'method_invocation') return /createUnresolved|getLocalSocketAddress|getRemoteSocketAddress/.test(methodName(n));
    if (n.type === 'identifier' || n.type === 'field_access') {
      const decl = this.declarationOf(n);
      if (decl?.type && /SocketAddress$/.test(decl.type)) return true;
      return this.looksLikeAddress(this.resolveName(n), depth + 1);
    }
    return false;
  }
}
