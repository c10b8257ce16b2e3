// Facts and fixes of the JavaScript/TypeScript adapter: Node net/http/dgram, Deno, Bun, frameworks.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { BindFact, FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { javascriptAdapter, typescriptAdapter } from '../../../src/languages/javascript/javascriptAdapter';
import { GrammarParser, type GrammarName } from '../../../src/languages/treeSitter';

const parsers = new Map<GrammarName, GrammarParser>();

before(async () => {
  await javascriptAdapter.prepare();
  await typescriptAdapter.prepare();
  for (const name of ['javascript', 'typescript', 'tsx'] as const) {
    const parser = new GrammarParser(name);
    await parser.load();
    parsers.set(name, parser);
  }
});

function adapterFor(path: string) {
  return /\.(ts|tsx|mts|cts)$/.test(path) ? typescriptAdapter : javascriptAdapter;
}

function extract(text: string, path = 'app.js'): FileFacts {
  return adapterFor(path).extract({ path, text });
}

function socketOf(facts: FileFacts, bind: BindFact): SocketFact {
  const socket = facts.sockets.find((s) => s.id === bind.socketId);
  assert.ok(socket, `socket ${bind.socketId}`);
  return socket;
}

/** The single bind whose text starts with `snippet`. */
function bindAt(facts: FileFacts, text: string, snippet: string): BindFact {
  const found = facts.binds.filter((b) => text.slice(b.span.start, b.span.end).startsWith(snippet));
  assert.equal(found.length, 1, `one bind starting with ${snippet}, got ${found.length}`);
  return found[0] as BindFact;
}

function optionsAt(facts: FileFacts, text: string, snippet: string): OptionFact[] {
  return facts.options.filter((o) => text.slice(o.span.start, o.span.end).startsWith(snippet));
}

function hasParseErrors(text: string, path: string): boolean {
  const grammar: GrammarName = path.endsWith('.tsx') ? 'tsx' : path.endsWith('.ts') ? 'typescript' : 'javascript';
  const parser = parsers.get(grammar);
  assert.ok(parser);
  return parser.withTree(text, (root) => root.hasError);
}

/** Applies a fix, checks the result parses, and that asking again changes nothing. */
function applyFix(text: string, request: FixRequest, path = 'app.js'): string {
  const adapter = adapterFor(path);
  const fix = adapter.fix({ path, text }, adapter.extract({ path, text }), request);
  assert.ok(fix, `a fix for ${request.kind}`);
  const fixed = applyEdits(text, fix.edits);
  assert.notEqual(fixed, text);
  assert.equal(hasParseErrors(fixed, path), false, `fixed text parses:\n${fixed}`);
  const again = adapter.fix({ path, text: fixed }, adapter.extract({ path, text: fixed }), request);
  if (again) assert.equal(applyEdits(fixed, again.edits), fixed, 'a second application changes nothing');
  return fixed;
}

const UNIX_RA = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };

