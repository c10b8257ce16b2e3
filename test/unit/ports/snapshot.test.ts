import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectedProcess, CollectedSocket, Collection } from '../../../src/ports/collectedSockets';
import { buildSnapshot, listeningOnly, warningsForPort } from '../../../src/ports/snapshot';

let inode = 1000;
function sock(protocol: 'tcp' | 'udp', address: string, port: number, pids: number[], extra: Partial<CollectedSocket> = {}): CollectedSocket {
  return {
    protocol,
    family: address.includes(':') ? 'ipv6' : 'ipv4',
    localAddress: address,
    localPort: port,
    remoteAddress: address.includes(':') ? '::' : '0.0.0.0',
    remotePort: 0,
    state: protocol === 'tcp' ? 'listen' : 'unconnected',
    inode: String(inode++),
    uid: 1000,
    pids,
    ...extra,
  };
}
function proc(pid: number, name: string, extra: Partial<CollectedProcess> = {}): CollectedProcess {
  return { pid, ppid: 1, uid: 1000, user: 'me', name, argv: [name], commandLine: name, startToken: `t${pid}`, ...extra };
}
function collection(sockets: CollectedSocket[], processes: CollectedProcess[]): Collection {
  return { platform: 'linux', sockets, processes, lineage: [], notes: [], currentUid: 1000, users: { '0': 'root', '1000': 'me', '33': 'www-data' } };
}
const snap = (c: Collection) => buildSnapshot(c, { takenAt: 1, durationMs: 2 });

describe('buildSnapshot grouping', () => {
  it('groups by protocol and port, then bind address, then owner', () => {
    const s = snap(
      collection(
        [
          sock('tcp', '::1', 3000, [10]),
          sock('tcp', '127.0.0.1', 3000, [10]),
          sock('tcp', '127.0.0.1', 3000, [10], { state: 'established', remoteAddress: '127.0.0.1', remotePort: 50000 }),
          sock('udp', '0.0.0.0', 3000, [11]),
          sock('tcp', '0.0.0.0', 22, [], { uid: 0 }),
        ],
        [proc(10, 'node'), proc(11, 'dnsd')],
      ),
    );
    assert.deepEqual(
      s.ports.map((g) => `${g.protocol} ${g.port}`),
      ['tcp 22', 'tcp 3000', 'udp 3000'],
    );
    const web = s.ports[1];
    assert.deepEqual(web?.bindings.map((b) => `${b.address} ${b.listening}`), ['127.0.0.1 true', '::1 true']);
    assert.deepEqual(web?.bindings[0]?.owners, [{ pid: 10, uid: 1000, user: 'me', name: 'node', socketCount: 2, listeningCount: 1, workspace: false }]);
    assert.deepEqual(s.ports[0]?.bindings[0]?.owners, [{ uid: 0, user: 'root', socketCount: 1, listeningCount: 1, workspace: false }]);
    assert.equal(s.ports[0]?.bindings[0]?.scope, 'any');
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s, 'plain data, serializes as is');
  });

  it('--listening drops connections and recounts owners', () => {
    const s = listeningOnly(
      snap(
        collection(
          [
            sock('tcp', '127.0.0.1', 3000, [10]),
            sock('tcp', '127.0.0.1', 3000, [10], { state: 'established', remoteAddress: '127.0.0.1', remotePort: 50000 }),
            sock('tcp', '127.0.0.1', 50000, [12], { state: 'established', remoteAddress: '127.0.0.1', remotePort: 3000 }),
          ],
          [proc(10, 'node'), proc(12, 'curl')],
        ),
      ),
    );
    assert.deepEqual(s.ports.map((g) => g.port), [3000]);
    assert.equal(s.ports[0]?.bindings[0]?.sockets.length, 1);
    assert.equal(s.ports[0]?.bindings[0]?.owners[0]?.socketCount, 1);
    assert.deepEqual(s.processes.map((p) => p.pid), [10]);
  });
});

