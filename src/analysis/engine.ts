// The analysis engine: picks the adapter for a file, extracts facts safely, runs the rules and
// turns raw findings into user-facing ones (severity, suppressions, related positions).
import { extname, basename } from 'node:path';
import type { LanguageAdapter, SourceDocument } from '../languages/adapter';
import { FALLBACK_ADAPTER, TREE_SITTER_ADAPTERS } from '../languages/registry';
import type { AnalysisConfig } from './config';
import { emptyFacts } from './facts';
import type { FileAnalysis } from './fileAnalysis';
import { hasFacts } from './fileAnalysis';
import type { Finding, RuleId } from './findings';
import type { Fix, TextEdit } from './fixes';
import { LineIndex } from './lineIndex';
import { bindAllInterfaces } from './rules/bindAllInterfaces';
import { ruleInfo } from './rules/catalog';
import { exclusiveWrongConstant } from './rules/exclusiveWrongConstant';
import { checkPortConflict } from './rules/portConflict';
import type { BoundSocket } from './rules/portGroups';
import { boundSockets, groupByPort } from './rules/portGroups';
import { reuseAfterBind } from './rules/reuseAfterBind';
import { reuseExclusiveConflict } from './rules/reuseExclusiveConflict';
import { reuseMissing } from './rules/reuseMissing';
import { checkReuseOneSided } from './rules/reuseOneSided';
import { reuseportSemantics } from './rules/reuseportSemantics';
import type { FileRule, RawFinding } from './rules/ruleTypes';
import { udpReuseSteal } from './rules/udpReuseSteal';
import { windowsHijack } from './rules/windowsHijack';
import { findSuppressions, isSuppressed, suppressionComment } from './suppressions';
import { insertLinesBefore, lineEndAt } from '../languages/common/textEdits';

export const NO_ANALYZER = 'no analyzer for this kind of file';

export const FILE_RULES: readonly FileRule[] = [
  reuseMissing, reuseAfterBind, windowsHijack, udpReuseSteal, reuseExclusiveConflict, exclusiveWrongConstant,
  reuseportSemantics, bindAllInterfaces,
];

/** True when the text looks binary (a NUL byte in its first 8 KiB). */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

export class Analyzer {
  private readonly byExtension = new Map<string, LanguageAdapter>();
  private readonly prepared = new Map<LanguageAdapter, Promise<void>>();

  constructor(
    private readonly adapters: readonly LanguageAdapter[] = TREE_SITTER_ADAPTERS,
    private readonly fallback: LanguageAdapter | undefined = FALLBACK_ADAPTER,
  ) {
    for (const adapter of adapters) {
      for (const ext of adapter.extensions) if (!this.byExtension.has(ext)) this.byExtension.set(ext, adapter);
    }
  }

  adapterFor(path: string): LanguageAdapter | undefined {
    const name = basename(path);
    return this.byExtension.get(extname(name).toLowerCase()) ?? this.byExtension.get(name) ?? this.fallback;
  }

  adapterById(id: string): LanguageAdapter | undefined {
    return this.adapters.find((a) => a.id === id) ?? (this.fallback?.id === id ? this.fallback : undefined);
  }

  /** Every adapter's VS Code language ids, for the language client's document selector. */
  languageIds(): string[] {
    return [...new Set([...this.adapters, ...(this.fallback ? [this.fallback] : [])].flatMap((a) => a.languageIds))];
  }

  private async ready(adapter: LanguageAdapter): Promise<void> {
    let p = this.prepared.get(adapter);
    if (!p) {
      p = adapter.prepare();
      this.prepared.set(adapter, p);
    }
    await p;
  }

  /** Reads one document into facts. Never throws: failures come back as `error` with empty facts. */
  async analyze(doc: SourceDocument): Promise<FileAnalysis> {
    const adapter = this.adapterFor(doc.path);
    const base: FileAnalysis = { path: doc.path, languageId: adapter?.id ?? 'none', facts: emptyFacts(), lines: null, suppressions: new Map() };
    if (!adapter) return { ...base, error: NO_ANALYZER };
    if (looksBinary(doc.text)) return { ...base, error: 'binary file' };
    // A file without an extension is a program only when it says so (a #! line); otherwise it is
    // data such as a wheel's RECORD.
    if (adapter === this.fallback && extname(basename(doc.path)) === '' && !doc.text.startsWith('#!')) return { ...base, error: NO_ANALYZER };
    try {
      await this.ready(adapter);
      const facts = adapter.extract(doc);
      const analysis: FileAnalysis = { ...base, facts };
      if (hasFacts(analysis)) {
        const lines = new LineIndex(doc.text);
        analysis.lines = lines;
        analysis.suppressions = findSuppressions(doc.text, lines, adapter.commentFor?.(doc.path) ?? adapter.comment);
      }
      return analysis;
    } catch (e) {
      return { ...base, error: `${adapter.name} analyzer failed: ${(e as Error).message}` };
    }
  }

