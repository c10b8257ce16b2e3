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

  it('skips dist, out and target next to sources and says so, but walks them when they are the only code', () => {
    const root = tree({
      'app/src/server.ts': 'x',
      'app/dist/server.js': 'x',
      'app/out/server.js': 'x',
      'crate/Cargo.toml': '[package]',
      'crate/main.rs': 'x',
      'crate/target/debug/build.rs': 'x',
      'published/package.json': '{}',
      'published/dist/index.js': 'x',
    });
    const result = walkSourceFiles([root], { ignore: [], maxFileSize: 1024 });
    const found = result.files.map((f) => relative(root, f.path)).sort();
    assert.deepEqual(found, ['app/src/server.ts', 'crate/main.rs', 'published/dist/index.js']);
    assert.deepEqual(result.skippedBuildOutput.map((f) => relative(root, f)).sort(), ['app/dist', 'app/out', 'crate/target']);
  });

  it('walks a folder named on the command line even when its name is on a skip list', () => {
    const root = tree({ 'src/a.ts': 'x', 'dist/lib/index.js': 'x', 'node_modules/pkg/dist/index.js': 'x' });
    const dist = walkSourceFiles([join(root, 'dist')], { ignore: [], maxFileSize: 1024 });
    assert.deepEqual(dist.files.map((f) => relative(root, f.path)), ['dist/lib/index.js']);
    assert.deepEqual(dist.skippedBuildOutput, []);
    const pkg = walkSourceFiles([join(root, 'node_modules', 'pkg')], { ignore: [], maxFileSize: 1024 });
    assert.deepEqual(pkg.files.map((f) => relative(root, f.path)), ['node_modules/pkg/dist/index.js']);
  });

  it('leaves git-ignored build output to .gitignore without counting it', () => {
    const root = tree({ '.gitignore': 'dist/\n', 'src/a.ts': 'x', 'dist/a.js': 'x' });
    const result = walkSourceFiles([root], { ignore: [], maxFileSize: 1024 });
    assert.deepEqual(result.files.map((f) => relative(root, f.path)), ['src/a.ts']);
    assert.deepEqual(result.skippedBuildOutput, []);
  });
});
