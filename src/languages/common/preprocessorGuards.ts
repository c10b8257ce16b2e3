// Platforms per region of a file, read from its preprocessor lines (#if/#ifdef/#ifndef/#elif/#else/
// #endif, as in C, C++ and C#). Works on the raw text, so it stays right where a grammar wraps a
// directive in an ERROR node or puts a branch in an unexpected place (inside an argument list).
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect, splitByCondition } from './platformGuards';

interface Frame {
  /** Platforms of the current branch (before intersecting with outer frames). */
  current: Platform[];
  /** Platforms on which every earlier branch of this chain was false. */
  remaining: Platform[];
}

const DIRECTIVE = /^[ \t]*#[ \t]*(ifdef|ifndef|if|elifdef|elifndef|elif|else|endif)\b(.*)$/gm;

export class PreprocessorGuards {
  /** Region starts (offsets, ascending) and the platforms from there to the next start. */
  private constructor(
    private readonly starts: number[],
    private readonly platforms: Platform[][],
  ) {}

  /** Platforms on which the code at `offset` is compiled. */
  platformsAt(offset: number): Platform[] {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.platforms[lo] ?? [...ALL_PLATFORMS];
  }

  /** True when the file has no platform-related directive at all (every offset runs everywhere). */
  get trivial(): boolean {
    return this.starts.length === 1;
  }

  static scan(text: string): PreprocessorGuards {
    const starts = [0];
    const platforms: Platform[][] = [[...ALL_PLATFORMS]];
    const stack: Frame[] = [];
    const effective = (): Platform[] => stack.reduce<Platform[]>((acc, f) => intersect(acc, f.current), [...ALL_PLATFORMS]);
    // Only lines that start with `#` matter; a directive may continue on following lines with `\`.
    for (const m of text.matchAll(DIRECTIVE)) {
      const kind = m[1] ?? '';
      let condition = m[2] ?? '';
      let end = m.index + m[0].length;
      while (/\\\r?$/.test(condition) && end < text.length) {
        const next = text.indexOf('\n', end + 1);
        const line = text.slice(end + 1, next < 0 ? text.length : next);
        condition = condition.replace(/\\\r?$/, ' ') + line;
        end = next < 0 ? text.length : next;
      }
      if (applyDirective(stack, kind, stripComments(condition.replace(/\r$/, '')))) {
        starts.push(m.index);
        platforms.push(effective());
      }
    }
    return new PreprocessorGuards(starts, platforms);
  }
}

function stripComments(text: string): string {
  return text.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '').trim();
}

/** Splits a directive's condition; `#if 0` is never compiled and `#if 1` always is. */
function conditionSplit(kind: string, condition: string): { whenTrue: Platform[]; whenFalse: Platform[] } {
  if (kind === 'if' || kind === 'elif') {
    if (/^\(?\s*0\s*\)?$/.test(condition) || /^false$/.test(condition)) return { whenTrue: [], whenFalse: [...ALL_PLATFORMS] };
    if (/^\(?\s*1\s*\)?$/.test(condition) || /^true$/.test(condition)) return { whenTrue: [...ALL_PLATFORMS], whenFalse: [] };
  }
  const negated = kind === 'ifndef' || kind === 'elifndef';
  const split = splitByCondition(condition, negated);
  return split ?? { whenTrue: [...ALL_PLATFORMS], whenFalse: [...ALL_PLATFORMS] };
}

/** Updates the stack for one directive; returns true when the platforms may have changed. */
function applyDirective(stack: Frame[], kind: string, condition: string): boolean {
  switch (kind) {
    case 'if':
    case 'ifdef':
    case 'ifndef': {
      const split = conditionSplit(kind, condition);
      stack.push({ current: split.whenTrue, remaining: split.whenFalse });
      return true;
    }
    case 'elif':
    case 'elifdef':
    case 'elifndef': {
      const frame = stack[stack.length - 1];
      if (!frame) return false;
      const split = conditionSplit(kind, condition);
      frame.current = intersect(frame.remaining, split.whenTrue);
      frame.remaining = intersect(frame.remaining, split.whenFalse);
      return true;
    }
    case 'else': {
      const frame = stack[stack.length - 1];
      if (!frame) return false;
      frame.current = frame.remaining;
      frame.remaining = [];
      return true;
    }
    case 'endif':
      return stack.pop() !== undefined;
    default:
      return false;
  }
}
