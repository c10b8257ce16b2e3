// Per-language lexical syntax for files without a tree-sitter grammar: which comments and strings the
// tokenizer skips, how blocks are delimited (for platform guards), and which runtime's defaults apply.
import type { CommentSyntax } from '../adapter';

export interface BlockCommentRule {
  open: string;
  close: string;
  nested: boolean;
  /** A comment whose text starts with this is a compiler directive (Pascal `{$IFDEF WINDOWS}`). */
  directivePrefix?: string;
}

/** How a single quote reads: a string, a character literal (`'a'`, with primes like `x'` left alone), or nothing. */
export type SingleQuoteMode = 'string' | 'char' | 'none';
/** How statement blocks are delimited, for reading `if` bodies. */
export type BlockStyle = 'brace' | 'end' | 'indent';
/** Whose socket defaults apply (see socket-semantics.md section 2 and 3). */
export type RuntimeFamily =
  | 'native' | 'jvm' | 'dotnet' | 'dart' | 'julia' | 'lua' | 'perl' | 'tcl' | 'erlang' | 'elixir' | 'crystal'
  | 'nim' | 'zig' | 'swift' | 'haskell' | 'ocaml' | 'd' | 'shell' | 'r' | 'lisp';

export interface LexicalSyntax {
  id: string;
  name: string;
  languageIds: readonly string[];
  lineComments: readonly string[];
  blockComments: readonly BlockCommentRule[];
  /** '#' comments start only at a word start (shell, Perl: `$#x`, `${x#y}`) or only at a command start (Tcl). */
  hashRule?: 'word' | 'command';
  /** Haskell: `-->` is an operator, not a comment. */
  dashCommentStrict?: boolean;
  /** VB: `REM` starts a comment. */
  remComment?: boolean;
  /** Fortran fixed form: `c`, `C`, `*` in column 1 start a comment. */
  fortranFixed?: boolean;
  /** `#if`/`#ifdef`/`#define` lines at a line start are directives (C family, Swift, Haxe, Haskell CPP). */
  preprocessor?: boolean;
  singleQuote: SingleQuoteMode;
  /** String escape: backslash, PowerShell's backtick, or doubled quotes only (Pascal, VB, Fortran, SQL). */
  escape: '\\' | '`' | 'double';
  /** Plain strings may span lines (shell, Perl, Tcl, R, Julia, Elixir, D...). Otherwise a newline ends them. */
  multilineStrings: boolean;
  tripleQuotes?: boolean;
  backtickStrings?: boolean;
  /** `@"..."` strings (Objective-C, F# verbatim, PowerShell here-strings). */
  atStrings?: boolean;
  luaLongBrackets?: boolean;
  /** Perl: POD, `q{}`/`qw()`/`s///` quote-likes, `/regex/`, `__END__`. */
  perl?: boolean;
  heredoc?: 'shell' | 'perl' | 'ruby';
  /** Erlang `$c` and Elixir `?c` character literals, Lisp `\c`. */
  charPrefix?: '$' | '?' | '\\';
  /** Elixir sigils `~r/.../`, `~s(...)`. */
  sigils?: boolean;
  /** Zig `\\` multi-line string lines. */
  zigMultiline?: boolean;
  /** `a::b::c` is one identifier (Perl packages, Tcl namespaces). */
  colonColonIdents?: boolean;
  /** `reuse-address` is one identifier (Lisp family, PowerShell cmdlets). */
  kebabIdents?: boolean;
  /** Identifiers may end in `?` or `!` (Crystal, Elixir, Clojure). */
  predicateIdents?: boolean;
  /** `a:b(...)` is a method or module call (Lua methods, Erlang modules). */
  colonMember?: boolean;
  blockStyle: BlockStyle;
  /** For 'end' blocks: words that open a block closed by one of `blockClosers`. */
  blockOpeners?: readonly string[];
  blockClosers?: readonly string[];
  /** `stmt if cond` / `stmt unless cond` statement modifiers (Perl, Crystal). */
  modifierIf?: boolean;
  runtime: RuntimeFamily;
}

type Base = Omit<LexicalSyntax, 'id' | 'name' | 'languageIds' | 'runtime'>;

