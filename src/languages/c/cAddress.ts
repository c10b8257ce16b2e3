// Host and port of a bind, the way a reader finds them: `addr.sin_port = htons(PORT)` and
// `addr.sin_addr.s_addr = htonl(INADDR_ANY)` before `bind(fd, (struct sockaddr*)&addr, ...)`,
// designated initializers, inet_pton/uv_ip4_addr, getaddrinfo(NULL, "8080", ...), Asio endpoints.
import type { HostKind } from '../../analysis/facts';
import { classifyHost, parsePort } from '../common/hostPort';
import type { SyntaxNode } from '../treeSitter';
import type { CProgram, Ctx, FnScope } from './cProgram';
import { callArguments, calleeName, fieldPath, rootIdentifier, stringLiteral, unwrap } from './cSyntax';

export interface Endpoint {
  port: number | null;
  host: string | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
  /** The address is a multicast group (224.0.0.0/4, ff00::/8). */
  group: boolean;
}

export function unknownEndpoint(): Endpoint {
  return { port: null, host: null, hostKind: 'unknown', explicitWildcard: false, group: false };
}

interface Host {
  host: string | null;
  kind: HostKind;
  explicit: boolean;
}

const NAMED_HOSTS: Record<string, Host> = {
  INADDR_ANY: { host: '0.0.0.0', kind: 'any', explicit: true },
  in6addr_any: { host: '::', kind: 'any', explicit: true },
  IN6ADDR_ANY_INIT: { host: '::', kind: 'any', explicit: true },
  INADDR_LOOPBACK: { host: '127.0.0.1', kind: 'loopback', explicit: false },
  in6addr_loopback: { host: '::1', kind: 'loopback', explicit: false },
  IN6ADDR_LOOPBACK_INIT: { host: '::1', kind: 'loopback', explicit: false },
  INADDR_BROADCAST: { host: '255.255.255.255', kind: 'specific', explicit: false },
};

export function isGroupAddress(host: string | null): boolean {
  if (!host) return false;
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(host);
  if (v4) {
    const first = Number(v4[1]);
    return first >= 224 && first <= 239;
  }
  return /^ff[0-9a-f]{2}:/i.test(host);
}

function hostFromText(text: string): Host {
  const kind = classifyHost(text);
  return { host: text, kind, explicit: kind === 'any' };
}

/** A host written as an expression: INADDR_ANY, htonl(INADDR_ANY), inet_addr("..."), 0, a string. */
function hostOf(program: CProgram, node: SyntaxNode, ctx: Ctx): Host | null {
  const n = unwrap(node, false);
  if (n.type === 'call_expression') {
    const name = calleeName(n);
    const arg = callArguments(n)[0];
    if (/^(htonl|ntohl)$/.test(name) && arg) return hostOf(program, arg, ctx);
    if (/^(inet_addr|inet_network)$/.test(name) && arg) {
      const s = program.string(arg, ctx);
      return s === null ? null : hostFromText(s);
    }
    return null;
  }
  if (n.type === 'identifier' || n.type === 'qualified_identifier') {
    const named = NAMED_HOSTS[n.text.replace(/^.*::/, '')];
    if (named) return named;
  }
  if (n.type === 'number_literal' && program.number(n, ctx) === 0) return { host: '0.0.0.0', kind: 'any', explicit: true };
  const s = program.string(n, ctx);
  if (s !== null) return hostFromText(s);
  if (n.type === 'identifier') {
    const binding = program.valueOf(n.text, ctx);
    if (binding) return hostOf(program, binding.node, binding.ctx);
    const define = program.defineText(n.text);
    if (define && NAMED_HOSTS[define]) return NAMED_HOSTS[define] ?? null;
  }
  return null;
}

interface AddressWrite {
  at: number;
  port?: number | null;
  host?: Host | null;
}

/** Names that stand for the same storage: `struct sockaddr_in *sin = (struct sockaddr_in *)&ss;`. */
function aliasesOf(fn: FnScope, root: string): Set<string> {
  const names = new Set([root]);
  for (const [name, writes] of fn.writes) {
    for (const w of writes) {
      if (!w.value) continue;
      const target = rootIdentifier(w.value);
      if (target === root) names.add(name);
      if (name === root && target) names.add(target);
    }
  }
  return names;
}

