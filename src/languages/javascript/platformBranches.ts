// Which platforms a JavaScript node runs on, from the code around it: `if (process.platform === 'win32')`,
// `os.platform()`, `Deno.build.os`, ternaries, `isLinux && ...`, `switch (process.platform)`, early
// returns (`if (process.platform === 'win32') return;`), and constants such as `const isWin = ...`.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect, splitByCondition, type GuardSplit } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import type { ScopeResolver } from './scopes';
import { contains, unwrap } from './syntax';

/** Text that reads the platform; conditions without it are not platform guards. */
const PLATFORM_SOURCE = /\bplatform\b|\bbuild\.os\b|\bos\.type\s*\(|\bos\.release\b|['"](win32|darwin|linux|windows)['"]/;

/** Common names of platform flags when their definition is not visible (imported, global). */
const FLAG_NAMES: readonly [RegExp, string][] = [
  [/^(is|IS_?)(win|windows|win32|Windows|Win|Win32|WINDOWS|WIN|WIN32)$/, "process.platform === 'win32'"],
  [/^(is|IS_?)(mac|macos|macOS|osx|darwin|Mac|MacOS|Darwin|OSX|MAC|MACOS|DARWIN)$/, "process.platform === 'darwin'"],
  [/^(is|IS_?)(linux|Linux|LINUX)$/, "process.platform === 'linux'"],
];

export class PlatformReader {
  constructor(private readonly scopes: ScopeResolver, private readonly base: readonly Platform[] = ALL_PLATFORMS) {}

  /** Platforms on which `node` runs. */
  platformsAt(node: SyntaxNode): Platform[] {
    let platforms = [...this.base];
    let child = node;
    let parent = node.parent;
    while (parent) {
      const narrowed = this.branchPlatforms(parent, child);
      if (narrowed) platforms = intersect(platforms, narrowed);
      const exited = this.afterEarlyExits(parent, child);
      if (exited) platforms = intersect(platforms, exited);
      child = parent;
      parent = parent.parent;
    }
    return platforms;
  }

  /**
   * How a condition splits platforms, or null when it tests no platform. `&&`, `||` and `!` are
   * read structurally, so `isWin || isMac` is false only on Linux.
   */
  split(condition: SyntaxNode, depth = 0): GuardSplit | null {
    const n = unwrap(condition) ?? condition;
    if (depth < 8 && n.type === 'binary_expression') {
      const op = n.childForFieldName('operator')?.text;
      if (op === '&&' || op === '||') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const a = left ? this.split(left, depth + 1) : null;
        const b = right ? this.split(right, depth + 1) : null;
        if (!a && !b) return null;
        const all: GuardSplit = { whenTrue: [...ALL_PLATFORMS], whenFalse: [...ALL_PLATFORMS] };
        const x = a ?? all;
        const y = b ?? all;
        return op === '&&'
          ? { whenTrue: intersect(x.whenTrue, y.whenTrue), whenFalse: union(x.whenFalse, y.whenFalse) }
          : { whenTrue: union(x.whenTrue, y.whenTrue), whenFalse: intersect(x.whenFalse, y.whenFalse) };
      }
    }
    if (depth < 8 && n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '!') {
      const argument = n.childForFieldName('argument');
      const inner = argument ? this.split(argument, depth + 1) : null;
      return inner ? { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue } : null;
    }
    const text = this.expandFlags(n);
    if (!PLATFORM_SOURCE.test(text)) return null;
    return splitByCondition(text.replace(/^\(([\s\S]*)\)$/, '$1'));
  }

  private branchPlatforms(parent: SyntaxNode, child: SyntaxNode): Platform[] | null {
    switch (parent.type) {
      case 'if_statement':
      case 'ternary_expression': {
        const condition = parent.childForFieldName('condition');
        if (!condition || contains(condition, child)) return null;
        const split = this.split(condition);
        if (!split) return null;
        return contains(parent.childForFieldName('alternative'), child) ? split.whenFalse : split.whenTrue;
      }
      case 'binary_expression': {
        const op = parent.childForFieldName('operator')?.text;
        const left = parent.childForFieldName('left');
        if (!left || contains(left, child) || (op !== '&&' && op !== '||')) return null;
        const split = this.split(left);
        if (!split) return null;
        return op === '&&' ? split.whenTrue : split.whenFalse;
      }
      case 'switch_case':
      case 'switch_default':
        return this.switchPlatforms(parent, child);
      default:
        return null;
    }
  }

  private switchPlatforms(branch: SyntaxNode, child: SyntaxNode): Platform[] | null {
    const statement = branch.parent?.parent;
    const subject = statement?.type === 'switch_statement' ? statement.childForFieldName('value') : null;
    if (!subject || !statement) return null;
    const subjectText = this.expandFlags(subject);
    const caseSplit = (c: SyntaxNode): GuardSplit | null => {
      const value = c.childForFieldName('value');
      if (!value || !PLATFORM_SOURCE.test(subjectText)) return null;
      return splitByCondition(`${subjectText} === ${value.text}`);
    };
    if (branch.type === 'switch_case') {
      if (contains(branch.childForFieldName('value'), child)) return null;
      return caseSplit(branch)?.whenTrue ?? null;
    }
    // default: every platform no case names.
    let remaining = [...ALL_PLATFORMS];
    for (const c of branch.parent?.namedChildren ?? []) {
      if (c?.type !== 'switch_case') continue;
      const split = caseSplit(c);
      if (split) remaining = intersect(remaining, split.whenFalse);
    }
    return remaining;
  }

  /** Statements after `if (platform test) return;` in the same block run only where the test is false. */
  private afterEarlyExits(block: SyntaxNode, child: SyntaxNode): Platform[] | null {
    if (block.type !== 'statement_block' && block.type !== 'program' && block.type !== 'switch_case') return null;
    let platforms: Platform[] | null = null;
    for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) {
      if (s.type !== 'if_statement' || s.childForFieldName('alternative')) continue;
      const consequence = s.childForFieldName('consequence');
      const condition = s.childForFieldName('condition');
      if (!consequence || !condition || !alwaysExits(consequence)) continue;
      const split = this.split(condition);
      if (split) platforms = intersect(platforms ?? ALL_PLATFORMS, split.whenFalse);
    }
    return platforms;
  }

  /** The condition's text with platform flags replaced by the tests they stand for. */
  private expandFlags(condition: SyntaxNode): string {
    const text = condition.text;
    const start = condition.startIndex;
    const replacements: { from: number; to: number; text: string }[] = [];
    const identifiers = condition.type === 'identifier' ? [condition] : condition.descendantsOfType('identifier');
    for (const id of identifiers) {
      if (!id || id.parent?.type === 'member_expression' && id.parent.childForFieldName('property') === id) continue;
      const value = unwrap(this.scopes.resolve(id));
      let expanded: string | null = null;
      if (value && PLATFORM_SOURCE.test(value.text) && value.text.length < 200) expanded = `(${value.text})`;
      else if (!value) expanded = FLAG_NAMES.find(([re]) => re.test(id.text))?.[1] ?? null;
      if (expanded) replacements.push({ from: id.startIndex - start, to: id.endIndex - start, text: expanded });
    }
    let out = text;
    for (const r of replacements.sort((a, b) => b.from - a.from)) out = out.slice(0, r.from) + r.text + out.slice(r.to);
    return out;
  }
}

function union(a: readonly Platform[], b: readonly Platform[]): Platform[] {
  return ALL_PLATFORMS.filter((p) => a.includes(p) || b.includes(p));
}

/** Does a branch always leave the enclosing block (return, throw, process.exit, continue, break)? */
function alwaysExits(node: SyntaxNode): boolean {
  if (node.type === 'return_statement' || node.type === 'throw_statement' || node.type === 'continue_statement' || node.type === 'break_statement') return true;
  if (node.type === 'expression_statement') return /^(process\.exit|Deno\.exit)\s*\(/.test(node.text);
  if (node.type === 'statement_block') {
    const last = node.lastNamedChild;
    return last !== null && last.type !== 'comment' && alwaysExits(last);
  }
  return false;
}
