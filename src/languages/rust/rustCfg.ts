// Where Rust code runs: `#[cfg(...)]` on items and statements, `#![cfg(...)]` on the file,
// `if cfg!(...)` branches and early exits, and platform module paths (`sys/windows.rs`). cfg
// predicates are evaluated with three-valued logic; unknown ones (feature = "x") stay open.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { platformsFromFileName } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import { named, unparen, within } from './rustSyntax';

type Tri = boolean | null;

/** target_os values of each target platform. */
const FAMILIES: Record<Platform, readonly string[]> = { linux: ['linux'], darwin: ['macos', 'ios'], win32: ['windows'] };

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : null;
}

function not(a: Tri): Tri {
  return a === null ? null : !a;
}

type Token = { kind: 'ident' | 'string' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|([A-Za-z_][\w]*)|(\S)/g)) {
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'ident', text: m[2] });
    else tokens.push({ kind: 'punct', text: m[3] ?? '' });
  }
  return tokens;
}

/** Evaluates a cfg predicate's text (`all(unix, not(target_os = "macos"))`) for one target_os. */
export function evalCfg(text: string, os: string): Tri {
  const tokens = tokenize(text);
  let i = 0;
  const predicate = (): Tri => {
    const t = tokens[i++];
    if (!t || t.kind !== 'ident') return null;
    const name = t.text;
    if (tokens[i]?.text === '(') {
      i++;
      const items: Tri[] = [];
      while (i < tokens.length && tokens[i]?.text !== ')') {
        items.push(predicate());
        if (tokens[i]?.text === ',') i++;
      }
      i++;
      if (name === 'all') return items.reduce<Tri>((acc, v) => and(acc, v), true);
      if (name === 'any') return items.reduce<Tri>((acc, v) => or(acc, v), false);
      if (name === 'not') return not(items[0] ?? null);
      return null;
    }
    if (tokens[i]?.text === '=') {
      i++;
      const value = tokens[i++]?.text ?? '';
      if (name === 'target_os') return value === os;
      if (name === 'target_family') return value === 'windows' ? os === 'windows' : value === 'unix' ? os !== 'windows' : false;
      if (name === 'target_vendor') return value === 'apple' ? os === 'macos' || os === 'ios' : value === 'pc' ? os === 'windows' ? null : false : null;
      return null;
    }
    if (name === 'unix') return os !== 'windows';
    if (name === 'windows') return os === 'windows';
    return null;
  };
  return predicate();
}

/** Platforms on which a cfg predicate can hold. */
export function cfgPlatforms(text: string): Platform[] {
  return ALL_PLATFORMS.filter((p) => FAMILIES[p].some((os) => evalCfg(text, os) !== false));
}

/** The predicate of `#[cfg(...)]` / `#![cfg(...)]`, or null for other attributes. */
function cfgPredicate(attributeItem: SyntaxNode): string | null {
  const attribute = named(attributeItem).find((c) => c.type === 'attribute');
  if (!attribute || named(attribute)[0]?.text !== 'cfg') return null;
  const args = attribute.childForFieldName('arguments');
  return args ? args.text.slice(1, -1) : null;
}

/** `if` conditions built from cfg!(...), !, && and ||, for one target_os. */
function evalCondition(node: SyntaxNode, os: string): Tri {
  const n = unparen(node);
  if (n.type === 'macro_invocation' && n.childForFieldName('macro')?.text === 'cfg') {
    const tree = named(n).find((c) => c.type === 'token_tree');
    return tree ? evalCfg(tree.text.slice(1, -1), os) : null;
  }
  if (n.type === 'unary_expression' && n.child(0)?.type === '!') {
    const operand = named(n)[0];
    return operand ? not(evalCondition(operand, os)) : null;
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.type;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (!left || !right) return null;
    if (op === '&&') return and(evalCondition(left, os), evalCondition(right, os));
    if (op === '||') return or(evalCondition(left, os), evalCondition(right, os));
  }
  return null;
}

function conditionSplit(condition: SyntaxNode): { whenTrue: Platform[]; whenFalse: Platform[] } | null {
  if (!condition.text.includes('cfg!')) return null;
  return {
    whenTrue: ALL_PLATFORMS.filter((p) => FAMILIES[p].some((os) => evalCondition(condition, os) !== false)),
    whenFalse: ALL_PLATFORMS.filter((p) => FAMILIES[p].some((os) => not(evalCondition(condition, os)) !== false)),
  };
}

