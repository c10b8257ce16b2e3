// PHP adapter: facts from stream servers (with contexts), ext/sockets and ReactPHP, and fix round trips.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FileFacts } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { phpAdapter } from '../../../src/languages/php/phpAdapter';
import { syntaxErrorCount } from '../syntaxCheck';

const PATH = 'server.php';

function extract(text: string, path = PATH): FileFacts {
  return phpAdapter.extract({ path, text });
}

function php(body: string): string {
  return `<?php\n${body}\n`;
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
  const fix = phpAdapter.fix({ path: PATH, text }, facts, req);
  assert.ok(fix, 'expected a fix');
  return { fixed: applyEdits(text, fix.edits), request: req };
}

async function parsesClean(text: string): Promise<void> {
  assert.equal(await syntaxErrorCount(PATH, text), 0, text);
}

const EVERYWHERE = { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };

before(async () => {
  await phpAdapter.prepare();
});

describe('php facts', () => {
  it('reads stream_socket_server URIs built from constants, interpolation and sprintf', () => {
    const text = php([
      'const PORT = 8000;',
      "define('HOST', '0.0.0.0');",
      "$a = stream_socket_server('tcp://127.0.0.1:' . PORT, $e, $m);",
      '$host = HOST;',
      '$b = stream_socket_server("tcp://{$host}:8001", $e, $m);',
      "$c = stream_socket_server(sprintf('udp://%s:%d', '127.0.0.1', 8002), $e, $m, STREAM_SERVER_BIND);",
      "$port = (int) (getenv('PORT') ?: 8003);",
      "$d = stream_socket_server(\"tcp://[::1]:$port\", $e, $m);",
      "$f = stream_socket_server('tcp://localhost:' . $unknown, $e, $m);",
      "$u = stream_socket_server('unix:///tmp/s.sock', $e, $m);",
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.binds.map((b) => [b.host, b.port, b.hostKind, b.explicitWildcard]), [
      ['127.0.0.1', 8000, 'loopback', false],
      ['0.0.0.0', 8001, 'any', true],
      ['127.0.0.1', 8002, 'loopback', false],
      ['::1', 8003, 'loopback', false],
      ['localhost', null, 'loopback', false],
    ]);
    assert.deepEqual(facts.sockets.map((s) => [s.variable, s.protocol, s.role]), [
      ['$a', 'tcp', 'server'], ['$b', 'tcp', 'server'], ['$c', 'udp', 'server'], ['$d', 'tcp', 'server'], ['$f', 'tcp', 'server'],
    ]);
    assert.deepEqual(facts.binds[0]?.implicit, EVERYWHERE);
    assert.equal(facts.binds[0]?.bindsAtCreation, true);
  });

  it('reads the socket context: so_reuseport as an option, so_reuseaddr per platform into the defaults', () => {
    const text = php([
      "$ctx = stream_context_create(['socket' => ['so_reuseport' => true]]);",
      "stream_context_set_option($ctx, 'socket', 'so_reuseaddr', PHP_OS_FAMILY !== 'Windows');",
      "$a = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);",
      "$b = stream_socket_server('tcp://127.0.0.1:8001', $e, $m, context: stream_context_create(array('socket' => array('so_reuseaddr' => false))));",
      "stream_context_set_option($ctx, 'socket', 'so_reuseaddr', false);",
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.binds.map((b) => b.implicit), [
      { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] },
      { linux: [], darwin: [], win32: ['exclusiveaddruse'] },
    ]);
    const option = only(facts.options);
    assert.deepEqual([option.option, option.enabled, option.timing, option.platforms], ['reuseport', true, 'before', ['linux', 'darwin']]);
  });

  it('reads ext/sockets: socket_create protocols, option spellings, bind forms and roles', () => {
    const text = php([
      '$l = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);',
      'socket_set_option($l, SOL_SOCKET, SO_REUSEADDR, true);',
      'socket_setopt($l, SOL_SOCKET, SO_REUSEPORT, 1);',
      "socket_bind($l, 'localhost', 9000);",
      'socket_listen($l);',
      '$c = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);',
      'socket_set_option($c, SOL_SOCKET, SO_REUSEADDR, 0);',
      "socket_bind($c, '0.0.0.0');",
      "socket_connect($c, 'example.com', 80);",
      '$u = @socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);',
      'socket_set_option($u, SOL_SOCKET, ~SO_REUSEADDR, 1);',
      "socket_bind($u, '127.0.0.1', 9001);",
      '$x = socket_create(AF_UNIX, SOCK_STREAM, 0);',
      "socket_bind($x, '/tmp/a.sock');",
      '$q = socket_create_listen(9002, 16);',
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.sockets.map((s) => [s.variable, s.protocol, s.role]), [
      ['$l', 'tcp', 'server'], ['$c', 'tcp', 'client'], ['$u', 'udp', 'server'], ['$q', 'tcp', 'server'],
    ]);
    assert.deepEqual(facts.options.map((o) => [o.option, o.enabled, o.unsupportedOn ?? []]), [
      ['reuseaddr', true, []], ['reuseport', true, ['win32']], ['reuseaddr', false, []], ['exclusiveaddruse', true, []],
    ]);
    assert.deepEqual(facts.binds.map((b) => [b.host, b.port, b.bindsAtCreation, b.implicit]), [
      ['localhost', 9000, false, {}], ['0.0.0.0', 0, false, {}], ['127.0.0.1', 9001, false, {}], [null, 9002, true, {}],
    ]);
  });

  it('marks multicast members and follows socket_import_stream back to the stream server', () => {
    const text = php([
      "$s = stream_socket_server('udp://0.0.0.0:5000', $e, $m, STREAM_SERVER_BIND);",
      '$raw = socket_import_stream($s);',
      "socket_set_option($raw, IPPROTO_IP, MCAST_JOIN_GROUP, ['group' => '239.0.0.1', 'interface' => 0]);",
      '$b = socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);',
      'socket_set_option($b, SOL_SOCKET, SO_BROADCAST, 1);',
      "socket_bind($b, '0.0.0.0', 5001);",
      '$plain = socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);',
      "socket_bind($plain, '0.0.0.0', 5002);",
    ].join('\n'));
    assert.deepEqual(extract(text).sockets.map((s) => s.multicast), [true, true, false]);
  });

  it('reads ReactPHP servers: bare ports on 127.0.0.1, imports, tcp context', () => {
    const text = php([
      'namespace App;',
      'use React\\Socket\\TcpServer;',
      'use React\\Socket\\SocketServer as Listener;',
      '$a = new TcpServer(8080);',
      "$b = new Listener('0.0.0.0:8081', ['tcp' => ['so_reuseport' => true]]);",
      "$c = new \\React\\Socket\\TcpServer('[::]:8082');",
      '$d = new Server(8083);',
    ].join('\n'));
    const facts = extract(text);
    assert.deepEqual(facts.binds.map((b) => [b.host, b.port, b.explicitWildcard]), [
      ['127.0.0.1', 8080, false], ['0.0.0.0', 8081, true], ['::', 8082, true],
    ]);
    assert.deepEqual(facts.sockets.map((s) => s.api), ['React\\Socket\\TcpServer', 'React\\Socket\\SocketServer', 'React\\Socket\\TcpServer']);
    assert.equal(only(facts.options).option, 'reuseport');
  });

  it('reads guards: PHP_OS_FAMILY, PHP_OS prefixes, stripos === false, DIRECTORY_SEPARATOR, early returns', () => {
    const text = php([
      '$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);',
      "if (PHP_OS_FAMILY !== 'Windows') { socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1); }",
      "if (strtoupper(substr(PHP_OS, 0, 3)) === 'WIN') { socket_set_option($s, SOL_SOCKET, ~SO_REUSEADDR, 1); }",
      "elseif (PHP_OS_FAMILY === 'Darwin') { socket_set_option($s, SOL_SOCKET, SO_REUSEPORT, 1); }",
      'else { socket_set_option($s, SOL_SOCKET, SO_REUSEPORT, 0); }',
      "if (stripos(PHP_OS, 'WIN') === false) { socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1); }",
      "function f() { if (DIRECTORY_SEPARATOR === '\\\\') { return; } $t = socket_create(AF_INET, SOCK_STREAM, SOL_TCP); socket_set_option($t, SOL_SOCKET, SO_REUSEADDR, 1); }",
      "if ('\\\\' !== \\DIRECTORY_SEPARATOR) { socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1); }",
      "if (\\defined('PHP_WINDOWS_VERSION_BUILD')) { socket_set_option($s, SOL_SOCKET, ~SO_REUSEADDR, 1); }",
      "if (PHP_OS === 'WINNT') { socket_set_option($s, SOL_SOCKET, ~SO_REUSEADDR, 1); }",
    ].join('\n'));
    assert.deepEqual(extract(text).options.map((o) => o.platforms), [
      ['linux', 'darwin'], ['win32'], ['darwin'], ['linux'], ['linux', 'darwin'], ['linux', 'darwin'], ['linux', 'darwin'], ['win32'], ['win32'],
    ]);
  });

  it('keeps function variables apart and properties shared within a class', () => {
    const text = php([
      'class Srv {',
      '  private $sock;',
      '  function open() { $this->sock = socket_create(AF_INET, SOCK_STREAM, SOL_TCP); }',
      '  function tune() { socket_set_option($this->sock, SOL_SOCKET, SO_REUSEADDR, 1); }',
      "  function start() { socket_bind($this->sock, '127.0.0.1', 9000); socket_listen($this->sock); }",
      '}',
      '$s = socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);',
      "function other($s) { socket_bind($s, '127.0.0.1', 9001); }",
    ].join('\n'));
    const facts = extract(text);
    assert.equal(facts.binds.length, 1);
    assert.equal(facts.options[0]?.socketId, facts.binds[0]?.socketId);
    assert.equal(facts.options[0]?.timing, 'before');
    assert.equal(facts.sockets[0]?.role, 'server');
  });

  it('records hand-written SO_EXCLUSIVEADDRUSE constants from const, define and class constants', () => {
    const text = php("const SO_EXCLUSIVEADDRUSE = 4;\ndefine('B_SO_EXCLUSIVEADDRUSE', ~4);\nclass W { const C_SO_EXCLUSIVEADDRUSE = 0xFFFFFFFB; }");
    assert.deepEqual(extract(text).constants.map((c) => [c.name, c.value]), [
      ['SO_EXCLUSIVEADDRUSE', 4], ['B_SO_EXCLUSIVEADDRUSE', -5], ['C_SO_EXCLUSIVEADDRUSE', -5],
    ]);
  });

  it('ignores clients and unrelated classes, skips text without sockets, and never throws', () => {
    const text = php("$c = stream_socket_client('tcp://example.com:80');\n$t = new Acme\\TcpServer(80);\n$x->listen(80);");
    assert.equal(extract(text).sockets.length, 0);
    assert.deepEqual(extract('<?php echo "hi";'), { sockets: [], options: [], binds: [], constants: [] });
    for (const t of ['<?php stream_socket_server(', '<?php $s = socket_create(AF_INET, SOCK_STREAM; socket_bind($s,', '\u0000socket_create\uffff', 'socket_bind('.repeat(4000)]) {
      assert.doesNotThrow(() => extract(t));
    }
  });
});

describe('php fixes', () => {
  it('add-exclusive adds so_reuseaddr => PHP_OS_FAMILY !== Windows to a stream server context, in every shape', async () => {
    const cases: [string, RegExp][] = [
      ["$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m);", /\$m, context: stream_context_create\(\['socket' => \['so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'\]\]\)\);/],
      ["$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN);", /STREAM_SERVER_LISTEN, stream_context_create\(/],
      ["$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, stream_context_create(['socket' => ['backlog' => 10]]));", /\['backlog' => 10, 'so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'\]/],
      ["$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, stream_context_create(['ssl' => []]));", /\['ssl' => \[\], 'socket' => \['so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'\]\]/],
      ["$ctx = stream_context_create();\n$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);", /stream_context_set_option\(\$ctx, 'socket', 'so_reuseaddr', PHP_OS_FAMILY !== 'Windows'\);\n\$s = /],
      ["$s = new React\\Socket\\TcpServer(8000);", /TcpServer\(8000, null, \['so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'\]\)/],
      ["$s = new React\\Socket\\SocketServer('127.0.0.1:8000');", /SocketServer\('127\.0\.0\.1:8000', \['tcp' => \['so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'\]\]\)/],
    ];
    for (const [body, expected] of cases) {
      const text = php(body);
      const { fixed, request } = fixText(text, (facts) => ({ kind: 'add-exclusive', ...bindOf(facts) }));
      assert.match(fixed, expected);
      await parsesClean(fixed);
      const after = extract(fixed);
      assert.deepEqual(after.binds[0]?.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['exclusiveaddruse'] }, fixed);
      const again = phpAdapter.fix({ path: PATH, text: fixed }, after, { ...request, ...bindOf(after) });
      assert.ok(!again || applyEdits(fixed, again.edits) === fixed, `second application changed ${fixed}`);
    }
  });

  it('add-option guards a TCP SO_REUSEADDR with PHP_OS_FAMILY and keeps CRLF and tabs', async () => {
    const text = "<?php\r\nfunction f() {\r\n\t$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\r\n\tsocket_bind($s, '127.0.0.1', 9000);\r\n\tsocket_listen($s);\r\n}\r\n";
    const { fixed, request } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...bindOf(facts) }));
    assert.equal(fixed, "<?php\r\nfunction f() {\r\n\t$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\r\n\tif (PHP_OS_FAMILY !== 'Windows') {\r\n\t\tsocket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);\r\n\t}\r\n\tsocket_bind($s, '127.0.0.1', 9000);\r\n\tsocket_listen($s);\r\n}\r\n");
    await parsesClean(fixed);
    assert.deepEqual(extract(fixed).options.map((o) => [o.option, o.timing, o.platforms]), [['reuseaddr', 'before', ['linux', 'darwin']]]);
    assert.equal(phpAdapter.fix({ path: PATH, text: fixed }, extract(fixed), request), null);
  });

  it('add-option rewrites socket_create_listen into create, option, bind and listen', async () => {
    const text = php('function f() {\n    $s = socket_create_listen(9104, 32);\n    return $s;\n}');
    const { fixed } = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...bindOf(facts) }));
    assert.equal(fixed, php([
      'function f() {',
      '    $s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);',
      "    if (PHP_OS_FAMILY !== 'Windows') {",
      '        socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);',
      '    }',
      "    socket_bind($s, '0.0.0.0', 9104);",
      '    socket_listen($s, 32);',
      '    return $s;',
      '}',
    ].join('\n')));
    await parsesClean(fixed);
    const after = extract(fixed);
    assert.deepEqual([after.binds[0]?.port, after.options[0]?.timing, after.sockets[0]?.role], [9104, 'before', 'server']);
  });

  it('add-option turns so_reuseaddr => false back on for Unix, and adds so_reuseport', () => {
    const text = php("$s = stream_socket_server('tcp://127.0.0.1:8000', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, stream_context_create(['socket' => ['so_reuseaddr' => false]]));");
    const a = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseaddr', ...bindOf(facts) }));
    assert.match(a.fixed, /'so_reuseaddr' => PHP_OS_FAMILY !== 'Windows'/);
    const b = fixText(text, (facts) => ({ kind: 'add-option', option: 'reuseport', ...bindOf(facts) }));
    assert.match(b.fixed, /\['so_reuseaddr' => false, 'so_reuseport' => true\]/);
    assert.equal(extract(b.fixed).options[0]?.option, 'reuseport');
  });

  it('move-before-bind moves the statement with its guard, also into a socket_create_listen rewrite', async () => {
    const move = (facts: FileFacts): FixRequest => ({ kind: 'move-before-bind', option: only(facts.options), ...bindOf(facts) });
    const text = php("$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\nsocket_bind($s, '127.0.0.1', 9000);\nif (PHP_OS_FAMILY !== 'Windows')\n    socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);\nsocket_listen($s);");
    const a = fixText(text, move);
    assert.equal(a.fixed, php("$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\nif (PHP_OS_FAMILY !== 'Windows')\n    socket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);\nsocket_bind($s, '127.0.0.1', 9000);\nsocket_listen($s);"));
    const listen = php('$s = socket_create_listen(9000);\nsocket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);');
    const b = fixText(listen, move);
    await parsesClean(b.fixed);
    assert.equal(extract(b.fixed).options[0]?.timing, 'before');
    assert.equal(phpAdapter.fix({ path: PATH, text: b.fixed }, extract(b.fixed), b.request), null);
  });

  it('guard-not-windows wraps the statement once; add-exclusive on ext/sockets adds ~SO_REUSEADDR on Windows', async () => {
    const text = php("$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\nsocket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);\nsocket_bind($s, '127.0.0.1', 9000);");
    const guard = (facts: FileFacts): FixRequest => ({ kind: 'guard-not-windows', option: only(facts.options), socket: only(facts.sockets) });
    const a = fixText(text, guard);
    assert.match(a.fixed, /if \(PHP_OS_FAMILY !== 'Windows'\) \{\n {4}socket_set_option\(\$s, SOL_SOCKET, SO_REUSEADDR, 1\);\n\}/);
    assert.equal(phpAdapter.fix({ path: PATH, text: a.fixed }, extract(a.fixed), guard(extract(a.fixed))), null);
    const plain = php("$s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);\nsocket_bind($s, '127.0.0.1', 9000);");
    const b = fixText(plain, (facts) => ({ kind: 'add-exclusive', ...bindOf(facts) }));
    await parsesClean(b.fixed);
    const option = only(extract(b.fixed).options);
    assert.deepEqual([option.option, option.platforms], ['exclusiveaddruse', ['win32']]);
  });

  it('remove-option deletes statements and context entries; fix-exclusive-constant writes -5 once', () => {
    const text = php("$s = socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);\nsocket_set_option($s, SOL_SOCKET, SO_REUSEADDR, 1);\nsocket_bind($s, '127.0.0.1', 9000);");
    const a = fixText(text, (facts) => ({ kind: 'remove-option', option: only(facts.options), socket: only(facts.sockets) }));
    assert.equal(a.fixed, php("$s = socket_create(AF_INET, SOCK_DGRAM, SOL_UDP);\nsocket_bind($s, '127.0.0.1', 9000);"));
    const ctx = php("$s = stream_socket_server('udp://127.0.0.1:9000', $e, $m, STREAM_SERVER_BIND, stream_context_create(['socket' => ['so_reuseport' => true, 'backlog' => 5]]));");
    const b = fixText(ctx, (facts) => ({ kind: 'remove-option', option: only(facts.options), socket: only(facts.sockets) }));
    assert.match(b.fixed, /\['socket' => \['backlog' => 5\]\]/);
    const constant = php("define('SO_EXCLUSIVEADDRUSE', 4);");
    const c = fixText(constant, (facts) => ({ kind: 'fix-exclusive-constant', constant: only(facts.constants) }));
    assert.equal(c.fixed, php("define('SO_EXCLUSIVEADDRUSE', -5);"));
    assert.equal(phpAdapter.fix({ path: PATH, text: c.fixed }, extract(c.fixed), c.request), null);
  });
});

