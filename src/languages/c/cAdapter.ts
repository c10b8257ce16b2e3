// C and C++ adapters: BSD sockets / Winsock, libuv, libevent, Boost.Asio, Qt servers and UDP sockets, uWebSockets, read with the
// tree-sitter C++ grammar (the package has no C grammar; C parses as C++ well enough for sockets).
import type { FileFacts } from '../../analysis/facts';
import { emptyFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { factsFromEvents } from '../common/socketEvents';
import { GrammarParser } from '../treeSitter';
import { exclusiveConstants } from './cConstants';
import { fixC } from './cFixes';
import { CProgram } from './cProgram';
import { CSocketEvents } from './cSocketEvents';

/** Text that cannot bind, listen or define a reuse option is not parsed at all. */
const TRIGGER = /\b(?:bind|listen|setsockopt|set_option|uv_tcp_bind|uv_udp_bind|evconnlistener_new_bind|evhttp_bind_socket\w*)\s*\(|SO_EXCLUSIVEADDRUSE|\bacceptor\b|\bQ(?:Tcp|Ssl|WebSocket)Server\b/;
const MAX_LENGTH = 4_000_000;

const parser = new GrammarParser('cpp');

/** Facts of one C or C++ file; never throws. */
export function extractC(doc: SourceDocument): FileFacts {
  const { text } = doc;
  if (text.length > MAX_LENGTH || !TRIGGER.test(text) || text.includes('\u0000')) return emptyFacts();
  try {
    return parser.withTree(text, (root) => {
      const program = new CProgram(text, root, doc.path);
      const facts = factsFromEvents(new CSocketEvents(program).collect(), 'socket');
      facts.constants = exclusiveConstants(program);
      return facts;
    });
  } catch {
    return emptyFacts();
  }
}

function fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
  try {
    return parser.withTree(doc.text, (root) => fixC(new CProgram(doc.text, root, doc.path), facts, request));
  } catch {
    return null;
  }
}

export const cAdapter: LanguageAdapter = {
  id: 'c',
  name: 'C',
  extensions: ['.c', '.h'],
  languageIds: ['c'],
  comment: { line: '//' },
  prepare: () => parser.load(),
  extract: extractC,
  fix,
};

export const cppAdapter: LanguageAdapter = {
  id: 'cpp',
  name: 'C++',
  extensions: ['.cc', '.cpp', '.cxx', '.hpp', '.hh', '.hxx', '.ipp'],
  languageIds: ['cpp'],
  comment: { line: '//' },
  prepare: () => parser.load(),
  extract: extractC,
  fix,
};
