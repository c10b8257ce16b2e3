// Counts tree-sitter ERROR/MISSING nodes, to prove a fix leaves the file parseable.
import { extname } from 'node:path';
import { GrammarParser, type GrammarName, type SyntaxNode } from '../../src/languages/treeSitter';

const GRAMMAR_BY_EXTENSION: Record<string, GrammarName> = {
  '.py': 'python', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript', '.ts': 'typescript',
  '.tsx': 'tsx', '.go': 'go', '.c': 'cpp', '.h': 'cpp', '.cc': 'cpp', '.cpp': 'cpp', '.hpp': 'cpp', '.java': 'java', '.cs': 'c-sharp',
  '.rs': 'rust', '.rb': 'ruby', '.php': 'php',
};
const parsers = new Map<GrammarName, GrammarParser>();

function count(node: SyntaxNode): number {
  let n = node.isError || node.isMissing ? 1 : 0;
  for (const child of node.children) if (child) n += count(child);
  return n;
}

/** Syntax errors in `text` for the file's grammar; 0 for languages without a grammar. */
export async function syntaxErrorCount(path: string, text: string): Promise<number> {
  const grammar = GRAMMAR_BY_EXTENSION[extname(path).toLowerCase()];
  if (!grammar) return 0;
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new GrammarParser(grammar);
    await parser.load();
    parsers.set(grammar, parser);
  }
  return parser.withTree(text, count);
}
