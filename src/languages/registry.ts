// Every language adapter the engine knows, in lookup order. The lexical adapter reads everything else.
import type { LanguageAdapter } from './adapter';
import { cAdapter, cppAdapter } from './c/cAdapter';
import { csharpAdapter } from './csharp/csharpAdapter';
import { goAdapter } from './go/goAdapter';
import { javaAdapter } from './java/javaAdapter';
import { javascriptAdapter, typescriptAdapter } from './javascript/javascriptAdapter';
import { lexicalAdapter } from './lexical/lexicalAdapter';
import { phpAdapter } from './php/phpAdapter';
import { pythonAdapter } from './python/pythonAdapter';
import { rubyAdapter } from './ruby/rubyAdapter';
import { rustAdapter } from './rust/rustAdapter';

export const TREE_SITTER_ADAPTERS: readonly LanguageAdapter[] = [
  pythonAdapter, javascriptAdapter, typescriptAdapter, goAdapter, cAdapter, cppAdapter, javaAdapter, csharpAdapter, rubyAdapter, phpAdapter, rustAdapter,
];

export const FALLBACK_ADAPTER: LanguageAdapter | undefined = lexicalAdapter;
