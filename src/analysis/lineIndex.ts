// Offset <-> line/character conversion (0-based, UTF-16). Keeps only line starts, not the text, so
// the workspace index can hold one per file cheaply.
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: Uint32Array;
  readonly length: number;

  constructor(text: string) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = Uint32Array.from(starts);
    this.length = text.length;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - (this.starts[lo] ?? 0) };
  }

  offset(position: Position): number {
    const start = this.starts[position.line];
    if (start === undefined) return this.length;
    return Math.min(start + position.character, this.length);
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))] ?? 0;
  }

  /** The text of one line of `text` (the text this index was built from), without its line break. */
  lineText(text: string, line: number): string {
    const start = this.lineStart(line);
    const next = this.starts[line + 1];
    return text.slice(start, next === undefined ? undefined : next).replace(/\r?\n$/, '');
  }
}