function isPortField(path: readonly string[]): boolean {
  const last = path[path.length - 1] ?? '';
  return last === 'sin_port' || last === 'sin6_port' || last === 'port';
}

function isHostField(path: readonly string[]): boolean {
  return path.some((f) => /^(sin_addr|sin6_addr|s_addr|S_addr|S_un|s6_addr)$/.test(f));
}

function initializerWrites(program: CProgram, list: SyntaxNode, at: number, ctx: Ctx, prefix: string[]): AddressWrite[] {
  const writes: AddressWrite[] = [];
  const items = callArguments(list);
  const positional = items.filter((i) => i.type !== 'initializer_pair');
  if (prefix.length === 0 && positional.length >= 2 && positional.length === items.length) {
    // { AF_INET, htons(port), { addr } } follows struct sockaddr_in's field order.
    const port = positional[1];
    const host = positional[2];
    const w: AddressWrite = { at };
    if (port) w.port = program.number(port, ctx);
    if (host) w.host = host.type === 'initializer_list' ? firstHost(program, host, ctx) : hostOf(program, host, ctx);
    writes.push(w);
    return writes;
  }
  for (const item of items) {
    if (item.type !== 'initializer_pair') continue;
    const path = [...prefix, ...item.childrenForFieldName('designator').map((d) => d?.text.replace(/^\./, '') ?? '')];
    const value = item.childForFieldName('value');
    if (!value) continue;
    if (value.type === 'initializer_list') {
      writes.push(...initializerWrites(program, value, at, ctx, path));
    } else if (isPortField(path)) {
      writes.push({ at, port: program.number(value, ctx) });
    } else if (isHostField(path)) {
      writes.push({ at, host: hostOf(program, value, ctx) });
    }
  }
  if (prefix.length > 0 && isHostField(prefix) && positional.length === 1 && positional[0]) {
    writes.push({ at, host: hostOf(program, positional[0], ctx) });
  }
  return writes;
}

function firstHost(program: CProgram, list: SyntaxNode, ctx: Ctx): Host | null {
  const first = callArguments(list)[0];
  return first ? hostOf(program, first, ctx) : null;
}

/** Every write to the address `root` in fn before ctx.at, in order. */
function addressWrites(program: CProgram, fn: FnScope, root: string, ctx: Ctx): AddressWrite[] {
  const names = aliasesOf(fn, root);
  const writes: AddressWrite[] = [];
  const local = (at: number): Ctx => ({ ...ctx, at });
  for (const a of fn.assignments) {
    if (a.startIndex >= ctx.at) continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right || left.type !== 'field_expression') continue;
    const r = rootIdentifier(left);
    if (!r || !names.has(r)) continue;
    const path = fieldPath(left);
    if (isPortField(path)) writes.push({ at: a.startIndex, port: program.number(right, local(a.startIndex)) });
    else if (isHostField(path)) writes.push({ at: a.startIndex, host: hostOf(program, right, local(a.startIndex)) });
  }
  for (const d of fn.declarations) {
    if (d.startIndex >= ctx.at) continue;
    for (const decl of d.childrenForFieldName('declarator')) {
      if (decl?.type !== 'init_declarator') continue;
      const name = decl.childForFieldName('declarator')?.text;
      const value = decl.childForFieldName('value');
      if (!name || !names.has(name) || value?.type !== 'initializer_list') continue;
      writes.push(...initializerWrites(program, value, decl.startIndex, local(decl.startIndex), []));
    }
  }
  for (const call of fn.calls) {
    if (call.startIndex >= ctx.at) continue;
    const name = calleeName(call);
    const args = callArguments(call);
    if (/^(inet_pton|InetPton|InetPtonA|InetPtonW|inet_aton)$/.test(name)) {
      const [first, second, third] = args;
      const target = name === 'inet_aton' ? second : third;
      const text = name === 'inet_aton' ? first : second;
      if (target && text && names.has(rootIdentifier(target) ?? '')) {
        const s = program.string(text, local(call.startIndex));
        writes.push({ at: call.startIndex, host: s === null ? null : hostFromText(s) });
      }
    } else if (/^(uv_ip4_addr|uv_ip6_addr)$/.test(name)) {
      const [host, port, target] = args;
      if (target && names.has(rootIdentifier(target) ?? '')) {
        const s = host ? program.string(host, local(call.startIndex)) : null;
        writes.push({ at: call.startIndex, host: s === null ? null : hostFromText(s), port: port ? program.number(port, local(call.startIndex)) : null });
      }
    }
  }
  return writes.sort((a, b) => a.at - b.at);
}

