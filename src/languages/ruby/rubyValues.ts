// Evaluates the Ruby expressions ports, hosts and flags are written with: literals, constants,
// interpolated strings, `ENV.fetch('PORT', 3000)`, `(ENV['PORT'] || 3000).to_i`, `Integer(...)`.
import type { HostKind } from '../../analysis/facts';
import { classifyHost, parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import { RubyNames, scopeChain } from './rubyScopes';

const MAX_DEPTH = 12;

export interface Address {
  host: string | null;
  port: number | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
}

export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment') : [];
}

/** Positional arguments (hash pairs and block arguments left out). */
export function positional(call: SyntaxNode): SyntaxNode[] {
  return argumentsOf(call).filter((n) => n.type !== 'pair' && n.type !== 'block_argument' && n.type !== 'hash_splat_argument');
}

/** `:Port => 8000`, `Port: 8000`, `'Port' => 8000` in a call's arguments or a hash literal. */
export function hashValue(container: SyntaxNode, key: string): SyntaxNode | null {
  const pairs = container.type === 'hash' ? container.namedChildren : argumentsOf(container).flatMap((a) => (a.type === 'hash' ? a.namedChildren : [a]));
  for (const pair of pairs) {
    if (pair?.type !== 'pair') continue;
    const k = pair.childForFieldName('key')?.text.replace(/^:|:$|^['"]|['"]$/g, '');
    if (k === key) return pair.childForFieldName('value');
  }
  return null;
}

/** Receiver text without a leading `::`. */
export function receiverName(call: SyntaxNode): string {
  return (call.childForFieldName('receiver')?.text ?? '').replace(/^::/, '').replace(/\s+/g, '');
}

export function methodName(call: SyntaxNode): string {
  return call.childForFieldName('method')?.text ?? '';
}

function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n && (n.type === 'parenthesized_statements' || n.type === 'begin_block') && n.namedChildCount === 1) n = n.namedChild(0);
  return n;
}

function parseRubyInt(text: string): number | null {
  const t = text.replace(/_/g, '');
  if (/^0[bB][01]+$/.test(t)) return Number.parseInt(t.slice(2), 2);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^0[oO]?[0-7]+$/.test(t)) return Number.parseInt(t.replace(/^0[oO]?/, ''), 8);
  if (/^\d+$/.test(t)) return Number.parseInt(t, 10);
  return null;
}

export class RubyEvaluator {
  constructor(private readonly names: RubyNames) {}

  /** The value a name (local, @ivar, CONSTANT, Mod::CONST, $global) holds at its use. */
  resolve(node: SyntaxNode): SyntaxNode | null {
    const name = node.type === 'scope_resolution' ? (node.childForFieldName('name')?.text ?? '') : node.text;
    const binding = this.names.lookup(name, scopeChain(node));
    return binding ? RubyNames.valueAt(binding, node.startIndex) : null;
  }

