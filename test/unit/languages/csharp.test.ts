// C# adapter: facts (ports, hosts, roles, platforms, .NET's per-platform defaults, timing, constants),
// robustness, and fix round trips (edit, re-extract: problem gone; re-parse: no new errors; idempotent).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { BindFact, FileFacts, SocketFact } from '../../../src/analysis/facts';
import { applyEdits, type FixRequest } from '../../../src/analysis/fixes';
import { csharpAdapter } from '../../../src/languages/csharp/csharpAdapter';
import { syntaxErrorCount } from '../syntaxCheck';

function extract(text: string, path = 'Server.cs'): FileFacts {
  return csharpAdapter.extract({ path, text });
}

/** A class with one method around `body`, and optional members before it. */
function program(body: string, members = ''): string {
  return `using System;\nusing System.Net;\nusing System.Net.Sockets;\nusing System.Runtime.InteropServices;\n\npublic class Server\n{\n${members}    public void Run(int configuredPort)\n    {\n${body}\n    }\n}\n`;
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

const TCP = '        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);\n';
const UNIX_RA = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };

before(async () => {
  await csharpAdapter.prepare();
});

describe('csharp adapter: ports and hosts', () => {
  const cases: [string, string, string, number | null, string | null, boolean][] = [
    ['IPAddress.Any with a literal', '', 's.Bind(new IPEndPoint(IPAddress.Any, 8080));', 8080, '0.0.0.0', true],
    ['IPAddress.Loopback with a const field', '    private const int Port = 9000;\n', 's.Bind(new IPEndPoint(IPAddress.Loopback, Port));', 9000, '127.0.0.1', false],
    ['IPEndPoint.Parse', '', 's.Bind(IPEndPoint.Parse("0.0.0.0:7000"));', 7000, '0.0.0.0', true],
    ['a static readonly address and a local endpoint', '    private static readonly IPAddress Host = IPAddress.Parse("10.0.0.7");\n', 'var ep = new IPEndPoint(Host, 7001);\n        s.Bind(ep);', 7001, '10.0.0.7', false],
    ['an environment variable with a default', '', 'int port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "8088");\n        s.Bind(new IPEndPoint(IPAddress.IPv6Any, port));', 8088, '::', true],
    ['a parameter', '', 's.Bind(new IPEndPoint(IPAddress.Loopback, configuredPort));', null, '127.0.0.1', false],
    ['a port a branch may change', '', 'int port = 80;\n        if (secure) port = 443;\n        s.Bind(new IPEndPoint(IPAddress.Loopback, port));', null, '127.0.0.1', false],
  ];
  for (const [name, members, body, port, host, wildcard] of cases) {
    it(name, () => {
      const bind = onlyBind(extract(program(`${TCP}        ${body}\n        s.Listen();`, members)));
      assert.deepEqual([bind.port, bind.host, bind.explicitWildcard], [port, host, wildcard]);
    });
  }
});

