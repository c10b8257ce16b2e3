// The fix model: rules ask for a fix in language-neutral terms (a FixRequest); the file's language
// adapter turns it into text edits for that language. Edits are applied by applyEdits.
import type { BindFact, ConstantFact, OptionFact, ReuseOption, SocketFact } from './facts';

export interface TextEdit {
  /** UTF-16 offsets into the original text; start === end inserts. */
  start: number;
  end: number;
  newText: string;
}

export type FixRequest =
  /** Turn the option on before the bind (rewriting a bind-at-creation call when that is the only way). */
  | { kind: 'add-option'; option: Exclude<ReuseOption, 'exclusiveaddruse'>; socket: SocketFact; bind: BindFact }
  /** Move an option set after bind to just before the bind. */
  | { kind: 'move-before-bind'; option: OptionFact; socket: SocketFact; bind: BindFact }
  /** Add SO_EXCLUSIVEADDRUSE (or the runtime's equivalent) guarded to Windows, before the bind. */
  | { kind: 'add-exclusive'; socket: SocketFact; bind: BindFact }
  /** Guard an explicit SO_REUSEADDR so it does not run on Windows. */
  | { kind: 'guard-not-windows'; option: OptionFact; socket: SocketFact }
  /** Remove an option setting (e.g. reuse on a unicast UDP socket). */
  | { kind: 'remove-option'; option: OptionFact; socket: SocketFact }
  /** Replace a wrong SO_EXCLUSIVEADDRUSE value with ~SO_REUSEADDR (-5). */
  | { kind: 'fix-exclusive-constant'; constant: ConstantFact };

export interface Fix {
  title: string;
  /** Edits to the file the finding is in. */
  edits: TextEdit[];
}

/** Applies non-overlapping edits; overlapping later edits are dropped so the result stays sane. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) continue;
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}
