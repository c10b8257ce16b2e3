// The shared parser: incremental re-parses give the same trees as fresh ones, nested parses are safe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GrammarParser, editBetween } from '../../../src/languages/treeSitter';

describe('GrammarParser', () => {
  it('re-parses an edited document incrementally to the same tree as a fresh parse', async () => {
    const incremental = new GrammarParser('python');
    await incremental.load();
    let text = 'import socket\n\ndef serve():\n    s = socket.socket()\n    s.bind(("", 8080))\n    s.listen()\n';
    const versions = [text];
    for (const insert of ['    # é😀 comment\n', 'x = 1\n', '']) {
      const at = text.indexOf('    s.listen');
      text = text.slice(0, at) + insert + text.slice(at);
      versions.push(text, text.replace('8080', '9090'), text.slice(0, -3));
    }
    for (const version of versions) {
      const fresh = new GrammarParser('python');
      await fresh.load();
      const a = incremental.withTree(version, (root) => `${root.toString()} ${root.endIndex}`);
      const b = fresh.withTree(version, (root) => `${root.toString()} ${root.endIndex}`);
      assert.equal(a, b);
    }
  });

  it('describes an edit by common prefix and suffix, and gives up on unrelated texts', () => {
    const edit = editBetween('abc\ndef\nghi', 'abc\ndXYf\nghi');
    assert.deepEqual(edit && [edit.startIndex, edit.oldEndIndex, edit.newEndIndex, edit.startPosition, edit.newEndPosition], [5, 6, 7, { row: 1, column: 1 }, { row: 1, column: 3 }]);
    assert.equal(editBetween('completely different', 'nothing in common at all'), null);
    assert.equal(editBetween('same', 'same'), null);
  });

  it('keeps the outer tree usable when an adapter parses again while walking it', async () => {
    const parser = new GrammarParser('python');
    await parser.load();
    const outer = parser.withTree('a = 1\n', (root) => {
      const inner = parser.withTree('b = 2\n', (r) => r.text);
      return `${root.text}|${inner}`;
    });
    assert.equal(outer, 'a = 1\n|b = 2\n');
  });
});
