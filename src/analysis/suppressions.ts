// `bindwatch-disable-line [rule ...]` and `bindwatch-disable-next-line [rule ...]` in the file's own
// comment syntax.
import type { CommentSyntax } from '../languages/adapter';
import type { RuleId } from './findings';
import { isRuleId } from './rules/catalog';
import type { LineIndex } from './lineIndex';

/** Line (0-based) → suppressed rules, or 'all' when no rule is named. */
export type Suppressions = Map<number, Set<RuleId> | 'all'>;

const MARKER = /bindwatch-disable-(next-)?line\b([^\n]*)/g;

export function findSuppressions(text: string, lines: LineIndex, comment: CommentSyntax): Suppressions {
  const result: Suppressions = new Map();
  if (!text.includes('bindwatch-disable')) return result;
  const openers = [comment.line, comment.block?.[0]].filter((o): o is string => Boolean(o));
  for (const match of text.matchAll(MARKER)) {
    const at = match.index;
    const { line } = lines.position(at);
    const before = text.slice(lines.lineStart(line), at);
    if (openers.length && !openers.some((o) => before.includes(o))) continue;
    const target = match[1] ? line + 1 : line;
    const names = (match[2] ?? '').replace(/\*\/|-->|\*\)|-}.*$/g, '').split(/[\s,]+/).filter(Boolean);
    const ids = names.filter(isRuleId);
    const existing = result.get(target);
    if (ids.length === 0 || existing === 'all') {
      result.set(target, 'all');
    } else {
      const set = existing ?? new Set<RuleId>();
      ids.forEach((id) => set.add(id));
      result.set(target, set);
    }
  }
  return result;
}

export function isSuppressed(suppressions: Suppressions, line: number, rule: RuleId): boolean {
  const entry = suppressions.get(line);
  return entry === 'all' || (entry !== undefined && entry.has(rule));
}

/** The comment a user adds to silence `rule` on the line holding `offset`. */
export function suppressionComment(comment: CommentSyntax, rule: RuleId): string {
  if (comment.line) return `${comment.line} bindwatch-disable-line ${rule}`;
  if (comment.block) return `${comment.block[0]} bindwatch-disable-line ${rule} ${comment.block[1]}`;
  return `# bindwatch-disable-line ${rule}`;
}
