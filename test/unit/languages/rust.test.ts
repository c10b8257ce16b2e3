// Rust adapter: facts (addresses, roles, cfg platforms, runtime defaults, timing, constants), the
// annotated fixtures through the engine, and fix round trips.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { BindFact, FileFacts, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { cfgPlatforms } from '../../../src/languages/rust/rustCfg';
import { rustAdapter } from '../../../src/languages/rust/rustAdapter';
import { FIXTURES } from '../fixtureHarness';
import { syntaxErrorCount } from '../syntaxCheck';

function extract(text: string, path = 'src/main.rs'): FileFacts {
  return rustAdapter.extract({ path, text });
}

function inMain(body: string, head = ''): string {
  return `${head}\nfn main() -> std::io::Result<()> {\n${body}\n    Ok(())\n}\n`;
}

function only<T>(list: T[]): T {
  assert.equal(list.length, 1, JSON.stringify(list));
  const [first] = list;
  assert.ok(first !== undefined);
  return first;
}

function bindOf(facts: FileFacts): BindFact {
  return only(facts.binds);
}

function socketOf(facts: FileFacts): SocketFact {
  return only(facts.sockets);
}

before(async () => {
  await rustAdapter.prepare();
});

describe('rust adapter: addresses and ports', () => {
  const cases: [string, string, number | null, string | null, boolean][] = [
    ['TcpListener::bind("0.0.0.0:8080")?', '', 8080, '0.0.0.0', true],
    ['TcpListener::bind("[::]:443")?', '', 443, '::', true],
    ['TcpListener::bind("localhost:3000")?', '', 3000, 'localhost', false],
    ['TcpListener::bind(("0.0.0.0", PORT))?', 'const PORT: u16 = 7000;', 7000, '0.0.0.0', true],
    ['TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 9000)))?', '', 9000, '127.0.0.1', false],
    ['TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 9001))?', '', 9001, '0.0.0.0', true],
    ['TcpListener::bind(format!("0.0.0.0:{}", PORT))?', 'const PORT: u16 = 7001;', 7001, '0.0.0.0', true],
    ['TcpListener::bind(format!("127.0.0.1:{PORT}"))?', 'static PORT: u16 = 7002;', 7002, '127.0.0.1', false],
    ['TcpListener::bind(ADDR)?', 'const ADDR: &str = "10.1.2.3:7003";', 7003, '10.1.2.3', false],
    ['TcpListener::bind(addr)?', 'fn f(addr: &str) {}', null, null, false],
  ];
  for (const [call, head, port, host, wildcard] of cases) {
    it(`${call} → port ${String(port)}, host ${String(host)}`, () => {
      const bind = bindOf(extract(inMain(`    let listener = ${call};`, head)));
      assert.equal(bind.port, port);
      assert.equal(bind.host, host);
      assert.equal(bind.explicitWildcard, wildcard);
    });
  }

  it('follows let bindings, shadowing and env defaults', () => {
    const shadowed = extract(inMain('    let addr = "127.0.0.1:1";\n    let addr = "127.0.0.1:2";\n    let l = TcpListener::bind(addr)?;'));
    assert.equal(bindOf(shadowed).port, 2);
    const env = extract(inMain('    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8088);\n    let l = TcpListener::bind(("127.0.0.1", port))?;'));
    assert.equal(bindOf(env).port, 8088);
    const parsed = extract(inMain('    let addr: SocketAddr = "0.0.0.0:4000".parse().unwrap();\n    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;\n    s.bind(&addr.into())?;'));
    assert.equal(bindOf(parsed).port, 4000);
    assert.equal(bindOf(parsed).explicitWildcard, true);
    const reassigned = extract(inMain('    let mut addr = "127.0.0.1:1";\n    if x { addr = "127.0.0.1:2"; }\n    let l = TcpListener::bind(addr)?;'));
    assert.equal(bindOf(reassigned).port, null);
  });
});

