// Output formats of `bindwatch check`: text for people, json for tools, SARIF 2.1.0 for code
// scanning, and GitHub workflow annotations.
import type { Severity } from '../analysis/findings';
import { RULES, docsUrl } from '../analysis/rules/catalog';
import type { ReportSummary, ResolvedFinding } from './reportModel';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

const toPosix = (p: string): string => p.split('\\').join('/');

interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  severity(s: Severity, text: string): string;
}

export function colors(enabled: boolean): Colors {
  const wrap = (code: string) => (s: string) => (enabled ? `\u001b[${code}m${s}\u001b[0m` : s);
  const bySeverity: Record<Severity, (s: string) => string> = { error: wrap('31'), warning: wrap('33'), info: wrap('36'), hint: wrap('2') };
  return { bold: wrap('1'), dim: wrap('2'), severity: (s, t) => bySeverity[s](t) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(results: readonly ResolvedFinding[], summary: ReportSummary, c: Colors): string {
  const out: string[] = [];
  for (const r of results) {
    const f = r.finding;
    out.push(`${c.bold(`${f.path}:${r.line}:${r.column}`)}  ${c.severity(f.severity, f.severity)}  ${f.message}  ${c.dim(`[${f.ruleId}]`)}${r.fixable ? c.dim(' (fixable)') : ''}`);
    for (const rel of f.related) out.push(c.dim(`    ${rel.path}:${rel.line + 1}:${rel.character + 1}: ${rel.message}`));
  }
  if (out.length > 0) out.push('');
  return out.join('\n') + (out.length ? '\n' : '') + formatSummary(results, summary, c);
}

/** The closing lines: counts, time, what was skipped and why. */
export function formatSummary(results: readonly ResolvedFinding[], summary: ReportSummary, c: Colors): string {
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of results) counts[r.finding.severity]++;
  const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => counts[s] > 0).map((s) => plural(counts[s], s));
  const fixable = results.filter((r) => r.fixable).length;
  const head = results.length === 0 ? 'No problems found' : `${plural(results.length, 'problem')} (${parts.join(', ')})`;
  const skipped: string[] = [];
  if (summary.skippedBinary) skipped.push(`${summary.skippedBinary} binary`);
  if (summary.skippedTooLarge) skipped.push(`${summary.skippedTooLarge} too large`);
  if (summary.unreadable) skipped.push(`${summary.unreadable} unreadable`);
  if (summary.failedFiles.length) skipped.push(`${summary.failedFiles.length} failed to analyze`);
  const folders = summary.skippedBuildOutput;
  if (folders.length) {
    const names = [...new Set(folders.map((f) => f.replace(/^.*[\\/]/, '')))].sort().join(', ');
    skipped.push(`${plural(folders.length, 'build-output folder')} (${names})`);
  }
  out.push(`${head} in ${plural(summary.filesAnalyzed, 'file')} analyzed (${(summary.durationMs / 1000).toFixed(2)} s)${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}.`);
  if (folders.length) out.push(c.dim('Build output next to its sources is not analyzed twice; name such a folder on the command line to analyze it.'));
  if (summary.fixed > 0) out.push(`Fixed ${plural(summary.fixed, 'problem')}.`);
  else if (fixable > 0) out.push(c.dim(`${plural(fixable, 'problem')} can be fixed with --fix.`));
  for (const failed of summary.failedFiles) out.push(c.dim(`  ${failed.path}: ${failed.reason}`));
  return out.join('\n') + '\n';
}

export function formatJson(results: readonly ResolvedFinding[], summary: ReportSummary, version: string): string {
  return JSON.stringify({
    version,
    findings: results.map((r) => ({
      ruleId: r.finding.ruleId,
      severity: r.finding.severity,
      message: r.finding.message,
      path: toPosix(r.finding.path),
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      platforms: r.finding.platforms,
      fixable: r.fixable,
      docs: docsUrl(r.finding.ruleId),
      related: r.finding.related.map((rel) => ({ path: toPosix(rel.path), line: rel.line + 1, column: rel.character + 1, message: rel.message })),
    })),
    summary,
  }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(results: readonly ResolvedFinding[], version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const location = (path: string, startLine: number, startColumn: number, endLine?: number, endColumn?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(toPosix(path).replace(/^\.\//, '')), uriBaseId: '%SRCROOT%' },
      region: { startLine, startColumn, ...(endLine ? { endLine, endColumn } : {}) },
    },
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'bindwatch',
          version,
          informationUri: 'https://github.com/bindwatch/bindwatch',
          rules: RULES.map((r) => ({
            id: r.id,
            name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
            shortDescription: { text: r.title },
            fullDescription: { text: r.summary },
            helpUri: docsUrl(r.id),
            help: { text: `${r.summary} See ${docsUrl(r.id)}`, markdown: `${r.summary}\n\n[Rule documentation](${docsUrl(r.id)})` },
            defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
            properties: { tags: ['sockets', 'reliability', ...(r.id === 'windows-hijack' || r.id === 'udp-reuse-steal' || r.id === 'bind-all-interfaces' ? ['security'] : [])] },
          })),
        },
      },
      results: results.map((r) => ({
        ruleId: r.finding.ruleId,
        ruleIndex: ruleIndex.get(r.finding.ruleId) ?? 0,
        level: SARIF_LEVEL[r.finding.severity],
        message: { text: r.finding.message },
        locations: [location(r.finding.path, r.line, r.column, r.endLine, r.endColumn)],
        relatedLocations: r.finding.related.map((rel, i) => ({ id: i + 1, ...location(rel.path, rel.line + 1, rel.character + 1), message: { text: rel.message } })),
        properties: { platforms: r.finding.platforms },
      })),
      columnKind: 'utf16CodeUnits',
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

export function formatGithub(results: readonly ResolvedFinding[]): string {
  return results.map((r) => {
    const f = r.finding;
    const props = [`file=${escapeProperty(toPosix(f.path))}`, `line=${r.line}`, `col=${r.column}`, `endLine=${r.endLine}`, `endColumn=${r.endColumn}`, `title=${escapeProperty(`bindwatch ${f.ruleId}`)}`];
    return `::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${f.message} (${docsUrl(f.ruleId)})`)}`;
  }).join('\n') + (results.length ? '\n' : '');
}
