import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalDescendantMemory, attributeToWorkspace, isPathInside } from '../../../src/ports/attribution';
import type { CollectedProcess, ProcessLineage } from '../../../src/ports/collectedSockets';

function proc(pid: number, ppid: number, extra: Partial<CollectedProcess> = {}): CollectedProcess {
  return { pid, ppid, name: 'node', argv: ['node', 'server.js'], commandLine: 'node server.js', startToken: `t${pid}`, ...extra };
}

const line = (pid: number, ppid: number, name = 'bash', startToken = `t${pid}`): ProcessLineage => ({ pid, ppid, name, startToken });

describe('attributeToWorkspace', () => {
  it('attributes a process whose working directory is inside a workspace folder, and says so', () => {
    const a = attributeToWorkspace([proc(10, 1, { cwd: '/home/me/app/api' })], [], { folders: ['/home/me/app'] });
    assert.equal(a.get(10)?.reason, 'cwd');
    assert.equal(a.get(10)?.detail, 'working directory /home/me/app/api is inside workspace folder /home/me/app');
    assert.equal(a.get(10)?.folder, '/home/me/app');
  });

  it('does not confuse a sibling folder sharing a name prefix', () => {
    const a = attributeToWorkspace(
      [proc(10, 1, { cwd: '/home/me/app2' }), proc(11, 1, { argv: ['node', '/home/me/app-old/x.js'], commandLine: 'node /home/me/app-old/x.js' })],
      [],
      { folders: ['/home/me/app/'] },
    );
    assert.equal(a.size, 0);
    assert.equal(isPathInside('/home/me/app', '/home/me/app/'), true);
    assert.equal(isPathInside('C:\\Work\\App\\src', 'c:/work/app', 'win32'), true);
    assert.equal(isPathInside('/Users/Me/Proj', '/users/me/proj', 'darwin'), true);
    assert.equal(isPathInside('/Users/Me/Proj', '/users/me/proj', 'linux'), false);
  });

  it('attributes a command line that names a workspace path, also inside --flag=value', () => {
    const a = attributeToWorkspace(
      [proc(10, 1, { cwd: '/', argv: ['python3', '-m', 'uvicorn', '--app-dir=/srv/proj/backend'], commandLine: '' })],
      [],
      { folders: ['/srv/proj'] },
    );
    assert.equal(a.get(10)?.reason, 'command-line');
    assert.match(a.get(10)?.detail ?? '', /names --app-dir=\/srv\/proj\/backend, inside workspace folder \/srv\/proj/);
  });

  it('attributes descendants of a terminal of this window, strongest reason first', () => {
    const processes = [proc(30, 20, { cwd: '/w' })];
    const lineage = [line(30, 20, 'node'), line(20, 10, 'npm'), line(10, 5, 'bash'), line(5, 1, 'code')];
    const a = attributeToWorkspace(processes, lineage, { folders: ['/w'], terminals: [{ pid: 10, startToken: 't10', name: 'bash' }] });
    assert.equal(a.get(30)?.reason, 'terminal');
    assert.equal(a.get(30)?.detail, 'started from terminal "bash" (pid 10) of this window');
    assert.deepEqual(a.get(30)?.evidence.map((e) => e.reason), ['terminal', 'cwd']);
  });

  it('does not trust a terminal PID that now names another process (start token differs)', () => {
    const a = attributeToWorkspace([proc(30, 10)], [line(30, 10, 'node'), line(10, 1, 'bash', 'reused')], {
      folders: [],
      terminals: [{ pid: 10, startToken: 't10' }],
    });
    assert.equal(a.size, 0);
  });

  it('keeps attributing a server after its terminal closed and it was reparented to init', () => {
    const memory = new TerminalDescendantMemory();
    const context = { folders: [], terminals: [{ pid: 10, startToken: 't10', name: 'dev', kind: 'task' as const }] };
    const first = attributeToWorkspace([proc(30, 20)], [line(30, 20, 'node'), line(20, 10, 'sh'), line(10, 1, 'bash')], context, { memory });
    assert.equal(first.get(30)?.reason, 'terminal');
    assert.equal(memory.size, 2, 'the server and the shell between it and the task');

    // The task ended; its server survived and now hangs off PID 1.
    const later = attributeToWorkspace([proc(30, 1)], [line(30, 1, 'node')], { folders: [], terminals: [] }, { memory });
    assert.equal(later.get(30)?.reason, 'terminal');
    assert.equal(later.get(30)?.detail, 'started from task "dev" (pid 10) of this window, which has since closed');

    // A child the orphaned shell forks later is attributed through its remembered parent.
    const grandchild = attributeToWorkspace([proc(40, 20)], [line(40, 20, 'node'), line(20, 1, 'sh')], { folders: [] }, { memory });
    assert.equal(grandchild.get(40)?.reason, 'terminal');

    // The same PID reused by a new process (another start token) is not.
    const reused = attributeToWorkspace([proc(30, 1, { startToken: 'new' })], [], { folders: [] }, { memory });
    assert.equal(reused.size, 0);
  });

  it('recognises the environment marker, and with a value only this window\'s', () => {
    const processes = [proc(10, 1, { envMarker: 'window-a' }), proc(11, 1, { envMarker: 'window-b' }), proc(12, 1)];
    const any = attributeToWorkspace(processes, [], { folders: [], envMarker: { name: 'BINDWATCH_WINDOW' } });
    assert.deepEqual([...any.keys()].sort(), [10, 11]);
    const mine = attributeToWorkspace(processes, [], { folders: [], envMarker: { name: 'BINDWATCH_WINDOW', value: 'window-a' } });
    assert.deepEqual([...mine.keys()], [10]);
    assert.equal(mine.get(10)?.detail, 'its environment has BINDWATCH_WINDOW set by a terminal of this window');
  });

  it('says when the process is the terminal itself', () => {
    const a = attributeToWorkspace([proc(10, 1, { name: 'nc' })], [line(10, 1, 'nc')], { folders: [], terminals: [{ pid: 10, startToken: 't10' }] });
    assert.equal(a.get(10)?.detail, 'is terminal pid 10 of this window');
  });
});
