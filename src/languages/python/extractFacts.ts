// Python text → socket facts: trigger check, one parse, one walk, then assembly.
import { emptyFacts, type FileFacts } from '../../analysis/facts';
import { platformsFromFileName } from '../common/platformGuards';
import type { SourceDocument } from '../adapter';
import type { GrammarParser, SyntaxNode } from '../treeSitter';
import { FactBuilder } from './buildFacts';
import { collect, type Collected } from './collect';
import type { BuildContext } from './creations';
import { PythonGuards } from './platformGuards';
import { ServerClassResolver } from './serverClasses';
import { looksBinary, mayHoldSockets } from './trigger';
import { Evaluator, argumentDefaults } from './values';

export function buildContext(collected: Collected, path: string): BuildContext {
  const imports = collected.imports;
  const usesAsyncio = [...imports.modules.values(), ...imports.names.values(), ...imports.starModules]
    .some((m) => /^(asyncio|uvloop|aiohttp)\b/.test(m));
  return {
    collected,
    imports,
    evaluator: new Evaluator(imports, argumentDefaults(collected.calls)),
    guards: new PythonGuards(platformsFromFileName(path), collected.moduleScope, collected.ancestry),
    servers: new ServerClassResolver(collected, imports),
    usesAsyncio,
  };
}

export interface Analysis {
  facts: FileFacts;
  context: BuildContext;
  builder: FactBuilder;
}

/** Facts plus what produced them, for fixes that need the syntax behind a fact. */
export function analyzeTree(root: SyntaxNode, path: string, source?: string): Analysis {
  const context = buildContext(collect(root, source), path);
  const builder = new FactBuilder(context);
  return { facts: builder.build(), context, builder };
}

export function factsFromTree(root: SyntaxNode, path: string, source?: string): FileFacts {
  return analyzeTree(root, path, source).facts;
}

export function extractPythonFacts(parser: GrammarParser, doc: SourceDocument): FileFacts {
  if (!mayHoldSockets(doc.text) || looksBinary(doc.text)) return emptyFacts();
  try {
    return parser.withTree(doc.text, (root) => factsFromTree(root, doc.path, doc.text));
  } catch {
    // Never throw from extract: odd input yields fewer facts.
    return emptyFacts();
  }
}
