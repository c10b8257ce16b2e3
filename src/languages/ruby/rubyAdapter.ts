// The Ruby adapter: the socket library (TCPServer, Socket, Addrinfo, UDPSocket) and the servers built
// on it, with the defaults each sets, and fixes written as Ruby lines.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractRubyFacts } from './rubyFacts';
import { rubyFix } from './rubyFixes';

/** Text that cannot hold a socket bind or a reuse option needs no parse. */
const TRIGGER = /TCPServer|UDPSocket|Socket\.(?:new|open|tcp_server|udp_server)|Addrinfo|setsockopt|WEBrick|Thin::Server|add_tcp_listener|EXCLUSIVEADDRUSE|HTTPServer/;

const parser = new GrammarParser('ruby');

export const rubyAdapter: LanguageAdapter = {
  id: 'ruby',
  name: 'Ruby',
  extensions: ['.rb', '.rake', '.ru'],
  languageIds: ['ruby'],
  comment: { line: '#' },
  prepare: () => parser.load(),
  extract(doc: SourceDocument): FileFacts {
    if (!TRIGGER.test(doc.text)) return emptyFacts();
    try {
      return parser.withTree(doc.text, (root) => extractRubyFacts(root, doc.path));
    } catch {
      return emptyFacts();
    }
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return parser.withTree(doc.text, (root) => rubyFix(doc.text, root, facts, request));
    } catch {
      return null;
    }
  },
};