const C_LIKE: Base = {
  lineComments: ['//'],
  blockComments: [{ open: '/*', close: '*/', nested: false }],
  singleQuote: 'char',
  escape: '\\',
  multilineStrings: false,
  blockStyle: 'brace',
};
const NESTED_C: Base = { ...C_LIKE, blockComments: [{ open: '/*', close: '*/', nested: true }] };
const HASH_LIKE: Base = {
  lineComments: ['#'],
  blockComments: [],
  hashRule: 'word',
  singleQuote: 'string',
  escape: '\\',
  multilineStrings: false,
  blockStyle: 'brace',
};
const LISP_LIKE: Base = {
  lineComments: [';'],
  blockComments: [{ open: '#|', close: '|#', nested: true }],
  singleQuote: 'none',
  escape: '\\',
  multilineStrings: true,
  charPrefix: '\\',
  kebabIdents: true,
  predicateIdents: true,
  blockStyle: 'brace',
};
const ML_LIKE: Base = {
  lineComments: [],
  blockComments: [{ open: '(*', close: '*)', nested: true }],
  singleQuote: 'char',
  escape: '\\',
  multilineStrings: true,
  blockStyle: 'indent',
};
const HASKELL_LIKE: Base = {
  lineComments: ['--'],
  blockComments: [{ open: '{-', close: '-}', nested: true }],
  dashCommentStrict: true,
  singleQuote: 'char',
  escape: '\\',
  multilineStrings: false,
  preprocessor: true,
  blockStyle: 'indent',
};

function lang(id: string, name: string, languageIds: readonly string[], runtime: RuntimeFamily, base: Base, extra: Partial<Base> = {}): LexicalSyntax {
  return { ...base, ...extra, id, name, languageIds, runtime };
}

const RUBY_OPENERS = ['if', 'unless', 'while', 'until', 'case', 'def', 'class', 'module', 'struct', 'begin', 'do', 'lib', 'enum', 'macro', 'annotation', 'union'];

