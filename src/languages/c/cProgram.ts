// One parsed C/C++ file, read once: its functions, file-level constants (#define, enum, const globals),
// type aliases, member types, includes, and the platforms each region is compiled for. Resolves the
// value an identifier holds at a point (last write before it, or a #define), through the arguments of
// a helper's call site when one is known.
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';
import { intersect, platformsFromFileName, splitByCondition } from '../common/platformGuards';
import { PreprocessorGuards } from '../common/preprocessorGuards';
import type { SyntaxNode } from '../treeSitter';
import { evaluateConstant } from './constantExpression';
import { calleeName, callArguments, stringLiteral, unwrap } from './cSyntax';

export interface ValueWrite {
  at: number;
  /** Initializer or right-hand side; null when declared without one or changed in a way we cannot read. */
  value: SyntaxNode | null;
}

export interface FnScope {
  id: string;
  node: SyntaxNode;
  name: string | null;
  start: number;
  end: number;
  params: string[];
  /** Names declared in the function (parameters included). */
  locals: Set<string>;
  /** Declared type text of locals (`tcp::acceptor`, `QTcpServer *`). */
  types: Map<string, string>;
  writes: Map<string, ValueWrite[]>;
  calls: SyntaxNode[];
  declarations: SyntaxNode[];
  assignments: SyntaxNode[];
  fieldInitializers: SyntaxNode[];
  returns: SyntaxNode[];
  news: SyntaxNode[];
  /** The class a method belongs to (enclosing class, or `Server` in `Server::start`); '' for free functions. */
  owner: string;
}

/** Where a parameter's argument lives: the caller's node and the context to read it in. */
export interface Binding {
  node: SyntaxNode;
  ctx: Ctx;
}

export interface Ctx {
  fn: FnScope | null;
  at: number;
  /** Parameter name → argument at the call site being expanded (or the only call site). */
  env: Map<string, Binding> | null;
  depth: number;
}

const INTERESTING = [
  'function_definition', 'call_expression', 'declaration', 'field_declaration', 'assignment_expression',
  'preproc_def', 'enumerator', 'type_definition', 'alias_declaration', 'field_initializer', 'return_statement',
  'preproc_include', 'class_specifier', 'update_expression', 'new_expression',
];

const POSIX_HEADERS = /^(sys\/socket\.h|netinet\/in\.h|arpa\/inet\.h|unistd\.h|netdb\.h|sys\/un\.h|sys\/epoll\.h|sys\/event\.h|netinet\/tcp\.h|poll\.h|sys\/select\.h)$/;
const WINDOWS_HEADERS = /^(winsock2\.h|winsock\.h|ws2tcpip\.h|windows\.h|mswsock\.h|ws2def\.h|ws2ipdef\.h)$/i;

export class CProgram {
  readonly functions: FnScope[] = [];
  readonly functionsByName = new Map<string, FnScope[]>();
  readonly defines = new Map<string, SyntaxNode[]>();
  readonly enumerators = new Map<string, number>();
  readonly enumeratorNodes: SyntaxNode[] = [];
  readonly globals = new Map<string, SyntaxNode[]>();
  readonly aliases = new Map<string, string>();
  /** Member and global variable name → declared type text (`tcp::acceptor`, `QTcpServer *`). */
  readonly declaredTypes = new Map<string, string>();
  readonly includes: { path: string; at: number }[] = [];
  /** Classes deriving from a Qt server (`class MyServer : public QTcpServer`). */
  readonly qtServerClasses: SyntaxNode[] = [];
  /** Top-level nodes outside any function, in document order. */
  readonly fileCalls: SyntaxNode[] = [];
  readonly fileDeclarations: SyntaxNode[] = [];
  readonly newExpressions: SyntaxNode[] = [];
  readonly guards: PreprocessorGuards;
  readonly basePlatforms: Platform[];
  readonly usesWinsock: boolean;

