// Workspace binds meet live ports: which holder the editor names over a bind, and the server's
// bindwatch/portBinds answer from a real workspace index.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Analyzer } from '../../../../src/analysis/engine';
import { WorkspaceIndex } from '../../../../src/analysis/workspaceIndex';
import { DEFAULT_SETTINGS, effectiveConfig } from '../../../../src/server/settings';
import { portBindSites } from '../../../../src/server/portBindsRequest';
import { holdingForSite, holdingLensTitle, relativeSitePath, siteLabel, sortSites } from '../../../../src/ports/view/bindSites';
import { scene, site } from './viewTestData';

test('a bind of a held port names its holder; of a free port, nothing', () => {
  const snapshot = scene();
  const held = holdingForSite(snapshot, { port: 8080, protocol: 'tcp' });
  assert.ok(held);
  assert.equal(holdingLensTitle(held), 'port 8080 is held by node (pid 555)');
  const mine = holdingForSite(snapshot, { port: 47913, protocol: 'unknown' });
  assert.ok(mine);
  assert.equal(holdingLensTitle(mine), 'port 47913 is held by python3 (pid 4242) from this workspace');
  const shared = holdingForSite(snapshot, { port: 5353, protocol: 'udp' });
  assert.ok(shared);
  assert.equal(holdingLensTitle(shared), 'udp port 5353 is held by avahi (pid 700) and 1 more');
  assert.equal(holdingForSite(snapshot, { port: 5353, protocol: 'tcp' }), undefined);
  assert.equal(holdingForSite(snapshot, { port: 1234, protocol: 'unknown' }), undefined);
  // A connection on a port is not a holder of it.
  assert.equal(holdingForSite(snapshot, { port: 51000, protocol: 'tcp' }), undefined);
});

test('labels and relative paths of sites', () => {
  assert.equal(siteLabel({ path: '/w/app/server.py', line: 6 }), 'server.py:7');
  assert.equal(relativeSitePath('/w/app/server.py', ['/w', '/w/app']), 'server.py');
  assert.equal(relativeSitePath('/elsewhere/x.py', ['/w']), '/elsewhere/x.py');
  assert.equal(relativeSitePath('/wx/a.py', ['/w']), '/wx/a.py');
  const sorted = sortSites([site('/w/b.py', 1, 1), site('/w/a.py', 9, 1), site('/w/a.py', 2, 1), site('/w/a.py', 2, 1)]);
  assert.deepEqual(sorted.map((s) => `${s.path}:${s.line}`), ['/w/a.py:2', '/w/a.py:9', '/w/b.py:1']);
});

test('bindwatch/portBinds lists fixed-port binds of servers, not clients, with positions', async () => {
  const analyzer = new Analyzer();
  const index = new WorkspaceIndex(effectiveConfig(DEFAULT_SETTINGS));
  const server = [
    'import socket',
    '',
    'PORT = 47913',
    '',
    'srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
    'srv.bind(("127.0.0.1", PORT))',
    'srv.listen()',
    'cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
    'cli.connect(("127.0.0.1", 9))',
    'eph = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    'eph.bind(("", 0))',
    '',
  ].join('\n');
  const app = "const http = require('node:http');\nhttp.createServer(() => {}).listen(47913, '127.0.0.1');\n";
  index.set(await analyzer.analyze({ path: '/w/server.py', text: server }));
  index.set(await analyzer.analyze({ path: '/w/app.js', text: app }));

  const all = portBindSites(index);
  assert.deepEqual(
    all.map((s) => [s.path, s.line, s.port, s.protocol, s.host]).sort(),
    [['/w/app.js', 1, 47913, 'tcp', '127.0.0.1'], ['/w/server.py', 5, 47913, 'tcp', '127.0.0.1']].sort(),
  );
  const py = all.find((s) => s.path === '/w/server.py');
  assert.equal(py?.uri, 'file:///w/server.py');
  assert.equal(py?.api, 'socket.socket');
  assert.equal(py?.character, 0);
  assert.deepEqual(portBindSites(index, { uri: 'file:///w/app.js' }).map((s) => s.path), ['/w/app.js']);
  assert.deepEqual(portBindSites(index, { ports: [1] }), []);
  assert.deepEqual(portBindSites(index, { uri: 'untitled:Untitled-1' }), []);
});