describe('rust adapter: sockets, defaults and roles', () => {
  it('gives TcpListener::bind SO_REUSEADDR on Unix only, and UdpSocket::bind nothing', () => {
    const tcp = bindOf(extract(inMain('    let l = std::net::TcpListener::bind("127.0.0.1:1")?;')));
    assert.deepEqual(tcp.implicit, { linux: ['reuseaddr'], darwin: ['reuseaddr'] });
    assert.equal(tcp.bindsAtCreation, true);
    const udp = bindOf(extract(inMain('    let u = UdpSocket::bind("127.0.0.1:53")?;')));
    assert.deepEqual(udp.implicit, {});
  });

  it('reads roles: listen is a server, connect a client, UDP by its port', () => {
    assert.equal(socketOf(extract(inMain('    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;\n    s.bind(&a.into())?;\n    s.listen(1)?;'))).role, 'server');
    assert.equal(socketOf(extract(inMain('    let s = TcpSocket::new_v4()?;\n    s.bind(a)?;\n    let c = s.connect(b).await?;'))).role, 'client');
    assert.equal(socketOf(extract(inMain('    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;\n    s.bind(&a.into())?;'))).role, 'unknown');
    assert.equal(socketOf(extract(inMain('    let u = UdpSocket::bind("0.0.0.0:0")?;'))).role, 'client');
    assert.equal(socketOf(extract(inMain('    let u = UdpSocket::bind(addr)?;'))).role, 'unknown');
  });

  it('marks multicast and broadcast receivers', () => {
    const joined = socketOf(extract(inMain('    let u = UdpSocket::bind("0.0.0.0:5353")?;\n    u.join_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED)?;')));
    assert.equal(joined.multicast, true);
    assert.equal(joined.role, 'server');
    const broadcast = socketOf(extract(inMain('    let u = UdpSocket::bind("0.0.0.0:9999")?;\n    u.set_broadcast(true)?;')));
    assert.equal(broadcast.multicast, true);
    const group = socketOf(extract(inMain('    let u = UdpSocket::bind("239.1.1.1:9999")?;')));
    assert.equal(group.multicast, true);
  });

  it('times options: before bind, after bind, and after a binding constructor', () => {
    const facts = extract(inMain('    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;\n    s.set_reuse_address(true)?;\n    s.bind(&a.into())?;\n    s.set_reuse_port(true)?;'));
    assert.deepEqual(facts.options.map((o) => [o.option, o.timing]), [['reuseaddr', 'before'], ['reuseport', 'after']]);
    const late = extract(inMain('    let l = TcpListener::bind("127.0.0.1:1")?;\n    socket2::SockRef::from(&l).set_reuse_address(false)?;'));
    assert.deepEqual(late.options.map((o) => [o.option, o.timing, o.enabled]), [['reuseaddr', 'after', false]]);
  });

  it('follows sockets created behind match, map_err and anyhow context', () => {
    const matched = extract(inMain('    let socket = match Socket::new(Domain::IPV4, Type::STREAM, None) {\n        Ok(s) => s,\n        Err(e) => return Err(e),\n    };\n    socket.set_reuse_address(true)?;\n    socket.bind(&addr.into())?;\n    socket.listen(128)?;'));
    assert.equal(socketOf(matched).role, 'server');
    assert.equal(only(matched.options).option, 'reuseaddr');
    const mapped = extract(inMain('    let socket = Socket::new(Domain::IPV4, Type::DGRAM, None).map_err(wrap)?;\n    socket.bind(&"127.0.0.1:9".parse::<SocketAddr>().context("addr")?.into()).context("bind")?;'));
    assert.equal(socketOf(mapped).variable, 'socket');
    assert.equal(bindOf(mapped).port, 9);
  });

  it('reads raw libc and nix setsockopt calls on a socket', () => {
    const raw = extract(inMain('    let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;\n    unsafe { libc::setsockopt(s.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEPORT, &one as *const _ as *const libc::c_void, 4) };\n    s.bind(&a.into())?;'));
    const option = only(raw.options);
    assert.equal(option.option, 'reuseport');
    assert.deepEqual(option.platforms, ['linux', 'darwin']);
    const nix = extract(inMain('    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;\n    setsockopt(&s, sockopt::ReuseAddr, &true)?;\n    s.bind(&a.into())?;'));
    assert.equal(only(nix.options).option, 'reuseaddr');
  });
});

