// Walks folders for the CLI and the workspace index: honours .gitignore files and ignore globs,
// skips VCS and dependency folders and the build output of sources next to it, and counts what it
// leaves out.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isSourceCandidate } from '../analysis/sourceFiles';

// Never code of the project itself: VCS data, dependencies, tool caches. Skipped silently.
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.cache', '.gradle', '.idea', '.vs', '.vscode-test']);

/**
 * Usual build-output folder names. Such a folder is skipped only when it looks like the build of
 * sources next to it: its parent also holds a `src` folder or a build manifest that writes there.
 * Then analyzing it would report every finding twice. A published npm package often ships only `dist`,
 * and then `dist` is the code, so it is walked. (Git-ignored output is skipped by .gitignore anyway.)
 * Skipped ones are counted, so the summary can say so.
 */
const BUILD_OUTPUT_DIRECTORIES = new Set(['dist', 'out', 'target']);
const BUILD_SOURCES = ['src', 'Cargo.toml', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'build.sbt', 'tsconfig.json'];

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
  /** Build-output folders (dist, out, target) passed over because sources sit next to them. */
  skippedBuildOutput: string[];
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

function looksLikeBuildOutput(name: string, siblings: ReadonlySet<string>): boolean {
  return BUILD_OUTPUT_DIRECTORIES.has(name) && BUILD_SOURCES.some((s) => siblings.has(s));
}

/**
 * Lists the source files under the given paths. Files and folders given directly are always included,
 * whatever their name; the skip lists apply to what is found below them.
 */
export function walkSourceFiles(paths: readonly string[], options: WalkOptions): WalkResult {
  const result: WalkResult = { files: [], skippedTooLarge: [], unreadable: [], skippedBuildOutput: [] };
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
      const names = new Set(entries.map((e) => e.name));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        const shown = join(display, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || /\.(dist|egg)-info$/.test(entry.name) || ignoredBy(active, full, true)) continue;
          if (looksLikeBuildOutput(entry.name, names)) {
            result.skippedBuildOutput.push(shown);
            continue;
          }
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
