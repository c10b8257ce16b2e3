// From the walk's record to socket facts: sockets are created by API calls, named by variables,
// and receive the calls made through those names (setsockopt, bind, listen...). Calls on names that
// no creation explains become sockets made elsewhere, when they bind an address or set a reuse option.
import type { BindFact, ConstantFact, FileFacts, OptionFact, SocketFact, SocketRole } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import type { AttributeSet, CallSite, ClassSite, Collected } from './collect';
import { creationFor, plainSocket, type BuildContext } from './creations';
import { DISPATCHER_MARKERS, DispatcherFamilies } from './dispatchers';
import { CLIENT_METHODS, RECEIVE_METHODS, SERVER_METHODS } from './runtimeDefaults';
import { variableKey, type Scope } from './scopes';
import { completeServer, type ServerHook } from './serverFacts';
import { readSetsockopt, recordSetsockopt } from './socketOptions';
import { newRecord, type OptionDraft, type SocketRecord } from './socketRecords';
import { callArguments, calleeOf, dottedName, unwrap } from './syntax';
import { isMulticastHost, type HostInfo } from './values';

const SOCKET_METHODS = new Set(['setsockopt', 'bind', 'server_bind', 'joinGroup', ...SERVER_METHODS, ...CLIENT_METHODS, ...RECEIVE_METHODS]);
const MAX_ALIAS_DEPTH = 8;

type Entry = { start: number; scope: Scope; record: SocketRecord } | { start: number; scope: Scope; aliasOf: string };


export class FactBuilder {
  private readonly records: SocketRecord[] = [];
  private readonly entries = new Map<string, Entry[]>();
  private readonly hooks = new Map<ClassSite, ServerHook[]>();
  private readonly classPatches: AttributeSet[] = [];
  /** Some socket whose creation we did not see joins a multicast group. */
  private unresolvedGroup = false;
  /** The record behind each emitted SocketFact, for fixes that need to know the API and its syntax. */
  readonly recordsById = new Map<string, SocketRecord>();

  /** asyncore-style classes, read only when the file calls the dispatcher API at all. */
  private readonly dispatchers: DispatcherFamilies | null;

  constructor(private readonly ctx: BuildContext) {
    const usesDispatchers = ctx.collected.calls.some((c) => c.receiver === 'self' && DISPATCHER_MARKERS.has(c.name));
    this.dispatchers = usesDispatchers ? new DispatcherFamilies(ctx.collected, ctx.imports) : null;
  }

  private get collected(): Collected {
    return this.ctx.collected;
  }

  build(): FileFacts {
    const served: { node: SyntaxNode; scope: Scope; start: number }[] = [];
    for (const call of this.collected.calls) {
      const creation = creationFor(call, this.ctx);
      if (!creation) continue;
      if (creation.servedSocket) {
        // A server built on a socket made elsewhere binds nothing itself; that socket serves.
        served.push({ node: creation.servedSocket, scope: call.scope, start: call.node.startIndex });
        continue;
      }
      this.records.push(creation.record);
      if (call.target) this.addEntry(call.target, call.scope, { start: call.node.startIndex, scope: call.scope, record: creation.record });
    }
    for (const alias of this.collected.aliases) {
      const source = variableKey(alias.source, alias.scope);
      if (source) this.addEntry(alias.target, alias.scope, { start: alias.start, scope: alias.scope, aliasOf: source });
    }
    this.applySocketCalls();
    for (const s of served) {
      const record = this.lookupDotted(s.node.text, s.scope, s.start);
      if (record) record.hints.add('serve');
    }
    this.applyWrapSocketHints();
    this.applyReuseHelpers();
    this.applyAttributeSets();
    const facts: FileFacts = { sockets: [], options: [], binds: [], constants: this.constants() };
    for (const record of this.records) this.emit(record, facts);
    return facts;
  }

  private addEntry(dotted: string, scope: Scope, entry: Entry): void {
    const key = variableKey(dotted, scope);
    if (!key) return;
    const list = this.entries.get(key);
    if (list) list.push(entry);
    else this.entries.set(key, [entry]);
  }

  private lookupDotted(dotted: string, scope: Scope, at: number): SocketRecord | null {
    const key = variableKey(dotted, scope);
    return key ? this.lookup(key, scope, at, 0) : null;
  }