describe('javascript adapter: TCP servers', () => {
  it('reads an express app with an env-with-default port and libuv defaults', () => {
    const text = `const express = require('express');
const app = express();
const PORT = process.env.PORT || 3000;
app.listen(PORT, () => console.log('up'));
`;
    const facts = extract(text);
    const bind = bindAt(facts, text, 'app.listen');
    assert.equal(bind.port, 3000);
    assert.equal(bind.host, null);
    assert.equal(bind.hostKind, 'any');
    assert.equal(bind.explicitWildcard, false);
    assert.deepEqual(bind.implicit, UNIX_RA);
    assert.deepEqual(bind.platforms, ['linux', 'darwin', 'win32']);
    assert.equal(bind.bindsAtCreation, false);
    const socket = socketOf(facts, bind);
    assert.equal(socket.protocol, 'tcp');
    assert.equal(socket.role, 'server');
    assert.equal(socket.api, 'express()');
    assert.equal(socket.variable, 'app');
    assert.equal(facts.options.length, 0);
  });

  it('spans only listen(...) at the end of a long chain, and reads an explicit wildcard', () => {
    const text = `const http = require('http');
http.createServer((req, res) => {
  res.end('x');
}).listen(8080, '0.0.0.0');
`;
    const facts = extract(text);
    const bind = bindAt(facts, text, 'listen(8080');
    assert.equal(bind.port, 8080);
    assert.equal(bind.host, '0.0.0.0');
    assert.equal(bind.hostKind, 'any');
    assert.equal(bind.explicitWildcard, true);
    assert.equal(socketOf(facts, bind).api, 'http.createServer');
  });

  it('resolves ports the way a reader would', () => {
    const text = `import { createServer } from 'node:http';
const { ADMIN = 4000 } = process.env;
const config = { port: 7000, host: 'localhost' };
const a = createServer(); a.listen(Number(process.env.PORT ?? 8080));
const b = createServer(); b.listen(parseInt(process.env.PORT, 10) || 3001);
const c = createServer(); c.listen(ADMIN);
const d = createServer(); d.listen(config.port, config.host);
const e = createServer(); e.listen(normalizePort(process.env.PORT || '3002'));
const f = createServer(); f.listen(0);
const g = createServer(); g.listen();
const h = createServer(); h.listen(0x1F90);
function start(port) { const s = createServer(); s.listen(port); }
const BASE = 9000;
const i = createServer(); i.listen(BASE + 1);
`;
    const facts = extract(text, 'server.mjs');
    assert.equal(bindAt(facts, text, 'a.listen').port, 8080);
    assert.equal(bindAt(facts, text, 'b.listen').port, 3001);
    assert.equal(bindAt(facts, text, 'c.listen').port, 4000);
    const d = bindAt(facts, text, 'd.listen');
    assert.equal(d.port, 7000);
    assert.equal(d.host, 'localhost');
    assert.equal(d.hostKind, 'loopback');
    assert.equal(bindAt(facts, text, 'e.listen').port, 3002);
    assert.equal(bindAt(facts, text, 'f.listen').port, 0);
    assert.equal(bindAt(facts, text, 'g.listen').port, 0);
    assert.equal(bindAt(facts, text, 'h.listen').port, 8080);
    assert.equal(bindAt(facts, text, 's.listen').port, null);
    assert.equal(bindAt(facts, text, 'i.listen').port, 9001);
  });

  it('ignores IPC paths and event APIs named listen', () => {
    const text = `const http = require('http');
const net = require('net');
http.createServer().listen('/var/run/app.sock');
net.createServer().listen({ path: '\\\\\\\\.\\\\pipe\\\\app' });
const SOCK = '/tmp/x.sock';
net.createServer().listen(SOCK, () => {});
emitter.listen('message', (m) => m);
renderer.listen(document, 'click', () => {});
connection.listen();
`;
    const facts = extract(text);
    assert.equal(facts.binds.length, 0);
    assert.equal(facts.sockets.length, 0);
  });

  it('takes an unknown receiver as a server only when the arguments are a port', () => {
    const text = `import app from './app';
app.listen(process.env.PORT);
server.listen(8080);
thing.listen(handler);
`;
    const facts = extract(text, 'main.ts');
    assert.equal(facts.binds.length, 2);
    assert.equal(bindAt(facts, text, 'app.listen').port, null);
    assert.equal(socketOf(facts, bindAt(facts, text, 'server.listen')).role, 'server');
  });

  it('reads a listen options object with reusePort as an explicit SO_REUSEPORT that throws off Linux', () => {
    const text = `const net = require('net');
const server = net.createServer();
server.listen({ port: 9000, host: '::', reusePort: true, exclusive: false });
`;
    const facts = extract(text);
    const bind = bindAt(facts, text, 'server.listen');
    assert.equal(bind.port, 9000);
    assert.equal(bind.host, '::');
    assert.equal(bind.explicitWildcard, true);
    const [option, ...rest] = optionsAt(facts, text, 'reusePort');
    assert.equal(rest.length, 0);
    assert.ok(option);
    assert.equal(option.option, 'reuseport');
    assert.equal(option.enabled, true);
    assert.equal(option.timing, 'before');
    assert.deepEqual(option.platforms, ['linux', 'darwin', 'win32']);
    assert.deepEqual(option.unsupportedOn, ['darwin', 'win32']);
    assert.equal(option.socketId, bind.socketId);
  });

  it('keeps cluster workers listening on one port free of options', () => {
    const text = `import cluster from 'node:cluster';
import http from 'node:http';
if (cluster.isPrimary) { cluster.fork(); cluster.fork(); }
else { http.createServer((q, s) => s.end()).listen(8000); }
`;
    const facts = extract(text, 'cluster.mjs');
    assert.equal(facts.binds.length, 1);
    assert.equal(facts.options.length, 0);
    assert.deepEqual(facts.binds[0]?.implicit, UNIX_RA);
  });

  it('tells apart same-named variables of different functions', () => {
    const text = `const dgram = require('dgram');
function make() { const socket = dgram.createSocket('udp4'); return socket; }
function use(sockets, key) { const socket = sockets[key]; socket.bind(5000); }
`;
    const facts = extract(text);
    assert.equal(facts.binds.length, 0);
  });

  it('follows servers through require chains, class fields, framework factories and fallbacks', () => {
    const text = `import Koa from 'koa';
import { NestFactory } from '@nestjs/core';
import * as http from 'node:http';
const server = require('http').createServer(handler);
server.listen(3000);
const koa = new Koa();
koa.listen();
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(4000);
}
class Api {
  private server = http.createServer();
  start(): void { this.server?.listen(5000, '127.0.0.1'); }
}
`;
    const facts = extract(text, 'main.ts');
    const api = (snippet: string) => socketOf(facts, bindAt(facts, text, snippet)).api;
    assert.equal(api('server.listen'), 'http.createServer');
    assert.equal(api('koa.listen'), 'Koa');
    assert.equal(bindAt(facts, text, 'koa.listen').port, 0);
    assert.equal(api('app.listen'), 'NestFactory.create');
    assert.equal(bindAt(facts, text, 'app.listen').port, 4000);
    assert.equal(api('this.server'), 'http.createServer');
    assert.equal(socketOf(facts, bindAt(facts, text, 'this.server')).variable, 'this.server');
  });

  it('reads ws, hapi and @hono/node-server servers that bind as they are made', () => {
    const text = `import { WebSocketServer } from 'ws';
import Hapi from '@hapi/hapi';
import { serve } from '@hono/node-server';
const wss = new WebSocketServer({ port: 8081 });
const attached = new WebSocketServer({ noServer: true });
const server = Hapi.server({ port: 3000, host: 'localhost' });
serve({ fetch: app.fetch, port: 8787 });
`;
    const facts = extract(text, 'ws.mjs');
    assert.equal(facts.binds.length, 3);
    const ws = bindAt(facts, text, 'new WebSocketServer');
    assert.equal(ws.port, 8081);
    assert.equal(ws.bindsAtCreation, true);
    assert.deepEqual(ws.implicit, UNIX_RA);
    assert.equal(bindAt(facts, text, 'Hapi.server').hostKind, 'loopback');
    assert.equal(bindAt(facts, text, 'serve(').port, 8787);
  });
});