  int(node: SyntaxNode | null, depth = 0): number | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'integer':
        return parseRubyInt(n.text);
      case 'unary': {
        const v = this.int(n.childForFieldName('operand'), depth + 1);
        const op = n.child(0)?.text;
        if (v === null) return null;
        return op === '-' ? -v : op === '~' ? ~v : op === '+' ? v : null;
      }
      case 'binary': {
        const op = n.childForFieldName('operator')?.text;
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        // ENV['PORT'] || 3000: the default is what a reader sees.
        if (op === '||' || op === 'or') return this.int(left, depth + 1) ?? this.int(right, depth + 1);
        const a = this.int(left, depth + 1);
        const b = this.int(right, depth + 1);
        if (a === null || b === null) return null;
        return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '|' ? a | b : null;
      }
      case 'string':
        return parsePort(this.string(n, depth + 1) ?? '');
      case 'identifier':
      case 'constant':
      case 'instance_variable':
      case 'global_variable':
      case 'class_variable':
      case 'scope_resolution':
        return this.int(this.resolve(n), depth + 1);
      case 'call':
        return this.intCall(n, depth);
      default:
        return null;
    }
  }

  private intCall(call: SyntaxNode, depth: number): number | null {
    const name = methodName(call);
    const receiver = call.childForFieldName('receiver');
    const args = positional(call);
    if ((name === 'to_i' || name === 'to_int') && receiver) {
      const s = this.string(receiver, depth + 1);
      return s !== null ? parsePort(s) : this.int(receiver, depth + 1);
    }
    if (!receiver && name === 'Integer') {
      const s = this.string(args[0] ?? null, depth + 1);
      return s !== null ? parsePort(s) : this.int(args[0] ?? null, depth + 1);
    }
    const fallback = this.envDefault(call);
    if (fallback) {
      const s = this.string(fallback, depth + 1);
      return s !== null ? parsePort(s) : this.int(fallback, depth + 1);
    }
    return null;
  }

  /** ENV.fetch('PORT', 3000) / ENV.fetch('PORT') { 3000 } / options.fetch(:port, 3000): the default. */
  private envDefault(call: SyntaxNode): SyntaxNode | null {
    if (methodName(call) !== 'fetch') return null;
    const args = positional(call);
    if (args.length === 2) return args[1] ?? null;
    const body = call.childForFieldName('block')?.childForFieldName('body');
    return body?.namedChildren.filter((c) => c !== null).pop() ?? null;
  }

  string(node: SyntaxNode | null, depth = 0): string | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'string': {
        let out = '';
        for (const part of n.namedChildren) {
          if (!part) continue;
          if (part.type === 'string_content') out += part.text;
          else if (part.type === 'escape_sequence') out += part.text === '\\\\' ? '\\' : part.text.slice(1);
          else if (part.type === 'interpolation') {
            const inner = part.namedChild(0);
            const v = this.string(inner, depth + 1) ?? this.int(inner, depth + 1)?.toString() ?? null;
            if (v === null) return null;
            out += v;
          } else return null;
        }
        return out;
      }
      case 'simple_symbol':
        return n.text.slice(1);
      case 'integer':
        return n.text.replace(/_/g, '');
      case 'binary': {
        const op = n.childForFieldName('operator')?.text;
        if (op === '||' || op === 'or') return this.string(n.childForFieldName('left'), depth + 1) ?? this.string(n.childForFieldName('right'), depth + 1);
        if (op !== '+') return null;
        const a = this.string(n.childForFieldName('left'), depth + 1);
        const b = this.string(n.childForFieldName('right'), depth + 1);
        return a === null || b === null ? null : a + b;
      }
      case 'identifier':
      case 'constant':
      case 'instance_variable':
      case 'global_variable':
      case 'class_variable':
      case 'scope_resolution':
        return this.string(this.resolve(n), depth + 1);
      case 'call': {
        const name = methodName(n);
        if (name === 'to_s' || name === 'freeze') return this.string(n.childForFieldName('receiver'), depth + 1) ?? this.int(n.childForFieldName('receiver'), depth + 1)?.toString() ?? null;
        const fallback = this.envDefault(n);
        return fallback ? this.string(fallback, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  /** true/false/1/0/[1].pack('i'); null when it cannot be told. */
  truthy(node: SyntaxNode | null, depth = 0): boolean | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'true') return true;
    if (n.type === 'false' || n.type === 'nil') return false;
    if (n.type === 'call' && methodName(n) === 'pack') {
      const first = n.childForFieldName('receiver')?.namedChild(0) ?? null;
      return this.truthy(first, depth + 1);
    }
    const v = this.int(n, depth + 1);
    if (v !== null) return v !== 0;
    if (n.type === 'identifier' || n.type === 'constant' || n.type === 'instance_variable') return this.truthy(this.resolve(n), depth + 1);
    return null;
  }

  /** A host argument: a string, nil (all interfaces, not written out), Socket::INADDR_ANY. */
  host(node: SyntaxNode | null): Omit<Address, 'port'> {
    const n = unwrap(node);
    if (!n || n.type === 'nil') return { host: null, hostKind: 'any', explicitWildcard: false };
    if (n.type === 'scope_resolution' && /INADDR_ANY|IN6ADDR_ANY/.test(n.text)) return { host: n.text, hostKind: 'any', explicitWildcard: true };
    const text = this.string(n);
    if (text === null) {
      const value = n.type === 'identifier' || n.type === 'constant' || n.type === 'instance_variable' ? unwrap(this.resolve(n)) : null;
      if (value?.type === 'nil') return { host: null, hostKind: 'any', explicitWildcard: false };
      return { host: null, hostKind: 'unknown', explicitWildcard: false };
    }
    const kind = classifyHost(text);
    return { host: text, hostKind: kind, explicitWildcard: kind === 'any' };
  }

  /** Addrinfo.tcp(h, p), Socket.sockaddr_in(p, h), Socket.pack_sockaddr_in(p, h), or a variable holding one. */
  sockaddr(node: SyntaxNode | null, depth = 0): Address | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'identifier' || n.type === 'constant' || n.type === 'instance_variable') return this.sockaddr(this.resolve(n), depth + 1);
    if (n.type !== 'call') return null;
    const name = methodName(n);
    const receiver = receiverName(n);
    const args = positional(n);
    if (receiver === 'Addrinfo' && (name === 'tcp' || name === 'udp' || name === 'ip')) {
      return { ...this.host(args[0] ?? null), port: name === 'ip' ? 0 : this.int(args[1] ?? null) };
    }
    if (receiver === 'Socket' && (name === 'sockaddr_in' || name === 'pack_sockaddr_in')) {
      return { ...this.host(args[1] ?? null), port: this.int(args[0] ?? null) };
    }
    return null;
  }
}
