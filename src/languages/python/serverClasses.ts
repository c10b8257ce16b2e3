// socketserver-style classes: which stdlib server a class derives from (through local subclasses and
// mixins), the class attributes that configure it (`allow_reuse_address = True` on a subclass), and
// how an overridden `__init__` hands the address to the base class.
import type { CallSite, ClassAttribute, ClassSite, Collected } from './collect';
import type { ImportTable } from './imports';
import { SERVER_CLASSES, type ServerClass } from './runtimeDefaults';
import type { SyntaxNode } from '../treeSitter';
import type { Scope } from './scopes';
import { callArguments, calleeOf, dottedName, type CallArguments } from './syntax';

export interface ResolvedServer {
  /** The stdlib class at the root of the hierarchy. */
  base: ServerClass;
  /** Local classes from the one instantiated up to the stdlib base (most derived first). */
  chain: ClassSite[];
  /** The name the code instantiates. */
  name: string;
}

/** What an overridden `__init__` passes to the base constructor. */
export type InitOverride =
  | { kind: 'none' }
  /** Never reaches TCPServer.__init__ (calls BaseServer.__init__ or no base at all): nothing binds. */
  | { kind: 'no-bind' }
  /** Calls a base constructor we cannot identify: binds somewhere we cannot read. */
  | { kind: 'unknown' }
  | { kind: 'base-call'; call: CallSite; args: CallArguments; offset: number };

const MAX_DEPTH = 12;

export class ServerClassResolver {
  /** Classes by the scope they are defined in, then by name (the last definition wins). */
  private readonly byOuter = new Map<number, Map<string, ClassSite>>();
  private readonly byScope = new Map<number, ClassSite>();

  constructor(private readonly collected: Collected, private readonly imports: ImportTable) {
    for (const c of collected.classes) {
      let names = this.byOuter.get(c.outer.id);
      if (!names) {
        names = new Map();
        this.byOuter.set(c.outer.id, names);
      }
      names.set(c.name, c);
      this.byScope.set(c.scope.id, c);
    }
  }

  /** A class named `name` visible from `scope` (enclosing functions, then the module). */
  private localClass(name: string, scope: Scope): ClassSite | undefined {
    for (let s: Scope | null = scope, first = true; s; s = s.parent, first = false) {
      if (!first && s.kind === 'class') continue;
      const site = this.byOuter.get(s.id)?.get(name);
      if (site) return site;
    }
    return undefined;
  }

  /** The server class a callee names (`TCPServer`, `socketserver.TCPServer`, a local subclass), or null. */
  resolve(dotted: string, scope: Scope, depth = 0): ResolvedServer | null {
    if (depth > MAX_DEPTH) return null;
    if (!dotted.includes('.')) {
      const site = this.localClass(dotted, scope);
      if (site) return this.resolveLocal(site, depth);
    }
    const base = SERVER_CLASSES.get(this.imports.qualify(dotted));
    return base ? { base, chain: [], name: dotted } : null;
  }

  resolveSite(site: ClassSite): ResolvedServer | null {
    return this.resolveLocal(site, 0);
  }

  private resolveLocal(site: ClassSite, depth: number): ResolvedServer | null {
    for (const baseNode of site.bases) {
      const name = dottedName(baseNode);
      if (!name) continue;
      let resolved: ResolvedServer | null;
      if (name === site.name) {
        // `class TCPServer(socketserver.TCPServer)` style shadowing must not resolve to itself.
        const base = SERVER_CLASSES.get(this.imports.qualify(name));
        resolved = base ? { base, chain: [], name } : null;
      } else {
        resolved = this.resolve(name, site.outer, depth + 1);
      }
      if (resolved) return { base: resolved.base, chain: [site, ...resolved.chain], name: site.name };
    }
    return null;
  }

  /** The local class whose body is `scopeId`. */
  classOfScope(scopeId: number): ClassSite | undefined {
    return this.byScope.get(scopeId);
  }

  /** The definitions of a class attribute that win for this server: the most derived class that sets it. */
  attribute(server: ResolvedServer, name: string): { site: ClassSite; definitions: ClassAttribute[] } | null {
    for (const site of server.chain) {
      const definitions = site.attributes.get(name);
      if (definitions && definitions.length > 0) return { site, definitions };
    }
    return null;
  }

  /** How the most derived `__init__` override (if any) calls the base constructor. */
  initOverride(server: ResolvedServer): InitOverride {
    for (const site of server.chain) {
      const init = site.methods.get('__init__');
      if (!init) continue;
      const inits = this.collected.calls.filter((c) => c.scope === init && c.name === '__init__');
      const call = inits.find((c) => this.initCallKind(c, site) !== 'other');
      // `self.base.__init__(self, ...)`: some base constructor we cannot name; it may well bind.
      if (!call) return inits.length > 0 ? { kind: 'unknown' } : { kind: 'no-bind' };
      if (this.initCallKind(call, site) === 'base-server') return { kind: 'no-bind' };
      const args = callArguments(call.node);
      // `super().__init__(*args, **kwargs)` passes the caller's arguments on to the next __init__.
      if (args.hasSplat && args.positional.length === 0) continue;
      return { kind: 'base-call', call, args, offset: this.initCallKind(call, site) === 'super' ? 0 : 1 };
    }
    return { kind: 'none' };
  }

  /** super().__init__(...), Server.__init__(self, ...), BaseServer.__init__(self, ...), or a mixin's. */
  private initCallKind(call: CallSite, site: ClassSite): 'super' | 'server' | 'base-server' | 'other' {
    const receiver = calleeOf(call.node)?.receiver ?? null;
    if (receiver?.type === 'call' && receiver.childForFieldName('function')?.text === 'super') return 'super';
    const name = dottedName(receiver);
    if (!name) return 'other';
    if (/(^|\.)BaseServer$/.test(this.imports.qualify(name))) return 'base-server';
    return this.resolve(name, site.outer) ? 'server' : 'other';
  }
}

/** Address and bind_and_activate arguments of a socketserver constructor call. */
export function serverConstructorArguments(args: CallArguments, base: ServerClass, offset: number): { address: SyntaxNode | null; activate: SyntaxNode | null } {
  return {
    address: args.keywords.get('server_address') ?? args.positional[offset] ?? null,
    activate: args.keywords.get('bind_and_activate') ?? args.positional[offset + base.bindAndActivateIndex] ?? null,
  };
}
