// Walks folders for the CLI and the workspace index: honours .gitignore files and ignore globs,
// skips VCS and dependency folders, and counts what it leaves out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSourceCandidate } from '../analysis/sourceFiles';

const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.cache', 'dist', 'out', 'target', '.gradle', '.idea', '.vs', '.vscode-test']);

export interface WalkOptions {
  /** gitignore-style globs relative to the walk root. */
  ignore: readonly string[];
  maxFileSize: number;
}

export interface WalkedFile {
  path: string;
  size: number;
}

export interface WalkResult {
  files: WalkedFile[];
  skippedTooLarge: string[];
  unreadable: string[];
}

interface Scope {
  base: string;
  rules: Ignore;
}

function readGitignore(dir: string): Ignore | null {
  try {
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    return ignore().add(text);
  } catch {
    return null;
  }
}

function ignoredBy(scopes: readonly Scope[], path: string, isDir: boolean): boolean {
  for (const scope of scopes) {
    const rel = relative(scope.base, path).split(sep).join('/');
    if (rel === '' || rel.startsWith('..')) continue;
    if (scope.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Lists the source files under the given paths (files given directly are always included). */
export function walkSourceFiles(paths: readonly string[], options: WalkOptions): WalkResult {
  const result: WalkResult = { files: [], skippedTooLarge: [], unreadable: [] };
  const seen = new Set<string>();
  const add = (path: string, size: number): void => {
    if (seen.has(path)) return;
    seen.add(path);
    if (size > options.maxFileSize) result.skippedTooLarge.push(path);
    else result.files.push({ path, size });
  };

  for (const input of paths) {
    const root = resolve(input);
    let stat;
    try {
      stat = statSync(root);
    } catch {
      result.unreadable.push(input);
      continue;
    }
    if (stat.isFile()) {
      add(input, stat.size);
      continue;
    }
    const userRules: Scope = { base: root, rules: ignore().add([...options.ignore]) };
    const walk = (dir: string, display: string, scopes: Scope[]): void => {
      const own = readGitignore(dir);
      const active = own ? [...scopes, { base: dir, rules: own }] : scopes;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        result.unreadable.push(display);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        const shown = join(display, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || /\.(dist|egg)-info$/.test(entry.name) || ignoredBy(active, full, true)) continue;
          walk(full, shown, active);
        } else if (entry.isFile()) {
          if (!isSourceCandidate(entry.name) || ignoredBy(active, full, false)) continue;
          try {
            add(shown, statSync(full).size);
          } catch {
            result.unreadable.push(shown);
          }
        }
      }
    };
    walk(root, input, [userRules]);
  }
  return result;
}
