import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Collection } from '../../../src/ports/collectedSockets';
import { PortsCollector } from '../../../src/ports/collector';

function collection(port: number): Collection {
  return {
    platform: 'linux',
    sockets: [
      { protocol: 'tcp', family: 'ipv4', localAddress: '127.0.0.1', localPort: port, remoteAddress: '0.0.0.0', remotePort: 0, state: 'listen', inode: '1', uid: 1000, pids: [42] },
    ],
    processes: [{ pid: 42, ppid: 7, uid: 1000, name: 'node', argv: ['node', 'dev.js'], commandLine: 'node dev.js', cwd: '/w/web', startToken: '99', envMarker: 'win-1' }],
    lineage: [
      { pid: 42, ppid: 7, startToken: '99', name: 'node' },
      { pid: 7, ppid: 1, startToken: '5', name: 'bash' },
    ],
    notes: [],
    currentUid: 1000,
    users: { '1000': 'me' },
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('PortsCollector', () => {
  it('never runs two scans at once: a second caller joins the scan under way', async () => {
    let calls = 0;
    const pending = deferred<Collection>();
    const collector = new PortsCollector({
      collect: () => {
        calls++;
        return calls === 1 ? pending.promise : Promise.resolve(collection(4000));
      },
    });
    const a = collector.scan();
    const b = collector.scan();
    assert.equal(a, b);
    assert.equal(collector.scanning, true);
    pending.resolve(collection(3000));
    const [sa, sb] = await Promise.all([a, b]);
    assert.equal(calls, 1);
    assert.equal(sa, sb);
    assert.equal(collector.scanning, false);
    const next = await collector.scan();
    assert.equal(calls, 2);
    assert.equal(next.ports[0]?.port, 4000);
  });

  it('keeps the last good snapshot when a scan fails, and says why', async () => {
    let fail = false;
    let clock = 1000;
    const collector = new PortsCollector({
      now: () => clock,
      collect: () => (fail ? Promise.reject(new Error('cannot read /proc/net: tcp (EACCES)\nmore detail')) : Promise.resolve(collection(3000))),
    });
    const good = await collector.scan();
    assert.equal(good.error, undefined);
    fail = true;
    clock = 5000;
    const failed = await collector.scan();
    assert.deepEqual(failed.ports, good.ports, 'the data is still there');
    assert.equal(failed.takenAt, 1000, 'and still dated when it was read');
    assert.deepEqual(failed.error, { message: 'Scanning ports failed: cannot read /proc/net: tcp (EACCES)', at: 5000 });
    assert.equal(collector.lastSnapshot, failed);
    fail = false;
    assert.equal((await collector.scan()).error, undefined, 'recovers on the next good scan');
  });

  it('resolves (never rejects) with an empty snapshot and the reason when the first scan fails', async () => {
    const collector = new PortsCollector({ platform: 'linux', collect: () => Promise.reject(new Error('boom')) });
    const s = await collector.scan();
    assert.deepEqual(s.ports, []);
    assert.equal(s.error?.message, 'Scanning ports failed: boom');
  });

  it('attributes with the workspace it was given and asks the collector for the env marker', async () => {
    let asked: string | undefined;
    let current = collection(3000);
    const collector = new PortsCollector({
      collect: (request) => {
        asked = request.envMarkerName;
        return Promise.resolve(current);
      },
    });
    const plain = await collector.scan();
    assert.equal(plain.processes[0]?.workspace, undefined);
    collector.setWorkspace({ folders: ['/w'], terminals: [{ pid: 7, startToken: '5', name: 'bash' }], envMarker: { name: 'BINDWATCH_WINDOW', value: 'win-1' } });
    const s = await collector.scan();
    assert.equal(asked, 'BINDWATCH_WINDOW');
    assert.deepEqual(s.processes[0]?.workspace?.evidence.map((e) => e.reason), ['terminal', 'env-marker', 'cwd']);
    assert.equal(s.ports[0]?.workspace, true);
    assert.deepEqual(s.workspaceFolders, ['/w']);

    // The terminal closes and the server, reparented to init, keeps running: still the workspace's.
    collector.setWorkspace({ folders: ['/elsewhere'], terminals: [] });
    current = collection(3000);
    current.lineage = [{ pid: 42, ppid: 1, startToken: '99', name: 'node' }];
    current.processes[0]!.ppid = 1;
    const later = await collector.scan();
    assert.equal(later.processes[0]?.workspace?.reason, 'terminal');
    assert.match(later.processes[0]?.workspace?.detail ?? '', /terminal "bash" \(pid 7\) of this window, which has since closed/);
  });

  it('suggests a poll delay of twenty scan times, at least the floor', async () => {
    const collector = new PortsCollector({ collect: () => Promise.resolve(collection(3000)) });
    assert.equal(collector.nextPollDelayMs(2000), 2000);
    await collector.scan();
    assert.equal(collector.nextPollDelayMs(2000), 2000);
    assert.ok(collector.nextPollDelayMs(0) >= 0);
  });
});
