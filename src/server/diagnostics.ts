// Findings → LSP diagnostics: source `bindwatch`, the rule id as `code` with a link to its docs, and
// the other sockets on the same port as related information.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Finding, RuleId, Severity } from '../analysis/findings';
import type { LineIndex } from '../analysis/lineIndex';
import type { Span } from '../analysis/facts';
import { docsUrl } from '../analysis/rules/catalog';

export const DIAGNOSTIC_SOURCE = 'bindwatch';

/** Carried in `Diagnostic.data` so a code action request finds its finding again. */
export interface DiagnosticData {
  ruleId: RuleId;
  start: number;
  end: number;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function spanToRange(lines: Pick<LineIndex, 'position'>, span: Span): Range {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

export interface DiagnosticContext {
  /** Positions in the finding's own file. */
  lines: Pick<LineIndex, 'position'>;
  /** Positions in another file, when it is indexed. */
  linesOf(path: string): Pick<LineIndex, 'position'> | null | undefined;
  uriOf(path: string): string;
}

export function toDiagnostic(finding: Finding, ctx: DiagnosticContext): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((rel) => {
    const lines = rel.path === finding.path ? ctx.lines : ctx.linesOf(rel.path);
    const start = { line: rel.line, character: rel.character };
    const range: Range = lines ? { start, end: lines.position(rel.span.end) } : { start, end: start };
    return { location: { uri: ctx.uriOf(rel.path), range }, message: rel.message };
  });
  const data: DiagnosticData = { ruleId: finding.ruleId, start: finding.span.start, end: finding.span.end };
  return {
    range: spanToRange(ctx.lines, finding.span),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    relatedInformation,
    data,
  };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.ruleId === 'string' && typeof v.start === 'number' && typeof v.end === 'number';
}

/** The finding a diagnostic was made from: by its data, else by rule and range start. */
export function findingForDiagnostic(findings: readonly Finding[], diagnostic: Diagnostic, offsetAt: (p: Range['start']) => number): Finding | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const data: unknown = diagnostic.data;
  if (isDiagnosticData(data)) {
    const exact = findings.find((f) => f.ruleId === data.ruleId && f.span.start === data.start && f.span.end === data.end);
    if (exact) return exact;
  }
  const start = offsetAt(diagnostic.range.start);
  return findings.find((f) => f.ruleId === diagnostic.code && f.span.start === start);
}
