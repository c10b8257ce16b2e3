// Findings resolved to 1-based lines and columns, ready for any output format.
import type { FileAnalysis } from '../analysis/fileAnalysis';
import type { Finding } from '../analysis/findings';

export interface ResolvedFinding {
  finding: Finding;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
}

export interface ReportSummary {
  filesAnalyzed: number;
  skippedBinary: number;
  skippedTooLarge: number;
  /** Build-output folders (dist, out, target next to sources) the walk passed over, as paths. */
  skippedBuildOutput: string[];
  unreadable: number;
  failedFiles: { path: string; reason: string }[];
  durationMs: number;
  fixed: number;
}

export function resolveFindings(findings: readonly Finding[], files: ReadonlyMap<string, FileAnalysis>, fixable: (f: Finding) => boolean): ResolvedFinding[] {
  return findings.map((finding) => {
    const lines = files.get(finding.path)?.lines;
    const start = lines?.position(finding.span.start) ?? { line: 0, character: 0 };
    const end = lines?.position(finding.span.end) ?? start;
    return {
      finding,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      fixable: fixable(finding),
    };
  });
}
