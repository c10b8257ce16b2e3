import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeToWorkspace } from '../../../src/ports/attribution';
import type { CommandRunner } from '../../../src/ports/commandRunner';
import { collectDarwin } from '../../../src/ports/darwinCollector';
import { parseLsofFields, socketsFromLsof, splitLsofEndpoint } from '../../../src/ports/darwinLsof';
import { parseDarwinNetstat, splitDarwinEndpoint } from '../../../src/ports/darwinNetstat';
import { darwinProcessName, parseDarwinPs, parseLstart } from '../../../src/ports/darwinPs';
import { buildSnapshot } from '../../../src/ports/snapshot';
import { readFixture } from './portsTestHelpers';

const listeners = (text: string): string[] =>
  parseDarwinNetstat(text)
    .sockets.filter((s) => s.state === 'listen' || s.state === 'unconnected')
    .map((s) => `${s.protocol}/${s.family} ${s.localAddress}:${s.localPort} ${s.pids.join(',')}`);

describe('parseDarwinNetstat', () => {
  it('reads the pid column of the macOS 12-14 layout', () => {
    assert.deepEqual(listeners(readFixture('darwin', 'netstat-anv-tcp-monterey.txt')), [
      'tcp/ipv4 127.0.0.1:3000 4242',
      'tcp/ipv6 ::1:3000 4250',
      'tcp/ipv6 :::5000 611',
      'tcp/ipv4 0.0.0.0:22 1',
      'tcp/ipv6 :::22 1',
      'tcp/ipv6 fe80::1%lo0:49152 611',
    ]);
  });

  it('marks tcp46 sockets as dual-stack and TIME_WAIT rows as owned by nobody', () => {
    const { sockets } = parseDarwinNetstat(readFixture('darwin', 'netstat-anv-tcp-monterey.txt'));
    assert.equal(sockets.find((s) => s.localPort === 5000)?.dualStack, true);
    const tw = sockets.find((s) => s.state === 'time-wait');
    assert.deepEqual(tw?.pids, []);
    assert.equal(tw?.remoteAddress, '140.82.112.4');
    assert.equal(tw?.remotePort, 443);
  });

  it('reads UDP rows, which have no state column', () => {
    const { sockets } = parseDarwinNetstat(readFixture('darwin', 'netstat-anv-udp-monterey.txt'));
    assert.deepEqual(
      sockets.map((s) => `${s.family} ${s.localAddress}:${s.localPort} ${s.state} ${s.pids.join(',')}`),
      ['ipv4 127.0.0.1:8125 unconnected 4242', 'ipv4 192.168.1.20:61000 connected 5120', 'ipv4 0.0.0.0:5353 unconnected 392', 'ipv6 :::5353 unconnected 392', 'ipv6 :::0 unconnected 611'],
    );
  });

  it('finds the pid after rxbytes/txbytes in the macOS 15 layout', () => {
    const { sockets, hasPidColumn } = parseDarwinNetstat(readFixture('darwin', 'netstat-anv-tcp-sequoia.txt'));
    assert.equal(hasPidColumn, true);
    assert.deepEqual(
      sockets.map((s) => `${s.localPort} ${s.state} ${s.pids.join(',')}`),
      ['3000 established 4242', '53211 established 5120', '3000 listen 4242', '3000 listen 4250', '5000 listen 611', '22 listen 1'],
    );
  });

  it('splits "name:pid" in the macOS 26 layout, names with spaces included', () => {
    const result = parseDarwinNetstat(readFixture('darwin', 'netstat-anv-tcp-tahoe.txt'));
    assert.deepEqual(
      result.sockets.filter((s) => s.state === 'listen').map((s) => `${s.localPort} ${s.pids.join(',')}`),
      ['3000 4242', '3000 4250', '52982 91452', '52595 2086', '5000 611', '22 1'],
    );
    assert.equal(result.processNames.get(91452), 'Google Chrome He');
    assert.equal(result.processNames.get(2086), 'Antigravity IDE');
    assert.equal(result.processNames.get(4250), 'Python');
    const udp = parseDarwinNetstat(readFixture('darwin', 'netstat-anv-udp-tahoe.txt'));
    assert.deepEqual(
      udp.sockets.map((s) => `${s.localAddress}:${s.localPort} ${s.state} ${s.pids.join(',')}`),
      ['127.0.0.1:8125 unconnected 4242', '0.0.0.0:5353 unconnected 392', ':::5353 unconnected 392'],
    );
  });

  it('reports a netstat without a pid column so the collector can fall back to lsof', () => {
    const old = 'Active Internet connections (including servers)\nProto Recv-Q Send-Q  Local Address          Foreign Address        (state)\ntcp4       0      0  *.22                   *.*                    LISTEN\n';
    const result = parseDarwinNetstat(old);
    assert.equal(result.hasPidColumn, false);
    assert.deepEqual(result.sockets[0]?.pids, []);
  });

  it('splits endpoints with the port after the last dot', () => {
    assert.deepEqual(splitDarwinEndpoint('192.168.1.20.61000', 'ipv4'), { address: '192.168.1.20', port: 61000 });
    assert.deepEqual(splitDarwinEndpoint('*.*', 'ipv6'), { address: '::', port: 0 });
    assert.deepEqual(splitDarwinEndpoint('fe80::1%lo0.5353', 'ipv6'), { address: 'fe80::1%lo0', port: 5353 });
  });
});

