// Import edits for Go fixes: add a standard-library import where a fix needs it, drop one a
// removal left unused (Go refuses to compile unused imports).
import type { TextEdit } from '../../analysis/fixes';
import type { SyntaxNode } from '../treeSitter';
import { deleteLines, lineEnding } from '../common/textEdits';
import { goStringValue, namedChildrenOf } from './goSyntax';

interface ImportSpec {
  node: SyntaxNode;
  path: string;
  /** The name code uses: alias, or the last path element. */
  name: string;
}

export function importSpecs(root: SyntaxNode): ImportSpec[] {
  const specs: ImportSpec[] = [];
  for (const decl of namedChildrenOf(root)) {
    if (decl.type !== 'import_declaration') continue;
    const candidates = namedChildrenOf(decl).flatMap((c) => (c.type === 'import_spec_list' ? namedChildrenOf(c) : [c]));
    for (const spec of candidates) {
      if (spec.type !== 'import_spec') continue;
      const pathNode = spec.childForFieldName('path');
      const path = pathNode ? goStringValue(pathNode) : null;
      if (path === null) continue;
      const alias = spec.childForFieldName('name')?.text;
      specs.push({ node: spec, path, name: alias ?? path.replace(/^.*\//, '') });
    }
  }
  return specs;
}

export function hasImport(root: SyntaxNode, path: string): boolean {
  return importSpecs(root).some((s) => s.path === path);
}

/** The name under which `path` is imported (alias aware), or null. */
export function importName(root: SyntaxNode, path: string): string | null {
  return importSpecs(root).find((s) => s.path === path && s.name !== '_' && s.name !== '.')?.name ?? null;
}

/** An edit adding `import "path"`, or null when the file already imports it. */
export function addImport(root: SyntaxNode, text: string, path: string): TextEdit | null {
  if (hasImport(root, path)) return null;
  const eol = lineEnding(text);
  const decls = namedChildrenOf(root).filter((c) => c.type === 'import_declaration');
  const grouped = decls.map((d) => namedChildrenOf(d).find((c) => c.type === 'import_spec_list')).find((l) => l);
  if (grouped) {
    const specs = namedChildrenOf(grouped).filter((c) => c.type === 'import_spec');
    // Keep the standard-library group sorted: before the first later path without a dot.
    const std = specs.filter((s) => !(goStringValue(s.childForFieldName('path') ?? s) ?? '').includes('.'));
    const after = std.find((s) => (goStringValue(s.childForFieldName('path') ?? s) ?? '') > path);
    const anchor = after ?? std[std.length - 1] ?? specs[0];
    if (!anchor) {
      const open = grouped.startIndex + 1;
      return { start: open, end: open, newText: `${eol}\t"${path}"` };
    }
    const lineStart = text.lastIndexOf('\n', anchor.startIndex - 1) + 1;
    const indent = text.slice(lineStart, anchor.startIndex);
    if (after) return { start: lineStart, end: lineStart, newText: `${indent}"${path}"${eol}` };
    return { start: anchor.endIndex, end: anchor.endIndex, newText: `${eol}${indent}"${path}"` };
  }
  const single = decls[0];
  if (single) {
    const spec = namedChildrenOf(single).find((c) => c.type === 'import_spec');
    if (!spec) return null;
    return { start: single.startIndex, end: single.endIndex, newText: `import (${eol}\t${spec.text}${eol}\t"${path}"${eol})` };
  }
  const pkg = namedChildrenOf(root).find((c) => c.type === 'package_clause');
  if (!pkg) return null;
  return { start: pkg.endIndex, end: pkg.endIndex, newText: `${eol}${eol}import "${path}"` };
}

/**
 * An edit removing the import of package `name` when no code outside `removed` still uses it.
 * Returns null when it is still used or not imported.
 */
export function removeUnusedImport(root: SyntaxNode, text: string, name: string, removed: { start: number; end: number }): TextEdit | null {
  const spec = importSpecs(root).find((s) => s.name === name);
  if (!spec) return null;
  const pattern = new RegExp(`\\b${name}\\.`, 'g');
  for (const m of text.matchAll(pattern)) {
    if (m.index >= removed.start && m.index < removed.end) continue;
    if (m.index >= spec.node.startIndex && m.index < spec.node.endIndex) continue;
    return null;
  }
  const decl = spec.node.parent?.type === 'import_spec_list' ? null : spec.node.parent;
  if (decl?.type === 'import_declaration') return deleteLines(text, decl.startIndex, decl.endIndex);
  return deleteLines(text, spec.node.startIndex, spec.node.endIndex);
}
