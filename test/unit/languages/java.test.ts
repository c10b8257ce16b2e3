// Java adapter: facts from JDK socket code (defaults, ports, guards, timing) and fix round trips.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FileFacts, OptionFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { javaAdapter } from '../../../src/languages/java/javaAdapter';
import { syntaxErrorCount } from '../syntaxCheck';

const PATH = 'Server.java';

function extract(text: string, path = PATH): FileFacts {
  return javaAdapter.extract({ path, text });
}

function wrap(body: string, imports = 'import java.net.*;\nimport java.nio.channels.*;\n'): string {
  return `${imports}\nclass Server {\n    void run(int given) throws Exception {\n${body
    .split('\n')
    .map((l) => (l ? `        ${l}` : l))
    .join('\n')}\n    }\n}\n`;
}

function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}`);
  return items[0] as T;
}

function fixText(text: string, request: (facts: FileFacts) => FixRequest): { fixed: string; request: FixRequest } {
  const facts = extract(text);
  const req = request(facts);
  const fix = javaAdapter.fix({ path: PATH, text }, facts, req);
  assert.ok(fix, 'expected a fix');
  return { fixed: applyEdits(text, fix.edits), request: req };
}

function socketAndBind(facts: FileFacts, index = 0): { socket: FileFacts['sockets'][number]; bind: FileFacts['binds'][number] } {
  const bind = facts.binds[index];
  assert.ok(bind);
  const socket = facts.sockets.find((s) => s.id === bind.socketId);
  assert.ok(socket);
  return { socket, bind };
}

before(async () => {
  await javaAdapter.prepare();
});

describe('java facts', () => {
  it('reads new ServerSocket(port) as a server bound at creation with the JDK defaults', () => {
    const text = wrap('ServerSocket server = new ServerSocket(PORT);\nserver.accept();').replace('class Server {', 'class Server {\n    static final int PORT = 8080;');
    const facts = extract(text);
    const socket = only(facts.sockets);
    assert.equal(socket.protocol, 'tcp');
    assert.equal(socket.role, 'server');
    assert.equal(socket.variable, 'server');
    const bind = only(facts.binds);
    assert.equal(bind.port, 8080);
    assert.equal(bind.bindsAtCreation, true);
    assert.equal(bind.hostKind, 'any');
    assert.equal(bind.explicitWildcard, false);
    assert.deepEqual(bind.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] });
    assert.equal(spanText(text, bind.span), 'new ServerSocket(PORT)');
  });

  it('resolves ports from env defaults, properties and Integer.getInteger; parameters stay unknown', () => {
    const text = wrap([
      'int a = Integer.parseInt(System.getenv().getOrDefault("PORT", "7100"));',
      'new ServerSocket(a);',
      'new ServerSocket(Integer.getInteger("admin.port", 7101));',
      'new ServerSocket(Integer.parseInt(System.getProperty("x", "7102")));',
      'new ServerSocket(given);',
      'new ServerSocket(7000 + 3);',
    ].join('\n'));
    assert.deepEqual(extract(text).binds.map((b) => b.port), [7100, 7101, 7102, null, 7003]);
  });

  it('reads hosts: getByName, loopback, explicit wildcard, byte arrays', () => {
    const text = wrap([
      'new ServerSocket(1, 50, InetAddress.getByName("0.0.0.0"));',
      'new ServerSocket(2, 50, InetAddress.getLoopbackAddress());',
      'ServerSocket s = new ServerSocket();',
      's.bind(new InetSocketAddress("::", 3));',
      'ServerSocket t = new ServerSocket();',
      't.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 4));',
      'ServerSocket u = new ServerSocket();',
      'u.bind(null);',
    ].join('\n'));
    const binds = extract(text).binds;
    assert.deepEqual(binds.map((b) => [b.host, b.hostKind, b.explicitWildcard, b.port]), [
      ['0.0.0.0', 'any', true, 1],
      ['127.0.0.1', 'loopback', false, 2],
      ['::', 'any', true, 3],
      ['10.0.0.1', 'specific', false, 4],
      [null, 'any', false, 0],
    ]);
  });

  it('follows channel chains: the option is before the bind and the bind span is the bind call', () => {
    const text = wrap('ServerSocketChannel ch = ServerSocketChannel.open().setOption(StandardSocketOptions.SO_REUSEPORT, true).bind(new InetSocketAddress(9000));');
    const facts = extract(text);
    const socket = only(facts.sockets);
    assert.equal(socket.variable, 'ch');
    const option = only(facts.options);
    assert.equal(option.option, 'reuseport');
    assert.equal(option.timing, 'before');
    assert.deepEqual(option.unsupportedOn, ['win32']);
    assert.equal(spanText(text, only(facts.binds).span), 'bind(new InetSocketAddress(9000))');
  });

  it('marks options after a binding constructor or an explicit bind as after', () => {
    const text = wrap([
      'ServerSocket a = new ServerSocket(9001);',
      'a.setReuseAddress(true);',
      'ServerSocket b = new ServerSocket();',
      'b.setReuseAddress(true);',
      'b.bind(new InetSocketAddress(9002));',
      'b.setReuseAddress(false);',
    ].join('\n'));
    assert.deepEqual(extract(text).options.map((o) => [o.timing, o.enabled]), [['after', true], ['before', true], ['after', false]]);
  });

  it('does not order an option and a bind that sit in different methods, but a binding constructor always comes first', () => {
    const text = `import java.net.*;