describe('csharp adapter: sockets, roles and .NET defaults', () => {
  it('every TCP Bind gets SO_REUSEADDR from the runtime on Unix only; UDP gets nothing', () => {
    const tcp = extract(program(`${TCP}        s.Bind(new IPEndPoint(IPAddress.Loopback, 1));\n        s.Listen(5);`));
    assert.deepEqual(onlyBind(tcp).implicit, UNIX_RA);
    assert.deepEqual([socketOf(tcp, onlyBind(tcp)).role, socketOf(tcp, onlyBind(tcp)).protocol], ['server', 'tcp']);
    const udp = extract(program('        var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);\n        u.Bind(new IPEndPoint(IPAddress.Loopback, 2));\n        u.ReceiveFrom(buffer, ref remote);'));
    assert.deepEqual(onlyBind(udp).implicit, {});
    assert.deepEqual([socketOf(udp, onlyBind(udp)).role, socketOf(udp, onlyBind(udp)).protocol], ['server', 'udp']);
    const client = extract(program(`${TCP}        s.Bind(new IPEndPoint(IPAddress.Loopback, 3));\n        s.Connect(remote);`));
    assert.equal(socketOf(client, onlyBind(client)).role, 'client');
  });

  it('TcpListener binds in Start() (with the constructor\'s address), TcpListener.Create in dual mode', () => {
    const facts = extract(program('        var l = new TcpListener(IPAddress.Any, 8080);\n        l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        l.Start();\n        var d = TcpListener.Create(8081);\n        d.Start();\n        var idle = new TcpListener(IPAddress.Loopback, 8082);'));
    assert.deepEqual(facts.binds.map((b) => [b.port, b.host, b.explicitWildcard, b.bindsAtCreation, b.implicit]), [
      [8080, '0.0.0.0', true, false, UNIX_RA],
      [8081, null, false, false, UNIX_RA],
    ]);
    const start = facts.binds[0];
    assert.ok(start);
    assert.equal(socketOf(facts, start).role, 'server');
    assert.equal(socketOf(facts, start).api, 'TcpListener');
    assert.deepEqual(facts.options.map((o) => [o.option, o.platforms, o.timing]), [
      ['reuseaddr', ['linux', 'darwin', 'win32'], 'before'],
      ['reuseport', ['linux', 'darwin'], 'before'],
    ]);
  });

  it('new UdpClient(port) binds at once, so options after it are late; new UdpClient() binds with Client.Bind', () => {
    const late = extract(program('        using var u = new UdpClient(5000);\n        u.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        u.JoinMulticastGroup(IPAddress.Parse("239.1.2.3"));'));
    const bind = onlyBind(late);
    assert.deepEqual([bind.port, bind.bindsAtCreation, bind.explicitWildcard, bind.hostKind], [5000, true, false, 'any']);
    assert.equal(socketOf(late, bind).multicast, true);
    assert.deepEqual(late.options.map((o) => o.timing), ['after', 'after']);
    const explicit = extract(program('        var u = new UdpClient();\n        u.ExclusiveAddressUse = false;\n        u.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        u.Client.Bind(new IPEndPoint(IPAddress.Loopback, 5001));\n        u.EnableBroadcast = true;'));
    assert.deepEqual(explicit.options.map((o) => [o.option, o.enabled, o.timing]), [
      ['exclusiveaddruse', false, 'before'], ['reuseaddr', true, 'before'], ['reuseport', true, 'before'],
    ]);
    assert.equal(socketOf(explicit, onlyBind(explicit)).multicast, true);
    const sender = extract(program('        using var u = new UdpClient("example.org", 5002);\n        u.Send(data, data.Length);'));
    assert.equal(sender.binds.length, 0);
  });

  it('keeps fields of different classes apart', () => {
    const text = 'using System.Net;\nusing System.Net.Sockets;\nclass A\n{\n    private Socket _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);\n    void Open()\n    {\n        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 1));\n    }\n}\nclass B\n{\n    private Socket _socket = new Socket(SocketType.Dgram, ProtocolType.Udp);\n    void Open() => _socket.Bind(new IPEndPoint(IPAddress.Loopback, 2));\n}\n';
    const facts = extract(text);
    assert.equal(facts.sockets.length, 2);
    const second = facts.binds.find((b) => b.port === 2);
    assert.ok(second);
    assert.equal(facts.options.filter((o) => o.socketId === second.socketId).length, 0);
    assert.equal(facts.options.length, 2);
  });

  it('ignores Unix domain sockets, and does not judge sockets handed to unknown code or configured options', () => {
    const unix = extract(program('        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);\n        s.Bind(new UnixDomainSocketEndPoint(path));\n        s.Listen();'));
    assert.equal(unix.binds.length, 0);
    const handed = extract(program(`${TCP}        configure(s);\n        s.Bind(new IPEndPoint(IPAddress.Loopback, 4));\n        s.Listen();`));
    assert.equal(socketOf(handed, onlyBind(handed)).role, 'unknown');
    const configured = extract(program(`${TCP}        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, Options.Reuse);\n        s.Bind(new IPEndPoint(IPAddress.Loopback, 5));\n        s.Listen();`));
    assert.equal(configured.options.length, 0);
    assert.equal(socketOf(configured, onlyBind(configured)).role, 'unknown');
  });
});

