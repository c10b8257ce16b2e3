// Python adapter: facts (ports, hosts, roles, platforms, runtime defaults, timing, constants), the
// annotated fixtures through the engine, fix round trips, and robustness on odd input.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/analysis/config';
import { Analyzer, checkFiles } from '../../../src/analysis/engine';
import type { BindFact, FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import type { Finding, RuleId } from '../../../src/analysis/findings';
import { applyEdits } from '../../../src/analysis/fixes';
import { pythonAdapter } from '../../../src/languages/python/pythonAdapter';
import { syntaxErrorCount } from '../syntaxCheck';

const analyzer = new Analyzer([pythonAdapter], undefined);

function extract(text: string, path = 'app.py'): FileFacts {
  return pythonAdapter.extract({ path, text });
}

function socketBy(facts: FileFacts, api: string): SocketFact {
  const socket = facts.sockets.find((s) => s.api === api || s.variable === api);
  assert.ok(socket, `no socket "${api}" in ${JSON.stringify(facts.sockets.map((s) => [s.api, s.variable]))}`);
  return socket;
}

function bindOf(facts: FileFacts, api: string): BindFact {
  const socket = socketBy(facts, api);
  const bind = facts.binds.find((b) => b.socketId === socket.id);
  assert.ok(bind, `socket ${socket.id} has no bind`);
  return bind;
}

function optionsOf(facts: FileFacts, api: string): OptionFact[] {
  const socket = socketBy(facts, api);
  return facts.options.filter((o) => o.socketId === socket.id);
}

function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}`);
  return items[0] as T;
}

/** A server function around `body` (4-space indented), with the usual imports. */
function program(body: string, head = ''): string {
  const indented = body.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
  return `import os\nimport socket\nimport sys\n${head}\n\ndef main():\n${indented}\n`;
}

async function findings(text: string, path = 'app.py'): Promise<Finding[]> {
  const analysis = await analyzer.analyze({ path, text });
  return checkFiles([analysis], DEFAULT_CONFIG);
}

/** Applies the fix of the first `ruleId` finding and checks the round trip; returns the fixed text. */
async function fixRoundTrip(text: string, ruleId: RuleId, path = 'app.py'): Promise<string> {
  const doc = { path, text };
  const analysis = await analyzer.analyze(doc);
  const before = checkFiles([analysis], DEFAULT_CONFIG).filter((f) => f.ruleId === ruleId);
  const finding = before[0];
  assert.ok(finding, `no ${ruleId} finding in:\n${text}`);
  const fix = analyzer.fixFor(doc, analysis, finding);
  assert.ok(fix, `no fix for ${ruleId} (${finding.fix?.kind ?? 'none'})`);
  const fixed = applyEdits(text, fix.edits);
  assert.equal(await syntaxErrorCount(path, fixed), 0, `fix broke the syntax:\n${fixed}`);
  const after = await findings(fixed, path);
  assert.ok(after.filter((f) => f.ruleId === ruleId).length < before.length, `${ruleId} still reported after the fix:\n${fixed}`);
  // The same request against the fixed text is stale or already satisfied.
  assert.ok(finding.fix);
  assert.equal(pythonAdapter.fix({ path, text: fixed }, extract(fixed, path), finding.fix), null, 'a second application changes the text again');
  return fixed;
}

before(async () => {
  await pythonAdapter.prepare();
});

describe('python adapter: addresses and ports', () => {
  const cases: [string, string, number | null, string | null, boolean][] = [
    ['s.bind(("", 8080))', '', 8080, '', true],
    ['s.bind(("0.0.0.0", PORT))', 'PORT = 9000', 9000, '0.0.0.0', true],
    ['s.bind(("127.0.0.1", PORT))', 'PORT = int(os.environ.get("PORT", 8080))', 8080, '127.0.0.1', false],
    ['s.bind(("localhost", int(os.getenv("PORT", "8081"))))', '', 8081, 'localhost', false],
    ['s.bind(ADDR)', 'ADDR = ("", 8082)', 8082, '', true],
    ['s.bind((HOST, PORT))', 'HOST, PORT = "localhost", 8083', 8083, 'localhost', false],
    ['s.bind(("::", 0))', '', 0, '::', true],
    ['s.bind(("127.0.0.1", BASE + 2))', 'BASE = 8085', 8087, '127.0.0.1', false],
    ['s.bind(("127.0.0.1", os.environ.get("PORT") or 8088))', '', 8088, '127.0.0.1', false],
    ['s.bind((socket.gethostname(), 8089))', '', 8089, null, false],
    ['s.bind(("127.0.0.1", PORT))', 'PORT = 1\nif sys.argv[1:]:\n    PORT = 2', null, '127.0.0.1', false],
  ];
  for (const [call, decl, port, host, wildcard] of cases) {
    it(`${call} with "${decl}" → port ${String(port)}, host ${String(host)}`, () => {
      const facts = extract(program(`s = socket.socket()\n${call}\ns.listen()`, decl));
      const bind = bindOf(facts, 's');
      assert.equal(bind.port, port);
      assert.equal(bind.host, host);
      assert.equal(bind.explicitWildcard, wildcard);
    });
  }

  it('reads argparse defaults and sys.argv fallbacks', () => {
    const argparse = extract(program('args = parser.parse_args()\ns = socket.socket()\ns.bind(("127.0.0.1", args.port))\ns.listen()',
      'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("-p", "--port", type=int, default=8090)'));
    assert.equal(bindOf(argparse, 's').port, 8090);
    const argv = extract(program('port = int(sys.argv[1]) if len(sys.argv) > 1 else 8091\ns = socket.socket()\ns.bind(("", port))\ns.listen()'));
    assert.equal(bindOf(argv, 's').port, 8091);
  });

  it('leaves parameters and find_unused_port() as unknown and ephemeral', () => {
    const facts = extract('import socket\n\ndef serve(port):\n    s = socket.socket()\n    s.bind(("127.0.0.1", port))\n    s.listen()\n');
    assert.equal(bindOf(facts, 's').port, null);
    const helper = extract(program('port = socket_helper.find_unused_port()\ns = socket.socket()\ns.bind(("127.0.0.1", port))\ns.listen()'));
    assert.equal(bindOf(helper, 's').port, 0);
  });

  it('reads multicast group addresses as group receivers', () => {
    const facts = extract(program('u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.bind(("239.1.1.1", 5000))\nu.recv(10)'));
    assert.equal(socketBy(facts, 'u').multicast, true);
    assert.equal(bindOf(facts, 'u').hostKind, 'specific');
  });
});

describe('python adapter: sockets, protocols and roles', () => {
  it('tells servers, clients and undecided sockets apart', () => {
    const facts = extract(program([
      'srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)', 'srv.bind(("", 80))', 'srv.listen()',
      'cli = socket.socket()', 'cli.bind(("", 40000))', 'cli.connect(("example.com", 80))',
      'odd = socket.socket()', 'odd.bind(("", 40001))',
      'udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)', 'udp.bind(("", 53))', 'udp.recvfrom(512)',
    ].join('\n')));
    assert.deepEqual([socketBy(facts, 'srv').role, socketBy(facts, 'srv').protocol], ['server', 'tcp']);
    assert.equal(socketBy(facts, 'cli').role, 'client');
    assert.equal(socketBy(facts, 'odd').role, 'unknown');
    assert.deepEqual([socketBy(facts, 'udp').role, socketBy(facts, 'udp').protocol], ['server', 'udp']);
  });

  it('follows self attributes across methods and aliases', () => {
    const facts = extract([
      'import socket', '', 'class Server:', '    def __init__(self):', '        sock = socket.socket()', '        self.sock = sock',
      '    def start(self):', '        self.sock.bind(("127.0.0.1", 7000))', '        self.sock.listen()', '',
    ].join('\n'));
    assert.equal(facts.sockets.length, 1);
    assert.equal(socketBy(facts, 'sock').role, 'server');
    assert.equal(bindOf(facts, 'sock').port, 7000);
  });

  it('resolves chains of aliases without chasing itself', () => {
    const facts = extract(program('s = socket.socket()\nt = s\ns = t\ns.bind(("127.0.0.1", 7010))\ns.listen()'));
    assert.equal(facts.sockets.length, 1);
    assert.deepEqual([bindOf(facts, 's').port, socketBy(facts, 's').role], [7010, 'server']);
  });

  it('does not guess the family of socket.socket(*addrinfo)', () => {
    const facts = extract(program('s = socket.socket(*info[:3])\ns.bind(sockaddr)\ns.listen()'));
    assert.deepEqual([socketBy(facts, 's').protocol, socketBy(facts, 's').role], ['unknown', 'unknown']);
  });

  it('marks sockets served by asyncio or TLS as servers', () => {
    const facts = extract(program('s = socket.socket()\ns.bind(("127.0.0.1", 7001))\nreturn asyncio.start_server(cb, sock=s)', 'import asyncio'));
    assert.equal(socketBy(facts, 's').role, 'server');
    const tls = extract(program('s = socket.socket()\ns.bind(("127.0.0.1", 7002))\nconn = ctx.wrap_socket(s, server_side=True)'));
    assert.equal(socketBy(facts, 's').role, 'server');
    assert.equal(socketBy(tls, 's').role, 'server');
  });

  it('ignores AF_UNIX, raw sockets, path binds and GUI .bind() calls', () => {
    const facts = extract(program([
      'u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)', 'u.bind("/tmp/x.sock")', 'u.listen()',
      'r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)', 'r.bind(("", 0))',
      'p = socket.socket()', 'p.bind(path)',
      'root.bind("<Escape>", quit)', 'sig.bind(*args, **kwargs)',
    ].join('\n')));
    assert.deepEqual(facts.sockets.filter((s) => s.variable !== 'p'), []);
  });

  it('sees sockets made elsewhere when they bind a (host, port) tuple', () => {
    const facts = extract('import socket\n\ndef serve(sock):\n    sock.bind(("127.0.0.1", 7003))\n    sock.listen()\n');
    assert.deepEqual([socketBy(facts, 'sock').protocol, socketBy(facts, 'sock').role], ['tcp', 'server']);
  });

  it('joins multicast groups, broadcasts, and groups joined through other names', () => {
    const joined = extract(program('u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)\nu.bind(("", 5000))'));
    assert.equal(socketBy(joined, 'u').multicast, true);
    assert.equal(socketBy(joined, 'u').role, 'server');
    const broadcast = extract(program('b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nb.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\nb.bind(("", 5001))'));
    assert.equal(socketBy(broadcast, 'b').multicast, true);
    const viaTransport = extract(program('t, p = await loop.create_datagram_endpoint(P, local_addr=("0.0.0.0", 5353), reuse_port=True)\nsock = t.get_extra_info("socket")\nsock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)', 'import asyncio'));
    assert.equal(socketBy(viaTransport, 'loop.create_datagram_endpoint').multicast, true);
  });
});

describe('python adapter: runtime defaults', () => {
  const unix = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };
  const everywhere = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };
  const cases: [string, string, string, object, boolean][] = [
    ['socket.create_server(("", 8080))', '', 'socket.create_server', unix, true],
    ['await loop.create_server(P, "127.0.0.1", 8080)', 'import asyncio', 'loop.create_server', unix, true],
    ['await asyncio.start_server(cb, "127.0.0.1", 8080)', 'import asyncio', 'asyncio.start_server', unix, true],
    ['socketserver.TCPServer(("", 8080), H)', 'import socketserver', 'socketserver.TCPServer', {}, true],
    ['socketserver.ThreadingUDPServer(("", 8080), H)', 'import socketserver', 'socketserver.ThreadingUDPServer', {}, true],
    ['http.server.HTTPServer(("", 8080), H)', 'import http.server', 'http.server.HTTPServer', everywhere, true],
    ['ThreadingHTTPServer(("", 8080), H)', 'from http.server import ThreadingHTTPServer', 'http.server.ThreadingHTTPServer', everywhere, true],
    ['SimpleXMLRPCServer(("", 8080))', 'from xmlrpc.server import SimpleXMLRPCServer', 'xmlrpc.server.SimpleXMLRPCServer', everywhere, true],
    ['make_server("", 8080, app)', 'from wsgiref.simple_server import make_server', 'wsgiref.simple_server.make_server', everywhere, true],
    ['reactor.listenTCP(8080, f)', 'from twisted.internet import reactor', 'reactor.listenTCP', unix, true],
    ['reactor.listenUDP(8080, p)', 'from twisted.internet import reactor', 'reactor.listenUDP', {}, true],
    ['reactor.listenMulticast(8080, p, listenMultiple=True)', 'from twisted.internet import reactor', 'reactor.listenMulticast',
      { linux: ['reuseaddr', 'reuseport'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] }, true],
  ];
  for (const [call, head, api, implicit, atCreation] of cases) {
    it(`${call} → ${JSON.stringify(implicit)}`, () => {
      const facts = extract(program(`srv = ${call}`, head));
      const bind = bindOf(facts, api);
      assert.deepEqual(bind.implicit, implicit);
      assert.equal(bind.bindsAtCreation, atCreation);
      assert.equal(bind.port, 8080);
      assert.equal(socketBy(facts, api).role, 'server');
    });
  }

  it('resolves subclasses, mixins and overridden __init__ to their stdlib base', () => {
    const facts = extract([
      'import socketserver, http.server', '',
      'class Threaded(socketserver.ThreadingMixIn, http.server.HTTPServer):', '    pass', '',
      'class App(socketserver.TCPServer):', '    def __init__(self, port):', '        super().__init__(("127.0.0.1", port), Handler)', '',
      'Threaded(("", 8000), H)', 'App(8001)', 'App(port=8002)',
    ].join('\n'));
    const [threaded, ...apps] = facts.binds;
    assert.deepEqual(threaded?.implicit.win32, ['reuseaddr']);
    assert.deepEqual(apps.map((b) => [b.port, b.host]), [[8001, '127.0.0.1'], [8002, '127.0.0.1']]);
  });

  it('drops servers that never bind and binds meant to fail', () => {
    const facts = extract([
      'import socketserver, unittest', '',
      'class Mock(socketserver.TCPServer):', '    def __init__(self, addr, h):', '        socketserver.BaseServer.__init__(self, addr, h)', '',
      'class T(unittest.TestCase):', '    def test(self):', '        Mock(("", 80), None)',
      '        with self.assertRaises(OverflowError):', '            socketserver.TCPServer(("", 70000), None)',
      '        socketserver.TCPServer(("", -1), None)',
    ].join('\n'));
    assert.deepEqual(facts.binds, []);
  });

  it('reads allow_reuse_address on subclasses, class objects and instances', () => {
    const text = [
      'import os, socketserver', '',
      'class Reusable(socketserver.TCPServer):', '    allow_reuse_address = os.name != "nt"', '    allow_reuse_port = True', '',
      'def run():', '    a = Reusable(("", 9000), H)',
      '    socketserver.UDPServer.allow_reuse_address = True', '    b = socketserver.UDPServer(("", 9001), H)',
      '    c = socketserver.TCPServer(("", 9002), H)', '    c.allow_reuse_address = True',
      '    d = socketserver.TCPServer(("", 9003), H, bind_and_activate=False)', '    d.allow_reuse_address = True', '    d.server_bind()',
    ].join('\n');
    const facts = extract(text);
    const a = optionsOf(facts, 'a').map((o) => [o.option, o.enabled, o.platforms.join(), o.timing]);
    // `os.name != "nt"` also turns the option off on Windows, which matters where the base turns it on.
    assert.deepEqual(a, [['reuseaddr', true, 'linux,darwin', 'before'], ['reuseaddr', false, 'win32', 'before'], ['reuseport', true, 'linux,darwin', 'before']]);
    assert.deepEqual(optionsOf(facts, 'b').map((o) => o.timing), ['before']);
    assert.deepEqual(optionsOf(facts, 'c').map((o) => o.timing), ['after']);
    assert.deepEqual(optionsOf(facts, 'd').map((o) => o.timing), ['before']);
    const d = bindOf(facts, 'd');
    assert.equal(d.bindsAtCreation, false);
    assert.equal(text.slice(d.span.start, d.span.end), 'd.server_bind()');
  });

  it('reads server_bind overrides as options set before or after the base bind', () => {
    const facts = extract([
      'import socket, socketserver', '',
      'class S(socketserver.TCPServer):', '    def server_bind(self):',
      '        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)', '        super().server_bind()',
      '        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)', '',
      'srv = S(("127.0.0.1", 9000), H)',
    ].join('\n'));
    assert.deepEqual(optionsOf(facts, 'srv').map((o) => [o.option, o.timing]), [['reuseaddr', 'before'], ['reuseport', 'after']]);
  });

  it('reads keyword options of APIs that bind', () => {
    const facts = extract(program([
      'a = socket.create_server(("", 1), reuse_port=True)',
      'b = await loop.create_server(P, "", 2, reuse_address=False)',
      't, p = await loop.create_datagram_endpoint(P, local_addr=("", 3), reuse_port=hasattr(socket, "SO_REUSEPORT"), allow_broadcast=True)',
    ].join('\n'), 'import asyncio'));
    assert.deepEqual(optionsOf(facts, 'a').map((o) => [o.option, o.enabled, o.platforms.join(), o.unsupportedOn?.join()]), [['reuseport', true, 'linux,darwin,win32', 'win32']]);
    assert.deepEqual(optionsOf(facts, 'b').map((o) => [o.option, o.enabled]), [['reuseaddr', false]]);
    const udp = socketBy(facts, 'loop.create_datagram_endpoint');
    assert.equal(udp.multicast, true);
    assert.deepEqual(facts.options.filter((o) => o.socketId === udp.id).map((o) => `${String(o.enabled)}:${o.platforms.join()}`), ['true:linux,darwin', 'false:win32']);
  });
});

describe('python adapter: options, timing and platform guards', () => {
  function reuse(body: string, head = ''): OptionFact[] {
    return optionsOf(extract(program(`s = socket.socket()\n${body}\ns.bind(("127.0.0.1", 7000))\ns.listen()`, head)), 's');
  }
  const on = (o: OptionFact[]): string[] => o.filter((x) => x.enabled).map((x) => `${x.option}:${x.platforms.join('+')}`);

  it('reads the value: 1/True on, 0/False off', () => {
    assert.deepEqual(reuse('s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)').map((o) => o.enabled), [true]);
    assert.deepEqual(reuse('s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)').map((o) => o.enabled), [false]);
    assert.deepEqual(on(reuse('s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0 if os.name == "nt" else 1)')), ['reuseaddr:linux+darwin']);
  });

  it('honours os.name, sys.platform, platform.system(), hasattr and named flags', () => {
    assert.deepEqual(on(reuse('if os.name != "nt":\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)')), ['reuseaddr:linux+darwin']);
    assert.deepEqual(on(reuse('if sys.platform == "win32":\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)\nelif sys.platform == "darwin":\n    pass\nelse:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)')),
      ['exclusiveaddruse:win32', 'reuseaddr:linux']);
    assert.deepEqual(on(reuse('if platform.system() != "Windows":\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)')), ['reuseaddr:linux+darwin']);
    assert.deepEqual(on(reuse('if hasattr(socket, "SO_REUSEPORT"):\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)')), ['reuseport:linux+darwin']);
    assert.deepEqual(on(reuse('if not WINDOWS:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)', 'WINDOWS = sys.platform.startswith("win")')), ['reuseaddr:linux+darwin']);
    assert.deepEqual(on(reuse('if not support.MS_WINDOWS:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)')), ['reuseaddr:linux+darwin']);
  });

  it('honours early exits and skip decorators', () => {
    assert.deepEqual(on(reuse('if os.name == "nt":\n    return\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)')), ['reuseaddr:linux+darwin']);
    const decorated = extract(['import socket, sys, unittest', '', 'class T(unittest.TestCase):', '    @unittest.skipIf(sys.platform == "win32", "posix")',
      '    def test(self):', '        s = socket.socket()', '        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)', '        s.bind(("127.0.0.1", 1))'].join('\n'));
    assert.deepEqual(on(optionsOf(decorated, 's')), ['reuseaddr:linux+darwin']);
    assert.deepEqual(bindOf(decorated, 's').platforms, ['linux', 'darwin']);
  });

  it('picks the option per platform from a conditional expression', () => {
    const options = reuse('opt = socket.SO_EXCLUSIVEADDRUSE if os.name == "nt" else socket.SO_REUSEADDR\ns.setsockopt(socket.SOL_SOCKET, opt, 1)');
    assert.deepEqual(on(options), ['exclusiveaddruse:win32', 'reuseaddr:linux+darwin']);
    // SO_EXCLUSIVEADDRUSE only means something to Winsock.
    assert.deepEqual(on(reuse('s.setsockopt(socket.SOL_SOCKET, ~socket.SO_REUSEADDR, 1)')), ['exclusiveaddruse:win32']);
    assert.deepEqual(on(reuse('s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_REUSEPORT", 15), 1)')), ['reuseport:linux+darwin+win32']);
  });

  it('marks SO_REUSEPORT as raising on Windows', () => {
    assert.deepEqual(reuse('s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)').map((o) => o.unsupportedOn), [['win32']]);
  });

  it('leaves Windows out of SO_REUSEPORT looked up inside try/except AttributeError', () => {
    const guarded = (handler: string, option = 'socket.SO_REUSEPORT'): OptionFact[] =>
      reuse(`try:\n    s.setsockopt(socket.SOL_SOCKET, ${option}, 1)\nexcept ${handler}:\n    pass`);
    for (const handler of ['AttributeError', '(AttributeError, OSError)', 'AttributeError as e', 'Exception']) {
      const options = guarded(handler);
      assert.deepEqual(on(options), ['reuseport:linux+darwin'], handler);
      assert.deepEqual(options.map((o) => o.unsupportedOn), [undefined], handler);
    }
    assert.deepEqual(on(guarded('AttributeError', 'getattr(socket, "SO_REUSEPORT")')), ['reuseport:linux+darwin']);
    assert.deepEqual(on(reuse('try:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\nexcept:\n    pass')), ['reuseport:linux+darwin']);
    // OSError does not catch the AttributeError, and code in the handler is not looked up in the try.
    assert.deepEqual(guarded('OSError').map((o) => o.unsupportedOn), [['win32']]);
    const inHandler = reuse('try:\n    pass\nexcept AttributeError:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)');
    assert.deepEqual(on(inHandler), ['reuseport:linux+darwin+win32']);
  });

  it('reads reuse flags that are on unless the caller turns them off', () => {
    const flagged = (params: string, body: string): OptionFact[] => optionsOf(extract(`import socket, sys\n\ndef listen(addr, ${params}):\n    s = socket.socket()\n`
      + `${body.split('\n').map((l) => `    ${l}`).join('\n')}\n    s.bind(("127.0.0.1", 7001))\n    s.listen()\n`), 's');
    const set = (condition: string, option = 'SO_REUSEADDR'): string => `if ${condition}:\n    s.setsockopt(socket.SOL_SOCKET, socket.${option}, 1)`;
    assert.deepEqual(on(flagged('reuse_addr=True', set('reuse_addr'))), ['reuseaddr:linux+darwin+win32']);
    assert.deepEqual(on(flagged('reuse_addr=1', set('reuse_addr and sys.platform != "win32"'))), ['reuseaddr:linux+darwin']);
    assert.deepEqual(on(flagged('reuse_port=None', `if reuse_port is None:\n    reuse_port = True\n${set('reuse_port and hasattr(socket, "SO_REUSEPORT")', 'SO_REUSEPORT')}`)), ['reuseport:linux+darwin']);
    // Opt-in, undecided, replaced from configuration, or negated: the caller's business.
    for (const [params, body] of [
      ['reuse_port=False', set('reuse_port', 'SO_REUSEPORT')],
      ['reuse_port=None', set('reuse_port', 'SO_REUSEPORT')],
      ['reuse_addr=True, conf=None', `reuse_addr = conf.reuse\n${set('reuse_addr')}`],
      ['reuse_addr=True', set('reuse_addr and not self.reuse_port')],
      ['reuse_addr=True', set('not reuse_addr')],
    ]) {
      const facts = flagged(params ?? '', body ?? '');
      assert.deepEqual(facts, [], `${params} / ${body}`);
    }
  });

  it('reads self.set_reuse_addr() on asyncore dispatchers, with in-file overrides per platform', () => {
    const dispatcher = (base: string, extra = ''): FileFacts => extract(['import asyncore, os, socket', 'from lib import Acceptor', `class D(${base}):`, extra,
      '    def __init__(self):', '        self.create_socket(socket.AF_INET, socket.SOCK_STREAM)', '        self.set_reuse_addr()',
      '        self.bind(("127.0.0.1", 2121))', '        self.listen(5)', ''].join('\n'));
    const plain = dispatcher('asyncore.dispatcher');
    const socket = only(plain.sockets);
    assert.deepEqual([socket.api, socket.protocol, socket.role, socket.variable], ['asyncore.dispatcher', 'tcp', 'server', 'self.socket']);
    assert.deepEqual(plain.options.map((o) => [o.option, o.platforms, o.timing]), [['reuseaddr', ['linux', 'darwin', 'win32'], 'before']]);
    assert.deepEqual(only(plain.binds).port, 2121);
    // A base from another module may skip Windows (pyftpdlib does): Unix only.
    assert.deepEqual(dispatcher('Acceptor').options.map((o) => o.platforms), [['linux', 'darwin']]);
    const noOpOnWindows = dispatcher('asyncore.dispatcher', '    if os.name == "nt":\n        def set_reuse_addr(self):\n            pass\n');
    assert.deepEqual(noOpOnWindows.options.map((o) => o.platforms), [['linux', 'darwin']]);
    const exclusive = dispatcher('asyncore.dispatcher', '    def set_reuse_addr(self):\n        if os.name == "nt":\n            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)\n'
      + '        else:\n            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n');
    assert.deepEqual(exclusive.options.map((o) => [o.option, o.platforms]), [['exclusiveaddruse', ['win32']], ['reuseaddr', ['linux', 'darwin']]]);
    assert.equal(exclusive.sockets.length, 1);
  });

  it('orders options against binds in the same function', () => {
    const facts = extract(program('s = socket.socket()\ns.bind(("", 1))\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.listen()'));
    assert.deepEqual(optionsOf(facts, 's').map((o) => o.timing), ['after']);
    const retry = extract(program('s = socket.socket()\ntry:\n    s.bind(("", 1))\nexcept OSError:\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n    s.bind(("", 1))'));
    assert.deepEqual(optionsOf(retry, 's').map((o) => o.timing), ['before']);
    const methods = extract(['import socket', 'class C:', '    def bind(self):', '        self.s.bind(("", 1))',
      '    def __init__(self):', '        self.s = socket.socket()', '        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)'].join('\n'));
    assert.deepEqual(optionsOf(methods, 'self.s').map((o) => o.timing), ['before']);
  });

  it('passes over reuse that follows a caller\'s setting', () => {
    const facts = extract('import socket\n\ndef listen(addr, reuse_port=False):\n    s = socket.socket()\n    if reuse_port:\n        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)\n    s.bind(addr)\n    s.listen()\n\n'
      + 'def _set_reuse(sock):\n    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n');
    assert.deepEqual(facts.options, []);
    assert.equal(socketBy(facts, 's').role, 'unknown');
  });

  it('reads platform from file names', () => {
    const facts = extract(program('s = socket.socket()\ns.bind(("", 1))'), 'server_windows.py');
    assert.deepEqual(bindOf(facts, 's').platforms, ['win32']);
  });
});

describe('python adapter: hand-written SO_EXCLUSIVEADDRUSE', () => {
  it('computes the values', () => {
    const facts = extract([
      'import socket', 'SO_EXCLUSIVEADDRUSE = 4', 'socket.SO_EXCLUSIVEADDRUSE = ~socket.SO_REUSEADDR',
      'X_SO_EXCLUSIVEADDRUSE = getattr(socket, "SO_EXCLUSIVEADDRUSE", 0xFFFFFFFB)', 'Y_SO_EXCLUSIVEADDRUSE = -0x5',
      'Z_SO_EXCLUSIVEADDRUSE = socket.SO_EXCLUSIVEADDRUSE', 'W_SO_EXCLUSIVEADDRUSE = getattr(socket, "SO_EXCLUSIVEADDRUSE")',
    ].join('\n'));
    assert.deepEqual(facts.constants.map((c) => [c.name, c.value]), [
      ['SO_EXCLUSIVEADDRUSE', 4], ['SO_EXCLUSIVEADDRUSE', -5], ['X_SO_EXCLUSIVEADDRUSE', 0xfffffffb], ['Y_SO_EXCLUSIVEADDRUSE', -5],
    ]);
  });
});

describe('python adapter: fixes', () => {
  it('adds SO_REUSEADDR before the bind, guarded off Windows, importing os', async () => {
    const text = 'import socket\n\n\ndef serve():\n    s = socket.socket()\n    s.bind(("", 8080))\n    s.listen()\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.equal(fixed, 'import socket\nimport os\n\n\ndef serve():\n    s = socket.socket()\n    if os.name != "nt":\n        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n    s.bind(("", 8080))\n    s.listen()\n');
  });

  it('keeps CRLF line endings, tabs and the file\'s import style', async () => {
    const text = 'import os\r\nfrom socket import *\r\n\r\ndef serve():\r\n\tself_sock = socket(AF_INET, SOCK_STREAM)\r\n\tself_sock.bind(("127.0.0.1", 8080))\r\n\tself_sock.listen()\r\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.ok(fixed.includes('\tif os.name != "nt":\r\n\t\tself_sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)\r\n\tself_sock.bind'), fixed);
    assert.ok(!/[^\r]\n/.test(fixed), 'a bare LF slipped in');
  });

  it('extends neither the import nor the file when names are imported one by one', async () => {
    const text = 'from socket import socket, AF_INET, SOCK_STREAM\nimport os as operating_system\n\ns = socket(AF_INET, SOCK_STREAM)\ns.bind(("127.0.0.1", 8080))\ns.listen()\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.ok(fixed.includes('import socket as _socket\n'), fixed);
    assert.ok(fixed.includes('if operating_system.name != "nt":\n    s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)\n'), fixed);
  });

  it('adds SO_REUSEADDR unguarded for a multicast receiver', async () => {
    const text = 'import socket\nu = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nu.bind(("224.1.1.1", 5007))\nu.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, m)\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.ok(fixed.includes('u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\nu.bind'), fixed);
  });

  it('subclasses a socketserver class with allow_reuse_address', async () => {
    const text = 'import os\nimport socketserver\n\nwith socketserver.TCPServer(("", 8000), H) as httpd:\n    httpd.serve_forever()\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.equal(fixed, 'import os\nimport socketserver\n\nclass ReusableTCPServer(socketserver.TCPServer):\n    allow_reuse_address = os.name != "nt"\n\nwith ReusableTCPServer(("", 8000), H) as httpd:\n    httpd.serve_forever()\n');
  });

  it('adds the attribute to the file\'s own server class, after its docstring', async () => {
    const text = 'import socketserver\n\nclass S(socketserver.TCPServer):\n    """Echo."""\n\n    def handle_error(self, r, a):\n        pass\n\nS(("127.0.0.1", 8000), H).serve_forever()\n';
    const fixed = await fixRoundTrip(text, 'reuse-missing');
    assert.ok(fixed.includes('    """Echo."""\n\n    allow_reuse_address = os.name != "nt"\n    def handle_error'), fixed);
  });

  it('moves an option set after bind to before it', async () => {
    const text = program('s = socket.socket()\ns.bind(("127.0.0.1", 1))\nif os.name != "nt":\n    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.listen()');
    const fixed = await fixRoundTrip(text, 'reuse-after-bind');
    assert.ok(fixed.includes('    if os.name != "nt":\n        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n    s.bind(("127.0.0.1", 1))\n    s.listen()'), fixed);
  });

  it('moves an instance attribute set after the constructor into a subclass', async () => {
    const text = 'import socketserver\n\ndef run():\n    srv = socketserver.TCPServer(("127.0.0.1", 9000), H)\n    srv.allow_reuse_address = True\n    srv.serve_forever()\n';
    const fixed = await fixRoundTrip(text, 'reuse-after-bind');
    assert.equal(fixed, 'import socketserver\n\ndef run():\n    class ReusableTCPServer(socketserver.TCPServer):\n        allow_reuse_address = True\n\n    srv = ReusableTCPServer(("127.0.0.1", 9000), H)\n    srv.serve_forever()\n');
  });

  it('guards an explicit SO_REUSEADDR, a class attribute and a keyword off Windows', async () => {
    const statement = await fixRoundTrip(program('s = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(("127.0.0.1", 1))\ns.listen()'), 'windows-hijack');
    assert.ok(statement.includes('    if os.name != "nt":\n        s.setsockopt('), statement);
    const attribute = await fixRoundTrip('import socketserver\n\nclass S(socketserver.TCPServer):\n    allow_reuse_address = True\n\nS(("127.0.0.1", 1), H)\n', 'windows-hijack');
    assert.ok(attribute.startsWith('import socketserver\nimport os\n'), attribute);
    assert.ok(attribute.includes('    allow_reuse_address = os.name != "nt"\n'), attribute);
    const keyword = await fixRoundTrip('import asyncio\n\nasync def main(loop):\n    await loop.create_server(P, "127.0.0.1", 1, reuse_address=True)\n', 'windows-hijack');
    assert.ok(keyword.includes('reuse_address=os.name != "nt")'), keyword);
  });

  it('adds SO_EXCLUSIVEADDRUSE to an http.server subclass and turns its SO_REUSEADDR off on Windows', async () => {
    const text = 'import os\nimport socket\nfrom http.server import HTTPServer\n\nHTTPServer(("127.0.0.1", 8000), H).serve_forever()\n';
    const fixed = await fixRoundTrip(text, 'windows-hijack');
    assert.ok(fixed.includes([
      'class ExclusiveHTTPServer(HTTPServer):', '    allow_reuse_address = os.name != "nt"', '',
      '    def server_bind(self):', '        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):',
      '            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)', '        super().server_bind()', '',
      'ExclusiveHTTPServer(("127.0.0.1", 8000), H).serve_forever()',
    ].join('\n')), fixed);
  });

  it('gives make_server an exclusive server_class', async () => {
    const text = 'from wsgiref.simple_server import make_server\n\nhttpd = make_server("127.0.0.1", 8000, app)\n';
    const fixed = await fixRoundTrip(text, 'windows-hijack');
    assert.ok(fixed.startsWith('from wsgiref.simple_server import make_server, WSGIServer\n'), fixed);
    assert.ok(fixed.includes('httpd = make_server("127.0.0.1", 8000, app, server_class=ExclusiveWSGIServer)'), fixed);
  });

  it('removes SO_REUSEADDR from a unicast UDP socket, keeping blocks valid', async () => {
    const alone = await fixRoundTrip(program('u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nif os.name != "nt":\n    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\nu.bind(("127.0.0.1", 5000))\nu.recvfrom(1)'), 'udp-reuse-steal');
    assert.ok(!alone.includes('setsockopt') && !alone.includes('if os.name'), alone);
    const keyword = await fixRoundTrip('import asyncio\n\nasync def main(loop):\n    await loop.create_datagram_endpoint(\n        P,\n        local_addr=("127.0.0.1", 5000),\n        reuse_port=True,\n    )\n', 'udp-reuse-steal');
    assert.ok(keyword.includes('        local_addr=("127.0.0.1", 5000),\n    )'), keyword);
  });

  it('adds reuse_port to create_datagram_endpoint and listenMultiple to listenMulticast', async () => {
    const endpoint = await fixRoundTrip('import asyncio, socket\n\nasync def main(loop):\n    await loop.create_datagram_endpoint(P, local_addr=("239.0.0.1", 5000))\n', 'reuse-missing');
    assert.ok(endpoint.includes('local_addr=("239.0.0.1", 5000), reuse_port=hasattr(socket, "SO_REUSEPORT"))'), endpoint);
    const twisted = await fixRoundTrip('from twisted.internet import reactor\nreactor.listenMulticast(5000, P())\n', 'reuse-missing');
    assert.ok(twisted.includes('reactor.listenMulticast(5000, P(), listenMultiple=True)'), twisted);
  });

  it('fixes a hand-written SO_EXCLUSIVEADDRUSE', async () => {
    const fixed = await fixRoundTrip('SO_EXCLUSIVEADDRUSE = 0x0004\n', 'exclusive-wrong-constant');
    assert.equal(fixed, 'SO_EXCLUSIVEADDRUSE = -5\n');
  });

  it('returns null when no safe edit exists', async () => {
    const oneLine = 'import socket\ns = socket.socket(); s.bind(("", 8080)); s.listen()\n';
    const analysis = await analyzer.analyze({ path: 'a.py', text: oneLine });
    const finding = checkFiles([analysis], DEFAULT_CONFIG).find((f) => f.ruleId === 'reuse-missing');
    assert.ok(finding);
    assert.equal(analyzer.fixFor({ path: 'a.py', text: oneLine }, analysis, finding), null);
  });
});

describe('python adapter: robustness', () => {
  it('skips files that cannot hold sockets without parsing them', () => {
    assert.deepEqual(extract('def add(a, b):\n    return a + b\n'), { sockets: [], options: [], binds: [], constants: [] });
  });

  it('never throws on half-typed, binary or huge input', () => {
    const inputs = [
      'import socket\ns = socket.socket(\ns.bind((',
      'import socket\ns.setsockopt(socket.SOL_SOCKET, )\nclass X(socketserver.TCPServer:\n  allow_reuse_address =',
      '\u0000\u0001\u0002 .bind( setsockopt \uFFFD',
      'import socket\n' + 's.bind(("", 1))\n'.repeat(20000),
      'x = (' + '('.repeat(5000) + ')'.repeat(5000) + ')\ns.bind(("", 1))',
      'import socket\n' + 'a = b\nb = a\n' + 's.bind((a, b))\n',
    ];
    for (const text of inputs) assert.doesNotThrow(() => extract(text));
    const half = extract('import socket\ns = socket.socket()\ns.bind(("", 8080))\ns.listen(\n');
    assert.equal(half.binds[0]?.port, 8080);
  });

  it('reads long modules in time linear in their length', () => {
    const module = (n: number, offset: number): string => `import socket\n${Array.from({ length: n }, (_, i) => `s.bind(("127.0.0.1", ${offset + i}))\ns.listen()\n`).join('')}`;
    const time = (text: string): number => {
      const start = process.hrtime.bigint();
      extract(text);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    time(module(200, 1));
    const small = time(module(1000, 1));
    const large = time(module(4000, 1));
    assert.equal(extract(module(4000, 1)).binds.length, 4000);
    // Four times the statements: about four times the work, far from the sixteen of a quadratic walk.
    assert.ok(large < small * 10, `1000 statements: ${small.toFixed(0)} ms, 4000: ${large.toFixed(0)} ms`);
  });
});
