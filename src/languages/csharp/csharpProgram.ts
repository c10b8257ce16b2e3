// One parsed C# file: its methods (scopes), locals and their writes, constants and fields, and the
// platforms each statement runs on (#if WINDOWS, OperatingSystem.IsWindows(), RuntimeInformation,
// early `if (OperatingSystem.IsWindows()) return;`, [SupportedOSPlatform("windows")]).
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { parsePort, splitHostPort } from '../common/hostPort';
import { intersect, platformsFromFileName, splitByCondition } from '../common/platformGuards';
import { PreprocessorGuards } from '../common/preprocessorGuards';
import { guardedPlatforms } from '../common/treeGuards';
import type { SyntaxNode } from '../treeSitter';
import { evaluateConstant } from '../c/constantExpression';

export interface Scope {
  id: string;
  node: SyntaxNode;
  start: number;
  end: number;
  params: Set<string>;
  locals: Set<string>;
  /** Local name → writes (declaration initializers and assignments) in order. */
  writes: Map<string, { at: number; value: SyntaxNode | null }[]>;
  /** Local name → declared type text (`var` when implicit). */
  types: Map<string, string>;
}

const SCOPE_TYPES = new Set([
  'method_declaration', 'constructor_declaration', 'local_function_statement', 'accessor_declaration',
  'destructor_declaration', 'operator_declaration', 'conversion_operator_declaration',
]);

const INTERESTING = [
  ...SCOPE_TYPES, 'invocation_expression', 'object_creation_expression', 'implicit_object_creation_expression',
  'assignment_expression', 'variable_declarator', 'parameter', 'using_directive', 'property_declaration',
];

/** .NET enum values a hand-written constant may be built from. */
const DOTNET_CONSTANTS: Record<string, number> = {
  'SocketOptionName.ReuseAddress': 4,
  'SocketOptionName.ExclusiveAddressUse': -5,
  SO_REUSEADDR: 4,
};

export class CSharpProgram {
  readonly scopes: Scope[] = [];
  /** Field and constant initializers by name (the last segment, for `Config.Port`). */
  readonly fields = new Map<string, SyntaxNode[]>();
  readonly fieldDeclarators: SyntaxNode[] = [];
  /** Field and property name → declared type text. */
  readonly fieldTypes = new Map<string, string>();
  readonly invocations: SyntaxNode[] = [];
  readonly creations: SyntaxNode[] = [];
  readonly assignments: SyntaxNode[] = [];
  readonly usings: string[] = [];
  /** Methods declared in this file, by name. */
  readonly methods = new Map<string, SyntaxNode[]>();
  readonly guards: PreprocessorGuards;
  readonly basePlatforms: Platform[];

  constructor(readonly text: string, readonly root: SyntaxNode, path: string) {
    this.guards = PreprocessorGuards.scan(text);
    this.basePlatforms = platformsFromFileName(path);
    const nodes = root.descendantsOfType(INTERESTING).filter((n): n is SyntaxNode => n !== null);
    for (const n of nodes) {
      if (SCOPE_TYPES.has(n.type)) {
        const name = n.childForFieldName('name')?.text;
        if (name) this.methods.set(name, [...(this.methods.get(name) ?? []), n]);
        this.scopes.push({ id: `m@${n.startIndex}`, node: n, start: n.startIndex, end: n.endIndex, params: new Set(), locals: new Set(), writes: new Map(), types: new Map() });
      }
    }
    for (const n of nodes) {
      switch (n.type) {
        case 'invocation_expression':
          this.invocations.push(n);
          break;
        case 'object_creation_expression':
        case 'implicit_object_creation_expression':
          this.creations.push(n);
          break;
        case 'assignment_expression': {
          this.assignments.push(n);
          const left = n.childForFieldName('left');
          const scope = this.scopeAt(n.startIndex);
          if (scope && left?.type === 'identifier') {
            const op = n.childForFieldName('operator')?.text ?? n.child(1)?.text ?? '=';
            this.addWrite(scope, left.text, n.startIndex, op === '=' ? n.childForFieldName('right') : null);
          }
          break;
        }
        case 'variable_declarator':
          this.addDeclarator(n);
          break;
        case 'parameter': {
          const scope = this.scopeAt(n.startIndex);
          const name = n.childForFieldName('name')?.text;
          if (scope && name) {
            scope.params.add(name);
            scope.locals.add(name);
            scope.types.set(name, n.childForFieldName('type')?.text ?? '');
          }
          break;
        }
        case 'using_directive':
          this.usings.push(n.text);
          break;
        case 'property_declaration': {
          const name = n.childForFieldName('name')?.text;
          if (name) this.fieldTypes.set(name, n.childForFieldName('type')?.text ?? '');
          break;
        }
      }
    }
    for (const s of this.scopes) for (const list of s.writes.values()) list.sort((a, b) => a.at - b.at);
  }

