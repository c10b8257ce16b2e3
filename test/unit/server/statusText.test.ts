import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusDetail, statusText } from '../../../src/extension/statusText';
import type { StatusParams } from '../../../src/server/protocol';

const base: StatusParams = { state: 'ready', filesAnalyzed: 1, filesTotal: 1, filesSkipped: 0, findings: 1, indexMs: 1234 };

test('the status item says what the server is doing', () => {
  assert.equal(statusText({ ...base, state: 'indexing', filesAnalyzed: 10, filesTotal: null }), 'Bindwatch: indexing (10)');
  assert.equal(statusText({ ...base, state: 'indexing', filesAnalyzed: 10, filesTotal: 40 }), 'Bindwatch: indexing 10/40');
  assert.equal(statusText(base), 'Bindwatch: 1 finding');
  assert.equal(statusText({ ...base, findings: 3 }), 'Bindwatch: 3 findings');
  assert.equal(statusText({ ...base, state: 'disabled' }), 'Bindwatch: off');
});

test('the detail counts files, skips and index time', () => {
  assert.equal(statusDetail({ ...base, filesAnalyzed: 120, filesSkipped: 2 }), '120 files analyzed, 2 skipped, indexed in 1.2 s');
  assert.equal(statusDetail({ ...base, indexMs: null }), '1 file analyzed');
});