  /** The socket a variable holds at `at`: the latest assignment before it in the same function, else the nearest. */
  private lookup(key: string, scope: Scope, at: number, depth: number): SocketRecord | null {
    if (depth > MAX_ALIAS_DEPTH) return null;
    const list = this.entries.get(key);
    if (!list || list.length === 0) return null;
    // Resolving an alias looks strictly before it: `a = b` then `b = a` must not chase itself.
    const earlier = list.filter((e) => (depth === 0 ? e.start <= at : e.start < at));
    const entry = earlier.filter((e) => e.scope === scope).pop() ?? earlier.pop() ?? (depth === 0 ? list[0] : undefined);
    if (!entry) return null;
    if ('record' in entry) return entry.record;
    return this.lookup(entry.aliasOf, entry.scope, entry.start, depth + 1);
  }

  private applySocketCalls(): void {
    const pending = new Map<string, { calls: CallSite[]; create: boolean; dispatcher: boolean }>();
    for (const call of this.collected.calls) {
      if (!call.receiver) continue;
      const dispatcherKey = this.dispatchers?.keyOf(call) ?? null;
      if (!SOCKET_METHODS.has(call.name) && !(dispatcherKey !== null && DISPATCHER_MARKERS.has(call.name))) continue;
      // The body of a set_reuse_addr override is read where it is called.
      if (dispatcherKey !== null && this.dispatchers?.insideOverride(call.scope)) continue;
      const key = dispatcherKey ?? variableKey(call.receiver, call.scope);
      if (!key) continue;
      const record = this.lookup(key, call.scope, call.node.startIndex, 0);
      if (record) {
        this.applyCall(record, call);
        continue;
      }
      if (dispatcherKey === null && this.serverHook(call)) continue;
      const group = pending.get(key) ?? { calls: [], create: false, dispatcher: dispatcherKey !== null };
      group.calls.push(call);
      if (this.makesImplicitSocket(call) || (dispatcherKey !== null && DISPATCHER_MARKERS.has(call.name))) group.create = true;
      pending.set(key, group);
    }
    for (const group of pending.values()) {
      const first = group.calls[0];
      if (!first) continue;
      if (!group.create) {
        if (group.calls.some((c) => c.name === 'setsockopt' && this.readOption(c).kind === 'group')) this.unresolvedGroup = true;
        continue;
      }
      const record = group.dispatcher ? this.dispatcherRecord(group.calls, first) : newRecord('implicit', 'socket', first.node, first.scope, first.receiver, 'unknown');
      if (!group.dispatcher) record.familyKnown = false;
      this.records.push(record);
      for (const call of group.calls) this.applyCall(record, call);
      if (record.protocol === 'unknown' && record.hints.has('listen')) record.protocol = 'tcp';
    }
  }

  /** The socket of an asyncore-style dispatcher: family and type from its `self.create_socket(...)` call. */
  private dispatcherRecord(calls: CallSite[], first: CallSite): SocketRecord {
    const create = calls.find((c) => c.name === 'create_socket');
    const made = create ? plainSocket(create, this.ctx)?.record : undefined;
    const record = newRecord('implicit', 'asyncore.dispatcher', first.node, first.scope, 'self.socket', made?.protocol ?? 'unknown');
    record.familyKnown = made?.familyKnown ?? false;
    record.nonIp = made?.nonIp ?? false;
    return record;
  }

  /** `self.set_reuse_addr()` on a dispatcher: SO_REUSEADDR where the method (or its override) sets it. */
  private applyDispatcherReuse(record: SocketRecord, call: CallSite): void {
    for (const reuse of this.dispatchers?.reuseOf(call, this.ctx.guards, this.ctx.evaluator) ?? []) {
      record.options.push({ option: reuse.option, enabled: reuse.enabled, node: call.node, scope: call.scope, platforms: reuse.platforms });
    }
  }

  private readOption(call: CallSite): ReturnType<typeof readSetsockopt> {
    return readSetsockopt(call.node, call.scope, this.ctx.evaluator, this.ctx.guards);
  }

  /** Calls on an unknown name that show it is an IP socket: a (host, port) bind or a reuse option. */
  private makesImplicitSocket(call: CallSite): boolean {
    if (call.name === 'setsockopt') return this.readOption(call).kind === 'reuse';
    if (call.name !== 'bind') return false;
    const args = callArguments(call.node);
    if (args.positional.length !== 1 || args.keywords.size > 0) return false;
    return this.ctx.evaluator.evaluate(args.positional[0], call.scope)?.kind === 'seq';
  }

  /** setsockopt on `self.socket`, inside a method of a server subclass, configures every instance. */
  private serverHook(call: CallSite): boolean {
    if (call.receiver !== 'self.socket' || call.name !== 'setsockopt') return false;
    const site = this.serverClassAround(call.scope);
    if (!site) return false;
    this.addHook(site, { node: call.node, scope: call.scope, call });
    return true;
  }

