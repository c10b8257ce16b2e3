// The JavaScript and TypeScript adapters: Node (net, http, https, http2, tls, dgram, cluster, express,
// koa, fastify, ws, hapi), Deno and Bun. Both share one extractor; only grammars and file types differ.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import type { Fix, FixRequest } from '../../analysis/fixes';
import type { LanguageAdapter, SourceDocument } from '../adapter';
import { GrammarParser, type GrammarName } from '../treeSitter';
import { FactExtractor, type JsAnalysis } from './factExtractor';
import { FixWriter } from './fixWriter';
import { SyntaxQueries } from './syntaxQueries';

/**
 * Text that can hold a bind, a listen or a reuse option. Files without it are skipped unparsed;
 * `\blisten` does not match `addEventListener`.
 */
const TRIGGER = /\blisten\w*\s*\(|createSocket|\b(?:Deno|Bun)\s*\.\s*(?:serve|udpSocket)\b|WebSocket(?:\.Server|Server)\b|\bHapi\b|@hapi\/hapi|@hono\/node-server|EXCLUSIVEADDRUSE/;

/** Larger files are generated bundles; reading them costs more than it finds. */
const MAX_LENGTH = 2_000_000;

function grammarFor(path: string, fallback: GrammarName): GrammarName {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tsx')) return 'tsx';
  if (/\.(ts|mts|cts)$/.test(lower)) return 'typescript';
  if (/\.(js|mjs|cjs|jsx)$/.test(lower)) return 'javascript';
  return fallback;
}

class JavaScriptFamilyAdapter implements LanguageAdapter {
  readonly comment = { line: '//', block: ['/*', '*/'] as [string, string] };
  private readonly parsers = new Map<GrammarName, GrammarParser>();
  private readonly queries = new Map<GrammarName, SyntaxQueries>();

  constructor(
    readonly id: string,
    readonly name: string,
    readonly extensions: string[],
    readonly languageIds: string[],
    private readonly grammars: GrammarName[],
  ) {
    for (const grammar of grammars) this.parsers.set(grammar, new GrammarParser(grammar));
  }

  async prepare(): Promise<void> {
    await Promise.all(this.grammars.map(async (grammar) => {
      await this.parsers.get(grammar)?.load();
      if (!this.queries.has(grammar)) this.queries.set(grammar, await SyntaxQueries.load(grammar));
    }));
  }

  private grammarOf(path: string): GrammarName {
    const fallback = this.grammars[0] ?? 'javascript';
    const grammar = grammarFor(path, fallback);
    return this.parsers.has(grammar) ? grammar : fallback;
  }

  /** Parses and analyzes, then runs `use` while the tree is alive; null when the file holds nothing to read. */
  private withAnalysis<T>(doc: SourceDocument, use: (analysis: JsAnalysis) => T): T | null {
    if (doc.text.length > MAX_LENGTH || !TRIGGER.test(doc.text)) return null;
    const grammar = this.grammarOf(doc.path);
    const parser = this.parsers.get(grammar);
    const queries = this.queries.get(grammar);
    if (!parser || !queries) return null;
    return parser.withTree(doc.text, (root) => use(new FactExtractor(root, doc.path, queries).run()));
  }

  extract(doc: SourceDocument): FileFacts {
    try {
      return this.withAnalysis(doc, (analysis) => analysis.facts) ?? emptyFacts();
    } catch {
      return emptyFacts();
    }
  }

  fix(doc: SourceDocument, _facts: FileFacts, request: FixRequest): Fix | null {
    try {
      return this.withAnalysis(doc, (analysis) => new FixWriter(analysis, doc.text).write(request));
    } catch {
      return null;
    }
  }
}

export const javascriptAdapter: LanguageAdapter = new JavaScriptFamilyAdapter(
  'javascript', 'JavaScript', ['.js', '.mjs', '.cjs', '.jsx'], ['javascript', 'javascriptreact'], ['javascript'],
);

export const typescriptAdapter: LanguageAdapter = new JavaScriptFamilyAdapter(
  'typescript', 'TypeScript', ['.ts', '.mts', '.cts', '.tsx'], ['typescript', 'typescriptreact'], ['typescript', 'tsx'],
);
