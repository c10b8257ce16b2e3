import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/analysis/findings';
import { RULES } from '../../../src/analysis/rules/catalog';
import { colors, formatGithub, formatJson, formatSarif, formatText } from '../../../src/cli/formatters';
import type { ReportSummary, ResolvedFinding } from '../../../src/cli/reportModel';

const finding: Finding = {
  ruleId: 'reuse-one-sided', severity: 'warning', message: 'Port 9000 is also bound at a.go:3, 100% sure\nreally',
  path: 'src/b.c', span: { start: 10, end: 20 }, platforms: ['linux'],
  related: [{ path: 'src/a.go', span: { start: 5, end: 9 }, line: 2, character: 4, message: 'also binds port 9000 with SO_REUSEPORT' }],
};
const resolved: ResolvedFinding = { finding, line: 3, column: 5, endLine: 3, endColumn: 15, fixable: true };
const summary: ReportSummary = { filesAnalyzed: 2, skippedBinary: 1, skippedTooLarge: 0, skippedBuildOutput: [], unreadable: 0, failedFiles: [], durationMs: 120, fixed: 0 };

describe('output formats', () => {
  it('text names file:line:col, severity, rule and related places, then a summary', () => {
    const text = formatText([resolved], summary, colors(false));
    assert.match(text, /^src\/b\.c:3:5 {2}warning {2}Port 9000/m);
    assert.match(text, /\[reuse-one-sided\] \(fixable\)/);
    assert.match(text, /^ {4}src\/a\.go:3:5: also binds port 9000/m);
    assert.match(text, /1 problem \(1 warning\) in 2 files analyzed .*skipped 1 binary/);
    assert.match(text, /can be fixed with --fix/);
  });

  it('says which build-output folders were passed over, in text and JSON', () => {
    const withFolders: ReportSummary = { ...summary, filesAnalyzed: 0, skippedBinary: 0, skippedBuildOutput: ['pkg/dist', 'app/out', 'lib/dist'] };
    const text = formatText([], withFolders, colors(false));
    assert.match(text, /^No problems found in 0 files analyzed \(\d+\.\d+ s\); skipped 3 build-output folders \(dist, out\)\.$/m);
    assert.match(text, /name such a folder on the command line/);
    assert.doesNotMatch(formatText([], summary, colors(false)), /build-output/);
    const json = JSON.parse(formatJson([], withFolders, '1.2.3')) as { summary: ReportSummary };
    assert.deepEqual(json.summary.skippedBuildOutput, ['pkg/dist', 'app/out', 'lib/dist']);
  });

  it('SARIF 2.1.0 carries rule metadata, levels, regions and related locations', () => {
    const sarif = JSON.parse(formatSarif([resolved], '1.2.3')) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]; relatedLocations: { message: { text: string } }[] }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.rules.length, RULES.length);
    const result = run.results[0];
    assert.ok(result);
    assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, 'reuse-one-sided');
    assert.equal(result.level, 'warning');
    assert.deepEqual(result.locations[0]?.physicalLocation.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 15 });
    assert.equal(result.locations[0]?.physicalLocation.artifactLocation.uri, 'src/b.c');
    assert.equal(result.relatedLocations[0]?.message.text, 'also binds port 9000 with SO_REUSEPORT');
    assert.match(run.tool.driver.rules[0]?.helpUri ?? '', /docs\/rules\/reuse-missing\.md$/);
  });

  it('GitHub annotations escape data and properties', () => {
    const line = formatGithub([resolved]).trim();
    assert.match(line, /^::warning file=src\/b\.c,line=3,col=5,endLine=3,endColumn=15,title=bindwatch reuse-one-sided::/);
    assert.match(line, /100%25 sure%0Areally/);
    assert.doesNotMatch(line, /\n/);
  });
});