describe('csharp adapter: platforms', () => {
  function optionPlatforms(body: string, members = ''): string[][] {
    return extract(program(`${TCP}${body}\n        s.Bind(new IPEndPoint(IPAddress.Loopback, 6));\n        s.Listen();`, members)).options.map((o) => [o.option, ...o.platforms]);
  }

  it('reads OperatingSystem.IsWindows(), RuntimeInformation and #if WINDOWS', () => {
    assert.deepEqual(optionPlatforms('        if (!OperatingSystem.IsWindows())\n        {\n            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        }\n        else\n        {\n            s.ExclusiveAddressUse = true;\n        }'),
      [['reuseaddr', 'linux', 'darwin'], ['reuseport', 'linux', 'darwin'], ['exclusiveaddruse', 'win32']]);
    assert.deepEqual(optionPlatforms('        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) s.ExclusiveAddressUse = true;'), [['exclusiveaddruse', 'win32']]);
    assert.deepEqual(optionPlatforms('#if WINDOWS\n        s.ExclusiveAddressUse = true;\n#else\n        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n#endif'),
      [['exclusiveaddruse', 'win32'], ['reuseaddr', 'linux', 'darwin'], ['reuseport', 'linux', 'darwin']]);
  });

  it('reads an early return on Windows and [SupportedOSPlatform]', () => {
    assert.deepEqual(optionPlatforms('        if (OperatingSystem.IsWindows()) return;\n        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);'),
      [['reuseaddr', 'linux', 'darwin'], ['reuseport', 'linux', 'darwin']]);
    const text = program('').replace('    public void Run', '    [System.Runtime.Versioning.SupportedOSPlatform("windows")]\n    public void Run').replace('    {\n\n    }', `    {\n${TCP}        s.ExclusiveAddressUse = true;\n        s.Bind(new IPEndPoint(IPAddress.Loopback, 7));\n    }`);
    const facts = extract(text);
    assert.deepEqual(onlyBind(facts).platforms, ['win32']);
  });
});

describe('csharp adapter: hand-written SO_EXCLUSIVEADDRUSE', () => {
  it('computes the value of constants and enum members', () => {
    const text = 'using System.Net.Sockets;\nstatic class N\n{\n    const int SO_REUSEADDR = 4;\n    const int SO_EXCLUSIVEADDRUSE = 0x0004;\n    const int Fixed_SO_EXCLUSIVEADDRUSE = 1;\n}\nstatic class M { const int SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR; }\nstatic class P { const int SO_EXCLUSIVEADDRUSE = unchecked((int)0xFFFFFFFB); }\nstatic class Q { const int SO_EXCLUSIVEADDRUSE = (int)SocketOptionName.ExclusiveAddressUse; }\nenum O { SO_EXCLUSIVEADDRUSE = 4 }\n';
    const facts = extract(text, 'Native.cs');
    assert.deepEqual(facts.constants.map((c) => [c.name, c.value, text.slice(c.valueSpan.start, c.valueSpan.end)]), [
      ['SO_EXCLUSIVEADDRUSE', 4, '0x0004'],
      ['SO_EXCLUSIVEADDRUSE', -5, '~SO_REUSEADDR'],
      ['SO_EXCLUSIVEADDRUSE', -5, 'unchecked((int)0xFFFFFFFB)'],
      ['SO_EXCLUSIVEADDRUSE', -5, '(int)SocketOptionName.ExclusiveAddressUse'],
      ['SO_EXCLUSIVEADDRUSE', 4, '4'],
    ]);
  });
});

