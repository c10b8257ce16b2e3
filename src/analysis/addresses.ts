// Which bind addresses can collide on one port. Per the OS rules (socket(7), Winsock's sharing matrix):
// two different specific addresses never collide, an IPv4 address never collides with an IPv6 one, and
// only a wildcard covers other addresses. An IPv6 wildcard `::` is dual-stack by default on Linux and
// macOS and in most runtimes (Go, Node, Java, .NET), so it is taken to cover IPv4 addresses as well.
import type { BindFact } from './facts';

export type AddressFamily = 'ipv4' | 'ipv6';

interface Address {
  /** null when the text does not say (a host name such as "localhost", or a wildcard without a family). */
  family: AddressFamily | null;
  /** Normalized literal address; null for wildcards and names. */
  address: string | null;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
// Hex groups, "::" and an optional embedded IPv4 tail or zone ("fe80::1%eth0").
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){1,7}(:\d{1,3}(\.\d{1,3}){3})?(%[\w.-]+)?$/;

/** Named constants adapters pass through as the host text (INADDR_ANY, IPAddress.IPv6Any...). */
const NAMED: { pattern: RegExp; family: AddressFamily; address: string | null }[] = [
  { pattern: /in6addr_any|ipv6any|::\/0/, family: 'ipv6', address: null },
  { pattern: /in6addr_loopback|ipv6loopback/, family: 'ipv6', address: '::1' },
  { pattern: /inaddr_any|ipaddress\.any$/, family: 'ipv4', address: null },
  { pattern: /inaddr_loopback|ipaddress\.loopback$/, family: 'ipv4', address: '127.0.0.1' },
];

/** Reads a bind's host text into its address family and normalized address. */
export function addressOf(bind: BindFact): Address {
  const host = (bind.host ?? '').trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  for (const named of NAMED) if (named.pattern.test(host)) return { family: named.family, address: named.address };
  if (IPV4.test(host)) return { family: 'ipv4', address: host === '0.0.0.0' ? null : host };
  // An IPv4-mapped IPv6 address ("::ffff:10.0.0.1") is that IPv4 address on a dual-stack socket.
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/.exec(host);
  if (mapped?.[1]) return { family: 'ipv4', address: mapped[1] };
  if (host.includes(':') && IPV6.test(host)) {
    const unzoned = host.replace(/%.*$/, '');
    return { family: 'ipv6', address: bind.hostKind === 'any' ? null : expandIpv6(unzoned) };
  }
  return { family: null, address: null };
}

/** The full eight-group form, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
function expandIpv6(text: string): string {
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = Math.max(0, 8 - left.length - right.length);
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups.map((g) => (/^[0-9a-f]+$/.test(g) ? Number.parseInt(g, 16).toString(16) : g)).join(':');
}

/** Does a wildcard bind cover the other bind's address? */
function wildcardCovers(wildcard: BindFact, other: BindFact): boolean {
  const family = addressOf(wildcard).family;
  // An IPv4 wildcard (0.0.0.0) covers IPv4 addresses only; IPv6 or unknown-family wildcards cover all.
  // Two wildcards always meet: "::" is dual-stack by default, so it also takes 0.0.0.0's port.
  return family !== 'ipv4' || other.hostKind === 'any' || addressOf(other).family !== 'ipv6';
}

/** Can two binds of one port collide, that is, does one's address cover the other's? */
export function hostsOverlap(a: BindFact, b: BindFact): boolean {
  // Cannot tell where it binds: assume the worst, as before.
  if (a.hostKind === 'unknown' || b.hostKind === 'unknown') return true;
  if (a.hostKind === 'any') return wildcardCovers(a, b);
  if (b.hostKind === 'any') return wildcardCovers(b, a);
  const x = addressOf(a);
  const y = addressOf(b);
  if (x.address !== null && y.address !== null) return x.address === y.address;
  // A name such as "localhost" may resolve to 127.0.0.1 or ::1: it meets any loopback address.
  if (a.hostKind === 'loopback' && b.hostKind === 'loopback') return true;
  return (a.host ?? '').trim().toLowerCase() === (b.host ?? '').trim().toLowerCase();
}
