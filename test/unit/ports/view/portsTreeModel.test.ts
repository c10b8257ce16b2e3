// What the ports view shows for a snapshot: sections, rows, tooltips, warnings, bind lines, filters,
// and which actions each row offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PortsFilters, PortsTree, ViewNode } from '../../../../src/ports/view/portsTreeModel';
import { DEFAULT_FILTERS, buildPortsTree, filtersDescription, findNode, findPortNode, tooltipOf, treeFingerprint, treeInputKey } from '../../../../src/ports/view/portsTreeModel';
import { ME, scene, site } from './viewTestData';

function tree(filters: Partial<PortsFilters> = {}, sites = [site('/w/app/server.py', 6, 47913), site('/w/other/app.js', 3, 8080, 'unknown')]): PortsTree {
  return buildPortsTree({ snapshot: scene(), filters: { ...DEFAULT_FILTERS, ...filters }, sites, currentUid: ME, protectedPids: new Set([1, 2]) });
}

function row(t: PortsTree, id: string): ViewNode {
  const found = findNode(t.roots, (n) => n.id === id);
  assert.ok(found, `no node ${id}; have ${JSON.stringify(ids(t.roots))}`);
  return found.node;
}

function ids(nodes: readonly ViewNode[]): unknown[] {
  return nodes.map((n) => (n.children.length > 0 ? [n.id, ids(n.children)] : n.id));
}

test('workspace ports come first, in their own section, then the other listening ports by number', () => {
  const t = tree();
  assert.equal(t.state, 'ok');
  assert.deepEqual(t.roots.map((r) => r.label), ['This Workspace', 'Other Listening Ports']);
  assert.deepEqual(t.roots[0]?.children.map((c) => c.label), ['47913']);
  assert.deepEqual(t.roots[1]?.children.map((c) => `${c.label} ${c.target?.protocol ?? ''}`), ['5353 udp', '8080 tcp', '9000 tcp']);
  assert.equal(t.workspacePorts, 1);
});

test('a port row shows protocol, address, process name and PID; its tooltip the command, user, cwd and reason', () => {
  const port = row(tree(), 'section/workspace/tcp/47913');
  assert.equal(port.description, 'tcp · 127.0.0.1 · python3 · pid 4242');
  const tip = tooltipOf(port) ?? '';
  assert.match(tip, /\*\*TCP port 47913\*\* · listening on `127\.0\.0\.1`/);
  assert.match(tip, /\*\*python3\*\* · pid 4242 · user dev/);
  assert.match(tip, /Command: `python3 server\.py`/);
  assert.match(tip, /Working directory: `\/w\/app`/);
  assert.match(tip, /This workspace:\*\* started from terminal "bash" \(pid 100\) of this window\./);
  assert.match(tip, /Also: working directory \/w\/app is inside workspace folder \/w\./);
  assert.match(tip, /Bound in this workspace at `server\.py:7`/);
  assert.equal(port.icon.color, 'workspace');
});

test('each port lists the workspace lines that bind it, and a click target for each', () => {
  const port = row(tree(), 'section/workspace/tcp/47913');
  const sites = port.children.filter((c) => c.kind === 'site');
  assert.deepEqual(sites.map((s) => [s.label, s.description]), [['server.py:7', 'app · socket.socket']]);
  assert.equal(sites[0]?.site?.line, 6);
  assert.equal(port.collapsible, 'expanded');
  // A bind of unknown protocol matches the TCP port held by another process.
  const other = row(tree(), 'section/other/tcp/8080');
  assert.deepEqual(other.children.filter((c) => c.kind === 'site').map((s) => s.label), ['app.js:4']);
  assert.equal(other.collapsible, 'collapsed');
});