  private serverClassAround(scope: Scope): ClassSite | null {
    const cls = scope.kind === 'function' ? scope.parent : null;
    if (!cls || cls.kind !== 'class') return null;
    const site = this.ctx.servers.classOfScope(cls.id);
    return site && this.ctx.servers.resolveSite(site) ? site : null;
  }

  private addHook(site: ClassSite, hook: ServerHook): void {
    const list = this.hooks.get(site);
    if (list) list.push(hook);
    else this.hooks.set(site, [hook]);
  }

  private applyCall(record: SocketRecord, call: CallSite): void {
    const name = call.name;
    if (name === 'setsockopt') recordSetsockopt(this.ctx, record, call.node, call.scope);
    else if (name === 'bind') this.applyBind(record, call);
    else if (name === 'server_bind') record.serverBindCalls.push(call);
    else if (name === 'joinGroup') record.multicast = true;
    else if (name === 'set_reuse_addr') this.applyDispatcherReuse(record, call);
    else if (SERVER_METHODS.has(name)) record.hints.add('listen');
    else if (CLIENT_METHODS.has(name)) record.hints.add('connect');
    else if (RECEIVE_METHODS.has(name)) record.hints.add('receive');
  }

  private applyBind(record: SocketRecord, call: CallSite): void {
    if (record.kind !== 'socket' && record.kind !== 'implicit') return;
    const args = callArguments(call.node);
    if (args.positional.length !== 1) return;
    const value = this.ctx.evaluator.evaluate(args.positional[0], call.scope);
    if (value?.kind === 'str') {
      // A path: AF_UNIX.
      record.nonIp = true;
      return;
    }
    let host: HostInfo = { host: null, hostKind: 'unknown', explicitWildcard: false };
    let port: number | null = null;
    const tuple = value?.kind === 'seq';
    if (value?.kind === 'seq') {
      host = this.ctx.evaluator.host(value.items[0], value.scope);
      port = this.ctx.evaluator.port(value.items[1], value.scope);
    }
    if (isMulticastHost(host.host)) record.multicast = true;
    const fails = this.ctx.guards.expectsFailure(call.node) || (value?.kind === 'seq' && this.ctx.evaluator.invalidPort(value.items[1], value.scope));
    record.binds.push({ node: call.node, scope: call.scope, host, port, tuple, implicit: {}, bindsAtCreation: false, fails });
  }

  /** `ctx.wrap_socket(s, server_side=True)` serves on `s`. */
  private applyWrapSocketHints(): void {
    for (const call of this.collected.calls) {
      if (call.name !== 'wrap_socket') continue;
      const args = callArguments(call.node);
      const sock = args.positional[0];
      if (!sock || args.keywords.get('server_side')?.type !== 'true') continue;
      const record = this.lookupDotted(sock.text, call.scope, call.node.startIndex);
      if (record) record.hints.add('serve');
    }
  }

  /** `_set_reuseport(sock)`: a helper sets reuse where we cannot see, so its absence is no finding. */
  private applyReuseHelpers(): void {
    for (const call of this.collected.calls) {
      if (!/reuse/i.test(call.name) || call.name === 'setsockopt') continue;
      for (const arg of callArguments(call.node).positional) {
        const name = dottedName(arg);
        const record = name ? this.lookupDotted(name, call.scope, call.node.startIndex) : null;
        if (record) record.configurable = true;
      }
    }
  }

  /** `srv.allow_reuse_address = ...` on an instance, `Class.allow_reuse_address = ...`, or `self.` in a subclass. */
  private applyAttributeSets(): void {
    for (const set of this.collected.attributeSets) {
      if (set.attribute !== 'allow_reuse_address' && set.attribute !== 'allow_reuse_port') continue;
      if (set.object === 'self') {
        const site = this.serverClassAround(set.scope);
        if (site) this.addHook(site, { node: set.node, scope: set.scope, set });
        continue;
      }
      const record = this.lookupDotted(set.object, set.scope, set.node.startIndex);
      if (record?.kind === 'server') record.instanceSets.push(set);
      else if (!record && this.ctx.servers.resolve(set.object, set.scope)) this.classPatches.push(set);
    }
  }