  constructor(readonly text: string, readonly root: SyntaxNode, path: string) {
    this.guards = PreprocessorGuards.scan(text);
    const nodes = root.descendantsOfType(INTERESTING).filter((n): n is SyntaxNode => n !== null);
    const fns = nodes.filter((n) => n.type === 'function_definition');
    for (const node of fns) this.addFunction(node);
    this.functions.sort((a, b) => a.start - b.start);
    this.indexFunctions();
    for (const node of nodes) {
      if (node.type === 'function_definition') continue;
      this.addNode(node);
    }
    for (const f of this.functions) for (const list of f.writes.values()) list.sort((a, b) => a.at - b.at);
    this.usesWinsock = this.includes.some((i) => WINDOWS_HEADERS.test(i.path)) || linksWinsock(text);
    this.basePlatforms = this.computeBasePlatforms(path);
  }

  private addFunction(node: SyntaxNode): void {
    const declarator = node.childForFieldName('declarator');
    const fnDecl = declarator ? findFunctionDeclarator(declarator) : null;
    const nameNode = fnDecl?.childForFieldName('declarator');
    const name = nameNode ? nameNode.text.replace(/^.*::/, '').replace(/\s+/g, '') : null;
    const params: string[] = [];
    const locals = new Set<string>();
    const paramTypes = new Map<string, string>();
    const paramList = fnDecl?.childForFieldName('parameters');
    for (const p of paramList?.namedChildren ?? []) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration')) {
        if (p?.type === 'variadic_parameter_declaration') params.push('...');
        continue;
      }
      const d = p.childForFieldName('declarator');
      const id = d ? declaredName(d) : null;
      params.push(id ?? '');
      if (id) locals.add(id);
      if (id) paramTypes.set(id, declaredType(p, d));
    }
    const scope: FnScope = {
      id: `fn@${node.startIndex}`, node, name, start: node.startIndex, end: node.endIndex, params, locals, types: paramTypes,
      writes: new Map(), calls: [], declarations: [], assignments: [], fieldInitializers: [], returns: [], news: [], owner: ownerClass(node, fnDecl),
    };
    this.functions.push(scope);
    if (name) {
      const list = this.functionsByName.get(name);
      if (list) list.push(scope);
      else this.functionsByName.set(name, [scope]);
    }
  }

  private readonly starts: number[] = [];
  private readonly enclosing: number[] = [];

  /** Functions nest or are disjoint: each one's enclosing function, for functionAt. */
  private indexFunctions(): void {
    const open: number[] = [];
    this.functions.forEach((f, i) => {
      while (open.length > 0 && (this.functions[open[open.length - 1] ?? 0]?.end ?? 0) <= f.start) open.pop();
      this.starts.push(f.start);
      this.enclosing.push(open[open.length - 1] ?? -1);
      open.push(i);
    });
  }

  /** The innermost function whose body holds `offset`. */
  functionAt(offset: number): FnScope | null {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid + 1;
      else hi = mid;
    }
    // A function that starts earlier and holds `offset` also holds every function between: follow parents.
    let k = lo - 1;
    while (k >= 0 && offset >= (this.functions[k]?.end ?? 0)) k = this.enclosing[k] ?? -1;
    return k >= 0 ? (this.functions[k] ?? null) : null;
  }

  private addNode(node: SyntaxNode): void {
    const fn = this.functionAt(node.startIndex);
    switch (node.type) {
      case 'call_expression':
        if (fn) fn.calls.push(node);
        else this.fileCalls.push(node);
        break;
      case 'new_expression':
        if (fn) fn.news.push(node);
        else this.newExpressions.push(node);
        break;
      case 'declaration':
      case 'field_declaration':
        if (fn && node.type === 'declaration') {
          fn.declarations.push(node);
          this.addLocalDeclaration(fn, node);
        } else {
          this.fileDeclarations.push(node);
          this.addGlobalDeclaration(node);
        }
        break;
      case 'assignment_expression':
        if (fn) {
          fn.assignments.push(node);
          const left = node.childForFieldName('left');
          const op = node.child(1)?.type ?? '=';
          if (left?.type === 'identifier') this.addWrite(fn, left.text, node.startIndex, op === '=' ? node.childForFieldName('right') : null);
        }
        break;
      case 'update_expression':
        if (fn) {
          const arg = node.childForFieldName('argument');
          if (arg?.type === 'identifier') this.addWrite(fn, arg.text, node.startIndex, null);
        }
        break;
      case 'field_initializer':
        if (fn) fn.fieldInitializers.push(node);
        break;
      case 'return_statement':
        if (fn) fn.returns.push(node);
        break;
      case 'preproc_def': {
        const name = node.childForFieldName('name')?.text;
        if (name) {
          const list = this.defines.get(name);
          if (list) list.push(node);
          else this.defines.set(name, [node]);
        }
        break;
      }
      case 'enumerator':
        this.enumeratorNodes.push(node);
        this.addEnumerator(node);
        break;
      case 'type_definition': {
        const type = node.childForFieldName('type')?.text ?? '';
        for (const d of node.childrenForFieldName('declarator')) if (d) this.aliases.set(d.text, type);
        break;
      }
      case 'alias_declaration': {
        const name = node.childForFieldName('name')?.text;
        const type = node.childForFieldName('type')?.text;
        if (name && type) this.aliases.set(name, type);
        break;
      }
      case 'preproc_include': {
        const path = node.childForFieldName('path')?.text.replace(/^[<"]|[>"]$/g, '') ?? '';
        this.includes.push({ path, at: node.startIndex });
        break;
      }
      case 'class_specifier': {
        const bases = node.namedChildren.find((c) => c?.type === 'base_class_clause');
        if (bases && /\b(QTcpServer|QSslServer)\b/.test(bases.text)) this.qtServerClasses.push(node);
        break;
      }
    }
  }

  private addWrite(fn: FnScope, name: string, at: number, value: SyntaxNode | null): void {
    const list = fn.writes.get(name);
    if (list) list.push({ at, value });
    else fn.writes.set(name, [{ at, value }]);
  }

  private addLocalDeclaration(fn: FnScope, node: SyntaxNode): void {
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const name = declaredName(d);
      if (!name) continue;
      fn.locals.add(name);
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      this.addWrite(fn, name, d.startIndex, value);
      fn.types.set(name, declaredType(node, d));
    }
  }

  private addGlobalDeclaration(node: SyntaxNode): void {
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const name = declaredName(d);
      if (!name) continue;
      this.declaredTypes.set(name, declaredType(node, d));
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : node.childForFieldName('default_value');
      if (value) {
        const list = this.globals.get(name);
        if (list) list.push(value);
        else this.globals.set(name, [value]);
      }
    }
  }

  private addEnumerator(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    const valueNode = node.childForFieldName('value');
    let value: number | null;
    if (valueNode) {
      value = evaluateConstant(valueNode.text, (n) => this.namedConstant(n, 0));
    } else {
      const prev = node.previousNamedSibling;
      const prevName = prev?.type === 'enumerator' ? prev.childForFieldName('name')?.text : undefined;
      const prevValue = prevName !== undefined ? this.enumerators.get(prevName) : 0 - 1;
      value = prevValue === undefined ? null : prevValue + 1;
    }
    if (value !== null) this.enumerators.set(name, value);
  }

  private computeBasePlatforms(path: string): Platform[] {
    const fromName = platformsFromFileName(path);
    // A header included without a guard says which system the file is written for.
    const unguarded = (at: number): boolean => this.guards.platformsAt(at).length === ALL_PLATFORMS.length;
    const posix = this.includes.filter((i) => POSIX_HEADERS.test(i.path) && unguarded(i.at));
    const windows = this.includes.some((i) => WINDOWS_HEADERS.test(i.path));
    const windowsUnguarded = this.includes.some((i) => WINDOWS_HEADERS.test(i.path) && unguarded(i.at)) || linksWinsock(this.text);
    const posixAny = this.includes.some((i) => POSIX_HEADERS.test(i.path));
    let platforms: Platform[] = [...ALL_PLATFORMS];
    if (posix.length > 0 && !windows) {
      platforms = posix.some((i) => i.path === 'sys/epoll.h') ? ['linux'] : posix.some((i) => i.path === 'sys/event.h') ? ['darwin'] : ['linux', 'darwin'];
    } else if (windowsUnguarded && !posixAny) {
      platforms = ['win32'];
    }
    return intersect(fromName, platforms);
  }

  /** Platforms on which the code at `node` is compiled and runs. */
  platformsOf(node: SyntaxNode): Platform[] {
    let platforms = intersect(this.basePlatforms, this.guards.platformsAt(node.startIndex));
    // Run-time tests (`if (IsWindows())`) are rare in C but cheap to honour.
    let child = node;
    let parent = node.parent;
    for (let i = 0; parent && i < 64; i++) {
      if (parent.type === 'if_statement' || parent.type === 'conditional_expression') {
        const condition = parent.childForFieldName('condition');
        if (condition && !(condition.startIndex <= child.startIndex && child.endIndex <= condition.endIndex)) {
          const split = splitByCondition(condition.text);
          if (split) {
            const alternative = parent.childForFieldName('alternative');
            const inElse = alternative !== null && alternative.startIndex <= child.startIndex && child.endIndex <= alternative.endIndex;
            platforms = intersect(platforms, inElse ? split.whenFalse : split.whenTrue);
          }
        }
      }
      if (parent.type === 'function_definition') break;
      child = parent;
      parent = parent.parent;
    }
    return platforms;
  }

  // ----- values -----

  /** The node holding `name`'s value at ctx (last write before it), following call-site bindings. */
  valueOf(name: string, ctx: Ctx): Binding | null {
    if (ctx.depth > 12) return null;
    const fn = ctx.fn;
    if (fn?.locals.has(name)) {
      const writes = fn.writes.get(name) ?? [];
      let last: ValueWrite | undefined;
      for (const w of writes) if (w.at < ctx.at) last = w;
      // `port = 8443` inside an `if` the use is not in: the value depends on a run-time branch.
      if (last?.value && !branchesAway(last.value, ctx.at, fn.node)) return { node: last.value, ctx: { ...ctx, at: last.at, depth: ctx.depth + 1 } };
      if (last) return null;
      const binding = fn.params.includes(name) ? ctx.env?.get(name) : undefined;
      return binding ? { node: binding.node, ctx: { ...binding.ctx, depth: ctx.depth + 1 } } : null;
    }
    const globals = this.globals.get(name);
    if (globals?.length === 1 && globals[0]) return { node: globals[0], ctx: { fn: null, at: globals[0].startIndex, env: null, depth: ctx.depth + 1 } };
    return null;
  }

  /** The text of an object-like #define, when every definition of it agrees. */
  defineText(name: string): string | null {
    const defs = this.defines.get(name);
    if (!defs || defs.length === 0) return null;
    const texts = new Set(defs.map((d) => stripComment(d.childForFieldName('value')?.text ?? '')));
    return texts.size === 1 ? ([...texts][0] ?? null) : null;
  }

  /** Value of a file-level constant: enumerator, #define, const global, or a known Winsock constant. */
  namedConstant(name: string, depth = 0): number | null {
    if (depth > 8) return null;
    const e = this.enumerators.get(name);
    if (e !== undefined) return e;
    const text = this.defineText(name);
    if (text !== null) return evaluateConstant(text, (n) => this.namedConstant(n, depth + 1));
    const globals = this.globals.get(name);
    if (globals?.length === 1 && globals[0]) return this.number(globals[0], { fn: null, at: globals[0].startIndex, env: null, depth: depth + 1 });
    return WINSOCK_CONSTANTS[name] ?? null;
  }

  /** Integer value of an expression, or null. */
  number(node: SyntaxNode, ctx: Ctx): number | null {
    if (ctx.depth > 12) return null;
    const n = unwrap(node, false);
    switch (n.type) {
      case 'number_literal':
      case 'char_literal':
        return evaluateConstant(n.text, () => null);
      case 'true':
        return 1;
      case 'false':
      case 'null':
        return 0;
      case 'identifier': {
        const binding = this.valueOf(n.text, ctx);
        if (binding) return this.number(binding.node, binding.ctx);
        if (ctx.fn?.locals.has(n.text)) return null;
        return this.namedConstant(n.text, ctx.depth);
      }
      case 'argument_list':
      case 'initializer_list': {
        const only = callArguments(n);
        return only.length === 1 && only[0] ? this.number(only[0], ctx) : null;
      }
      case 'call_expression': {
        const name = calleeName(n);
        const args = callArguments(n);
        if (/^(htons|htonl|ntohs|ntohl|static_cast|uint16_t|in_port_t|u_short)$/.test(name) && args.length === 1 && args[0]) return this.number(args[0], ctx);
        if (/^(atoi|atol|strtol|strtoul|stoi|stol|stoul)$/.test(name) && args[0]) {
          const s = this.string(args[0], ctx);
          return s !== null && /^\s*\d+\s*$/.test(s) ? Number.parseInt(s, 10) : null;
        }
        return null;
      }
      default:
        return evaluateConstant(n.text, (id) => {
          const binding = this.valueOf(id, ctx);
          if (binding) return this.number(binding.node, binding.ctx);
          if (ctx.fn?.locals.has(id)) return null;
          return this.namedConstant(id, ctx.depth + 1);
        });
    }
  }

  /** String value of an expression (literal, const char*, #define "..."), or null. */
  string(node: SyntaxNode, ctx: Ctx): string | null {
    if (ctx.depth > 12) return null;
    const literal = stringLiteral(node);
    if (literal !== null) return literal;
    const n = unwrap(node, false);
    if (n.type !== 'identifier') return null;
    const binding = this.valueOf(n.text, ctx);
    if (binding) return this.string(binding.node, binding.ctx);
    if (ctx.fn?.locals.has(n.text)) return null;
    const text = this.defineText(n.text);
    if (text !== null) {
      const m = /^(?:L|u8|u|U)?"((?:[^"\\]|\\.)*)"$/.exec(text.trim());
      return m ? (m[1] ?? null) : null;
    }
    return null;
  }
}

