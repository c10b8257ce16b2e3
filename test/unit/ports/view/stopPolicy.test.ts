// When the view stops a process, and what it says instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stopConfirmation, stopVerdict } from '../../../../src/ports/view/stopPolicy';
import type { PortProcess } from '../../../../src/ports/snapshot';
import { ME } from './viewTestData';

const server: PortProcess = { pid: 4242, uid: ME, user: 'dev', name: 'python3', argv: ['python3', 'server.py'], commandLine: 'python3 server.py', cwd: '/w/app', startToken: '123' };
const context = { trusted: true, currentUid: ME, protectedPids: new Set([77]), process: server };

test('an own process with a start token may be stopped', () => {
  assert.deepEqual(stopVerdict({ pid: 4242, name: 'python3' }, context), { allowed: true, pid: 4242, startToken: '123', name: 'python3' });
});

test('Restricted Mode stops nothing', () => {
  const verdict = stopVerdict({ pid: 4242 }, { ...context, trusted: false });
  assert.equal(verdict.allowed, false);
  assert.ok(!verdict.allowed && verdict.refusal === 'untrusted' && /Restricted Mode/.test(verdict.message));
});

test('other users\' processes are refused with the reason', () => {
  const eve: PortProcess = { ...server, pid: 800, uid: 1001, user: 'eve', name: 'nc' };
  const verdict = stopVerdict({ pid: 800, name: 'nc' }, { ...context, process: eve });
  assert.ok(!verdict.allowed);
  assert.equal(verdict.refusal, 'other-user');
  assert.equal(verdict.message, 'nc (pid 800) belongs to another user (eve); only that user or root may stop it.');
  const asRoot = stopVerdict({ pid: 800, name: 'nc' }, { ...context, currentUid: 0, process: eve });
  assert.ok(!asRoot.allowed && /only stops processes of the user running VS Code/.test(asRoot.message));
});

test('hidden holders, VS Code itself and processes without a start time are refused', () => {
  const hidden = stopVerdict({ uid: 0, user: 'root' }, context);
  assert.ok(!hidden.allowed && hidden.refusal === 'hidden' && /belongs to root and is not visible/.test(hidden.message));
  const vscode = stopVerdict({ pid: 77, name: 'node' }, { ...context, process: { ...server, pid: 77 } });
  assert.ok(!vscode.allowed && vscode.refusal === 'protected');
  const { startToken: _dropped, ...noToken } = server;
  const unknown = stopVerdict({ pid: 4242 }, { ...context, process: noToken });
  assert.ok(!unknown.allowed && unknown.refusal === 'no-identity');
});

test('the confirmation names the process, its ports, command, cwd and the signals', () => {
  const { message, detail } = stopConfirmation(server, ['tcp 127.0.0.1:47913'], 5);
  assert.equal(message, 'Stop python3 (pid 4242)?');
  assert.equal(
    detail,
    [
      'It holds tcp 127.0.0.1:47913.',
      'Command: python3 server.py',
      'Working directory: /w/app',
      'Bindwatch sends SIGTERM, and SIGKILL if it is still running after 5 s. Before each step it checks that pid 4242 still names the same process.',
    ].join('\n'),
  );
  assert.match(stopConfirmation(server, [], 3, 'win32').detail, /asks it to close, and ends it forcibly if it is still running after 3 s/);
});