  private constants(): ConstantFact[] {
    const out: ConstantFact[] = [];
    for (const { node, name, value } of this.collected.constantAssignments) {
      let valueNode = unwrap(value) ?? value;
      if (valueNode.type === 'call' && calleeOf(valueNode)?.name === 'getattr') {
        // getattr(socket, "SO_EXCLUSIVEADDRUSE", <fallback>): the fallback is hand-written.
        const fallback = callArguments(valueNode).positional[2];
        if (!fallback) continue;
        valueNode = fallback;
      }
      let computed: number | null = null;
      if (valueNode.type === 'unary_operator' && valueNode.childForFieldName('operator')?.text === '~' && /SO_REUSEADDR$/.test(valueNode.childForFieldName('argument')?.text ?? '')) {
        computed = -5;
      } else {
        const v = this.ctx.evaluator.evaluate(valueNode, this.ctx.collected.moduleScope);
        if (v?.kind === 'int') computed = v.value;
        else continue;
      }
      out.push({ name, value: computed, span: { start: node.startIndex, end: node.endIndex }, valueSpan: { start: valueNode.startIndex, end: valueNode.endIndex } });
    }
    return out;
  }

  // ---- emitting facts -------------------------------------------------------------------------

  private emit(record: SocketRecord, facts: FileFacts): void {
    if (record.nonIp) return;
    if (record.kind === 'server') completeServer(this.ctx, record, this.hooks, this.classPatches);
    const bound = record.binds.length > 0;
    record.binds = record.binds.filter((b) => !b.fails);
    // A socket whose every bind is expected to fail (`with assertRaises(...)`) takes its options along.
    if (bound && record.binds.length === 0) return;
    if (record.binds.length === 0 && record.options.length === 0) return;
    if (this.unresolvedGroup && record.protocol === 'udp') record.multicast = true;
    // Sharing decided by a caller's flag: neither a missing option nor a group receiver of ours.
    if (record.configurable && !record.options.some((o) => o.enabled && o.option !== 'exclusiveaddruse')) record.multicast = false;
    const span = { start: record.node.startIndex, end: record.node.endIndex };
    const id = `${record.variable ?? record.api}@${span.start}`;
    const socket: SocketFact = { id, protocol: record.protocol, role: this.roleOf(record), api: record.api, span, multicast: record.multicast };
    this.recordsById.set(id, record);
    if (record.variable) socket.variable = record.variable;
    facts.sockets.push(socket);
    for (const bind of record.binds) {
      const fact: BindFact = {
        socketId: id,
        span: { start: bind.node.startIndex, end: bind.node.endIndex },
        port: bind.port,
        host: bind.host.host,
        hostKind: bind.host.hostKind,
        explicitWildcard: bind.host.explicitWildcard,
        platforms: this.ctx.guards.platformsOf(bind.node),
        implicit: bind.implicit,
        bindsAtCreation: bind.bindsAtCreation,
      };
      facts.binds.push(fact);
    }
    for (const option of record.options) {
      if (option.platforms.length === 0) continue;
      const fact: OptionFact = {
        socketId: id,
        option: option.option,
        enabled: option.enabled,
        span: { start: option.node.startIndex, end: option.node.endIndex },
        platforms: option.platforms,
        timing: option.timing ?? this.timingOf(record, option),
      };
      if (option.unsupportedOn) fact.unsupportedOn = option.unsupportedOn;
      facts.options.push(fact);
    }
  }

  /** Set after a bind in the same function with no later bind to retry: too late. */
  private timingOf(record: SocketRecord, option: OptionDraft): 'before' | 'after' {
    const start = option.node.startIndex;
    const binds = record.binds.filter((b) => b.scope === option.scope && !b.bindsAtCreation);
    const bound = binds.some((b) => b.node.startIndex < start);
    const rebound = binds.some((b) => b.node.startIndex > start);
    return bound && !rebound ? 'after' : 'before';
  }

  private roleOf(record: SocketRecord): SocketRole {
    if (record.fixedRole) return record.fixedRole;
    const hasReuse = record.options.some((o) => o.enabled && o.option !== 'exclusiveaddruse');
    // A reuse option that follows a caller's flag: whether it is missing is the caller's business.
    if (record.configurable && !hasReuse) return 'unknown';
    // Family unknown and no (host, port) address seen: it may be an AF_UNIX socket.
    if (!record.familyKnown && !record.binds.some((b) => b.tuple)) return 'unknown';
    if (record.hints.has('listen') || record.hints.has('serve')) return 'server';
    if (record.hints.has('connect')) return 'client';
    if (record.protocol === 'udp' && record.binds.length > 0 && (record.hints.has('receive') || record.multicast)) return 'server';
    return 'unknown';
  }
}