export const SYNTAXES = {
  kotlin: lang('kotlin', 'Kotlin', ['kotlin'], 'jvm', NESTED_C, { tripleQuotes: true }),
  scala: lang('scala', 'Scala', ['scala'], 'jvm', NESTED_C, { tripleQuotes: true }),
  groovy: lang('groovy', 'Groovy', ['groovy'], 'jvm', C_LIKE, { singleQuote: 'string', tripleQuotes: true }),
  clojure: lang('clojure', 'Clojure', ['clojure'], 'jvm', LISP_LIKE),
  swift: lang('swift', 'Swift', ['swift'], 'swift', NESTED_C, { tripleQuotes: true, singleQuote: 'none', preprocessor: true }),
  objectiveC: lang('objective-c', 'Objective-C', ['objective-c', 'objective-cpp'], 'native', C_LIKE, { preprocessor: true, atStrings: true }),
  dart: lang('dart', 'Dart', ['dart'], 'dart', NESTED_C, { singleQuote: 'string', tripleQuotes: true }),
  d: lang('d', 'D', ['d'], 'd', C_LIKE, {
    blockComments: [{ open: '/*', close: '*/', nested: false }, { open: '/+', close: '+/', nested: true }],
    multilineStrings: true,
    backtickStrings: true,
  }),
  zig: lang('zig', 'Zig', ['zig'], 'zig', C_LIKE, { blockComments: [], zigMultiline: true }),
  odin: lang('odin', 'Odin', ['odin'], 'native', NESTED_C, { backtickStrings: true }),
  vala: lang('vala', 'Vala', ['vala'], 'native', C_LIKE, { preprocessor: true, tripleQuotes: true }),
  haxe: lang('haxe', 'Haxe', ['haxe'], 'native', C_LIKE, { singleQuote: 'string', multilineStrings: true, preprocessor: true }),
  gleam: lang('gleam', 'Gleam', ['gleam'], 'erlang', C_LIKE, { blockComments: [], singleQuote: 'none', multilineStrings: true }),
  nim: lang('nim', 'Nim', ['nim'], 'nim', HASH_LIKE, {
    hashRule: undefined,
    blockComments: [{ open: '#[', close: ']#', nested: true }],
    singleQuote: 'char',
    tripleQuotes: true,
    blockStyle: 'indent',
  }),
  crystal: lang('crystal', 'Crystal', ['crystal'], 'crystal', HASH_LIKE, {
    hashRule: undefined,
    singleQuote: 'char',
    multilineStrings: true,
    heredoc: 'ruby',
    predicateIdents: true,
    blockStyle: 'end',
    blockOpeners: RUBY_OPENERS,
    blockClosers: ['end'],
    modifierIf: true,
  }),
  julia: lang('julia', 'Julia', ['julia'], 'julia', HASH_LIKE, {
    hashRule: undefined,
    blockComments: [{ open: '#=', close: '=#', nested: true }],
    singleQuote: 'char',
    multilineStrings: true,
    tripleQuotes: true,
    backtickStrings: true,
    predicateIdents: true,
    blockStyle: 'end',
    blockOpeners: ['if', 'for', 'while', 'function', 'begin', 'let', 'struct', 'module', 'try', 'quote', 'macro', 'do', 'baremodule'],
    blockClosers: ['end'],
  }),
  r: lang('r', 'R', ['r'], 'r', HASH_LIKE, { hashRule: undefined, multilineStrings: true, backtickStrings: true }),
  lua: lang('lua', 'Lua', ['lua'], 'lua', HASH_LIKE, {
    lineComments: ['--'],
    hashRule: undefined,
    luaLongBrackets: true,
    colonMember: true,
    blockStyle: 'end',
    blockOpeners: ['if', 'function', 'do', 'repeat'],
    blockClosers: ['end', 'until'],
  }),
  perl: lang('perl', 'Perl', ['perl', 'perl6', 'raku'], 'perl', HASH_LIKE, {
    multilineStrings: true,
    perl: true,
    heredoc: 'perl',
    colonColonIdents: true,
    modifierIf: true,
  }),
  tcl: lang('tcl', 'Tcl', ['tcl'], 'tcl', HASH_LIKE, { hashRule: 'command', singleQuote: 'none', multilineStrings: true, colonColonIdents: true }),
  shell: lang('shellscript', 'Shell', ['shellscript', 'fish'], 'shell', HASH_LIKE, {
    multilineStrings: true,
    heredoc: 'shell',
    blockStyle: 'end',
    blockOpeners: ['if', 'case', 'do'],
    blockClosers: ['fi', 'esac', 'done'],
  }),
  powershell: lang('powershell', 'PowerShell', ['powershell'], 'dotnet', HASH_LIKE, {
    hashRule: undefined,
    blockComments: [{ open: '<#', close: '#>', nested: false }],
    escape: '`',
    multilineStrings: true,
    atStrings: true,
    kebabIdents: true,
  }),
  elixir: lang('elixir', 'Elixir', ['elixir'], 'elixir', HASH_LIKE, {
    hashRule: undefined,
    multilineStrings: true,
    tripleQuotes: true,
    charPrefix: '?',
    sigils: true,
    predicateIdents: true,
    blockStyle: 'end',
    blockOpeners: ['do', 'fn'],
    blockClosers: ['end'],
  }),
  erlang: lang('erlang', 'Erlang', ['erlang'], 'erlang', HASH_LIKE, {
    lineComments: ['%'],
    hashRule: undefined,
    multilineStrings: true,
    charPrefix: '$',
    colonMember: true,
    blockStyle: 'end',
    blockOpeners: ['if', 'case', 'receive', 'begin', 'fun', 'try', 'maybe'],
    blockClosers: ['end'],
  }),
  haskell: lang('haskell', 'Haskell', ['haskell'], 'haskell', HASKELL_LIKE),
  elm: lang('elm', 'Elm', ['elm'], 'native', HASKELL_LIKE, { preprocessor: false }),
  purescript: lang('purescript', 'PureScript', ['purescript'], 'native', HASKELL_LIKE, { preprocessor: false }),
  ocaml: lang('ocaml', 'OCaml', ['ocaml'], 'ocaml', ML_LIKE),
  fsharp: lang('fsharp', 'F#', ['fsharp'], 'dotnet', ML_LIKE, { lineComments: ['//'], tripleQuotes: true, atStrings: true, preprocessor: true }),
  vb: lang('vb', 'Visual Basic', ['vb', 'vbscript'], 'dotnet', C_LIKE, {
    lineComments: ["'"],
    blockComments: [],
    remComment: true,
    singleQuote: 'none',
    escape: 'double',
    blockStyle: 'end',
    blockOpeners: [],
    blockClosers: ['end'],
  }),
  pascal: lang('pascal', 'Pascal', ['pascal', 'objectpascal'], 'native', C_LIKE, {
    blockComments: [
      { open: '{', close: '}', nested: false, directivePrefix: '$' },
      { open: '(*', close: '*)', nested: false, directivePrefix: '$' },
    ],
    singleQuote: 'string',
    escape: 'double',
    blockStyle: 'end',
    blockOpeners: ['begin', 'case', 'try', 'record', 'class'],
    blockClosers: ['end'],
  }),
  fortran: lang('fortran', 'Fortran', ['fortran', 'fortran-modern', 'FortranFreeForm'], 'native', C_LIKE, {
    lineComments: ['!'],
    blockComments: [],
    singleQuote: 'string',
    escape: 'double',
    preprocessor: true,
    blockStyle: 'end',
    blockOpeners: [],
    blockClosers: ['end', 'endif'],
  }),
  fortranFixed: lang('fortran', 'Fortran', ['fortran'], 'native', C_LIKE, {
    lineComments: ['!'],
    blockComments: [],
    fortranFixed: true,
    singleQuote: 'string',
    escape: 'double',
    preprocessor: true,
    blockStyle: 'end',
    blockOpeners: [],
    blockClosers: ['end', 'endif'],
  }),
  lisp: lang('lisp', 'Lisp', ['lisp', 'commonlisp', 'scheme', 'racket'], 'lisp', LISP_LIKE),
  emacsLisp: lang('lisp', 'Emacs Lisp', ['emacs-lisp'], 'lisp', LISP_LIKE),
  ada: lang('ada', 'Ada', ['ada'], 'native', C_LIKE, { lineComments: ['--'], blockComments: [], singleQuote: 'char', escape: 'double', blockStyle: 'end', blockOpeners: [], blockClosers: ['end'] }),
  sql: lang('sql', 'SQL', ['sql'], 'native', C_LIKE, { lineComments: ['--'], singleQuote: 'string', escape: 'double', multilineStrings: true }),
  coffeescript: lang('coffeescript', 'CoffeeScript', ['coffeescript'], 'native', HASH_LIKE, {
    hashRule: undefined,
    blockComments: [{ open: '###', close: '###', nested: false }],
    tripleQuotes: true,
    blockStyle: 'indent',
  }),
  awk: lang('awk', 'AWK', ['awk'], 'native', HASH_LIKE, { singleQuote: 'none' }),
  // Anything else that is text: '#', '//' and block comments, both quotes.
  generic: lang('plaintext', 'Text', ['plaintext'], 'native', C_LIKE, { lineComments: ['//', '#'], hashRule: 'word', singleQuote: 'string' }),
  // Languages read by tree-sitter adapters; listed so commentSyntaxFor answers for every file.
  python: lang('python', 'Python', ['python'], 'native', HASH_LIKE, { tripleQuotes: true, blockStyle: 'indent' }),
  ruby: lang('ruby', 'Ruby', ['ruby'], 'native', HASH_LIKE, { multilineStrings: true, heredoc: 'ruby', modifierIf: true, blockStyle: 'end', blockOpeners: RUBY_OPENERS, blockClosers: ['end'] }),
  cFamily: lang('c', 'C', ['c', 'cpp'], 'native', C_LIKE, { preprocessor: true }),
  javaLike: lang('java', 'Java', ['java', 'csharp', 'go', 'rust', 'javascript', 'typescript'], 'native', C_LIKE, { backtickStrings: true, singleQuote: 'string' }),
  php: lang('php', 'PHP', ['php'], 'native', C_LIKE, { lineComments: ['//', '#'], singleQuote: 'string', multilineStrings: true, heredoc: 'perl' }),
} satisfies Record<string, LexicalSyntax>;

