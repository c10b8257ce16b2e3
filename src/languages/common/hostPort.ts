// Reading hosts and ports the way a reader of the code would: literals, "host:port" strings, wildcards.
import type { HostKind } from '../../analysis/facts';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '', '::', '[::]', '*', '0:0:0:0:0:0:0:0', '::0', 'inaddr_any', 'in6addr_any']);
const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]', 'ip6-localhost', 'inaddr_loopback', 'in6addr_loopback']);

export function classifyHost(host: string | null): HostKind {
  if (host === null) return 'unknown';
  const h = host.trim().toLowerCase();
  if (WILDCARD_HOSTS.has(h)) return 'any';
  if (LOOPBACK_HOSTS.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h)) return 'loopback';
  if (/^[\w.:[\]-]+$/.test(h)) return 'specific';
  return 'unknown';
}

/** Parses a port written as a literal: decimal, hex or octal integer in range. */
export function parsePort(text: string): number | null {
  const t = text.trim().replace(/_/g, '').replace(/[uUlL]+$/, '');
  let value: number;
  if (/^\d+$/.test(t)) value = Number.parseInt(t, 10);
  else if (/^0[xX][0-9a-fA-F]+$/.test(t)) value = Number.parseInt(t.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(t)) value = Number.parseInt(t.slice(2), 8);
  else return null;
  return value >= 0 && value <= 65535 ? value : null;
}

/**
 * Splits "host:port", ":port", "[::1]:port", "tcp://host:port" and "udp://host:port" strings.
 * Returns null when the text holds no port.
 */
export function splitHostPort(text: string): { host: string; port: number | null } | null {
  let t = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(t);
  if (scheme) t = t.slice(scheme[0].length);
  t = t.replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]*)\]:(\w*)$/.exec(t);
  if (bracketed) return { host: bracketed[1] ?? '', port: parsePort(bracketed[2] ?? '') };
  const idx = t.lastIndexOf(':');
  if (idx < 0) return null;
  const host = t.slice(0, idx);
  // "::1" alone is an address, not host:port.
  if (host.includes(':')) return null;
  const portText = t.slice(idx + 1);
  if (!/^\d+$/.test(portText) && portText !== '') return { host, port: null };
  return { host, port: portText === '' ? null : parsePort(portText) };
}

/** A standard reuse-option constant name to the option it sets, or null. */
export function optionFromConstant(name: string): 'reuseaddr' | 'reuseport' | 'exclusiveaddruse' | null {
  const n = name.replace(/^.*[.:]/, '').toUpperCase();
  if (n === 'SO_REUSEADDR' || n === 'REUSEADDR' || n === 'REUSEADDRESS' || n === 'REUSE_ADDRESS') return 'reuseaddr';
  if (n === 'SO_REUSEPORT' || n === 'SO_REUSEPORT_LB' || n === 'REUSEPORT' || n === 'REUSE_PORT') return 'reuseport';
  if (n === 'SO_EXCLUSIVEADDRUSE' || n === 'EXCLUSIVEADDRUSE' || n === 'EXCLUSIVEADDRESSUSE') return 'exclusiveaddruse';
  return null;
}

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8: binding one of these makes a multicast receiver. */
export function isMulticastAddress(host: string | null): boolean {
  if (!host) return false;
  const m = /^(\d+)\.\d+\.\d+\.\d+$/.exec(host.trim());
  if (m?.[1]) {
    const first = Number(m[1]);
    return first >= 224 && first <= 239;
  }
  return /^\[?ff[0-9a-f]{2}:/i.test(host.trim());
}