  /** Edits for a finding's fix in `doc` (the finding's own file). Never throws. */
  fixFor(doc: SourceDocument, analysis: FileAnalysis, finding: Finding): Fix | null {
    if (!finding.fix) return null;
    const adapter = this.adapterById(analysis.languageId);
    if (!adapter) return null;
    try {
      const fix = adapter.fix(doc, analysis.facts, finding.fix);
      return fix && fix.edits.length > 0 ? fix : null;
    } catch {
      return null;
    }
  }

  /** The edit that adds "disable for this line" after the finding's line, in the file's comment syntax. */
  suppressionEdit(doc: SourceDocument, analysis: FileAnalysis, finding: Finding): TextEdit | null {
    const adapter = this.adapterById(analysis.languageId);
    if (!adapter) return null;
    const syntax = adapter.commentFor?.(doc.path) ?? adapter.comment;
    const comment = suppressionComment(syntax, finding.ruleId);
    const lineEnd = lineEndAt(doc.text, finding.span.start);
    const lineStart = doc.text.lastIndexOf('\n', finding.span.start - 1) + 1;
    if (doc.text.slice(lineStart, lineEnd).includes('bindwatch-disable-line')) return null;
    // A trailing comment is safe when the reported call ends on its own line (the line's end is then
    // outside any string); otherwise the marker goes on its own line above.
    const endsOnLine = finding.span.end <= lineEnd && !doc.text.slice(finding.span.end, lineEnd).match(/["'`]/);
    if (syntax.line && endsOnLine) {
      return { start: lineEnd, end: lineEnd, newText: `  ${comment}` };
    }
    const nextLine = comment.replace('disable-line', 'disable-next-line');
    return insertLinesBefore(doc.text, finding.span.start, [nextLine]);
  }
}

function severityOf(config: AnalysisConfig, id: RuleId): Finding['severity'] | 'off' {
  return config.severity[id] ?? ruleInfo(id).defaultSeverity;
}

/** Applies severity settings and suppressions, and resolves related positions. */
export function finalize(raw: readonly RawFinding[], config: AnalysisConfig): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    // One report per rule and place, even when several sockets share the line (a class attribute).
    const key = `${r.ruleId}\u0000${r.file.path}\u0000${r.span.start}:${r.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const severity = severityOf(config, r.ruleId);
    if (severity === 'off') continue;
    const line = r.file.lines?.position(r.span.start).line ?? 0;
    if (isSuppressed(r.file.suppressions, line, r.ruleId)) continue;
    findings.push({
      ruleId: r.ruleId,
      severity,
      message: r.message,
      path: r.file.path,
      span: r.span,
      platforms: r.platforms,
      related: (r.related ?? []).map((rel) => {
        const pos = rel.file.lines?.position(rel.span.start) ?? { line: 0, character: 0 };
        return { path: rel.file.path, span: rel.span, line: pos.line, character: pos.character, message: rel.message };
      }),
      fix: r.fix,
    });
  }
  return findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.span.start - b.span.start));
}

export function fileRuleFindings(file: FileAnalysis, config: AnalysisConfig): RawFinding[] {
  if (!hasFacts(file)) return [];
  return FILE_RULES.flatMap((rule) => rule.check(file, config.platforms));
}

/** Cross-file rules over the given bound sockets; `report` picks which binds get findings. */
export function portRuleFindings(all: readonly BoundSocket[], report: (b: BoundSocket) => boolean): RawFinding[] {
  const raw: RawFinding[] = [];
  for (const group of groupByPort(all).values()) {
    if (!group.some(report)) continue;
    raw.push(...checkReuseOneSided(group, report), ...checkPortConflict(group, report));
  }
  return raw;
}

/**
 * Every finding for a set of analyzed files, cross-file rules included. `roots` are the folders (or
 * files) the analysis started from, written like the files' paths; example folders count below them.
 */
export function checkFiles(files: readonly FileAnalysis[], config: AnalysisConfig, roots: readonly string[] = []): Finding[] {
  const raw: RawFinding[] = [];
  const bound: BoundSocket[] = [];
  for (const file of files) {
    raw.push(...fileRuleFindings(file, config));
    if (hasFacts(file)) bound.push(...boundSockets(file, config.platforms, roots));
  }
  raw.push(...portRuleFindings(bound, () => true));
  return finalize(raw, config);
}
