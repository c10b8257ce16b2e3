// C# adapter: Socket, TcpListener and UdpClient from System.Net.Sockets.
import type { ConstantFact, FileFacts } from '../../analysis/facts';
import { emptyFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { factsFromEvents } from '../common/socketEvents';
import { GrammarParser } from '../treeSitter';
import { fixCSharp } from './csharpFixes';
import { CSharpProgram, declaratorValue } from './csharpProgram';
import { CSharpSocketEvents } from './csharpSocketEvents';

const TRIGGER = /\.(?:Bind|Start|SetSocketOption)\s*\(|\b(?:TcpListener|UdpClient|ExclusiveAddressUse|SO_EXCLUSIVEADDRUSE)\b/;
const MAX_LENGTH = 4_000_000;

const parser = new GrammarParser('c-sharp');

/** Hand-written `const int SO_EXCLUSIVEADDRUSE = ...` (P/Invoke code) and enum members of that name. */
function exclusiveConstants(program: CSharpProgram): ConstantFact[] {
  const facts: ConstantFact[] = [];
  const candidates = [
    ...program.fieldDeclarators,
    ...program.root.descendantsOfType('enum_member_declaration').filter((n) => n !== null),
  ];
  for (const node of candidates) {
    const name = node.childForFieldName('name')?.text;
    if (!name || !/^SO_EXCLUSIVEADDRUSE$/i.test(name)) continue;
    const value = node.type === 'enum_member_declaration' ? node.childForFieldName('value') : declaratorValue(node);
    if (!value) continue;
    const number = program.number(value);
    facts.push({
      name,
      value: number === null ? null : number | 0,
      span: { start: node.startIndex, end: node.endIndex },
      valueSpan: { start: value.startIndex, end: value.endIndex },
    });
  }
  return facts;
}

export function extractCSharp(doc: SourceDocument): FileFacts {
  const { text } = doc;
  if (text.length > MAX_LENGTH || !TRIGGER.test(text) || text.includes('\u0000')) return emptyFacts();
  try {
    return parser.withTree(text, (root) => {
      const program = new CSharpProgram(text, root, doc.path);
      const facts = factsFromEvents(new CSharpSocketEvents(program).collect(), 'Socket');
      facts.constants = /SO_EXCLUSIVEADDRUSE/i.test(text) ? exclusiveConstants(program) : [];
      return facts;
    });
  } catch {
    return emptyFacts();
  }
}

function fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
  try {
    return parser.withTree(doc.text, (root) => fixCSharp(new CSharpProgram(doc.text, root, doc.path), facts, request));
  } catch {
    return null;
  }
}

export const csharpAdapter: LanguageAdapter = {
  id: 'csharp',
  name: 'C#',
  extensions: ['.cs'],
  languageIds: ['csharp'],
  comment: { line: '//' },
  prepare: () => parser.load(),
  extract: extractCSharp,
  fix,
};
