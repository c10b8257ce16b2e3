// Values a reader can see in one file: `PORT = 8080`, `const port = 8080`, `my $port = 8080;`,
// `set port 8080`, `@port 4000`, `-define(PORT, 8080).`, `#define PORT 8080`, env-with-default forms,
// and small integer expressions (`~SO_REUSEADDR`, `0xFFFFFFFB`, `(int)(~4)`) for hand-written constants.
import { tokenize, Tk, type Directive } from './tokenizer';
import { TokenView } from './tokenStructure';

export interface Assignment {
  name: string;
  /** Token index of the name (or of the directive's first token for #define). */
  at: number;
  /** Token range of the value. */
  from: number;
  to: number;
  /** The view holding the range (the file, or a #define line's own tokens). */
  view: TokenView;
  /** Offset where the whole definition starts (the `#define`, `const`, the name). */
  declStart?: number;
}

const ASSIGN_OPS = new Set(['=', ':=', '<-', '<<-', '=>']);
const DEFINERS = new Set(['def', 'define', 'defconstant', 'defparameter', 'defvar', 'setq', 'setf', 'defonce', 'set', 'const', 'constant']);
/** Windows values: SO_EXCLUSIVEADDRUSE only matters there. */
const KNOWN_CONSTANTS: Record<string, number> = { SO_REUSEADDR: 4, SO_REUSEPORT: 15, SO_EXCLUSIVEADDRUSE: -5 };
const ENV_WORD = /getenv|get_env|environ|^\$?ENV$|^env$|getEnv|EnvironmentVariable/i;

export function normalizeName(name: string): string {
  return name.replace(/^[$@%?]+/, '').replace(/^(?:self|this)\./, '').replace(/^::/, '');
}

export class ConstantTable {
  private readonly byName = new Map<string, Assignment[]>();

  constructor(readonly view: TokenView, directives: readonly Directive[]) {
    this.scanTokens();
    for (const d of directives) this.scanDirective(d);
  }

  private record(name: string, a: Assignment): void {
    const key = normalizeName(name);
    if (!key) return;
    let list = this.byName.get(key);
    if (!list) {
      list = [];
      this.byName.set(key, list);
    }
    list.push(a);
  }

  private scanTokens(): void {
    const { view } = this;
    for (let i = 0; i < view.length; i++) {
      const t = view.at(i);
      if (!t) continue;
      if (t.kind === Tk.Punct && ASSIGN_OPS.has(t.text)) {
        const nameAt = this.nameBefore(i);
        if (nameAt < 0) continue;
        const from = i + 1;
        if (from >= view.length) continue;
        const to = view.statementEnd(from);
        const end = view.isPunct(to, ';') || view.isPunct(to, ',') ? to - 1 : to;
        if (end >= from) this.record(view.textAt(nameAt), { name: view.textAt(nameAt), at: nameAt, from, to: end, view });
        continue;
      }
      if (t.kind !== Tk.Ident) continue;
      // `set port 8080`, `(def port 8080)`, `@port 4000`, `-define(PORT, 8080).`
      if (DEFINERS.has(t.text) && view.isIdent(i + 1) && view.at(i + 2)?.line === t.line) {
        const v = view.at(i + 2);
        if (v && (v.kind === Tk.Number || v.kind === Tk.String)) this.record(view.textAt(i + 1), { name: view.textAt(i + 1), at: i + 1, from: i + 2, to: i + 2, view });
      } else if (t.text === 'define' && view.isPunct(i - 1, '-') && view.isPunct(i + 1, '(') && view.isPunct(i + 3, ',')) {
        const close = view.closerOf(i + 1);
        if (close - 1 >= i + 4) this.record(view.textAt(i + 2), { name: view.textAt(i + 2), at: i + 2, from: i + 4, to: close - 1, view });
      } else if (t.text.startsWith('@') && t.first && view.at(i + 1)?.line === t.line) {
        const v = view.at(i + 1);
        if (v && (v.kind === Tk.Number || v.kind === Tk.String)) this.record(t.text, { name: t.text, at: i, from: i + 1, to: view.statementEnd(i + 1), view });
      }
    }
  }

  /** The assigned name before an assignment operator at `op`: `x =`, `x: Int =`, `my $x =`, `{ok, S} =`. */
  private nameBefore(op: number): number {
    const { view } = this;
    const p = view.at(op - 1);
    if (!p || p.kind !== Tk.Ident) return -1;
    // `name: Type =` / `name : Type =`
    if (view.isPunct(op - 2, ':') && view.isIdent(op - 3)) return op - 3;
    return op - 1;
  }