/** The last getaddrinfo before ctx.at: its node name and service give the host and port. */
function fromGetaddrinfo(program: CProgram, fn: FnScope, ctx: Ctx): Endpoint {
  let call: SyntaxNode | undefined;
  for (const c of fn.calls) if (c.startIndex < ctx.at && /^(getaddrinfo|GetAddrInfo|GetAddrInfoW|GetAddrInfoA)$/.test(calleeName(c))) call = c;
  if (!call) return unknownEndpoint();
  const [node, service] = callArguments(call);
  const local: Ctx = { ...ctx, at: call.startIndex };
  const endpoint = unknownEndpoint();
  if (service) {
    const s = program.string(service, local);
    if (s !== null) endpoint.port = parsePort(s);
  }
  if (node) {
    const n = unwrap(node, false);
    if (n.type === 'null' || n.text === 'NULL' || n.text === 'nullptr' || n.text === '0') {
      const passive = /\bAI_PASSIVE\b/.test(fn.node.text);
      endpoint.hostKind = passive ? 'any' : 'loopback';
    } else {
      const s = program.string(n, local);
      if (s !== null) {
        const h = hostFromText(s);
        endpoint.host = h.host;
        endpoint.hostKind = h.kind;
        endpoint.explicitWildcard = h.explicit;
        endpoint.group = isGroupAddress(s);
      }
    }
  }
  return endpoint;
}

/** Host and port of the address passed to bind(): `(struct sockaddr*)&addr`, `res->ai_addr`, `&sa.sa`. */
export function sockaddrEndpoint(program: CProgram, addressArg: SyntaxNode, ctx: Ctx): Endpoint {
  const fn = ctx.fn;
  const node = unwrap(addressArg);
  const path = fieldPath(node);
  const root = rootIdentifier(node);
  if (!fn || !root) return unknownEndpoint();
  if (path[path.length - 1] === 'ai_addr') return fromGetaddrinfo(program, fn, ctx);
  if (fn.params.includes(root) && !(fn.writes.get(root) ?? []).some((w) => w.at < ctx.at)) {
    const binding = ctx.env?.get(root);
    if (binding && ctx.depth < 8) return sockaddrEndpoint(program, binding.node, { ...binding.ctx, depth: ctx.depth + 1 });
    return unknownEndpoint();
  }
  const endpoint = unknownEndpoint();
  for (const w of addressWrites(program, fn, root, ctx)) {
    if (w.port !== undefined) endpoint.port = w.port;
    if (w.host !== undefined) {
      endpoint.host = w.host?.host ?? null;
      endpoint.hostKind = w.host?.kind ?? 'unknown';
      endpoint.explicitWildcard = w.host?.explicit ?? false;
    }
  }
  endpoint.group = isGroupAddress(endpoint.host);
  return endpoint;
}

/** A host given as a string (NULL for all interfaces) and a port number. */
export function hostPortEndpoint(host: string | null, port: number | null): Endpoint {
  const endpoint = unknownEndpoint();
  endpoint.port = port;
  if (host !== null) {
    const h = hostFromText(host);
    endpoint.host = h.host;
    endpoint.hostKind = h.kind;
    endpoint.explicitWildcard = h.explicit;
    endpoint.group = isGroupAddress(host);
  }
  return endpoint;
}

// ----- Boost.Asio -----