  /** The innermost method-like scope holding `offset`. */
  scopeAt(offset: number): Scope | null {
    let found: Scope | null = null;
    for (const s of this.scopes) {
      if (s.start > offset) break;
      if (offset < s.end) found = s;
    }
    return found;
  }

  private addWrite(scope: Scope, name: string, at: number, value: SyntaxNode | null): void {
    const list = scope.writes.get(name);
    if (list) list.push({ at, value });
    else scope.writes.set(name, [{ at, value }]);
  }

  private addDeclarator(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const value = declaratorValue(node);
    const scope = this.scopeAt(node.startIndex);
    const inField = node.parent?.parent?.type === 'field_declaration';
    const type = node.parent?.type === 'variable_declaration' ? (node.parent.childForFieldName('type')?.text ?? '') : '';
    if (scope && !inField) {
      scope.locals.add(name);
      scope.types.set(name, type);
      this.addWrite(scope, name, node.startIndex, value);
      return;
    }
    this.fieldDeclarators.push(node);
    this.fieldTypes.set(name, type);
    if (value) {
      const list = this.fields.get(name);
      if (list) list.push(value);
      else this.fields.set(name, [value]);
    }
  }

  // ----- platforms -----

  /** Start offset of the innermost class, struct or record holding `node` (-1 outside any). */
  typeAt(node: SyntaxNode): number {
    for (let p = node.parent; p; p = p.parent) {
      if (/^(class|struct|record|record_struct|interface)_declaration$/.test(p.type)) return p.startIndex;
    }
    return -1;
  }

  /** Declared type of a local (at `at`) or of a field/property. */
  typeOf(name: string, at: number): string {
    const scope = this.scopeAt(at);
    if (scope?.locals.has(name)) return scope.types.get(name) ?? '';
    return this.fieldTypes.get(name) ?? '';
  }

  /** Platforms on which `node` runs. */
  platformsOf(node: SyntaxNode): Platform[] {
    let platforms = intersect(guardedPlatforms(node, this.basePlatforms), this.guards.platformsAt(node.startIndex));
    let child = node;
    for (let parent = node.parent; parent; parent = parent.parent) {
      if (parent.type === 'block') platforms = intersect(platforms, earlyExitPlatforms(parent, child));
      if (/^(method_declaration|constructor_declaration|class_declaration|struct_declaration|record_declaration)$/.test(parent.type)) {
        platforms = intersect(platforms, supportedPlatforms(parent));
      }
      child = parent;
    }
    return platforms;
  }

  // ----- values -----

  /** The node holding `name`'s value before `at` (last write in the method, else a field or constant). */
  valueOf(name: string, at: number, depth = 0): SyntaxNode | null {
    if (depth > 10) return null;
    const scope = this.scopeAt(at);
    if (scope?.locals.has(name)) {
      let last: { at: number; value: SyntaxNode | null } | undefined;
      for (const w of scope.writes.get(name) ?? []) if (w.at < at) last = w;
      // `port = 8443` inside an `if` the use is not in: the value depends on a run-time branch.
      return last?.value && !branchesAway(last.value, at, scope.node) ? last.value : null;
    }
    const field = this.fields.get(name.replace(/^.*\./, ''));
    return field?.length === 1 ? (field[0] ?? null) : null;
  }

  /** Integer value of an expression: literals, constants, `int.Parse(env ?? "8080")`. */
  number(node: SyntaxNode, depth = 0): number | null {
    if (depth > 10) return null;
    const n = unwrapCs(node);
    switch (n.type) {
      case 'integer_literal':
        return evaluateConstant(n.text.replace(/[uUlL]+$/, ''), () => null);
      case 'boolean_literal':
        return n.text === 'true' ? 1 : 0;
      case 'identifier':
      case 'member_access_expression': {
        const known = DOTNET_CONSTANTS[n.text];
        if (known !== undefined) return known;
        const value = this.valueOf(n.text.replace(/^this\./, ''), n.startIndex, depth + 1);
        return value ? this.number(value, depth + 1) : null;
      }
      case 'invocation_expression': {
        const fn = n.childForFieldName('function')?.text ?? '';
        const arg = argumentsOf(n)[0];
        if (/^(int|ushort|uint|short|long|Int32|UInt16)\.Parse$|^Convert\.ToU?Int(16|32)$/.test(fn) && arg) {
          const s = this.string(arg, depth + 1);
          return s === null ? null : parsePort(s);
        }
        return null;
      }
      default:
        return evaluateConstant(n.text, (id) => {
          const known = DOTNET_CONSTANTS[id];
          if (known !== undefined) return known;
          const value = this.valueOf(id, n.startIndex, depth + 1);
          return value ? this.number(value, depth + 1) : null;
        });
    }
  }

