// Every annotated fixture: the engine reports exactly the annotated lines and rules, and every
// offered fix removes its finding, keeps the file parseable and is a no-op the second time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { Analyzer } from '../../src/analysis/engine';
import { applyEdits } from '../../src/analysis/fixes';
import { expectationsIn, findingLine, fixtureCases, runCase } from './fixtureHarness';
import { syntaxErrorCount } from './syntaxCheck';

const analyzer = new Analyzer();

describe('annotated fixtures', () => {
  for (const fixture of fixtureCases()) {
    it(`${fixture.name} reports exactly the annotated findings`, async () => {
      const result = await runCase(analyzer, fixture.files);
      for (const a of result.analyses) assert.equal(a.error, undefined, `${a.path}: ${a.error ?? ''}`);
      const expected = fixture.files.flatMap((f) => expectationsIn(f, readFileSync(f, 'utf8'))).map((e) => `${basename(e.path)}:${e.line} ${e.ruleId}`).sort();
      const actual = result.findings.map((f) => `${basename(f.path)}:${findingLine(result, f)} ${f.ruleId}`).sort();
      assert.deepEqual(actual, expected, result.findings.map((f) => `${basename(f.path)}:${findingLine(result, f)} ${f.ruleId}: ${f.message}`).join('\n'));
    });

    it(`${fixture.name}: each fix removes its finding, parses, and is idempotent`, async () => {
      const result = await runCase(analyzer, fixture.files);
      for (const finding of result.findings.filter((f) => f.fix)) {
        const analysis = result.analyses.find((a) => a.path === finding.path);
        assert.ok(analysis);
        const text = readFileSync(finding.path, 'utf8');
        const fix = analyzer.fixFor({ path: finding.path, text }, analysis, finding);
        if (!fix) continue;
        const fixed = applyEdits(text, fix.edits);
        assert.notEqual(fixed, text, `${fix.title} changed nothing`);
        const label = `${basename(finding.path)}:${findingLine(result, finding)} ${finding.ruleId} "${fix.title}"`;
        assert.ok(
          (await syntaxErrorCount(finding.path, fixed)) <= (await syntaxErrorCount(finding.path, text)),
          `${label} introduced a syntax error:\n${fixed}`,
        );
        const after = await runCase(analyzer, fixture.files, new Map([[finding.path, fixed]]));
        const count = (r: typeof result) => r.findings.filter((f) => f.ruleId === finding.ruleId && f.path === finding.path).length;
        assert.ok(count(after) < count(result), `${label} did not remove the finding:\n${fixed}`);
        // The same fix asked for again on the fixed text changes nothing.
        const fixedAnalysis = after.analyses.find((a) => a.path === finding.path);
        assert.ok(fixedAnalysis);
        const replay = analyzer.fixFor({ path: finding.path, text: fixed }, fixedAnalysis, finding);
        assert.ok(!replay || applyEdits(fixed, replay.edits) === fixed, `${label}: applying the fix again changed the text again`);
      }
    });
  }
});
