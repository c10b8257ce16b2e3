// A forgiving one-pass tokenizer: drops comments, keeps each string literal as one token (its content
// readable, so "0.0.0.0" and "host:port" survive), records preprocessor directives, never throws and
// stays linear on any input (unterminated strings and comments end at a line or the end of the text).
import type { BlockCommentRule, LexicalSyntax } from './syntaxTable';

export const enum Tk {
  Ident = 0,
  Number = 1,
  String = 2,
  Punct = 3,
}

export interface Token {
  kind: Tk;
  /** Identifier, number or operator text; for strings, the content between the quotes. */
  text: string;
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** First token on its line. */
  first: boolean;
}

/** A preprocessor or compiler directive line: `#ifdef _WIN32`, Swift `#if os(Windows)`, Pascal `{$IFDEF WINDOWS}`. */
export interface Directive {
  start: number;
  end: number;
  /** Normalized text: `#` + directive word + rest, comments removed. */
  text: string;
}

export interface Tokenized {
  tokens: Token[];
  directives: Directive[];
  /** Offsets where each line starts. */
  lineStarts: number[];
}

const MULTI_PUNCT_3 = new Set(['>>=', '=/=', '=:=', '...', '<=>', '===', '!==', '**=']);
const MULTI_PUNCT_2 = new Set(['=>', '->', '::', ':=', '<-', '==', '!=', '=~', '!~', '~=', '>=', '<=', '&&', '||', '..', '?.', '<<', '>>', '|>', '++', '--', '+=', '-=', '/=', '*=', '|=', '&=', '?:']);
const DIRECTIVE_WORDS = new Set(['if', 'ifdef', 'ifndef', 'elif', 'elifdef', 'elifndef', 'elseif', 'else', 'endif', 'end', 'define', 'undef', 'include', 'import', 'pragma', 'error', 'warning', 'line', 'sourceLocation']);
const PERL_QUOTE_OPS = new Set(['q', 'qq', 'qw', 'qr', 'm', 's', 'tr', 'y']);
const PERL_REGEX_AFTER_WORD = new Set(['split', 'if', 'unless', 'and', 'or', 'not', 'return', 'grep', 'map', 'join', 'when', 'while', 'until', 'push', 'unshift', 'x']);
const OPEN_TO_CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
function isIdentPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

export function tokenize(text: string, syntax: LexicalSyntax): Tokenized {
  return new Scanner(text, syntax).run();
}

class Scanner {
  private readonly tokens: Token[] = [];
  private readonly directives: Directive[] = [];
  private readonly n: number;
  private i = 0;
  /** Only blanks since the start of the current line. */
  private atLineStart = true;
  private readonly heredocs: { tag: string; indented: boolean }[] = [];
  private readonly openerChars: Set<number>;

  constructor(private readonly text: string, private readonly syntax: LexicalSyntax) {
    this.n = text.length;
    this.openerChars = new Set<number>();
    for (const c of syntax.lineComments) this.openerChars.add(c.charCodeAt(0));
    for (const b of syntax.blockComments) this.openerChars.add(b.open.charCodeAt(0));
  }

  run(): Tokenized {
    const { text, syntax } = this;
    if (text.startsWith('#!')) this.i = this.lineEnd(0);
    while (this.i < this.n) {
      const c = text.charCodeAt(this.i);
      if (c === 10) {
        this.i++;
        this.atLineStart = true;
        if (this.heredocs.length > 0) this.skipHeredocBodies();
        continue;
      }
      if (isSpace(c)) {
        this.i++;
        continue;
      }
      if (this.atLineStart && this.lineStartConstruct(c)) continue;
      this.atLineStart = false;
      if (this.openerChars.has(c) && this.comment()) continue;
      if (isIdentStart(c) || ((c === 36 || c === 64) && this.sigilIdent())) {
        this.identifier();
        continue;
      }
      if (isDigit(c)) {
        this.number();
        continue;
      }
      if (this.stringAt(c)) continue;
      this.punct();
    }
    const lineStarts = [0];
    for (let k = 0; k < this.n; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
    let line = 0;
    let previousLine = -1;
    for (const t of this.tokens) {
      while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= t.start) line++;
      t.line = line;
      t.first = line !== previousLine;
      previousLine = line;
    }
    void syntax;
    return { tokens: this.tokens, directives: this.directives, lineStarts };
  }

