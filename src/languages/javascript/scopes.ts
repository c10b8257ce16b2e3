// Finds what an identifier holds, the way a reader of the code would: the nearest enclosing
// declaration of that name, when it is a `const` (or a `let`/`var` that is never reassigned).
import type { SyntaxNode } from '../treeSitter';

const SCOPES = new Set(['program', 'statement_block', 'class_static_block', 'switch_case', 'switch_default']);
const FUNCTIONS = new Set([
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition',
  'generator_function_declaration', 'generator_function',
]);

export class ScopeResolver {
  /** Names assigned anywhere after their declaration (`x = ...`, `x++`): their initializer is not their value. */
  readonly reassigned = new Set<string>();

  /**
   * The initializer of the declaration `identifier` refers to, or null when it is unknown (a parameter,
   * an import, a reassigned variable, a declaration without a value).
   */
  resolve(identifier: SyntaxNode): SyntaxNode | null {
    const found = this.lookup(identifier);
    if (!found || found.kind === 'parameter') return null;
    if (found.kind !== 'const' && found.kind !== 'function' && this.reassigned.has(identifier.text)) return null;
    return found.value;
  }

  /** The declaration `identifier` refers to: the nearest enclosing one of that name; null for globals. */
  lookup(identifier: SyntaxNode): Declaration | null {
    const name = identifier.text;
    let child: SyntaxNode = identifier;
    let scope = identifier.parent;
    while (scope) {
      if (FUNCTIONS.has(scope.type) && declaresParameter(scope, name)) return { node: scope, value: null, kind: 'parameter' };
      if (SCOPES.has(scope.type)) {
        const found = declarationIn(scope, name, child.startIndex);
        if (found) return found;
      }
      child = scope;
      scope = scope.parent;
    }
    return null;
  }
}

export interface Declaration {
  /** The variable declarator, function declaration, or the function whose parameter it is. */
  node: SyntaxNode;
  /** The initial value (for destructuring from the environment, the default). */
  value: SyntaxNode | null;
  kind: 'const' | 'let' | 'var' | 'function' | 'parameter';
}

function declarationIn(scope: SyntaxNode, name: string, usedAt: number): Declaration | null {
  let before: Declaration | undefined;
  let after: Declaration | undefined;
  for (const statement of scope.namedChildren) {
    if (!statement) continue;
    const declaration = statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (!declaration) continue;
    if (declaration.type === 'function_declaration' && declaration.childForFieldName('name')?.text === name) {
      return { node: declaration, value: declaration, kind: 'function' };
    }
    if (declaration.type !== 'lexical_declaration' && declaration.type !== 'variable_declaration') continue;
    const keyword = declaration.child(0)?.text;
    const kind = keyword === 'const' || keyword === 'let' ? keyword : 'var';
    for (const declarator of declaration.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const value = declaredValue(declarator, name);
      if (value === undefined) continue;
      const found: Declaration = { node: declarator, value, kind };
      if (declarator.startIndex < usedAt) before = found;
      else after ??= found;
    }
  }
  return before ?? after ?? null;
}

function declaresParameter(fn: SyntaxNode, name: string): boolean {
  const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!params) return false;
  if (params.type === 'identifier') return params.text === name;
  return new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(params.text);
}

/**
 * The value a declarator gives `name`: its initializer for `const name = v`; for a destructuring
 * default `const { PORT = 3000 } = process.env` the default. undefined when it does not declare it.
 */
function declaredValue(declarator: SyntaxNode, name: string): SyntaxNode | null | undefined {
  const target = declarator.childForFieldName('name');
  if (!target) return undefined;
  if (target.type === 'identifier') return target.text === name ? declarator.childForFieldName('value') : undefined;
  if (target.type !== 'object_pattern') return undefined;
  // Defaults only say the value when the object is the environment; an options object may set it.
  const fromEnv = /^(process\.env|Bun\.env|import\.meta\.env|Deno\.env\.toObject\(\))$/.test(declarator.childForFieldName('value')?.text ?? '');
  for (const entry of target.namedChildren) {
    if (!entry) continue;
    if (entry.type === 'shorthand_property_identifier_pattern' && entry.text === name) return null;
    if (entry.type === 'object_assignment_pattern') {
      const left = entry.childForFieldName('left');
      if (left?.text === name) return fromEnv ? entry.childForFieldName('right') : null;
    }
    if (entry.type === 'pair_pattern') {
      const value = entry.childForFieldName('value');
      if (value?.type === 'identifier' && value.text === name) return null;
      if (value?.type === 'assignment_pattern' && value.childForFieldName('left')?.text === name) {
        return fromEnv ? value.childForFieldName('right') : null;
      }
    }
  }
  return undefined;
}