/** Platforms from the `#[cfg]` attributes written just before `child` among its siblings. */
function attributePlatforms(child: SyntaxNode): Platform[] | null {
  let result: Platform[] | null = null;
  let sibling = child.previousNamedSibling;
  while (sibling && (sibling.type === 'attribute_item' || sibling.type === 'line_comment' || sibling.type === 'block_comment')) {
    const predicate = sibling.type === 'attribute_item' ? cfgPredicate(sibling) : null;
    if (predicate !== null) {
      const set = cfgPlatforms(predicate);
      result = result ? result.filter((p) => set.includes(p)) : set;
    }
    sibling = sibling.previousNamedSibling;
  }
  return result;
}

const EXITS = /^(?:return|continue|break)\b|^(?:panic|unreachable|todo|unimplemented)!/;

function blockExits(block: SyntaxNode | null): boolean {
  const last = named(block).pop();
  if (!last) return false;
  const text = last.text.replace(/^\s+/, '');
  return EXITS.test(text) || (last.type === 'expression_statement' && EXITS.test(named(last)[0]?.text ?? ''));
}

interface EarlyExit {
  start: number;
  whenFalse: Platform[];
}

/** Per block: its `if cfg!(windows) { return ...; }` statements, computed once per extraction. */
export type GuardCache = Map<number, EarlyExit[]>;

function earlyExits(block: SyntaxNode, cache: GuardCache | undefined): EarlyExit[] {
  const cached = cache?.get(block.id);
  if (cached) return cached;
  const exits: EarlyExit[] = [];
  for (const stmt of named(block)) {
    const ifExpr = stmt.type === 'expression_statement' ? named(stmt)[0] : stmt;
    if (ifExpr?.type !== 'if_expression' || ifExpr.childForFieldName('alternative')) continue;
    const condition = ifExpr.childForFieldName('condition');
    if (!condition || !blockExits(ifExpr.childForFieldName('consequence'))) continue;
    const split = conditionSplit(condition);
    if (split) exits.push({ start: stmt.startIndex, whenFalse: split.whenFalse });
  }
  cache?.set(block.id, exits);
  return exits;
}

/** Narrowing from early exits that come before `child` in a block. */
function earlyExitPlatforms(block: SyntaxNode, child: SyntaxNode, cache: GuardCache | undefined): Platform[] | null {
  let result: Platform[] | null = null;
  for (const exit of earlyExits(block, cache)) {
    if (exit.start >= child.startIndex) break;
    result = result ? result.filter((p) => exit.whenFalse.includes(p)) : exit.whenFalse;
  }
  return result;
}

/** Platforms on which `node` runs given the cfg guards around it; `base` is the file's set. */
export function rustGuardedPlatforms(node: SyntaxNode, base: readonly Platform[], cache?: GuardCache): Platform[] {
  let platforms = [...base];
  const narrow = (set: Platform[] | null): void => {
    if (set) platforms = platforms.filter((p) => set.includes(p));
  };
  let child: SyntaxNode = node;
  let parent = node.parent;
  while (parent && platforms.length > 0) {
    if (parent.type === 'block' || parent.type === 'source_file' || parent.type === 'declaration_list' || parent.type === 'field_declaration_list') {
      narrow(attributePlatforms(child));
      if (parent.type === 'block') narrow(earlyExitPlatforms(parent, child, cache));
    } else if (parent.type === 'if_expression') {
      const condition = parent.childForFieldName('condition');
      const split = condition && !within(condition, child) ? conditionSplit(condition) : null;
      if (split) {
        const alternative = parent.childForFieldName('alternative');
        narrow(alternative && within(alternative, child) ? split.whenFalse : split.whenTrue);
      }
    }
    child = parent;
    parent = parent.parent;
  }
  return platforms;
}

/** Platforms of a file: `#![cfg(...)]` at its top and platform names in its path (`sys/windows/net.rs`). */
export function rustFilePlatforms(path: string, root: SyntaxNode): Platform[] {
  let platforms = platformsFromFileName(path);
  const segments = path.split(/[\\/]/).slice(-2).map((s) => s.replace(/\.rs$/i, '').toLowerCase());
  for (const s of segments) {
    const set: Platform[] | null = s === 'windows' || s === 'win' ? ['win32'] : s === 'unix' ? ['linux', 'darwin'] : s === 'linux' ? ['linux'] : s === 'macos' || s === 'darwin' || s === 'apple' ? ['darwin'] : null;
    if (set) platforms = platforms.filter((p) => set.includes(p));
  }
  for (const item of named(root)) {
    if (item.type !== 'inner_attribute_item') continue;
    const attribute = named(item).find((c) => c.type === 'attribute');
    if (!attribute || named(attribute)[0]?.text !== 'cfg') continue;
    const args = attribute.childForFieldName('arguments');
    if (args) {
      const set = cfgPlatforms(args.text.slice(1, -1));
      platforms = platforms.filter((p) => set.includes(p));
    }
  }
  return platforms;
}
