// The Go adapter: net/tls/http listeners, ListenConfig.Control options, raw syscall sockets,
// runtime defaults per platform (SO_REUSEADDR on Unix stream listeners, multicast defaults), and
// fixes written as Go (ListenConfig rewrites, Control insertions, GOOS guards).
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractGoFacts, type GoExtraction } from './goExtract';
import { goFix } from './goFixes';

/** Files that cannot hold a listener or a socket option are not parsed at all. */
const TRIGGER = /Listen|Setsockopt|SO_REUSE|\.Socket\(|[Ee]xclusive_?[Aa]ddr_?[Uu]se|EXCLUSIVE_?ADDR_?USE/;
/** Larger files are generated tables, not socket code. */
const MAX_LENGTH = 4_000_000;

const parser = new GrammarParser('go');

/** Parses and extracts, returning null when the text is not worth parsing. */
export function goExtraction(doc: SourceDocument): GoExtraction | null {
  if (doc.text.length > MAX_LENGTH || !TRIGGER.test(doc.text)) return null;
  return parser.withTree(doc.text, (root) => extractGoFacts(root, doc.path, doc.text));
}

export const goAdapter: LanguageAdapter = {
  id: 'go',
  name: 'Go',
  extensions: ['.go'],
  languageIds: ['go'],
  comment: { line: '//' },
  async prepare(): Promise<void> {
    await parser.load();
  },
  extract(doc: SourceDocument): FileFacts {
    try {
      return goExtraction(doc)?.facts ?? emptyFacts();
    } catch {
      return emptyFacts();
    }
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return goFix(doc, facts, request, parser);
    } catch {
      return null;
    }
  },
};