describe('javascript adapter: UDP (dgram)', () => {
  it('maps reuseAddr to SO_REUSEADDR on Linux/Windows and SO_REUSEPORT on macOS', () => {
    const text = `const dgram = require('node:dgram');
const stats = dgram.createSocket({ type: 'udp4', reuseAddr: true });
stats.bind(8125);
`;
    const facts = extract(text);
    const bind = bindAt(facts, text, 'stats.bind');
    assert.equal(bind.port, 8125);
    assert.deepEqual(bind.implicit, {});
    const socket = socketOf(facts, bind);
    assert.equal(socket.protocol, 'udp');
    assert.equal(socket.role, 'server');
    assert.equal(socket.multicast, false);
    const options = optionsAt(facts, text, 'reuseAddr');
    assert.deepEqual(options.map((o) => [o.option, o.enabled, o.platforms]), [
      ['reuseaddr', true, ['linux', 'win32']],
      ['reuseport', true, ['darwin']],
    ]);
    assert.ok(options.every((o) => o.timing === 'before' && o.socketId === socket.id));
  });

  it('marks group receivers: addMembership, setBroadcast(true), a multicast bind address', () => {
    const text = `const dgram = require('dgram');
const a = dgram.createSocket('udp4');
a.on('listening', () => a.addMembership('239.255.255.250'));
a.bind(1900);
const b = dgram.createSocket('udp4');
b.bind(41234, () => b.setBroadcast(true));
const c = dgram.createSocket('udp4');
c.bind(5000, '239.1.2.3');
const d = dgram.createSocket('udp4');
d.bind(5001, () => d.setBroadcast(false));
`;
    const facts = extract(text);
    const multicast = (snippet: string) => socketOf(facts, bindAt(facts, text, snippet)).multicast;
    assert.equal(multicast('a.bind'), true);
    assert.equal(multicast('b.bind'), true);
    assert.equal(multicast('c.bind'), true);
    assert.equal(multicast('d.bind'), false);
  });

  it('calls a socket that only sends, or binds an ephemeral port, a client', () => {
    const text = `import dgram from 'dgram';
const client = dgram.createSocket('udp4');
client.send('ping', 41234, 'localhost');
const replies = dgram.createSocket('udp6');
replies.bind(() => replies.address());
`;
    const facts = extract(text, 'client.mjs');
    assert.equal(facts.sockets.length, 2);
    assert.ok(facts.sockets.every((s) => s.role === 'client'));
    assert.equal(bindAt(facts, text, 'replies.bind').port, 0);
  });

  it('leaves reuse passed through from elsewhere unknown instead of guessing', () => {
    const text = `const dgram = require('dgram');
function make(opts) {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: opts.reuseAddr });
  s.bind(opts.port, () => s.addMembership('224.0.0.251'));
  const t = dgram.createSocket(opts);
  t.bind(5353);
}
`;
    const facts = extract(text);
    assert.equal(facts.options.length, 0);
    for (const socket of facts.sockets) {
      assert.equal(socket.role, 'unknown');
      assert.equal(socket.multicast, false);
    }
  });

  it('reads createSocket imported by name, and an options constant', () => {
    const text = `const { createSocket } = require('dgram');
const OPTIONS = { type: 'udp4', reusePort: true };
const s = createSocket(OPTIONS);
s.bind({ port: 6000, address: '0.0.0.0' });
`;
    const facts = extract(text);
    const bind = bindAt(facts, text, 's.bind');
    assert.equal(bind.port, 6000);
    assert.equal(bind.explicitWildcard, true);
    const [option] = optionsAt(facts, text, 'reusePort');
    assert.equal(option?.option, 'reuseport');
    assert.deepEqual(option?.unsupportedOn, ['darwin', 'win32']);
  });
});

