// A tiny language for server tests: one socket per line, so tests can write workspaces by hand.
//   listen <tcp|udp> <port> [reuseaddr] [late]
// "reuseaddr" sets SO_REUSEADDR before the bind ("late": after it). The fix for add-option inserts
// "reuseaddr" into the line; `boom` anywhere in a file makes extract() throw.
import type { FileFacts, Platform } from '../../../src/analysis/facts';
import type { Fix, FixRequest } from '../../../src/analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../../../src/languages/adapter';

const ALL: Platform[] = ['linux', 'darwin', 'win32'];

export function extractFake(text: string): FileFacts {
  if (text.includes('boom')) throw new Error('the fake adapter exploded');
  const facts: FileFacts = { sockets: [], options: [], binds: [], constants: [] };
  for (const match of text.matchAll(/^listen (tcp|udp) (\d+)( reuseaddr)?( late)?[^\n]*$/gm)) {
    const start = match.index;
    const end = start + match[0].length;
    const id = `s@${start}`;
    const protocol = match[1] === 'udp' ? 'udp' : 'tcp';
    facts.sockets.push({ id, protocol, role: 'server', api: 'fake.listen', span: { start, end }, multicast: false });
    facts.binds.push({
      socketId: id, span: { start, end }, port: Number(match[2]), host: '127.0.0.1', hostKind: 'loopback',
      explicitWildcard: false, platforms: ALL, implicit: {}, bindsAtCreation: false,
    });
    if (match[3]) {
      const at = start + match[0].indexOf('reuseaddr');
      facts.options.push({
        socketId: id, option: 'reuseaddr', enabled: true, span: { start: at, end: at + 'reuseaddr'.length },
        platforms: ALL, timing: match[4] ? 'after' : 'before',
      });
    }
  }
  return facts;
}

export const fakeAdapter: LanguageAdapter = {
  id: 'fake',
  name: 'Fake',
  extensions: ['.fake'],
  languageIds: ['fake'],
  comment: { line: '//' },
  prepare: () => Promise.resolve(),
  extract: (doc: SourceDocument) => extractFake(doc.text),
  fix(doc: SourceDocument, _facts: FileFacts, request: FixRequest): Fix | null {
    if (request.kind !== 'add-option' || request.option !== 'reuseaddr') return null;
    const lineEnd = doc.text.indexOf('\n', request.bind.span.start);
    const at = request.bind.span.start + /^listen \w+ \d+/.exec(doc.text.slice(request.bind.span.start, lineEnd < 0 ? undefined : lineEnd))![0].length;
    return { title: 'Set SO_REUSEADDR before bind', edits: [{ start: at, end: at, newText: ' reuseaddr' }] };
  },
};
