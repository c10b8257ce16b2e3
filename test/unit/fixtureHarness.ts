// Reads annotated fixtures: a line that must be reported carries `expect: rule-id[, rule-id]` in a
// comment; a `bindwatch-test-platforms: linux,darwin` comment narrows the target platforms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, parsePlatforms, type AnalysisConfig } from '../../src/analysis/config';
import type { Analyzer} from '../../src/analysis/engine';
import { checkFiles } from '../../src/analysis/engine';
import type { FileAnalysis } from '../../src/analysis/fileAnalysis';
import type { Finding } from '../../src/analysis/findings';
import { isRuleId } from '../../src/analysis/rules/catalog';
import { REPOSITORY_ROOT } from './repositoryRoot';

export const FIXTURES = join(REPOSITORY_ROOT, 'test', 'unit', 'fixtures');

export interface Expectation {
  path: string;
  line: number;
  ruleId: string;
}

export function expectationsIn(path: string, text: string): Expectation[] {
  const result: Expectation[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /\bexpect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/.exec(line);
    if (!match?.[1]) return;
    for (const id of match[1].split(',').map((s) => s.trim())) {
      if (!isRuleId(id)) throw new Error(`${path}:${index + 1}: unknown rule id "${id}" in expect:`);
      result.push({ path, line: index + 1, ruleId: id });
    }
  });
  return result;
}

export function configFor(texts: readonly string[]): AnalysisConfig {
  for (const text of texts) {
    const match = /bindwatch-test-platforms:\s*([a-z0-9, ]+)/.exec(text);
    if (match?.[1]) return { ...DEFAULT_CONFIG, platforms: parsePlatforms(match[1]).platforms };
  }
  return DEFAULT_CONFIG;
}

/** A fixture case: one file alone, or every file of a folder under fixtures/cross analyzed together. */
export interface FixtureCase {
  name: string;
  files: string[];
}

export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const language of readdirSync(FIXTURES)) {
    const dir = join(FIXTURES, language);
    if (!statSync(dir).isDirectory() || language === 'ports') continue;
    if (language === 'cross') {
      for (const name of readdirSync(dir)) {
        const caseDir = join(dir, name);
        if (statSync(caseDir).isDirectory()) cases.push({ name: `cross/${name}`, files: readdirSync(caseDir).sort().map((f) => join(caseDir, f)) });
      }
      continue;
    }
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name);
      if (statSync(file).isFile()) cases.push({ name: `${language}/${name}`, files: [file] });
    }
  }
  return cases;
}

export interface CaseResult {
  analyses: FileAnalysis[];
  findings: Finding[];
  config: AnalysisConfig;
}

export async function runCase(analyzer: Analyzer, files: readonly string[], overrides: ReadonlyMap<string, string> = new Map()): Promise<CaseResult> {
  const texts = files.map((f) => overrides.get(f) ?? readFileSync(f, 'utf8'));
  const config = configFor(texts);
  const analyses = await Promise.all(files.map((path, i) => analyzer.analyze({ path, text: texts[i] ?? '' })));
  return { analyses, findings: checkFiles(analyses, config), config };
}

export function findingLine(result: CaseResult, finding: Finding): number {
  const analysis = result.analyses.find((a) => a.path === finding.path);
  return (analysis?.lines?.position(finding.span.start).line ?? -1) + 1;
}