describe('javascript adapter: platform guards', () => {
  it('narrows binds by if/else on process.platform and os.platform()', () => {
    const text = `const http = require('http');
const os = require('os');
const s = http.createServer();
if (process.platform === 'linux') {
  s.listen({ port: 8081, reusePort: true });
} else {
  s.listen(8082);
}
if (os.platform() !== 'win32') s.listen(8083);
`;
    const facts = extract(text);
    assert.deepEqual(bindAt(facts, text, 's.listen({').platforms, ['linux']);
    assert.deepEqual(bindAt(facts, text, 's.listen(8082').platforms, ['darwin', 'win32']);
    assert.deepEqual(bindAt(facts, text, 's.listen(8083').platforms, ['linux', 'darwin']);
    assert.deepEqual(optionsAt(facts, text, 'reusePort')[0]?.platforms, ['linux']);
  });

  it('reads early exits, switch cases, flags, ternaries and conditional spreads', () => {
    const text = `const dgram = require('dgram');
const IS_WINDOWS = process.platform === 'win32';
function announce() {
  if (process.platform === 'win32' || process.platform === 'darwin') return;
  const a = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  a.bind(5350);
}
switch (process.platform) {
  case 'darwin': {
    const b = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    b.bind(5351);
    break;
  }
  default:
    break;
}
const c = IS_WINDOWS ? null : dgram.createSocket({ type: 'udp4', reuseAddr: true });
const d = dgram.createSocket({ type: 'udp4', reuseAddr: !IS_WINDOWS });
const e = dgram.createSocket({ type: 'udp4', ...(process.platform !== 'win32' && { reuseAddr: true }) });
const f = dgram.createSocket({ type: 'udp4', reuseAddr: isWindows ? false : true });
`;
    const facts = extract(text);
    const platformsOf = (variable: string) => {
      const socket = facts.sockets.find((s) => s.variable === variable);
      assert.ok(socket, variable);
      return facts.options.filter((o) => o.socketId === socket.id && o.enabled).flatMap((o) => o.platforms).sort();
    };
    assert.deepEqual(platformsOf('a'), ['linux']);
    assert.deepEqual(bindAt(facts, text, 'a.bind').platforms, ['linux']);
    assert.deepEqual(platformsOf('b'), ['darwin']);
    assert.deepEqual(platformsOf('c'), ['darwin', 'linux']);
    assert.deepEqual(platformsOf('d'), ['darwin', 'linux']);
    assert.deepEqual(platformsOf('e'), ['darwin', 'linux']);
    assert.deepEqual(platformsOf('f'), ['darwin', 'linux']);
    const disabled = facts.options.filter((o) => !o.enabled && o.socketId === facts.sockets.find((s) => s.variable === 'd')?.id);
    assert.deepEqual(disabled.map((o) => [o.option, o.platforms]), [['reuseaddr', ['win32']]]);
  });

  it('reads Deno.build.os and platform-specific file names', () => {
    const deno = `if (Deno.build.os !== 'windows') { Deno.listen({ port: 9000 }); }\n`;
    assert.deepEqual(extract(deno, 'main.ts').binds[0]?.platforms, ['linux', 'darwin']);
    const named = `require('http').createServer().listen(80);\n`;
    assert.deepEqual(extract(named, 'server_windows.js').binds[0]?.platforms, ['win32']);
  });
});

describe('javascript adapter: Deno and Bun', () => {
  it('reads Deno.serve defaults, Deno.listen reusePort (Linux only) and unix listeners', () => {
    const text = `Deno.serve((_req) => new Response('hi'));
Deno.serve({ port: 8001, hostname: '0.0.0.0' }, h);
const l = Deno.listen({ port: 9000, reusePort: true });
Deno.listen({ path: '/tmp/app.sock', transport: 'unix' });
const udp = Deno.listenDatagram({ port: 10000, transport: 'udp', reuseAddress: true });
udp.joinMulticastV4('224.0.0.1', '0.0.0.0');
`;
    const facts = extract(text, 'main.ts');
    assert.equal(facts.binds.length, 4);
    const serve = bindAt(facts, text, 'Deno.serve((');
    assert.equal(serve.port, 8000);
    assert.equal(serve.hostKind, 'any');
    assert.equal(serve.explicitWildcard, false);
    assert.equal(serve.bindsAtCreation, true);
    assert.deepEqual(serve.implicit, UNIX_RA);
    assert.equal(bindAt(facts, text, 'Deno.serve({').explicitWildcard, true);
    assert.deepEqual(optionsAt(facts, text, 'reusePort').map((o) => o.platforms), [['linux']]);
    const datagram = bindAt(facts, text, 'Deno.listenDatagram');
    assert.deepEqual(datagram.implicit, {});
    const socket = socketOf(facts, datagram);
    assert.equal(socket.protocol, 'udp');
    assert.equal(socket.multicast, true);
    assert.deepEqual(optionsAt(facts, text, 'reuseAddress').map((o) => [o.option, o.platforms]), [
      ['reuseaddr', ['linux', 'win32']],
      ['reuseport', ['darwin']],
    ]);
  });

  it('reads Bun.serve like libuv, with reusePort on Linux and macOS', () => {
    const text = `Bun.serve({ port: 3000, fetch: () => new Response('a') });
Bun.serve({ port: 3001, reusePort: true, fetch: () => new Response('b') });
`;
    const facts = extract(text, 'server.ts');
    assert.deepEqual(facts.binds.map((b) => b.port), [3000, 3001]);
    assert.ok(facts.binds.every((b) => b.implicit.linux?.includes('reuseaddr') && !b.implicit.win32));
    assert.deepEqual(optionsAt(facts, text, 'reusePort').map((o) => o.platforms), [['linux', 'darwin']]);
  });
});

