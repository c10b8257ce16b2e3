// Suppression comments in each file's own comment syntax, and the "disable for this line" edit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../../src/analysis/config';
import { Analyzer, checkFiles } from '../../../src/analysis/engine';
import { applyEdits } from '../../../src/analysis/fixes';
import { LineIndex } from '../../../src/analysis/lineIndex';
import { findSuppressions } from '../../../src/analysis/suppressions';

const analyzer = new Analyzer();

async function rulesIn(path: string, text: string): Promise<string[]> {
  const analysis = await analyzer.analyze({ path, text });
  return checkFiles([analysis], DEFAULT_CONFIG).map((f) => f.ruleId);
}

describe('suppressions', () => {
  it('reads rule lists after disable-line and disable-next-line, only inside comments', () => {
    const text = 'a  # bindwatch-disable-line windows-hijack, reuse-missing\n# bindwatch-disable-next-line\nb\nx = "bindwatch-disable-line"\n';
    const s = findSuppressions(text, new LineIndex(text), { line: '#' });
    assert.deepEqual([...(s.get(0) as Set<string>)].sort(), ['reuse-missing', 'windows-hijack']);
    assert.equal(s.get(2), 'all');
    assert.equal(s.has(3), false);
  });

  it('honours the file\'s own comment syntax in languages read by the lexical analyzer', async () => {
    const kotlin = 'import java.net.ServerSocket\nfun main() {\n    val server = ServerSocket()\n    server.bind(java.net.InetSocketAddress("0.0.0.0", 8080))\n    server.accept()\n}\n';
    assert.ok((await rulesIn('Main.kt', kotlin)).includes('bind-all-interfaces'));
    const silenced = kotlin.replace('8080))', '8080)) // bindwatch-disable-line bind-all-interfaces');
    assert.ok(!(await rulesIn('Main.kt', silenced)).includes('bind-all-interfaces'));
  });

  it('"disable for this line" writes a comment that silences exactly that finding', async () => {
    const path = 'server.py';
    const text = 'import socket\ns = socket.socket()\ns.bind(("0.0.0.0", 8080))\ns.listen()\n';
    const analysis = await analyzer.analyze({ path, text });
    const finding = checkFiles([analysis], DEFAULT_CONFIG).find((f) => f.ruleId === 'bind-all-interfaces');
    assert.ok(finding);
    const edit = analyzer.suppressionEdit({ path, text }, analysis, finding);
    assert.ok(edit);
    const silenced = applyEdits(text, [edit]);
    assert.match(silenced, /^s\.bind\(\("0\.0\.0\.0", 8080\)\) {2}# bindwatch-disable-line bind-all-interfaces$/m);
    const after = await rulesIn(path, silenced);
    assert.ok(!after.includes('bind-all-interfaces'));
    assert.ok(after.includes('reuse-missing'));
  });
});
