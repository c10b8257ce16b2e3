// Rules on hand-made facts: each OS rule from the semantics reference, independent of any language.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/analysis/config';
import { checkFiles } from '../../../src/analysis/engine';
import { WorkspaceIndex } from '../../../src/analysis/workspaceIndex';
import { bind, file, option, socket } from './factBuilders';

const rules = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId).sort();

describe('reuse-missing', () => {
  it('flags a TCP server without reuse on Linux and macOS, not Windows', () => {
    const [finding, ...rest] = checkFiles([file('a.py', { sockets: [socket('s')], binds: [bind('s')] })], DEFAULT_CONFIG);
    assert.equal(rest.length, 0);
    assert.equal(finding?.ruleId, 'reuse-missing');
    assert.deepEqual(finding?.platforms, ['linux', 'darwin']);
    assert.match(finding?.message ?? '', /EADDRINUSE/);
    assert.equal(finding?.fix?.kind, 'add-option');
  });

  it('does not flag runtimes that set SO_REUSEADDR themselves on Unix', () => {
    const f = file('a.go', { sockets: [socket('s')], binds: [bind('s', { implicit: { linux: ['reuseaddr'], darwin: ['reuseaddr'] } })] });
    assert.deepEqual(checkFiles([f], DEFAULT_CONFIG), []);
  });

  it('ignores client sockets, unknown roles and ephemeral ports', () => {
    const f = file('a.c', {
      sockets: [socket('c', { role: 'client' }), socket('u', { role: 'unknown' }), socket('e')],
      binds: [bind('c'), bind('u'), bind('e', { port: 0 })],
    });
    assert.deepEqual(checkFiles([f], DEFAULT_CONFIG), []);
  });

  it('flags a multicast receiver without reuse on Linux and macOS', () => {
    const f = file('m.c', { sockets: [socket('m', { protocol: 'udp', multicast: true })], binds: [bind('m', { port: 5353 })] });
    const [finding] = checkFiles([f], DEFAULT_CONFIG);
    assert.equal(finding?.ruleId, 'reuse-missing');
    assert.match(finding?.message ?? '', /second receiver/);
    assert.deepEqual(finding?.platforms, ['linux', 'darwin']);
  });

  it('a guarded option counts only where it runs', () => {
    const f = file('a.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr', platforms: ['linux'] })], binds: [bind('s')] });
    const [finding] = checkFiles([f], DEFAULT_CONFIG);
    assert.deepEqual(finding?.platforms, ['darwin']);
  });
});

describe('reuse-after-bind', () => {
  it('reports the late option, not reuse-missing, and offers to move it', () => {
    const f = file('a.py', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr', timing: 'after', span: { start: 50, end: 60 } })], binds: [bind('s')] });
    const findings = checkFiles([f], DEFAULT_CONFIG);
    assert.deepEqual(rules(findings), ['reuse-after-bind']);
    assert.equal(findings[0]?.fix?.kind, 'move-before-bind');
    assert.equal(findings[0]?.related.length, 1);
  });
});

describe('reuse-after-bind where the runtime already set the option', () => {
  it('says the late line does nothing instead of predicting a failed restart', () => {
    const implicit = { linux: ['reuseaddr' as const], darwin: ['reuseaddr' as const], win32: ['exclusiveaddruse' as const] };
    const f = file('T.java', {
      sockets: [socket('s', { api: 'new ServerSocket' })],
      options: [option('s', { option: 'reuseaddr', timing: 'after', span: { start: 50, end: 60 } })],
      binds: [bind('s', { implicit, bindsAtCreation: true })],
    });
    const [finding] = checkFiles([f], DEFAULT_CONFIG);
    assert.equal(finding?.ruleId, 'reuse-after-bind');
    assert.match(finding?.message ?? '', /this line does nothing\. new ServerSocket already sets it at bind on Linux and macOS/);
    assert.doesNotMatch(finding?.message ?? '', /EADDRINUSE/);
  });

  it('ignores a late SO_REUSEADDR on Windows, where leaving it off is the safe default', () => {
    const f = file('w.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr', timing: 'after', platforms: ['win32'], span: { start: 50, end: 60 } })], binds: [bind('s', { platforms: ['win32'] })] });
    assert.deepEqual(rules(checkFiles([f], DEFAULT_CONFIG)), []);
  });
});