describe('csharp adapter: robustness', () => {
  it('never throws on half-typed, binary-looking or huge input, and skips text without sockets', () => {
    const samples = [
      'class A { void M() { var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp); s.Bind(',
      '#if WINDOWS\nclass {',
      'TcpListener\u0000\u0001Start',
      program(`${TCP}        s.Bind(new IPEndPoint(IPAddress.Any, 1));`).repeat(200),
    ];
    for (const text of samples) assert.doesNotThrow(() => extract(text));
    assert.deepEqual(extract('class A { void M() { Console.WriteLine("hi"); } }'), { sockets: [], options: [], binds: [], constants: [] });
  });
});

// ----- fixes -----

async function roundTrip(text: string, pick: (facts: FileFacts) => FixRequest | null, check: (after: FileFacts, fixed: string) => void): Promise<string> {
  const path = 'Server.cs';
  const facts = extract(text, path);
  const request = pick(facts);
  assert.ok(request, 'no fix request could be built from the facts');
  const fix = csharpAdapter.fix({ path, text }, facts, request);
  assert.ok(fix, `no fix for ${request.kind}`);
  const fixed = applyEdits(text, fix.edits);
  assert.notEqual(fixed, text);
  assert.ok((await syntaxErrorCount(path, fixed)) <= (await syntaxErrorCount(path, text)), `fix broke the syntax:\n${fixed}`);
  const after = extract(fixed, path);
  check(after, fixed);
  const again = csharpAdapter.fix({ path, text: fixed }, after, request);
  assert.ok(again === null || applyEdits(fixed, again.edits) === fixed, `second application changed the text:\n${JSON.stringify(again)}`);
  return fixed;
}

