// Structure on top of the token list: matching brackets, call arguments, receiver chains
// (`a.b(c).d`), statement bounds. Everything is index arithmetic on the token array.
import type { LexicalSyntax } from './syntaxTable';
import { Tk, type Token, type Tokenized } from './tokenizer';

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE = new Set([')', ']', '}']);
/** Tokens after which a line break does not end the statement. */
const CONTINUES = new Set([',', '(', '[', '{', '=', '.', '+', '-', '*', '/', '&&', '||', '=>', '->', '|>', '::', ':=', '<-', '?', ':', '\\', '|', '&', 'and', 'or']);

export class TokenView {
  readonly tokens: Token[];
  /** For a bracket token, the index of its partner, else -1. */
  readonly match: Int32Array;
  /** Index of the innermost open bracket enclosing each token, or -1. */
  readonly parent: Int32Array;

  constructor(readonly text: string, readonly lexed: Tokenized, readonly syntax: LexicalSyntax) {
    const tokens = lexed.tokens;
    this.tokens = tokens;
    const n = tokens.length;
    this.match = new Int32Array(n).fill(-1);
    this.parent = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = tokens[i];
      if (!t) continue;
      this.parent[i] = stack.length > 0 ? (stack[stack.length - 1] ?? -1) : -1;
      if (t.kind !== Tk.Punct) continue;
      if (OPEN[t.text]) {
        stack.push(i);
      } else if (CLOSE.has(t.text)) {
        // Close the nearest opener of the same kind; unmatched closers are ignored.
        for (let s = stack.length - 1; s >= 0; s--) {
          const o = stack[s] ?? -1;
          if (OPEN[tokens[o]?.text ?? ''] === t.text) {
            this.match[o] = i;
            this.match[i] = o;
            stack.length = s;
            this.parent[i] = stack.length > 0 ? (stack[stack.length - 1] ?? -1) : -1;
            break;
          }
        }
      }
    }
  }

  get length(): number {
    return this.tokens.length;
  }

  at(i: number): Token | undefined {
    return this.tokens[i];
  }

  textAt(i: number): string {
    return this.tokens[i]?.text ?? '';
  }

  isPunct(i: number, text: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === Tk.Punct && t.text === text;
  }

  isIdent(i: number): boolean {
    return this.tokens[i]?.kind === Tk.Ident;
  }

  /** The matching closer for an opener at `i`; when unmatched (half-typed code), the last token on its line. */
  closerOf(i: number): number {
    const m = this.match[i] ?? -1;
    if (m >= 0) return m;
    const line = this.tokens[i]?.line ?? -1;
    let k = i;
    while (k + 1 < this.tokens.length && this.tokens[k + 1]?.line === line) k++;
    return k;
  }

  /** Source text between two token indexes, inclusive. */
  source(from: number, to: number): string {
    const a = this.tokens[from];
    const b = this.tokens[to];
    if (!a || !b || to < from) return '';
    return this.text.slice(a.start, b.end);
  }

  /** Splits the tokens strictly inside brackets [open, close] at top-level commas. */
  splitArgs(open: number, close: number): Array<[number, number]> {
    const args: Array<[number, number]> = [];
    let from = open + 1;
    let k = open + 1;
    while (k < close) {
      const t = this.tokens[k];
      if (!t) break;
      const m = this.match[k] ?? -1;
      if (t.kind === Tk.Punct && OPEN[t.text] && m > k) {
        k = m + 1;
        continue;
      }
      if (t.kind === Tk.Punct && (t.text === ',' || t.text === ';')) {
        if (k > from) args.push([from, k - 1]);
        from = k + 1;
      }
      k++;
    }
    if (close > from) args.push([from, close - 1]);
    return args;
  }

  /** A line break between i-1 and i ends a statement unless an operator carries it on. */
  breaksBefore(i: number): boolean {
    const t = this.tokens[i];
    const p = this.tokens[i - 1];
    if (!t || !p) return true;
    if (t.line === p.line) return false;
    // A shell command run in the background (`cmd &`) ends at the line break; `&&` carries on.
    if (p.kind === Tk.Punct && p.text === '&' && this.syntax.runtime === 'shell') return true;
    if (CONTINUES.has(p.text) && p.kind === Tk.Punct) return false;
    // `./script` starting a line is a path, not a member access continuing the previous line.
    if (t.kind === Tk.Punct && t.text === '.' && this.isPunct(i + 1, '/') && this.tokens[i + 1]?.start === t.end) return true;
    if (t.kind === Tk.Punct && (t.text === '.' || t.text === '?.' || t.text === '|>' || t.text === '->' && this.syntax.perl === true)) return false;
    return true;
  }

  /** A `\` that ends its line: the line continues on the next one (shell, Tcl, Makefiles, macros). */
  isLineContinuation(i: number): boolean {
    const t = this.tokens[i];
    if (!t || t.kind !== Tk.Punct || t.text !== '\\') return false;
    const next = this.tokens[i + 1];
    return !next || next.line > t.line;
  }

  /** First token of the statement holding `i`, at `i`'s bracket depth. */
  statementStart(i: number): number {
    const depth = this.parent[i] ?? -1;
    let k = i;
    while (k > 0) {
      const p = k - 1;
      const pt = this.tokens[p];
      if (!pt) break;
      if (p === depth) break;
      if (pt.kind === Tk.Punct && (pt.text === ';' || pt.text === '}' || pt.text === '{')) {
        // A closing brace of a nested block at our depth ends the previous statement.
        if (pt.text !== '}' || (this.parent[p] ?? -1) === depth) break;
      }
      if ((this.parent[p] ?? -1) === depth && this.breaksBefore(k)) break;
      // Step over a bracketed group as a whole.
      if (pt.kind === Tk.Punct && CLOSE.has(pt.text) && (this.match[p] ?? -1) >= 0) {
        k = this.match[p] ?? p;
        continue;
      }
      k = p;
    }
    return k;
  }

  /** Last token of the statement holding `i`, at `i`'s bracket depth. */
  statementEnd(i: number): number {
    const depth = this.parent[i] ?? -1;
    let k = i;
    const n = this.tokens.length;
    while (k + 1 < n) {
      const t = this.tokens[k];
      if (t && t.kind === Tk.Punct && OPEN[t.text] && (this.match[k] ?? -1) > k) {
        k = this.match[k] ?? k;
        if (k + 1 >= n) break;
      }
      const next = k + 1;
      const nt = this.tokens[next];
      if (!nt) break;
      if ((this.parent[next] ?? -1) !== depth) break;
      if (nt.kind === Tk.Punct && (nt.text === ';' || CLOSE.has(nt.text))) {
        if (nt.text === ';') return next;
        break;
      }
      if (this.breaksBefore(next)) break;
      k = next;
    }
    return k;
  }

  /** For the name of a call at `i`: the parenthesized argument list right after it, if any. */
  callParens(i: number): [number, number] | null {
    if (!this.isPunct(i + 1, '(')) return null;
    // `name (args)` with a space is a call in most languages, but not in juxtaposition ones where it is an argument.
    const t = this.tokens[i];
    const open = this.tokens[i + 1];
    if (t && open && open.start > t.end && this.syntax.blockStyle === 'indent' && this.syntax.runtime !== 'nim') return null;
    return [i + 1, this.closerOf(i + 1)];
  }

  /**
   * Arguments written without parentheses (`bind sock addr`, `listen $s 5`, Tcl words): atoms up to the
   * end of the statement. Each atom is a name (with `.` parts), a literal, or a bracketed group.
   */
  juxtaposedArgs(i: number): Array<[number, number]> {
    const args: Array<[number, number]> = [];
    const depth = this.parent[i] ?? -1;
    let k = i + 1;
    const n = this.tokens.length;
    let commaSeparated = false;
    let current: [number, number] | null = null;
    while (k < n && args.length < 12) {
      const t = this.tokens[k];
      if (!t || (this.parent[k] ?? -1) !== depth || this.breaksBefore(k)) break;
      if (t.kind === Tk.Punct && (t.text === ';' || CLOSE.has(t.text) || t.text === '$' || t.text === '>>=' || t.text === '|' || t.text === '=' || t.text === '==')) break;
      if (t.kind === Tk.Ident && (t.text === 'in' || t.text === 'then' || t.text === 'do' || t.text === 'if' || t.text === 'unless' || t.text === 'or' || t.text === 'and')) break;
      if (t.kind === Tk.Punct && t.text === ',') {
        commaSeparated = true;
        if (current) args.push(current);
        current = null;
        k++;
        continue;
      }
      // `listen 10.0.2.2\` + newline + `$port`: the backslash only joins the lines; it is no part of an atom.
      if (this.isLineContinuation(k)) {
        if (current && !commaSeparated) args.push(current);
        if (!commaSeparated) current = null;
        k++;
        continue;
      }
      const end = t.kind === Tk.Punct && OPEN[t.text] ? this.closerOf(k) : k;
      if (commaSeparated || (current && this.joinsAtom(current[1], k))) {
        current = current ? [current[0], end] : [k, end];
      } else {
        if (current) args.push(current);
        current = [k, end];
      }
      k = end + 1;
    }
    if (current) args.push(current);
    return args;
  }

  /** `a.b`, `a::b`, `-flag`, `&x`: tokens glued without space belong to one atom. */
  private joinsAtom(prevEnd: number, k: number): boolean {
    const a = this.tokens[prevEnd];
    const b = this.tokens[k];
    if (!a || !b) return false;
    if (b.start !== a.end) return false;
    return a.kind === Tk.Punct ? a.text !== ')' && a.text !== ']' : true;
  }

  /**
   * The receiver chain before the member name at `i` (`a.b(x).name`): the root token and the text of
   * the plain-name parts. Null when `i` is not preceded by a member operator.
   */
  receiverOf(i: number): Receiver | null {
    const op = this.tokens[i - 1];
    if (!op || op.kind !== Tk.Punct || !this.isMemberOp(i - 1)) return null;
    const parts: string[] = [];
    let hasCall = false;
    let k = i - 2;
    let root = -1;
    for (;;) {
      while (k >= 0 && (this.isPunct(k, '?') || this.isPunct(k, '!'))) k--;
      const t = this.tokens[k];
      if (!t) break;
      if (t.kind === Tk.Punct && (t.text === ')' || t.text === ']')) {
        const o = this.match[k] ?? -1;
        if (o < 0) break;
        hasCall = true;
        const before = this.tokens[o - 1];
        if (before && before.kind === Tk.Ident && before.end === this.tokens[o]?.start) {
          parts.unshift(`${before.text}()`);
          root = o - 1;
          k = o - 2;
        } else {
          root = o;
          k = o - 1;
          break;
        }
      } else if (t.kind === Tk.Ident || t.kind === Tk.String) {
        parts.unshift(t.text);
        root = k;
        k = k - 1;
      } else break;
      if (k < 0 || !this.isMemberOp(k)) break;
      k--;
    }
    if (root < 0) return null;
    const plain = parts.map((p) => p.replace(/\(\)$/, ''));
    return { root, text: plain.join('.'), hasCall, parts };
  }

  isMemberOp(k: number): boolean {
    const t = this.tokens[k];
    if (!t || t.kind !== Tk.Punct) return false;
    if (t.text === '.' || t.text === '?.' || t.text === '::') return true;
    // `->` reaches a member in Perl and C; elsewhere (Erlang, Haskell, Kotlin lambdas) it is an arrow.
    if (t.text === '->') return this.syntax.perl === true || this.syntax.runtime === 'native' && this.syntax.preprocessor === true;
    if (t.text === ':' && this.syntax.colonMember === true) {
      const prev = this.tokens[k - 1];
      const next = this.tokens[k + 1];
      return prev !== undefined && next !== undefined && prev.end === t.start && next.start === t.end;
    }
    return false;
  }
}

export interface Receiver {
  /** Index of the chain's first token. */
  root: number;
  /** Plain names joined with '.', calls reduced to their names: `aSocket.tcp`. */
  text: string;
  hasCall: boolean;
  /** Parts, calls marked with a trailing `()`. */
  parts: string[];
}
