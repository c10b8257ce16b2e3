// Live tests on this Linux machine: real sockets held by python3 child processes (socket_holder.py),
// read back through the real /proc collector, and real stops. Every holder is ended in `after`, and
// holders also exit by themselves when their stdin closes, so a crashed run leaves nothing behind.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runPortsCommand } from '../../../src/cli/portsCommand';
import { PortsCollector } from '../../../src/ports/collector';
import { readLinuxProcessIdentity } from '../../../src/ports/linuxProcesses';
import { readProcessStartToken, stopProcess } from '../../../src/ports/processStop';
import type { PortGroup, PortsSnapshot } from '../../../src/ports/snapshot';
import type { Holder } from './portsTestHelpers';
import { startHolder, stopAllHolders, stopHolder } from './portsTestHelpers';

after(stopAllHolders);

const group = (s: PortsSnapshot, protocol: 'tcp' | 'udp', port: number): PortGroup | undefined =>
  s.ports.find((g) => g.protocol === protocol && g.port === port);

function alive(pid: number): boolean {
  const id = readLinuxProcessIdentity(pid);
  return id !== undefined && !id.exited;
}

async function scan(workerThreads = true): Promise<PortsSnapshot> {
  const collector = new PortsCollector({ platform: 'linux', workerThreads });
  try {
    const s = await collector.scan();
    assert.equal(s.error, undefined, s.error?.message);
    return s;
  } finally {
    await collector.dispose();
  }
}

const portOf = (h: Holder, index: number): number => {
  const port = h.ports[index];
  assert.ok(port !== undefined && port > 0);
  return port;
};

