// Line-level edit helpers that keep a file's own indentation and line endings.
import type { TextEdit } from '../../analysis/fixes';

export function lineEnding(text: string): string {
  const crlf = text.indexOf('\r\n');
  return crlf >= 0 && crlf <= (text.indexOf('\n') === -1 ? Infinity : text.indexOf('\n')) ? '\r\n' : '\n';
}

export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

export function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

export function indentationAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** One indentation step as the file writes it (tab, or the smallest space run seen). */
export function indentUnit(text: string): string {
  if (/^\t/m.test(text)) return '\t';
  let smallest = 0;
  for (const m of text.matchAll(/^( +)\S/gm)) {
    const n = m[1]?.length ?? 0;
    if (n > 0 && (smallest === 0 || n < smallest)) smallest = n;
  }
  return ' '.repeat(smallest === 0 ? 4 : smallest);
}

/**
 * Inserts `lines` (without indentation) on their own lines before the line holding `offset`,
 * indented like that line. Returns null when exactly these lines are already there.
 */
export function insertLinesBefore(text: string, offset: number, lines: readonly string[]): TextEdit | null {
  const start = lineStartAt(text, offset);
  const indent = indentationAt(text, offset);
  const eol = lineEnding(text);
  const block = lines.map((l) => (l === '' ? '' : indent + l) + eol).join('');
  if (text.slice(Math.max(0, start - block.length), start) === block) return null;
  return { start, end: start, newText: block };
}

/** Inserts lines after the line holding `offset`, indented like that line. */
export function insertLinesAfter(text: string, offset: number, lines: readonly string[]): TextEdit | null {
  const end = lineEndAt(text, offset);
  const indent = indentationAt(text, offset);
  const eol = lineEnding(text);
  const block = lines.map((l) => eol + (l === '' ? '' : indent + l)).join('');
  if (text.slice(end, end + block.length) === block) return null;
  return { start: end, end, newText: block };
}

/** Deletes the whole line(s) spanning [start, end), including the line break. */
export function deleteLines(text: string, start: number, end: number): TextEdit {
  const from = lineStartAt(text, start);
  const nl = text.indexOf('\n', Math.max(end - 1, start));
  return { start: from, end: nl < 0 ? text.length : nl + 1, newText: '' };
}
