import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { walkSourceFiles } from '../../../src/cli/fileWalker';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bindwatch-walk-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('walkSourceFiles', () => {
  it('honours nested .gitignore files and ignore globs, and skips dependency folders', () => {
    const root = tree({
      '.gitignore': 'build/\n*.generated.py\n',
      'src/server.py': 'x',
      'src/.gitignore': 'local_*.go\n',
      'src/local_test.go': 'x',
      'src/main.go': 'x',
      'build/out.py': 'x',
      'api.generated.py': 'x',
      'node_modules/pkg/index.js': 'x',
      'vendor/lib.c': 'x',
      'README.md': 'setsockopt',
    });
    const result = walkSourceFiles([root], { ignore: ['vendor/'], maxFileSize: 1024 });
    const found = result.files.map((f) => relative(root, f.path)).sort();
    assert.deepEqual(found, ['src/main.go', 'src/server.py']);
  });

  it('counts oversized files instead of reading them', () => {
    const root = tree({ 'big.c': 'x'.repeat(5000), 'small.c': 'int x;' });
    const result = walkSourceFiles([root], { ignore: [], maxFileSize: 1000 });
    assert.deepEqual(result.files.map((f) => relative(root, f.path)), ['small.c']);
    assert.deepEqual(result.skippedTooLarge.map((f) => relative(root, f)), ['big.c']);
  });

  it('includes a file given directly and reports a missing path as unreadable', () => {
    const root = tree({ 'one.py': 'x' });
    const result = walkSourceFiles([join(root, 'one.py'), join(root, 'missing')], { ignore: [], maxFileSize: 1000 });
    assert.equal(result.files.length, 1);
    assert.equal(result.unreadable.length, 1);
  });
});