describe('javascript adapter: constants, grammars and robustness', () => {
  it('computes hand-written SO_EXCLUSIVEADDRUSE values', () => {
    const text = `const SO_REUSEADDR = 4;
const SO_EXCLUSIVEADDRUSE = 0x0004;
const WINSOCK = { SO_EXCLUSIVEADDRUSE: ~SO_REUSEADDR };
`;
    const facts = extract(text);
    assert.deepEqual(facts.constants.map((c) => [c.name, c.value]), [['SO_EXCLUSIVEADDRUSE', 4], ['SO_EXCLUSIVEADDRUSE', -5]]);
    const first = facts.constants[0];
    assert.ok(first);
    assert.equal(text.slice(first.valueSpan.start, first.valueSpan.end), '0x0004');
  });

  it('parses TSX and TypeScript casts', () => {
    const text = `import * as http from 'node:http';
export const View = () => <div>{String(http.STATUS_CODES[200])}</div>;
const port = (process.env.PORT ?? 8080) as number;
http.createServer().listen(port satisfies number, '127.0.0.1');
`;
    const facts = extract(text, 'view.tsx');
    assert.equal(facts.binds.length, 1);
    assert.equal(facts.binds[0]?.port, 8080);
    assert.equal(facts.binds[0]?.hostKind, 'loopback');
  });

  it('skips text without sockets, and never throws on broken or odd input', () => {
    assert.deepEqual(extract('const a = 1;\nwindow.addEventListener("x", f);\n'), { sockets: [], options: [], binds: [], constants: [] });
    for (const text of [
      'server.listen(',
      'const s = dgram.createSocket({ type: "udp4", reuseAddr: ',
      '\u0000\u0001listen(\u00ff\ufffd'.repeat(200),
      `${'('.repeat(5000)}listen(1)`,
      'http.createServer().listen(8080'.repeat(2000),
    ]) {
      assert.doesNotThrow(() => extract(text));
    }
  });

  it('declares its file types and languages', () => {
    assert.deepEqual(javascriptAdapter.extensions, ['.js', '.mjs', '.cjs', '.jsx']);
    assert.deepEqual(typescriptAdapter.extensions, ['.ts', '.mts', '.cts', '.tsx']);
    assert.deepEqual(javascriptAdapter.languageIds, ['javascript', 'javascriptreact']);
    assert.deepEqual(typescriptAdapter.languageIds, ['typescript', 'typescriptreact']);
    assert.equal(javascriptAdapter.comment.line, '//');
  });
});

