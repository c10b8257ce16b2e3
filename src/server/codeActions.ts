// Code actions for Bindwatch findings: the finding's fix as the preferred quick fix, "disable for
// this line" in the file's comment syntax, and `source.fixAll.bindwatch` that applies every fix.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyzer } from '../analysis/engine';
import type { FileAnalysis } from '../analysis/fileAnalysis';
import type { Finding } from '../analysis/findings';
import type { TextEdit } from '../analysis/fixes';
import { ruleInfo } from '../analysis/rules/catalog';
import { findingForDiagnostic } from './diagnostics';
import { FIX_ALL_KIND } from './protocol';

export interface ActionInput {
  analyzer: Pick<Analyzer, 'fixFor' | 'suppressionEdit'>;
  /** The document as analyzed: `analysis` and `findings` were computed from exactly this text. */
  document: TextDocument;
  path: string;
  analysis: FileAnalysis;
  findings: readonly Finding[];
}

function toLspEdits(document: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({
    range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
    newText: e.newText,
  }));
}

/** Does a request's `only` filter admit this kind? */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function quickFixes(input: ActionInput, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const { analyzer, document, path, analysis, findings } = input;
  const doc = { path, text: document.getText() };
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const finding = findingForDiagnostic(findings, diagnostic, (p) => document.offsetAt(p));
    if (!finding) continue;
    const fix = analyzer.fixFor(doc, analysis, finding);
    if (fix) {
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [document.uri]: toLspEdits(document, fix.edits) } },
      });
    }
    const suppress = analyzer.suppressionEdit(doc, analysis, finding);
    if (suppress) {
      disables.push({
        title: `Disable ${finding.ruleId} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [document.uri]: toLspEdits(document, [suppress]) } },
      });
    }
    disables.push({
      title: `Show documentation for ${finding.ruleId} (${ruleInfo(finding.ruleId).title})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Show rule documentation', command: 'bindwatch.showRuleDocumentation', arguments: [finding.ruleId] },
    });
  }
  return [...fixes, ...disables];
}

/** Every fix in the file as one edit list; overlapping and repeated edits are dropped. */
export function fixAllEdits(input: ActionInput): TextEdit[] {
  const { analyzer, document, path, analysis, findings } = input;
  const doc = { path, text: document.getText() };
  const chosen: TextEdit[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = analyzer.fixFor(doc, analysis, finding);
    if (!fix) continue;
    // A fix's edits go in together or not at all.
    const fresh = fix.edits.filter((e) => !seen.has(`${e.start}:${e.end}:${e.newText}`));
    const clashes = fresh.some((e) => chosen.some((c) => e.start < c.end && c.start < e.end));
    if (clashes) continue;
    for (const e of fresh) {
      seen.add(`${e.start}:${e.end}:${e.newText}`);
      chosen.push(e);
    }
  }
  return chosen.sort((a, b) => a.start - b.start || a.end - b.end);
}

export function fixAllAction(input: ActionInput): CodeAction | null {
  const edits = fixAllEdits(input);
  if (edits.length === 0) return null;
  return {
    title: 'Fix all Bindwatch findings',
    kind: FIX_ALL_KIND,
    edit: { changes: { [input.document.uri]: toLspEdits(input.document, edits) } },
  };
}