describe('live: sockets held by child processes', () => {
  it('sees TCP and UDP over IPv4 and IPv6 with their owner, user, command line and cwd', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bindwatch-live-')));
    const h = await startHolder({
      chdir: dir,
      sockets: [
        { proto: 'tcp', host: '127.0.0.1' },
        { proto: 'tcp', host: '::1' },
        { proto: 'udp', host: '0.0.0.0' },
        { proto: 'udp', host: '::', v6only: true },
      ],
    });
    try {
      const s = await scan();
      const expectations: Array<['tcp' | 'udp', number, string, string]> = [
        ['tcp', portOf(h, 0), '127.0.0.1', 'ipv4'],
        ['tcp', portOf(h, 1), '::1', 'ipv6'],
        ['udp', portOf(h, 2), '0.0.0.0', 'ipv4'],
        ['udp', portOf(h, 3), '::', 'ipv6'],
      ];
      for (const [protocol, port, address, family] of expectations) {
        const binding = group(s, protocol, port)?.bindings.find((b) => b.address === address);
        assert.ok(binding, `${protocol} ${address}:${port}`);
        assert.equal(binding.family, family);
        assert.equal(binding.listening, true);
        assert.deepEqual(binding.owners.map((o) => o.pid), [h.pid]);
      }
      const p = s.processes.find((x) => x.pid === h.pid);
      assert.equal(p?.cwd, dir);
      assert.equal(p?.user, os.userInfo().username);
      assert.match(p?.commandLine ?? '', /socket_holder\.py/);
      assert.equal(p?.ppid, process.pid, 'its parent is this test process');
      assert.equal(p?.startToken, await readProcessStartToken(h.pid));
    } finally {
      await stopHolder(h);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the same owners in worker threads as in the calling thread', async () => {
    const h = await startHolder({ fork: true, sockets: [{ proto: 'tcp', host: '127.0.0.1' }, { proto: 'udp', host: '::1' }] });
    try {
      const summary = (s: PortsSnapshot): string[] =>
        [portOf(h, 0), portOf(h, 1)].map((port) =>
          JSON.stringify(s.ports.filter((g) => g.port === port).map((g) => g.bindings.map((b) => b.sockets.map((x) => [x.inode, x.pids.slice().sort()])))),
        );
      const [inWorkers, inThread] = [await scan(true), await scan(false)];
      assert.deepEqual(summary(inWorkers), summary(inThread));
      assert.match(summary(inWorkers)[0] ?? '', new RegExp(`${h.pid}`));
    } finally {
      await stopHolder(h);
    }
  });

  it('polling: sees a server that started and one that stopped between two scans', async () => {
    const collector = new PortsCollector({ platform: 'linux' });
    const first = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    let second: Holder | undefined;
    try {
      const before = await collector.scan();
      assert.deepEqual(group(before, 'tcp', portOf(first, 0))?.bindings[0]?.owners.map((o) => o.pid), [first.pid]);
      second = await startHolder({ fork: true, sockets: [{ proto: 'udp', host: '::1' }] });
      await stopHolder(first);
      const after = await collector.scan();
      assert.equal(group(after, 'tcp', portOf(first, 0)), undefined);
      const udp = group(after, 'udp', portOf(second, 0))?.bindings[0]?.sockets[0];
      assert.deepEqual(udp?.pids.slice().sort((a, b) => a - b), [second.pid, second.child ?? 0].sort((a, b) => a - b));
    } finally {
      await collector.dispose();
      await stopHolder(first);
      if (second !== undefined) await stopHolder(second);
    }
  });

  it('reports a reuse-port group as several sockets on one exact address', async () => {
    const h = await startHolder({
      sockets: [
        { proto: 'tcp', host: '127.0.0.1', reuseport: true },
        { proto: 'tcp', host: '127.0.0.1', port: 'same:0', reuseport: true },
        { proto: 'tcp', host: '127.0.0.1', port: 'same:0', reuseport: true },
      ],
    });
    try {
      const port = portOf(h, 0);
      const s = await scan();
      const binding = group(s, 'tcp', port)?.bindings[0];
      assert.equal(binding?.sockets.length, 3);
      assert.equal(new Set(binding?.sockets.map((x) => x.inode)).size, 3);
      const w = s.warnings.find((x) => x.kind === 'reuse-port-group' && x.port === port);
      assert.equal(w?.severity, 'info');
      assert.match(w?.message ?? '', new RegExp(`^tcp ${port} on 127\\.0\\.0\\.1: 3 sockets share this exact address`));
    } finally {
      await stopHolder(h);
    }
  });

  it('shows one listener inherited across fork() as one socket held by two PIDs', async () => {
    const h = await startHolder({ fork: true, sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    try {
      const s = await scan();
      const sockets = group(s, 'tcp', portOf(h, 0))?.bindings[0]?.sockets ?? [];
      assert.equal(sockets.length, 1);
      assert.deepEqual(sockets[0]?.pids.slice().sort((a, b) => a - b), [h.pid, h.child ?? 0].sort((a, b) => a - b));
      assert.ok(!s.warnings.some((w) => w.kind === 'reuse-port-group' && w.port === portOf(h, 0)));
    } finally {
      await stopHolder(h);
    }
  });

  it('flags a UDP port bound by two users (root, and nobody via runuser) as a hijack', async () => {
    const mine = await startHolder({ sockets: [{ proto: 'udp', host: '0.0.0.0', reuseaddr: true }] });
    const port = portOf(mine, 0);
    const theirs = await startHolder({ sockets: [{ proto: 'udp', host: '0.0.0.0', port, reuseaddr: true }] }, { user: 'nobody' });
    try {
      const s = await scan();
      const w = s.warnings.find((x) => x.kind === 'different-users' && x.port === port);
      assert.equal(w?.severity, 'error');
      assert.deepEqual(w?.uids, [os.userInfo().uid, 65534].sort((a, b) => a - b));
      assert.deepEqual(w?.pids.slice().sort((a, b) => a - b), [mine.pid, theirs.pid].sort((a, b) => a - b));
      assert.match(w?.message ?? '', /nobody/);
      assert.match(w?.message ?? '', /SO_REUSEADDR on UDP does not check the user/);
    } finally {
      await Promise.all([stopHolder(mine), stopHolder(theirs)]);
    }
  });

  it('as an ordinary user, shows root\'s sockets with their uid and its own with the process', async () => {
    const rootHolder = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    const nobodyHolder = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] }, { user: 'nobody' });
    try {
      const collectorJs = path.join(__dirname, '..', '..', '..', 'src', 'ports', 'collector.js');
      const script = `const { PortsCollector } = require(${JSON.stringify(collectorJs)});
        new PortsCollector({ platform: 'linux' }).scan().then((s) => process.stdout.write(JSON.stringify(s)));`;
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script], { maxBuffer: 64 * 1024 * 1024 }, (error, out) => {
          if (error !== null) reject(new Error(`scan as nobody failed: ${error.message}`));
          else resolve(out);
        }),
      );
      const s = JSON.parse(stdout) as PortsSnapshot;
      assert.equal(s.currentUid, 65534);
      const rootOwners = group(s, 'tcp', portOf(rootHolder, 0))?.bindings[0]?.owners;
      assert.deepEqual(rootOwners, [{ uid: 0, user: 'root', socketCount: 1, listeningCount: 1, workspace: false }]);
      const ownOwners = group(s, 'tcp', portOf(nobodyHolder, 0))?.bindings[0]?.owners;
      assert.deepEqual(ownOwners?.map((o) => [o.pid, o.user]), [[nobodyHolder.pid, 'nobody']]);
      assert.ok(s.notes.some((n) => /belong to other users' processes/.test(n)));
    } finally {
      await Promise.all([stopHolder(rootHolder), stopHolder(nobodyHolder)]);
    }
  });
});

