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
  constructor(readonly grammar: GrammarName) {}

  async load(): Promise<void> {
    if (this.parser) return;
    const language = await loadGrammar(this.grammar);
    const parser = new TreeSitter.Parser();
    parser.setLanguage(language);
    this.parser = parser;
  }

  /** Parses text, runs fn on the tree and frees the tree's wasm memory afterwards. */
  withTree<T>(text: string, fn: (root: SyntaxNode) => T): T {
    if (!this.parser) throw new Error(`grammar ${this.grammar} used before load()`);
    const tree = this.parser.parse(text);
    if (!tree) throw new Error(`tree-sitter could not parse with ${this.grammar}`);
    try {
      return fn(tree.rootNode);
    } finally {
      tree.delete();
    }
  }
}
