// Go adapter: facts (ports, hosts, roles, platforms, runtime defaults, timing, constants), the
// annotated fixtures through the engine, and fix round trips.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { BindFact, FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { goAdapter } from '../../../src/languages/go/goAdapter';
import { buildConstraint, goFilePlatforms } from '../../../src/languages/go/goPlatforms';
import { FIXTURES } from '../fixtureHarness';
import { syntaxErrorCount } from '../syntaxCheck';

function extract(text: string, path = 'main.go'): FileFacts {
  return goAdapter.extract({ path, text });
}

function wrap(body: string, imports = '"net"'): string {
  return `package main\n\nimport (\n\t${imports.split('\n').join('\n\t')}\n)\n\nfunc main() {\n${body}\n}\n`;
}

function bindOf(facts: FileFacts, api: string): BindFact {
  const socket = facts.sockets.find((s) => s.api === api);
  assert.ok(socket, `no socket made by ${api}: ${JSON.stringify(facts.sockets)}`);
  const bind = facts.binds.find((b) => b.socketId === socket.id);
  assert.ok(bind);
  return bind;
}

function socketOf(facts: FileFacts, api: string): SocketFact {
  const socket = facts.sockets.find((s) => s.api === api);
  assert.ok(socket, `no socket made by ${api}`);
  return socket;
}

before(async () => {
  await goAdapter.prepare();
});

describe('go adapter: addresses and ports', () => {
  const cases: [string, string, number | null, string | null, boolean][] = [
    ['net.Listen("tcp", ":8080")', '', 8080, '', true],
    ['net.Listen("tcp", "0.0.0.0:8080")', '', 8080, '0.0.0.0', true],
    ['net.Listen("tcp", "[::]:443")', '', 443, '::', true],
    ['net.Listen("tcp", "localhost:3000")', '', 3000, 'localhost', false],
    ['net.Listen("tcp", ":http")', '', 80, '', true],
    ['net.Listen("tcp", "127.0.0.1:"+port)', 'const port = "9000"', 9000, '127.0.0.1', false],
    ['net.Listen("tcp", fmt.Sprintf(":%d", port))', 'const port = 7000', 7000, '', true],
    ['net.Listen("tcp", net.JoinHostPort(host, "8081"))', 'const host = "10.0.0.5"', 8081, '10.0.0.5', false],
    ['net.Listen("tcp", addr)', 'var addr = os.Getenv("ADDR")', null, null, false],
  ];
  for (const [call, decl, port, host, wildcard] of cases) {
    it(`${call} → port ${String(port)}, host ${String(host)}`, () => {
      const text = `package main\n\nimport "net"\n\n${decl}\n\nfunc main() {\n\tln, _ := ${call}\n\t_ = ln\n}\n`;
      const bind = bindOf(extract(text), 'net.Listen');
      assert.equal(bind.port, port);
      assert.equal(bind.host, host);
      assert.equal(bind.explicitWildcard, wildcard);
    });
  }

  it('follows the os.Getenv default idiom and flag defaults', () => {
    const env = extract(wrap('\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "8088"\n\t}\n\tnet.Listen("tcp", ":"+port)'));
    assert.equal(bindOf(env, 'net.Listen').port, 8088);
    const flagged = extract(wrap('\taddr := flag.String("addr", "127.0.0.1:9090", "listen address")\n\tflag.Parse()\n\tnet.Listen("tcp", *addr)'));
    assert.equal(bindOf(flagged, 'net.Listen').port, 9090);
    const flagVar = extract(wrap('\tvar port int\n\tflag.IntVar(&port, "port", 6060, "port")\n\tnet.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))'));
    assert.equal(bindOf(flagVar, 'net.Listen').port, 6060);
    const helper = extract(wrap('\tnet.Listen("tcp", ":"+getEnv("PORT", "5050"))'));
    assert.equal(bindOf(helper, 'net.Listen').port, 5050);
  });

  it('does not guess a port a conditional assignment may change', () => {
    const facts = extract(wrap('\taddr := ":8080"\n\tif tls {\n\t\taddr = ":8443"\n\t}\n\tnet.Listen("tcp", addr)'));
    assert.equal(bindOf(facts, 'net.Listen').port, null);
    // http.Server's own `if addr == "" { addr = ":http" }` is not an env default.
    const server = extract(wrap('\taddr := srv.Addr\n\tif addr == "" {\n\t\taddr = ":http"\n\t}\n\tnet.Listen("tcp", addr)'));
    assert.equal(bindOf(server, 'net.Listen').port, null);
  });

  it('reads struct addresses and http.Server defaults', () => {
    const tcp = extract(wrap('\tnet.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000})'));
    assert.deepEqual([bindOf(tcp, 'net.ListenTCP').port, bindOf(tcp, 'net.ListenTCP').host], [4000, '127.0.0.1']);
    const resolved = extract(wrap('\tladdr, _ := net.ResolveUDPAddr("udp", "0.0.0.0:5000")\n\tnet.ListenUDP("udp", laddr)'));
    assert.equal(bindOf(resolved, 'net.ListenUDP').port, 5000);
    assert.equal(bindOf(resolved, 'net.ListenUDP').explicitWildcard, true);
    const noAddr = extract(wrap('\tsrv := &http.Server{Handler: nil}\n\tsrv.ListenAndServeTLS("c", "k")'));
    const bind = bindOf(noAddr, 'http.Server.ListenAndServeTLS');
    assert.equal(bind.port, 443);
    assert.equal(bind.explicitWildcard, false);
    const assigned = extract(wrap('\tvar srv http.Server\n\tsrv.Addr = "127.0.0.1:8181"\n\tsrv.ListenAndServe()'));
    assert.equal(bindOf(assigned, 'http.Server.ListenAndServe').port, 8181);
  });
});

