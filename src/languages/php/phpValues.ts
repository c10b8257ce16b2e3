// Evaluates the PHP expressions ports, URIs, hosts and flags are written with: literals, constants
// (`const`, `define`, `self::X`), concatenation, interpolation, sprintf, casts, `getenv('PORT') ?: 8080`
// and `$_ENV['PORT'] ?? 8080`.
import { parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import { type PhpNames, variableKey, visibleScopes } from './phpScopes';

const MAX_DEPTH = 12;
/** Stands for a part of a string the code computes at run time. */
export const UNKNOWN_PART = '\uffff';

export function argumentNodes(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments') ?? call.namedChildren.find((c) => c?.type === 'arguments') ?? null;
  return args ? args.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type === 'argument') : [];
}

/** The value of the positional argument `index`, or of the named argument `name:`. */
export function argumentValue(call: SyntaxNode, index: number, name?: string): SyntaxNode | null {
  const args = argumentNodes(call);
  if (name) {
    const named = args.find((a) => a.childForFieldName('name')?.text === name);
    if (named) return valueOfArgument(named);
  }
  const positional = args.filter((a) => !a.childForFieldName('name'));
  const arg = positional[index];
  return arg ? valueOfArgument(arg) : null;
}

function valueOfArgument(arg: SyntaxNode): SyntaxNode | null {
  const nameNode = arg.childForFieldName('name');
  return arg.namedChildren.find((c) => c !== null && c.startIndex !== nameNode?.startIndex) ?? null;
}

/** `foo(...)`, `\foo(...)`, `Ns\foo(...)` → "foo". */
export function functionName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return fn ? fn.text.replace(/^.*\\/, '') : '';
}

function operatorOf(n: SyntaxNode): string {
  return n.childForFieldName('operator')?.text ?? n.child(1)?.text ?? '';
}

export function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let n = node;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'cast_expression')) {
    n = n.type === 'cast_expression' ? n.childForFieldName('value') : n.namedChild(0);
  }
  return n;
}

function parsePhpInt(text: string): number | null {
  const t = text.replace(/_/g, '');
  if (/^0[bB][01]+$/.test(t)) return Number.parseInt(t.slice(2), 2);
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^0[oO]?[0-7]+$/.test(t)) return Number.parseInt(t.replace(/^0[oO]?/, ''), 8);
  if (/^\d+$/.test(t)) return Number.parseInt(t, 10);
  return null;
}

export class PhpEvaluator {
  constructor(private readonly names: PhpNames) {}

  /** The value node a variable, property or constant holds where `node` uses it. */
  resolve(node: SyntaxNode): SyntaxNode | null {
    if (node.type === 'name' || node.type === 'qualified_name') return this.names.constant(node.text.replace(/^.*\\/, ''));
    if (node.type === 'class_constant_access_expression') {
      const name = node.namedChildren.filter((c) => c !== null).pop();
      return name ? this.names.constant(name.text) : null;
    }
    const key = variableKey(node);
    return key ? this.names.variableAt(key, visibleScopes(key, node), node.startIndex) : null;
  }

