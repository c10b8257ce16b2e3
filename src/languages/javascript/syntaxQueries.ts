// The nodes the extractor reads, found by tree-sitter queries: matching runs inside the parser's own
// code, which is several times faster than visiting every node from JavaScript.
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import { loadGrammar, type GrammarName, type SyntaxNode } from '../treeSitter';

const MAIN_QUERY = `
(call_expression) @call
(new_expression) @call
(import_statement) @import
(assignment_expression left: (identifier) @assigned)
(augmented_assignment_expression left: (identifier) @assigned)
(update_expression argument: (identifier) @assigned)
`;

/** Hand-written option constants; run only on text that mentions one. */
const CONSTANT_QUERY = `
((variable_declarator name: (identifier) @name) @constant (#match? @name "EXCLUSIVEADDRUSE"))
((pair key: (_) @name) @constant (#match? @name "EXCLUSIVEADDRUSE"))
`;

export interface CollectedNodes {
  /** Calls and `new` expressions, outer before inner, in text order. */
  calls: SyntaxNode[];
  imports: SyntaxNode[];
  /** Names assigned after their declaration. */
  assigned: Set<string>;
  /** Declarators and object pairs that define SO_EXCLUSIVEADDRUSE-like names. */
  constants: SyntaxNode[];
}

export class SyntaxQueries {
  private constructor(private readonly main: TreeSitter.Query, private readonly constants: TreeSitter.Query) {}

  static async load(grammar: GrammarName): Promise<SyntaxQueries> {
    const language = await loadGrammar(grammar);
    return new SyntaxQueries(new TreeSitter.Query(language, MAIN_QUERY), new TreeSitter.Query(language, CONSTANT_QUERY));
  }

  collect(root: SyntaxNode, wantConstants: boolean): CollectedNodes {
    const found: CollectedNodes = { calls: [], imports: [], assigned: new Set(), constants: [] };
    for (const capture of this.main.captures(root)) {
      if (capture.name === 'call') found.calls.push(capture.node);
      else if (capture.name === 'import') found.imports.push(capture.node);
      else found.assigned.add(capture.node.text);
    }
    found.calls.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
    if (wantConstants) {
      for (const capture of this.constants.captures(root)) if (capture.name === 'constant') found.constants.push(capture.node);
    }
    return found;
  }
}
