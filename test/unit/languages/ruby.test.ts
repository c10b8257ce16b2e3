// Ruby adapter: facts from the socket library and servers built on it, and fix round trips.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FileFacts } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { rubyAdapter } from '../../../src/languages/ruby/rubyAdapter';

const PATH = 'server.rb';

function extract(text: string, path = PATH): FileFacts {
  return rubyAdapter.extract({ path, text });
}

function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected one item, got ${items.length}`);
  return items[0] as T;
}

function bindOf(facts: FileFacts, index = 0): { socket: FileFacts['sockets'][number]; bind: FileFacts['binds'][number] } {
  const bind = facts.binds[index];
  assert.ok(bind);
  const socket = facts.sockets.find((s) => s.id === bind.socketId);
  assert.ok(socket);
  return { socket, bind };
}

function fixText(text: string, request: (facts: FileFacts) => FixRequest): { fixed: string; request: FixRequest } {
  const facts = extract(text);
  const req = request(facts);
  const fix = rubyAdapter.fix({ path: PATH, text }, facts, req);
  assert.ok(fix, 'expected a fix');
  return { fixed: applyEdits(text, fix.edits), request: req };
}

function noFix(text: string, request: (facts: FileFacts) => FixRequest): void {
  const facts = extract(text);
  assert.equal(rubyAdapter.fix({ path: PATH, text }, facts, request(facts)), null);
}

before(async () => {
  await rubyAdapter.prepare();
});

describe('ruby facts', () => {
  it('reads TCPServer.new as a server bound at creation with SO_REUSEADDR on Unix only', () => {
    const text = "PORT = Integer(ENV.fetch('PORT', 4000))\nserver = TCPServer.new('0.0.0.0', PORT)\nother = TCPServer.open(4001)\n";
    const facts = extract(text);
    assert.deepEqual(facts.sockets.map((s) => [s.variable, s.protocol, s.role, s.api]), [
      ['server', 'tcp', 'server', 'TCPServer.new'],
      ['other', 'tcp', 'server', 'TCPServer.new'],
    ]);
    assert.deepEqual(facts.binds.map((b) => [b.host, b.port, b.hostKind, b.explicitWildcard, b.bindsAtCreation]), [
      ['0.0.0.0', 4000, 'any', true, true],
      [null, 4001, 'any', false, true],
    ]);
    assert.deepEqual(facts.binds[0]?.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
  });

  it('resolves ports from ENV defaults, to_i, constants and ivars; method parameters stay unknown', () => {
    const text = [
      "a = (ENV['PORT'] || 5000).to_i",
      'TCPServer.new(a)',
      "TCPServer.new(ENV.fetch('P') { 5001 })",
      "TCPServer.new('127.0.0.1', '5002'.to_i)",
      'class S',
      '  BASE = 5100',
      '  def initialize; @port = BASE + 3; end',
      '  def run(port = 9); TCPServer.new(@port); TCPServer.new(port); end',
      'end',
    ].join('\n');
    assert.deepEqual(extract(text).binds.map((b) => b.port), [5000, 5001, 5002, 5103, null]);
  });

  it('knows Addrinfo#listen, the tcp/udp_server helpers and WEBrick set SO_REUSEADDR on Windows too', () => {
    const text = [
      "Addrinfo.tcp('127.0.0.1', 6000).listen(5) { |serv| serv.accept }",
      "Socket.tcp_server_loop(6001) { |sock, ai| sock.close }",
      "Socket.udp_server_sockets('127.0.0.1', 6002)",
      'Socket.udp_server_sockets(0)',
      "CONFIG = { Port: 6003, BindAddress: '::' }",
      'WEBrick::HTTPServer.new(CONFIG)',
      'WEBrick::HTTPServer.new(DocumentRoot: ".")',
      'WEBrick::HTTPServer.new(DoNotListen: true)',
    ].join('\n');
    const facts = extract(text);
    const everywhere = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };
    assert.deepEqual(facts.binds.map((b) => [b.port, b.host, b.implicit]), [
      [6000, '127.0.0.1', everywhere],
      [6001, null, everywhere],
      [6002, '127.0.0.1', everywhere],
      [0, null, {}],
      [6003, '::', everywhere],
      [80, null, everywhere],
    ]);
    assert.equal(spanText(text, facts.binds[0]?.span ?? { start: 0, end: 0 }), "Addrinfo.tcp('127.0.0.1', 6000).listen(5)");
    assert.deepEqual(facts.sockets.map((s) => s.protocol), ['tcp', 'tcp', 'udp', 'udp', 'tcp', 'tcp']);
    assert.equal(facts.sockets[0]?.variable, 'serv');
  });

  it('reads keys filled into an options hash before WEBrick gets it (h[:Port] ||= v, h[:Key] = v)', () => {
    const text = [
      'def run(app, **options)',
      '  options[:Port] ||= 8080',
      "  options[:BindAddress] = '127.0.0.1'",
      '  ::WEBrick::HTTPServer.new(options)',
      'end',
      'def literal_wins',
      '  opts = { Port: 6100 }',
      '  opts[:Port] ||= 8080',
      '  WEBrick::HTTPServer.new(opts)',
      'end',
      'def replaced',
      '  opts = { Port: 6100 }',
      '  opts[:Port] = 6101',
      '  WEBrick::HTTPServer.new(opts)',
      '  opts[:Port] = 6102',
      'end',
      'def quiet(options)',
      '  options[:DoNotListen] = true',
      '  WEBrick::HTTPServer.new(options)',
      'end',
      'def other_method(options)',
      '  WEBrick::HTTPServer.new(options)',
      'end',
    ].join('\n');
    assert.deepEqual(extract(text).binds.map((b) => [b.port, b.host]), [
      [8080, '127.0.0.1'],
      [6100, null],
      [6101, null],
      [80, null],
    ]);
  });

  it('reads Socket.new/UDPSocket with setsockopt in its spellings, bind forms and roles', () => {
    const text = [
      'l = Socket.new(:INET, :STREAM)',
      'l.setsockopt(:SOCKET, :REUSEADDR, true)',
      'l.setsockopt(Socket::Option.bool(:INET, :SOCKET, :REUSEPORT, true))',
      "l.bind(Socket.sockaddr_in(7000, 'localhost'))",
      'l.listen(5)',
      'c = Socket.new(Socket::AF_INET, Socket::SOCK_STREAM, 0)',
      "c.setsockopt(Socket::SOL_SOCKET, Socket::SO_REUSEADDR, [0].pack('i'))",
      "c.bind(Addrinfo.tcp('0.0.0.0', 7001))",
      "c.connect(Addrinfo.tcp('example.com', 80))",
      'u = UDPSocket.new',
      "u.setsockopt(Socket::SOL_SOCKET, ~Socket::SO_REUSEADDR, 1)",
      "u.bind('127.0.0.1', 7002)",
      'e = UDPSocket.new',
      "e.bind('127.0.0.1', 0)",
    ].join('\n');
    const facts = extract(text);
    assert.deepEqual(facts.sockets.map((s) => [s.variable, s.protocol, s.role]), [
      ['l', 'tcp', 'server'],
      ['c', 'tcp', 'client'],
      ['u', 'udp', 'server'],
      ['e', 'udp', 'client'],
    ]);
    assert.deepEqual(facts.options.map((o) => [o.option, o.enabled, o.timing, o.unsupportedOn ?? []]), [
      ['reuseaddr', true, 'before', []],
      ['reuseport', true, 'before', ['win32']],
      ['reuseaddr', false, 'before', []],
      ['exclusiveaddruse', true, 'before', []],
    ]);
    assert.deepEqual(facts.binds.map((b) => [b.host, b.port, b.hostKind]), [
      ['localhost', 7000, 'loopback'],
      ['0.0.0.0', 7001, 'any'],
      ['127.0.0.1', 7002, 'loopback'],
      ['127.0.0.1', 0, 'loopback'],
    ]);
  });

  it('marks multicast members by membership option, broadcast, or a group address', () => {
    const text = [
      'a = UDPSocket.new',
      'a.setsockopt(:IP, :ADD_MEMBERSHIP, m)',
      "a.bind('0.0.0.0', 8000)",
      'b = UDPSocket.new',
      'b.setsockopt(:SOCKET, :BROADCAST, true)',
      "b.bind('0.0.0.0', 8001)",
      'c = UDPSocket.new',
      "c.bind('239.2.2.2', 8002)",
      'd = UDPSocket.new',
      "d.bind('0.0.0.0', 8003)",
    ].join('\n');
    assert.deepEqual(extract(text).sockets.map((s) => s.multicast), [true, true, true, false]);
  });

  it('reads guards: unless modifiers, RUBY_PLATFORM =~ / !~, if/else, early returns', () => {
    const text = [
      's = Socket.new(:INET, :STREAM)',
      's.setsockopt(:SOCKET, :REUSEADDR, true) unless Gem.win_platform?',
      'if RUBY_PLATFORM =~ /mswin|mingw/',
      '  s.setsockopt(:SOCKET, ~Socket::SO_REUSEADDR, true)',
      'else',
      '  s.setsockopt(:SOCKET, :REUSEADDR, true)',
      'end',
      "s.setsockopt(:SOCKET, :REUSEPORT, true) if /linux/ =~ RUBY_PLATFORM",
      "s.setsockopt(:SOCKET, :REUSEADDR, false) if RUBY_PLATFORM !~ /mswin|mingw/",
      'def f',
      '  return if Gem.win_platform?',
      '  t = Socket.new(:INET, :STREAM)',
      '  t.setsockopt(:SOCKET, :REUSEADDR, true)',
      'end',
    ].join('\n');
    assert.deepEqual(extract(text).options.map((o) => o.platforms), [
      ['linux', 'darwin'],
      ['win32'],
      ['linux', 'darwin'],
      ['linux'],
      ['linux', 'darwin'],
      ['linux', 'darwin'],
    ]);
  });

  it('keeps locals of different methods apart and ivars shared within a class', () => {
    const text = [
      'class Srv',
      '  def open; @sock = Socket.new(:INET, :STREAM); end',
      '  def tune; @sock.setsockopt(:SOCKET, :REUSEADDR, true); end',
      "  def start; @sock.bind(Addrinfo.tcp('127.0.0.1', 9000)); @sock.listen(1); end",
      'end',
      'def a; s = UDPSocket.new; end',
      "def b(s); s.bind('127.0.0.1', 9001); end",
    ].join('\n');
    const facts = extract(text);
    assert.equal(facts.options[0]?.socketId, facts.binds[0]?.socketId);
    assert.equal(facts.sockets[0]?.role, 'server');
    assert.equal(facts.binds.length, 1);
  });

  it('records hand-written SO_EXCLUSIVEADDRUSE constants', () => {
    const text = 'SO_REUSEADDR = 4\nSO_EXCLUSIVEADDRUSE = 4\nOK_SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR\nHEX_SO_EXCLUSIVEADDRUSE = 0xFFFF_FFFB\n';
    assert.deepEqual(extract(text).constants.map((c) => [c.name, c.value]), [
      ['SO_EXCLUSIVEADDRUSE', 4],
      ['OK_SO_EXCLUSIVEADDRUSE', -5],
      ['HEX_SO_EXCLUSIVEADDRUSE', -5],
    ]);
  });

  it('ignores clients, Puma-style DSL calls and other libraries, and never throws', () => {
    assert.equal(extract("TCPSocket.new('example.com', 80)\nbind 'tcp://0.0.0.0:9292'\nfoo.bind(1, 2)\n").sockets.length, 0);
    assert.deepEqual(extract('puts "hello"'), { sockets: [], options: [], binds: [], constants: [] });
    for (const text of ['TCPServer.new(', "s = Socket.new(:INET, :STREAM\ns.bind(", '\u0000TCPServer\uffff', 'setsockopt('.repeat(3000)]) {
      assert.doesNotThrow(() => extract(text));
    }
  });
});

describe('ruby fixes', () => {
  it('add-option inserts a Unix-only SO_REUSEADDR before a TCP bind, and an unguarded one for multicast', () => {
    const text = "def f\n  s = Socket.new(:INET, :STREAM)\n  s.bind(Addrinfo.tcp('127.0.0.1', 6000))\n  s.listen(5)\nend\n";
    const { fixed, request } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...bindOf(facts) }));
    assert.equal(fixed, "def f\n  s = Socket.new(:INET, :STREAM)\n  s.setsockopt(:SOCKET, :REUSEADDR, true) unless Gem.win_platform?\n  s.bind(Addrinfo.tcp('127.0.0.1', 6000))\n  s.listen(5)\nend\n");
    assert.deepEqual(extract(fixed).options.map((o) => [o.timing, o.platforms]), [['before', ['linux', 'darwin']]]);
    assert.equal(rubyAdapter.fix({ path: PATH, text: fixed }, extract(fixed), request), null);
    const group = "g = UDPSocket.new\r\ng.bind('0.0.0.0', 7000)\r\ng.setsockopt(:IP, :ADD_MEMBERSHIP, m)\r\n";
    const b = fixText(group, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...bindOf(facts) }));
    assert.equal(b.fixed, "g = UDPSocket.new\r\ng.setsockopt(:SOCKET, :REUSEADDR, true)\r\ng.bind('0.0.0.0', 7000)\r\ng.setsockopt(:IP, :ADD_MEMBERSHIP, m)\r\n");
  });

  it('add-option and add-exclusive leave servers that bind inside the library alone', () => {
    const text = "server = TCPServer.new('127.0.0.1', 4000)\nAddrinfo.tcp('127.0.0.1', 4001).listen\n";
    noFix(text, (facts) => ({ kind: 'add-option', option: 'reuseport', ...bindOf(facts) }));
    noFix(text, (facts) => ({ kind: 'add-exclusive', ...bindOf(facts, 1) }));
  });

  it('add-exclusive inserts a Windows-only ~SO_REUSEADDR option that reads back as exclusive', () => {
    const text = "s = Socket.new(:INET, :STREAM)\ns.bind(Addrinfo.tcp('127.0.0.1', 6000))\ns.listen(5)\n";
    const { fixed } = fixText(text, (facts) => ({ kind: 'add-exclusive', ...bindOf(facts) }));
    const option = only(extract(fixed).options);
    assert.deepEqual([option.option, option.platforms, option.timing], ['exclusiveaddruse', ['win32'], 'before']);
  });

  it('move-before-bind moves the line with its modifier; after TCPServer.new it drops the no-op line', () => {
    const text = "s = Socket.new(:INET, :STREAM)\ns.bind(Addrinfo.tcp('127.0.0.1', 6000))\ns.setsockopt(:SOCKET, :REUSEADDR, true) unless Gem.win_platform?\ns.listen(5)\n";
    const move = (facts: FileFacts): FixRequest => ({ kind: 'move-before-bind', option: only(facts.options), ...bindOf(facts) });
    const { fixed } = fixText(text, move);
    assert.equal(fixed, "s = Socket.new(:INET, :STREAM)\ns.setsockopt(:SOCKET, :REUSEADDR, true) unless Gem.win_platform?\ns.bind(Addrinfo.tcp('127.0.0.1', 6000))\ns.listen(5)\n");
    const server = "TCPServer.open(4000) do |srv|\n  srv.setsockopt(Socket::SOL_SOCKET, Socket::SO_REUSEADDR, true)\n  srv.accept\nend\n";
    const b = fixText(server, move);
    assert.equal(b.fixed, 'TCPServer.open(4000) do |srv|\n  srv.accept\nend\n');
    const reusePort = "srv = TCPServer.new(4000)\nsrv.setsockopt(:SOCKET, :REUSEPORT, true)\n";
    noFix(reusePort, move);
  });

  it('guard-not-windows appends unless Gem.win_platform?, or wraps a line that has a modifier', () => {
    const text = "s = Socket.new(:INET, :STREAM)\ns.setsockopt(:SOCKET, :REUSEADDR, 1)\ns.bind(Addrinfo.tcp('127.0.0.1', 6000))\n";
    const guard = (facts: FileFacts): FixRequest => ({ kind: 'guard-not-windows', option: only(facts.options), socket: only(facts.sockets) });
    const { fixed } = fixText(text, guard);
    assert.match(fixed, /s\.setsockopt\(:SOCKET, :REUSEADDR, 1\) unless Gem\.win_platform\?\n/);
    noFix(fixed, guard);
    const modified = "def f\n  s = Socket.new(:INET, :STREAM)\n  s.setsockopt(:SOCKET, :REUSEADDR, 1) if tune\n  s.bind(Addrinfo.tcp('127.0.0.1', 6000))\nend\n";
    const b = fixText(modified, guard);
    assert.match(b.fixed, / {2}unless Gem\.win_platform\?\n {4}s\.setsockopt\(:SOCKET, :REUSEADDR, 1\) if tune\n {2}end\n/);
    assert.deepEqual(extract(b.fixed).options[0]?.platforms, ['linux', 'darwin']);
  });

  it('remove-option deletes the line; fix-exclusive-constant writes -5 once', () => {
    const text = "u = UDPSocket.new\nu.setsockopt(:SOCKET, :REUSEADDR, true)\nu.bind('127.0.0.1', 7001)\n";
    const { fixed } = fixText(text, (facts) => ({ kind: 'remove-option', option: only(facts.options), socket: only(facts.sockets) }));
    assert.equal(fixed, "u = UDPSocket.new\nu.bind('127.0.0.1', 7001)\n");
    const constant = 'module W\n  SO_EXCLUSIVEADDRUSE = 0x0004\nend\n';
    const b = fixText(constant, (facts) => ({ kind: 'fix-exclusive-constant', constant: only(facts.constants) }));
    assert.equal(b.fixed, 'module W\n  SO_EXCLUSIVEADDRUSE = -5\nend\n');
    noFix(b.fixed, () => b.request);
  });
});