function asioHost(program: CProgram, node: SyntaxNode, ctx: Ctx): Host | null {
  const n = unwrap(node, false);
  const text = n.text.replace(/\s+/g, '');
  if (/(^|::)v4\(\)$/.test(text)) return { host: null, kind: 'any', explicit: false };
  if (/(^|::)v6\(\)$/.test(text)) return { host: null, kind: 'any', explicit: false };
  if (/address_v4::any\(\)$/.test(text)) return { host: '0.0.0.0', kind: 'any', explicit: true };
  if (/address_v6::any\(\)$/.test(text)) return { host: '::', kind: 'any', explicit: true };
  if (/address_v4::loopback\(\)$/.test(text)) return { host: '127.0.0.1', kind: 'loopback', explicit: false };
  if (/address_v6::loopback\(\)$/.test(text)) return { host: '::1', kind: 'loopback', explicit: false };
  if (n.type === 'call_expression') {
    const name = calleeName(n);
    const arg = callArguments(n)[0];
    if (/^(make_address|make_address_v4|make_address_v6|from_string|address|address_v4|address_v6)$/.test(name) && arg) {
      const s = program.string(arg, ctx);
      return s === null ? null : hostFromText(s);
    }
    return null;
  }
  if (n.type === 'identifier') {
    const binding = program.valueOf(n.text, ctx);
    if (binding) {
      const b = unwrap(binding.node, false);
      // `address addr(make_address("..."))` keeps its value in an argument list.
      const inner = b.type === 'argument_list' || b.type === 'initializer_list' ? callArguments(b)[0] : b;
      return inner ? asioHost(program, inner, binding.ctx) : null;
    }
  }
  return null;
}

/** Host and port of an Asio endpoint: `tcp::endpoint(tcp::v4(), 8080)`, `{tcp::v4(), port}`, a variable. */
export function asioEndpoint(program: CProgram, node: SyntaxNode, ctx: Ctx): Endpoint {
  const n = unwrap(node, false);
  let args: SyntaxNode[] | null = null;
  if (n.type === 'call_expression' && calleeName(n) === 'endpoint') args = callArguments(n);
  else if (n.type === 'argument_list' || n.type === 'initializer_list' || n.type === 'compound_literal_expression') {
    const list = n.type === 'compound_literal_expression' ? n.childForFieldName('value') : n;
    args = list ? callArguments(list) : null;
  } else if (n.type === 'identifier' && ctx.depth < 8) {
    const binding = program.valueOf(n.text, ctx);
    if (binding) return asioEndpoint(program, binding.node, binding.ctx);
  }
  if (!args) return unknownEndpoint();
  if (args.length === 1 && args[0]) return asioEndpoint(program, args[0], { ...ctx, depth: ctx.depth + 1 });
  const [address, port] = args;
  const endpoint = unknownEndpoint();
  if (port) endpoint.port = program.number(port, ctx);
  const host = address ? asioHost(program, address, ctx) : null;
  if (host) {
    endpoint.host = host.host;
    endpoint.hostKind = host.kind;
    endpoint.explicitWildcard = host.explicit;
    endpoint.group = isGroupAddress(host.host);
  }
  return endpoint;
}

/** Qt `listen(QHostAddress::Any, 8080)`: no arguments means any address and an ephemeral port. */
export function qtEndpoint(program: CProgram, args: readonly SyntaxNode[], ctx: Ctx): Endpoint {
  const [address, port] = args;
  const endpoint: Endpoint = { port: 0, host: null, hostKind: 'any', explicitWildcard: false, group: false };
  if (port) endpoint.port = program.number(port, ctx);
  if (address) {
    const text = address.text.replace(/\s+/g, '');
    const named = /QHostAddress::(Any|AnyIPv4|AnyIPv6|LocalHost|LocalHostIPv6|Broadcast|Null)$/.exec(text)?.[1];
    if (named) {
      const any = named.startsWith('Any');
      endpoint.host = named === 'AnyIPv6' ? '::' : any ? '0.0.0.0' : named.startsWith('LocalHost') ? '127.0.0.1' : null;
      endpoint.hostKind = any ? 'any' : named.startsWith('LocalHost') ? 'loopback' : 'unknown';
      endpoint.explicitWildcard = any;
    } else {
      const inner = unwrap(address, false);
      const arg = inner.type === 'call_expression' && /QHostAddress$/.test(inner.childForFieldName('function')?.text ?? '') ? callArguments(inner)[0] : null;
      const s = arg ? (stringLiteral(arg) ?? program.string(arg, ctx)) : null;
      if (s !== null) {
        const h = hostFromText(s);
        endpoint.host = h.host;
        endpoint.hostKind = h.kind;
        endpoint.explicitWildcard = h.explicit;
        endpoint.group = isGroupAddress(s);
      } else {
        endpoint.hostKind = 'unknown';
      }
    }
  }
  return endpoint;
}