describe('rust adapter: platforms', () => {
  it('evaluates cfg predicates', () => {
    assert.deepEqual(cfgPlatforms('windows'), ['win32']);
    assert.deepEqual(cfgPlatforms('unix'), ['linux', 'darwin']);
    assert.deepEqual(cfgPlatforms('not(windows)'), ['linux', 'darwin']);
    assert.deepEqual(cfgPlatforms('target_os = "linux"'), ['linux']);
    assert.deepEqual(cfgPlatforms('all(unix, not(target_os = "linux"))'), ['darwin']);
    assert.deepEqual(cfgPlatforms('any(target_os = "macos", target_os = "ios")'), ['darwin']);
    assert.deepEqual(cfgPlatforms('feature = "tls"'), ['linux', 'darwin', 'win32']);
    assert.deepEqual(cfgPlatforms('all(feature = "x", windows)'), ['win32']);
  });

  it('narrows by #[cfg] on items and statements, cfg!() branches and early returns', () => {
    const text = [
      '#[cfg(unix)]',
      'mod sys {',
      '    pub fn a() { let l = TcpListener::bind("127.0.0.1:1"); }',
      '}',
      'fn b() -> std::io::Result<()> {',
      '    #[cfg(target_os = "macos")]',
      '    let l = TcpListener::bind("127.0.0.1:2")?;',
      '    if cfg!(not(windows)) { let l = TcpListener::bind("127.0.0.1:3")?; } else { let l = TcpListener::bind("127.0.0.1:4")?; }',
      '    if cfg!(target_os = "linux") {',
      '        return Ok(());',
      '    }',
      '    let l = TcpListener::bind("127.0.0.1:5")?;',
      '    Ok(())',
      '}',
    ].join('\n');
    const byPort = new Map(extract(text).binds.map((b) => [b.port, b.platforms]));
    assert.deepEqual(byPort.get(1), ['linux', 'darwin']);
    assert.deepEqual(byPort.get(2), ['darwin']);
    assert.deepEqual(byPort.get(3), ['linux', 'darwin']);
    assert.deepEqual(byPort.get(4), ['win32']);
    assert.deepEqual(byPort.get(5), ['darwin', 'win32']);
  });

  it('reads platforms from #![cfg] and module paths', () => {
    const body = inMain('    let l = TcpListener::bind("127.0.0.1:1")?;');
    assert.deepEqual(bindOf(extract(body, 'src/sys/windows/net.rs')).platforms, ['win32']);
    assert.deepEqual(bindOf(extract(body, 'src/sys/unix.rs')).platforms, ['linux', 'darwin']);
    assert.deepEqual(bindOf(extract(body, 'src/net_linux.rs')).platforms, ['linux']);
    assert.deepEqual(extract(`#![cfg(target_os = "wasi")]\n${body}`).binds, []);
  });
});

describe('rust adapter: SO_EXCLUSIVEADDRUSE constants', () => {
  const cases: [string, number][] = [
    ['const SO_EXCLUSIVEADDRUSE: i32 = 4;', 4],
    ['const SO_EXCLUSIVEADDRUSE: i32 = !4;', -5],
    ['const SO_EXCLUSIVEADDRUSE: c_int = -5;', -5],
    ['const SO_EXCLUSIVEADDRUSE: i32 = !SO_REUSEADDR;', -5],
    ['const SO_EXCLUSIVEADDRUSE: u32 = !4;', 0xfffffffb],
    ['pub const SO_EXCLUSIVEADDRUSE: i32 = 0xFFFF_FFFBu32 as i32;', 0xfffffffb],
  ];
  for (const [decl, value] of cases) {
    it(`${decl} → ${value}`, () => {
      assert.equal(only(extract(`${decl}\n`).constants).value, value);
    });
  }
});