describe('parseDarwinPs', () => {
  const ps = parseDarwinPs(readFixture('darwin', 'ps-ax.txt'));

  it('reads pid, parent, user, start time and the whole command line', () => {
    const node = ps.find((p) => p.pid === 4242);
    assert.ok(node);
    assert.equal(node.ppid, 3901);
    assert.equal(node.uid, 501);
    assert.equal(node.user, 'alice');
    assert.equal(node.commandLine, 'node server.js --port 3000');
    assert.equal(node.name, 'node');
    assert.equal(node.startToken, 'Wed Mar 5 14:22:01 2025');
    assert.equal(node.startedAt, new Date(2025, 2, 5, 14, 22, 1).getTime());
  });

  it('names app bundles by their executable, spaces included', () => {
    assert.equal(ps.find((p) => p.pid === 91452)?.name, 'Google Chrome');
    assert.equal(ps.find((p) => p.pid === 3710)?.name, 'Electron');
    assert.equal(darwinProcessName('/opt/homebrew/bin/python3 -m http.server'), 'python3');
    assert.equal(parseLstart('Mon Mar  3 08:01:12 2025'), new Date(2025, 2, 3, 8, 1, 12).getTime());
  });
});

describe('parseLsofFields on captured lsof -F output', () => {
  const pids = JSON.parse(readFixture('darwin', 'lsof-pids.json')) as { a: { pid: number }; b: { pid: number; child: number } };
  const parsed = parseLsofFields(readFixture('darwin', 'lsof-i-fields.txt'));

  it('reads process sets with command, uid, login and parent', () => {
    const a = parsed.find((p) => p.pid === pids.a.pid);
    assert.equal(a?.command, 'python3');
    assert.equal(a?.uid, 0);
    assert.equal(a?.login, 'root');
    assert.ok((a?.ppid ?? 0) > 1);
  });

  it('turns internet files into sockets, merging one socket held by a forked pair', () => {
    const { sockets, processes } = socketsFromLsof(parsed);
    const listeners = sockets.filter((s) => s.state === 'listen' || s.state === 'unconnected');
    const at = (port: number): string[] => listeners.filter((s) => s.localPort === port).map((s) => `${s.localAddress} ${s.pids.join(',')}`);
    assert.deepEqual(at(42001), [`127.0.0.1 ${pids.a.pid}`]);
    assert.deepEqual(at(42002), [`::1 ${pids.a.pid}`]);
    assert.deepEqual(at(42003), [`0.0.0.0 ${pids.a.pid}`]);
    assert.deepEqual(at(42004), [`0.0.0.0 ${pids.a.pid}`, `0.0.0.0 ${pids.a.pid}`], 'a reuse-port pair stays two sockets');
    assert.deepEqual(at(42005), [`127.0.0.1 ${pids.b.pid},${pids.b.child}`], 'an inherited socket is one socket with two PIDs');
    const client = sockets.find((s) => s.remotePort === 42001 && s.state === 'established');
    assert.equal(client?.remoteAddress, '127.0.0.1');
    assert.equal(sockets.find((s) => s.localPort === 42003)?.protocol, 'udp');
    assert.ok(processes.some((p) => p.pid === pids.b.child && p.user === 'root'));
  });

  it('reads working directories from lsof -d cwd -Fn', () => {
    const cwd = parseLsofFields(readFixture('darwin', 'lsof-cwd-fields.txt'));
    assert.equal(cwd.find((p) => p.pid === pids.a.pid)?.files[0]?.name, '/tmp');
  });

  it('splits lsof endpoints, bracketed IPv6 included', () => {
    assert.deepEqual(splitLsofEndpoint('[::1]:3000', 'ipv6'), { address: '::1', port: 3000 });
    assert.deepEqual(splitLsofEndpoint('*:5353', 'ipv4'), { address: '0.0.0.0', port: 5353 });
    assert.deepEqual(splitLsofEndpoint('[fe80::1%lo0]:123', 'ipv6'), { address: 'fe80::1%lo0', port: 123 });
  });
});

