// Unix-domain sockets whose family the socket() call does not spell out (`socket(self->family, ...)`):
// the address they are bound to tells. A `struct sockaddr_un`, a `sun_path`/`sun_family` written on it,
// or a family variable that is only ever given AF_UNIX/AF_LOCAL in this file: no port, no reuse rules.
import type { SyntaxNode } from '../treeSitter';
import type { FnScope } from './cProgram';
import { rootIdentifier, unwrap } from './cSyntax';

const UNIX_FAMILY = /^(?:AF|PF)_(?:UNIX|LOCAL|FILE)$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Is the address passed to bind() (with its length argument) a Unix-domain address? */
export function isUnixAddress(fn: FnScope, address: SyntaxNode, length: SyntaxNode | undefined): boolean {
  if (/\bsockaddr_un\b|\bSUN_LEN\b/.test(address.text) || (length !== undefined && /\bsockaddr_un\b|\bsun_path\b|\bSUN_LEN\b/.test(length.text))) return true;
  const root = rootIdentifier(unwrap(address));
  if (!root) return false;
  if (/\bsockaddr_un\b/.test(fn.types.get(root) ?? '')) return true;
  // `addr.sun_path` / `addr->sun_family` written in this function: the storage holds a sockaddr_un.
  return new RegExp(`\\b${escapeRegExp(root)}\\s*(?:\\.|->)\\s*sun_(?:path|family)\\b`).test(fn.node.text);
}

/**
 * A family given as a member or variable (`self->family`, `variant->domain`, `family`): Unix-domain when
 * every value this file assigns to that name (`.family = AF_UNIX,`, `family = AF_LOCAL;`) is one.
 */
export function familyOnlyUnix(fileText: string, family: SyntaxNode): boolean {
  const n = unwrap(family, false);
  if (n.type !== 'identifier' && n.type !== 'field_expression') return false;
  const name = n.type === 'field_expression' ? n.childForFieldName('field')?.text : n.text;
  if (!name || !/^\w+$/.test(name)) return false;
  const values = [...fileText.matchAll(new RegExp(`(?:^|[^\\w=!<>])${escapeRegExp(name)}\\s*=\\s*([A-Za-z_]\\w*)`, 'gm'))].map((m) => m[1] ?? '');
  const families = values.filter((v) => /^(?:AF|PF)_\w+$/.test(v));
  return families.length > 0 && families.length === values.length && families.every((v) => UNIX_FAMILY.test(v));
}
