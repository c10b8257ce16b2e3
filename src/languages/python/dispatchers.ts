// asyncore-style dispatchers: a class whose instances own one socket, made by `self.create_socket(...)`
// (or handed over by `self.set_socket(sock)`), configured by `self.set_reuse_addr()` and bound by
// `self.bind(...)`. asyncore.dispatcher.set_reuse_addr sets SO_REUSEADDR on every OS, Windows included;
// a class in the file may override it (pyftpdlib makes it a no-op on Windows), and then its body says
// what happens.
import { ALL_PLATFORMS, type Platform, type ReuseOption } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import type { CallSite, ClassSite, Collected } from './collect';
import type { ImportTable } from './imports';
import type { PythonGuards } from './platformGuards';
import type { Scope } from './scopes';
import { readSetsockopt } from './socketOptions';
import type { Evaluator } from './values';

/** Calls that show a class is a dispatcher: it makes or adopts its socket through the dispatcher API. */
export const DISPATCHER_MARKERS = new Set(['create_socket', 'set_socket', 'set_reuse_addr']);
/** The stdlib dispatcher and its copies (waitress's wasyncore, the pyasyncore backport's asyncore). */
const KNOWN_DISPATCHER = /(?:^|\.)(?:asyncore\.dispatcher(?:_with_send)?|asynchat\.async_chat|wasyncore\.dispatcher)$/;
const MAX_DEPTH = 12;

export interface DispatcherReuse {
  option: ReuseOption;
  enabled: boolean;
  platforms: Platform[];
}

interface Family {
  /** The top in-file class of the hierarchy: every class of the family shares its socket record key. */
  root: ClassSite;
  /** A base outside the file is the stdlib dispatcher (so set_reuse_addr's behaviour is known). */
  knownBase: boolean;
}

export class DispatcherFamilies {
  private readonly byScope = new Map<number, ClassSite>();
  private readonly parentOf = new Map<ClassSite, ClassSite | null>();
  private readonly families = new Map<ClassSite, Family | null>();
  private readonly marked = new Set<ClassSite>();

  constructor(private readonly collected: Collected, private readonly imports: ImportTable) {
    const byName = new Map<string, ClassSite>();
    for (const c of collected.classes) {
      this.byScope.set(c.scope.id, c);
      byName.set(c.name, c);
    }
    for (const c of collected.classes) {
      const local = c.bases.map((b) => byName.get(b.text)).find((b) => b !== undefined && b !== c);
      this.parentOf.set(c, local ?? null);
    }
    for (const call of collected.calls) {
      if (call.receiver !== 'self' || !DISPATCHER_MARKERS.has(call.name)) continue;
      const site = this.classOf(call.scope);
      if (site) this.marked.add(site);
    }
  }

  /** The class whose method `scope` is (or is nested in). */
  classOf(scope: Scope): ClassSite | null {
    const cls = scope.enclosingClass();
    return cls ? (this.byScope.get(cls.id) ?? null) : null;
  }

  /** The chain from a class up to its top in-file base. */
  private chain(site: ClassSite): ClassSite[] {
    const out: ClassSite[] = [];
    for (let c: ClassSite | null = site; c && out.length < MAX_DEPTH && !out.includes(c); c = this.parentOf.get(c) ?? null) out.push(c);
    return out;
  }

  /** The dispatcher family a class belongs to, or null when it is no dispatcher. */
  familyOf(site: ClassSite): Family | null {
    if (this.families.has(site)) return this.families.get(site) ?? null;
    const chain = this.chain(site);
    const root = chain[chain.length - 1] ?? site;
    const knownBase = chain.some((c) => c.bases.some((b) => KNOWN_DISPATCHER.test(this.imports.qualify(b.text.replace(/\s+/g, '')))));
    // Any class of the family (the root's descendants included) using the dispatcher API marks it.
    const members = this.collected.classes.filter((c) => this.chain(c).includes(root));
    const family = knownBase || members.some((c) => this.marked.has(c)) ? { root, knownBase } : null;
    this.families.set(site, family);
    return family;
  }

  /** The socket record key of `self` calls in a dispatcher's methods, or null for other classes. */
  keyOf(call: CallSite): string | null {
    if (call.receiver !== 'self' && call.receiver !== 'self.socket') return null;
    const site = this.classOf(call.scope);
    const family = site ? this.familyOf(site) : null;
    return family ? `dispatcher:${family.root.scope.id}` : null;
  }

  /** Inside the body of a `set_reuse_addr` override: read through the calls to it, not on its own. */
  insideOverride(scope: Scope): boolean {
    for (let s: Scope | null = scope; s && s.kind === 'function'; s = s.parent) {
      if (s.name === 'set_reuse_addr' && this.classOf(s) !== null) return true;
    }
    return false;
  }

  /**
   * What `self.set_reuse_addr()` does, per platform. An override in the calling class or one of its
   * in-file bases applies where its definition runs (a `def` under `if os.name == 'nt':` overrides on
   * Windows only); elsewhere the inherited method sets SO_REUSEADDR: everywhere for the stdlib
   * dispatcher, on Unix only when the base lies outside the file (it may skip Windows, as pyftpdlib does).
   */
  reuseOf(call: CallSite, guards: PythonGuards, evaluator: Evaluator): DispatcherReuse[] {
    const site = this.classOf(call.scope);
    const family = site ? this.familyOf(site) : null;
    if (!site || !family) return [];
    const where = guards.platformsOf(call.node);
    const inherited: Platform[] = family.knownBase ? [...ALL_PLATFORMS] : ['linux', 'darwin'];
    const override = this.chain(site).map((c) => c.methods.get('set_reuse_addr')).find((m) => m !== undefined);
    if (!override) return [{ option: 'reuseaddr', enabled: true, platforms: intersect(where, inherited) }];
    const overridden = intersect(where, guards.platformsOf(override.node));
    const out: DispatcherReuse[] = [];
    const rest = where.filter((p) => !overridden.includes(p));
    if (rest.length > 0) out.push({ option: 'reuseaddr', enabled: true, platforms: intersect(rest, inherited) });
    for (const inner of this.collected.calls) {
      if (inner.scope !== override) continue;
      // `super().set_reuse_addr()` / `asyncore.dispatcher.set_reuse_addr(self)`: the base's behaviour.
      if (inner.name === 'set_reuse_addr') {
        out.push({ option: 'reuseaddr', enabled: true, platforms: intersect(intersect(overridden, guards.platformsOf(inner.node)), inherited) });
        continue;
      }
      if (inner.name !== 'setsockopt') continue;
      const read = readSetsockopt(inner.node, inner.scope, evaluator, guards);
      if (read.kind !== 'reuse' || read.enabled === null) continue;
      const runs = intersect(overridden, guards.platformsOf(inner.node));
      for (const choice of read.choices) {
        const base = intersect(runs, choice.platforms);
        const on = intersect(base, read.enabled.enabled);
        const off = intersect(base, read.enabled.disabled);
        if (on.length > 0) out.push({ option: choice.option, enabled: true, platforms: on });
        if (off.length > 0) out.push({ option: choice.option, enabled: false, platforms: off });
      }
    }
    return out.filter((o) => o.platforms.length > 0);
  }
}