describe('javascript adapter: fixes', () => {
  function firstBind(facts: FileFacts, text: string, snippet: string): { socket: SocketFact; bind: BindFact } {
    const bind = bindAt(facts, text, snippet);
    return { socket: socketOf(facts, bind), bind };
  }

  it('add-option turns createSocket("udp4") into an options object with reuseAddr', () => {
    const text = `const dgram = require('dgram');
const s = dgram.createSocket('udp4', onMessage);
s.bind(1900, () => s.addMembership('239.255.255.250'));
`;
    const facts = extract(text);
    const fixed = applyFix(text, { kind: 'add-option', option: 'reuseaddr', ...firstBind(facts, text, 's.bind') });
    assert.match(fixed, /dgram\.createSocket\(\{ type: 'udp4', reuseAddr: true \}, onMessage\)/);
    const after = extract(fixed);
    assert.deepEqual(after.options.filter((o) => o.enabled).map((o) => o.option).sort(), ['reuseaddr', 'reuseport']);
  });

  it('add-option adds to an options object inline, on its own line, and turns false into true', () => {
    const inline = `const dgram = require('dgram');\nconst s = dgram.createSocket({ type: 'udp6' });\ns.bind(5353);\n`;
    assert.match(applyFix(inline, { kind: 'add-option', option: 'reuseaddr', ...firstBind(extract(inline), inline, 's.bind') }),
      /createSocket\(\{ type: 'udp6', reuseAddr: true \}\)/);

    const multiline = "const dgram = require('dgram');\r\nconst s = dgram.createSocket({\r\n  type: 'udp4',\r\n});\r\ns.bind(5353);\r\n";
    const fixed = applyFix(multiline, { kind: 'add-option', option: 'reuseaddr', ...firstBind(extract(multiline), multiline, 's.bind') });
    assert.equal(fixed, "const dgram = require('dgram');\r\nconst s = dgram.createSocket({\r\n  type: 'udp4',\r\n  reuseAddr: true,\r\n});\r\ns.bind(5353);\r\n");

    const off = `const dgram = require('dgram');\nconst s = dgram.createSocket({ type: 'udp4', reuseAddr: false });\ns.bind(5353);\n`;
    assert.match(applyFix(off, { kind: 'add-option', option: 'reuseaddr', ...firstBind(extract(off), off, 's.bind') }),
      /\{ type: 'udp4', reuseAddr: true \}/);
  });

  it('add-option reuseport rewrites listen(port, host, cb) into listen({ port, host, reusePort }, cb)', () => {
    const text = `const http = require('http');
const port = 8080;
const server = http.createServer();
server.listen(port, '127.0.0.1', () => console.log('up'));
`;
    const facts = extract(text);
    const fixed = applyFix(text, { kind: 'add-option', option: 'reuseport', ...firstBind(facts, text, 'server.listen') });
    assert.match(fixed, /server\.listen\(\{ port, host: '127\.0\.0\.1', reusePort: true \}, \(\) => console\.log\('up'\)\);/);
    const bind = extract(fixed).binds[0];
    assert.equal(bind?.port, 8080);
    assert.equal(bind?.host, '127.0.0.1');
    assert.equal(extract(fixed).options[0]?.option, 'reuseport');
  });

  it('add-option reuseport keeps every callback after the host and backlog', () => {
    const text = `const http = require('http');
function start(cb) {
  http.createServer().listen(8080, 'localhost', 511, cb);
}
`;
    const fixed = applyFix(text, { kind: 'add-option', option: 'reuseport', ...firstBind(extract(text), text, 'listen(8080') });
    assert.match(fixed, /listen\(\{ port: 8080, host: 'localhost', backlog: 511, reusePort: true \}, cb\);/);
  });

  it('add-option reuseport goes into an existing listen or Deno options object', () => {
    const text = `await fastify.listen({ port: 3000, host: 'localhost' });\n`;
    const fixed = applyFix(text, { kind: 'add-option', option: 'reuseport', ...firstBind(extract(text, 'a.ts'), text, 'fastify.listen') }, 'a.ts');
    assert.equal(fixed, `await fastify.listen({ port: 3000, host: 'localhost', reusePort: true });\n`);

    const deno = `const l = Deno.listen({ port: 9000 });\n`;
    const fixedDeno = applyFix(deno, { kind: 'add-option', option: 'reuseport', ...firstBind(extract(deno, 'd.ts'), deno, 'Deno.listen') }, 'd.ts');
    assert.equal(fixedDeno, `const l = Deno.listen({ port: 9000, reusePort: true });\n`);
  });

  it('returns null where no safe edit exists', () => {
    const text = `const http = require('http');
const server = http.createServer();
server.listen(port, somewhere);
`;
    const facts = extract(text);
    const { socket, bind } = firstBind(facts, text, 'server.listen');
    const ask = (request: FixRequest) => javascriptAdapter.fix({ path: 'a.js', text }, facts, request);
    // libuv already sets SO_REUSEADDR on Unix; `somewhere` may be a host or a callback.
    assert.equal(ask({ kind: 'add-option', option: 'reuseaddr', socket, bind }), null);
    assert.equal(ask({ kind: 'add-option', option: 'reuseport', socket, bind }), null);
    assert.equal(ask({ kind: 'add-exclusive', socket, bind }), null);
    // A request for facts the text no longer has.
    assert.equal(ask({ kind: 'add-option', option: 'reuseport', socket, bind: { ...bind, span: { start: 0, end: 5 } } }), null);
  });

  it('guard-not-windows keeps reuseAddr and reusePort off the platforms that misread them', () => {
    const text = `const dgram = require('dgram');
const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
s.bind(5353);
`;
    const facts = extract(text);
    const option = facts.options.find((o) => o.option === 'reuseaddr');
    assert.ok(option);
    const socket = facts.sockets[0];
    assert.ok(socket);
    const fixed = applyFix(text, { kind: 'guard-not-windows', option, socket });
    assert.match(fixed, /reuseAddr: process\.platform !== 'win32'/);
    const after = extract(fixed);
    assert.ok(!after.options.some((o) => o.enabled && o.platforms.includes('win32')));

    const tcp = `const net = require('net');\nnet.createServer().listen({ port: 80, reusePort: true });\n`;
    const tcpFacts = extract(tcp);
    const reusePort = tcpFacts.options[0];
    const tcpSocket = tcpFacts.sockets[0];
    assert.ok(reusePort && tcpSocket);
    const fixedTcp = applyFix(tcp, { kind: 'guard-not-windows', option: reusePort, socket: tcpSocket });
    assert.match(fixedTcp, /reusePort: process\.platform === 'linux'/);
    assert.deepEqual(extract(fixedTcp).options.filter((o) => o.enabled).map((o) => o.platforms), [['linux']]);
  });

  it('remove-option deletes the property with its comma, or its whole line', () => {
    const inline = `const dgram = require('dgram');\nconst s = dgram.createSocket({ type: 'udp4', reuseAddr: true });\ns.bind(8125);\n`;
    const facts = extract(inline);
    const socket = facts.sockets[0];
    assert.ok(socket);
    for (const option of facts.options) {
      const fixed = applyFix(inline, { kind: 'remove-option', option, socket });
      assert.match(fixed, /createSocket\(\{ type: 'udp4' \}\)/);
      assert.equal(extract(fixed).options.length, 0);
    }

    const block = `const dgram = require('dgram');
const s = dgram.createSocket({
  reuseAddr: true,
  type: 'udp4',
});
s.bind(8125);
`;
    const blockFacts = extract(block);
    const option = blockFacts.options[0];
    const blockSocket = blockFacts.sockets[0];
    assert.ok(option && blockSocket);
    assert.equal(applyFix(block, { kind: 'remove-option', option, socket: blockSocket }),
      `const dgram = require('dgram');\nconst s = dgram.createSocket({\n  type: 'udp4',\n});\ns.bind(8125);\n`);
  });

  it('fix-exclusive-constant writes -5', () => {
    const text = `const SO_EXCLUSIVEADDRUSE = 0x0004;\n`;
    const constant = extract(text).constants[0];
    assert.ok(constant);
    const fixed = applyFix(text, { kind: 'fix-exclusive-constant', constant });
    assert.equal(fixed, `const SO_EXCLUSIVEADDRUSE = -5;\n`);
    assert.equal(extract(fixed).constants[0]?.value, -5);
  });
});