  private scanDirective(d: Directive): void {
    const m = /^#define\s+([A-Za-z_]\w*)\s+(.+)$/s.exec(d.text);
    if (!m) return;
    const name = m[1] ?? '';
    const body = m[2] ?? '';
    // Tokenize the value on its own, with offsets shifted into the file.
    const valueStart = this.view.text.indexOf(body.slice(0, Math.min(body.length, 12)), d.start);
    if (valueStart < 0) return;
    const sub = tokenize(body, this.view.syntax);
    for (const t of sub.tokens) {
      t.start += valueStart;
      t.end += valueStart;
    }
    const view = new TokenView(this.view.text, sub, this.view.syntax);
    if (view.length === 0) return;
    this.record(name, { name, at: -1, from: 0, to: view.length - 1, view, declStart: d.start });
  }

  /** The assignment of `name` that is in force at token `before`: the last one before it, else the first. */
  lookup(name: string, before = Infinity): Assignment | undefined {
    const list = this.byName.get(normalizeName(name));
    if (!list || list.length === 0) return undefined;
    let best: Assignment | undefined;
    for (const a of list) if (a.view === this.view && a.at < before) best = a;
    return best ?? list.find((a) => a.view !== this.view) ?? list[0];
  }

  /** All names with assignments, for hand-written option constants. */
  assignmentsOf(name: string): readonly Assignment[] {
    return this.byName.get(name) ?? [];
  }

  /** Number an identifier holds at `before`, following env-var defaults. */
  numberOf(name: string, before = Infinity, depth = 0): number | null {
    const known = KNOWN_CONSTANTS[normalizeName(name)];
    if (known !== undefined) return known;
    const a = this.lookup(name, before);
    if (!a || depth > 4) return null;
    return evaluateNumber(a.view, a.from, a.to, this, depth + 1);
  }

  stringOf(name: string, before = Infinity): string | null {
    const a = this.lookup(name, before);
    if (!a || a.from !== a.to) return null;
    const t = a.view.at(a.from);
    return t && t.kind === Tk.String ? t.text : null;
  }
}

/** Parses an integer literal in any common notation (`8080`, `0x1F`, `0o17`, `1_000`, `5u`, `-5i32`, `16#FF`). */
export function parseInteger(text: string): number | null {
  const t = text.replace(/_/g, '').replace(/(?:[uUlL]+|[iu](?:8|16|32|64|size)|n)$/, '');
  let v: number;
  if (/^\d+$/.test(t)) v = Number.parseInt(t, 10);
  else if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = Number.parseInt(t.slice(2), 16);
  else if (/^0[oO][0-7]+$/.test(t)) v = Number.parseInt(t.slice(2), 8);
  else if (/^0[bB][01]+$/.test(t)) v = Number.parseInt(t.slice(2), 2);
  else if (/^&[hH][0-9a-fA-F]+$/.test(t)) v = Number.parseInt(t.slice(2), 16);
  else if (/^\$[0-9a-fA-F]+$/.test(t)) v = Number.parseInt(t.slice(1), 16);
  else return null;
  return Number.isFinite(v) ? v : null;
}

/** A 32-bit unsigned pattern with its top bit set reads as the negative int C would see. */
function asInt32(v: number): number {
  return v >= 0x80000000 && v <= 0xffffffff ? v - 0x100000000 : v;
}

const TYPE_CALLS = /^(?:int|Int|Int32|Int64|UInt16|UInt32|int32|int16|uint16|c_int|cint|cuint|CInt|DWORD|INT|LONG|Integer|i32|u16|u32|toInt|to_i|tonumber|String\.to_integer|parse|parseInt|Number|in_port_t|UInt|integer|fromIntegral|int_of_string|Integer\.parseInt)$/;
const NOT_WORDS = new Set(['not', 'bnot', 'lnot', 'complement', 'inv', 'lognot']);

/**
 * Evaluates a small integer expression between token indexes (inclusive). Knows literals, unary
 * `-` `~` `!`/`not`/`bnot`/`complement`, `.inv()`, casts and type conversions, `|`, `+`, names in the
 * constant table, and env-var defaults (`getenv("PORT") or 8080` → 8080). Null when unsure.
 */
export function evaluateNumber(view: TokenView, from: number, to: number, consts: ConstantTable | null, depth = 0): number | null {
  if (to < from || depth > 6) return null;
  // Env var with a literal default: the default is what a reader can count on.
  let envSeen = false;
  const literals: number[] = [];
  for (let k = from; k <= to; k++) {
    const t = view.at(k);
    if (!t) continue;
    if (t.kind === Tk.Ident && ENV_WORD.test(t.text)) envSeen = true;
    if (t.kind === Tk.Number) {
      const v = parseInteger(t.text);
      if (v !== null) literals.push(v);
    }
    if (t.kind === Tk.String && /^\s*\d+\s*$/.test(t.text)) literals.push(Number.parseInt(t.text, 10));
  }
  if (envSeen) return literals.length === 1 ? (literals[0] ?? null) : null;
  const parser = new ExprParser(view, from, to, consts, depth);
  const v = parser.parse();
  return v === null || !parser.done() ? null : asInt32(v);
}

