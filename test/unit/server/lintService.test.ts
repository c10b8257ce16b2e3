// The server core against a hand-written workspace in a temp folder, with the fake adapter.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from '../../../src/analysis/engine';
import { LintService, type FolderSettings } from '../../../src/server/lintService';
import { FIX_ALL_KIND, type StatusParams } from '../../../src/server/protocol';
import { DEFAULT_SETTINGS } from '../../../src/server/settings';
import { pathToUri } from '../../../src/server/uris';
import type { LanguageAdapter } from '../../../src/languages/adapter';
import { fakeAdapter } from './fakeAdapter';

const temp: string[] = [];
after(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bindwatch-server-'));
  temp.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Unix targets unless a test says otherwise, so SO_REUSEADDR does not also raise windows-hijack. */
function harness(root: string, settings: Partial<FolderSettings['settings']> = {}, fileConfig: FolderSettings['fileConfig'] = {}, fallback?: LanguageAdapter) {
  fileConfig = { platforms: ['linux', 'darwin'], ...fileConfig };
  const published = new Map<string, Diagnostic[]>();
  const logs: string[] = [];
  const statuses: StatusParams[] = [];
  const service = new LintService(new Analyzer([fakeAdapter], fallback), {
    publish: (uri, diagnostics) => published.set(uri, diagnostics),
    log: (level, message) => logs.push(`${level}: ${message}`),
    status: (s) => statuses.push(s),
    beginProgress: () => Promise.resolve({ report: () => undefined, done: () => undefined }),
  });
  service.configure([{ root, settings: { ...DEFAULT_SETTINGS, ...settings }, fileConfig }]);
  const codes = (name: string): string[] => (published.get(pathToUri(join(root, name))) ?? []).map((d) => String(d.code)).sort();
  let version = 0;
  const open = async (name: string, text: string): Promise<TextDocument> => {
    const document = TextDocument.create(pathToUri(join(root, name)), 'fake', ++version, text);
    service.didOpen(join(root, name), document);
    await service.lintDocument(join(root, name));
    return document;
  };
  const edit = async (document: TextDocument, text: string): Promise<TextDocument> => {
    const next = TextDocument.update(document, [{ text }], document.version + 1);
    const path = join(root, document.uri.slice(pathToUri(root).length + 1));
    service.didOpen(path, next);
    await service.lintDocument(path);
    return next;
  };
  return { service, published, logs, statuses, codes, open, edit };
}

test('indexing publishes findings for files that are not open, cross-file ones included', async () => {
  const root = workspace({
    'a.fake': 'listen tcp 8080 reuseaddr\n',
    'b.fake': 'listen tcp 8080\n',
    'other.fake': 'listen tcp 9000 reuseaddr\n',
    'readme.md': 'listen tcp 8080\n',
  });
  const h = harness(root);
  const summary = await h.service.indexWorkspace();
  assert.equal(summary.files, 3);
  assert.deepEqual(h.codes('b.fake'), ['reuse-missing', 'reuse-one-sided']);
  assert.deepEqual(h.codes('a.fake'), []);
  const oneSided = h.published.get(pathToUri(join(root, 'b.fake')))?.find((d) => d.code === 'reuse-one-sided');
  assert.equal(oneSided?.source, 'bindwatch');
  assert.match(oneSided?.codeDescription?.href ?? '', /docs\/rules\/reuse-one-sided\.md$/);
  assert.equal(oneSided?.relatedInformation?.[0]?.location.uri, pathToUri(join(root, 'a.fake')));
  assert.deepEqual(oneSided?.relatedInformation?.[0]?.location.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 25 } });
  const status = h.statuses.at(-1);
  assert.equal(status?.state, 'ready');
  assert.equal(status?.findings, 2);
});

test('an edit in one open file updates the findings of the file that shares its port', async () => {
  const root = workspace({ 'a.fake': 'listen tcp 8080 reuseaddr\n', 'b.fake': 'listen tcp 8080\n' });
  const h = harness(root);
  await h.service.indexWorkspace();
  assert.ok(h.codes('b.fake').includes('reuse-one-sided'));
  const a = await h.open('a.fake', 'listen tcp 8080 reuseaddr\n');
  await h.edit(a, 'listen tcp 8081 reuseaddr\n');
  assert.deepEqual(h.codes('b.fake'), ['reuse-missing'], 'b.fake no longer shares a port');
  await h.edit(a, 'listen tcp 8080 reuseaddr\n');
  assert.ok(h.codes('b.fake').includes('reuse-one-sided'), 'and back');
});

test('closing a document puts the file on disk back into the index', async () => {
  const root = workspace({ 'a.fake': 'listen tcp 8080\n' });
  const h = harness(root);
  await h.service.indexWorkspace();
  const a = await h.open('a.fake', 'listen tcp 8080\n');
  await h.edit(a, 'listen tcp 8080 reuseaddr\n');
  assert.deepEqual(h.codes('a.fake'), []);
  await h.service.didClose(join(root, 'a.fake'));
  assert.deepEqual(h.codes('a.fake'), ['reuse-missing'], 'the unsaved edit is gone');
});

test('.gitignore, excludes and the size limit keep files out of the index', async () => {
  const root = workspace({
    '.gitignore': 'build/\n',
    'build/gen.fake': 'listen tcp 1\n',
    'vendor/lib.fake': 'listen tcp 2\n',
    'big.fake': `listen tcp 3\n${'x'.repeat(5000)}\n`,
    'src/app.fake': 'listen tcp 4\n',
  });
  const h = harness(root, { exclude: ['vendor/**'] }, { maxFileSize: 1000 });
  const summary = await h.service.indexWorkspace();
  assert.equal(summary.files, 1);
  assert.equal(summary.skipped, 1, 'big.fake is counted as skipped');
  assert.deepEqual([...h.published.keys()], [pathToUri(join(root, 'src/app.fake'))]);
  assert.equal(h.service.isExcluded(join(root, 'vendor/lib.fake')), true);
});

