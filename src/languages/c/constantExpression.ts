// Evaluates C/C++/C# integer constant expressions written as text (`0x0004`, `((int)(~SO_REUSEADDR))`,
// `(8080)`, `1 << 2`), asking the caller for the value of each identifier.

type Lookup = (name: string) => number | null;

const TYPE_WORDS = /^(?:const|unsigned|signed|int|long|short|char|u_int|u_long|u_short|uint|uint16_t|uint32_t|int32_t|int16_t|in_port_t|DWORD|UINT|ULONG|USHORT|WORD|BOOL|size_t|socklen_t|uint8_t|int8_t|byte|sbyte|ushort|ulong)$/;

interface Token {
  kind: 'num' | 'id' | 'op';
  text: string;
  value?: number;
}

function tokenize(text: string): Token[] | null {
  const tokens: Token[] = [];
  const re = /\s+|\/\*[\s\S]*?\*\/|\/\/.*$|(0[xX][0-9a-fA-F']+|0[bB][01']+|\d[\d']*)[uUlL]*|'(\\.|[^'\\])'|([A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*(?:\.[A-Za-z_]\w*)*)|(<<|>>|[-+~!()|&^*/%<>?:])/my;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m.index !== pos) return null;
    pos = re.lastIndex;
    if (m[1] !== undefined) {
      const raw = m[1].replace(/'/g, '');
      let value: number;
      if (/^0[xX]/.test(raw)) value = Number.parseInt(raw.slice(2), 16);
      else if (/^0[bB]/.test(raw)) value = Number.parseInt(raw.slice(2), 2);
      else if (/^0\d/.test(raw)) value = Number.parseInt(raw, 8);
      else value = Number.parseInt(raw, 10);
      tokens.push({ kind: 'num', text: raw, value });
    } else if (m[2] !== undefined) {
      const ch = m[2];
      const value = ch.startsWith('\\') ? ({ n: 10, t: 9, r: 13, '0': 0 } as Record<string, number>)[ch.slice(1)] ?? ch.charCodeAt(1) : ch.charCodeAt(0);
      tokens.push({ kind: 'num', text: `'${ch}'`, value });
    } else if (m[3] !== undefined) {
      tokens.push({ kind: 'id', text: m[3].replace(/\s+/g, '') });
    } else if (m[4] !== undefined) {
      tokens.push({ kind: 'op', text: m[4] });
    }
  }
  return tokens;
}

/** Value of the expression, or null when it holds something unknown. Integer results stay exact up to 2^53. */
export function evaluateConstant(text: string, lookup: Lookup): number | null {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0 || tokens.length > 64) return null;
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isOp = (t: Token | undefined, op: string): boolean => t?.kind === 'op' && t.text === op;

  // A parenthesized list of type words is a cast: `(int)`, `(unsigned long)`, `(u_int)`.
  const castAhead = (): number => {
    if (!isOp(peek(), '(')) return 0;
    let j = i + 1;
    let words = 0;
    while (tokens[j]?.kind === 'id' && TYPE_WORDS.test(tokens[j]?.text ?? '')) {
      j++;
      words++;
    }
    while (isOp(tokens[j], '*')) j++;
    return words > 0 && isOp(tokens[j], ')') ? j + 1 : 0;
  };

  const primary = (): number | null => {
    const t = peek();
    if (!t) return null;
    if (t.kind === 'num') {
      i++;
      return t.value ?? null;
    }
    if (t.kind === 'id') {
      i++;
      if (t.text === 'true' || t.text === 'TRUE') return 1;
      if (t.text === 'false' || t.text === 'FALSE') return 0;
      // Function-like wrappers that keep the value: htons(8080), unchecked(-5).
      if (isOp(peek(), '(') && /^(htons|htonl|ntohs|ntohl|unchecked|checked|UINT16_C|UINT32_C|INT32_C)$/.test(t.text)) {
        i++;
        const v = conditional();
        if (!isOp(peek(), ')')) return null;
        i++;
        return v;
      }
      return lookup(t.text);
    }
    if (isOp(t, '(')) {
      i++;
      const v = conditional();
      if (!isOp(peek(), ')')) return null;
      i++;
      return v;
    }
    return null;
  };

  const unary = (): number | null => {
    const cast = castAhead();
    if (cast > 0) {
      const unsigned = tokens.slice(i, cast).some((tk) => /^(unsigned|u_|uint|DWORD|UINT|ULONG|USHORT|WORD|size_t|ushort|ulong|in_port_t)/.test(tk.text));
      const narrow = tokens.slice(i, cast).some((tk) => /short|16/.test(tk.text));
      i = cast;
      const v = unary();
      if (v === null) return null;
      if (narrow) return unsigned ? v & 0xffff : (v << 16) >> 16;
      return unsigned ? v >>> 0 : v | 0;
    }
    const t = peek();
    if (isOp(t, '-') || isOp(t, '+') || isOp(t, '~') || isOp(t, '!')) {
      i++;
      const v = unary();
      if (v === null) return null;
      if (t?.text === '-') return -v;
      if (t?.text === '~') return ~v;
      if (t?.text === '!') return v === 0 ? 1 : 0;
      return v;
    }
    return primary();
  };

  const binary = (level: number): number | null => {
    const levels = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
    if (level >= levels.length) return unary();
    let left = binary(level + 1);
    const ops = levels[level] ?? [];
    while (left !== null && peek()?.kind === 'op' && ops.includes(peek()?.text ?? '')) {
      const op = peek()?.text;
      i++;
      const right = binary(level + 1);
      if (right === null) return null;
      switch (op) {
        case '|': left = left | right; break;
        case '^': left = left ^ right; break;
        case '&': left = left & right; break;
        case '<<': left = left << right; break;
        case '>>': left = left >> right; break;
        case '+': left = left + right; break;
        case '-': left = left - right; break;
        case '*': left = left * right; break;
        case '/': left = right === 0 ? null : Math.trunc(left / right); break;
        case '%': left = right === 0 ? null : left % right; break;
      }
    }
    return left;
  };

  const conditional = (): number | null => {
    const c = binary(0);
    if (!isOp(peek(), '?')) return c;
    i++;
    const a = conditional();
    if (!isOp(peek(), ':')) return null;
    i++;
    const b = conditional();
    if (c === null || a === null || b === null) return null;
    return c !== 0 ? a : b;
  };

  const value = conditional();
  return i === tokens.length && value !== null && Number.isFinite(value) ? value : null;
}
