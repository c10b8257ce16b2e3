// Which target platforms a Go file or branch runs on: build constraints (`//go:build`, `// +build`),
// GOOS file-name suffixes and `runtime.GOOS` comparisons, all evaluated with three-valued logic so
// that tags we cannot decide (cgo, go1.21, amd64...) keep both answers open.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';

/** true, false, or null when it depends on something other than the OS. */
export type Tri = boolean | null;

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : null;
}

export function triNot(a: Tri): Tri {
  return a === null ? null : !a;
}

export const KNOWN_GOOS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);

/** GOOS values whose build tags count for a target platform (BSD shares the macOS socket semantics). */
const BUILD_FAMILIES: Record<Platform, readonly string[]> = {
  linux: ['linux', 'android'],
  darwin: ['darwin', 'ios', 'freebsd', 'netbsd', 'openbsd', 'dragonfly'],
  win32: ['windows'],
};

/** GOOS values `runtime.GOOS` takes on a target platform: strict, so `!= "linux"` excludes Linux. */
const RUNTIME_FAMILIES: Record<Platform, readonly string[]> = {
  linux: ['linux'],
  darwin: ['darwin', 'ios'],
  win32: ['windows'],
};

const UNIX_GOOS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);

/** Truth of one build tag when compiling for `goos`. */
function tagValue(tag: string, goos: string): Tri {
  if (tag === goos) return true;
  if (tag === 'unix') return UNIX_GOOS.has(goos);
  // GOOS=android also satisfies `linux`, GOOS=ios also satisfies `darwin`, illumos satisfies solaris.
  if ((tag === 'linux' && goos === 'android') || (tag === 'darwin' && goos === 'ios') || (tag === 'solaris' && goos === 'illumos')) return true;
  if (KNOWN_GOOS.has(tag)) return false;
  return null;
}

/** Platforms on which `predicate` can hold for some GOOS of the family (true or undecided). */
function platformsWhere(families: Record<Platform, readonly string[]>, predicate: (goos: string) => Tri): Platform[] {
  return ALL_PLATFORMS.filter((p) => families[p].some((goos) => predicate(goos) !== false));
}

// ---- build constraint expressions -------------------------------------------------------------

type Expr = { tag: string } | { not: Expr } | { and: [Expr, Expr] } | { or: [Expr, Expr] };

function evalExpr(expr: Expr, goos: string): Tri {
  if ('tag' in expr) return tagValue(expr.tag, goos);
  if ('not' in expr) return triNot(evalExpr(expr.not, goos));
  if ('and' in expr) return triAnd(evalExpr(expr.and[0], goos), evalExpr(expr.and[1], goos));
  return triOr(evalExpr(expr.or[0], goos), evalExpr(expr.or[1], goos));
}

/** Parses a `//go:build` expression; null when it is malformed. */
export function parseGoBuildExpr(text: string): Expr | null {
  const tokens = text.match(/\|\||&&|!|\(|\)|[\w.]+/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  function primary(): Expr | null {
    const t = tokens[i++];
    if (t === undefined) return null;
    if (t === '!') {
      const inner = primary();
      return inner ? { not: inner } : null;
    }
    if (t === '(') {
      const inner = or();
      if (tokens[i++] !== ')') return null;
      return inner;
    }
    return /^[\w.]+$/.test(t) ? { tag: t } : null;
  }
  function and(): Expr | null {
    let left = primary();
    while (left && peek() === '&&') {
      i++;
      const right = primary();
      left = right ? { and: [left, right] } : null;
    }
    return left;
  }
  function or(): Expr | null {
    let left = and();
    while (left && peek() === '||') {
      i++;
      const right = and();
      left = right ? { or: [left, right] } : null;
    }
    return left;
  }
  const expr = or();
  return expr && i === tokens.length ? expr : null;
}

/** One `// +build` line: space-separated terms are ORed, comma-separated factors ANDed. */
function parsePlusBuildLine(text: string): Expr | null {
  let result: Expr | null = null;
  for (const term of text.trim().split(/\s+/).filter(Boolean)) {
    let conj: Expr | null = null;
    for (const factor of term.split(',').filter(Boolean)) {
      const f: Expr = factor.startsWith('!') ? { not: { tag: factor.slice(1) } } : { tag: factor };
      conj = conj ? { and: [conj, f] } : f;
    }
    if (conj) result = result ? { or: [result, conj] } : conj;
  }
  return result;
}

/** The file's build constraint, read from the comment lines before `package`. */
export function buildConstraint(text: string): Expr | null {
  const head = text.slice(0, 8192);
  const packageAt = head.search(/^\s*package\s/m);
  const preamble = packageAt >= 0 ? head.slice(0, packageAt) : head;
  const goBuild = /^\/\/go:build\s+(.+)$/m.exec(preamble);
  if (goBuild?.[1]) return parseGoBuildExpr(goBuild[1].trim());
  let combined: Expr | null = null;
  for (const m of preamble.matchAll(/^\/\/\s*\+build\s+(.+)$/gm)) {
    const line = parsePlusBuildLine(m[1] ?? '');
    if (line) combined = combined ? { and: [combined, line] } : line;
  }
  return combined;
}

/** Platforms implied by a `_GOOS.go` / `_GOOS_GOARCH.go` suffix (and the common `_unix.go` convention). */
export function goFileNamePlatforms(path: string): Platform[] {
  const parts = path.replace(/^.*[\\/]/, '').replace(/\.go$/i, '').replace(/_test$/, '').toLowerCase().split('_');
  if (parts.length < 2) return [...ALL_PLATFORMS];
  const last = parts[parts.length - 1] ?? '';
  const beforeLast = parts.length >= 3 ? parts[parts.length - 2] ?? '' : '';
  // name_GOOS_GOARCH.go: the GOOS is the second-to-last element when the last is not itself a GOOS.
  const goos = KNOWN_GOOS.has(last) ? last : KNOWN_GOOS.has(beforeLast) ? beforeLast : last === 'unix' ? 'unix' : null;
  if (goos === null) return [...ALL_PLATFORMS];
  return platformsWhere(BUILD_FAMILIES, (g) => tagValue(goos, g));
}

/** Platforms a Go file is compiled for: file-name suffix intersected with its build constraint. */
export function goFilePlatforms(path: string, text: string): Platform[] {
  const byName = goFileNamePlatforms(path);
  const constraint = buildConstraint(text);
  if (!constraint) return byName;
  const byTags = platformsWhere(BUILD_FAMILIES, (goos) => evalExpr(constraint, goos));
  return byName.filter((p) => byTags.includes(p));
}

/** Platforms where a `runtime.GOOS` predicate can be true, and where it can be false. */
export function splitRuntimeCondition(predicate: (goos: string) => Tri): { whenTrue: Platform[]; whenFalse: Platform[] } {
  return {
    whenTrue: platformsWhere(RUNTIME_FAMILIES, predicate),
    whenFalse: platformsWhere(RUNTIME_FAMILIES, (goos) => triNot(predicate(goos))),
  };
}