class ExprParser {
  private k: number;
  constructor(private readonly view: TokenView, from: number, private readonly to: number, private readonly consts: ConstantTable | null, private readonly depth: number) {
    this.k = from;
  }

  done(): boolean {
    // Trailing `;`, `.` or `)` of a statement end is fine.
    while (this.k <= this.to && /^[;.,)]$/.test(this.view.textAt(this.k))) this.k++;
    return this.k > this.to;
  }

  parse(): number | null {
    let left = this.unary();
    while (left !== null && this.k <= this.to && (this.view.textAt(this.k) === '|' || this.view.textAt(this.k) === '+' || this.view.textAt(this.k) === 'bor')) {
      const op = this.view.textAt(this.k);
      this.k++;
      const right = this.unary();
      if (right === null) return null;
      left = op === '+' ? left + right : (left | right) >>> 0;
    }
    return left;
  }

  private unary(): number | null {
    const { view } = this;
    if (this.k > this.to) return null;
    const t = view.at(this.k);
    if (!t) return null;
    if (t.kind === Tk.Punct && t.text === '-') {
      this.k++;
      const v = this.unary();
      return v === null ? null : -v;
    }
    if ((t.kind === Tk.Punct && (t.text === '~' || t.text === '!')) || (t.kind === Tk.Ident && NOT_WORDS.has(t.text))) {
      this.k++;
      const v = this.unary();
      return v === null ? null : ~v;
    }
    return this.postfix(this.primary());
  }

  private postfix(v: number | null): number | null {
    const { view } = this;
    while (v !== null && this.k <= this.to && view.isPunct(this.k, '.') && view.isIdent(this.k + 1)) {
      const name = view.textAt(this.k + 1);
      if (name === 'inv' || name === 'lognot') v = ~v;
      else if (name !== 'toInt' && name !== 'to_i' && name !== 'bigEndian' && name !== 'toShort' && name !== 'toUShort') return null;
      this.k += 2;
      if (view.isPunct(this.k, '(') && view.isPunct(this.k + 1, ')')) this.k += 2;
    }
    return v;
  }

  private primary(): number | null {
    const { view } = this;
    const t = view.at(this.k);
    if (!t || this.k > this.to) return null;
    if (t.kind === Tk.Number) {
      this.k++;
      return parseInteger(t.text);
    }
    if (t.kind === Tk.String && /^\s*-?\d+\s*$/.test(t.text)) {
      this.k++;
      return Number.parseInt(t.text, 10);
    }
    if (t.kind === Tk.Punct && t.text === '(') {
      const close = view.closerOf(this.k);
      // A cast `(int)` / `(DWORD)` followed by an operand.
      if (close === this.k + 2 && view.isIdent(this.k + 1) && close < this.to) {
        this.k = close + 1;
        return this.unary();
      }
      const inner = new ExprParser(view, this.k + 1, close - 1, this.consts, this.depth);
      const v = inner.parse();
      if (v === null || !inner.done()) return null;
      this.k = close + 1;
      return v;
    }
    if (t.kind === Tk.Punct && t.text === '@' && view.textAt(this.k + 1) === 'as') this.k++;
    if (view.isIdent(this.k)) {
      // Qualified names: `Foo.SO_REUSEADDR`, `socket.SO_REUSEADDR`.
      let name = view.textAt(this.k);
      let end = this.k;
      while (view.isMemberOp(end + 1) && view.isIdent(end + 2)) {
        end += 2;
        name = view.textAt(end);
      }
      if (view.isPunct(end + 1, '(')) {
        const close = view.closerOf(end + 1);
        const args = view.splitArgs(end + 1, close);
        const last = args[args.length - 1];
        if (!last || !(TYPE_CALLS.test(name) || name === 'as' || name === '@as')) return null;
        // `Int32(bitPattern: 0xFFFFFFFB)` / `@as(c_int, -5)`: the last argument, minus its label.
        let from = last[0];
        if (view.isPunct(from + 1, ':') && view.isIdent(from)) from += 2;
        const v = evaluateNumber(view, from, last[1], this.consts, this.depth + 1);
        this.k = close + 1;
        return v;
      }
      this.k = end + 1;
      const known = KNOWN_CONSTANTS[name];
      if (known !== undefined) return known;
      return this.consts ? this.consts.numberOf(name, Infinity, this.depth + 1) : null;
    }
    return null;
  }
}