describe('rust adapter: robustness', () => {
  it('skips files without binds or options, and survives broken input', () => {
    assert.deepEqual(extract('fn main() { println!("hi"); }'), { sockets: [], options: [], binds: [], constants: [] });
    for (const text of ['fn main() { let l = TcpListener::bind(', 'TcpListener::bind(\u0000\u0001', `fn main() {\n${'    let l = TcpListener::bind("0.0.0.0:1");\n'.repeat(20000)}}`]) {
      assert.doesNotThrow(() => extract(text));
    }
  });
});

// ---- fix round trips ----------------------------------------------------------------------------------

function roundTrip(text: string, request: (facts: FileFacts) => FixRequest, path = 'src/main.rs'): { fixed: string; facts: FileFacts } {
  const facts = extract(text, path);
  const req = request(facts);
  const fix = rustAdapter.fix({ path, text }, facts, req);
  assert.ok(fix, 'expected a fix');
  const fixed = applyEdits(text, fix.edits);
  assert.notEqual(fixed, text);
  assert.equal(rustAdapter.fix({ path, text: fixed }, extract(fixed, path), req), null, 'second application must be a no-op');
  return { fixed, facts: extract(fixed, path) };
}

function addOptionRequest(option: 'reuseaddr' | 'reuseport'): (facts: FileFacts) => FixRequest {
  return (facts) => ({ kind: 'add-option', option, socket: socketOf(facts), bind: bindOf(facts) });
}