const BRANCHES = new Set(['if_statement', 'else_clause', 'for_statement', 'for_range_loop', 'while_statement', 'do_statement', 'switch_statement', 'case_statement', 'conditional_expression']);

/** Is `node` inside a branch (if/else/loop/switch) of `root` that does not also hold offset `at`? */
export function branchesAway(node: SyntaxNode, at: number, root: SyntaxNode): boolean {
  for (let p = node.parent; p && !p.equals(root); p = p.parent) {
    if (BRANCHES.has(p.type) && !(p.startIndex <= at && at < p.endIndex)) return true;
  }
  return false;
}

/** `#pragma comment(lib, "ws2_32.lib")`: MSVC-only code. */
function linksWinsock(text: string): boolean {
  return /ws2_32/i.test(text) && /^[ \t]*#[ \t]*pragma[ \t]+comment[ \t]*\([ \t]*lib[ \t]*,[ \t]*"ws2_32/im.test(text);
}

/** Winsock values used by hand-written constants: SO_EXCLUSIVEADDRUSE is defined from SO_REUSEADDR. */
const WINSOCK_CONSTANTS: Record<string, number> = { SO_REUSEADDR: 4, SOL_SOCKET: 0xffff };

export function stripComment(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/, '').trim();
}

function findFunctionDeclarator(node: SyntaxNode): SyntaxNode | null {
  let n: SyntaxNode | null = node;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === 'function_declarator') return n;
    n = n.childForFieldName('declarator');
  }
  return null;
}

