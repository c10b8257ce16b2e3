// Platform guards read lexically: `#ifdef _WIN32` regions, `if (...) { }` / `if ... then ... end` /
// indented bodies and Perl/Crystal statement modifiers whose condition tests the OS. Each becomes a
// region of offsets with the platforms on which it runs.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect, splitByCondition, type GuardSplit } from '../common/platformGuards';
import type { TokenView } from './tokenStructure';
import { Tk, type Directive } from './tokenizer';

export interface GuardRegion {
  start: number;
  end: number;
  platforms: Platform[];
}

/** Rewrites the many dialects of OS tests into words the shared splitByCondition knows. */
export function normalizeCondition(text: string): string {
  return text
    .replace(/MSWin32|Win32NT|Windows_NT|\bMSWINDOWS\b|\bWinSDK\b|\bis_?windows\b|\bwin(?:32|64)\b/gi, ' windows ')
    .replace(/["']\\\\["']/g, ' windows ')
    .replace(/\bis_?linux\b|\bGlibc\b|\blinux_HOST_OS\b/gi, ' linux ')
    .replace(/\bis_?apple\b|\bis_?mac(?:os|osx)?\b|\bmacOS\b|\bOSX\b|\bdarwin_HOST_OS\b/gi, ' darwin ')
    .replace(/\bis_?unix\b|\bis_?bsd\b|\bPosix\b/g, ' unix ')
    .replace(/\s-ne\s|\bne\b|=\/=|~=|\/=|<>/g, ' != ')
    .replace(/(^|\s)-not\s|\bNot\b/g, '$1 not ');
}

export function splitCondition(text: string, negated = false): GuardSplit | null {
  return splitByCondition(normalizeCondition(text), negated);
}

const ELSE_WORDS = new Set(['else', 'elsif', 'elseif', 'elif']);

export class PlatformGuards {
  private readonly regions: GuardRegion[] = [];

  constructor(private readonly view: TokenView, directives: readonly Directive[], private readonly base: readonly Platform[]) {
    this.readDirectives(directives);
    this.readIfStatements();
  }

  /** Platforms on which code at `offset` runs. */
  at(offset: number): Platform[] {
    let platforms = [...this.base];
    for (const r of this.regions) if (r.start <= offset && offset < r.end) platforms = intersect(platforms, r.platforms);
    return platforms;
  }

  get all(): readonly GuardRegion[] {
    return this.regions;
  }

  private add(start: number, end: number, platforms: readonly Platform[]): void {
    if (end <= start || platforms.length === ALL_PLATFORMS.length) return;
    this.regions.push({ start, end, platforms: [...platforms] });
  }

  private readDirectives(directives: readonly Directive[]): void {
    interface Frame {
      branchStart: number;
      branch: Platform[];
      remaining: Platform[];
    }
    const stack: Frame[] = [];
    for (const d of directives) {
      const m = /^#(\w+)\s*(.*)$/s.exec(d.text);
      if (!m) continue;
      const word = m[1] ?? '';
      const cond = m[2] ?? '';
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
        const split = splitCondition(cond, word === 'ifndef');
        stack.push({ branchStart: d.end, branch: split ? split.whenTrue : [...ALL_PLATFORMS], remaining: split ? split.whenFalse : [...ALL_PLATFORMS] });
        continue;
      }
      const top = stack[stack.length - 1];
      if (!top) continue;
      if (word === 'elif' || word === 'elseif' || word === 'elifdef' || word === 'elifndef') {
        this.add(top.branchStart, d.start, top.branch);
        const split = splitCondition(cond, word === 'elifndef');
        top.branch = intersect(top.remaining, split ? split.whenTrue : ALL_PLATFORMS);
        top.remaining = intersect(top.remaining, split ? split.whenFalse : ALL_PLATFORMS);
        top.branchStart = d.end;
      } else if (word === 'else') {
        this.add(top.branchStart, d.start, top.branch);
        top.branch = top.remaining;
        top.branchStart = d.end;
      } else if (word === 'endif' || word === 'end') {
        this.add(top.branchStart, d.start, top.branch);
        stack.pop();
      }
    }
    for (const open of stack) this.add(open.branchStart, this.view.text.length, open.branch);
  }

  private readIfStatements(): void {
    const { view } = this;
    const syntax = view.syntax;
    const ifWords = new Set(['if', 'unless', 'If']);
    if (syntax.runtime === 'nim' || syntax.id === 'odin') ifWords.add('when');
    if (syntax.runtime === 'd') ifWords.add('version');
    for (let i = 0; i < view.length; i++) {
      const t = view.at(i);
      if (!t || t.kind !== Tk.Ident || !ifWords.has(t.text)) continue;
      const prev = view.at(i - 1);
      if (prev && prev.kind === Tk.Punct && (prev.text === '.' || prev.text === '#' || prev.text === ':' || prev.text === '->')) continue;
      try {
        this.readIf(i, t.text === 'unless');
      } catch {
        // A malformed statement only loses its guard.
      }
    }
  }

  private readIf(i: number, negated: boolean): void {
    const { view } = this;
    const syntax = view.syntax;
    // Statement modifier: `stmt if cond;`
    if (syntax.modifierIf) {
      const start = this.modifiedStatementStart(i);
      if (start < i) {
        const end = this.modifiedStatementEnd(i);
        const condEnd = view.isPunct(end, ';') ? end - 1 : end;
        const split = splitCondition(view.source(i + 1, condEnd), negated);
        const first = view.at(start);
        const kw = view.at(i);
        if (split && first && kw) this.add(first.start, kw.start, split.whenTrue);
        return;
      }
    }
    if (syntax.id === 'tcl') {
      if (!view.isPunct(i + 1, '{')) return;
      const condClose = view.closerOf(i + 1);
      const split = splitCondition(view.source(i + 2, condClose - 1), negated);
      if (!split) return;
      let k = condClose + 1;
      if (view.textAt(k) === 'then') k++;
      if (!view.isPunct(k, '{')) return;
      const bodyEnd = this.braceRegion(k, split.whenTrue);
      let e = bodyEnd + 1;
      if (view.textAt(e) === 'else' && view.isPunct(e + 1, '{')) this.braceRegion(e + 1, split.whenFalse);
      else if (view.textAt(e) === 'elseif') e = bodyEnd;
      return;
    }
    const cond = this.conditionRange(i);
    if (!cond) return;
    const split = splitCondition(view.source(cond.from, cond.to), negated);
    if (!split) return;
    if (syntax.blockStyle === 'brace') this.braceBodies(cond.next, split);
    else if (syntax.blockStyle === 'end') this.endBodies(i, cond.next, split);
    else this.indentBodies(i, cond.next, split);
  }

  /** Condition tokens after the keyword at `i`, and the index where the body starts. */
  private conditionRange(i: number): { from: number; to: number; next: number } | null {
    const { view } = this;
    const style = view.syntax.blockStyle;
    if (style === 'brace' && view.isPunct(i + 1, '(')) {
      const close = view.closerOf(i + 1);
      return { from: i + 2, to: close - 1, next: close + 1 };
    }
    const line = view.at(i)?.line ?? 0;
    const depth = view.parent[i] ?? -1;
    let k = i + 1;
    const limit = Math.min(view.length, i + 80);
    while (k < limit) {
      const t = view.at(k);
      if (!t) break;
      if ((view.parent[k] ?? -1) === depth) {
        if (t.kind === Tk.Punct && t.text === '{' && style === 'brace') return k > i + 1 ? { from: i + 1, to: k - 1, next: k } : null;
        if (t.kind === Tk.Ident && (t.text === 'then' || t.text === 'Then' || t.text === 'THEN' || t.text === 'do')) {
          const to = view.isPunct(k - 1, ';') ? k - 2 : k - 1;
          return to >= i + 1 ? { from: i + 1, to, next: k + 1 } : null;
        }
        if (t.kind === Tk.Punct && t.text === ':' && view.at(k + 1)?.line !== t.line) return { from: i + 1, to: k - 1, next: k + 1 };
        if (t.kind === Tk.Punct && t.text === ',' && view.syntax.runtime === 'elixir') return null;
        if (t.line !== line && style !== 'brace') return k > i + 1 ? { from: i + 1, to: k - 1, next: k } : null;
        if (t.kind === Tk.Punct && (t.text === '(' || t.text === '[' || t.text === '{')) {
          k = view.closerOf(k) + 1;
          continue;
        }
      }
      k++;
    }
    return null;
  }

  private braceRegion(open: number, platforms: Platform[]): number {
    const close = this.view.closerOf(open);
    const a = this.view.at(open);
    const b = this.view.at(close);
    if (a && b) this.add(a.end, b.start, platforms);
    return close;
  }

  private braceBodies(next: number, split: GuardSplit): void {
    const { view } = this;
    let end: number;
    if (view.isPunct(next, '{')) end = this.braceRegion(next, split.whenTrue);
    else {
      end = view.statementEnd(next);
      const a = view.at(next);
      const b = view.at(end);
      if (a && b) this.add(a.start, b.end, split.whenTrue);
    }
    const e = end + 1;
    if (view.textAt(e) !== 'else') return;
    if (view.isPunct(e + 1, '{')) this.braceRegion(e + 1, split.whenFalse);
    else if (view.textAt(e + 1) !== 'if') {
      const stop = view.statementEnd(e + 1);
      const a = view.at(e + 1);
      const b = view.at(stop);
      if (a && b) this.add(a.start, b.end, split.whenFalse);
    }
  }

  /** `if c then ... [else ...] end` and friends: depth-counted with the language's block words. */
  private endBodies(keyword: number, next: number, split: GuardSplit): void {
    const { view } = this;
    const syntax = view.syntax;
    const openers = new Set((syntax.blockOpeners ?? []).map((w) => w.toLowerCase()));
    const closers = new Set((syntax.blockClosers ?? ['end']).map((w) => w.toLowerCase()));
    const kwLine = view.at(keyword)?.line ?? -1;
    // Pascal/VB-style one-line `if c then stmt` has no closer.
    const bodyFirst = view.at(next);
    const blockForm = bodyFirst !== undefined && (bodyFirst.line !== kwLine || openers.has(bodyFirst.text.toLowerCase()) || syntax.id === 'lua' || syntax.id === 'elixir' || syntax.id === 'shellscript');
    if (!blockForm) {
      const end = view.statementEnd(next);
      const b = view.at(end);
      if (bodyFirst && b) this.add(bodyFirst.start, b.end, split.whenTrue);
      return;
    }
    let depth = 0;
    let branchStart = bodyFirst.start;
    let platforms = split.whenTrue;
    const base = view.parent[keyword] ?? -1;
    for (let k = next; k < view.length; k++) {
      const t = view.at(k);
      if (!t || t.kind !== Tk.Ident || (view.parent[k] ?? -1) !== base) continue;
      const w = t.text.toLowerCase();
      if (closers.has(w)) {
        // VB `End If` / Fortran `end if` close one block like `end`.
        if (depth === 0) {
          this.add(branchStart, t.start, platforms);
          return;
        }
        depth--;
        continue;
      }
      if (depth === 0 && ELSE_WORDS.has(w)) {
        this.add(branchStart, t.start, platforms);
        if (w !== 'else') return;
        platforms = split.whenFalse;
        branchStart = t.end;
        continue;
      }
      if (openers.has(w) && !this.isModifier(k)) depth++;
    }
    this.add(branchStart, view.text.length, platforms);
  }

  /**
   * Start of the statement a modifier keyword at `k` belongs to. Perl statements end at `;`, not at
   * the line end: `setsockopt(...)\n  or die\n  unless WIN32;` guards the setsockopt two lines up.
   */
  private modifiedStatementStart(k: number): number {
    const { view } = this;
    if (view.syntax.perl !== true) return view.statementStart(k);
    const depth = view.parent[k] ?? -1;
    let s = k;
    for (let p = k - 1; p > depth && p >= 0 && k - p < 400; p--) {
      const t = view.at(p);
      if (!t) break;
      if ((view.parent[p] ?? -1) !== depth) continue;
      if (t.kind === Tk.Punct && t.text === ';') break;
      if (t.kind === Tk.Punct && t.text === '}') {
        // A block's `}` ends its line and the statement; `$h{key}` and `{...}` values stay inside it.
        if ((view.at(p + 1)?.line ?? Infinity) > t.line) break;
        const open = view.match[p] ?? -1;
        if (open < 0) break;
        s = open;
        p = open;
        continue;
      }
      s = p;
    }
    return s;
  }

  /** End of the statement holding the modifier keyword at `k` (Perl: the `;`). */
  private modifiedStatementEnd(k: number): number {
    const { view } = this;
    if (view.syntax.perl !== true) return view.statementEnd(k);
    const depth = view.parent[k] ?? -1;
    for (let n = k + 1; n < view.length && n - k < 200; n++) {
      const t = view.at(n);
      if (!t) break;
      if (depth >= 0 && n === view.match[depth]) return n - 1;
      if (t.kind === Tk.Punct && t.text === ';' && (view.parent[n] ?? -1) === depth) return n;
    }
    return view.statementEnd(k);
  }

  /** A Ruby/Crystal `x if c` or `while` after `do`: words that do not open a block here. */
  private isModifier(k: number): boolean {
    const { view } = this;
    const w = view.textAt(k);
    if (view.syntax.modifierIf && (w === 'if' || w === 'unless' || w === 'while' || w === 'until')) return this.modifiedStatementStart(k) < k;
    if (view.syntax.id === 'elixir' && w === 'do' && view.isPunct(k + 1, ':')) return true;
    return false;
  }

  private indentBodies(keyword: number, next: number, split: GuardSplit): void {
    const { view } = this;
    const kw = view.at(keyword);
    const first = view.at(next);
    if (!kw || !first) return;
    const indentOf = (offset: number): number => {
      const lineStart = view.text.lastIndexOf('\n', offset - 1) + 1;
      let n = 0;
      while (view.text[lineStart + n] === ' ' || view.text[lineStart + n] === '\t') n++;
      return n;
    };
    const base = indentOf(kw.start);
    // Parenthesized or begin..end body (OCaml, F#).
    if (view.isPunct(next, '(')) {
      const close = view.closerOf(next);
      this.add(first.start, view.at(close)?.end ?? first.start, split.whenTrue);
      return;
    }
    let end = first.end;
    let k = next;
    if (first.line === kw.line) {
      while (k < view.length && view.at(k)?.line === kw.line && view.textAt(k) !== 'else') k++;
      end = view.at(k - 1)?.end ?? end;
    } else {
      while (k < view.length) {
        const t = view.at(k);
        if (!t) break;
        if (t.first && indentOf(t.start) <= base) break;
        end = t.end;
        k++;
      }
    }
    this.add(first.start, end, split.whenTrue);
    const e = view.at(k);
    if (e && e.text === 'else') {
      const after = view.at(k + 1);
      if (!after) return;
      let stop = after.end;
      let j = k + 1;
      const sameLine = after.line === e.line;
      while (j < view.length) {
        const t = view.at(j);
        if (!t) break;
        if (sameLine ? t.line !== e.line : t.first && indentOf(t.start) <= indentOf(e.start)) break;
        stop = t.end;
        j++;
      }
      this.add(after.start, stop, split.whenFalse);
    }
  }
}