function bindRequest(kind: 'add-option' | 'add-exclusive') {
  return (facts: FileFacts): FixRequest | null => {
    const bind = facts.binds[0];
    const socket = bind && facts.sockets.find((s) => s.id === bind.socketId);
    if (!bind || !socket) return null;
    return kind === 'add-option' ? { kind, option: 'reuseaddr', socket, bind } : { kind, socket, bind };
  };
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

function reuseBeforeOnUnix(after: FileFacts): void {
  const bind = after.binds[0];
  assert.ok(bind);
  const reuse = after.options.find((o) => o.socketId === bind.socketId && o.option === 'reuseaddr');
  assert.ok(reuse, JSON.stringify(after.options));
  assert.deepEqual([reuse.enabled, reuse.timing], [true, 'before']);
  assert.ok(reuse.platforms.includes('linux') && !reuse.platforms.includes('win32'));
}

describe('csharp adapter: fixes', () => {
  const group = '        u.JoinMulticastGroup(IPAddress.Parse("239.0.0.1"));';

  it('add-option rewrites new UdpClient(port) into create, option, Client.Bind', async () => {
    const text = program(`        var u = new UdpClient(configuredPort);\n${group}`);
    const fixed = await roundTrip(text, bindRequest('add-option'), (after) => {
      reuseBeforeOnUnix(after);
      assert.equal(onlyBind(after).bindsAtCreation, false);
    });
    assert.ok(fixed.includes('var u = new UdpClient();'));
    assert.ok(fixed.includes('u.Client.Bind(new IPEndPoint(IPAddress.Any, configuredPort));'));
  });

  it('add-option inserts SetSocketOption before Bind, guarded off Windows, in the file\'s brace style', async () => {
    const text = program(`        var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);\n        u.Bind(new IPEndPoint(IPAddress.Loopback, 5000));\n${group.replace('u.JoinMulticastGroup(', 'u.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(').replace('));', ')));')}`);
    const fixed = await roundTrip(text, bindRequest('add-option'), reuseBeforeOnUnix);
    assert.match(fixed, /if \(!OperatingSystem\.IsWindows\(\)\)\n {8}\{\n {12}u\.SetSocketOption\(SocketOptionLevel\.Socket, SocketOptionName\.ReuseAddress, true\);\n {8}\}\n {8}u\.Bind/);
  });

  it('move-before-bind moves the option (with its guarding if) above Bind, or into a rewritten UdpClient', async () => {
    const socket = program(`${TCP}        s.Bind(new IPEndPoint(IPAddress.Loopback, 5001));\n        if (OperatingSystem.IsWindows())\n        {\n            s.ExclusiveAddressUse = true;\n        }\n        s.Listen();`);
    await roundTrip(socket, optionRequest('move-before-bind', 'exclusiveaddruse'), (after) => {
      assert.deepEqual(after.options.map((o) => [o.option, o.platforms, o.timing]), [['exclusiveaddruse', ['win32'], 'before']]);
    });
    const udp = program(`        using (var u = new UdpClient(5002))\n        {\n            u.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n    ${group}\n        }`);
    const fixed = await roundTrip(udp, optionRequest('move-before-bind'), (after) => {
      assert.ok(after.options.every((o) => o.timing === 'before'));
      assert.equal(onlyBind(after).port, 5002);
    });
    assert.match(fixed, /using \(var u = new UdpClient\(\)\)\n {8}\{\n {12}u\.Client\.SetSocketOption[^\n]*\n {12}u\.Client\.Bind\(new IPEndPoint\(IPAddress\.Any, 5002\)\);\n {12}u\.JoinMulticastGroup/);
  });

  it('guard-not-windows wraps SetSocketOption; remove-option deletes it', async () => {
    const text = program(`${TCP}        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\n        s.Bind(new IPEndPoint(IPAddress.Loopback, 5003));\n        s.Listen();`);
    await roundTrip(text, optionRequest('guard-not-windows'), (after) => {
      assert.ok(after.options.every((o) => !o.platforms.includes('win32')), JSON.stringify(after.options));
      assert.equal(after.options.length, 2);
    });
    await roundTrip(text, optionRequest('remove-option'), (after) => assert.equal(after.options.length, 0));
  });

  it('works on top-level statements, qualifying OperatingSystem when `using System;` is missing', async () => {
    const text = 'using System.Net;\nusing System.Net.Sockets;\n\nvar listener = new TcpListener(IPAddress.Loopback, 5005);\nlistener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);\nlistener.Start();\n';
    const fixed = await roundTrip(text, optionRequest('guard-not-windows'), (after) => assert.ok(after.options.every((o) => !o.platforms.includes('win32'))));
    assert.ok(fixed.includes('if (!System.OperatingSystem.IsWindows())\n{\n    listener.Server.SetSocketOption('), fixed);
  });

  it('add-exclusive sets ExclusiveAddressUse on Windows before TcpListener.Start', async () => {
    const text = program('        var l = new TcpListener(IPAddress.Loopback, 5004);\n        l.Start();');
    const fixed = await roundTrip(text, bindRequest('add-exclusive'), (after) => {
      assert.deepEqual(after.options.map((o) => [o.option, o.platforms, o.timing]), [['exclusiveaddruse', ['win32'], 'before']]);
    });
    assert.ok(fixed.includes('if (OperatingSystem.IsWindows())'));
  });

  it('fix-exclusive-constant replaces the wrong value', async () => {
    const text = 'using System.Net.Sockets;\nstatic class N\n{\n    internal const int SO_EXCLUSIVEADDRUSE = 0x0004;\n}\n';
    const fixed = await roundTrip(text, (facts) => (facts.constants[0] ? { kind: 'fix-exclusive-constant', constant: facts.constants[0] } : null), (after) => assert.equal(after.constants[0]?.value, -5));
    assert.ok(fixed.includes('internal const int SO_EXCLUSIVEADDRUSE = (int)SocketOptionName.ExclusiveAddressUse;'));
  });
});