describe('collectDarwin (runner with recorded tool output)', () => {
  const outputs: Record<string, string> = {
    'netstat -anv -p tcp': readFixture('darwin', 'netstat-anv-tcp-tahoe.txt'),
    'netstat -anv -p udp': readFixture('darwin', 'netstat-anv-udp-tahoe.txt'),
    'ps -ax -o pid=,ppid=,uid=,user=,lstart=,command=': readFixture('darwin', 'ps-ax.txt'),
  };
  const calls: string[] = [];
  const run: CommandRunner = (file, args) => {
    const key = `${file.slice(file.lastIndexOf('/') + 1)} ${args.join(' ')}`;
    calls.push(`${file} ${args.join(' ')}`);
    if (key.startsWith('lsof -a -d cwd')) return Promise.resolve({ stdout: 'p4242\nfcwd\nn/Users/alice/proj\np4250\nfcwd\nn/Users/alice\n', stderr: '', code: 0 });
    const stdout = outputs[key];
    return Promise.resolve(stdout === undefined ? { stdout: '', stderr: `unexpected ${key}`, code: 1 } : { stdout, stderr: '', code: 0 });
  };

  it('joins netstat, ps and lsof into one collection, calling tools by absolute path', async () => {
    const c = await collectDarwin({ run, currentUid: 501 });
    assert.ok(calls.every((c) => c.startsWith('/')), calls.join('\n'));
    assert.ok(calls.some((c) => c.startsWith('/usr/sbin/lsof -a -d cwd -p ')), 'cwd only for holders');
    const node = c.processes.find((p) => p.pid === 4242);
    assert.equal(node?.cwd, '/Users/alice/proj');
    assert.equal(node?.commandLine, 'node server.js --port 3000');
    assert.ok(!c.processes.some((p) => p.pid === 2086), 'a PID netstat saw but ps did not (exited) is dropped');
    assert.equal(c.sockets.find((s) => s.localPort === 8125)?.uid, 501);
    assert.ok(c.lineage.some((l) => l.pid === 3901 && l.ppid === 3710), 'parents for terminal attribution');
  });

  it('supports the whole model on macOS: the "localhost" split and a terminal descendant', async () => {
    const c = await collectDarwin({ run, currentUid: 501 });
    const attributions = attributeToWorkspace(c.processes, c.lineage, { folders: ['/Users/alice/proj'], terminals: [{ pid: 3901, startToken: 'Tue Mar 4 09:14:55 2025', name: 'zsh' }] }, { platform: 'darwin' });
    assert.equal(attributions.get(4242)?.reason, 'terminal');
    assert.deepEqual(attributions.get(4242)?.evidence.map((e) => e.reason), ['terminal', 'cwd']);
    assert.equal(attributions.has(4250), false);
    const snapshot = buildSnapshot(c, { takenAt: 0, durationMs: 0, attributions });
    const split = snapshot.warnings.find((w) => w.kind === 'address-split' && w.port === 3000);
    assert.match(split?.message ?? '', /127\.0\.0\.1 by node \(pid 4242\); \[::1\] by python3 \(pid 4250\)/);
    assert.equal(snapshot.ports.find((g) => g.port === 3000 && g.protocol === 'tcp')?.workspace, true);
  });
});
