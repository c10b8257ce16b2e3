// Every language adapter the engine knows, in lookup order. The lexical adapter reads everything else.
import type { LanguageAdapter } from './adapter';

export const TREE_SITTER_ADAPTERS: readonly LanguageAdapter[] = [];

export const FALLBACK_ADAPTER: LanguageAdapter | undefined = undefined;