  private push(kind: Tk, tokenText: string, start: number, end: number): void {
    this.tokens.push({ kind, text: tokenText, start, end, line: 0, first: false });
  }

  private lineEnd(from: number): number {
    const nl = this.text.indexOf('\n', from);
    return nl < 0 ? this.n : nl;
  }

  /** Constructs that exist only at the start of a line. Returns true when it consumed something. */
  private lineStartConstruct(c: number): boolean {
    const { text, syntax, i } = this;
    const column0 = i === 0 || text.charCodeAt(i - 1) === 10;
    if (syntax.preprocessor && c === 35 && this.directiveAt(i)) return true;
    if (syntax.perl && column0 && c === 61 && isIdentStart(text.charCodeAt(i + 1))) {
      const cut = /^=(?:cut|end)\b.*$/gm;
      cut.lastIndex = i + 1;
      const m = cut.exec(text);
      this.i = m ? m.index + m[0].length : this.n;
      return true;
    }
    if (syntax.perl && column0 && (text.startsWith('__END__', i) || text.startsWith('__DATA__', i))) {
      this.i = this.n;
      return true;
    }
    if (syntax.fortranFixed && column0 && (c === 99 || c === 67 || c === 42 || c === 33)) {
      this.i = this.lineEnd(i);
      return true;
    }
    if (syntax.remComment && /^rem(\s|$)/i.test(text.slice(i, i + 4))) {
      this.i = this.lineEnd(i);
      return true;
    }
    return false;
  }