describe('derived warnings', () => {
  it('warns when one port is held by different users on different addresses', () => {
    const s = snap(collection([sock('tcp', '127.0.0.1', 8080, [10]), sock('tcp', '0.0.0.0', 8080, [20], { uid: 0 })], [proc(10, 'node'), proc(20, 'nginx', { uid: 0, user: 'root' })]));
    const w = warningsForPort(s, { protocol: 'tcp', port: 8080 }).find((x) => x.kind === 'different-users');
    assert.equal(w?.severity, 'warning');
    assert.equal(w?.message, "tcp 8080 is held by processes of different users (root on 0.0.0.0, me on 127.0.0.1); a client of this port may reach the other user's server.");
  });

  it('does not call one socket inherited by a root master and its www-data workers a user conflict', () => {
    const s = snap(
      collection(
        [sock('tcp', '0.0.0.0', 80, [100, 101, 102], { uid: 0 })],
        [proc(100, 'nginx', { uid: 0, user: 'root' }), proc(101, 'nginx', { uid: 33, user: 'www-data', ppid: 100 }), proc(102, 'nginx', { uid: 33, user: 'www-data', ppid: 100 })],
      ),
    );
    assert.deepEqual(s.warnings.map((w) => w.kind), ['all-interfaces']);
  });

  it('tells a pre-fork reuse-port group (info) from two unrelated programs on one address (warning)', () => {
    const prefork = snap(
      collection(
        [sock('tcp', '0.0.0.0', 9000, [201]), sock('tcp', '0.0.0.0', 9000, [202])],
        [proc(200, 'gunicorn'), proc(201, 'gunicorn', { ppid: 200 }), proc(202, 'gunicorn', { ppid: 200 })],
      ),
    );
    const group = prefork.warnings.find((w) => w.kind === 'reuse-port-group');
    assert.equal(group?.severity, 'info');
    assert.match(group?.message ?? '', /^tcp 9000 on 0\.0\.0\.0: 2 sockets share this exact address \(an SO_REUSEPORT group\); the kernel spreads new connections across them\./);

    const unrelated = snap(collection([sock('tcp', '127.0.0.1', 9000, [301]), sock('tcp', '127.0.0.1', 9000, [302])], [proc(301, 'node', { ppid: 50 }), proc(302, 'node', { ppid: 60 })]));
    const stale = unrelated.warnings.find((w) => w.kind === 'reuse-port-group');
    assert.equal(stale?.severity, 'warning');
    assert.match(stale?.message ?? '', /an old server may still be answering part of the traffic/);
  });

  it('warns on an IPv4/IPv6 split between processes, not within one process', () => {
    const split = snap(collection([sock('tcp', '127.0.0.1', 5173, [10]), sock('tcp', '::1', 5173, [20])], [proc(10, 'vite'), proc(20, 'python3')]));
    const w = split.warnings.find((x) => x.kind === 'address-split');
    assert.equal(
      w?.message,
      'tcp 5173 is split between different processes: 127.0.0.1 by vite (pid 10); [::1] by python3 (pid 20). A client connecting to "localhost" may reach the other server, depending on whether it resolves to IPv4 or IPv6.',
    );
    const same = snap(collection([sock('tcp', '127.0.0.1', 5173, [10]), sock('tcp', '::1', 5173, [10])], [proc(10, 'vite')]));
    assert.deepEqual(same.warnings, []);
    const hiddenSameUser = snap(collection([sock('tcp', '127.0.0.1', 5173, []), sock('tcp', '::1', 5173, [])], []));
    assert.deepEqual(hiddenSameUser.warnings, [], 'two invisible owners of one user may be one process: no claim');
  });

  it('puts serious warnings first', () => {
    const s = snap(
      collection(
        [sock('udp', '0.0.0.0', 5000, [10], { uid: 1000 }), sock('udp', '0.0.0.0', 5000, [], { uid: 65534 }), sock('tcp', '0.0.0.0', 80, [10])],
        [proc(10, 'app')],
      ),
    );
    assert.deepEqual(s.warnings.map((w) => `${w.severity} ${w.kind} ${w.protocol} ${w.port}`), [
      'error different-users udp 5000',
      'warning reuse-port-group udp 5000',
      'info all-interfaces tcp 80',
      'info all-interfaces udp 5000',
    ]);
    assert.match(s.warnings[0]?.message ?? '', /\(me, uid 65534\): app \(pid 10\), a process of uid 65534 Bindwatch cannot see/);
  });
});