  int(node: SyntaxNode | null, depth = 0): number | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'integer':
        return parsePhpInt(n.text);
      case 'unary_op_expression': {
        const v = this.int(n.childForFieldName('argument') ?? n.namedChild(0), depth + 1);
        const op = n.child(0)?.text;
        if (v === null) return null;
        return op === '-' ? -v : op === '~' ? ~v : op === '+' ? v : null;
      }
      case 'binary_expression': {
        const op = operatorOf(n);
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (op === '??' || op === '||' || op === 'or') return this.int(left, depth + 1) ?? this.int(right, depth + 1);
        const a = this.int(left, depth + 1);
        const b = this.int(right, depth + 1);
        if (a === null || b === null) return null;
        return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '|' ? a | b : null;
      }
      case 'conditional_expression': {
        // getenv('PORT') ?: 8080, isset($x) ? (int) $x : 8080: the literal fallback is what a reader sees.
        const body = n.childForFieldName('body');
        return this.int(body ?? n.childForFieldName('condition'), depth + 1) ?? this.int(n.childForFieldName('alternative'), depth + 1);
      }
      case 'string':
      case 'encapsed_string': {
        const s = this.string(n, depth + 1);
        return s === null ? null : parsePort(s);
      }
      case 'function_call_expression': {
        const name = functionName(n);
        if (name === 'intval' || name === 'abs') return this.int(argumentValue(n, 0), depth + 1);
        return null;
      }
      case 'variable_name':
      case 'member_access_expression':
      case 'name':
      case 'qualified_name':
      case 'class_constant_access_expression':
        return this.int(this.resolve(n), depth + 1);
      default:
        return null;
    }
  }

  /** The string a node spells, or null when any part is unknown. */
  string(node: SyntaxNode | null, depth = 0): string | null {
    const t = this.template(node, depth);
    return t === null || t.includes(UNKNOWN_PART) ? null : t;
  }

  /** The string a node spells with unknown parts as UNKNOWN_PART; null when it is not a string at all. */
  template(node: SyntaxNode | null, depth = 0): string | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    switch (n.type) {
      case 'string':
      case 'encapsed_string': {
        let out = '';
        for (const part of n.namedChildren) {
          if (!part) continue;
          if (part.type === 'string_content' || part.type === 'string_value') out += part.text;
          else if (part.type === 'escape_sequence') out += part.text === '\\\\' ? '\\' : /^\\[nrt]$/.test(part.text) ? '\n' : part.text.slice(1);
          else out += this.scalarText(part, depth + 1) ?? UNKNOWN_PART;
        }
        return out;
      }
      case 'integer':
        return n.text;
      case 'binary_expression': {
        const op = operatorOf(n);
        if (op === '.') {
          const a = this.scalarText(n.childForFieldName('left'), depth + 1) ?? UNKNOWN_PART;
          const b = this.scalarText(n.childForFieldName('right'), depth + 1) ?? UNKNOWN_PART;
          return a + b;
        }
        if (op === '??') return this.template(n.childForFieldName('left'), depth + 1) ?? this.template(n.childForFieldName('right'), depth + 1);
        return null;
      }
      case 'conditional_expression':
        return this.template(n.childForFieldName('body') ?? n.childForFieldName('condition'), depth + 1) ?? this.template(n.childForFieldName('alternative'), depth + 1);
      case 'function_call_expression': {
        if (functionName(n) !== 'sprintf') return null;
        const format = this.string(argumentValue(n, 0), depth + 1);
        if (format === null) return null;
        let index = 1;
        return format.replace(/%(?:\d+\$)?[-+ 0]*\d*(?:\.\d+)?([sdu%])/g, (m, kind: string) => {
          if (kind === '%') return '%';
          return this.scalarText(argumentValue(n, index++), depth + 1) ?? UNKNOWN_PART;
        });
      }
      case 'variable_name':
      case 'member_access_expression':
      case 'name':
      case 'qualified_name':
      case 'class_constant_access_expression':
        return this.template(this.resolve(n), depth + 1);
      default:
        return null;
    }
  }

  private scalarText(node: SyntaxNode | null, depth: number): string | null {
    const s = this.template(node, depth);
    if (s !== null) return s;
    return this.int(node, depth)?.toString() ?? null;
  }

  /** true/false/1/0; null when the code decides at run time. */
  truthy(node: SyntaxNode | null, depth = 0): boolean | null {
    const n = unwrap(node);
    if (!n || depth > MAX_DEPTH) return null;
    if (n.type === 'boolean') return n.text.toLowerCase() === 'true';
    if (n.type === 'null') return false;
    const v = this.int(n, depth + 1);
    if (v !== null) return v !== 0;
    if (n.type === 'variable_name' || n.type === 'name' || n.type === 'class_constant_access_expression') return this.truthy(this.resolve(n), depth + 1);
    return null;
  }

  /** Array literal entries `'key' => value` (both `[...]` and `array(...)`). */
  static arrayEntries(node: SyntaxNode | null): { key: string | null; keyNode: SyntaxNode | null; value: SyntaxNode; element: SyntaxNode }[] {
    const n = unwrap(node);
    if (n?.type !== 'array_creation_expression') return [];
    const entries = [];
    for (const element of n.namedChildren) {
      if (element?.type !== 'array_element_initializer') continue;
      const parts = element.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
      const keyNode = parts.length >= 2 ? (parts[0] ?? null) : null;
      const value = parts[parts.length - 1];
      if (!value) continue;
      const key = keyNode && (keyNode.type === 'string' || keyNode.type === 'encapsed_string') ? keyNode.text.slice(1, -1) : null;
      entries.push({ key, keyNode, value, element });
    }
    return entries;
  }
}

