// The generic lexical adapter: tokenizer, facts per language family, conservatism, robustness,
// speed, and fix round trips over the annotated fixtures in test/unit/fixtures/lexical.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer } from '../../../src/analysis/engine';
import type { BindFact, FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { analyzeDocument, commentSyntaxFor, lexicalAdapter, mayHoldSockets } from '../../../src/languages/lexical/lexicalAdapter';
import { syntaxFor } from '../../../src/languages/lexical/syntaxTable';
import { tokenize, Tk } from '../../../src/languages/lexical/tokenizer';
import { TokenView } from '../../../src/languages/lexical/tokenStructure';
import { expectationsIn, findingLine, FIXTURES, runCase } from '../fixtureHarness';

function facts(path: string, text: string): FileFacts {
  return lexicalAdapter.extract({ path, text });
}

function only<T>(items: readonly T[], what: string): T {
  assert.equal(items.length, 1, `expected one ${what}, got ${items.length}`);
  return items[0] as T;
}

function socketNamed(f: FileFacts, variable: string): SocketFact {
  const s = f.sockets.find((x) => x.variable === variable);
  assert.ok(s, `no socket held by ${variable}: ${JSON.stringify(f.sockets)}`);
  return s;
}

function bindOf(f: FileFacts, socket: SocketFact): BindFact {
  return only(f.binds.filter((b) => b.socketId === socket.id), `bind of ${socket.id}`);
}

function optionsOf(f: FileFacts, socket: SocketFact): OptionFact[] {
  return f.options.filter((o) => o.socketId === socket.id);
}

/** Strings the tokenizer keeps and identifiers it sees, to show what comments and strings hide. */
function words(path: string, text: string): { idents: string[]; strings: string[] } {
  const lexed = tokenize(text, syntaxFor(path));
  return {
    idents: lexed.tokens.filter((t) => t.kind === Tk.Ident).map((t) => t.text),
    strings: lexed.tokens.filter((t) => t.kind === Tk.String).map((t) => t.text),
  };
}

describe('lexical: comment syntax table', () => {
  it('answers per extension, with a sane default', () => {
    assert.deepEqual(commentSyntaxFor('src/Main.kt'), { line: '//', block: ['/*', '*/'] });
    assert.deepEqual(commentSyntaxFor('server.pl'), { line: '#' });
    assert.deepEqual(commentSyntaxFor('init.lua'), { line: '--' });
    assert.deepEqual(commentSyntaxFor('main.ml'), { block: ['(*', '*)'] });
    assert.deepEqual(commentSyntaxFor('Main.hs'), { line: '--', block: ['{-', '-}'] });
    assert.deepEqual(commentSyntaxFor('Module1.vb'), { line: "'" });
    assert.deepEqual(commentSyntaxFor('server.erl'), { line: '%' });
    assert.deepEqual(commentSyntaxFor('core.clj'), { line: ';', block: ['#|', '|#'] });
    assert.deepEqual(commentSyntaxFor('C:\\work\\unknown.xyz'), { line: '//', block: ['/*', '*/'] });
  });

  it('claims languages without a tree-sitter adapter only', () => {
    for (const ext of ['.kt', '.scala', '.pl', '.tcl', '.lua', '.swift', '.ex', '.erl', '.hs', '.ml', '.nim', '.zig', '.d', '.dart', '.cr', '.jl', '.r', '.pas', '.f90', '.sh', '.m', '.groovy', '.clj', '.fs', '.vb', '.ps1']) {
      assert.ok(lexicalAdapter.extensions.includes(ext), ext);
    }
    for (const ext of ['.py', '.go', '.rs', '.java', '.js', '.ts', '.c', '.cpp', '.cs', '.rb', '.php']) assert.ok(!lexicalAdapter.extensions.includes(ext), ext);
  });
});

describe('lexical: tokenizer', () => {
  it('skips line and nested block comments per language', () => {
    assert.deepEqual(words('a.lua', 'x --[[ bind(\n listen ]] y --[==[ a ]] b ]==] z -- bind').idents, ['x', 'y', 'z']);
    assert.deepEqual(words('a.ml', 'a (* bind (* nested *) listen *) b').idents, ['a', 'b']);
    assert.deepEqual(words('a.hs', 'a {- bind {- nested -} listen -} b -- bind\nc --> d').idents, ['a', 'b', 'c', 'd']);
    assert.deepEqual(words('a.d', 'a /+ bind /+ x +/ y +/ b /* c */ d').idents, ['a', 'b', 'd']);
    assert.deepEqual(words('a.erl', 'a. % bind(x)\nb').idents, ['a', 'b']);
    assert.deepEqual(words('a.clj', '(a #| bind #| x |# y |# b) ; listen').idents, ['a', 'b']);
    assert.deepEqual(words('a.jl', 'a #= bind #= x =# y =# b # c').idents, ['a', 'b']);
    assert.deepEqual(words('a.nim', 'a #[ bind #[ x ]# y ]# b # c').idents, ['a', 'b']);
    assert.deepEqual(words('a.pas', 'a { bind } b (* c *) d // e').idents, ['a', 'b', 'd']);
    assert.deepEqual(words('a.ps1', 'a <# bind #> b # c').idents, ['a', 'b']);
    assert.deepEqual(words('a.vb', "a ' bind\nREM listen\nb").idents, ['a', 'b']);
  });

  it('reads Perl POD, heredocs, quote-like operators and __END__ as non-code', () => {
    const text = "a;\n=pod\nbind(x)\n=cut\nb <<'EOT';\nlisten(s)\nEOT\nc q{bind} qw(listen x) s/bind/x/g;\n$#arr;\n__END__\nbind(y)";
    const { idents, strings } = words('x.pl', text);
    assert.deepEqual(idents, ['a', 'b', 'c', '$#arr']);
    assert.ok(strings.includes('bind') && strings.includes('listen x'));
  });

  it('keeps string contents readable and ends unterminated strings at the line end', () => {
    const { idents, strings } = words('a.kt', 'bind("0.0.0.0:8080", \'c\')\nval s = "half typed\nlisten(x)');
    assert.deepEqual(strings, ['0.0.0.0:8080', 'c', 'half typed']);
    assert.ok(idents.includes('listen'));
    assert.deepEqual(words('a.hs', "f x' = x' ++ \"bind\"").strings, ['bind']);
    assert.deepEqual(words('a.ml', "let f (x : 'a list) = 'b'").strings, ['b']);
  });

  it('knows where # starts a comment in shell and Tcl', () => {
    assert.deepEqual(words('a.sh', 'echo ${#arr} a#b # bind').idents.filter((w) => w === 'bind'), []);
    assert.ok(words('a.sh', 'echo a#b').idents.includes('b'));
    assert.ok(words('a.tcl', 'puts a#b\n# bind x\nset y 1').idents.includes('b'));
    assert.ok(!words('a.tcl', 'puts a#b\n# bind x\nset y 1').idents.includes('bind'));
  });

  it('records preprocessor and Pascal directives', () => {
    const lexed = tokenize('#ifdef _WIN32 // win\nx\n#endif\n', syntaxFor('a.m'));
    assert.deepEqual(lexed.directives.map((d) => d.text), ['#ifdef _WIN32', '#endif']);
    assert.deepEqual(tokenize('{$IFDEF MSWINDOWS} a {$ENDIF}', syntaxFor('a.pas')).directives.map((d) => d.text), ['#ifdef MSWINDOWS', '#endif']);
  });

  it('matches brackets and survives unmatched ones', () => {
    const text = 'f(a, [b, {c}]) g(h';
    const view = new TokenView(text, tokenize(text, syntaxFor('a.kt')), syntaxFor('a.kt'));
    assert.equal(view.textAt(view.closerOf(1)), ')');
    assert.equal(view.closerOf(view.length - 2), view.length - 1);
  });
});

describe('lexical: facts', () => {
  it('Kotlin: ServerSocket carries the JDK defaults; options set later are late', () => {
    const f = facts('Main.kt', 'val server = ServerSocket(8080)\nserver.reuseAddress = true\nserver.accept()\n');
    const s = socketNamed(f, 'server');
    assert.equal(s.role, 'server');
    assert.equal(s.protocol, 'tcp');
    const b = bindOf(f, s);
    assert.equal(b.port, 8080);
    assert.ok(b.bindsAtCreation);
    assert.deepEqual(b.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] });
    const o = only(optionsOf(f, s), 'option');
    assert.equal(o.timing, 'after');
    assert.deepEqual(o.platforms, ['linux', 'darwin']);
  });

  it('Kotlin: constants, unbound sockets and Ktor trailing lambdas', () => {
    const text = 'const val PORT = 9090\nval ss = ServerSocket()\nss.reuseAddress = true\nss.bind(InetSocketAddress("0.0.0.0", PORT))\nval k = aSocket(sel).tcp().bind("127.0.0.1", 7000) { reuseAddress = true }\n';
    const f = facts('Main.kt', text);
    const ss = bindOf(f, socketNamed(f, 'ss'));
    assert.equal(ss.port, 9090);
    assert.equal(ss.host, '0.0.0.0');
    assert.ok(ss.explicitWildcard);
    assert.equal(only(optionsOf(f, socketNamed(f, 'ss')), 'option').timing, 'before');
    const k = socketNamed(f, 'k');
    assert.equal(k.role, 'server');
    assert.equal(bindOf(f, k).hostKind, 'loopback');
    assert.equal(only(optionsOf(f, k), 'option').timing, 'before');
  });

  it('Perl: IO::Socket::INET hashes, builtins and statement-modifier guards', () => {
    const text = [
      "my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1:8080', Listen => 5, ReuseAddr => 1);",
      "my $udp = IO::Socket::INET->new(LocalPort => 5353, Proto => 'udp', ReusePort => 1);",
      "my $cli = IO::Socket::INET->new(PeerAddr => 'example.com:80');",
      'socket(my $s, PF_INET, SOCK_STREAM, 0);',
      "setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1) unless $^O eq 'MSWin32';",
      'bind($s, sockaddr_in($port, INADDR_ANY));',
      'listen($s, 5);',
      'my $port = 9000;',
    ].join('\n');
    const f = facts('s.pl', text);
    assert.equal(f.sockets.length, 3);
    const srv = socketNamed(f, 'srv');
    assert.equal(srv.role, 'server');
    assert.equal(bindOf(f, srv).port, 8080);
    assert.equal(only(optionsOf(f, srv), 'option').option, 'reuseaddr');
    const udp = socketNamed(f, 'udp');
    assert.equal(udp.protocol, 'udp');
    assert.equal(only(optionsOf(f, udp), 'option').option, 'reuseport');
    const s = socketNamed(f, 's');
    assert.equal(s.role, 'server');
    const b = bindOf(f, s);
    assert.equal(b.port, 9000);
    assert.ok(b.explicitWildcard);
    assert.deepEqual(only(optionsOf(f, s), 'option').platforms, ['linux', 'darwin']);
  });

  it('Tcl: socket -server flags, implicit SO_REUSEADDR on Unix, clients ignored', () => {
    const f = facts('srv.tcl', 'set port 8080\nset s [socket -server acc -myaddr 127.0.0.1 -reuseport 1 $port]\nset c [socket example.com 80]\n');
    const s = only(f.sockets, 'socket');
    assert.equal(s.variable, 's');
    const b = bindOf(f, s);
    assert.equal(b.port, 8080);
    assert.equal(b.host, '127.0.0.1');
    assert.deepEqual(b.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
    const o = only(f.options, 'option');
    assert.equal(o.option, 'reuseport');
    assert.equal(o.timing, 'before');
  });

  it('Erlang and Elixir: option lists, macros, module attributes, multicast', () => {
    const erl = facts('e.erl', '-define(PORT, 5555).\nstart() ->\n  {ok, L} = gen_tcp:listen(?PORT, [binary, {reuseaddr, true}, {ip, {0,0,0,0}}]),\n  {ok, U} = gen_udp:open(5353, [{reuseaddr, true}, {add_membership, {{224,0,0,251}, {0,0,0,0}}}]).\n');
    const l = bindOf(erl, socketNamed(erl, 'L'));
    assert.equal(l.port, 5555);
    assert.equal(l.host, '0.0.0.0');
    assert.ok(l.explicitWildcard);
    assert.equal(optionsOf(erl, socketNamed(erl, 'L'))[0]?.timing, 'before');
    assert.ok(socketNamed(erl, 'U').multicast);
    const ex = facts('e.ex', '@port 4000\n{:ok, socket} = :gen_tcp.listen(@port, [:binary, reuseaddr: true])\n');
    const s = socketNamed(ex, 'socket');
    assert.equal(s.api, ':gen_tcp.listen');
    assert.equal(bindOf(ex, s).port, 4000);
    assert.equal(only(optionsOf(ex, s), 'option').enabled, true);
  });

  it('Lua: luasocket.bind sets SO_REUSEADDR everywhere; methods with ":" reach their socket', () => {
    const f = facts('s.lua', 'local socket = require("socket")\nlocal srv = socket.bind("*", 8080)\nlocal t = socket.tcp()\nt:setoption("reuseaddr", true)\nt:bind("127.0.0.1", 9000)\nt:listen(32)\n');
    const srv = socketNamed(f, 'srv');
    assert.deepEqual(bindOf(f, srv).implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] });
    assert.ok(bindOf(f, srv).explicitWildcard);
    const t = socketNamed(f, 't');
    assert.equal(t.role, 'server');
    assert.equal(bindOf(f, t).port, 9000);
    assert.equal(only(optionsOf(f, t), 'option').timing, 'before');
  });

  it('Swift: C sockets take their port from the sockaddr setup and their guards from #if', () => {
    const text = [
      'let fd = socket(AF_INET, Int32(SOCK_STREAM), 0)',
      'var addr = sockaddr_in()',
      'addr.sin_port = in_port_t(8080).bigEndian',
      'addr.sin_addr.s_addr = INADDR_ANY',
      '#if os(Windows)',
      'setsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, &on, 4)',
      '#else',
      'setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, 4)',
      '#endif',
      '_ = withUnsafePointer(to: &addr) { bind(fd, $0, socklen_t(16)) }',
      'listen(fd, 5)',
    ].join('\n');
    const f = facts('s.swift', text);
    const s = socketNamed(f, 'fd');
    assert.equal(s.role, 'server');
    const b = bindOf(f, s);
    assert.equal(b.port, 8080);
    assert.equal(b.host, 'INADDR_ANY');
    const [ex, ra] = optionsOf(f, s);
    assert.deepEqual(ex?.platforms, ['win32']);
    assert.equal(ex?.option, 'exclusiveaddruse');
    assert.deepEqual(ra?.platforms, ['linux', 'darwin']);
  });

  it('Zig, Dart, PowerShell, Julia, Haskell, OCaml, D, Nim, Crystal: their idioms', () => {
    const zig = facts('z.zig', 'const a = try std.net.Address.parseIp4("127.0.0.1", 8080);\nvar s = try a.listen(.{ .reuse_address = true });\n');
    assert.equal(only(zig.binds, 'bind').port, 8080);
    assert.equal(only(zig.options, 'option').timing, 'before');
    const dart = facts('d.dart', 'final u = await RawDatagramSocket.bind(InternetAddress.loopbackIPv4, 5000, reuseAddress: false);\n');
    assert.deepEqual(only(dart.binds, 'bind').implicit.win32, ['reuseaddr']);
    assert.equal(only(dart.options, 'option').enabled, false);
    const ps = facts('l.ps1', '$l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 8080)\n$l.ExclusiveAddressUse = $true\n$l.Start()\n');
    const psBind = only(ps.binds, 'bind');
    assert.equal(psBind.port, 8080);
    assert.ok(psBind.explicitWildcard);
    assert.equal(only(ps.options, 'option').option, 'exclusiveaddruse');
    const jl = facts('s.jl', 'server = listen(IPv4(0), 8080)\n');
    assert.deepEqual(only(jl.binds, 'bind').implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
    const hs = facts('s.hs', 'main = do\n  sock <- socket AF_INET Stream 0\n  setSocketOption sock ReuseAddr 1\n  bind sock (SockAddrInet 3000 0)\n  listen sock 5\n');
    assert.equal(only(hs.binds, 'bind').port, 3000);
    assert.equal(only(hs.options, 'option').timing, 'before');
    const ml = facts('s.ml', 'let s = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in\nUnix.bind s (Unix.ADDR_INET (Unix.inet_addr_any, 80));\nUnix.setsockopt s Unix.SO_REUSEADDR true\n');
    assert.equal(only(ml.options, 'option').timing, 'after');
    assert.equal(only(ml.binds, 'bind').port, 80);
    const d = facts('s.d', 'auto l = new TcpSocket();\nversion (Posix) l.setOption(SocketOptionLevel.SOCKET, SocketOption.REUSEADDR, true);\nl.bind(new InternetAddress(8080));\n');
    assert.deepEqual(only(d.options, 'option').platforms, ['linux', 'darwin']);
    const nim = facts('s.nim', 'let s = newSocket()\nwhen defined(windows):\n  s.setSockOpt(OptReuseAddr, false)\ns.bindAddr(Port(8080))\n');
    assert.deepEqual(only(nim.options, 'option').platforms, ['win32']);
    assert.equal(only(nim.binds, 'bind').port, 8080);
    const cr = facts('s.cr', 'server = TCPServer.new("127.0.0.1", 8080, reuse_port: true)\n');
    assert.equal(only(cr.options, 'option').option, 'reuseport');
  });

  it('reads hand-written SO_EXCLUSIVEADDRUSE values', () => {
    const values = (path: string, text: string) => facts(path, `${text}\nbind`).constants.map((c) => c.value);
    assert.deepEqual(values('a.m', '#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR))'), [-5]);
    assert.deepEqual(values('a.swift', 'let SO_EXCLUSIVEADDRUSE: Int32 = Int32(bitPattern: 0xFFFFFFFB)'), [-5]);
    assert.deepEqual(values('a.kt', 'const val SO_EXCLUSIVEADDRUSE = 4'), [4]);
    assert.deepEqual(values('a.lua', 'local SO_EXCLUSIVEADDRUSE = 0x0004'), [4]);
    assert.deepEqual(values('a.pl', 'use constant SO_EXCLUSIVEADDRUSE => -5;'), [-5]);
    assert.deepEqual(values('a.erl', '-define(SO_EXCLUSIVEADDRUSE, bnot 4).'), [-5]);
  });

  it('makes no facts from bind-like words outside socket code', () => {
    const cases: Array<[string, string]> = [
      ['a.kt', 'val f = handler.bind(this)\nbinding.bind(view)\nkeymap.bind("ctrl+s") { save() }\nbutton.listen { e -> println(e) }\n'],
      ['a.scala', 'def bind[A](fa: Option[A]) = fa\nstmt.bind(1, "x")\nval r = bind(Some(1))\n'],
      ['a.hs', 'f = m >>= bind\ng = bind parser next\n'],
      ['a.tcl', 'bind . <Control-q> {exit}\nbind $w <Key> {puts %K}\n'],
      ['a.sh', 'socat TCP-LISTEN:8080,reuseaddr,fork TCP:localhost:9000\necho "bind listen"\n'],
      ['a.lua', 'local ok = ui.bind("click", handler)\n-- socket.bind("*", 80)\n'],
      ['notes.md', '```kotlin\nval s = ServerSocket(8080)\n```\n'],
    ];
    for (const [path, text] of cases) assert.deepEqual(facts(path, text), { sockets: [], options: [], binds: [], constants: [] }, path);
  });

  it('keeps roles conservative', () => {
    const f = facts('c.swift', 'let fd = socket(AF_INET, Int32(SOCK_STREAM), 0)\nbind(fd, &sa, len)\nconnect(fd, &peer, len)\n');
    assert.equal(socketNamed(f, 'fd').role, 'client');
    const g = facts('c.swift', 'let fd = socket(AF_INET, Int32(SOCK_STREAM), 0)\nbind(fd, &sa, len)\n');
    assert.equal(socketNamed(g, 'fd').role, 'unknown');
  });
});