describe('windows-hijack', () => {
  it('flags an unguarded explicit SO_REUSEADDR on a TCP server and offers a Windows guard', () => {
    const f = file('a.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr' })], binds: [bind('s')] });
    const [finding, ...rest] = checkFiles([f], DEFAULT_CONFIG);
    assert.equal(rest.length, 0);
    assert.equal(finding?.ruleId, 'windows-hijack');
    assert.equal(finding?.fix?.kind, 'guard-not-windows');
  });

  it('is silent when the option is guarded off Windows or SO_EXCLUSIVEADDRUSE is set', () => {
    const guarded = file('a.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr', platforms: ['linux', 'darwin'] })], binds: [bind('s')] });
    const exclusive = file('b.c', {
      sockets: [socket('s')],
      options: [option('s', { option: 'reuseaddr', platforms: ['linux', 'darwin'] }), option('s', { option: 'exclusiveaddruse', platforms: ['win32'], span: { start: 21, end: 25 } })],
      binds: [bind('s', { implicit: { win32: ['reuseaddr'] } })],
    });
    assert.deepEqual(checkFiles([guarded], DEFAULT_CONFIG), []);
    assert.deepEqual(checkFiles([exclusive], DEFAULT_CONFIG), []);
  });

  it('flags a runtime that sets SO_REUSEADDR on Windows, at the bind, with an exclusive fix', () => {
    const all = { linux: ['reuseaddr' as const], darwin: ['reuseaddr' as const], win32: ['reuseaddr' as const] };
    const f = file('srv.py', { sockets: [socket('h', { api: 'http.server.HTTPServer' })], binds: [bind('h', { implicit: all, bindsAtCreation: true })] });
    const [finding] = checkFiles([f], DEFAULT_CONFIG);
    assert.equal(finding?.ruleId, 'windows-hijack');
    assert.match(finding?.message ?? '', /http\.server\.HTTPServer sets SO_REUSEADDR on Windows/);
    assert.equal(finding?.fix?.kind, 'add-exclusive');
  });

  it('leaves port-0 (ephemeral) test servers alone', () => {
    const all = { linux: ['reuseaddr' as const], darwin: ['reuseaddr' as const], win32: ['reuseaddr' as const] };
    const f = file('t.py', {
      sockets: [socket('h'), socket('u', { protocol: 'udp' })],
      options: [option('u', { option: 'reuseaddr' }), option('u', { option: 'reuseport', span: { start: 22, end: 28 } })],
      binds: [bind('h', { implicit: all, bindsAtCreation: true, port: 0 }), bind('u', { port: 0, span: { start: 50, end: 60 } })],
    });
    assert.deepEqual(checkFiles([f], DEFAULT_CONFIG), []);
  });

  it('is not reported when Windows is not a target', () => {
    const f = file('a.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseaddr' })], binds: [bind('s')] });
    assert.deepEqual(checkFiles([f], { ...DEFAULT_CONFIG, platforms: ['linux'] }), []);
  });
});

describe('udp-reuse-steal', () => {
  it('flags SO_REUSEADDR on a bound unicast UDP socket but not on a multicast receiver', () => {
    const unicast = file('u.py', { sockets: [socket('u', { protocol: 'udp' })], options: [option('u', { option: 'reuseaddr' })], binds: [bind('u', { port: 9000 })] });
    const group = file('g.py', { sockets: [socket('g', { protocol: 'udp', multicast: true })], options: [option('g', { option: 'reuseaddr', platforms: ['linux', 'darwin'] })], binds: [bind('g', { port: 5353 })] });
    assert.deepEqual(rules(checkFiles([unicast], DEFAULT_CONFIG)), ['udp-reuse-steal']);
    assert.deepEqual(rules(checkFiles([group], DEFAULT_CONFIG)), []);
  });

  it('treats SO_REUSEPORT on Linux as intended load balancing', () => {
    const f = file('u.c', { sockets: [socket('u', { protocol: 'udp' })], options: [option('u', { option: 'reuseport', platforms: ['linux'] })], binds: [bind('u', { port: 9000 })] });
    assert.deepEqual(checkFiles([f], DEFAULT_CONFIG), []);
  });
});

