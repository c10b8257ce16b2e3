import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runPortsCommand } from '../../../src/cli/portsCommand';
import type { Collection } from '../../../src/ports/collectedSockets';
import { PortsCollector } from '../../../src/ports/collector';
import type { PortsSnapshot } from '../../../src/ports/snapshot';

const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bindwatch-ports-cli-')));
after(() => fs.rmSync(workspace, { recursive: true, force: true }));

function scene(): Collection {
  const sock = (protocol: 'tcp' | 'udp', address: string, port: number, pids: number[], uid: number, extra: Record<string, unknown> = {}) => ({
    protocol,
    family: address.includes(':') ? ('ipv6' as const) : ('ipv4' as const),
    localAddress: address,
    localPort: port,
    remoteAddress: address.includes(':') ? '::' : '0.0.0.0',
    remotePort: 0,
    state: protocol === 'tcp' ? ('listen' as const) : ('unconnected' as const),
    inode: String(port * 10 + pids.length + uid),
    uid,
    pids,
    ...extra,
  });
  return {
    platform: 'linux',
    sockets: [
      sock('tcp', '0.0.0.0', 22, [], 0),
      sock('tcp', '127.0.0.1', 3000, [4242], 1000),
      sock('tcp', '::1', 3000, [4250], 1000),
      sock('tcp', '127.0.0.1', 3000, [4242], 1000, { state: 'established', remoteAddress: '127.0.0.1', remotePort: 51000, inode: '77' }),
      sock('tcp', '127.0.0.1', 51000, [5120], 1000, { state: 'established', remoteAddress: '127.0.0.1', remotePort: 3000, inode: '78' }),
      sock('udp', '0.0.0.0', 5000, [4242], 1000),
      sock('udp', '0.0.0.0', 5000, [], 65534),
    ],
    processes: [
      { pid: 4242, ppid: 1, uid: 1000, user: 'me', name: 'node', argv: ['node', 'server.js'], commandLine: 'node server.js', cwd: path.join(workspace, 'api'), startToken: '1' },
      { pid: 4250, ppid: 1, uid: 1000, user: 'me', name: 'python3', argv: ['python3', '-m', 'http.server'], commandLine: 'python3 -m http.server', cwd: '/tmp', startToken: '2' },
      { pid: 5120, ppid: 1, uid: 1000, user: 'me', name: 'curl', argv: ['curl', 'localhost:3000'], commandLine: 'curl localhost:3000', cwd: '/tmp', startToken: '3' },
    ],
    lineage: [],
    notes: ['1 socket(s) belong to other users\' processes, which only root can inspect; their owner\'s UID is shown instead of a process.'],
    currentUid: 1000,
    users: { '0': 'root', '1000': 'me' },
  };
}

async function run(args: string[], collector: Pick<PortsCollector, 'scan' | 'setWorkspace'> = new PortsCollector({ platform: 'linux', collect: () => Promise.resolve(scene()) })) {
  let stdout = '';
  let stderr = '';
  const code = await runPortsCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, { isTTY: false, collector });
  return { code, stdout, stderr };
}

describe('bindwatch ports: arguments', () => {
  it('rejects an unknown option with exit 2 and a one-line reason', async () => {
    const r = await run(['--all']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'bindwatch ports: unknown option "--all" (expected --json, --listening, --workspace DIR)\n');
  });

  it('rejects paths, a --workspace without a directory, and a directory that does not exist', async () => {
    assert.deepEqual(await run(['src']), { code: 2, stdout: '', stderr: 'bindwatch ports: unexpected argument "src" (ports takes no paths; use --workspace DIR)\n' });
    assert.equal((await run(['--workspace'])).stderr, 'bindwatch ports: --workspace needs a directory\n');
    assert.equal((await run(['--workspace', '--json'])).code, 2);
    const missing = await run(['--workspace', path.join(workspace, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^bindwatch ports: --workspace: no such directory ".*nope"\n$/);
  });

  it('prints help on --help with exit 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: bindwatch ports \[--json\] \[--listening\] \[--workspace DIR\]/);
  });

  it('exits 2 with the reason when the scan fails', async () => {
    const failing = new PortsCollector({ platform: 'linux', collect: () => Promise.reject(new Error('cannot list /proc: EACCES')) });
    const r = await run([], failing);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'bindwatch ports: Scanning ports failed: cannot list /proc: EACCES\n');
  });
});

