// The socket APIs of Node, Deno, Bun and common server frameworks, with the options each understands
// and what the runtime sets by itself (libuv sets SO_REUSEADDR on every Unix TCP listener, never on Windows).
import type { BindFact, Platform, ReuseOption } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { requiredModule, type ModuleAliases } from './moduleAliases';
import { callArguments, calleeParts, stringValue, unwrap, type CalleeParts } from './syntax';

/** Families of APIs that read the same option keys the same way. */
export type Flavor = 'node-net' | 'node-dgram' | 'deno-tcp' | 'deno-udp' | 'bun-tcp' | 'bun-udp' | 'framework-tcp' | 'uws';

export interface OptionEffect {
  option: ReuseOption;
  /** Platforms where the key sets this option at all. */
  platforms: Platform[];
  unsupportedOn?: Platform[];
}

const ALL: Platform[] = ['linux', 'darwin', 'win32'];

/** What each option key does, per flavor (sources: socket-semantics.md sections 2.3, 2.4). */
export const OPTION_KEYS: Record<Flavor, Record<string, OptionEffect[]>> = {
  // server.listen({ reusePort }) raises on platforms without Linux-style SO_REUSEPORT.
  'node-net': { reusePort: [{ option: 'reuseport', platforms: ALL, unsupportedOn: ['darwin', 'win32'] }] },
  // UV_UDP_REUSEADDR is SO_REUSEADDR on Linux and Windows, SO_REUSEPORT on macOS/BSD.
  'node-dgram': {
    reuseAddr: [{ option: 'reuseaddr', platforms: ['linux', 'win32'] }, { option: 'reuseport', platforms: ['darwin'] }],
    reusePort: [{ option: 'reuseport', platforms: ALL, unsupportedOn: ['darwin', 'win32'] }],
  },
  // Deno sets SO_REUSEPORT only on Linux; elsewhere reusePort shares the listener inside the process.
  'deno-tcp': { reusePort: [{ option: 'reuseport', platforms: ['linux'] }] },
  'deno-udp': {
    reuseAddress: [{ option: 'reuseaddr', platforms: ['linux', 'win32'] }, { option: 'reuseport', platforms: ['darwin'] }],
  },
  // Bun's usockets sets SO_REUSEPORT where it exists; Windows has none.
  'bun-tcp': { reusePort: [{ option: 'reuseport', platforms: ['linux', 'darwin'] }] },
  'bun-udp': {},
  'framework-tcp': {},
  // uWebSockets.js has no reuse keys: its listen() takes a flags argument (see uwsListen.ts).
  uws: {},
};

/** The key that turns `option` on for a flavor, for fixes. */
export function keyForOption(flavor: Flavor, option: ReuseOption): string | null {
  for (const [key, effects] of Object.entries(OPTION_KEYS[flavor])) {
    // A key that maps to several options (reuseAddr) is the key for the one it sets on most platforms.
    const first = effects[0];
    if (first?.option === option) return key;
  }
  return null;
}

/** The value a guard-not-windows fix writes for an option key. */
export function notWindowsValue(flavor: Flavor, key: string): string | null {
  const deno = flavor === 'deno-tcp' || flavor === 'deno-udp';
  // SO_REUSEPORT is only Linux's load balancer; on macOS Node and Deno reject or ignore it.
  if (key === 'reusePort') return deno ? "Deno.build.os === 'linux'" : "process.platform === 'linux'";
  if (key === 'reuseAddr' || key === 'reuseAddress') return deno ? "Deno.build.os !== 'windows'" : "process.platform !== 'win32'";
  return null;
}