  /** String value: literals, constants, and the default of `Environment.GetEnvironmentVariable(...) ?? "x"`. */
  string(node: SyntaxNode, depth = 0): string | null {
    if (depth > 10) return null;
    const n = unwrapCs(node);
    if (n.type === 'string_literal' || n.type === 'verbatim_string_literal' || n.type === 'raw_string_literal') {
      return n.namedChildren.filter((c) => c?.type === 'string_literal_content' || c?.type === 'raw_string_content').map((c) => c?.text ?? '').join('');
    }
    if (n.type === 'binary_expression' && n.child(1)?.text === '??') {
      const right = n.childForFieldName('right');
      return right ? this.string(right, depth + 1) : null;
    }
    if (n.type === 'identifier' || n.type === 'member_access_expression') {
      const value = this.valueOf(n.text.replace(/^this\./, ''), n.startIndex, depth + 1);
      return value ? this.string(value, depth + 1) : null;
    }
    return null;
  }

  /** "host:port" text of IPEndPoint.Parse. */
  hostPortText(node: SyntaxNode): { host: string; port: number | null } | null {
    const s = this.string(node);
    return s === null ? null : splitHostPort(s);
  }
}

const BRANCHES = new Set(['if_statement', 'for_statement', 'foreach_statement', 'while_statement', 'do_statement', 'switch_section', 'conditional_expression', 'catch_clause']);

function branchesAway(node: SyntaxNode, at: number, root: SyntaxNode): boolean {
  for (let p = node.parent; p && !p.equals(root); p = p.parent) {
    if (BRANCHES.has(p.type) && !(p.startIndex <= at && at < p.endIndex)) return true;
  }
  return false;
}

/** Strips parentheses and casts. */
export function unwrapCs(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (let i = 0; i < 12; i++) {
    if (n.type === 'parenthesized_expression' || n.type === 'argument') {
      const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment' && c.type !== 'name_colon');
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'cast_expression') {
      const value = n.childForFieldName('value');
      if (!value) return n;
      n = value;
    } else if (n.type === 'checked_expression') {
      const inner = n.namedChildren.find((c) => c !== null);
      if (!inner) return n;
      n = inner;
    } else {
      return n;
    }
  }
  return n;
}

export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments') ?? call.namedChildren.find((c) => c?.type === 'argument_list') ?? null;
  if (!list) return [];
  return list.namedChildren.filter((c): c is SyntaxNode => c?.type === 'argument').map((a) => unwrapCs(a));
}

/** The initializer of `x = value` in a variable_declarator. */
export function declaratorValue(node: SyntaxNode): SyntaxNode | null {
  const name = node.childForFieldName('name');
  const rest = node.namedChildren.filter((c): c is SyntaxNode => c !== null && !c.equals(name ?? node) && c.type !== 'bracketed_argument_list');
  return rest[rest.length - 1] ?? null;
}

/** `if (OperatingSystem.IsWindows()) return;` earlier in the block: the rest runs only elsewhere. */
function earlyExitPlatforms(block: SyntaxNode, child: SyntaxNode): Platform[] {
  let platforms: Platform[] = [...ALL_PLATFORMS];
  for (let s = child.previousNamedSibling; s; s = s.previousNamedSibling) {
    if (s.type !== 'if_statement' || s.childForFieldName('alternative')) continue;
    const consequence = s.childForFieldName('consequence');
    const exits = consequence && (/^(return|throw)_statement$/.test(consequence.type)
      || (consequence.type === 'block' && consequence.namedChildren.filter((c) => c !== null && c.type !== 'comment').every((c) => /^(return|throw)_statement$/.test(c?.type ?? ''))));
    const condition = s.childForFieldName('condition');
    if (!exits || !condition) continue;
    const split = splitByCondition(condition.text);
    if (split) platforms = intersect(platforms, split.whenFalse);
  }
  return platforms;
}

/** [SupportedOSPlatform("windows")] / [UnsupportedOSPlatform("windows")] on a method or type. */
function supportedPlatforms(declaration: SyntaxNode): Platform[] {
  const supported = new Set<Platform>();
  const unsupported = new Set<Platform>();
  for (const list of declaration.namedChildren) {
    if (list?.type !== 'attribute_list') continue;
    for (const attribute of list.namedChildren) {
      const m = /^(?:[\w.]+\.)?(Unsupported|Supported)OSPlatform(?:Attribute)?\s*\(\s*"(\w+)/.exec(attribute?.text ?? '');
      if (!m) continue;
      const os = (m[2] ?? '').toLowerCase();
      const named: Platform | null = os.startsWith('windows') ? 'win32' : os === 'linux' ? 'linux' : /macos|osx/.test(os) ? 'darwin' : null;
      if (named) (m[1] === 'Supported' ? supported : unsupported).add(named);
    }
  }
  const allowed = supported.size > 0 ? ALL_PLATFORMS.filter((p) => supported.has(p)) : [...ALL_PLATFORMS];
  return allowed.filter((p) => !unsupported.has(p));
}