/** The class a function is a member of: the class around it, or the qualifier of its name. */
function ownerClass(fn: SyntaxNode, declarator: SyntaxNode | null): string {
  for (let p = fn.parent; p; p = p.parent) {
    if (p.type === 'class_specifier' || p.type === 'struct_specifier') return p.childForFieldName('name')?.text ?? '';
    if (p.type === 'function_definition') break;
  }
  const name = declarator?.childForFieldName('declarator');
  return name?.type === 'qualified_identifier' ? (name.childForFieldName('scope')?.text ?? '') : '';
}

/** Type text of one declarator of a declaration, with ` *` when it declares a pointer. */
function declaredType(declaration: SyntaxNode, declarator: SyntaxNode | null): string {
  const type = declaration.childForFieldName('type')?.text ?? '';
  let n: SyntaxNode | null = declarator;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === 'pointer_declarator') return `${type} *`;
    n = n.childForFieldName('declarator');
  }
  return type;
}

/** The identifier a declarator declares (`fd` in `*fd = ...`, `addr` in `addr[2]`). */
export function declaredName(node: SyntaxNode): string | null {
  let n: SyntaxNode | null = node;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === 'identifier' || n.type === 'field_identifier') return n.text;
    if (n.type === 'function_declarator' && i > 0) return null;
    n = n.childForFieldName('declarator') ?? (n.type === 'reference_declarator' ? n.namedChild(0) : null);
  }
  return null;
}