describe('option constants and conflicts', () => {
  it('flags SO_EXCLUSIVEADDRUSE = 4 and accepts -5', () => {
    const f = file('x.go', {
      constants: [
        { name: 'SO_EXCLUSIVEADDRUSE', value: 4, span: { start: 0, end: 5 }, valueSpan: { start: 3, end: 5 } },
        { name: 'windows.SO_EXCLUSIVEADDRUSE', value: -5, span: { start: 10, end: 15 }, valueSpan: { start: 13, end: 15 } },
      ],
    });
    const findings = checkFiles([f], DEFAULT_CONFIG);
    assert.deepEqual(rules(findings), ['exclusive-wrong-constant']);
    assert.match(findings[0]?.message ?? '', /SO_REUSEADDR itself/);
  });

  it('flags SO_REUSEADDR together with SO_EXCLUSIVEADDRUSE at the later one', () => {
    const f = file('c.c', {
      sockets: [socket('s')],
      options: [option('s', { option: 'reuseaddr', span: { start: 5, end: 9 } }), option('s', { option: 'exclusiveaddruse', span: { start: 12, end: 18 } })],
      binds: [bind('s')],
    });
    const conflict = checkFiles([f], DEFAULT_CONFIG).find((x) => x.ruleId === 'reuse-exclusive-conflict');
    assert.equal(conflict?.span.start, 12);
    assert.equal(conflict?.fix?.kind, 'guard-not-windows');
  });
});

describe('hints', () => {
  it('explains SO_REUSEPORT when macOS or Windows are targets, not for Linux-only code', () => {
    const f = file('r.c', { sockets: [socket('s')], options: [option('s', { option: 'reuseport' })], binds: [bind('s')] });
    assert.ok(rules(checkFiles([f], DEFAULT_CONFIG)).includes('reuseport-semantics'));
    assert.ok(!rules(checkFiles([f], { ...DEFAULT_CONFIG, platforms: ['linux'] })).includes('reuseport-semantics'));
  });

  it('does not explain SO_REUSEPORT on macOS for a multicast receiver, where it is how receivers share', () => {
    const f = file('m.js', { sockets: [socket('m', { protocol: 'udp', multicast: true })], options: [option('m', { option: 'reuseport', platforms: ['darwin'] })], binds: [bind('m', { port: 5353 })] });
    assert.ok(!rules(checkFiles([f], DEFAULT_CONFIG)).includes('reuseport-semantics'));
  });

  it('stays quiet for multicast receivers on every OS unless the API throws there', () => {
    const receiver = (over: Parameters<typeof option>[1]) => file('m.py', {
      sockets: [socket('m', { protocol: 'udp', multicast: true, role: 'unknown' })],
      options: [option('m', { option: 'reuseaddr' }), option('m', over)],
      binds: [bind('m', { port: 5353 })],
    });
    const semantics = (f: ReturnType<typeof receiver>) => checkFiles([f], DEFAULT_CONFIG).filter((x) => x.ruleId === 'reuseport-semantics');
    assert.deepEqual(semantics(receiver({ option: 'reuseport', span: { start: 22, end: 28 } })), []);
    const throwing = semantics(receiver({ option: 'reuseport', span: { start: 22, end: 28 }, unsupportedOn: ['win32'] }));
    assert.deepEqual(throwing.map((x) => x.platforms), [['win32']]);
    assert.match(throwing[0]?.message ?? '', /on Windows it does not exist and this API throws/);
    assert.doesNotMatch(throwing[0]?.message ?? '', /last socket to bind/);
  });

  it('does not claim "last binder takes the port" on macOS when the protocol is unknown (it may be a group receiver)', () => {
    const unknown = file('u.py', { sockets: [socket('u', { protocol: 'unknown', role: 'unknown' })], options: [option('u', { option: 'reuseport', platforms: ['linux', 'darwin'] })] });
    assert.deepEqual(rules(checkFiles([unknown], DEFAULT_CONFIG)), []);
    const wildcard = file('w.py', { ...unknown.facts, binds: [bind('u', { host: '0.0.0.0', hostKind: 'any', port: 5353 })] });
    assert.deepEqual(rules(checkFiles([wildcard], DEFAULT_CONFIG)), []);
    // Bound to a unicast address it cannot receive a group's datagrams: the macOS caveat holds.
    const unicast = file('l.py', { ...unknown.facts, binds: [bind('u', { host: '127.0.0.1', hostKind: 'loopback' })] });
    assert.deepEqual(rules(checkFiles([unicast], DEFAULT_CONFIG)), ['reuseport-semantics']);
    const tcp = file('t.py', { sockets: [socket('t')], options: [option('t', { option: 'reuseport', platforms: ['linux', 'darwin'] })], binds: [bind('t')] });
    const finding = checkFiles([tcp], DEFAULT_CONFIG).find((x) => x.ruleId === 'reuseport-semantics');
    assert.deepEqual(finding?.platforms, ['darwin']);
    assert.match(finding?.message ?? '', /last socket to bind takes the port/);
  });

  it('leaves wildcard binds of multicast receivers and ephemeral test servers alone', () => {
    const implicit = { linux: ['reuseaddr' as const], darwin: ['reuseaddr' as const] };
    const f = file('w.js', {
      sockets: [socket('m', { protocol: 'udp', multicast: true }), socket('t')],
      options: [option('m', { option: 'reuseaddr', platforms: ['linux', 'darwin'] })],
      binds: [bind('m', { port: 5353, host: '0.0.0.0', hostKind: 'any', explicitWildcard: true }), bind('t', { implicit, port: 0, host: '::', hostKind: 'any', explicitWildcard: true, span: { start: 50, end: 60 } })],
    });
    assert.deepEqual(rules(checkFiles([f], DEFAULT_CONFIG)), []);
  });

  it('flags explicit wildcard binds only', () => {
    const implicit = { linux: ['reuseaddr' as const], darwin: ['reuseaddr' as const] };
    const f = file('w.go', {
      sockets: [socket('a'), socket('b')],
      binds: [bind('a', { implicit, host: '0.0.0.0', hostKind: 'any', explicitWildcard: true }), bind('b', { implicit, host: null, hostKind: 'any', port: 9090, span: { start: 50, end: 60 } })],
    });
    assert.deepEqual(rules(checkFiles([f], DEFAULT_CONFIG)), ['bind-all-interfaces']);
  });
});

