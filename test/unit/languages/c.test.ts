// C/C++ adapter: facts (ports, hosts, roles, platforms, runtime defaults, timing, constants, helpers),
// robustness, and fix round trips (edit, re-extract: problem gone; re-parse: no new errors; idempotent).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { BindFact, FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { cAdapter, cppAdapter } from '../../../src/languages/c/cAdapter';
import { syntaxErrorCount } from '../syntaxCheck';

function extract(text: string, path = 'server.c'): FileFacts {
  return (path.endsWith('.c') || path.endsWith('.h') ? cAdapter : cppAdapter).extract({ path, text });
}

const POSIX = '#include <sys/socket.h>\n#include <netinet/in.h>\n#include <arpa/inet.h>\n';

/** A POSIX server function around `body` (fd, addr and one are declared). */
function server(body: string, head = POSIX): string {
  return `${head}\nint serve(void) {\n    int one = 1;\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    struct sockaddr_in addr;\n${body}\n    return fd;\n}\n`;
}

function onlyBind(facts: FileFacts): BindFact {
  assert.equal(facts.binds.length, 1, JSON.stringify(facts.binds));
  const bind = facts.binds[0];
  assert.ok(bind);
  return bind;
}

function socketOf(facts: FileFacts, bind: BindFact): SocketFact {
  const socket = facts.sockets.find((s) => s.id === bind.socketId);
  assert.ok(socket);
  return socket;
}

function optionsOf(facts: FileFacts, option?: string): OptionFact[] {
  return facts.options.filter((o) => option === undefined || o.option === option);
}

before(async () => {
  await cAdapter.prepare();
});

describe('c adapter: ports and hosts', () => {
  const cases: [string, string, string, number | null, string | null, boolean][] = [
    ['#define PORT 8080', 'addr.sin_port = htons(PORT);\n    addr.sin_addr.s_addr = htonl(INADDR_ANY);', 'define + INADDR_ANY', 8080, '0.0.0.0', true],
    ['static const int kPort = 9000;', 'addr.sin_port = htons(kPort);\n    addr.sin_addr.s_addr = inet_addr("127.0.0.1");', 'const int + inet_addr', 9000, '127.0.0.1', false],
    ['enum { LISTEN_PORT = 7000 };', 'addr.sin_port = htons(LISTEN_PORT);\n    inet_pton(AF_INET, "10.1.2.3", &addr.sin_addr);', 'enum + inet_pton', 7000, '10.1.2.3', false],
    ['#define PORT (0x1F90)', 'addr.sin_port = htons(PORT);\n    addr.sin_addr.s_addr = 0;', 'hex in parentheses + literal 0', 8080, '0.0.0.0', true],
    ['', 'int port = 6000;\n    addr.sin_port = htons((unsigned short)port);', 'local variable through a cast', 6000, null, false],
    ['', 'addr.sin_port = 0;\n    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);', 'ephemeral port on loopback', 0, '127.0.0.1', false],
    ['', 'int port = 8080;\n    if (tls) port = 8443;\n    addr.sin_port = htons(port);', 'a port a branch may change', null, null, false],
  ];
  for (const [top, body, name, port, host, wildcard] of cases) {
    it(name, () => {
      const text = server(`${body}\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    listen(fd, 5);`, `${POSIX}${top}\n`);
      const bind = onlyBind(extract(text));
      assert.equal(bind.port, port);
      assert.equal(bind.host, host);
      assert.equal(bind.explicitWildcard, wildcard);
    });
  }

  it('reads designated and positional initializers, and IPv6 wildcards', () => {
    const designated = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5353), .sin_addr = { .s_addr = htonl(INADDR_ANY) } };\n  return bind(fd, (struct sockaddr *)&a, sizeof a);\n}\n`);
    assert.deepEqual([onlyBind(designated).port, onlyBind(designated).host], [5353, '0.0.0.0']);
    const positional = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = { AF_INET, htons(5354) };\n  return bind(fd, (struct sockaddr *)&a, sizeof a);\n}\n`);
    assert.equal(onlyBind(positional).port, 5354);
    const v6 = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET6, SOCK_STREAM, 0);\n  struct sockaddr_in6 a = {0};\n  a.sin6_port = htons(443);\n  a.sin6_addr = in6addr_any;\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  return listen(fd, 1);\n}\n`);
    assert.deepEqual([onlyBind(v6).host, onlyBind(v6).hostKind, onlyBind(v6).explicitWildcard], ['::', 'any', true]);
  });

  it('reads getaddrinfo services, and a NULL node with AI_PASSIVE as every interface (not written out)', () => {
    const text = `${POSIX}#include <netdb.h>\n#define PORT "3490"\nint f(void) {\n  struct addrinfo hints = {0}, *res;\n  hints.ai_socktype = SOCK_STREAM;\n  hints.ai_flags = AI_PASSIVE;\n  getaddrinfo(NULL, PORT, &hints, &res);\n  int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);\n  bind(fd, res->ai_addr, res->ai_addrlen);\n  return listen(fd, 10);\n}\n`;
    const facts = extract(text);
    const bind = onlyBind(facts);
    assert.deepEqual([bind.port, bind.host, bind.hostKind, bind.explicitWildcard], [3490, null, 'any', false]);
    assert.equal(socketOf(facts, bind).protocol, 'tcp');
  });

  it('resolves a port passed to a helper called once', () => {
    const text = `${POSIX}static int open_server(int port) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  struct sockaddr_in a = {0};\n  a.sin_port = htons(port);\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  listen(fd, 1);\n  return fd;\n}\nint main(void) { return open_server(4242); }\n`;
    assert.equal(onlyBind(extract(text)).port, 4242);
  });
});

