import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeFileAtomic } from '../../../src/cli/safeWrite';

describe('writeFileAtomic', () => {
  it('replaces the content, keeps the mode and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bindwatch-write-'));
    const path = join(dir, 'run.py');
    writeFileSync(path, 'old');
    chmodSync(path, 0o755);
    writeFileAtomic(path, 'new');
    assert.equal(readFileSync(path, 'utf8'), 'new');
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(dir), ['run.py']);
  });

  it('leaves the original untouched when it cannot write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bindwatch-write-'));
    const path = join(dir, 'run.py');
    writeFileSync(path, 'old');
    chmodSync(dir, 0o500);
    try {
      if (process.getuid?.() === 0) {
        // root ignores directory permissions; a missing file is the failure we can still cause.
        assert.throws(() => writeFileAtomic(join(dir, 'missing.py'), 'new'));
      } else {
        assert.throws(() => writeFileAtomic(path, 'new'));
      }
    } finally {
      chmodSync(dir, 0o700);
    }
    assert.equal(readFileSync(path, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['run.py']);
  });
});
