// Reads the arguments of `server.listen(...)` and `socket.bind(...)`: positional port/host/backlog/callback,
// an options object, or an IPC path (which is no network bind at all).
import { parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import type { ScopeResolver } from './scopes';
import { callArguments, findEntry, objectShape, stringValue, unwrap, type ObjectShape } from './syntax';
import type { ValueReader } from './values';

export interface BindArguments {
  /** options: one object argument; positional: port[, host][, backlog][, callback]; none: no port given. */
  form: 'options' | 'positional' | 'none';
  port: SyntaxNode | null;
  host: SyntaxNode | null;
  /** omitted: no host; given: host node present; unknown: an argument that may be a host or a callback. */
  hostState: 'omitted' | 'given' | 'unknown';
  backlog: SyntaxNode | null;
  callbacks: SyntaxNode[];
  /** The options object literal (possibly a constant's), for `form: 'options'`. */
  options: SyntaxNode | null;
  optionsShape: ObjectShape | null;
  /** The argument node that holds the options (a literal or an identifier). */
  optionsArgument: SyntaxNode | null;
}

const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const HOST_NAME = /host|addr|address|\bip\b|^ip|iface|interface|bind|listenOn/i;
const CALLBACK_NAME = /^(cb|callback|done|next|resolve|res|ok|ready|listening|onListen\w*|onListening|onReady|onStart\w*|start\w*|log\w*|handler|fn|f)$/i;

export class BindArgumentReader {
  constructor(private readonly scopes: ScopeResolver, private readonly values: ValueReader) {}

  /**
   * Reads the arguments, or returns null when the call is no TCP/UDP bind (an IPC path, a handle)
   * or cannot be read. `portKey` and `hostKey` name the options-object keys.
   */
  read(call: SyntaxNode, hostKey: string): BindArguments | null {
    const args = callArguments(call);
    const result: BindArguments = {
      form: 'none', port: null, host: null, hostState: 'omitted', backlog: null, callbacks: [],
      options: null, optionsShape: null, optionsArgument: null,
    };
    const first = unwrap(args[0] ?? null);
    if (!first) return result;
    if (this.isFunction(first)) {
      result.callbacks = args;
      return result;
    }
    const object = this.values.objectLiteral(first);
    if (object) {
      const shape = objectShape(object, (n) => this.values.objectLiteral(n));
      if (findEntry(shape, 'path') || findEntry(shape, 'fd') || findEntry(shape, 'handle') || findEntry(shape, 'unix')) return null;
      const port = findEntry(shape, 'port');
      const host = findEntry(shape, hostKey);
      return {
        ...result, form: 'options', port: port?.value ?? null, host: host?.value ?? null,
        hostState: host ? 'given' : 'omitted', callbacks: args.slice(1), options: object, optionsShape: shape, optionsArgument: args[0] ?? null,
      };
    }
    if (first.type === 'object') return null;
    // A string that is not a number is a Unix socket or named pipe path.
    const text = first.type === 'template_string' ? stringValue(first) : this.values.host(first);
    if (first.type === 'template_string' && text === null) return null;
    if (text !== null && parsePort(text) === null) return null;
    result.form = 'positional';
    result.port = args[0] ?? null;
    for (const arg of args.slice(1)) {
      const n = unwrap(arg);
      if (!n) continue;
      const kind = this.kindOf(n, result);
      if (kind === 'callback') result.callbacks.push(arg);
      else if (kind === 'backlog') result.backlog = arg;
      else if (kind === 'host' || kind === 'maybe-host') {
        result.host = arg;
        result.hostState = kind === 'host' ? 'given' : 'unknown';
      }
    }
    return result;
  }

  private kindOf(n: SyntaxNode, sofar: BindArguments): 'callback' | 'backlog' | 'host' | 'maybe-host' | 'skip' {
    if (this.isFunction(n)) return 'callback';
    if (n.type === 'undefined' || n.type === 'null') return 'skip';
    if (n.type === 'number') return 'backlog';
    // After the host (or backlog) only a backlog number or the callback can follow.
    if (sofar.host || sofar.backlog) return this.values.port(n) !== null ? 'backlog' : 'callback';
    if (n.type === 'string' || n.type === 'template_string') return 'host';
    if (n.type === 'identifier' || n.type === 'member_expression') {
      const value = n.type === 'identifier' ? unwrap(this.scopes.resolve(n)) : null;
      if (value && this.isFunction(value)) return 'callback';
      if (this.values.host(n) !== null) return 'host';
      if (this.values.port(n) !== null) return 'backlog';
      const name = n.type === 'identifier' ? n.text : n.childForFieldName('property')?.text ?? '';
      if (HOST_NAME.test(name)) return 'host';
      if (CALLBACK_NAME.test(name)) return 'callback';
      return 'maybe-host';
    }
    if (n.type === 'call_expression' && /^(\w+\.)*bind$/.test(n.childForFieldName('function')?.text ?? '')) return 'callback';
    return 'maybe-host';
  }

  private isFunction(n: SyntaxNode): boolean {
    if (FUNCTION_TYPES.has(n.type)) return true;
    if (n.type === 'identifier') {
      const value = unwrap(this.scopes.resolve(n));
      return value !== null && (FUNCTION_TYPES.has(value.type) || value.type === 'function_declaration');
    }
    return false;
  }
}