describe('bindwatch ports: output', () => {
  it('--json prints the full model, attributed to --workspace', async () => {
    const r = await run(['--json', `--workspace=${workspace}`]);
    assert.equal(r.code, 0);
    const model = JSON.parse(r.stdout) as PortsSnapshot;
    assert.deepEqual(model.workspaceFolders, [workspace]);
    assert.equal(model.processes.find((p) => p.pid === 4242)?.workspace?.reason, 'cwd');
    assert.ok(model.ports.some((g) => g.port === 51000), 'connections are in the default model');
    assert.ok(model.warnings.some((w) => w.kind === 'different-users' && w.severity === 'error'));
  });

  it('--listening leaves out connections', async () => {
    const model = JSON.parse((await run(['--json', '--listening'])).stdout) as PortsSnapshot;
    assert.deepEqual(model.ports.map((g) => `${g.protocol} ${g.port}`), ['tcp 22', 'tcp 3000', 'udp 5000']);
    assert.ok(model.ports.every((g) => g.bindings.every((b) => b.sockets.every((s) => s.listening))));
  });

  it('prints the workspace\'s ports first with the reason, warnings under their port, then the rest', async () => {
    const r = await run(['--workspace', workspace]);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout.replace(/scanned in [\d.]+ ms/, 'scanned in N ms'),
      [
        `Workspace: ${workspace}`,
        '  tcp 3000 listening',
        '    127.0.0.1  pid 4242  me  node server.js',
        `               workspace: working directory ${workspace}/api is inside workspace folder ${workspace}`,
        '               1 connection on this port',
        '    [::1]      pid 4250  me  python3 -m http.server',
        '    warning: tcp 3000 is split between different processes: 127.0.0.1 by node (pid 4242); [::1] by python3 (pid 4250). A client connecting to "localhost" may reach the other server, depending on whether it resolves to IPv4 or IPv6.',
        '  udp 5000 bound',
        '    0.0.0.0    pid 4242  me  node server.js',
        '               uid 65534, process not visible',
        '    error: udp 5000 on 0.0.0.0 is shared by processes of different users (me, uid 65534): node (pid 4242), a process of uid 65534 Bindwatch cannot see. On Linux, SO_REUSEADDR on UDP does not check the user, so one user can receive datagrams meant for the other (port hijack).',
        '    warning: udp 5000 on 0.0.0.0: 2 sockets share this exact address (SO_REUSEPORT or SO_REUSEADDR); multicast and broadcast datagrams reach all of them, unicast ones reach one (balanced with SO_REUSEPORT, the last bound with only SO_REUSEADDR). Held by node (pid 4242), a process of uid 65534 Bindwatch cannot see. They belong to separate programs: an old server may still be answering part of the traffic.',
        '    note: udp 5000 listens on all interfaces (0.0.0.0): other machines on the network can reach it.',
        '',
        'Other listening ports',
        '  tcp 22 listening',
        '    0.0.0.0    root (uid 0), process not visible',
        '',
        'Other sockets (connections, not listening)',
        '  tcp 51000',
        '    127.0.0.1  pid 5120  me  curl localhost:3000',
        '               established → 127.0.0.1:3000',
        '',
        '3 listening ports · 2 held by the workspace · 3 warnings (1 serious) · scanned in N ms',
        "note: 1 socket(s) belong to other users' processes, which only root can inspect; their owner's UID is shown instead of a process.",
        '',
      ].join('\n'),
    );
  });

  it('says when no port belongs to the workspace', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'bindwatch-empty-'));
    try {
      const r = await run(['--listening', '--workspace', empty]);
      assert.match(r.stdout, /^Workspace: .*\n {2}\(no port is held by a process of this workspace\)\n/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
