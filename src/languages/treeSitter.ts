// Loads the tree-sitter runtime and grammars shipped by @vscode/tree-sitter-wasm. The package carries
// its own web-tree-sitter build, so runtime and grammars always share one ABI.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as TreeSitter from '@vscode/tree-sitter-wasm';

export type Tree = TreeSitter.Tree;
export type SyntaxNode = TreeSitter.Node;

/** Grammar file stems available in the package. C is parsed with the C++ grammar (a superset in practice). */
export type GrammarName =
  | 'python' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'cpp' | 'java' | 'c-sharp' | 'rust' | 'ruby' | 'php';

function wasmDirectory(): string {
  // Bundled: dist/wasm next to dist/*.js. From sources/tests: the package folder.
  const bundled = join(__dirname, 'wasm');
  if (existsSync(join(bundled, 'tree-sitter.wasm'))) return bundled;
  // Resolved at run time (not by the bundler) for unbundled runs such as the unit tests.
  const manifest = ['@vscode', 'tree-sitter-wasm', 'package.json'].join('/');
  return join(dirname(require.resolve(manifest)), 'wasm');
}

let runtime: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<TreeSitter.Language>>();

function initRuntime(): Promise<void> {
  runtime ??= TreeSitter.Parser.init({ locateFile: (file: string) => join(wasmDirectory(), file) });
  return runtime;
}

export async function loadGrammar(name: GrammarName): Promise<TreeSitter.Language> {
  await initRuntime();
  let language = languages.get(name);
  if (!language) {
    language = TreeSitter.Language.load(join(wasmDirectory(), `tree-sitter-${name}.wasm`));
    languages.set(name, language);
  }
  return language;
}

/** A parser bound to one grammar; parse() is synchronous once loaded. */
export class GrammarParser {
  private parser: TreeSitter.Parser | undefined;
  /** The last text parsed and its tree, kept so the next version of the same document re-parses incrementally. */
  private last: { text: string; tree: TreeSitter.Tree } | undefined;
  private depth = 0;
  constructor(readonly grammar: GrammarName) {}

  async load(): Promise<void> {
    if (this.parser) return;
    const language = await loadGrammar(this.grammar);
    const parser = new TreeSitter.Parser();
    parser.setLanguage(language);
    this.parser = parser;
  }

  /**
   * Parses text and runs fn on the tree. When the text is an edit of the previous one (a keystroke in
   * the editor), the previous tree is edited and reused, so only the changed region is parsed again.
   */
  withTree<T>(text: string, fn: (root: SyntaxNode) => T): T {
    if (!this.parser) throw new Error(`grammar ${this.grammar} used before load()`);
    if (this.depth > 0) return this.withFreshTree(this.parser, text, fn);
    const previous = this.last;
    this.last = undefined;
    const edit = previous ? editBetween(previous.text, text) : null;
    let tree: TreeSitter.Tree | null;
    try {
      if (previous && edit) previous.tree.edit(edit);
      tree = this.parser.parse(text, previous && edit ? previous.tree : null);
    } finally {
      previous?.tree.delete();
    }
    if (!tree) throw new Error(`tree-sitter could not parse with ${this.grammar}`);
    this.last = { text, tree };
    this.depth++;
    try {
      return fn(tree.rootNode);
    } finally {
      this.depth--;
    }
  }

  /** A nested parse (an adapter parsing while it walks another tree) must not free the outer tree. */
  private withFreshTree<T>(parser: TreeSitter.Parser, text: string, fn: (root: SyntaxNode) => T): T {
    const tree = parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse with ${this.grammar}`);
    try {
      return fn(tree.rootNode);
    } finally {
      tree.delete();
    }
  }
}

function pointAt(text: string, index: number): TreeSitter.Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/**
 * The single edit that turns `before` into `after` (common prefix and suffix kept), or null when the
 * texts share too little for the old tree to help (another file).
 */
export function editBetween(before: string, after: string): TreeSitter.Edit | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const kept = prefix + suffix;
  if (kept < after.length / 2) return null;
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  const start = pointAt(before, prefix);
  return {
    startIndex: prefix,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: start,
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}