describe('javascript adapter: values and paths the code does not pin down', () => {
  const reuseAddrOn = (facts: FileFacts) => facts.options.filter((o) => o.enabled && o.option === 'reuseaddr');

  it('reads options that are true unless the caller passes false as on', () => {
    for (const value of [
      'opts.reuseAddr !== false',
      'false !== opts.reuseAddr',
      'opts.reuseAddr ?? true',
      'reuse',
      'opts.reuseAddr === undefined ? true : opts.reuseAddr',
      'opts.reuseAddr != null ? opts.reuseAddr : true',
      "typeof opts.reuseAddr === 'undefined' ? true : opts.reuseAddr",
      "'reuseAddr' in opts ? opts.reuseAddr : true",
    ]) {
      const text = `const dgram = require('dgram');
function listen(opts) {
  const reuse = opts.reuseAddr !== false;
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: ${value}, toString() { return 'udp4'; } });
  s.bind(5353, () => s.addMembership('224.0.0.251'));
}
`;
      const facts = extract(text);
      assert.deepEqual(reuseAddrOn(facts).map((o) => o.platforms), [['linux', 'win32']], value);
      const socket = facts.sockets[0];
      assert.equal(socket?.protocol, 'udp', value);
      assert.equal(socket.role, 'server', value);
      assert.equal(socket.multicast, true, value);
    }
  });

  it('still computes those forms when the value is known', () => {
    const text = `const dgram = require('dgram');
const SHARED = false;
const a = dgram.createSocket({ type: 'udp4', reuseAddr: SHARED !== false });
a.bind(5353);
const b = dgram.createSocket({ type: 'udp4', reuseAddr: SHARED ?? true });
b.bind(5354);
const c = dgram.createSocket({ type: 'udp4', reuseAddr: process.platform !== 'win32' !== false });
c.bind(5355);
`;
    const facts = extract(text);
    assert.ok(!facts.options.some((o) => o.enabled && text.slice(o.span.start, o.span.end).includes('SHARED')));
    assert.deepEqual(optionsAt(facts, text, "reuseAddr: process").filter((o) => o.enabled).map((o) => o.platforms), [['linux'], ['darwin']]);
  });

  it('keeps reuse that is off unless the caller opts in, or computed elsewhere, unknown and unpaired', () => {
    const text = `const dgram = require('dgram');
const net = require('net');
function a(opts) {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: opts.reuseAddr === true });
  s.bind(5353, () => s.addMembership('224.0.0.251'));
  const t = dgram.createSocket({ type: 'udp4', reuseAddr: decide(opts) });
  t.bind(5353);
  net.createServer().listen({ port: 8080, reusePort: opts.reusePort });
}
`;
    const facts = extract(text);
    assert.equal(facts.options.length, 0);
    assert.equal(facts.sockets.length, 3);
    for (const socket of facts.sockets) {
      assert.equal(socket.role, 'unknown');
      assert.equal(socket.multicast, false);
    }
    // A UDP socket's unknown role does not keep it out of port pairing; an unknown protocol does.
    assert.deepEqual(facts.sockets.map((s) => s.protocol).sort(), ['tcp', 'unknown', 'unknown']);
  });

  it('binds the socket of each if/else branch, leaving the one without reuse unknown', () => {
    const text = `const dgram = require('dgram');
function open(port, modern) {
  let sock;
  if (modern) {
    sock = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  } else {
    sock = dgram.createSocket('udp4');
  }
  sock.bind(port, () => sock.addMembership('224.0.0.251'));
}
`;
    const facts = extract(text);
    assert.equal(facts.binds.length, 2);
    assert.equal(new Set(facts.binds.map((b) => b.span.start)).size, 1);
    const [withReuse, without] = facts.binds.map((b) => socketOf(facts, b));
    assert.ok(withReuse && without);
    assert.ok(facts.options.every((o) => o.socketId === withReuse.id));
    assert.equal(withReuse.protocol, 'udp');
    assert.equal(withReuse.role, 'server');
    assert.equal(withReuse.multicast, true);
    assert.equal(without.protocol, 'unknown');
    assert.equal(without.role, 'unknown');
  });

  it('binds both sockets of a ternary alike when they agree, and only the last of a plain reassignment', () => {
    const text = `const dgram = require('dgram');
function open(v6) {
  const sock = v6 ? dgram.createSocket('udp6') : dgram.createSocket('udp4');
  sock.bind(1900, () => sock.addMembership('239.255.255.250'));
  let probe = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  probe.close();
  probe = dgram.createSocket('udp4');
  probe.bind(1901);
}
`;
    const facts = extract(text);
    const ssdp = facts.binds.filter((b) => b.port === 1900).map((b) => socketOf(facts, b));
    assert.equal(ssdp.length, 2);
    for (const socket of ssdp) {
      assert.equal(socket.protocol, 'udp');
      assert.equal(socket.role, 'server');
      assert.equal(socket.multicast, true);
    }
    const probe = facts.binds.filter((b) => b.port === 1901);
    assert.equal(probe.length, 1);
    const probeSocket = probe[0] ? socketOf(facts, probe[0]) : undefined;
    assert.ok(!facts.options.some((o) => o.socketId === probeSocket?.id));
  });

  it('does not take listen() on an unknown factory\'s object for a TCP server', () => {
    const text = `const coap = require('coap');
const dns2 = require('dns2');
const a = coap.createServer({ multicastAddress: '224.0.1.186' });
a.listen(5683);
const b = dns2.createUDPServer(handler);
b.listen(5333);
let c;
function start() { c = coap.createServer(); c.listen(6780, '0.0.0.0'); }
class Node { start() { this.server = dns2.createServer({ udp: true }); this.server.listen(53); } }
coap.createServer().listen(5684);
const d = new Responder();
d.listen(8053);
`;
    const facts = extract(text);
    assert.equal(facts.binds.length, 6);
    for (const bind of facts.binds) {
      const socket = socketOf(facts, bind);
      assert.equal(socket.protocol, 'unknown', socket.api);
      assert.equal(socket.role, 'unknown', socket.api);
      assert.deepEqual(bind.implicit, {});
    }
    assert.equal(bindAt(facts, text, 'c.listen').explicitWildcard, true);
  });

  it('keeps the servers it knows, imported apps and undeclared names as TCP servers', () => {
    const text = `import http from 'node:http';
import app from './app';
import restify from 'restify';
const fastify = require('fastify')({ logger: true });
const api = restify.createServer();
app.listen(3000);
fastify.listen({ port: 3001 });
api.listen(3002);
http.createServer(app).listen(3003);
server.listen(3004);
const worker = require('./worker');
worker.listen(3005);
`;
    const facts = extract(text, 'main.mjs');
    assert.equal(facts.binds.length, 6);
    for (const bind of facts.binds) {
      const socket = socketOf(facts, bind);
      assert.equal(socket.protocol, 'tcp', socket.api);
      assert.equal(socket.role, 'server', socket.api);
      assert.deepEqual(bind.implicit, UNIX_RA);
    }
    assert.equal(socketOf(facts, bindAt(facts, text, 'fastify.listen')).api, 'fastify()');
    assert.equal(socketOf(facts, bindAt(facts, text, 'api.listen')).api, 'restify.createServer');
  });

  it('reads TypeScript\'s CommonJS imports, Server() without new and emitter chains as the servers they are', () => {
    const text = `"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) { return mod; };
Object.defineProperty(exports, "__esModule", { value: true });
const node_net_1 = require("node:net");
const http_1 = __importDefault(require("http"));
const dgram_1 = __importDefault(require("dgram"));
const fastify_1 = require("fastify");
const a = (0, node_net_1.createServer)();
a.listen(4000, '127.0.0.1');
const b = http_1.default.createServer((req, res) => res.end());
b.listen(4001);
const c = require('http').Server(app);
c.listen(4002);
const d = (0, fastify_1.fastify)({ logger: true });
d.listen({ port: 4003 });
class Doh {
  constructor(ssl, options) {
    this.server = (ssl ? https.createServer(options) : http.createServer()).on('request', () => {});
  }
  listen(port) { return this.server.listen(port); }
}
const u = dgram_1.default.createSocket({ type: 'udp4', reuseAddr: true });
u.bind(5353, () => u.addMembership('224.0.0.251'));
`;
    const facts = extract(text, 'dist/index.js');
    for (const snippet of ['a.listen', 'b.listen', 'c.listen', 'd.listen', 'this.server.listen']) {
      const socket = socketOf(facts, bindAt(facts, text, snippet));
      assert.equal(socket.protocol, 'tcp', snippet);
      assert.equal(socket.role, 'server', snippet);
    }
    assert.equal(socketOf(facts, bindAt(facts, text, 'a.listen')).api, 'net.createServer');
    assert.equal(socketOf(facts, bindAt(facts, text, 'b.listen')).api, 'http.createServer');
    assert.equal(bindAt(facts, text, 'c.listen').port, 4002);
    const udp = socketOf(facts, bindAt(facts, text, 'u.bind'));
    assert.equal(udp.protocol, 'udp');
    assert.equal(udp.multicast, true);
    assert.equal(reuseAddrOn(facts).length, 1);
  });
});
