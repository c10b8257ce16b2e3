import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CommandRunner } from '../../../src/ports/commandRunner';
import { buildSnapshot } from '../../../src/ports/snapshot';
import { collectWindows } from '../../../src/ports/windowsCollector';
import { parseTasklistCsv, parseWindowsNetstat, splitCsvLine, windowsStartToken } from '../../../src/ports/windowsNetstat';
import { readFixture } from './portsTestHelpers';

describe('parseWindowsNetstat', () => {
  const sockets = parseWindowsNetstat(readFixture('windows', 'netstat-ano-en.txt'));

  it('reads TCP rows (with state) and UDP rows (without) and their PIDs', () => {
    const rows = sockets.map((s) => `${s.protocol} ${s.family} ${s.localAddress}:${s.localPort} ${s.state} ${s.pids.join(',')}`);
    assert.deepEqual(rows, [
      'tcp ipv4 0.0.0.0:135 listen 1044',
      'tcp ipv4 0.0.0.0:445 listen 4',
      'tcp ipv4 0.0.0.0:3000 listen 8120',
      'tcp ipv4 127.0.0.1:3000 listen 9340',
      'tcp ipv4 127.0.0.1:3000 established 8120',
      'tcp ipv4 127.0.0.1:51234 established 7712',
      'tcp ipv4 192.168.1.30:51300 time-wait ',
      'tcp ipv6 :::135 listen 1044',
      'tcp ipv6 ::1:5432 listen 6020',
      'udp ipv4 0.0.0.0:5353 unconnected 2788',
      'udp ipv4 0.0.0.0:5353 unconnected 6604',
      'udp ipv6 :::5353 unconnected 2788',
      'udp ipv6 fe80::1c2d:3e4f:5a6b:7c8d%12:1900 unconnected 4321',
    ]);
  });

  it('treats a TCP row with a 0.0.0.0:0 peer as listening whatever the localized state word', () => {
    const de = parseWindowsNetstat(readFixture('windows', 'netstat-ano-de.txt'));
    assert.deepEqual(
      de.map((s) => `${s.protocol} ${s.localAddress}:${s.localPort} ${s.state}`),
      ['tcp 0.0.0.0:135 listen', 'tcp 127.0.0.1:51234 unknown', 'tcp :::135 listen', 'udp 0.0.0.0:5353 unconnected'],
    );
  });
});

describe('parseTasklistCsv', () => {
  it('reads image names and PIDs, quotes included', () => {
    const procs = parseTasklistCsv(readFixture('windows', 'tasklist-csv.txt'));
    assert.equal(procs.find((p) => p.pid === 8120)?.name, 'node.exe');
    assert.equal(procs.find((p) => p.pid === 4321)?.name, 'My "Quoted" App.exe');
    assert.equal(procs.find((p) => p.pid === 0)?.name, 'System Idle Process');
    assert.equal(procs.find((p) => p.pid === 8120)?.startToken, windowsStartToken('node.exe'));
    assert.deepEqual(splitCsvLine('"a","b,c",d'), ['a', 'b,c', 'd']);
  });
});

describe('collectWindows (runner with recorded tool output)', () => {
  const run: CommandRunner = (file, args) => {
    const name = file.slice(file.lastIndexOf('\\') + 1);
    if (name === 'netstat.exe' && args.join(' ') === '-ano') return Promise.resolve({ stdout: readFixture('windows', 'netstat-ano-en.txt'), stderr: '', code: 0 });
    if (name === 'tasklist.exe') return Promise.resolve({ stdout: readFixture('windows', 'tasklist-csv.txt'), stderr: '', code: 0 });
    return Promise.resolve({ stdout: '', stderr: `unexpected ${file}`, code: 1 });
  };

  it('names the holders and warns about the wildcard/loopback split on port 3000', async () => {
    const c = await collectWindows({ run });
    assert.equal(c.platform, 'win32');
    assert.equal(c.processes.find((p) => p.pid === 9340)?.name, 'python.exe');
    const snapshot = buildSnapshot(c, { takenAt: 0, durationMs: 0 });
    const split = snapshot.warnings.find((w) => w.kind === 'address-split' && w.port === 3000);
    assert.ok(split, JSON.stringify(snapshot.warnings, null, 1));
    assert.match(split.message, /0\.0\.0\.0 by node\.exe \(pid 8120\); 127\.0\.0\.1 by python\.exe \(pid 9340\)/);
    assert.match(split.message, /Clients on this machine reach the loopback listener/);
    const mdns = snapshot.warnings.find((w) => w.kind === 'reuse-port-group' && w.port === 5353);
    assert.equal(mdns?.severity, 'warning', 'two unrelated programs share UDP 5353');
  });

  it('fails with netstat\'s reason when netstat fails', async () => {
    const failing: CommandRunner = () => Promise.resolve({ stdout: '', stderr: 'The requested operation requires elevation.\r\n', code: 1 });
    await assert.rejects(collectWindows({ run: failing }), /netstat failed: The requested operation requires elevation/);
  });
});
