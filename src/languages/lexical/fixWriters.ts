import type { Fix, FixRequest } from '../../analysis/fixes';
import type { SourceDocument } from '../adapter';
import type { LexicalAnalysis } from './lexicalFacts';

export function writeFix(_doc: SourceDocument, _analysis: LexicalAnalysis, _request: FixRequest): Fix | null {
  return null;
}
