// The Rust adapter: std/tokio/mio/async-std listeners (SO_REUSEADDR by default except on
// Windows), tokio TcpSocket and socket2 builders, SockRef and raw setsockopt, #[cfg]/cfg! guards,
// and fixes written as Rust.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractRustFacts } from './rustExtract';
import { rustFix } from './rustFixes';

/** Files that cannot hold a bind or a socket option are not parsed at all. */
const TRIGGER = /::bind\b|\.bind\(|setsockopt|set_reuse|SO_REUSE|EXCLUSIVEADDRUSE|Socket::new|TcpSocket::new/;
const MAX_LENGTH = 4_000_000;

const parser = new GrammarParser('rust');

export const rustAdapter: LanguageAdapter = {
  id: 'rust',
  name: 'Rust',
  extensions: ['.rs'],
  languageIds: ['rust'],
  comment: { line: '//' },
  async prepare(): Promise<void> {
    await parser.load();
  },
  extract(doc: SourceDocument): FileFacts {
    if (doc.text.length > MAX_LENGTH || !TRIGGER.test(doc.text)) return emptyFacts();
    try {
      return parser.withTree(doc.text, (root) => extractRustFacts(root, doc.path, doc.text).facts);
    } catch {
      return emptyFacts();
    }
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return rustFix(doc, facts, request, parser);
    } catch {
      return null;
    }
  },
};
