// What every language adapter provides to the engine.
import type { FileFacts } from '../analysis/facts';
import type { Fix, FixRequest } from '../analysis/fixes';

export interface SourceDocument {
  /** Path as given by the caller (absolute in the editor, relative or absolute in the CLI). */
  path: string;
  text: string;
}

export interface CommentSyntax {
  /** Line comment opener, e.g. "#" or "//"; used for suppression comments and "disable for this line". */
  line?: string;
  /** Block comment delimiters for languages without line comments. */
  block?: [string, string];
}

export interface LanguageAdapter {
  /** Stable id, also the LSP language id where one exists: "python", "go", "c"... */
  id: string;
  /** Human name for messages. */
  name: string;
  /** Lower-case file extensions including the dot (".py"), and exact file names ("Dockerfile"). */
  extensions: string[];
  /** VS Code language ids this adapter serves. */
  languageIds: string[];
  comment: CommentSyntax;
  /** The comment syntax of one file, for adapters that read many languages (the lexical one). */
  commentFor?(path: string): CommentSyntax;
  /** Loads grammars; called once before the first extract. */
  prepare(): Promise<void>;
  /** Turns text into facts. Must not throw on any input (the engine also guards it). */
  extract(doc: SourceDocument): FileFacts;
  /** Text edits for a requested fix in this language, or null when no safe edit exists. */
  fix(doc: SourceDocument, facts: FileFacts, request: FixRequest): Fix | null;
}
