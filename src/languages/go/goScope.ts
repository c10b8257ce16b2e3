// Go declarations and assignments, collected during the extractor's single walk and looked up by
// name at a use site, so values can be followed through constants, variables and `x.Field = ...`.
import type { SyntaxNode } from '../treeSitter';
import { ancestorOfType, calleeName, callArgs, namedChildrenOf, within } from './goSyntax';

export type BindingKind = 'const' | 'var' | 'define' | 'assign' | 'flagvar';

export interface GoBinding {
  /** Identifier, or "recv.Field" for `recv.Field = value`. */
  name: string;
  /** Right-hand expression; null for `var x T`. */
  value: SyntaxNode | null;
  /** Position among several results of one call (`ln, err := net.Listen(...)` → 0 for ln). */
  index: number;
  /** True when `value` is one call that yields several values. */
  multiValue: boolean;
  type: SyntaxNode | null;
  kind: BindingKind;
  /** The block (or file) the name lives in; for assignments, the block of the assignment. */
  scope: SyntaxNode;
  /** The spec or statement that binds it. */
  node: SyntaxNode;
}

const SCOPE_TYPES = [
  'block', 'if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement',
  'expression_case', 'default_case', 'type_case', 'communication_case', 'func_literal', 'function_declaration',
  'method_declaration', 'source_file',
];

function scopeOf(node: SyntaxNode): SyntaxNode {
  let n = node.parent;
  while (n) {
    if (SCOPE_TYPES.includes(n.type)) return n;
    n = n.parent;
  }
  return node;
}

/** Left-hand names of an assignment: identifiers, or "recv.Field" selectors. */
function lhsName(node: SyntaxNode): string | null {
  if (node.type === 'identifier') return node.text === '_' ? null : node.text;
  if (node.type === 'selector_expression') return node.text.replace(/\s+/g, '');
  return null;
}

const FLAG_VAR = /^(?:String|Int|Int64|Int32|Uint|Uint64|Uint32|Uint16)Var(P)?$/;

export class GoScope {
  private readonly byName = new Map<string, GoBinding[]>();
  /** Top-level functions by name, for Control callbacks given by name and helpers they call. */
  readonly functions = new Map<string, SyntaxNode>();

  private add(binding: GoBinding): void {
    const list = this.byName.get(binding.name);
    if (list) list.push(binding);
    else this.byName.set(binding.name, [binding]);
  }

  /** Records what `node` declares or assigns; called for every node of the walk. */
  visit(node: SyntaxNode): void {
    switch (node.type) {
      case 'const_spec':
      case 'var_spec': {
        const names = node.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null);
        const values = namedChildrenOf(node.childForFieldName('value'));
        const type = node.childForFieldName('type');
        const kind = node.type === 'const_spec' ? 'const' : 'var';
        this.addAll(names, values, type, kind, node);
        break;
      }
      case 'short_var_declaration':
      case 'assignment_statement': {
        if (node.type === 'assignment_statement' && node.childForFieldName('operator')?.text !== '=') break;
        const names = namedChildrenOf(node.childForFieldName('left'));
        const values = namedChildrenOf(node.childForFieldName('right'));
        this.addAll(names, values, null, node.type === 'short_var_declaration' ? 'define' : 'assign', node);
        break;
      }
      case 'function_declaration': {
        const name = node.childForFieldName('name')?.text;
        if (name) this.functions.set(name, node);
        break;
      }
      case 'call_expression': {
        // flag.StringVar(&addr, "addr", ":8080", "...") gives addr its default.
        const name = calleeName(node);
        const match = FLAG_VAR.exec(name);
        if (!match) break;
        const args = callArgs(node);
        const target = args[0];
        if (target?.type !== 'unary_expression' || target.child(0)?.type !== '&') break;
        const operand = target.childForFieldName('operand');
        const value = args[match[1] ? 3 : 2];
        if (!operand || !value) break;
        const id = lhsName(operand);
        if (id) this.add({ name: id, value, index: 0, multiValue: false, type: null, kind: 'flagvar', scope: scopeOf(node), node });
        break;
      }
      default:
        break;
    }
  }

  private addAll(names: SyntaxNode[], values: SyntaxNode[], type: SyntaxNode | null, kind: BindingKind, node: SyntaxNode): void {
    const multiValue = values.length === 1 && names.length > 1;
    const scope = kind === 'assign' ? scopeOf(node) : scopeOf(node.type.endsWith('_spec') ? node.parent ?? node : node);
    names.forEach((n, i) => {
      const name = lhsName(n);
      if (!name) return;
      const value = multiValue ? values[0] ?? null : values[i] ?? null;
      this.add({ name, value, index: multiValue ? i : 0, multiValue, type, kind, scope, node });
    });
  }

  /** The declaration of `name` visible at `at` (innermost scope, latest before it), if any. */
  declaration(name: string, at: SyntaxNode): GoBinding | null {
    let best: GoBinding | null = null;
    for (const b of this.byName.get(name) ?? []) {
      if (b.kind === 'assign' || b.kind === 'flagvar') continue;
      if (!within(b.scope, at)) continue;
      const fileLevel = b.scope.type === 'source_file';
      if (!fileLevel && b.node.startIndex >= at.startIndex) continue;
      // Names declared inside a function literal that does not enclose `at` are out of reach.
      if (!best || b.scope.startIndex > best.scope.startIndex || (b.scope.startIndex === best.scope.startIndex && b.node.startIndex > best.node.startIndex)) best = b;
    }
    return best;
  }

  /** Assignments to `name` after its declaration and before `at`, in source order. */
  assignments(name: string, decl: GoBinding | null, at: SyntaxNode): GoBinding[] {
    const result: GoBinding[] = [];
    for (const b of this.byName.get(name) ?? []) {
      if (b.kind !== 'assign' && b.kind !== 'flagvar') continue;
      if (b.node.startIndex >= at.startIndex) continue;
      if (decl) {
        if (decl.scope.type !== 'source_file' && (!within(decl.scope, b.node) || b.node.startIndex < decl.node.startIndex)) continue;
      } else if (!within(ancestorOfType(b.node, ['function_declaration', 'method_declaration', 'func_literal']) ?? b.scope, at)) {
        continue;
      }
      result.push(b);
    }
    return result.sort((a, b) => a.node.startIndex - b.node.startIndex);
  }

  /** Every binding of `name` (for selector fields such as "srv.Addr"). */
  all(name: string): GoBinding[] {
    return this.byName.get(name) ?? [];
  }
}

/** Is `node` reached on every path from `scope`'s start (no if/for/switch/func literal in between)? */
export function unconditionalWithin(node: SyntaxNode, scope: SyntaxNode): boolean {
  let n = node.parent;
  while (n && n !== scope && n.startIndex >= scope.startIndex) {
    if (n.startIndex === scope.startIndex && n.endIndex === scope.endIndex) return true;
    if (['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'func_literal'].includes(n.type)) return false;
    n = n.parent;
  }
  return true;
}
