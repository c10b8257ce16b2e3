// The Python language adapter: tree-sitter-python facts, Python runtime defaults, Python fixes.
import type { FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser } from '../treeSitter';
import { extractPythonFacts } from './extractFacts';
import { pythonFix } from './fixes/pythonFix';

const parser = new GrammarParser('python');

export const pythonAdapter: LanguageAdapter = {
  id: 'python',
  name: 'Python',
  extensions: ['.py', '.pyw', '.pyi'],
  languageIds: ['python'],
  comment: { line: '#' },
  prepare(): Promise<void> {
    return parser.load();
  },
  extract(doc: SourceDocument): FileFacts {
    return extractPythonFacts(parser, doc);
  },
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null {
    return pythonFix(parser, doc, facts, request);
  },
};