describe('go adapter: sockets, defaults and roles', () => {
  it('gives stream listeners SO_REUSEADDR on Unix only', () => {
    const bind = bindOf(extract(wrap('\tnet.Listen("tcp", ":1")')), 'net.Listen');
    assert.deepEqual(bind.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
    assert.equal(bind.bindsAtCreation, true);
  });

  it('gives multicast-address packet listeners the multicast defaults, Windows included', () => {
    const facts = extract(wrap('\tnet.ListenPacket("udp4", "239.1.2.3:9999")'));
    const bind = bindOf(facts, 'net.ListenPacket');
    assert.deepEqual(bind.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr', 'reuseport'], win32: ['reuseaddr'] });
    assert.equal(socketOf(facts, 'net.ListenPacket').multicast, true);
    assert.equal(socketOf(facts, 'net.ListenPacket').role, 'server');
  });

  it('sets roles: UDP on port 0 is a client, unknown UDP ports stay unknown, unix sockets are skipped', () => {
    assert.equal(socketOf(extract(wrap('\tnet.ListenPacket("udp", ":0")')), 'net.ListenPacket').role, 'client');
    assert.equal(socketOf(extract(wrap('\tnet.ListenPacket("udp", addr)')), 'net.ListenPacket').role, 'unknown');
    assert.equal(socketOf(extract(wrap('\tnet.ListenPacket("udp", ":53")')), 'net.ListenPacket').role, 'server');
    assert.equal(extract(wrap('\tnet.Listen("unix", "/tmp/s")')).sockets.length, 0);
    const raw = extract(wrap('\tfd, _ := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)\n\tsyscall.Bind(fd, &syscall.SockaddrInet4{Port: 7})\n\tsyscall.Connect(fd, sa)'));
    assert.equal(socketOf(raw, 'syscall.Socket').role, 'client');
  });

  it('marks sockets that join a group through x/net/ipv4 as multicast receivers', () => {
    const facts = extract(wrap('\tc, _ := net.ListenPacket("udp4", ":1900")\n\tp := ipv4.NewPacketConn(c)\n\tp.JoinGroup(ifi, group)'));
    const socket = socketOf(facts, 'net.ListenPacket');
    assert.equal(socket.multicast, true);
    assert.equal(socket.variable, 'c');
  });

  it('does not give the error of ListenAndServe a socket variable', () => {
    const facts = extract(wrap('\terr := http.ListenAndServe(":80", nil)\n\t_ = err'));
    assert.equal(socketOf(facts, 'http.ListenAndServe').variable, undefined);
  });

  it('treats third-party reuseport listeners as RA+RP on Unix and RA on Windows', () => {
    const bind = bindOf(extract(wrap('\treuseport.Listen("tcp", ":80")')), 'reuseport.Listen');
    assert.deepEqual(bind.implicit.win32, ['reuseaddr']);
    assert.deepEqual(bind.implicit.linux, ['reuseaddr', 'reuseport']);
  });
});

describe('go adapter: options, timing and platforms', () => {
  function options(text: string, path = 'main.go'): OptionFact[] {
    return extract(text, path).options;
  }

  it('reads options from a named Control function and the helpers it calls', () => {
    const text = readFileSync(join(FIXTURES, 'go', 'guards.go'), 'utf8');
    const facts = extract(text, 'guards.go');
    assert.equal(facts.options.length, 1);
    const [viaHelper] = facts.options;
    assert.ok(viaHelper);
    // 0xf is not a named option: only the SO_REUSEADDR one of the second config counts.
    assert.equal(viaHelper.option, 'reuseaddr');
    assert.deepEqual(viaHelper.platforms, ['linux', 'darwin']);
    assert.equal(viaHelper.timing, 'before');
  });

  it('narrows by switch on runtime.GOOS and early returns', () => {
    const text = wrap([
      '\tlc := net.ListenConfig{Control: func(n, a string, c syscall.RawConn) error {',
      '\t\tif runtime.GOOS == "windows" {',
      '\t\t\treturn nil',
      '\t\t}',
      '\t\treturn c.Control(func(fd uintptr) {',
      '\t\t\tswitch runtime.GOOS {',
      '\t\t\tcase "linux":',
      '\t\t\t\tsyscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, 15, 1)',
      '\t\t\tdefault:',
      '\t\t\t\tsyscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 0)',
      '\t\t\t}',
      '\t\t})',
      '\t}}',
      '\tlc.Listen(ctx, "tcp", ":1")',
    ].join('\n'));
    const [option] = options(text);
    assert.ok(option);
    assert.equal(option.enabled, false);
    assert.deepEqual(option.platforms, ['darwin']);
  });

  it('reads windows.SetsockoptInt as Windows-only and unix.SO_REUSEPORT as Unix-only', () => {
    const text = wrap([
      '\tlc := net.ListenConfig{Control: func(n, a string, c syscall.RawConn) error {',
      '\t\treturn c.Control(func(fd uintptr) {',
      '\t\t\twindows.SetsockoptInt(windows.Handle(fd), windows.SOL_SOCKET, windows.SO_REUSEADDR, 1)',
      '\t\t\tsyscall.SetsockoptInt(fd, syscall.SOL_SOCKET, unix.SO_REUSEPORT, 1)',
      '\t\t})',
      '\t}}',
      '\tlc.Listen(ctx, "tcp", ":1")',
    ].join('\n'));
    const [ra, rp] = options(text);
    assert.deepEqual(ra?.platforms, ['win32']);
    assert.deepEqual(rp?.platforms, ['linux', 'darwin']);
  });

  it('times options set through SyscallConn or File after Listen as "after"', () => {
    const viaFile = wrap('\tln, _ := net.Listen("tcp", ":1")\n\tf, _ := ln.(*net.TCPListener).File()\n\tsyscall.SetsockoptInt(int(f.Fd()), syscall.SOL_SOCKET, syscall.SO_REUSEPORT, 1)');
    const [option] = options(viaFile);
    assert.equal(option?.timing, 'after');
    assert.equal(option?.option, 'reuseport');
  });

  it('times raw syscall options by their place relative to Bind', () => {
    const text = wrap('\tfd, _ := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)\n\tsyscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)\n\tsyscall.Bind(fd, sa)\n\tsyscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_BROADCAST, 1)');
    const facts = extract(text);
    assert.deepEqual(facts.options.map((o) => o.timing), ['before']);
    assert.equal(socketOf(facts, 'syscall.Socket').multicast, true);
  });

  it('reads platforms from build constraints and file names', () => {
    assert.deepEqual(goFilePlatforms('x_windows.go', 'package x'), ['win32']);
    assert.deepEqual(goFilePlatforms('x_linux_amd64.go', 'package x'), ['linux']);
    assert.deepEqual(goFilePlatforms('x_unix.go', 'package x'), ['linux', 'darwin']);
    assert.deepEqual(goFilePlatforms('x_freebsd.go', 'package x'), ['darwin']);
    assert.deepEqual(goFilePlatforms('x_plan9.go', 'package x'), []);
    assert.deepEqual(goFilePlatforms('x.go', '//go:build !windows\n\npackage x'), ['linux', 'darwin']);
    assert.deepEqual(goFilePlatforms('x.go', '//go:build linux && cgo\n\npackage x'), ['linux']);
    assert.deepEqual(goFilePlatforms('x.go', '// +build darwin freebsd\n// +build !ios\n\npackage x'), ['darwin']);
    assert.deepEqual(goFilePlatforms('x.go', '//go:build (js && wasm) || wasip1\n\npackage x'), []);
    assert.equal(buildConstraint('package x\n//go:build windows\n'), null);
  });
});

describe('go adapter: SO_EXCLUSIVEADDRUSE constants', () => {
  const cases: [string, number][] = [
    ['const SO_EXCLUSIVEADDRUSE = 0x4', 4],
    ['const SO_EXCLUSIVEADDRUSE = ^0x4', -5],
    ['const SO_EXCLUSIVEADDRUSE = -5', -5],
    ['const SO_EXCLUSIVEADDRUSE = ^syscall.SO_REUSEADDR', -5],
    ['const SO_EXCLUSIVEADDRUSE uint32 = 0xfffffffb', 0xfffffffb],
    ['const SO_EXCLUSIVEADDRUSE = ^uint32(4)', 0xfffffffb],
    ['var soExclusiveAddrUse = 0x0004', 4],
  ];
  for (const [decl, value] of cases) {
    it(`${decl} → ${value}`, () => {
      const facts = extract(`package main\n\n${decl}\n`);
      assert.equal(facts.constants.length, 1);
      assert.equal(facts.constants[0]?.value, value);
    });
  }
});

describe('go adapter: robustness', () => {
  it('skips text that cannot hold a listener without parsing', () => {
    assert.deepEqual(extract('package main\n\nfunc main() { println("hi") }\n'), { sockets: [], options: [], binds: [], constants: [] });
  });

  it('survives half-typed code, binary-looking and huge text', () => {
    for (const text of ['package main\nfunc main() { ln, err := net.Listen("tcp", ', 'net.Listen(\u0000\u0001\u0002', `package main\n${'x := net.Listen("tcp", ":1")\n'.repeat(20000)}`]) {
      assert.doesNotThrow(() => extract(text));
    }
    const partial = extract('package main\nfunc main() {\n\tln, _ := net.Listen("tcp", ":9")\n\tsrv := &http.Server{Addr: \n');
    assert.ok(partial.binds.some((b) => b.port === 9));
  });
});

// ---- fix round trips ----------------------------------------------------------------------------------

function roundTrip(path: string, text: string, request: (facts: FileFacts) => FixRequest): { fixed: string; facts: FileFacts } {
  const facts = extract(text, path);
  const req = request(facts);
  const fix = goAdapter.fix({ path, text }, facts, req);
  assert.ok(fix, 'expected a fix');
  const fixed = applyEdits(text, fix.edits);
  assert.notEqual(fixed, text);
  assert.equal(goAdapter.fix({ path, text: fixed }, extract(fixed, path), req), null, 'second application must be a no-op');
  return { fixed, facts: extract(fixed, path) };
}

describe('go adapter: fixes', () => {
  it('rewrites net.ListenPacket into a ListenConfig with a Control that sets SO_REUSEADDR (Unix-only file)', async () => {
    const text = 'package main\n\nimport (\n\t"net"\n)\n\nfunc main() {\n\tc, _ := net.ListenPacket("udp4", ":1900")\n\t_ = c\n}\n';
    const { fixed, facts } = roundTrip('mcast_linux.go', text, (f) => {
      const socket = f.sockets[0];
      const bind = f.binds[0];
      assert.ok(socket && bind);
      return { kind: 'add-option', option: 'reuseaddr', socket, bind };
    });
    assert.match(fixed, /\(&net\.ListenConfig\{Control: func\(_, _ string, c syscall\.RawConn\) error \{/);
    assert.match(fixed, /\t\t\topErr = syscall\.SetsockoptInt\(int\(fd\), syscall\.SOL_SOCKET, syscall\.SO_REUSEADDR, 1\)/);
    assert.match(fixed, /\}\}\)\.ListenPacket\(context\.Background\(\), "udp4", ":1900"\)/);
    assert.match(fixed, /import \(\n\t"context"\n\t"net"\n\t"syscall"\n\)/);
    assert.equal(await syntaxErrorCount('x.go', fixed), 0);
    const option = facts.options[0];
    assert.equal(option?.option, 'reuseaddr');
    assert.equal(option?.timing, 'before');
  });

  it('returns null where the rewrite would not compile on Windows', () => {
    const text = wrap('\tc, _ := net.ListenPacket("udp4", ":1900")\n\t_ = c');
    const facts = extract(text);
    const socket = facts.sockets[0];
    const bind = facts.binds[0];
    assert.ok(socket && bind);
    assert.equal(goAdapter.fix({ path: 'main.go', text }, facts, { kind: 'add-option', option: 'reuseaddr', socket, bind }), null);
    // SO_REUSEPORT needs golang.org/x/sys/unix, which the fix does not add.
    assert.equal(goAdapter.fix({ path: 'main_linux.go', text }, facts, { kind: 'add-option', option: 'reuseport', socket, bind }), null);
  });

  it('adds SO_REUSEPORT next to an existing SetsockoptInt in the Control callback', async () => {
    const text = [
      'package main', '', 'import (', '\t"context"', '\t"net"', '\t"syscall"', '', '\t"golang.org/x/sys/unix"', ')', '',
      'func main() {',
      '\tlc := net.ListenConfig{Control: func(n, a string, c syscall.RawConn) error {',
      '\t\tvar opErr error',
      '\t\tc.Control(func(fd uintptr) {',
      '\t\t\topErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)',
      '\t\t})',
      '\t\treturn opErr',
      '\t}}',
      '\tln, _ := lc.Listen(context.Background(), "tcp", ":8080")',
      '\t_ = ln',
      '}', '',
    ].join('\r\n');
    const { fixed, facts } = roundTrip('main.go', text, (f) => {
      const socket = f.sockets[0];
      const bind = f.binds[0];
      assert.ok(socket && bind);
      return { kind: 'add-option', option: 'reuseport', socket, bind };
    });
    assert.ok(fixed.includes('unix.SO_REUSEADDR, 1)\r\n\t\t\topErr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEPORT, 1)\r\n'));
    assert.deepEqual(facts.options.map((o) => o.option), ['reuseaddr', 'reuseport']);
    assert.equal(await syntaxErrorCount('x.go', fixed), 0);
  });

  it('replaces a wrong SO_EXCLUSIVEADDRUSE with a value its type can hold', () => {
    for (const [decl, expected] of [
      ['const SO_EXCLUSIVEADDRUSE = 0x4', 'const SO_EXCLUSIVEADDRUSE = ^0x4'],
      ['const SO_EXCLUSIVEADDRUSE uint32 = 4', 'const SO_EXCLUSIVEADDRUSE uint32 = ^uint32(0x4)'],
      ['const SO_EXCLUSIVEADDRUSE = int32(4)', 'const SO_EXCLUSIVEADDRUSE = int32(^0x4)'],
    ] as const) {
      const text = `package main\n\n${decl}\n`;
      const { fixed, facts } = roundTrip('x_windows.go', text, (f) => {
        const constant = f.constants[0];
        assert.ok(constant);
        return { kind: 'fix-exclusive-constant', constant };
      });
      assert.equal(fixed, `package main\n\n${expected}\n`);
      assert.ok([-5, 0xfffffffb].includes(facts.constants[0]?.value ?? 0));
    }
  });

  it('guards an explicit SO_REUSEADDR with runtime.GOOS and adds the import', async () => {
    const text = [
      'package main', '', 'import (', '\t"context"', '\t"net"', '\t"syscall"', ')', '',
      'func main() {',
      '\tlc := net.ListenConfig{Control: func(n, a string, c syscall.RawConn) error {',
      '\t\treturn c.Control(func(fd uintptr) {',
      '\t\t\tsetReuse(fd)',
      '\t\t})',
      '\t}}',
      '\tlc.Listen(context.Background(), "tcp", "127.0.0.1:8080")',
      '}', '',
      'func setReuse(fd uintptr) {',
      '\t_ = syscall.SetsockoptInt(syscall.Handle(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)',
      '}', '',
    ].join('\n');
    const { fixed, facts } = roundTrip('main.go', text, (f) => {
      const option = f.options[0];
      const socket = f.sockets[0];
      assert.ok(option && socket);
      assert.deepEqual(option.platforms, ['win32']);
      return { kind: 'guard-not-windows', option, socket };
    });
    assert.match(fixed, /\tif runtime\.GOOS != "windows" \{\n\t\t_ = syscall\.SetsockoptInt/);
    assert.match(fixed, /\t"net"\n\t"runtime"\n\t"syscall"/);
    assert.deepEqual(facts.options[0]?.platforms, []);
    assert.equal(await syntaxErrorCount('x.go', fixed), 0);
  });

  it('removes an option and the import it leaves unused', () => {
    const text = [
      'package main', '', 'import (', '\t"context"', '\t"net"', '\t"syscall"', '', '\t"golang.org/x/sys/unix"', ')', '',
      'func main() {',
      '\tlc := net.ListenConfig{Control: func(n, a string, c syscall.RawConn) error {',
      '\t\treturn c.Control(func(fd uintptr) {',
      '\t\t\t_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)',
      '\t\t})',
      '\t}}',
      '\tlc.ListenPacket(context.Background(), "udp", "127.0.0.1:6000")',
      '}', '',
    ].join('\n');
    const { fixed, facts } = roundTrip('main.go', text, (f) => {
      const option = f.options[0];
      const socket = f.sockets[0];
      assert.ok(option && socket);
      return { kind: 'remove-option', option, socket };
    });
    assert.equal(facts.options.length, 0);
    assert.ok(!fixed.includes('golang.org/x/sys/unix'));
    assert.ok(fixed.includes('\t\treturn c.Control(func(fd uintptr) {\n\t\t})'));
  });

  it('moves a raw SetsockoptInt above Bind, keeping its error handling', async () => {
    const text = readFileSync(join(FIXTURES, 'go', 'raw_syscall_linux.go'), 'utf8');
    const { fixed, facts } = roundTrip('raw_syscall_linux.go', text, (f) => {
      const option = f.options.find((o) => o.timing === 'after');
      assert.ok(option);
      const socket = f.sockets.find((s) => s.id === option.socketId);
      const bind = f.binds.find((b) => b.socketId === option.socketId);
      assert.ok(socket && bind);
      return { kind: 'move-before-bind', option, socket, bind };
    });
    assert.ok(facts.options.every((o) => o.timing === 'before'));
    assert.match(fixed, /\tif err := syscall\.SetsockoptInt\(fd, syscall\.SOL_SOCKET, syscall\.SO_REUSEADDR, 1\); err != nil \{[^\n]*\n\t\treturn -1, err\n\t\}\n\tif err := syscall\.Bind\(fd, &syscall\.SockaddrInet4\{Port: 7001/);
    assert.equal(await syntaxErrorCount('x.go', fixed), 0);
  });
});