test('one process on IPv4 and IPv6 is one holder: the row carries the process actions', () => {
  const port = row(tree(), 'section/other/tcp/8080');
  assert.equal(port.description, 'tcp · 0.0.0.0, [::] · node · pid 555');
  assert.equal(port.target?.pid, 555);
  assert.equal(port.target?.address, '0.0.0.0:8080');
  assert.equal(port.target?.url, 'http://localhost:8080');
  assert.deepEqual(port.target?.holds, ['tcp 0.0.0.0:8080', 'tcp [::]:8080']);
  for (const t of ['port', 'address', 'pid', 'stoppable', 'browsable', 'listening']) assert.ok(port.contextValue.includes(`;${t};`), `${t} in ${port.contextValue}`);
  assert.equal(port.children.filter((c) => c.kind === 'holder').length, 0);
});

test('a port shared by two users shows each holder and an error item with the explanation', () => {
  const port = row(tree(), 'section/other/udp/5353');
  assert.equal(port.description, 'udp · 0.0.0.0 · avahi (700), root');
  assert.equal(port.decoration?.severity, 'error');
  assert.equal(port.icon.id, 'error');
  assert.ok(!port.contextValue.includes(';pid;'), 'no single pid on the port row');
  const holders = port.children.filter((c) => c.kind === 'holder');
  assert.deepEqual(holders.map((h) => [h.label, h.description]), [['0.0.0.0:5353', 'avahi · pid 700'], ['0.0.0.0:5353', 'root · process not visible']]);
  assert.ok(holders[1]?.contextValue.includes(';hidden;'));
  const warning = port.children.find((c) => c.kind === 'warning' && c.contextValue.includes(';different-users;'));
  assert.ok(warning);
  assert.equal(warning.label, 'Held by different users');
  assert.match(tooltipOf(warning) ?? '', /SO\\_REUSEADDR on UDP does not check the user/);
  assert.equal(warning.decoration?.severity, 'error');
  assert.equal(tree().problems, 1);
});

test('another user\'s process offers Copy PID but not the inline Stop; VS Code\'s own processes are never stoppable', () => {
  const foreign = row(tree(), 'section/other/tcp/9000');
  assert.ok(foreign.contextValue.includes(';pid;'));
  assert.ok(!foreign.contextValue.includes(';stoppable;'));
  const t = buildPortsTree({ snapshot: scene(), filters: DEFAULT_FILTERS, sites: [], currentUid: ME, protectedPids: new Set([555]) });
  assert.ok(!row(t, 'section/other/tcp/8080').contextValue.includes(';stoppable;'));
});

test('all-interfaces notes appear for workspace ports only', () => {
  const other = row(tree(), 'section/other/tcp/8080');
  assert.equal(other.children.filter((c) => c.kind === 'warning').length, 0);
});

test('filters: workspace only, TCP only, UDP only, connections', () => {
  assert.deepEqual(tree({ workspaceOnly: true }).roots.map((r) => r.label), ['This Workspace']);
  const tcp = tree({ udp: false });
  assert.ok(findPortNode(tcp.roots, 5353, 'udp') === undefined);
  assert.ok(findPortNode(tcp.roots, 8080, 'tcp'));
  const udp = tree({ tcp: false });
  assert.deepEqual(udp.roots[0]?.children.map((c) => c.kind), ['message']);
  assert.deepEqual(udp.roots[1]?.children.map((c) => c.label), ['5353']);
  assert.equal(tree({ tcp: false, udp: false }).state, 'filtered');
  const all = tree({ listeningOnly: false });
  assert.equal(all.roots[1]?.label, 'Other Ports');
  const connection = findPortNode(all.roots, 51000, 'tcp');
  assert.equal(connection?.description, 'tcp · 1 connection · node · pid 555');
  assert.equal(connection?.icon.id, 'plug');
  assert.equal(connection?.target?.url, undefined);
  assert.equal(filtersDescription({ workspaceOnly: true, listeningOnly: true, tcp: true, udp: false }), 'workspace only · TCP');
  assert.equal(filtersDescription(DEFAULT_FILTERS), undefined);
});

test('an empty workspace section says how a port gets there', () => {
  const t = buildPortsTree({ snapshot: { ...scene(), ports: scene().ports.filter((g) => !g.workspace) }, filters: DEFAULT_FILTERS, sites: [], protectedPids: new Set() });
  const message = t.roots[0]?.children[0];
  assert.equal(message?.label, 'No port is held by this workspace');
  assert.equal(message?.description, 'start a server in a terminal');
});