export type SyntaxKey = keyof typeof SYNTAXES;

/** File extension (lower case, with the dot) or exact file name → syntax. */
export const EXTENSION_SYNTAX: Readonly<Record<string, SyntaxKey>> = {
  '.kt': 'kotlin', '.kts': 'kotlin',
  '.scala': 'scala', '.sc': 'scala', '.sbt': 'scala',
  '.groovy': 'groovy', '.gvy': 'groovy', '.gradle': 'groovy', 'Jenkinsfile': 'groovy',
  '.clj': 'clojure', '.cljs': 'clojure', '.cljc': 'clojure', '.edn': 'clojure',
  '.swift': 'swift',
  '.m': 'objectiveC', '.mm': 'objectiveC',
  '.dart': 'dart',
  '.d': 'd', '.di': 'd',
  '.zig': 'zig',
  '.odin': 'odin',
  '.vala': 'vala',
  '.hx': 'haxe',
  '.gleam': 'gleam',
  '.nim': 'nim', '.nims': 'nim', '.nimble': 'nim',
  '.cr': 'crystal',
  '.jl': 'julia',
  '.r': 'r',
  '.lua': 'lua',
  '.pl': 'perl', '.pm': 'perl', '.t': 'perl', '.psgi': 'perl', '.cgi': 'perl', '.raku': 'perl', '.rakumod': 'perl', '.p6': 'perl', '.pm6': 'perl',
  '.tcl': 'tcl', '.tk': 'tcl', '.itcl': 'tcl', '.tm': 'tcl',
  '.sh': 'shell', '.bash': 'shell', '.zsh': 'shell', '.ksh': 'shell', '.fish': 'shell', '.command': 'shell',
  '.ps1': 'powershell', '.psm1': 'powershell',
  '.ex': 'elixir', '.exs': 'elixir',
  '.erl': 'erlang', '.hrl': 'erlang', '.escript': 'erlang',
  '.hs': 'haskell', '.hsc': 'haskell',
  '.elm': 'elm',
  '.purs': 'purescript',
  '.ml': 'ocaml', '.mli': 'ocaml',
  '.fs': 'fsharp', '.fsi': 'fsharp', '.fsx': 'fsharp',
  '.vb': 'vb', '.vbs': 'vb', '.bas': 'vb',
  '.pas': 'pascal', '.pp': 'pascal', '.dpr': 'pascal', '.lpr': 'pascal',
  '.f90': 'fortran', '.f95': 'fortran', '.f03': 'fortran', '.f08': 'fortran',
  '.f': 'fortranFixed', '.for': 'fortranFixed', '.f77': 'fortranFixed',
  '.lisp': 'lisp', '.lsp': 'lisp', '.cl': 'lisp', '.scm': 'lisp', '.ss': 'lisp', '.rkt': 'lisp', '.el': 'emacsLisp',
  '.adb': 'ada', '.ads': 'ada',
  '.sql': 'sql',
  '.coffee': 'coffeescript',
  '.awk': 'awk',
  // Tree-sitter languages (commentSyntaxFor only).
  '.py': 'python', '.pyw': 'python', '.pyi': 'python',
  '.rb': 'ruby', '.rake': 'ruby', 'Rakefile': 'ruby', 'Gemfile': 'ruby',
  '.c': 'cFamily', '.h': 'cFamily', '.cc': 'cFamily', '.cpp': 'cFamily', '.cxx': 'cFamily', '.hpp': 'cFamily', '.hh': 'cFamily', '.hxx': 'cFamily', '.ino': 'cFamily',
  '.java': 'javaLike', '.cs': 'javaLike', '.go': 'javaLike', '.rs': 'javaLike',
  '.js': 'javaLike', '.mjs': 'javaLike', '.cjs': 'javaLike', '.jsx': 'javaLike', '.ts': 'javaLike', '.mts': 'javaLike', '.cts': 'javaLike', '.tsx': 'javaLike',
  '.php': 'php',
};