test('one bad file is logged and skipped; the others are still analyzed', async () => {
  const root = workspace({ 'bad.fake': 'listen tcp 1 boom\n', 'good.fake': 'listen tcp 2\n' });
  const h = harness(root);
  const summary = await h.service.indexWorkspace();
  assert.equal(summary.skipped, 1);
  assert.deepEqual(h.codes('good.fake'), ['reuse-missing']);
  assert.ok(h.logs.some((l) => l.startsWith('warn: Skipped') && l.includes('bad.fake') && l.includes('exploded')), h.logs.join('\n'));
});

test('severity settings apply, and turning a rule off removes its diagnostics', async () => {
  const root = workspace({ 'a.fake': 'listen tcp 8080\n' });
  const h = harness(root, { rules: { 'reuse-missing': 'error' } });
  await h.service.indexWorkspace();
  assert.equal(h.published.get(pathToUri(join(root, 'a.fake')))?.[0]?.severity, 1);
  h.service.configure([{ root, settings: { ...DEFAULT_SETTINGS, rules: { 'reuse-missing': 'off' } }, fileConfig: { platforms: ['linux'] } }]);
  h.service.publishAll();
  assert.deepEqual(h.codes('a.fake'), []);
});

test('with diagnosticsScope openFiles only open documents show findings', async () => {
  const root = workspace({ 'a.fake': 'listen tcp 8080\n', 'b.fake': 'listen tcp 9090\n' });
  const h = harness(root, { diagnosticsScope: 'openFiles' });
  await h.service.indexWorkspace();
  assert.equal(h.published.size, 0);
  await h.open('a.fake', 'listen tcp 8080\n');
  assert.deepEqual(h.codes('a.fake'), ['reuse-missing']);
  assert.deepEqual(h.codes('b.fake'), []);
});

test('code actions: the fix is the preferred quick fix, plus disable-line and fix-all', async () => {
  const root = workspace({});
  const h = harness(root);
  const text = 'listen tcp 8080\nlisten tcp 9090\n';
  const document = await h.open('a.fake', text);
  const diagnostics = h.published.get(document.uri) ?? [];
  assert.equal(diagnostics.length, 2);
  const actions: CodeAction[] = await h.service.codeActions(join(root, 'a.fake'), {
    textDocument: { uri: document.uri }, range: diagnostics[0]!.range, context: { diagnostics: [diagnostics[0]!] },
  });
  const preferred = actions.find((a) => a.isPreferred);
  assert.equal(preferred?.title, 'Set SO_REUSEADDR before bind');
  assert.equal(preferred?.kind, 'quickfix');
  const edits = preferred?.edit?.changes?.[document.uri] ?? [];
  assert.equal(TextDocument.applyEdits(document, edits), 'listen tcp 8080 reuseaddr\nlisten tcp 9090\n');
  const disable = actions.find((a) => a.title === 'Disable reuse-missing for this line');
  assert.equal(TextDocument.applyEdits(document, disable?.edit?.changes?.[document.uri] ?? []), 'listen tcp 8080  // bindwatch-disable-line reuse-missing\nlisten tcp 9090\n');
  assert.ok(actions.some((a) => a.command?.command === 'bindwatch.showRuleDocumentation'));

  const fixAll = await h.service.codeActions(join(root, 'a.fake'), {
    textDocument: { uri: document.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: [FIX_ALL_KIND] },
  });
  assert.equal(fixAll.length, 1);
  assert.equal(fixAll[0]?.kind, FIX_ALL_KIND);
  assert.equal(TextDocument.applyEdits(document, fixAll[0]?.edit?.changes?.[document.uri] ?? []), 'listen tcp 8080 reuseaddr\nlisten tcp 9090 reuseaddr\n');
  const alsoForSourceKind = await h.service.codeActions(join(root, 'a.fake'), {
    textDocument: { uri: document.uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  assert.equal(alsoForSourceKind.length, 1, 'editor.codeActionsOnSave "source.fixAll" includes ours');
});

test('code actions on a document edited since its last analysis use the current text', async () => {
  const root = workspace({});
  const h = harness(root);
  const document = await h.open('a.fake', 'listen tcp 8080\n');
  const stale = h.published.get(document.uri)?.[0];
  const next = TextDocument.update(document, [{ text: '\n\nlisten tcp 8080\n' }], document.version + 1);
  h.service.didOpen(join(root, 'a.fake'), next);
  const actions = await h.service.codeActions(join(root, 'a.fake'), {
    textDocument: { uri: document.uri }, range: stale!.range, context: { diagnostics: [h.published.get(document.uri)![0]!] },
  });
  // The analysis ran again for the new version; the old diagnostic no longer matches a finding.
  assert.equal(actions.filter((a) => a.isPreferred).length, 0);
  const fresh = h.published.get(document.uri)?.[0];
  assert.equal(fresh?.range.start.line, 2);
});

test('documents and data files are not analyzed even when opened; unknown program text goes to the fallback', async () => {
  const root = workspace({});
  const h = harness(root, {}, {}, fakeAdapter);
  await h.open('README.md', 'listen tcp 8080\n');
  await h.open('settings.json', 'listen tcp 8080\n');
  assert.equal(h.published.size, 0);
  await h.open('server.zig', 'listen tcp 8080\n');
  assert.deepEqual(h.codes('server.zig'), ['reuse-missing']);
});
