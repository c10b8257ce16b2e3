// What every Python fix needs: the parsed file, its facts and records, nodes found by span, the file's
// own indentation and line endings, and how to name `socket`/`os` things the way the file imports them.
import type { FileFacts, Span } from '../../../analysis/facts';
import type { TextEdit } from '../../../analysis/fixes';
import { indentUnit, indentationAt, lineEnding, lineStartAt } from '../../common/textEdits';
import type { SyntaxNode } from '../../treeSitter';
import type { Analysis } from '../extractFacts';
import type { ImportTable } from '../imports';
import type { SocketRecord } from '../socketRecords';
import { statementOf } from '../syntax';

export class FixContext {
  readonly eol: string;
  readonly unit: string;
  readonly imports: ImportTable;
  readonly facts: FileFacts;
  /** Imports this fix adds, by module, so two needs of one module add one line. */
  private readonly addedImports = new Map<string, string>();

  constructor(readonly text: string, readonly root: SyntaxNode, readonly analysis: Analysis) {
    this.eol = lineEnding(text);
    this.unit = indentUnit(text);
    this.imports = analysis.context.imports;
    this.facts = analysis.facts;
  }

  record(socketId: string): SocketRecord | undefined {
    return this.analysis.builder.recordsById.get(socketId);
  }

  /** The node covering exactly `span` (of `type`, when given). */
  nodeAt(span: Span, type?: string): SyntaxNode | null {
    let node: SyntaxNode | null = this.root.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
    while (node && !(node.startIndex === span.start && node.endIndex === span.end && (!type || node.type === type))) {
      if (node.startIndex < span.start || node.endIndex > span.end) return null;
      node = node.parent;
    }
    return node;
  }

  /** The statement holding `node`, when it begins its own line (so lines can go before it). */
  lineStatement(node: SyntaxNode): SyntaxNode | null {
    const statement = statementOf(node);
    const start = lineStartAt(this.text, statement.startIndex);
    return /^[ \t]*$/.test(this.text.slice(start, statement.startIndex)) ? statement : null;
  }

  indentOf(node: SyntaxNode): string {
    return indentationAt(this.text, node.startIndex);
  }

  /** A name for the `os` module in inserted code, importing it when the file does not. */
  os(edits: TextEdit[]): string {
    const alias = this.imports.osAlias();
    if (alias) return alias;
    return this.importModule('os', 'os', edits);
  }

  /** The module-qualified or bare way to write a socket constant, importing what is missing. */
  socketName(name: string, edits: TextEdit[]): string {
    const alias = this.socketModule();
    if (alias) return `${alias}.${name}`;
    if (this.imports.hasBareSocketName(name)) return name;
    return `${this.importSocketModule(edits)}.${name}`;
  }

  /** A name bound to the socket module itself (not the socket class), if the file has one. */
  socketModule(): string | null {
    const alias = this.imports.socketModuleAlias();
    // `import socket` then `from socket import socket`: the name is the class.
    if (!alias || this.imports.names.has(alias) || (alias === 'socket' && this.imports.starModules.has('socket'))) return this.addedImports.get('socket') ?? null;
    return alias;
  }

  /** Imports the socket module, as `_socket` when `socket` already names the class. */
  importSocketModule(edits: TextEdit[]): string {
    const taken = this.imports.names.has('socket') || this.imports.starModules.has('socket');
    return this.importModule('socket', taken ? '_socket' : 'socket', edits);
  }

  private importModule(module: string, local: string, edits: TextEdit[]): string {
    const existing = this.addedImports.get(module);
    if (existing) return existing;
    this.addedImports.set(module, local);
    const line = local === module ? `import ${module}` : `import ${module} as ${local}`;
    const at = this.importInsertionPoint();
    // A last line without a line break: start a new line first.
    const before = at === this.text.length && at > 0 && !this.text.endsWith('\n') ? this.eol : '';
    edits.push({ start: at, end: at, newText: before + line + this.eol });
    return local;
  }

  /** After the last top-level import, else after the module docstring and `from __future__` lines. */
  private importInsertionPoint(): number {
    const topLevel = this.imports.sites.filter((s) => s.topLevel).map((s) => s.node);
    const last = topLevel[topLevel.length - 1];
    if (last) return this.afterLine(last.endIndex);
    let offset = 0;
    for (const child of this.root.namedChildren) {
      if (!child) continue;
      const docstring = child.type === 'expression_statement' && child.firstNamedChild?.type === 'string';
      if (child.type === 'comment' || docstring) offset = this.afterLine(child.endIndex);
      else break;
    }
    return offset;
  }

  /** Offset just past the line break that ends the line holding `offset`. */
  afterLine(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl < 0 ? this.text.length : nl + 1;
  }

  /**
   * A name for something importable from `module` (`WSGIServer` from wsgiref.simple_server): the
   * module alias, a name the file imports, or one added to the file's `from module import ...`.
   */
  importedName(module: string, name: string, edits: TextEdit[]): string | null {
    for (const [local, path] of this.imports.modules) if (path === module) return `${local}.${name}`;
    for (const [local, qualified] of this.imports.names) if (qualified === `${module}.${name}`) return local;
    if (this.imports.starModules.has(module)) return name;
    const site = this.imports.sites.find((s) => s.node.type === 'import_from_statement' && s.node.childForFieldName('module_name')?.text === module);
    const names = site?.node.childrenForFieldName('name').filter((n) => n !== null) ?? [];
    const last = names[names.length - 1];
    if (!last) return null;
    edits.push({ start: last.endIndex, end: last.endIndex, newText: `, ${name}` });
    return name;
  }

  /** Replaces a node's text. */
  replace(node: SyntaxNode, newText: string): TextEdit {
    return { start: node.startIndex, end: node.endIndex, newText };
  }

  /** Inserts whole lines before the line that holds `node`, indented like it. */
  insertBefore(node: SyntaxNode, lines: readonly string[]): TextEdit {
    const start = lineStartAt(this.text, node.startIndex);
    const indent = this.indentOf(node);
    return { start, end: start, newText: lines.map((l) => (l === '' ? '' : indent + l) + this.eol).join('') };
  }

  /** Text of the lines a statement occupies, line break included. */
  statementLines(statement: SyntaxNode): { start: number; end: number; text: string } {
    const start = lineStartAt(this.text, statement.startIndex);
    const end = this.afterLine(statement.endIndex);
    return { start, end, text: this.text.slice(start, end) };
  }
}
