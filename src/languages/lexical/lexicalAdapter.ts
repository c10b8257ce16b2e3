// The generic lexical adapter: every text file without a tree-sitter adapter (Kotlin, Scala, Perl,
// Tcl, Lua, Swift, Elixir, Erlang, Haskell, OCaml, Zig, Dart, Julia, shell, PowerShell...). No grammar:
// a tokenizer per language family, the shared socket vocabulary, and conservative facts.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { platformsFromFileName } from '../common/platformGuards';
import { writeFix } from './fixWriters';
import { analyzeTokens, type LexicalAnalysis } from './lexicalFacts';
import { commentSyntaxFor, isNotCode, LEXICAL_EXTENSIONS, LEXICAL_LANGUAGE_IDS, syntaxFor } from './syntaxTable';
import { tokenize } from './tokenizer';

export { commentSyntaxFor, EXTENSION_SYNTAX, SYNTAXES } from './syntaxTable';

/**
 * Cheap first look: text that names none of these cannot hold a bind, a listen or a reuse option,
 * so most files are skipped without tokenizing.
 */
const TRIGGER = /bind|listen|reuse|exclusiveaddr|sockopt|-server|serversocket|datagram|multicast|tcplistener|udpclient|gen_udp|localport|localaddr|tcpserver/i;

export function mayHoldSockets(text: string): boolean {
  return TRIGGER.test(text);
}

/** Full lexical analysis of a document (facts plus the records fixes need), or null when skipped. */
export function analyzeDocument(doc: SourceDocument): LexicalAnalysis | null {
  if (isNotCode(doc.path) || !mayHoldSockets(doc.text)) return null;
  const syntax = syntaxFor(doc.path);
  const lexed = tokenize(doc.text, syntax);
  return analyzeTokens(doc.text, lexed, syntax, platformsFromFileName(doc.path));
}

function extract(doc: SourceDocument): FileFacts {
  try {
    return analyzeDocument(doc)?.facts ?? emptyFacts();
  } catch {
    return emptyFacts();
  }
}

function fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
  try {
    const analysis = analyzeDocument(doc);
    return analysis ? writeFix(doc, analysis, request) : null;
  } catch {
    return null;
  }
}

export const lexicalAdapter: LanguageAdapter = {
  id: 'lexical',
  name: 'Lexical',
  extensions: [...LEXICAL_EXTENSIONS],
  languageIds: [...LEXICAL_LANGUAGE_IDS],
  comment: { line: '#', block: ['/*', '*/'] },
  commentFor: commentSyntaxFor,
  prepare: () => Promise.resolve(),
  extract,
  fix,
};