describe('live: workspace attribution', () => {
  it('attributes by cwd (bindwatch ports --workspace), by terminal ancestry and by env marker', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bindwatch-ws-')));
    const inside = await startHolder({ chdir: dir, sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    const marked = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] }, { env: { ...process.env, BINDWATCH_TEST_WINDOW: 'w-42' } });
    try {
      let out = '';
      const code = await runPortsCommand(['--json', '--listening', '--workspace', dir], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
      assert.equal(code, 0, out);
      const viaCli = JSON.parse(out) as PortsSnapshot;
      assert.equal(group(viaCli, 'tcp', portOf(inside, 0))?.workspace, true);
      assert.equal(viaCli.processes.find((p) => p.pid === inside.pid)?.workspace?.reason, 'cwd');
      assert.equal(group(viaCli, 'tcp', portOf(marked, 0))?.workspace, false);

      // This test process plays the VS Code terminal both holders were started from.
      const collector = new PortsCollector({ platform: 'linux', workerThreads: false });
      const startToken = await readProcessStartToken(process.pid);
      collector.setWorkspace({ folders: [], terminals: [{ pid: process.pid, startToken, name: 'test' }], envMarker: { name: 'BINDWATCH_TEST_WINDOW', value: 'w-42' } });
      const s = await collector.scan();
      assert.equal(s.processes.find((p) => p.pid === inside.pid)?.workspace?.reason, 'terminal');
      assert.deepEqual(s.processes.find((p) => p.pid === marked.pid)?.workspace?.evidence.map((e) => e.reason), ['terminal', 'env-marker']);
      assert.equal(s.processes.find((p) => p.pid === marked.pid)?.envMarker, 'w-42');
    } finally {
      await Promise.all([stopHolder(inside), stopHolder(marked)]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('live: stopping the process that holds a port', () => {
  it('stops it with SIGTERM, and the port is free afterwards', async () => {
    const h = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    try {
      const before = await scan();
      const proc = before.processes.find((p) => p.pid === h.pid);
      assert.ok(proc?.startToken);
      const result = await stopProcess({ pid: h.pid, startToken: proc.startToken, name: proc.name }, { graceMs: 3000 });
      assert.deepEqual(result, { outcome: 'terminated', signal: 'SIGTERM', message: `Stopped python3 (pid ${h.pid}).` });
      await h.exited;
      assert.equal(alive(h.pid), false);
      assert.equal(group(await scan(), 'tcp', portOf(h, 0)), undefined);
    } finally {
      await stopHolder(h);
    }
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const h = await startHolder({ ignore_term: true, sockets: [{ proto: 'udp', host: '127.0.0.1' }] });
    try {
      const token = await readProcessStartToken(h.pid);
      assert.ok(token);
      const result = await stopProcess({ pid: h.pid, startToken: token, name: 'python3' }, { graceMs: 400 });
      assert.equal(result.outcome, 'killed');
      assert.equal(result.signal, 'SIGKILL');
      await h.exited;
      assert.equal(alive(h.pid), false);
    } finally {
      await stopHolder(h);
    }
  });

  it('refuses when the PID now belongs to a process with another start time, and leaves it running', async () => {
    const earlier = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    await new Promise((r) => setTimeout(r, 30)); // at least one clock tick apart
    const current = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    try {
      const staleToken = await readProcessStartToken(earlier.pid);
      assert.ok(staleToken);
      assert.notEqual(staleToken, await readProcessStartToken(current.pid));
      // What the view would do if `current` had been given the PID the snapshot saw for `earlier`.
      const result = await stopProcess({ pid: current.pid, startToken: staleToken, name: 'python3' }, { graceMs: 300 });
      assert.equal(result.outcome, 'refused');
      assert.match(result.message, new RegExp(`^Did not stop pid ${current.pid}: it now belongs to a different process \\(python3\\)`));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(current.pid), true);
    } finally {
      await Promise.all([stopHolder(earlier), stopHolder(current)]);
    }
  });

  it('refuses another user\'s process with an explanation', async () => {
    const h = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] }, { user: 'nobody' });
    try {
      const token = await readProcessStartToken(h.pid);
      assert.ok(token);
      const result = await stopProcess({ pid: h.pid, startToken: token, name: 'python3' });
      assert.equal(result.outcome, 'refused');
      assert.match(result.message, /belongs to another user \(uid 65534\)/);
      assert.equal(alive(h.pid), true);
    } finally {
      await stopHolder(h);
    }
  });

  it('says so when the process has already exited', async () => {
    const h = await startHolder({ sockets: [{ proto: 'tcp', host: '127.0.0.1' }] });
    const token = await readProcessStartToken(h.pid);
    await stopHolder(h);
    const result = await stopProcess({ pid: h.pid, startToken: token ?? '0', name: 'python3' });
    assert.equal(result.outcome, 'already-exited');
  });
});