describe('rust adapter: fixes', () => {
  it('inserts the setter before a socket2 bind with the bind\'s own error handling, guarded off Windows', async () => {
    const text = 'fn serve() {\r\n    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();\r\n    socket.bind(&addr.into()).unwrap();\r\n    socket.listen(128).unwrap();\r\n}\r\n';
    const { fixed, facts } = roundTrip(text, addOptionRequest('reuseaddr'));
    assert.ok(fixed.includes('\r\n    #[cfg(not(windows))]\r\n    socket.set_reuse_address(true).unwrap();\r\n    socket.bind('));
    assert.deepEqual(facts.options.map((o) => [o.option, o.timing, o.platforms.join()]), [['reuseaddr', 'before', 'linux,darwin']]);
    assert.equal(await syntaxErrorCount('x.rs', fixed), 0);
  });

  it('guards a tokio set_reuseport with #[cfg(unix)]', () => {
    const text = inMain('    let socket = TcpSocket::new_v4()?;\n    socket.bind(addr)?;\n    let listener = socket.listen(1024)?;');
    const { fixed } = roundTrip(text, addOptionRequest('reuseport'));
    assert.ok(fixed.includes('    #[cfg(unix)]\n    socket.set_reuseport(true)?;\n    socket.bind(addr)?;'));
  });

  it('rewrites an awaited tokio TcpListener::bind into a TcpSocket builder', async () => {
    const text = 'use tokio::net::TcpListener;\n\nasync fn serve() -> std::io::Result<()> {\n    let listener = TcpListener::bind("0.0.0.0:8080").await?;\n    Ok(())\n}\n';
    const { fixed, facts } = roundTrip(text, addOptionRequest('reuseport'));
    assert.match(fixed, /let listener = \(\|\| -> std::io::Result<tokio::net::TcpListener> \{\n {8}let addr = std::net::ToSocketAddrs::to_socket_addrs\(&"0\.0\.0\.0:8080"\)\?/);
    assert.match(fixed, /\n {8}#\[cfg\(not\(windows\)\)\]\n {8}socket\.set_reuseaddr\(true\)\?;\n {8}#\[cfg\(unix\)\]\n {8}socket\.set_reuseport\(true\)\?;\n {8}socket\.bind\(addr\)\?;\n {8}socket\.listen\(1024\)\n {4}\}\)\(\)\?;/);
    assert.equal(await syntaxErrorCount('x.rs', fixed), 0);
    const bind = bindOf(facts);
    assert.equal(bind.bindsAtCreation, false);
    assert.deepEqual(facts.options.map((o) => o.option), ['reuseaddr', 'reuseport']);
  });

  it('rewrites std UdpSocket::bind through socket2 only when the file uses socket2', async () => {
    const plain = inMain('    let socket = std::net::UdpSocket::bind("0.0.0.0:5353")?;\n    socket.join_multicast_v4(&group, &iface)?;');
    const facts = extract(plain);
    assert.equal(rustAdapter.fix({ path: 'src/main.rs', text: plain }, facts, addOptionRequest('reuseaddr')(facts)), null);
    const { fixed, facts: after } = roundTrip(`use socket2::Socket;\n${plain}`, addOptionRequest('reuseaddr'));
    assert.match(fixed, /socket2::Type::DGRAM, None\)\?;\n {8}socket\.set_reuse_address\(true\)\?;\n {8}socket\.bind\(&addr\.into\(\)\)\?;\n {8}Ok\(socket\.into\(\)\)\n {4}\}\)\(\)\?;/);
    assert.equal(await syntaxErrorCount('x.rs', fixed), 0);
    assert.equal(socketOf(after).multicast, true);
  });

  it('moves a late setter above bind, with its attribute', () => {
    const text = readFileSync(join(FIXTURES, 'rust', 'socket2_builder.rs'), 'utf8');
    const { fixed, facts } = roundTrip(text, (f) => {
      const option = f.options.find((o) => o.timing === 'after');
      assert.ok(option);
      const socket = f.sockets.find((s) => s.id === option.socketId);
      const bind = f.binds.find((b) => b.socketId === option.socketId);
      assert.ok(socket && bind);
      return { kind: 'move-before-bind', option, socket, bind };
    }, 'socket2_builder.rs');
    assert.ok(facts.options.every((o) => o.timing === 'before'));
    assert.ok(fixed.includes('    #[cfg(unix)]\n    socket.set_reuse_address(true)?; // expect: reuse-after-bind\n    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 8083)).into())?;\n    socket.listen(128)?;'));
  });

  it('guards with #[cfg(not(windows))], removes options, and fixes the constant', () => {
    const text = inMain('    let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;\n    s.set_reuse_address(true)?;\n    s.bind(&a.into())?;');
    const guard = roundTrip(text, (f) => ({ kind: 'guard-not-windows', option: only(f.options), socket: socketOf(f) }));
    assert.ok(guard.fixed.includes('    #[cfg(not(windows))]\n    s.set_reuse_address(true)?;'));
    assert.deepEqual(only(guard.facts.options).platforms, ['linux', 'darwin']);
    const removed = roundTrip(text, (f) => ({ kind: 'remove-option', option: only(f.options), socket: socketOf(f) }));
    assert.equal(removed.facts.options.length, 0);
    const constant = roundTrip('const SO_EXCLUSIVEADDRUSE: u32 = 4;\n', (f) => ({ kind: 'fix-exclusive-constant', constant: only(f.constants) }));
    assert.equal(constant.fixed, 'const SO_EXCLUSIVEADDRUSE: u32 = !4;\n');
    assert.equal(only(constant.facts.constants).value, 0xfffffffb);
  });

  it('drops a late SO_REUSEADDR that TcpListener::bind already sets', () => {
    const text = inMain('    let l = TcpListener::bind("127.0.0.1:1")?;\n    SockRef::from(&l).set_reuse_address(true)?;');
    const { facts } = roundTrip(text, (f) => ({ kind: 'move-before-bind', option: only(f.options), socket: socketOf(f), bind: bindOf(f) }));
    assert.equal(facts.options.length, 0);
  });
});
