// Which files are worth reading at all: documents, data and build output are not source code, and
// reading socket-like words in a README would only make noise.
const NOT_SOURCE = new Set([
  '.md', '.markdown', '.rst', '.txt', '.adoc', '.json', '.jsonc', '.json5', '.yaml', '.yml', '.toml', '.xml', '.html', '.htm',
  '.css', '.scss', '.less', '.svg', '.csv', '.tsv', '.lock', '.log', '.ini', '.cfg', '.conf', '.properties', '.map',
  '.min.js', '.png', '.jpg', '.jpeg', '.gif', '.ico', '.pdf', '.zip', '.gz', '.tar', '.tgz', '.xz', '.bz2', '.7z', '.jar',
  '.class', '.o', '.a', '.so', '.dll', '.exe', '.dylib', '.wasm', '.pyc', '.pyo', '.bin', '.dat', '.db', '.sqlite',
  '.woff', '.woff2', '.ttf', '.otf', '.eot', '.mp3', '.mp4', '.wav', '.ogg', '.webm', '.webp', '.bmp', '.tif', '.tiff',
  '.psd', '.ipynb', '.patch', '.diff', '.po', '.pot', '.mo', '.snap', '.sum', '.mod', '.pem', '.crt', '.key', '.der', '.p12',
  '.vsix', '.egg', '.whl', '.iml', '.sln', '.csproj', '.vcxproj', '.filters', '.pbxproj', '.plist', '.storyboard', '.xib',
  '.nib', '.rc', '.def', '.in', '.am', '.m4', '.cmake', '.mk', '.bazel', '.bzl', '.gradle', '.sbt', '.tex', '.bib', '.sty',
  '.1', '.2', '.3', '.5', '.7', '.8', '.man', '.info', '.texi', '.dot', '.gv', '.puml', '.drawio', '.excalidraw', '.sql',
]);

const NOT_SOURCE_NAMES = new Set(['license', 'licence', 'copying', 'notice', 'authors', 'changelog', 'readme', 'makefile', 'dockerfile', '.gitignore', '.gitattributes', '.editorconfig', '.npmignore', '.dockerignore']);

/** True for files that may hold program code (the lexical adapter reads any of these). */
export function isSourceCandidate(path: string): boolean {
  const name = path.replace(/^.*[\\/]/, '').toLowerCase();
  if (NOT_SOURCE_NAMES.has(name) || NOT_SOURCE_NAMES.has(name.replace(/\.[^.]*$/, ''))) return false;
  if (name.endsWith('.min.js') || name.endsWith('.d.ts')) return false;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return true;
  return !NOT_SOURCE.has(name.slice(dot));
}

const TEST_FILE = /(^test_.*\.py$|_test\.(py|go|rb|c|cc|cpp|rs|exs?)$|\.(test|spec|tst|test-d)\.[cm]?[jt]sx?$|_spec\.rb$|^conftest\.py$|Tests?\.(java|kt|cs|php|scala|swift)$|^Test.*\.(java|kt|php)$)/;

/**
 * Test files by their name (`test_x.py`, `x_test.go`, `x.spec.ts`, `FooTest.java`, type tests such as
 * `x.tst.ts` and `x.test-d.ts`...). Each test runs on its own, so their hard-coded ports are not paired
 * with other files' ports.
 */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path.replace(/^.*[\\/]/, ''));
}

/**
 * Folders whose files are separate small programs, each run on its own: examples, demos, samples,
 * tutorials, and kernel-style selftests (one main() per file). Test folders in general are not in this
 * list: their helpers often run together in one test process.
 */
const STANDALONE_FOLDERS = new Set(['example', 'examples', '_example', '_examples', 'demo', 'demos', 'sample', 'samples', 'tutorial', 'tutorials', 'selftests']);

function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/**
 * True when the file lies in an example/demo/sample/tutorial folder below the analysis root: such a
 * file is its own program and is never paired with another file's port. Folders at or above a root are
 * not looked at, so `bindwatch check examples` (or a workspace that is itself an examples folder)
 * still pairs its files: the user asked for that folder as one project. `roots` are the folders or
 * files the analysis started from, in the same form as the paths (relative or absolute).
 */
export function isStandaloneProgram(path: string, roots: readonly string[] = []): boolean {
  const parts = segments(path);
  let skip = 0;
  for (const root of roots) {
    const prefix = segments(root);
    if (prefix.length > skip && prefix.length <= parts.length && prefix.every((p, i) => p === parts[i])) skip = prefix.length;
  }
  // The last segment is the file's own name.
  return parts.slice(skip, -1).some((p) => STANDALONE_FOLDERS.has(p.toLowerCase()));
}

/** The deepest folder every path lies in (no trailing separator; "" when they share none). */
export function commonFolder(paths: Iterable<string>): string {
  let common: string[] | null = null;
  for (const path of paths) {
    const dirs = path.split(/[\\/]/).slice(0, -1);
    if (common === null) common = dirs;
    else {
      let n = 0;
      while (n < common.length && n < dirs.length && common[n] === dirs[n]) n++;
      common = common.slice(0, n);
    }
  }
  return (common ?? []).join('/');
}