describe('c adapter: sockets and roles', () => {
  it('a listening TCP socket is a server; bind then connect is a client', () => {
    const listening = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    listen(fd, 5);'));
    assert.deepEqual([socketOf(listening, onlyBind(listening)).role, socketOf(listening, onlyBind(listening)).protocol], ['server', 'tcp']);
    const client = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    connect(fd, (struct sockaddr *)&peer, sizeof peer);'));
    assert.equal(socketOf(client, onlyBind(client)).role, 'client');
    const unknown = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(socketOf(unknown, onlyBind(unknown)).role, 'unknown');
  });

  it('a bound UDP socket that receives is a server', () => {
    const text = `${POSIX}int f(void) {\n  char b[9];\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = {0};\n  a.sin_port = htons(9999);\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  return recvfrom(fd, b, 9, 0, NULL, NULL);\n}\n`;
    const facts = extract(text);
    assert.deepEqual([socketOf(facts, onlyBind(facts)).role, socketOf(facts, onlyBind(facts)).protocol], ['server', 'udp']);
  });

  it('ignores AF_UNIX sockets', () => {
    const text = `${POSIX}#include <sys/un.h>\nint f(void) {\n  int fd = socket(AF_UNIX, SOCK_STREAM, 0);\n  struct sockaddr_un a;\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  return listen(fd, 1);\n}\n`;
    assert.equal(extract(text).binds.length, 0);
  });

  it('does not judge a socket handed to unknown code before its bind, or one passed in', () => {
    const escaped = extract(server('    tune_socket(fd);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    listen(fd, 5);'));
    assert.equal(socketOf(escaped, onlyBind(escaped)).role, 'unknown');
    const logged = extract(server('    log_debug("fd %d", fd);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    listen(fd, 5);'));
    assert.equal(socketOf(logged, onlyBind(logged)).role, 'server');
    const passed = extract(`${POSIX}int f(int fd, struct sockaddr *sa, socklen_t len) {\n  bind(fd, sa, len);\n  return listen(fd, 5);\n}\n`);
    assert.equal(socketOf(passed, onlyBind(passed)).role, 'unknown');
  });

  it('marks multicast and broadcast sockets', () => {
    const group = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = {0};\n  struct ip_mreq m;\n  a.sin_port = htons(5000);\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m);\n}\n`);
    assert.equal(socketOf(group, onlyBind(group)).multicast, true);
    const groupAddress = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = {0};\n  a.sin_port = htons(5000);\n  a.sin_addr.s_addr = inet_addr("239.1.1.1");\n  return bind(fd, (struct sockaddr *)&a, sizeof a);\n}\n`);
    assert.equal(socketOf(groupAddress, onlyBind(groupAddress)).multicast, true);
    const unicast = extract(`${POSIX}int f(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  struct sockaddr_in a = {0};\n  a.sin_port = htons(5000);\n  return bind(fd, (struct sockaddr *)&a, sizeof a);\n}\n`);
    assert.equal(socketOf(unicast, onlyBind(unicast)).multicast, false);
  });

  it('follows helpers of the file: options set by a helper count at its call site', () => {
    const text = `${POSIX}static int set_reuse(int s) {\n  int yes = 1;\n  return setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);\n}\nstatic int do_listen(int s, struct sockaddr *sa, socklen_t len) {\n  if (bind(s, sa, len) < 0) return -1;\n  return listen(s, 511);\n}\nint server(void) {\n  struct sockaddr_in sa = {0};\n  sa.sin_port = htons(6379);\n  int s = socket(AF_INET, SOCK_STREAM, 0);\n  set_reuse(s);\n  return do_listen(s, (struct sockaddr *)&sa, sizeof sa);\n}\n`;
    const facts = extract(text);
    const bind = onlyBind(facts);
    assert.equal(bind.port, 6379);
    assert.equal(text.slice(bind.span.start, bind.span.end), 'do_listen(s, (struct sockaddr *)&sa, sizeof sa)');
    assert.equal(socketOf(facts, bind).role, 'server');
    const [option] = optionsOf(facts, 'reuseaddr');
    assert.ok(option);
    assert.equal(option.timing, 'before');
    assert.equal(text.slice(option.span.start, option.span.end), 'set_reuse(s)');
  });

  it('follows a helper that returns the socket it created', () => {
    const text = `${POSIX}static int make_socket(void) {\n  int fd = socket(AF_INET, SOCK_DGRAM, 0);\n  int on = 1;\n  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);\n  return fd;\n}\nint main(void) {\n  char b[4];\n  struct sockaddr_in a = {0};\n  int s = make_socket();\n  a.sin_port = htons(514);\n  bind(s, (struct sockaddr *)&a, sizeof a);\n  return recv(s, b, 4, 0);\n}\n`;
    const facts = extract(text);
    const bind = onlyBind(facts);
    assert.deepEqual([socketOf(facts, bind).protocol, socketOf(facts, bind).role, socketOf(facts, bind).variable], ['udp', 'server', 's']);
    assert.equal(optionsOf(facts).length, 1);
    assert.equal(facts.sockets.length, 1);
  });
});