  private directiveAt(start: number): boolean {
    const { text } = this;
    let k = start + 1;
    while (k < this.n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
    let w = k;
    while (w < this.n && isIdentPart(text.charCodeAt(w))) w++;
    const word = text.slice(k, w);
    if (!DIRECTIVE_WORDS.has(word)) return false;
    // A directive runs to the end of the line (with backslash continuations); comments in it are dropped.
    let body = '';
    let p = w;
    while (p < this.n) {
      const ch = text.charCodeAt(p);
      if (ch === 10) {
        if (text.charCodeAt(p - 1) === 92 || (text.charCodeAt(p - 1) === 13 && text.charCodeAt(p - 2) === 92)) {
          body = body.replace(/\\\r?$/, ' ');
          p++;
          continue;
        }
        break;
      }
      if (ch === 47 && text.charCodeAt(p + 1) === 47) {
        p = this.lineEnd(p);
        break;
      }
      if (ch === 47 && text.charCodeAt(p + 1) === 42) {
        const close = text.indexOf('*/', p + 2);
        p = close < 0 ? this.n : close + 2;
        body += ' ';
        continue;
      }
      body += text[p];
      p++;
    }
    this.directives.push({ start, end: p, text: `#${word} ${body.trim()}`.trim() });
    this.i = p;
    return true;
  }

  /** Skips a comment starting at `i`. Returns false when no comment starts here. */
  private comment(): boolean {
    const { text, syntax, i } = this;
    for (const block of syntax.blockComments) {
      if (text.startsWith(block.open, i) && this.blockAllowed(block)) {
        this.skipBlock(block);
        return true;
      }
    }
    for (const opener of syntax.lineComments) {
      if (!text.startsWith(opener, i)) continue;
      if (opener === '#' && !this.hashStartsComment()) continue;
      if (opener === '--' && syntax.dashCommentStrict && this.isHaskellOperator(i)) continue;
      if (opener === '--' && syntax.luaLongBrackets) {
        const level = this.longBracketLevel(i + 2);
        if (level >= 0) {
          this.i = this.skipLongBracket(i + 2, level);
          return true;
        }
      }
      this.i = this.lineEnd(i);
      return true;
    }
    return false;
  }

  private blockAllowed(block: BlockCommentRule): boolean {
    // Julia/Nim '#=' / '#[' follow the same word-start rule as '#'.
    if (block.open.startsWith('#') && this.syntax.hashRule) return this.hashStartsComment();
    return true;
  }

  private hashStartsComment(): boolean {
    const rule = this.syntax.hashRule;
    if (!rule) return true;
    const i = this.i;
    if (i === 0) return true;
    const prev = this.text.charCodeAt(i - 1);
    if (rule === 'word') return isSpace(prev) || prev === 10 || prev === 59 || prev === 40 || prev === 123 || prev === 124 || prev === 38;
    // Tcl: a comment only where a command starts.
    const last = this.tokens[this.tokens.length - 1];
    if (!last) return true;
    const between = this.text.slice(last.end, i);
    return between.includes('\n') || last.text === ';' || last.text === '{' || last.text === '[';
  }

  private isHaskellOperator(i: number): boolean {
    let k = i;
    while (this.text.charCodeAt(k) === 45) k++;
    return /[!#$%&*+./<=>?@\\^|~:]/.test(this.text[k] ?? '');
  }

  private skipBlock(block: BlockCommentRule): void {
    const { text } = this;
    const start = this.i;
    if (block.directivePrefix && text.startsWith(block.directivePrefix, start + block.open.length)) {
      const close = text.indexOf(block.close, start + block.open.length);
      const end = close < 0 ? this.n : close + block.close.length;
      const inner = text.slice(start + block.open.length + block.directivePrefix.length, close < 0 ? this.n : close).trim();
      this.directives.push({ start, end, text: pascalDirective(inner) });
      this.i = end;
      return;
    }
    if (!block.nested) {
      const close = text.indexOf(block.close, start + block.open.length);
      this.i = close < 0 ? this.n : close + block.close.length;
      return;
    }
    let depth = 1;
    let k = start + block.open.length;
    while (k < this.n) {
      if (text.startsWith(block.close, k)) {
        depth--;
        k += block.close.length;
        if (depth === 0) break;
      } else if (text.startsWith(block.open, k)) {
        depth++;
        k += block.open.length;
      } else k++;
    }
    this.i = Math.min(k, this.n);
  }

  /** `[[`, `[=[`... returns the number of '=' or -1. */
  private longBracketLevel(k: number): number {
    if (this.text.charCodeAt(k) !== 91) return -1;
    let level = 0;
    let p = k + 1;
    while (this.text.charCodeAt(p) === 61) {
      level++;
      p++;
    }
    return this.text.charCodeAt(p) === 91 ? level : -1;
  }

  private skipLongBracket(k: number, level: number): number {
    const close = `]${'='.repeat(level)}]`;
    const end = this.text.indexOf(close, k + level + 2);
    return end < 0 ? this.n : end + close.length;
  }

  private sigilIdent(): boolean {
    const next = this.text.charCodeAt(this.i + 1);
    if (isIdentStart(next)) return true;
    // `$^O`, `$#array`, `$$`, `$!`, `$0`: Perl and shell special variables (and `$#` is no comment).
    return this.text.charCodeAt(this.i) === 36 && (this.syntax.perl === true || this.syntax.heredoc === 'shell' || this.syntax.hashRule !== undefined);
  }

  private identifier(): void {
    const { text, syntax } = this;
    const start = this.i;
    let k = start;
    const c0 = text.charCodeAt(k);
    if (c0 === 36 || c0 === 64) {
      k++;
      const c1 = text.charCodeAt(k);
      if (c0 === 36 && (c1 === 123 || c1 === 40)) {
        // `${...}` / `$(...)`: the brackets stay tokens of their own.
        this.push(Tk.Punct, '$', start, k);
        this.i = k;
        return;
      }
      const namespaced = syntax.colonColonIdents === true && c1 === 58 && text.charCodeAt(k + 1) === 58;
      if (c0 === 36 && !isIdentStart(c1) && !namespaced) {
        // Special variable: one punctuation or digit char (`$^X` takes two).
        k += c1 === 94 ? 2 : 1;
        if (c1 === 35 && (isIdentStart(text.charCodeAt(k)) || text.charCodeAt(k) === 123)) {
          while (k < this.n && isIdentPart(text.charCodeAt(k))) k++;
        }
        this.push(Tk.Ident, text.slice(start, k), start, k);
        this.i = k;
        return;
      }
    }
    for (;;) {
      while (k < this.n && isIdentPart(text.charCodeAt(k))) k++;
      const c = text.charCodeAt(k);
      if (syntax.colonColonIdents && c === 58 && text.charCodeAt(k + 1) === 58 && (isIdentStart(text.charCodeAt(k + 2)) || k === start + 1)) {
        k += 2;
        continue;
      }
      if (syntax.kebabIdents && c === 45 && isIdentStart(text.charCodeAt(k + 1))) {
        k += 1;
        continue;
      }
      break;
    }
    if (syntax.predicateIdents && (text.charCodeAt(k) === 63 || text.charCodeAt(k) === 33) && text.charCodeAt(k + 1) !== 61) k++;
    const word = text.slice(start, k);
    this.i = k;
    if (syntax.perl && PERL_QUOTE_OPS.has(word) && this.perlQuoteLike(word, start)) return;
    this.push(Tk.Ident, word, start, k);
  }

  private number(): void {
    const { text } = this;
    const start = this.i;
    let k = start;
    while (k < this.n) {
      const c = text.charCodeAt(k);
      if (isIdentPart(c)) k++;
      else if (c === 46 && isDigit(text.charCodeAt(k + 1))) k++;
      else break;
    }
    this.push(Tk.Number, text.slice(start, k), start, k);
    this.i = k;
  }

  private punct(): void {
    const { text } = this;
    const start = this.i;
    const three = text.slice(start, start + 3);
    const two = text.slice(start, start + 2);
    let len = 1;
    if (MULTI_PUNCT_3.has(three)) len = 3;
    else if (MULTI_PUNCT_2.has(two)) len = 2;
    if (len === 2 && two === '<<' && this.heredocStart()) return;
    if (text.charCodeAt(start) === 47 && this.syntax.perl && this.perlRegex()) return;
    this.push(Tk.Punct, text.slice(start, start + len), start, start + len);
    this.i = start + len;
  }

  /** String literals of every kind. Returns false when none starts at `i`. */
  private stringAt(c: number): boolean {
    const { text, syntax } = this;
    const i = this.i;
    if (c === 34 || (c === 39 && syntax.singleQuote === 'string')) {
      const q = text[i] ?? '"';
      if (syntax.tripleQuotes && text.startsWith(q + q + q, i)) {
        const close = text.indexOf(q + q + q, i + 3);
        const end = close < 0 ? this.n : close + 3;
        this.push(Tk.String, text.slice(i + 3, close < 0 ? this.n : close), i, end);
        this.i = end;
        return true;
      }
      this.quoted(i + 1, q, syntax.escape, syntax.multilineStrings, i);
      return true;
    }
    if (c === 39 && syntax.singleQuote === 'char') return this.charLiteral();
    if (c === 96 && syntax.backtickStrings) {
      this.quoted(i + 1, '`', null, true, i);
      return true;
    }
    if (c === 64 && syntax.atStrings && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 39)) {
      const q = text[i + 1] ?? '"';
      // PowerShell here-string: @" newline ... newline "@
      if (/^@["'][ \t]*\r?\n/.test(text.slice(i, i + 5))) {
        const close = text.indexOf(`\n${q}@`, i + 2);
        const end = close < 0 ? this.n : close + 3;
        this.push(Tk.String, text.slice(i + 2, close < 0 ? this.n : close), i, end);
        this.i = end;
        return true;
      }
      this.quoted(i + 2, q, syntax.runtime === 'native' ? '\\' : 'double', true, i);
      return true;
    }
    if (c === 91 && syntax.luaLongBrackets) {
      const level = this.longBracketLevel(i);
      if (level >= 0) {
        const end = this.skipLongBracket(i, level);
        this.push(Tk.String, text.slice(i + level + 2, Math.max(i + level + 2, end - level - 2)), i, end);
        this.i = end;
        return true;
      }
    }
    if (syntax.charPrefix && text[i] === syntax.charPrefix && this.prefixedChar()) return true;
    if (c === 126 && syntax.sigils && this.sigil()) return true;
    if (c === 92 && syntax.zigMultiline && text.charCodeAt(i + 1) === 92) {
      const end = this.lineEnd(i);
      this.push(Tk.String, text.slice(i + 2, end), i, end);
      this.i = end;
      return true;
    }
    return false;
  }

  /** Scans a quoted string from `from` (after the opening quote) and pushes it. */
  private quoted(from: number, quote: string, escape: '\\' | '`' | 'double' | null, multiline: boolean, start: number): void {
    const { text } = this;
    const q = quote.charCodeAt(0);
    const esc = escape === '\\' ? 92 : escape === '`' ? 96 : -1;
    let k = from;
    while (k < this.n) {
      const c = text.charCodeAt(k);
      if (c === esc) {
        k += 2;
        continue;
      }
      if (c === q) {
        if (escape === 'double' && text.charCodeAt(k + 1) === q) {
          k += 2;
          continue;
        }
        break;
      }
      if (c === 10 && !multiline) break;
      k++;
    }
    const contentEnd = Math.min(k, this.n);
    const end = k < this.n && text.charCodeAt(k) === q ? k + 1 : contentEnd;
    this.push(Tk.String, text.slice(from, contentEnd), start, end);
    this.i = end;
  }

  private charLiteral(): boolean {
    const { text } = this;
    const i = this.i;
    const prev = text.charCodeAt(i - 1);
    // A prime (`x'`) or transpose (`a'`) follows a name or a closing bracket.
    if (i > 0 && (isIdentPart(prev) || prev === 41 || prev === 93 || prev === 39)) return false;
    let k = i + 1;
    if (text.charCodeAt(k) === 92) {
      const close = text.indexOf("'", k + 2);
      if (close < 0 || close - k > 10) return false;
      k = close;
    } else {
      const cp = text.codePointAt(k);
      if (cp === undefined || cp === 10 || cp === 39) return false;
      k += cp > 0xffff ? 2 : 1;
      if (text.charCodeAt(k) !== 39) return false;
    }
    this.push(Tk.String, text.slice(i + 1, k), i, k + 1);
    this.i = k + 1;
    return true;
  }

  private prefixedChar(): boolean {
    const { text } = this;
    const i = this.i;
    const prev = text.charCodeAt(i - 1);
    if (i > 0 && (isIdentPart(prev) || prev === 41 || prev === 93)) return false;
    if (this.syntax.charPrefix === '\\') {
      // Lisp: \a, \newline, \" ; Scheme #\a is the same after the '#'.
      let k = i + 2;
      while (k < this.n && isIdentPart(text.charCodeAt(k)) && isIdentPart(text.charCodeAt(i + 1))) k++;
      this.push(Tk.String, text.slice(i + 1, k), i, k);
      this.i = k;
      return true;
    }
    if (this.syntax.charPrefix === '?' && !/[^\s]/.test(text[i + 1] ?? ' ')) return false;
    const k = i + (text.charCodeAt(i + 1) === 92 ? 3 : 2);
    this.push(Tk.String, text.slice(i + 1, k), i, Math.min(k, this.n));
    this.i = Math.min(k, this.n);
    return true;
  }

  private sigil(): boolean {
    const { text } = this;
    const i = this.i;
    let k = i + 1;
    while (k < this.n && /[a-zA-Z]/.test(text[k] ?? '')) k++;
    if (k === i + 1) return false;
    const open = text[k] ?? '';
    if (!/^[/|"'([{<]$/.test(open)) return false;
    if ((open === '"' || open === "'") && text.startsWith(open.repeat(3), k)) {
      const close = text.indexOf(open.repeat(3), k + 3);
      const end = close < 0 ? this.n : close + 3;
      this.push(Tk.String, text.slice(k + 3, close < 0 ? this.n : close), i, end);
      this.i = end;
      return true;
    }
    const end = this.delimited(k, open);
    this.push(Tk.String, text.slice(k + 1, Math.max(k + 1, end - 1)), i, end);
    this.i = end;
    while (this.i < this.n && /[a-zA-Z]/.test(text[this.i] ?? '')) this.i++;
    return true;
  }

  /** From an opening delimiter at `k`, the offset after its closing one (brackets nest). */
  private delimited(k: number, open: string): number {
    const { text } = this;
    const close = OPEN_TO_CLOSE[open];
    if (close) {
      let depth = 0;
      for (let p = k; p < this.n; p++) {
        const ch = text[p];
        if (ch === '\\') {
          p++;
          continue;
        }
        if (ch === open) depth++;
        else if (ch === close) {
          depth--;
          if (depth === 0) return p + 1;
        }
      }
      return this.n;
    }
    for (let p = k + 1; p < this.n; p++) {
      const ch = text[p];
      if (ch === '\\') {
        p++;
        continue;
      }
      if (ch === open) return p + 1;
    }
    return this.n;
  }

  private perlQuoteLike(word: string, start: number): boolean {
    const { text } = this;
    const open = text[this.i] ?? '';
    if (!/^[/{([<|!#~'"@%^+]$/.test(open)) return false;
    const last = this.tokens[this.tokens.length - 1];
    if (last && (last.text === '->' || last.text === '{' && text[this.i] === '}')) return false;
    if (/^\s*=>/.test(text.slice(this.i, this.i + 4))) return false;
    let end = this.delimited(this.i, open);
    const content = text.slice(this.i + 1, Math.max(this.i + 1, end - 1));
    if (word === 's' || word === 'tr' || word === 'y') {
      if (OPEN_TO_CLOSE[open]) {
        let p = end;
        while (p < this.n && isSpace(text.charCodeAt(p))) p++;
        const second = text[p] ?? '';
        end = OPEN_TO_CLOSE[second] ? this.delimited(p, second) : end;
      } else {
        end = this.delimited(end - 1, open);
      }
    }
    while (end < this.n && /[a-z]/.test(text[end] ?? '')) end++;
    this.push(Tk.String, content, start, end);
    this.i = end;
    return true;
  }

  private perlRegex(): boolean {
    const last = this.tokens[this.tokens.length - 1];
    const operandExpected = !last
      || (last.kind === Tk.Punct && last.text !== ')' && last.text !== ']' && last.text !== '}')
      || (last.kind === Tk.Ident && PERL_REGEX_AFTER_WORD.has(last.text));
    if (!operandExpected) return false;
    const { text } = this;
    const lineEnd = this.lineEnd(this.i);
    let p = this.i + 1;
    while (p < lineEnd) {
      const ch = text.charCodeAt(p);
      if (ch === 92) p += 2;
      else if (ch === 47) break;
      else p++;
    }
    if (p >= lineEnd) return false;
    let end = p + 1;
    while (end < this.n && /[a-z]/.test(text[end] ?? '')) end++;
    this.push(Tk.String, text.slice(this.i + 1, p), this.i, end);
    this.i = end;
    return true;
  }

  private heredocStart(): boolean {
    const style = this.syntax.heredoc;
    if (!style) return false;
    const rest = this.text.slice(this.i, this.i + 80);
    const re = style === 'shell' ? /^<<(-?)[ \t]*(?:(["'])([\w.-]+)\2|\\?([A-Za-z_][\w-]*))/
      : style === 'perl' ? /^<<(~?)(?:(["'])([\w.-]+)\2|([A-Za-z_]\w*))/
      : /^<<([-~]?)(?:(["'])([\w.-]+)\2|([A-Z_][\w]*))/;
    if (rest.startsWith('<<<')) return false;
    const m = re.exec(rest);
    if (!m) return false;
    const tag = m[3] ?? m[4] ?? '';
    this.heredocs.push({ tag, indented: (m[1] ?? '') !== '' || style === 'shell' });
    this.push(Tk.String, '', this.i, this.i + m[0].length);
    this.i += m[0].length;
    return true;
  }

  /** At the start of the line after a heredoc opener: skips each pending body up to its terminator. */
  private skipHeredocBodies(): void {
    const { text } = this;
    while (this.heredocs.length > 0) {
      const doc = this.heredocs.shift();
      if (!doc) break;
      let p = this.i;
      for (;;) {
        if (p >= this.n) {
          this.i = this.n;
          return;
        }
        const end = this.lineEnd(p);
        const line = text.slice(p, end).replace(/\r$/, '');
        const candidate = doc.indented ? line.trim() : line;
        p = end + 1;
        if (candidate === doc.tag) break;
      }
      this.i = Math.min(p, this.n);
    }
  }
}

/** `{$IFDEF WINDOWS}` → `#ifdef WINDOWS`, so one reader handles every directive dialect. */
function pascalDirective(inner: string): string {
  const m = /^(\w+)\s*(.*)$/s.exec(inner);
  if (!m) return '#';
  const word = (m[1] ?? '').toLowerCase();
  const rest = (m[2] ?? '').trim();
  if (word === 'ifdef' || word === 'ifndef' || word === 'else' || word === 'endif' || word === 'elseif') return `#${word} ${rest}`.trim();
  if (word === 'if') return `#if ${rest}`;
  if (word === 'ifend') return '#endif';
  if (word === 'define') return `#define ${rest}`;
  return `#${word}`;
}
