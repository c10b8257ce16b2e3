// The PHP adapter: stream_socket_server and its context options, ext/sockets, ReactPHP servers, with
// PHP's own defaults, and fixes written as PHP statements or context options.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractPhpFacts } from './phpFacts';
import { phpFix } from './phpFixes';

/** Text that cannot hold a socket bind or a reuse option needs no parse. */
const TRIGGER = /stream_socket_server|socket_create|socket_bind|socket_set_?opt|TcpServer|SocketServer|React\\Socket|EXCLUSIVEADDRUSE/;

const parser = new GrammarParser('php');

export const phpAdapter: LanguageAdapter = {
  id: 'php',
  name: 'PHP',
  extensions: ['.php', '.phtml', '.inc'],
  languageIds: ['php'],
  comment: { line: '//' },
  prepare: () => parser.load(),
  extract(doc: SourceDocument): FileFacts {
    if (!TRIGGER.test(doc.text)) return emptyFacts();
    try {
      return parser.withTree(doc.text, (root) => extractPhpFacts(root, doc.path));
    } catch {
      return emptyFacts();
    }
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return parser.withTree(doc.text, (root) => phpFix(doc.text, root, facts, request));
    } catch {
      return null;
    }
  },
};