/** libuv (Node), Deno and Bun listeners: SO_REUSEADDR on Unix, nothing on Windows. */
export function tcpImplicit(): BindFact['implicit'] {
  return { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
}

export interface Creation {
  node: SyntaxNode;
  api: string;
  flavor: Flavor;
  protocol: 'tcp' | 'udp';
  /** Binds inside this call (Deno.listen, Bun.serve, new WebSocketServer({ port })). */
  bindsAtCreation: boolean;
  /**
   * listen() without a port takes a random one: Node core servers and the apps that hand their
   * arguments to http.Server#listen (express, koa, connect, polka). Fastify, vite and others pick their own.
   */
  coreServer: boolean;
  /** The options object argument, when the API takes one. */
  options: SyntaxNode | null;
}

const CORE_SERVER_MODULES = new Set(['net', 'http', 'https', 'tls', 'http2', 'spdy']);
/**
 * Packages whose createServer() makes a TCP (HTTP) server with listen(port). Anyone else's createServer
 * may be anything (CoAP and DNS servers listen on UDP), so it is not taken for one.
 */
const TCP_SERVER_PACKAGES = new Set(['restify', 'http-proxy', 'http-server', 'vite']);
const APP_MODULES = new Set(['express', 'koa', 'fastify', 'connect', 'polka', 'restify', 'restana', 'tinyhttp', '@tinyhttp/app']);
const APP_FACTORIES = new Set(['express', 'fastify', 'Fastify', 'polka', 'connect', 'restana', 'Koa']);
const DELEGATING_APPS = new Set(['express', 'koa', 'connect', 'polka']);
const WS_MODULES = new Set(['ws', 'isomorphic-ws']);
const HAPI_MODULES = new Set(['@hapi/hapi', 'hapi']);
const UWS_FACTORIES = new Set(['App', 'SSLApp']);

/** The uWebSockets.js package, however its name is cased in the import. */
export function isUwsModule(module: string | null | undefined): boolean {
  return module !== null && module !== undefined && module.toLowerCase() === 'uwebsockets.js';
}

function creation(node: SyntaxNode, api: string, flavor: Flavor, extra: Partial<Creation> = {}): Creation {
  return {
    node, api, flavor,
    protocol: flavor === 'node-dgram' || flavor === 'deno-udp' || flavor === 'bun-udp' ? 'udp' : 'tcp',
    bindsAtCreation: false, coreServer: false, options: null, ...extra,
  };
}

function firstObject(call: SyntaxNode): SyntaxNode | null {
  const first = unwrap(callArguments(call)[0] ?? null);
  return first?.type === 'object' ? first : null;
}

function hasKey(object: SyntaxNode | null, key: string): boolean {
  return object !== null && new RegExp(`(^|[{,\\s])['"]?${key}['"]?\\s*[:,}]|(^|[{,\\s])${key}\\s*$`, 'm').test(object.text);
}

/** Recognises a call or `new` expression that creates a server or socket. */
export function classifyCreation(call: SyntaxNode, aliases: ModuleAliases, known?: CalleeParts): Creation | null {
  const parts = known ?? calleeParts(call);
  if (!parts) return null;
  const { object, property } = parts;
  const isNew = call.type === 'new_expression';
  const objectText = object?.text ?? '';
  const objectModule = object ? aliases.moduleOf(object) : null;
  const binding = object ? undefined : aliases.get(property);

  // uWS.App() / uWS.SSLApp({...}) / App() imported from uWebSockets.js: listen() comes later.
  if (UWS_FACTORIES.has(property) && (object ? isUwsModule(objectModule) : binding?.member === property && isUwsModule(binding.module))) {
    return creation(call, `uWS.${property}`, 'uws');
  }

  if (!isNew && object?.type === 'identifier' && objectText === 'Deno' && !objectModule) {
    if (property === 'listen' || property === 'listenTls' || property === 'serve') {
      return creation(call, `Deno.${property}`, 'deno-tcp', { bindsAtCreation: true, options: firstObject(call) });
    }
    if (property === 'listenDatagram') return creation(call, 'Deno.listenDatagram', 'deno-udp', { bindsAtCreation: true, options: firstObject(call) });
    return null;
  }
  if (!isNew && object?.type === 'identifier' && objectText === 'Bun' && !objectModule) {
    if (property === 'serve' || property === 'listen') return creation(call, `Bun.${property}`, 'bun-tcp', { bindsAtCreation: true, options: firstObject(call) });
    if (property === 'udpSocket') return creation(call, 'Bun.udpSocket', 'bun-udp', { bindsAtCreation: true, options: firstObject(call) });
    return null;
  }

  if (!isNew && property === 'createSocket') {
    const fromDgram = object
      ? objectModule === 'dgram' || (!objectModule && objectText === 'dgram')
      : binding ? binding.module === 'dgram' : looksLikeDgramArgs(call);
    if (fromDgram) return creation(call, 'dgram.createSocket', 'node-dgram', { options: firstObject(call) });
    return null;
  }

  if (!isNew && (property === 'createServer' || property === 'createSecureServer')) {
    const module = object ? objectModule ?? objectText : binding?.module ?? null;
    const core = module !== null && CORE_SERVER_MODULES.has(module);
    // A bare createServer() with no visible import keeps being read as Node's.
    const known = core || (module !== null && TCP_SERVER_PACKAGES.has(module)) || (!object && !binding);
    if (!known) return null;
    // Name the API after the module when it is a package, else after the object as written.
    const owner = module !== null && /^@?[\w-]+(\/[\w-]+)?$/.test(module) ? module : object?.type === 'identifier' ? objectText : null;
    const api = owner ? `${owner}.${property}` : property;
    return creation(call, api, 'node-net', { coreServer: core });
  }

  // `require('http').Server(app)`: Node's server classes also work without `new`.
  if (!isNew && property === 'Server' && object) {
    const module = objectModule ?? objectText;
    return CORE_SERVER_MODULES.has(module) ? creation(call, `${module}.Server`, 'node-net', { coreServer: true }) : null;
  }

  if (isNew && (property === 'Server' || property === 'WebSocketServer')) {
    const module = object ? objectModule ?? objectText : binding?.module ?? null;
    const options = firstObject(call);
    const wsLike = property === 'WebSocketServer' || (module !== null && (WS_MODULES.has(module) || /^(WebSocket|ws|WS)$/.test(module)));
    if (wsLike) {
      // ws listens only when given a port; with `server` or `noServer` it rides on another server.
      if (!hasKey(options, 'port') || hasKey(options, 'server') || hasKey(options, 'noServer')) return null;
      return creation(call, property === 'WebSocketServer' ? 'WebSocketServer' : `${objectText || 'ws'}.Server`, 'framework-tcp', { bindsAtCreation: true, options });
    }
    if (module !== null && HAPI_MODULES.has(module) || objectText === 'Hapi') {
      return hasKey(options, 'port') ? creation(call, 'Hapi.Server', 'framework-tcp', { bindsAtCreation: true, options }) : null;
    }
    if (module !== null && CORE_SERVER_MODULES.has(module)) return creation(call, `${module}.Server`, 'node-net', { coreServer: true });
    return null;
  }

  if (!isNew && property === 'server' && object && (objectText === 'Hapi' || (objectModule !== null && HAPI_MODULES.has(objectModule)))) {
    const options = firstObject(call);
    return hasKey(options, 'port') ? creation(call, 'Hapi.server', 'framework-tcp', { bindsAtCreation: true, options }) : null;
  }

  if (!isNew && !object && property === 'serve' && binding?.module === '@hono/node-server') {
    return creation(call, 'serve (@hono/node-server)', 'framework-tcp', { bindsAtCreation: true, options: firstObject(call) });
  }

  // Application objects whose listen() is http.createServer(app).listen(...).
  if (!object) {
    const module = binding?.module;
    // The default export, or a named one spelled like the package (`import { fastify } from 'fastify'`).
    const member = binding?.member ?? null;
    const app = (module !== undefined && APP_MODULES.has(module) && (member === null || member.toLowerCase() === module)) || (!binding && APP_FACTORIES.has(property));
    if (app) {
      const delegates = DELEGATING_APPS.has(module ?? property.toLowerCase());
      return creation(call, isNew ? property : `${property}()`, 'node-net', { coreServer: delegates });
    }
  }
  // Compiled imports: `(0, express_1.default)()`, `(0, fastify_1.fastify)()`.
  if (object && objectModule !== null && APP_MODULES.has(objectModule) && (property === 'default' || property.toLowerCase() === objectModule)) {
    return creation(call, `${objectModule}()`, 'node-net', { coreServer: DELEGATING_APPS.has(objectModule) });
  }
  if (!isNew && property === 'create' && objectText === 'NestFactory') return creation(call, 'NestFactory.create', 'node-net');
  return null;
}

/** `require('fastify')({ logger: true })`, `require('express')()`: an app straight from its package. */
export function classifyRequiredApp(call: SyntaxNode): Creation | null {
  if (call.type !== 'call_expression') return null;
  const module = requiredModule(call.childForFieldName('function'));
  if (module === null || !APP_MODULES.has(module)) return null;
  return creation(call, `${module}()`, 'node-net', { coreServer: DELEGATING_APPS.has(module) });
}

/** `createSocket('udp4')` or `createSocket({ type: 'udp6' })` when the import is not visible. */
function looksLikeDgramArgs(call: SyntaxNode): boolean {
  const first = unwrap(callArguments(call)[0] ?? null);
  if (!first) return false;
  const value = stringValue(first);
  if (value !== null) return value === 'udp4' || value === 'udp6';
  return first.type === 'object' && /\btype\s*:\s*['"]udp[46]['"]/.test(first.text);
}

/** Methods that make a UDP socket a group receiver. */
export const GROUP_METHODS = new Set(['addMembership', 'addSourceSpecificMembership', 'joinMulticastV4', 'joinMulticastV6']);

/** True for IPv4 224.0.0.0/4 and IPv6 ff00::/8. */
export function isMulticastAddress(host: string | null): boolean {
  if (host === null) return false;
  const v4 = /^(\d+)\.\d+\.\d+\.\d+$/.exec(host.trim());
  if (v4) {
    const first = Number(v4[1]);
    return first >= 224 && first <= 239;
  }
  return /^\[?ff[0-9a-f]{2}:/i.test(host.trim());
}
