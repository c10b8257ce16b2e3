// Which module a local name comes from: `const dgram = require('node:dgram')`, `import * as net from 'net'`,
// `import { createSocket as udp } from 'dgram'`, `const { createServer } = require('http')`.
import type { SyntaxNode } from '../treeSitter';
import { stringValue, unwrap } from './syntax';

export interface ModuleBinding {
  /** Module name without a `node:` prefix: "dgram", "http", "express". */
  module: string;
  /** The exported name for named imports (`createSocket`); null for the module object or default export. */
  member: string | null;
}

export class ModuleAliases {
  private readonly names = new Map<string, ModuleBinding>();
  /** Per module, the `{ a, b }` of its named imports or destructuring require, where a fix can add a name. */
  private readonly namedLists = new Map<string, SyntaxNode>();

  get(name: string): ModuleBinding | undefined {
    return this.names.get(name);
  }

  /** A local name bound to `member` of a module matching `isModule` (member null: the module object). */
  localName(isModule: (module: string) => boolean, member: string | null): string | null {
    for (const [name, binding] of this.names) if (binding.member === member && isModule(binding.module)) return name;
    return null;
  }

  /** The `{ ... }` list of names imported from a module matching `isModule`, if there is one. */
  namedList(isModule: (module: string) => boolean): SyntaxNode | null {
    for (const [module, list] of this.namedLists) if (isModule(module)) return list;
    return null;
  }

  /** The module a callee's object stands for: an alias, or an inline `require('x')`. */
  moduleOf(node: SyntaxNode | null): string | null {
    const n = unwrap(node);
    if (!n) return null;
    if (n.type === 'identifier') {
      const binding = this.names.get(n.text);
      return binding && binding.member === null ? binding.module : null;
    }
    // `http_1.default` where `const http_1 = __importDefault(require('http'))` (TypeScript's output).
    if (n.type === 'member_expression' && n.childForFieldName('property')?.text === 'default') {
      const object = unwrap(n.childForFieldName('object'));
      if (object?.type === 'identifier') return this.moduleOf(object);
    }
    const required = requiredModule(n);
    return required;
  }

  noteImport(statement: SyntaxNode): void {
    const source = stringValue(statement.childForFieldName('source'));
    if (source === null) return;
    const module = normalize(source);
    const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
    if (!clause) return;
    for (const part of clause.namedChildren) {
      if (!part) continue;
      if (part.type === 'identifier') this.names.set(part.text, { module, member: null });
      else if (part.type === 'namespace_import') {
        const id = part.namedChildren.find((c) => c?.type === 'identifier');
        if (id) this.names.set(id.text, { module, member: null });
      } else if (part.type === 'named_imports') {
        this.namedLists.set(module, part);
        for (const spec of part.namedChildren) {
          if (spec?.type !== 'import_specifier') continue;
          const name = spec.childForFieldName('name')?.text;
          const alias = spec.childForFieldName('alias')?.text ?? name;
          if (name && alias) this.names.set(alias, { module, member: name === 'default' ? null : name });
        }
      }
    }
  }

  /** `const x = require('m')` and `const { a, b: c } = require('m')`. */
  noteRequire(declarator: SyntaxNode): void {
    const value = unwrap(declarator.childForFieldName('value'));
    let module = value ? requiredModule(value) : null;
    let member: string | null = null;
    // `const createServer = require('http').createServer`
    if (!module && value?.type === 'member_expression') {
      module = requiredModule(unwrap(value.childForFieldName('object')));
      member = value.childForFieldName('property')?.text ?? null;
    }
    if (!module) return;
    const target = declarator.childForFieldName('name');
    if (!target) return;
    if (target.type === 'identifier') {
      this.names.set(target.text, { module, member });
      return;
    }
    if (target.type !== 'object_pattern' || member !== null) return;
    this.namedLists.set(module, target);
    for (const entry of target.namedChildren) {
      if (!entry) continue;
      if (entry.type === 'shorthand_property_identifier_pattern') this.names.set(entry.text, { module, member: entry.text });
      else if (entry.type === 'pair_pattern') {
        const key = entry.childForFieldName('key')?.text;
        const local = entry.childForFieldName('value');
        if (key && local?.type === 'identifier') this.names.set(local.text, { module, member: key });
      }
    }
  }
}

/** Helpers TypeScript and Babel wrap a require() in. */
const IMPORT_HELPER = /^(?:[\w$]+\.)?_*(?:importDefault|importStar|interopRequireDefault|interopRequireWildcard)$/;

/** The module of `require('m')` (also `await import('m')`), or null. */
export function requiredModule(node: SyntaxNode | null): string | null {
  let n = unwrap(node);
  if (n?.type === 'await_expression') n = unwrap(n.firstNamedChild);
  if (n?.type !== 'call_expression') return null;
  // `__importDefault(require('m'))`, `tslib_1.__importStar(require('m'))`: compiled imports.
  if (IMPORT_HELPER.test(n.childForFieldName('function')?.text ?? '')) n = unwrap(n.childForFieldName('arguments')?.firstNamedChild ?? null);
  if (n?.type !== 'call_expression') return null;
  const fn = n.childForFieldName('function');
  if (!fn || (fn.type !== 'identifier' && fn.type !== 'import') || (fn.text !== 'require' && fn.text !== 'import')) return null;
  const arg = n.childForFieldName('arguments')?.firstNamedChild ?? null;
  const name = stringValue(arg);
  return name === null ? null : normalize(name);
}

function normalize(name: string): string {
  return name.replace(/^node:/, '');
}
