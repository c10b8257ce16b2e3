// Every language adapter the engine knows, in lookup order. The lexical adapter reads everything else.
import type { LanguageAdapter } from './adapter';
import { cAdapter, cppAdapter } from './c/cAdapter';
import { csharpAdapter } from './csharp/csharpAdapter';
import { goAdapter } from './go/goAdapter';
import { javaAdapter } from './java/javaAdapter';
import { javascriptAdapter, typescriptAdapter } from './javascript/javascriptAdapter';
import { lexicalAdapter } from './lexical/lexicalAdapter';
import { rubyAdapter } from './ruby/rubyAdapter';

export const TREE_SITTER_ADAPTERS: readonly LanguageAdapter[] = [
  javascriptAdapter, typescriptAdapter, goAdapter, cAdapter, cppAdapter, javaAdapter, csharpAdapter, rubyAdapter,
];

export const FALLBACK_ADAPTER: LanguageAdapter | undefined = lexicalAdapter;