/** Extensions served by tree-sitter adapters; the lexical adapter does not claim them. */
const TREE_SITTER_KEYS: ReadonlySet<SyntaxKey> = new Set<SyntaxKey>(['python', 'ruby', 'cFamily', 'javaLike', 'php']);

/** Prose and data files: code samples in them are not code that runs, so they yield no facts. */
export const NOT_CODE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.md', '.markdown', '.rst', '.txt', '.adoc', '.asciidoc', '.org', '.tex', '.html', '.htm', '.xml', '.svg', '.json',
  '.jsonc', '.json5', '.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.csv', '.tsv', '.log', '.lock', '.map',
  '.css', '.scss', '.less', '.properties', '.env', '.gitignore', '.diff', '.patch', '.po', '.pot',
]);

/** Extensions (and exact names) the lexical adapter claims. */
export const LEXICAL_EXTENSIONS: readonly string[] = Object.entries(EXTENSION_SYNTAX)
  .filter(([, key]) => !TREE_SITTER_KEYS.has(key))
  .map(([ext]) => ext);

export const LEXICAL_LANGUAGE_IDS: readonly string[] = [
  ...new Set(Object.entries(SYNTAXES).filter(([key]) => !TREE_SITTER_KEYS.has(key as SyntaxKey)).flatMap(([, s]) => s.languageIds)),
];

function extensionOf(path: string): { base: string; ext: string } {
  const base = path.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return { base, ext: dot > 0 ? base.slice(dot).toLowerCase() : '' };
}

export function syntaxFor(path: string): LexicalSyntax {
  const { base, ext } = extensionOf(path);
  const key = EXTENSION_SYNTAX[base] ?? (ext === '.R' ? 'r' : EXTENSION_SYNTAX[ext]);
  return key ? SYNTAXES[key] : SYNTAXES.generic;
}

export function isNotCode(path: string): boolean {
  return NOT_CODE_EXTENSIONS.has(extensionOf(path).ext);
}

/** Comment syntax for a file, for suppression comments and "disable for this line". */
export function commentSyntaxFor(path: string): CommentSyntax {
  const syntax = syntaxFor(path);
  const line = syntax.lineComments[0];
  const block = syntax.blockComments.find((b) => !b.directivePrefix) ?? syntax.blockComments[0];
  const result: CommentSyntax = {};
  if (line) result.line = line;
  if (block) result.block = [block.open, block.close];
  return result;
}