class Wrapper {
    private final Socket delegate;
    private ServerSocket server;
    public void bind(SocketAddress a) throws Exception { delegate.bind(a); }
    public void setReuseAddress(boolean on) throws Exception { delegate.setReuseAddress(on); }
    void tune() throws Exception { server.setReuseAddress(true); }
    void start() throws Exception { server = new ServerSocket(7300); }
}
`;
    const facts = extract(text);
    assert.deepEqual(facts.options.map((o) => [o.socketId === facts.binds.find((b) => b.port === 7300)?.socketId, o.timing]), [[false, 'before'], [true, 'after']]);
  });

  it('knows the JDK ignores setReuseAddress on Windows server sockets but not on datagram sockets', () => {
    const text = wrap([
      'ServerSocket a = new ServerSocket();',
      'a.setReuseAddress(true);',
      'a.bind(new InetSocketAddress(1000));',
      'DatagramSocket d = new DatagramSocket(null);',
      'd.setReuseAddress(true);',
      'd.bind(new InetSocketAddress(1001));',
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.options.map((o) => o.platforms), [['linux', 'darwin'], ['linux', 'darwin', 'win32']]);
    // SO_REUSEADDR set before bind reaches Winsock, so the exclusive bind cannot apply.
    assert.deepEqual(facts.binds[1]?.implicit, { win32: [] });
  });

  it('tells UDP receivers, senders and multicast members apart', () => {
    const text = wrap([
      'DatagramSocket receiver = new DatagramSocket(5300);',
      'DatagramSocket sender = new DatagramSocket();',
      'MulticastSocket group = new MulticastSocket(5400);',
      'group.joinGroup(new InetSocketAddress("239.1.1.1", 5400), null);',
      'DatagramChannel dc = DatagramChannel.open();',
      'dc.bind(new InetSocketAddress(5500));',
      'dc.join(InetAddress.getByName("239.1.1.2"), NetworkInterface.getByIndex(1));',
      'DatagramSocket quiet = new DatagramSocket(null);',
      'quiet.bind(new InetSocketAddress("239.1.1.3", 5600));',
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.sockets.map((s) => [s.variable, s.protocol, s.role, s.multicast]), [
      ['receiver', 'udp', 'server', false],
      ['sender', 'udp', 'client', false],
      ['group', 'udp', 'server', true],
      ['dc', 'udp', 'server', true],
      ['quiet', 'udp', 'server', true],
    ]);
    assert.deepEqual(facts.binds[2]?.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] });
  });

  it('leaves other libraries\' Socket classes alone (ZeroMQ, Netty bootstraps)', () => {
    const text = `import org.zeromq.ZMQ;
