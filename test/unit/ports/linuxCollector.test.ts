import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectLinux } from '../../../src/ports/linuxCollector';
import { LinuxFdCache } from '../../../src/ports/linuxFdCache';
import { buildSnapshot } from '../../../src/ports/snapshot';
import type { ProcCapture } from './portsTestHelpers';
import { FakeProcFs, loadProcCapture } from './portsTestHelpers';

// A stand-in /proc made of a real capture (test/unit/fixtures/ports/linux/capture.mjs): six python
// processes holding known sockets, one of them forked (same inode in two PIDs), one run as nobody.
const capture = loadProcCapture();
const holder = (name: string): number => {
  const entry = capture.pids[name];
  assert.ok(entry, name);
  return entry.pid;
};
const forkedChild = capture.pids.holder1?.child ?? -1;

function clone(): ProcCapture {
  return JSON.parse(JSON.stringify(capture)) as ProcCapture;
}

async function collect(procFs: FakeProcFs, currentUid = 0): Promise<Awaited<ReturnType<typeof collectLinux>>> {
  return collectLinux({ procFs, procRoot: '/proc', currentUid, passwdPath: '/etc/passwd' });
}

describe('collectLinux on a captured /proc', () => {
  it('finds every PID holding a socket, including a listener inherited across fork()', async () => {
    const c = await collect(new FakeProcFs(capture));
    const inherited = c.sockets.find((s) => s.localPort === 41007 && s.state === 'listen');
    assert.deepEqual(inherited?.pids.slice().sort((a, b) => a - b), [holder('holder1'), forkedChild].sort((a, b) => a - b));
    const group = c.sockets.filter((s) => s.localPort === 41006);
    assert.equal(group.length, 2);
    assert.ok(group.every((s) => s.pids.length === 1 && s.pids[0] === holder('holder0')));
  });

  it('describes each holder: parent, user, command line, cwd, start time', async () => {
    const c = await collect(new FakeProcFs(capture));
    const p = c.processes.find((x) => x.pid === holder('holder0'));
    assert.ok(p);
    assert.equal(p.user, 'root');
    assert.equal(p.uid, 0);
    assert.equal(p.cwd, '/srv/app');
    assert.equal(p.name, 'python3');
    assert.equal(p.argv[0], '/usr/bin/python3');
    assert.match(p.commandLine, /^\/usr\/bin\/python3 \S+socket_holder\.py '\{"chdir"/);
    assert.ok(typeof p.ppid === 'number' && p.ppid > 1);
    assert.match(p.startToken ?? '', /^\d+$/);
    assert.ok((p.startedAt ?? 0) > Date.UTC(2020, 0, 1), 'start time from btime + ticks');
    const nobody = c.processes.find((x) => x.pid === holder('holder5'));
    assert.equal(nobody?.user, 'nobody');
    assert.equal(nobody?.uid, 65534);
  });

  it('keeps a socket whose process it cannot see, with the owner uid', async () => {
    const c = await collect(new FakeProcFs(capture));
    const hidden = c.sockets.find((s) => s.localPort === 2024);
    assert.ok(hidden);
    assert.deepEqual(hidden.pids, []);
    assert.equal(hidden.uid, 0);
    const snapshot = buildSnapshot(c, { takenAt: 0, durationMs: 0 });
    const owner = snapshot.ports.find((g) => g.port === 2024)?.bindings[0]?.owners[0];
    assert.deepEqual(owner, { uid: 0, user: 'root', socketCount: 1, listeningCount: 1, workspace: false });
  });

  it('derives the warnings a user of this machine should see', async () => {
    const snapshot = buildSnapshot(await collect(new FakeProcFs(capture)), { takenAt: 0, durationMs: 0 });
    const hijack = snapshot.warnings.find((w) => w.kind === 'different-users' && w.port === 41008);
    assert.equal(hijack?.severity, 'error');
    assert.equal(hijack?.protocol, 'udp');
    assert.match(hijack?.message ?? '', /root, nobody/);
    assert.match(hijack?.message ?? '', /SO_REUSEADDR on UDP does not check the user/);
    const split = snapshot.warnings.find((w) => w.kind === 'address-split' && w.port === 41003);
    assert.ok(split, 'tcp 41003 is 0.0.0.0 in one process and [::] in another');
    assert.deepEqual(split.pids.slice().sort((a, b) => a - b), [holder('holder2'), holder('holder3')].sort((a, b) => a - b));
    const group = snapshot.warnings.find((w) => w.kind === 'reuse-port-group' && w.port === 41006);
    assert.equal(group?.severity, 'info', 'two sockets of one process');
    assert.ok(!snapshot.warnings.some((w) => w.kind === 'reuse-port-group' && w.port === 41007), 'one inode in two PIDs is not a group');
    assert.ok(snapshot.warnings.some((w) => w.kind === 'all-interfaces' && w.port === 41004 && w.protocol === 'udp'));
    assert.ok(!snapshot.warnings.some((w) => w.port === 41001), 'a lone loopback listener is fine');
  });

  it('survives a process that exits between the fd walk and reading its details', async () => {
    const gone = holder('holder2');
    const fs = new FakeProcFs(capture).failWith(`/proc/${gone}/stat`, 'ENOENT').failWith(`/proc/${gone}/status`, 'ESRCH');
    const c = await collect(fs);
    assert.ok(!c.processes.some((p) => p.pid === gone));
    const orphan = c.sockets.find((s) => s.localPort === 41003 && s.family === 'ipv4');
    assert.deepEqual(orphan?.pids, [], 'its socket is kept, with no PID');
    assert.equal(orphan?.uid, 0);
    assert.ok(c.processes.some((p) => p.pid === holder('holder3')), 'the rest of the scan is intact');
  });

  it('survives a process that exits while its fd directory is listed', async () => {
    const fs = new FakeProcFs(capture).failWith(`/proc/${holder('holder3')}/fd`, 'ENOENT').failWith(`/proc/${holder('holder0')}/fd/4`, 'ENOENT');
    const c = await collect(fs);
    assert.deepEqual(c.sockets.find((s) => s.localPort === 41003 && s.family === 'ipv6')?.pids, []);
    assert.deepEqual(c.sockets.find((s) => s.localPort === 41002)?.pids, [], 'fd closed after readdir');
    assert.deepEqual(c.sockets.find((s) => s.localPort === 41001)?.pids, [holder('holder0')]);
    assert.deepEqual(c.notes, [
      "3 listening socket(s) have no process in this /proc: they belong to another PID namespace (a container, a sandbox) or to a process that just exited; their owner's UID is shown.",
    ]);
  });

  it('says so when an fd directory cannot be read, and still warns on the uid it sees', async () => {
    const fs = new FakeProcFs(capture).failWith(`/proc/${holder('holder5')}/fd`, 'EACCES');
    const c = await collect(fs);
    assert.ok(c.notes.some((n) => /open files of 1 process\(es\) could not be read/.test(n)), c.notes.join('\n'));
    const snapshot = buildSnapshot(c, { takenAt: 0, durationMs: 0 });
    const hijack = snapshot.warnings.find((w) => w.kind === 'different-users' && w.port === 41008);
    assert.equal(hijack?.severity, 'error');
    assert.match(hijack?.message ?? '', /a process of nobody Bindwatch cannot see/);
  });

  it('as an ordinary user, opens only its own fd directories', async () => {
    const fs = new FakeProcFs(capture);
    const c = await collect(fs, 65534);
    const fdDirsOpened = fs.asked.filter((p) => /^\/proc\/\d+\/fd$/.test(p));
    assert.deepEqual(fdDirsOpened, [`/proc/${holder('holder5')}/fd`]);
    assert.deepEqual(c.sockets.find((s) => s.localPort === 41008 && s.uid === 65534)?.pids, [holder('holder5')]);
    assert.deepEqual(c.sockets.find((s) => s.localPort === 41001)?.pids, []);
    assert.ok(c.notes.some((n) => /belong to other users' processes/.test(n)), c.notes.join('\n'));
  });

  it('explains hidepid when /proc hides other users', async () => {
    const hidden = clone();
    hidden.files['/proc/self/mountinfo'] = '22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw,hidepid=invisible\n';
    hidden.dirs['/proc'] = [String(holder('holder5'))];
    const c = await collect(new FakeProcFs(hidden), 65534);
    assert.ok(c.notes.some((n) => n.includes('hidepid=invisible')), c.notes.join('\n'));
    assert.equal(c.processes.length, 1);
    assert.ok(c.sockets.filter((s) => s.localPort === 41001).every((s) => s.uid === 0 && s.pids.length === 0));
  });

  it('keeps going without a table the kernel does not offer (IPv6 disabled)', async () => {
    const noV6 = clone();
    delete noV6.files['/proc/net/tcp6'];
    delete noV6.files['/proc/net/udp6'];
    const c = await collect(new FakeProcFs(noV6));
    assert.ok(c.sockets.some((s) => s.localPort === 41001));
    assert.ok(!c.sockets.some((s) => s.family === 'ipv6'));
    assert.ok(c.notes.some((n) => n.includes('tcp6 (ENOENT)')));
  });

  it('fails with a reason when no socket table can be read', async () => {
    const none = clone();
    for (const t of ['tcp', 'tcp6', 'udp', 'udp6']) delete none.files[`/proc/net/${t}`];
    await assert.rejects(collect(new FakeProcFs(none)), /cannot read \/proc\/net: tcp \(ENOENT\)/);
  });

  it('walks the parent chain of holders for terminal attribution', async () => {
    const withParent = clone();
    const pid = holder('holder0');
    const stat = withParent.files[`/proc/${pid}/stat`] ?? '';
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    withParent.files[`/proc/${ppid}/stat`] = `${ppid} (bash) S 1 ${ppid} ${ppid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0\n`;
    withParent.files['/proc/1/stat'] = '1 (init) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0\n';
    const c = await collect(new FakeProcFs(withParent));
    const chain = c.lineage.filter((l) => l.pid === pid || l.pid === ppid || l.pid === 1);
    assert.deepEqual(
      chain.map((l) => [l.pid, l.ppid, l.name]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [1, 0, 'init'],
        [ppid, 1, 'bash'],
        [pid, ppid, 'python3'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    assert.equal(c.lineage.find((l) => l.pid === ppid)?.startToken, '4242');
  });
});

describe('collectLinux poll after poll (fd cache)', () => {
  const withSelf = (): ProcCapture => {
    const c = clone();
    c.dirs['/proc/self/fd'] = ['0', '1', '2'];
    return c;
  };
  const readlinks = (fs: FakeProcFs, from: number): string[] => fs.asked.slice(from).filter((p) => /\/fd\/\d+$/.test(p));
  const ownersOf = (c: Awaited<ReturnType<typeof collectLinux>>, port: number): number[][] =>
    c.sockets.filter((s) => s.localPort === port).map((s) => s.pids.slice().sort((a, b) => a - b));

  it('walks no fd directory again while no process changed, and gives the same owners', async () => {
    const fs = new FakeProcFs(withSelf());
    const cache = new LinuxFdCache();
    const first = await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const mark = fs.asked.length;
    const second = await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    assert.deepEqual(readlinks(fs, mark), []);
    assert.deepEqual(
      second.sockets.map((s) => [s.localPort, s.pids.slice().sort()]),
      first.sockets.map((s) => [s.localPort, s.pids.slice().sort()]),
    );
    assert.deepEqual([cache.fullScans, cache.incrementalScans], [1, 1]);
  });

  it('walks again a process whose number of fds changed, and only that one', async () => {
    const capture = withSelf();
    const fs = new FakeProcFs(capture);
    const cache = new LinuxFdCache();
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    // holder2 receives the 41001 listener over a unix socket (SCM_RIGHTS): one more fd.
    const pid = holder('holder2');
    const inode41001 = capture.links[`/proc/${holder('holder0')}/fd/3`] ?? '';
    capture.dirs[`/proc/${pid}/fd`]?.push('9');
    capture.links[`/proc/${pid}/fd/9`] = inode41001;
    const mark = fs.asked.length;
    const c = await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    assert.ok(readlinks(fs, mark).every((p) => p.startsWith(`/proc/${pid}/fd/`)), readlinks(fs, mark).join('\n'));
    assert.deepEqual(ownersOf(c, 41001), [[holder('holder0'), pid].sort((a, b) => a - b)]);
  });

  it('walks again a PID that now names another process (same fd count, new start time)', async () => {
    const capture = withSelf();
    const fs = new FakeProcFs(capture);
    const cache = new LinuxFdCache();
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const pid = holder('holder3');
    const stat = capture.files[`/proc/${pid}/stat`] ?? '';
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    fields[19] = String(Number(fields[19]) + 500);
    capture.files[`/proc/${pid}/stat`] = `${stat.slice(0, stat.lastIndexOf(')') + 2)}${fields.join(' ')}`;
    capture.links[`/proc/${pid}/fd/3`] = 'anon_inode:[eventfd]'; // the new process holds no socket
    const mark = fs.asked.length;
    const c = await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    assert.ok(readlinks(fs, mark).some((p) => p.startsWith(`/proc/${pid}/fd/`)));
    assert.deepEqual(ownersOf(c, 41003), [[holder('holder2')], []], 'the v6 listener of the old process is no longer attributed to the new one');
  });

  it('keeps holders\' command lines between polls but reads their working directory every time', async () => {
    const capture = withSelf();
    const fs = new FakeProcFs(capture);
    const cache = new LinuxFdCache();
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const pid = holder('holder0');
    capture.links[`/proc/${pid}/cwd`] = '/srv/app/moved';
    const mark = fs.asked.length;
    const c = await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const asked = fs.asked.slice(mark);
    assert.ok(!asked.includes(`/proc/${pid}/cmdline`) && !asked.includes(`/proc/${pid}/status`));
    assert.ok(asked.includes(`/proc/${pid}/cwd`));
    assert.equal(c.processes.find((p) => p.pid === pid)?.cwd, '/srv/app/moved');
    assert.equal(c.processes.find((p) => p.pid === pid)?.user, 'root');
    assert.match(c.processes.find((p) => p.pid === pid)?.commandLine ?? '', /socket_holder\.py/);
  });

  it('walks everything again once the full-walk interval has passed', async () => {
    const fs = new FakeProcFs(withSelf());
    const cache = new LinuxFdCache(0);
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const mark = fs.asked.length;
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    assert.ok(readlinks(fs, mark).length > 10);
    assert.deepEqual([cache.fullScans, cache.incrementalScans], [2, 0]);
  });

  it('always walks everything where the kernel does not count fds in stat (before Linux 6.2)', async () => {
    const capture = withSelf();
    delete capture.dirs['/proc/self/fd'];
    const fs = new FakeProcFs(capture);
    const cache = new LinuxFdCache();
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    const mark = fs.asked.length;
    await collectLinux({ procFs: fs, currentUid: 0, fdCache: cache });
    assert.ok(readlinks(fs, mark).length > 10);
    assert.equal(cache.incrementalScans, 0);
  });
});
