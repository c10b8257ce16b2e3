// The Java adapter: JDK sockets (ServerSocket, channels, DatagramSocket, MulticastSocket) with the
// JDK's own defaults, and fixes written as Java statements.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractJavaFacts } from './javaFacts';
import { javaFix } from './javaFixes';

/** Text that cannot hold a socket bind or a reuse option needs no parse. */
const TRIGGER = /ServerSocket|DatagramSocket|DatagramChannel|MulticastSocket|SocketChannel|setReuseAddress|SO_REUSE|EXCLUSIVEADDRUSE|\bnew\s+Socket\s*\(/;

const parser = new GrammarParser('java');

export const javaAdapter: LanguageAdapter = {
  id: 'java',
  name: 'Java',
  extensions: ['.java'],
  languageIds: ['java'],
  comment: { line: '//' },
  prepare: () => parser.load(),
  extract(doc: SourceDocument): FileFacts {
    if (!TRIGGER.test(doc.text)) return emptyFacts();
    try {
      return parser.withTree(doc.text, (root) => extractJavaFacts(root, doc.path));
    } catch {
      return emptyFacts();
    }
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return parser.withTree(doc.text, (root) => javaFix(doc.text, root, facts, request));
    } catch {
      return null;
    }
  },
};