describe('c adapter: options, values and timing', () => {
  it('reads the value through the variable: int one = 1, BOOL t = TRUE, int zero = 0, &(int){1}', () => {
    const on = extract(server('    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(optionsOf(on, 'reuseaddr')[0]?.enabled, true);
    const off = extract(server('    int zero = 0;\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (const char *)&zero, sizeof zero);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(optionsOf(off, 'reuseaddr')[0]?.enabled, false);
    const winBool = extract(server('    BOOL t = TRUE;\n    setsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&t, sizeof t);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(optionsOf(winBool, 'exclusiveaddruse')[0]?.enabled, true);
    const literal = extract(server('    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &(int){1}, sizeof(int));\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(optionsOf(literal, 'reuseport')[0]?.enabled, true);
  });

  it('an option set from configuration is not an option we know: the socket is not judged', () => {
    const text = `${POSIX}int f(const struct config *cfg) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  struct sockaddr_in a = {0};\n  a.sin_port = htons(80);\n  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &cfg->reuse, sizeof(int));\n  bind(fd, (struct sockaddr *)&a, sizeof a);\n  return listen(fd, 1);\n}\n`;
    const facts = extract(text);
    assert.equal(facts.options.length, 0);
    assert.equal(socketOf(facts, onlyBind(facts)).role, 'unknown');
  });

  it('times options against the bind of the same function', () => {
    const after = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n    listen(fd, 5);'));
    assert.equal(optionsOf(after)[0]?.timing, 'after');
    const branches = extract(server('    if (simple) {\n        bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    } else {\n        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n        bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    }\n    listen(fd, 5);'));
    assert.equal(optionsOf(branches)[0]?.timing, 'before');
  });

  it('treats ~SO_REUSEADDR written inline as SO_EXCLUSIVEADDRUSE, and a #define alias as its target', () => {
    const inline = extract(server('    setsockopt(fd, SOL_SOCKET, ((int)(~SO_REUSEADDR)), (char *)&one, sizeof one);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(optionsOf(inline)[0]?.option, 'exclusiveaddruse');
    const alias = extract(server('    setsockopt(fd, SOL_SOCKET, REUSE_OPTION, &one, sizeof one);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', `${POSIX}#define REUSE_OPTION SO_REUSEPORT\n`));
    assert.equal(optionsOf(alias)[0]?.option, 'reuseport');
  });
});

describe('c adapter: platforms', () => {
  function platformsOfOptions(text: string): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const o of extract(text).options) result[`${o.option}${o.enabled ? '' : '-off'}`] = o.platforms;
    return result;
  }

  it('reads #ifdef _WIN32 / #else, #ifndef _WIN32 and #ifdef SO_REUSEPORT', () => {
    const portable = '#ifdef _WIN32\n#include <winsock2.h>\n#else\n#include <sys/socket.h>\n#endif\n';
    assert.deepEqual(platformsOfOptions(server('#ifdef _WIN32\n    setsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&one, sizeof one);\n#else\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#endif\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', portable)),
      { exclusiveaddruse: ['win32'], reuseaddr: ['linux', 'darwin'] });
    assert.deepEqual(platformsOfOptions(server('#ifndef _WIN32\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#endif\n#ifdef SO_REUSEPORT\n    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);\n#endif\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', portable)),
      { reuseaddr: ['linux', 'darwin'], reuseport: ['linux', 'darwin'] });
  });

  it('reads #if defined(_WIN32) || defined(_WIN64) ... #elif defined(__linux__) ... #else', () => {
    const portable = '#include <stdio.h>\n';
    const text = server('#if defined(_WIN32) || defined(_WIN64)\n    setsockopt(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&one, sizeof one);\n#elif defined(__linux__)\n    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);\n#else\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#endif\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', portable);
    assert.deepEqual(platformsOfOptions(text), { exclusiveaddruse: ['win32'], reuseport: ['linux'], reuseaddr: ['darwin'] });
  });

  it('reads guards around whole functions and inside an argument list', () => {
    const wrapped = `#include <stdio.h>\n#ifndef _WIN32\n${server('    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', '')}#endif\n`;
    assert.deepEqual(extract(wrapped).binds.map((b) => b.platforms), [['linux', 'darwin']]);
    const inArgs = server('    setsockopt(fd, SOL_SOCKET,\n#ifdef SO_REUSEPORT\n        SO_REUSEPORT,\n#else\n        SO_REUSEADDR,\n#endif\n        &one, sizeof one);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', '#include <stdio.h>\n');
    assert.deepEqual(platformsOfOptions(inArgs), { reuseport: ['linux', 'darwin'], reuseaddr: ['win32'] });
  });

  it('takes the file\'s platforms from its headers and name; #if 0 is never compiled', () => {
    const posix = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.deepEqual(onlyBind(posix).platforms, ['linux', 'darwin']);
    const winsock = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);', '#include <winsock2.h>\n'));
    assert.deepEqual(onlyBind(winsock).platforms, ['win32']);
    const epoll = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);', `${POSIX}#include <sys/epoll.h>\n`));
    assert.deepEqual(onlyBind(epoll).platforms, ['linux']);
    const byName = extract(server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);', '#include <stdio.h>\n'), 'net_win32.c');
    assert.deepEqual(onlyBind(byName).platforms, ['win32']);
    const dead = extract(server('#if 0\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#endif\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);'));
    assert.equal(dead.options.length, 0);
    const nginxStyle = extract(server('#if (NGX_LINUX)\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#endif\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);', '#include <stdio.h>\n'));
    assert.deepEqual(optionsOf(nginxStyle)[0]?.platforms, ['linux']);
  });
});

describe('c adapter: libraries and their defaults', () => {
  it('libuv: uv_tcp_bind sets SO_REUSEADDR on Unix only; UV_UDP_REUSEADDR is SO_REUSEPORT on macOS', () => {
    const text = '#include <uv.h>\nvoid f(uv_loop_t *loop) {\n  uv_tcp_t t; uv_udp_t u; struct sockaddr_in a, b;\n  uv_tcp_init(loop, &t);\n  uv_ip4_addr("0.0.0.0", 7000, &a);\n  uv_tcp_bind(&t, (const struct sockaddr *)&a, 0);\n  uv_listen((uv_stream_t *)&t, 128, NULL);\n  uv_udp_init(loop, &u);\n  uv_ip4_addr("127.0.0.1", 7001, &b);\n  uv_udp_bind(&u, (const struct sockaddr *)&b, UV_UDP_REUSEADDR);\n}\n';
    const facts = extract(text);
    const tcp = facts.binds.find((b) => b.port === 7000);
    assert.ok(tcp);
    assert.deepEqual(tcp.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
    assert.equal(tcp.explicitWildcard, true);
    assert.equal(socketOf(facts, tcp).role, 'server');
    const udp = facts.binds.find((b) => b.port === 7001);
    assert.ok(udp);
    const udpOptions = facts.options.filter((o) => o.socketId === udp.socketId).map((o) => [o.option, o.platforms, o.timing]);
    assert.deepEqual(udpOptions, [['reuseaddr', ['linux', 'win32'], 'before'], ['reuseport', ['darwin'], 'before']]);
  });

  it('Boost.Asio: the endpoint constructor binds with SO_REUSEADDR on every OS unless reuse_addr is false', () => {
    const text = '#include <boost/asio.hpp>\nusing boost::asio::ip::tcp;\nvoid f(boost::asio::io_context& io) {\n  tcp::acceptor a(io, tcp::endpoint(tcp::v4(), 8080));\n  tcp::acceptor b(io, tcp::endpoint(boost::asio::ip::address_v4::any(), 8081), false);\n  tcp::acceptor c(io);\n  c.open(tcp::v4());\n  c.set_option(tcp::acceptor::reuse_address(true));\n  c.bind(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 8082));\n  c.listen();\n}\n';
    const facts = extract(text, 'server.cpp');
    const [a, b, c] = [8080, 8081, 8082].map((p) => facts.binds.find((x) => x.port === p));
    assert.ok(a && b && c);
    assert.deepEqual(a.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] });
    assert.equal(a.bindsAtCreation, true);
    assert.equal(a.explicitWildcard, false);
    assert.deepEqual(b.implicit, {});
    assert.equal(b.explicitWildcard, true);
    assert.deepEqual([c.implicit, c.bindsAtCreation, c.host], [{}, false, '127.0.0.1']);
    assert.deepEqual(facts.options.filter((o) => o.socketId === c.socketId).map((o) => [o.option, o.timing]), [['reuseaddr', 'before']]);
    for (const bind of [a, b, c]) assert.equal(socketOf(facts, bind).role, 'server');
  });

  it('Boost.Asio: an option after the binding constructor is too late; member initializers bind too', () => {
    const text = '#include <boost/asio.hpp>\nusing boost::asio::ip::tcp;\nclass S {\n public:\n  S(boost::asio::io_context& io) : acceptor_(io, tcp::endpoint(tcp::v6(), 9000)) {\n    acceptor_.set_option(boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));\n  }\n private:\n  tcp::acceptor acceptor_;\n};\n';
    const facts = extract(text, 'server.hpp');
    assert.equal(onlyBind(facts).port, 9000);
    assert.deepEqual(facts.options.map((o) => [o.option, o.timing]), [['reuseport', 'after']]);
  });

  it('Qt: QTcpServer::listen sets SO_REUSEADDR on Unix only; no arguments is an ephemeral port', () => {
    const text = '#include <QTcpServer>\nvoid f() {\n  QTcpServer *s = new QTcpServer();\n  s->listen(QHostAddress::LocalHost, 8090);\n  QTcpServer t;\n  t.listen();\n}\n';
    const facts = extract(text, 'server.cpp');
    assert.deepEqual(facts.binds.map((b) => [b.port, b.hostKind, b.implicit]), [
      [8090, 'loopback', { linux: ['reuseaddr'], darwin: ['reuseaddr'] }],
      [0, 'any', { linux: ['reuseaddr'], darwin: ['reuseaddr'] }],
    ]);
  });

  it('libevent: LEV_OPT_REUSEABLE is SO_REUSEADDR on Unix only, set as the listener binds', () => {
    const text = `${POSIX}#include <event2/listener.h>\nvoid f(struct event_base *base) {\n  struct sockaddr_in sin = {0};\n  sin.sin_port = htons(9876);\n  evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, sizeof sin);\n}\n`;
    const facts = extract(text);
    assert.equal(onlyBind(facts).port, 9876);
    assert.equal(socketOf(facts, onlyBind(facts)).role, 'server');
    assert.deepEqual(facts.options.map((o) => [o.option, o.platforms, o.timing]), [['reuseaddr', ['linux', 'darwin'], 'before']]);
  });
});

describe('c adapter: hand-written SO_EXCLUSIVEADDRUSE', () => {
  it('computes the value of #define, const and enum definitions', () => {
    const text = '#define SO_EXCLUSIVEADDRUSE 0x0004 // wrong\nstatic const int SO_EXCLUSIVEADDRUSE = ((int)(~SO_REUSEADDR));\nenum { SO_EXCLUSIVEADDRUSE = (u_int)(~4) };\n#define SO_REUSEPORT 15\n';
    const facts = extract(text, 'compat.h');
    assert.deepEqual(facts.constants.map((c) => [c.value, text.slice(c.valueSpan.start, c.valueSpan.end)]), [
      [4, '0x0004'],
      [-5, '((int)(~SO_REUSEADDR))'],
      [-5, '(u_int)(~4)'],
    ]);
  });
});

describe('c adapter: robustness', () => {
  it('never throws on half-typed, binary-looking or huge input, and skips text without socket calls', () => {
    const samples = [
      'int main( { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &',
      '#ifdef _WIN32\nbind(\n#else\n',
      '#define SO_EXCLUSIVEADDRUSE (((((',
      `${POSIX}int f(void) { bind(fd, (struct sockaddr *)&a, sizeof a); listen(fd, 1); }`.repeat(3),
      'bind\u0000\u0001\u0002listen',
      `${'int x = 1;\n'.repeat(50000)}int f(void) { int fd = socket(AF_INET, SOCK_STREAM, 0); listen(fd, 1); }`,
    ];
    for (const text of samples) assert.doesNotThrow(() => extract(text));
    assert.deepEqual(extract('int main(void) { return 0; }'), { sockets: [], options: [], binds: [], constants: [] });
  });
});

// ----- fixes -----

async function roundTrip(text: string, path: string, pick: (facts: FileFacts) => FixRequest | null, check: (after: FileFacts, fixed: string) => void): Promise<string> {
  const adapter = path.endsWith('.c') || path.endsWith('.h') ? cAdapter : cppAdapter;
  const facts = adapter.extract({ path, text });
  const request = pick(facts);
  assert.ok(request, 'no fix request could be built from the facts');
  const fix = adapter.fix({ path, text }, facts, request);
  assert.ok(fix, `no fix for ${request.kind}`);
  const fixed = applyEdits(text, fix.edits);
  assert.notEqual(fixed, text);
  assert.ok((await syntaxErrorCount(path, fixed)) <= (await syntaxErrorCount(path, text)), `fix broke the syntax:\n${fixed}`);
  const after = adapter.extract({ path, text: fixed });
  check(after, fixed);
  // The same request against the fixed file changes nothing.
  const again = adapter.fix({ path, text: fixed }, after, request);
  assert.ok(again === null || applyEdits(fixed, again.edits) === fixed, `second application changed the text:\n${JSON.stringify(again)}`);
  return fixed;
}

function addOption(facts: FileFacts): FixRequest | null {
  const bind = facts.binds[0];
  const socket = bind && facts.sockets.find((s) => s.id === bind.socketId);
  return bind && socket ? { kind: 'add-option', option: 'reuseaddr', socket, bind } : null;
}

function optionRequest(kind: 'guard-not-windows' | 'remove-option' | 'move-before-bind', option = 'reuseaddr') {
  return (facts: FileFacts): FixRequest | null => {
    const o = facts.options.find((x) => x.option === option);
    const socket = o && facts.sockets.find((s) => s.id === o.socketId);
    const bind = o && facts.binds.find((b) => b.socketId === o.socketId);
    if (!o || !socket || !bind) return null;
    return kind === 'move-before-bind' ? { kind, option: o, socket, bind } : { kind, option: o, socket };
  };
}

function reuseBefore(after: FileFacts): void {
  const bind = after.binds[0];
  assert.ok(bind);
  assert.ok(after.options.some((o) => o.socketId === bind.socketId && o.option === 'reuseaddr' && o.enabled && o.timing === 'before' && o.platforms.includes('linux')), JSON.stringify(after.options));
}

describe('c adapter: fixes', () => {
  it('add-option inserts setsockopt before the bind, declaring `int one = 1;` when needed', async () => {
    const text = `${POSIX}int serve(void) {\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    struct sockaddr_in addr = {0};\n    addr.sin_port = htons(80);\n    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return -1;\n    return listen(fd, 5);\n}\n`;
    const fixed = await roundTrip(text, 'server.c', addOption, reuseBefore);
    assert.match(fixed, /\n {4}int one = 1;\n {4}setsockopt\(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one\);\n {4}if \(bind/);
  });

  it('add-option reuses an existing `int on = 1`, keeps CRLF, and guards SO_REUSEADDR off Windows in portable code', async () => {
    const text = '#ifdef _WIN32\r\n#include <winsock2.h>\r\n#else\r\n#include <sys/socket.h>\r\n#endif\r\nint serve(void) {\r\n\tint on = 1;\r\n\tint fd = socket(AF_INET, SOCK_STREAM, 0);\r\n\tstruct sockaddr_in addr = {0};\r\n\taddr.sin_port = htons(81);\r\n\tbind(fd, (struct sockaddr *)&addr, sizeof addr);\r\n\treturn listen(fd, 5);\r\n}\r\n';
    const fixed = await roundTrip(text, 'server.c', addOption, (after) => {
      reuseBefore(after);
      assert.deepEqual(after.options[0]?.platforms, ['linux', 'darwin']);
    });
    assert.ok(fixed.includes('#ifndef _WIN32\r\n\tsetsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof on);\r\n#endif\r\n\tbind('), fixed);
  });

  it('add-option through a helper call inserts before the call, with the caller\'s variable', async () => {
    const text = `${POSIX}static int do_listen(int s, struct sockaddr *sa, socklen_t len) {\n  if (bind(s, sa, len) < 0) return -1;\n  return listen(s, 511);\n}\nint server(void) {\n  struct sockaddr_in sa = {0};\n  sa.sin_port = htons(6379);\n  int srv = socket(AF_INET, SOCK_STREAM, 0);\n  return do_listen(srv, (struct sockaddr *)&sa, sizeof sa);\n}\n`;
    const fixed = await roundTrip(text, 'server.c', addOption, reuseBefore);
    assert.match(fixed, /setsockopt\(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one\);\n {2}return do_listen/);
  });

  it('add-option adds the libuv and libevent flags', async () => {
    const uv = '#include <uv.h>\nvoid f(uv_loop_t *loop) {\n  uv_udp_t u; struct sockaddr_in b;\n  uv_udp_init(loop, &u);\n  uv_ip4_addr("127.0.0.1", 7001, &b);\n  uv_udp_bind(&u, (const struct sockaddr *)&b, 0);\n  uv_udp_set_membership(&u, "239.0.0.1", NULL, UV_JOIN_GROUP);\n}\n';
    const fixedUv = await roundTrip(uv, 'group.c', addOption, (after) => assert.ok(after.options.some((o) => o.option === 'reuseaddr' && o.platforms.includes('linux'))));
    assert.ok(fixedUv.includes('uv_udp_bind(&u, (const struct sockaddr *)&b, UV_UDP_REUSEADDR);'));
    const ev = `${POSIX}void f(struct event_base *base) {\n  struct sockaddr_in sin = {0};\n  sin.sin_port = htons(9876);\n  evconnlistener_new_bind(base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE, -1, (struct sockaddr *)&sin, sizeof sin);\n}\n`;
    const fixedEv = await roundTrip(ev, 'ev.c', addOption, reuseBefore);
    assert.ok(fixedEv.includes('LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE'));
  });

  it('move-before-bind moves the call (with its value variable and guard) above the bind', async () => {
    const text = `#include <stdio.h>\nint serve(void) {\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    struct sockaddr_in addr = {0};\n    addr.sin_port = htons(82);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n#ifndef _WIN32\n    int on = 1;\n    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {\n        perror("setsockopt");\n    }\n#endif\n    return listen(fd, 5);\n}\n`;
    const fixed = await roundTrip(text, 'server.c', optionRequest('move-before-bind'), (after) => {
      reuseBefore(after);
      assert.deepEqual(after.options[0]?.platforms, ['linux', 'darwin']);
    });
    assert.match(fixed, /#ifndef _WIN32\n {4}int on = 1;\n {4}if \(setsockopt[^]*#endif\n {4}bind\(/);
  });

  it('guard-not-windows wraps the statement in #ifndef _WIN32; remove-option drops it (with a guard holding only it)', async () => {
    const text = `#include <stdio.h>\nint serve(void) {\n    int one = 1;\n    int fd = socket(AF_INET, SOCK_DGRAM, 0);\n    struct sockaddr_in addr = {0};\n    addr.sin_port = htons(83);\n    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);\n#ifdef SO_REUSEPORT\n    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);\n#endif\n    return bind(fd, (struct sockaddr *)&addr, sizeof addr);\n}\n`;
    await roundTrip(text, 'server.c', optionRequest('guard-not-windows'), (after) => {
      assert.deepEqual(after.options.find((o) => o.option === 'reuseaddr')?.platforms, ['linux', 'darwin']);
    });
    await roundTrip(text, 'server.c', optionRequest('remove-option'), (after) => assert.equal(after.options.filter((o) => o.option === 'reuseaddr').length, 0));
    const fixed = await roundTrip(text, 'server.c', optionRequest('remove-option', 'reuseport'), (after) => assert.equal(after.options.filter((o) => o.option === 'reuseport').length, 0));
    assert.ok(!fixed.includes('#ifdef SO_REUSEPORT'));
  });

  it('add-exclusive adds a Windows-guarded SO_EXCLUSIVEADDRUSE, or rewrites an Asio acceptor into its steps', async () => {
    const text = '#include <stdio.h>\nint serve(void) {\n    int fd = socket(AF_INET, SOCK_STREAM, 0);\n    struct sockaddr_in addr = {0};\n    addr.sin_port = htons(84);\n    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    return listen(fd, 5);\n}\n';
    const request = (facts: FileFacts): FixRequest | null => {
      const bind = facts.binds[0];
      const socket = bind && facts.sockets.find((s) => s.id === bind.socketId);
      return bind && socket ? { kind: 'add-exclusive', socket, bind } : null;
    };
    await roundTrip(text, 'server.c', request, (after) => assert.deepEqual(after.options.map((o) => [o.option, o.platforms, o.timing]), [['exclusiveaddruse', ['win32'], 'before']]));
    const asio = '#include <boost/asio.hpp>\nusing boost::asio::ip::tcp;\nvoid run(boost::asio::io_context& io) {\n    tcp::acceptor acceptor(io, tcp::endpoint(tcp::v4(), 8080));\n    acceptor.accept();\n}\n';
    await roundTrip(asio, 'server.cpp', request, (after) => {
      const bind = onlyBind(after);
      assert.deepEqual([bind.port, bind.bindsAtCreation, bind.implicit], [8080, false, {}]);
      assert.deepEqual(after.options.map((o) => [o.option, o.platforms, o.timing]), [['exclusiveaddruse', ['win32'], 'before'], ['reuseaddr', ['linux', 'darwin'], 'before']]);
      assert.equal(socketOf(after, bind).role, 'server');
    });
  });

  it('fix-exclusive-constant writes ((int)(~SO_REUSEADDR)) in place of the value only', async () => {
    const text = '#ifndef SO_EXCLUSIVEADDRUSE\n#define SO_EXCLUSIVEADDRUSE 0x0004 /* from an old header */\n#endif\n';
    const fixed = await roundTrip(text, 'compat.h', (facts) => (facts.constants[0] ? { kind: 'fix-exclusive-constant', constant: facts.constants[0] } : null), (after) => assert.equal(after.constants[0]?.value, -5));
    assert.ok(fixed.includes('#define SO_EXCLUSIVEADDRUSE ((int)(~SO_REUSEADDR)) /* from an old header */'));
  });

  it('returns null when the request no longer matches the file', () => {
    const text = server('    bind(fd, (struct sockaddr *)&addr, sizeof addr);\n    listen(fd, 5);');
    const facts = extract(text);
    const request = addOption(facts);
    assert.ok(request);
    assert.equal(cAdapter.fix({ path: 'server.c', text: `\n\n${text}` }, extract(`\n\n${text}`), request), null);
  });
});