describe('lexical: robustness and speed', () => {
  it('never throws on half-typed, binary-looking or hostile text', () => {
    const inputs = [
      'val s = ServerSocket(', 'bind(', '"""bind', "'", '((((', ')))) bind', 'socket -server', '--[[ bind', '=pod\nbind',
      `${String.fromCharCode(0xfffd)}\u0001\u0002bind${'\uD800'}listen`, 'x.listen(.{ .reuse_address = ', '{reuseaddr, ', 'ReuseAddr =>',
    ];
    for (const text of inputs) {
      for (const ext of ['kt', 'pl', 'lua', 'tcl', 'hs', 'ml', 'erl', 'ex', 'swift', 'zig', 'sh', 'ps1', 'pas', 'xyz']) {
        assert.doesNotThrow(() => facts(`a.${ext}`, text));
        assert.doesNotThrow(() => lexicalAdapter.fix({ path: `a.${ext}`, text }, facts(`a.${ext}`, text), { kind: 'fix-exclusive-constant', constant: { name: 'SO_EXCLUSIVEADDRUSE', value: 4, span: { start: 0, end: 1 }, valueSpan: { start: 0, end: 1 } } }));
      }
    }
  });

  it('skips 10 MB without socket words fast, and stays linear on socket-heavy text', () => {
    const chunk = 'fun compute(x: Int): Int {\n    val y = x * 2 // nothing here\n    return y + "some text".length\n}\n';
    const plain = chunk.repeat(Math.ceil(10_000_000 / chunk.length));
    let started = process.hrtime.bigint();
    assert.equal(mayHoldSockets(plain), false);
    assert.deepEqual(facts('big.kt', plain).sockets, []);
    const plainMs = Number(process.hrtime.bigint() - started) / 1e6;
    // > 50 MB/s with a wide margin for slow CI machines (measured ~500 MB/s).
    assert.ok(plainMs < 200, `10 MB without socket words took ${plainMs} ms`);
    const heavy = (chunk + 'val ss = ServerSocket()\nss.reuseAddress = true\nss.bind(InetSocketAddress("127.0.0.1", 8080))\n').repeat(4000);
    started = process.hrtime.bigint();
    const f = facts('heavy.kt', heavy);
    const heavyMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(f.binds.length, 4000);
    assert.ok(heavyMs < 4000, `${heavy.length} bytes of socket code took ${heavyMs} ms`);
    const unmatched = 'bind(x, "abc\n'.repeat(50_000);
    started = process.hrtime.bigint();
    facts('half.d', unmatched);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 4000, 'unmatched brackets stay linear');
  });
});