describe('cross-file rules', () => {
  const reusing = (path: string) => file(path, { sockets: [socket('s')], options: [option('s', { option: 'reuseport', platforms: ['linux'] })], binds: [bind('s', { platforms: ['linux'] })] });
  const plain = (path: string) => file(path, { sockets: [socket('s')], binds: [bind('s', { platforms: ['linux'] })] });

  it('reuse-one-sided on the side that lacks the option, with the other side related', () => {
    const findings = checkFiles([reusing('a.c'), plain('b.c')], { ...DEFAULT_CONFIG, platforms: ['linux'] });
    const oneSided = findings.filter((f) => f.ruleId === 'reuse-one-sided');
    assert.equal(oneSided.length, 1);
    assert.equal(oneSided[0]?.path, 'b.c');
    assert.equal(oneSided[0]?.related[0]?.path, 'a.c');
    assert.deepEqual(oneSided[0]?.fix && oneSided[0].fix.kind === 'add-option' ? oneSided[0].fix.option : undefined, 'reuseport');
  });

  it('port-conflict when several binds of a port all lack reuse; none when hosts differ', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const conflict = checkFiles([plain('a.c'), plain('b.c')], config).filter((f) => f.ruleId === 'port-conflict');
    assert.equal(conflict.length, 2);
    const other = file('c.c', { sockets: [socket('s')], binds: [bind('s', { host: '10.0.0.2', hostKind: 'specific', platforms: ['linux'] })] });
    assert.equal(checkFiles([plain('a.c'), other], config).filter((f) => f.ruleId === 'port-conflict').length, 0);
  });

  it('two TCP listeners with only SO_REUSEADDR (a runtime default) still conflict; SO_REUSEPORT shares', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const goServer = (path: string) => file(path, { sockets: [socket('s', { api: 'net.Listen' })], binds: [bind('s', { platforms: ['linux'], implicit: { linux: ['reuseaddr'] } })] });
    assert.equal(checkFiles([goServer('a.go'), goServer('b.go')], config).filter((f) => f.ruleId === 'port-conflict').length, 2);
    assert.equal(checkFiles([reusing('a.c'), reusing('b.c')], config).filter((f) => f.ruleId === 'port-conflict').length, 0);
  });

  it('does not pair ports of test files, which run one at a time', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const cross = (fs: ReturnType<typeof plain>[]) => checkFiles(fs, config).filter((f) => f.ruleId === 'port-conflict' || f.ruleId === 'reuse-one-sided');
    assert.equal(cross([plain('example_test.go'), plain('server_test.go'), plain('test_client.py'), reusing('FooTest.java')]).length, 0);
    assert.equal(cross([plain('server.go'), plain('client.go')]).length, 2);
    assert.equal(cross([plain('server.go'), plain('client.spec.ts')]).length, 0);
  });

  it('does not pair type-test files (*.tst.ts, *.test-d.ts)', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const cross = checkFiles([plain('src/server.ts'), plain('test/types/instance.tst.ts'), plain('types/index.test-d.ts')], config)
      .filter((f) => f.ruleId === 'port-conflict' || f.ruleId === 'reuse-one-sided');
    assert.deepEqual(cross, []);
  });

  it('pairs binds by address: families never meet, only a wildcard covers other addresses', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const at = (path: string, host: string | null, hostKind: 'any' | 'loopback' | 'specific' | 'unknown') =>
      file(path, { sockets: [socket('s')], binds: [bind('s', { host, hostKind, platforms: ['linux'] })] });
    const paired = (a: ReturnType<typeof at>, b: ReturnType<typeof at>) => checkFiles([a, b], config).filter((f) => f.ruleId === 'port-conflict').length === 2;
    // Specific addresses of different families, or different specific addresses, never collide.
    assert.equal(paired(at('a.rs', '127.0.0.1', 'loopback'), at('b.rs', '::1', 'loopback')), false);
    assert.equal(paired(at('a.rs', '127.0.0.1', 'loopback'), at('b.rs', '[::1]', 'loopback')), false);
    assert.equal(paired(at('a.c', '10.0.0.1', 'specific'), at('b.c', 'fe80::1', 'specific')), false);
    assert.equal(paired(at('a.c', '10.0.0.1', 'specific'), at('b.c', '10.0.0.2', 'specific')), false);
    assert.equal(paired(at('a.c', '127.0.0.1', 'loopback'), at('b.c', '127.0.0.2', 'loopback')), false);
    assert.equal(paired(at('a.c', '::ffff:10.0.0.1', 'specific'), at('b.c', '10.0.0.2', 'specific')), false);
    // The same address, however it is written, collides.
    assert.equal(paired(at('a.c', '::1', 'loopback'), at('b.c', '0:0:0:0:0:0:0:1', 'loopback')), true);
    assert.equal(paired(at('a.c', '::ffff:10.0.0.1', 'specific'), at('b.c', '10.0.0.1', 'specific')), true);
    assert.equal(paired(at('a.c', 'localhost', 'loopback'), at('b.c', '::1', 'loopback')), true);
    assert.equal(paired(at('a.c', 'localhost', 'loopback'), at('b.c', '127.0.0.1', 'loopback')), true);
    // Wildcards: 0.0.0.0 covers IPv4 addresses; "::" (dual-stack by default) and an omitted host cover all.
    assert.equal(paired(at('a.c', '0.0.0.0', 'any'), at('b.c', '10.0.0.1', 'specific')), true);
    assert.equal(paired(at('a.c', 'INADDR_ANY', 'any'), at('b.c', '127.0.0.1', 'loopback')), true);
    assert.equal(paired(at('a.c', '0.0.0.0', 'any'), at('b.c', '::1', 'loopback')), false);
    assert.equal(paired(at('a.c', '0.0.0.0', 'any'), at('b.c', '::', 'any')), true);
    assert.equal(paired(at('a.c', '::', 'any'), at('b.c', '127.0.0.1', 'loopback')), true);
    assert.equal(paired(at('a.c', null, 'any'), at('b.c', '::1', 'loopback')), true);
    // Unknown hosts: cannot tell, so they still pair.
    assert.equal(paired(at('a.c', null, 'unknown'), at('b.c', '::1', 'loopback')), true);
  });

  it('treats files in example, demo, sample and tutorial folders as separate programs', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const cross = (fs: ReturnType<typeof plain>[], roots: string[] = []) =>
      checkFiles(fs, config, roots).filter((f) => f.ruleId === 'port-conflict' || f.ruleId === 'reuse-one-sided');
    assert.equal(cross([plain('pkg/examples/a.js'), plain('pkg/examples/b.js'), plain('pkg/demo/c.js'), plain('pkg/Samples/d.cs'), plain('doc/tutorial/daytime6/e.cpp')]).length, 0);
    assert.equal(cross([plain('pkg/lib/server.js'), plain('pkg/examples/server.js')]).length, 0);
    assert.equal(cross([reusing('tools/testing/selftests/net/a.c'), plain('tools/testing/selftests/net/b.c')]).length, 0);
    // Two binds in one example program still meet.
    const twice = file('pkg/examples/both.rs', { sockets: [socket('a'), socket('b')], binds: [bind('a', { platforms: ['linux'] }), bind('b', { platforms: ['linux'], span: { start: 50, end: 60 } })] });
    assert.equal(cross([twice]).length, 2);
    // Folder names that merely contain the words do not count.
    assert.equal(cross([plain('src/example_server.js'), plain('src/samplers/b.js')]).length, 2);
    // A folder the analysis starts from is the project itself: `bindwatch check examples` pairs its files.
    assert.equal(cross([plain('examples/c/a.c'), plain('examples/go/b.go')], ['examples']).length, 2);
    assert.equal(cross([plain('/home/me/examples/proj/a.c'), plain('/home/me/examples/proj/b.c')], ['/home/me/examples/proj']).length, 2);
  });

  it('an example program that shares its port does not hide a conflict between other files', () => {
    const config = { ...DEFAULT_CONFIG, platforms: ['linux' as const] };
    const found = checkFiles([plain('a.c'), plain('b.c'), reusing('examples/c.c')], config);
    assert.equal(found.filter((f) => f.ruleId === 'port-conflict').length, 2);
    assert.equal(found.filter((f) => f.ruleId === 'reuse-one-sided').length, 0);
  });

  it('the workspace index looks for example folders below the folder all its files share', () => {
    const index = new WorkspaceIndex({ ...DEFAULT_CONFIG, platforms: ['linux'] });
    index.set(plain('/home/me/examples/proj/a.c'));
    index.set(plain('/home/me/examples/proj/b.c'));
    assert.equal(index.findingsFor('/home/me/examples/proj/a.c').filter((f) => f.ruleId === 'port-conflict').length, 1);
    index.set(plain('/home/me/examples/proj/examples/c.c'));
    index.set(plain('/home/me/examples/proj/examples/d.c'));
    assert.deepEqual(index.findingsFor('/home/me/examples/proj/examples/c.c').filter((f) => f.ruleId === 'port-conflict'), []);
    assert.equal(index.allFindings().filter((f) => f.ruleId === 'port-conflict').length, 2);
  });

  it('the workspace index gives each file its cross-file findings and updates when a side is fixed', () => {
    const index = new WorkspaceIndex({ ...DEFAULT_CONFIG, platforms: ['linux'] });
    index.set(reusing('a.c'));
    index.set(plain('b.c'));
    assert.deepEqual(rules(index.findingsFor('b.c')).filter((r) => r === 'reuse-one-sided'), ['reuse-one-sided']);
    index.set(reusing('b.c'));
    assert.deepEqual(index.findingsFor('b.c').filter((f) => f.ruleId === 'reuse-one-sided'), []);
    assert.deepEqual(index.filesSharingPorts('b.c'), ['a.c']);
  });
});

describe('severity settings and suppressions', () => {
  it('turns a rule off and changes severities', () => {
    const f = file('a.py', { sockets: [socket('s')], binds: [bind('s')] });
    assert.deepEqual(checkFiles([f], { ...DEFAULT_CONFIG, severity: { 'reuse-missing': 'off' } }), []);
    assert.equal(checkFiles([f], { ...DEFAULT_CONFIG, severity: { 'reuse-missing': 'error' } })[0]?.severity, 'error');
  });

  it('honours a disable-line suppression for the named rule only', () => {
    const f = file('a.py', { sockets: [socket('s')], binds: [bind('s', { span: { start: 0, end: 3 } })] });
    f.suppressions.set(0, new Set(['bind-all-interfaces']));
    assert.equal(checkFiles([f], DEFAULT_CONFIG).length, 1);
    f.suppressions.set(0, new Set(['reuse-missing']));
    assert.equal(checkFiles([f], DEFAULT_CONFIG).length, 0);
  });
});
