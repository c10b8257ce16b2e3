// The per-file result the engine keeps: facts plus what is needed to place findings in the file.
import type { FileFacts } from './facts';
import type { LineIndex } from './lineIndex';
import type { Suppressions } from './suppressions';

export interface FileAnalysis {
  path: string;
  /** Adapter id that read the file ("python", "lexical"...). */
  languageId: string;
  facts: FileFacts;
  /** Line starts, kept only for files with facts (findings need positions). */
  lines: LineIndex | null;
  suppressions: Suppressions;
  /** Why the file was not analyzed (binary, too large, adapter failure); facts are empty then. */
  error?: string;
}

export function hasFacts(a: FileAnalysis): boolean {
  const f = a.facts;
  return f.sockets.length > 0 || f.options.length > 0 || f.binds.length > 0 || f.constants.length > 0;
}