/** Brackets left open or closed without partner: a fix must not add any. */
function unbalanced(path: string, text: string): number {
  const syntax = syntaxFor(path);
  const view = new TokenView(text, tokenize(text, syntax), syntax);
  let n = 0;
  for (let i = 0; i < view.length; i++) if (/^[()[\]{}]$/.test(view.textAt(i)) && view.at(i)?.kind === Tk.Punct && (view.match[i] ?? -1) < 0) n++;
  return n;
}

async function fixFor(path: string, text: string, kind: FixRequest['kind']): Promise<string | null> {
  const analyzer = new Analyzer([], lexicalAdapter);
  const result = await runCase(analyzer, [path], new Map([[path, text]]));
  const finding = result.findings.find((f) => f.fix?.kind === kind);
  assert.ok(finding, `no ${kind} finding in:\n${text}\n${result.findings.map((f) => f.ruleId).join(', ')}`);
  const analysis = result.analyses[0];
  assert.ok(analysis);
  const fix = analyzer.fixFor({ path, text }, analysis, finding);
  return fix ? applyEdits(text, fix.edits) : null;
}

describe('lexical: fixes', () => {
  it('adds ReuseAddr => 1 to a multi-line IO::Socket::INET constructor', async () => {
    const text = "# bindwatch-test-platforms: linux,darwin\nmy $s = IO::Socket::INET->new(\n    LocalAddr => '127.0.0.1:80',\n    Listen    => 5,\n);\n";
    assert.equal(await fixFor('/virtual/a.pl', text, 'add-option'), "# bindwatch-test-platforms: linux,darwin\nmy $s = IO::Socket::INET->new(\n    LocalAddr => '127.0.0.1:80',\n    Listen    => 5,\n    ReuseAddr => 1,\n);\n");
  });

  it('adds {reuseaddr, true} / reuseaddr: true to Erlang and Elixir option lists', async () => {
    assert.equal(await fixFor('/virtual/a.erl', '%% bindwatch-test-platforms: linux\nf() -> gen_tcp:listen(80, [binary]).\n', 'add-option'), '%% bindwatch-test-platforms: linux\nf() -> gen_tcp:listen(80, [binary, {reuseaddr, true}]).\n');
    assert.equal(await fixFor('/virtual/a.ex', '# bindwatch-test-platforms: linux\n:gen_tcp.listen(80, [])\n', 'add-option'), '# bindwatch-test-platforms: linux\n:gen_tcp.listen(80, [reuseaddr: true])\n');
  });

  it('writes a guarded setsockopt before a C-style bind, with CRLF and the file indentation', async () => {
    const text = 'func f() {\r\n\tlet fd = socket(AF_INET, Int32(SOCK_STREAM), 0)\r\n\tbind(fd, &sa, len)\r\n\tlisten(fd, 5)\r\n}\r\n';
    const fixed = await fixFor('/virtual/a.swift', text, 'add-option');
    assert.equal(fixed, 'func f() {\r\n\tlet fd = socket(AF_INET, Int32(SOCK_STREAM), 0)\r\n\t#if !os(Windows)\r\n\tvar reuseAddrOn: Int32 = 1\r\n\tsetsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuseAddrOn, socklen_t(MemoryLayout<Int32>.size))\r\n\t#endif\r\n\tbind(fd, &sa, len)\r\n\tlisten(fd, 5)\r\n}\r\n');
  });

  it('guards Windows in the language: Kotlin if, Tcl expr, Lua package.config', async () => {
    const kt = await fixFor('/virtual/a.kt', 'val u = DatagramSocket(null)\nu.reuseAddress = true\nu.bind(InetSocketAddress(5000))\nu.receive(p)\n', 'remove-option');
    assert.equal(kt, 'val u = DatagramSocket(null)\nu.bind(InetSocketAddress(5000))\nu.receive(p)\n');
    const lua = await fixFor('/virtual/a.lua', 'local t = socket.tcp()\nt:setoption("reuseaddr", true)\nt:bind("127.0.0.1", 80)\nt:listen(5)\n', 'guard-not-windows');
    assert.equal(lua, 'local t = socket.tcp()\nif package.config:sub(1, 1) ~= "\\\\" then t:setoption("reuseaddr", true) end\nt:bind("127.0.0.1", 80)\nt:listen(5)\n');
  });

  it('moves a late option before the bind', async () => {
    const text = '(* bindwatch-test-platforms: linux *)\nlet s = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in\nUnix.bind s addr;\nUnix.setsockopt s Unix.SO_REUSEADDR true;\nUnix.listen s 5\n';
    assert.equal(await fixFor('/virtual/a.ml', text, 'move-before-bind'), '(* bindwatch-test-platforms: linux *)\nlet s = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0 in\nUnix.setsockopt s Unix.SO_REUSEADDR true;\nUnix.bind s addr;\nUnix.listen s 5\n');
  });

  it('every fixture fix removes its finding, keeps brackets balanced, and is idempotent', async () => {
    const analyzer = new Analyzer([], lexicalAdapter);
    const dir = join(FIXTURES, 'lexical');
    let fixes = 0;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      const result = await runCase(analyzer, [path]);
      const expected = expectationsIn(path, text).map((e) => `${e.line} ${e.ruleId}`).sort();
      const actual = result.findings.map((f) => `${findingLine(result, f)} ${f.ruleId}`).sort();
      assert.deepEqual(actual, expected, `${name}: ${result.findings.map((f) => `${findingLine(result, f)} ${f.message}`).join('\n')}`);
      for (const finding of result.findings) {
        const analysis = result.analyses[0];
        assert.ok(analysis);
        const fix = analyzer.fixFor({ path, text }, analysis, finding);
        if (!fix) continue;
        fixes++;
        const fixed = applyEdits(text, fix.edits);
        const label = `${basename(path)}:${findingLine(result, finding)} ${finding.ruleId}`;
        assert.notEqual(fixed, text, label);
        assert.ok(unbalanced(path, fixed) <= unbalanced(path, text), `${label} unbalanced:\n${fixed}`);
        const after = await runCase(analyzer, [path], new Map([[path, fixed]]));
        const count = (r: typeof result) => r.findings.filter((f) => f.ruleId === finding.ruleId).length;
        assert.ok(count(after) < count(result), `${label} did not remove the finding:\n${fixed}`);
        const again = analyzer.fixFor({ path, text: fixed }, after.analyses[0] ?? analysis, { ...finding, span: finding.span });
        if (again) assert.equal(applyEdits(fixed, again.edits) === fixed || !again.edits.some((e) => e.newText === '' && e.start <= finding.span.start && finding.span.start < e.end), true, label);
      }
    }
    assert.ok(fixes >= 15, `only ${fixes} fixes offered`);
  });

  it('gives no edit where no idiom is safe', () => {
    const analysis = analyzeDocument({ path: 'a.lua', text: 'local s = socket.bind("*", 80)\n' });
    assert.ok(analysis);
    const socket = analysis.facts.sockets[0];
    const bind = analysis.facts.binds[0];
    assert.ok(socket && bind);
    assert.equal(lexicalAdapter.fix({ path: 'a.lua', text: 'local s = socket.bind("*", 80)\n' }, analysis.facts, { kind: 'add-exclusive', socket, bind }), null);
  });
});