import org.zeromq.ZMQ.Socket;
class Z {
    void f(ZMQ.Context context, io.netty.bootstrap.ServerBootstrap b) {
        Socket rep = context.socket(ZMQ.REP);
        rep.bind("tcp://*:5555");
        ZMQ.Socket pub = context.socket(ZMQ.PUB);
        pub.bind("tcp://*:5556");
        b.option(ChannelOption.SO_REUSEADDR, true).bind(8080);
        Socket other = new Socket();
        other.bind("tcp://*:5557");
    }
}
`;
    assert.deepEqual(extract(text), { sockets: [], options: [], binds: [], constants: [] });
  });

  it('ignores clients and unrelated join/bind calls', () => {
    const text = wrap([
      'Socket c = new Socket("example.com", 80);',
      'Thread t = new Thread(() -> {});',
      't.join();',
      'binder.bind(new InetSocketAddress(80));',
      'SocketChannel sc = SocketChannel.open(new InetSocketAddress("example.com", 80));',
    ].join('\n'));
    const facts = extract(text);
    assert.equal(facts.sockets.length, 0);
    assert.equal(facts.binds.length, 0);
  });

  it('reads platform guards: negated constants, os.name tests, early returns, linux-only blocks', () => {
    const text = `import java.net.*;
import java.nio.channels.*;
class G {
    private static final boolean IS_WINDOWS = System.getProperty("os.name").toLowerCase().contains("win");
    void a() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        if (!IS_WINDOWS) ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        } else {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        }
        ch.bind(new InetSocketAddress(4000));
    }
    void b() throws Exception {
        if (isWindows()) {
            return;
        }
        DatagramSocket d = new DatagramSocket(null);
        d.setReuseAddress(true);
        d.bind(new InetSocketAddress(4001));
    }
}
`;
    const platforms = extract(text).options.map((o: OptionFact) => o.platforms);
    assert.deepEqual(platforms, [['linux', 'darwin'], ['linux'], ['darwin', 'win32'], ['linux', 'darwin']]);
  });

  it('records hand-written SO_EXCLUSIVEADDRUSE constants with 32-bit Java values', () => {
    const text = 'interface W {\n    int SO_EXCLUSIVEADDRUSE = 4;\n}\nclass X {\n    static final int SO_EXCLUSIVEADDRUSE = ~4;\n    static final int B_SO_EXCLUSIVEADDRUSE = 0xFFFFFFFB;\n}\n';
    assert.deepEqual(extract(text).constants.map((c) => [c.name, c.value, spanText(text, c.valueSpan)]), [
      ['SO_EXCLUSIVEADDRUSE', 4, '4'],
      ['SO_EXCLUSIVEADDRUSE', -5, '~4'],
      ['B_SO_EXCLUSIVEADDRUSE', -5, '0xFFFFFFFB'],
    ]);
  });

  it('skips text without socket code, and never throws on broken or odd input', () => {
    assert.deepEqual(extract('class A { int x = 1; }'), { sockets: [], options: [], binds: [], constants: [] });
    for (const text of ['class A { void f() { new ServerSocket(', 'ServerSocket s = new ServerSocket(8080', '\u0000\u0001ServerSocket\uffff', 'ServerSocket'.repeat(5000)]) {
      assert.doesNotThrow(() => extract(text));
    }
    const half = extract('class A { void f() throws Exception { ServerSocket s = new ServerSocket(8080); s.setReuse');
    assert.equal(half.binds[0]?.port, 8080);
  });
});

describe('java fixes', () => {
  it('add-option rewrites new ServerSocket(port) into create, option, bind and adds the import', () => {
    const text = 'import java.net.ServerSocket;\n\nclass A {\n    void f() throws Exception {\n        ServerSocket ss = new ServerSocket(9000, 100);\n        ss.accept();\n    }\n}\n';
    const { fixed, request } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }));
    assert.equal(fixed, 'import java.net.ServerSocket;\nimport java.net.InetSocketAddress;\n\nclass A {\n    void f() throws Exception {\n        ServerSocket ss = new ServerSocket();\n        ss.setReuseAddress(true);\n        ss.bind(new InetSocketAddress(9000), 100);\n        ss.accept();\n    }\n}\n');
    const facts = extract(fixed);
    assert.equal(facts.binds[0]?.bindsAtCreation, false);
    assert.equal(facts.binds[0]?.port, 9000);
    assert.deepEqual(facts.options.map((o) => [o.option, o.timing]), [['reuseaddr', 'before']]);
    assert.equal(javaAdapter.fix({ path: PATH, text: fixed }, facts, request), null);
  });

  it('add-option keeps CRLF line endings and tab indentation, and handles try-with-resources', () => {
    const text = 'import java.net.*;\r\nclass A {\r\n\tvoid f() throws Exception {\r\n\t\ttry (ServerSocket ss = new ServerSocket(9000)) {\r\n\t\t\tss.accept();\r\n\t\t}\r\n\t}\r\n}\r\n';
    const { fixed } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseport', ...socketAndBind(facts) }));
    assert.equal(fixed, 'import java.net.*;\r\nclass A {\r\n\tvoid f() throws Exception {\r\n\t\ttry (ServerSocket ss = new ServerSocket()) {\r\n\t\t\tss.setOption(StandardSocketOptions.SO_REUSEPORT, true);\r\n\t\t\tss.bind(new InetSocketAddress(9000));\r\n\t\t\tss.accept();\r\n\t\t}\r\n\t}\r\n}\r\n');
  });

  it('add-option rewrites a binding DatagramSocket of a multicast receiver', async () => {
    const text = wrap('DatagramSocket ds = new DatagramSocket(5400, InetAddress.getByName("0.0.0.0"));\nds.joinGroup(new InetSocketAddress("239.1.1.1", 5400), null);');
    const { fixed } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }));
    assert.match(fixed, /DatagramSocket ds = new DatagramSocket\(\(java\.net\.SocketAddress\) null\);\n {8}ds\.setReuseAddress\(true\);\n {8}ds\.bind\(new InetSocketAddress\(InetAddress\.getByName\("0\.0\.0\.0"\), 5400\)\);/);
    assert.equal(await syntaxErrorCount(PATH, fixed), 0);
    const facts = extract(fixed);
    assert.deepEqual([facts.binds[0]?.port, facts.binds[0]?.host, facts.options[0]?.timing, facts.sockets[0]?.multicast], [5400, '0.0.0.0', 'before', true]);
  });

  it('add-option inserts before an explicit bind, with setOption for channels and inside chains', () => {
    const plain = wrap('DatagramSocket d = new DatagramSocket(null);\nd.bind(new InetSocketAddress(5000));\nd.joinGroup(new InetSocketAddress("239.0.0.1", 5000), null);');
    const a = fixText(plain, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }));
    assert.match(a.fixed, / {8}d\.setReuseAddress\(true\);\n {8}d\.bind\(/);
    const channel = wrap('ServerSocketChannel ch = ServerSocketChannel.open();\nch.bind(new InetSocketAddress(5001));');
    const b = fixText(channel, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }));
    assert.match(b.fixed, /ch\.setOption\(StandardSocketOptions\.SO_REUSEADDR, true\);\n {8}ch\.bind/);
    const chain = wrap('var ch = DatagramChannel.open().bind(new InetSocketAddress(5002));');
    const c = fixText(chain, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }));
    assert.match(c.fixed, /DatagramChannel\.open\(\)\.setOption\(StandardSocketOptions\.SO_REUSEADDR, true\)\.bind\(/);
    assert.equal(extract(c.fixed).options[0]?.timing, 'before');
  });

  it('move-before-bind moves the statement (with its guard) and rewrites binding constructors', () => {
    const explicit = wrap('DatagramSocket d = new DatagramSocket(null);\nd.bind(new InetSocketAddress(5003));\nif (!IS_WINDOWS)\n    d.setReuseAddress(true);\nd.receive(null);');
    const move = (text: string) => fixText(text, (facts) => {
      const option = only(facts.options);
      const { socket, bind } = socketAndBind(facts);
      return { kind: 'move-before-bind', option, socket, bind };
    });
    const a = move(explicit);
    assert.match(a.fixed, /if \(!IS_WINDOWS\)\n {12}d\.setReuseAddress\(true\);\n {8}d\.bind\(new InetSocketAddress\(5003\)\);\n {8}d\.receive/);
    assert.deepEqual(extract(a.fixed).options.map((o) => [o.timing, o.platforms]), [['before', ['linux', 'darwin']]]);
    const ctor = wrap('ServerSocket s = new ServerSocket(5004);\ns.setReuseAddress(true);\ns.accept();');
    const b = move(ctor);
    assert.match(b.fixed, /ServerSocket s = new ServerSocket\(\);\n {8}s\.setReuseAddress\(true\);\n {8}s\.bind\(new InetSocketAddress\(5004\)\);\n {8}s\.accept\(\);/);
    assert.equal(extract(b.fixed).options[0]?.timing, 'before');
    assert.equal(javaAdapter.fix({ path: PATH, text: b.fixed }, extract(b.fixed), b.request), null);
  });

  it('guard-not-windows wraps the option in an os.name test that the adapter reads back', () => {
    const text = wrap('DatagramSocket d = new DatagramSocket(null);\nd.setReuseAddress(true);\nd.bind(new InetSocketAddress(5005));');
    const { fixed, request } = fixText(text, (facts) => ({ kind: 'guard-not-windows', option: only(facts.options), socket: only(facts.sockets) }));
    assert.match(fixed, /if \(!System\.getProperty\("os\.name"\)\.toLowerCase\(\)\.startsWith\("windows"\)\) \{\n {12}d\.setReuseAddress\(true\);\n {8}\}/);
    assert.deepEqual(extract(fixed).options[0]?.platforms, ['linux', 'darwin']);
    const again = extract(fixed);
    assert.equal(javaAdapter.fix({ path: PATH, text: fixed }, again, { ...request, option: only(again.options) } as FixRequest), null);
  });

  it('remove-option deletes the statement, or the link of a chain', () => {
    const text = wrap('DatagramSocket d = new DatagramSocket(null);\nd.setReuseAddress(true);\nd.bind(new InetSocketAddress(5006));');
    const a = fixText(text, (facts) => ({ kind: 'remove-option', option: only(facts.options), socket: only(facts.sockets) }));
    assert.equal(a.fixed, text.replace('        d.setReuseAddress(true);\n', ''));
    const chain = wrap('var ch = DatagramChannel.open().setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(5007));');
    const b = fixText(chain, (facts) => ({ kind: 'remove-option', option: only(facts.options), socket: only(facts.sockets) }));
    assert.match(b.fixed, /var ch = DatagramChannel\.open\(\)\.bind\(new InetSocketAddress\(5007\)\);/);
    assert.equal(extract(b.fixed).options.length, 0);
  });

  it('fix-exclusive-constant writes -5 once', () => {
    const text = 'interface W {\n    int SO_EXCLUSIVEADDRUSE = 0x4;\n}\n';
    const { fixed, request } = fixText(text, (facts) => ({ kind: 'fix-exclusive-constant', constant: only(facts.constants) }));
    assert.equal(fixed, 'interface W {\n    int SO_EXCLUSIVEADDRUSE = -5;\n}\n');
    assert.equal(javaAdapter.fix({ path: PATH, text: fixed }, extract(fixed), request), null);
  });

  it('returns null where no safe edit exists', () => {
    const field = 'import java.net.*;\nclass A {\n    private final ServerSocket ss = new ServerSocket(9100);\n}\n';
    const facts = extract(field);
    assert.equal(javaAdapter.fix({ path: PATH, text: field }, facts, { kind: 'add-option', option: 'reuseaddr', ...socketAndBind(facts) }), null);
    assert.equal(javaAdapter.fix({ path: PATH, text: field }, facts, { kind: 'add-exclusive', ...socketAndBind(facts) }), null);
  });
});