test('no snapshot yet, or no socket at all, leaves the tree empty with a state for the welcome text', () => {
  assert.equal(buildPortsTree({ snapshot: undefined, filters: DEFAULT_FILTERS, sites: [], protectedPids: new Set() }).state, 'loading');
  assert.equal(buildPortsTree({ snapshot: { ...scene(), ports: [] }, filters: DEFAULT_FILTERS, sites: [], protectedPids: new Set() }).state, 'empty');
});

test('ids are stable and the fingerprint changes only when what is shown changes', () => {
  const a = tree();
  const b = buildPortsTree({ snapshot: { ...scene(), takenAt: 1, durationMs: 99 }, filters: DEFAULT_FILTERS, sites: [site('/w/app/server.py', 6, 47913), site('/w/other/app.js', 3, 8080, 'unknown')], currentUid: ME, protectedPids: new Set([1, 2]) });
  assert.deepEqual(ids(a.roots), ids(b.roots));
  assert.equal(treeFingerprint(a), treeFingerprint(b));
  assert.notEqual(treeFingerprint(a), treeFingerprint(tree({}, [])));
});

test('a tooltip survives markdown characters and backticks in a command line', () => {
  const snapshot = scene();
  const p = snapshot.processes.find((x) => x.pid === 4242);
  assert.ok(p);
  p.commandLine = 'python3 -c "print(`x`)" *args*';
  const t = buildPortsTree({ snapshot, filters: DEFAULT_FILTERS, sites: [], currentUid: ME, protectedPids: new Set() });
  assert.match(tooltipOf(row(t, 'section/workspace/tcp/47913')) ?? '', /Command: ``python3 -c "print\(`x`\)" \*args\*``/);
});

test('limits of the scan show as quiet rows after the sections, the full text in the tooltip', () => {
  const snapshot = { ...scene(), notes: ["1 listening socket(s) have no process in this /proc: they belong to another PID namespace; their owner's UID is shown."] };
  const t = buildPortsTree({ snapshot, filters: DEFAULT_FILTERS, sites: [], protectedPids: new Set() });
  const note = t.roots[t.roots.length - 1];
  assert.equal(note?.label, '1 listening socket(s) have no process in this /proc');
  assert.equal(note?.kind, 'message');
  assert.match(tooltipOf(note ?? {}) ?? '', /another PID namespace/);
});

test('the input key skips rebuilds: same ports, same key; connections count only when shown', () => {
  const input = (snapshot: ReturnType<typeof scene>, filters: Partial<PortsFilters> = {}) => ({ snapshot, filters: { ...DEFAULT_FILTERS, ...filters }, sites: [], currentUid: ME, protectedPids: new Set([1]) });
  const base = scene();
  assert.equal(treeInputKey(input(base)), treeInputKey(input({ ...scene(), takenAt: 5, durationMs: 50 })));
  // A new client connection on another port.
  const churn = scene();
  churn.ports.push({ protocol: 'tcp', port: 52000, listening: false, workspace: false, bindings: [{ address: '127.0.0.1', family: 'ipv4', scope: 'loopback', listening: false, owners: [{ pid: 555, socketCount: 1, listeningCount: 0, workspace: false }], sockets: [] }] });
  assert.equal(treeInputKey(input(base)), treeInputKey(input(churn)));
  assert.notEqual(treeInputKey(input(base, { listeningOnly: false })), treeInputKey(input(churn, { listeningOnly: false })));
  // What a tooltip says changes the key.
  const moved = scene();
  const p = moved.processes.find((x) => x.pid === 4242);
  assert.ok(p);
  p.cwd = '/elsewhere';
  assert.notEqual(treeInputKey(input(base)), treeInputKey(input(moved)));
  assert.notEqual(treeInputKey(input(base)), treeInputKey({ ...input(base), sites: [site('/w/a.py', 1, 8080)] }));
  assert.notEqual(treeInputKey(input(base)), treeInputKey(input(base, { udp: false })));
});
