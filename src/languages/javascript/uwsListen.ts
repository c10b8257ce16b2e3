// uWebSockets.js listen(): `listen(port, cb)`, `listen(host, port, cb)`, `listen(port, flags, cb)` and
// `listen(host, port, flags, cb)`. uSockets' bsd_bind_listen_fd sets SO_REUSEADDR and SO_REUSEPORT on
// Unix and SO_REUSEADDR on Windows, unless the flags hold LIBUS_LISTEN_EXCLUSIVE_PORT (1): then
// SO_REUSEPORT is left off on Unix and SO_EXCLUSIVEADDRUSE is set on Windows. Port 0 gets neither.
import type { BindFact } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { callArguments, stringValue, unwrap } from './syntax';
import type { ValueReader } from './values';

export type ExclusiveFlag = 'yes' | 'no' | 'unknown';

export interface UwsListenArguments {
  port: SyntaxNode | null;
  host: SyntaxNode | null;
  /** The flags argument (LIBUS_LISTEN_*), when given. */
  flags: SyntaxNode | null;
  exclusive: ExclusiveFlag;
  callbacks: SyntaxNode[];
}

export const EXCLUSIVE_NAME = 'LIBUS_LISTEN_EXCLUSIVE_PORT';

const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const HOST_NAME = /host|addr|address|\bip\b|^ip|iface|interface/i;

function isFlagsLike(n: SyntaxNode): boolean {
  return /LIBUS_\w+|flags?$|options$/i.test(n.text) || n.type === 'number';
}

export function readUwsListen(call: SyntaxNode, values: ValueReader): UwsListenArguments {
  const all = callArguments(call);
  // The callback always comes last; only a port (or a port and flags) may stand alone.
  const last = all.length >= 2 ? unwrap(all[all.length - 1] ?? null) : null;
  const lastIsCallback = last !== null && (FUNCTION_TYPES.has(last.type)
    || ((last.type === 'identifier' || last.type === 'member_expression' || last.type === 'call_expression') && !isFlagsLike(last) && values.port(last) === null && values.host(last) === null));
  const callbacks = lastIsCallback ? all.slice(-1) : [];
  const rest = lastIsCallback ? all.slice(0, -1) : all;
  const result: UwsListenArguments = { port: null, host: null, flags: null, exclusive: 'no', callbacks };
  const [first, second, third] = rest;
  if (!first) return result;
  if (rest.length >= 3) {
    result.host = first;
    result.port = second ?? null;
    result.flags = third ?? null;
  } else if (second && isHost(first, values)) {
    result.host = first;
    result.port = second;
  } else {
    result.port = first;
    result.flags = second ?? null;
  }
  if (result.flags) result.exclusive = exclusiveOf(result.flags, values);
  return result;
}

function isHost(n: SyntaxNode, values: ValueReader): boolean {
  const inner = unwrap(n);
  if (!inner) return false;
  if (inner.type === 'string' || inner.type === 'template_string') return stringValue(inner) === null || values.port(inner) === null;
  if (values.host(inner) !== null) return true;
  if (values.port(inner) !== null || isFlagsLike(inner)) return false;
  const name = inner.type === 'member_expression' ? inner.childForFieldName('property')?.text ?? '' : inner.text;
  return HOST_NAME.test(name);
}

function exclusiveOf(flags: SyntaxNode, values: ValueReader): ExclusiveFlag {
  const text = flags.text;
  if (new RegExp(`\\b${EXCLUSIVE_NAME}\\b`).test(text)) return 'yes';
  const value = values.number(flags);
  if (value !== null) return (value & 1) === 1 ? 'yes' : 'no';
  if (/^([\w$]+\.)?LIBUS_LISTEN_DEFAULT$/.test(text.replace(/\s+/g, ''))) return 'no';
  if (unwrap(flags)?.type === 'undefined' || unwrap(flags)?.type === 'null') return 'no';
  return 'unknown';
}

/** What uSockets sets at this listen, per platform. */
export function uwsImplicit(port: number | null, exclusive: ExclusiveFlag): BindFact['implicit'] {
  if (port === 0) return {};
  if (exclusive === 'yes') return { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] };
  if (exclusive === 'unknown') return { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
  return { linux: ['reuseaddr', 'reuseport'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] };
}
