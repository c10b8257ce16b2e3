// From socket events listed in source order to socket facts. An adapter reports what it sees on each
// socket variable (created, option set, bound, listened on, passed to unknown code...) and this module
// decides the socket instances, their role, and whether each option comes before or after the bind.
import type {
  BindFact, FileFacts, HostKind, OptionFact, Platform, Protocol, ReuseOption, SocketFact, SocketRole, Span,
} from '../../analysis/facts';
import { emptyFacts } from '../../analysis/facts';

interface EventBase {
  /**
   * Which socket variable, written `scope|expression` (e.g. `f@120|fd`, `file|this->sock`): locals should
   * be qualified by their function so names do not collide. The part after `|` names the variable.
   */
  key: string;
  /** Ordering position (usually the span start, or the call site for code expanded from a helper). */
  at: number;
  /** The function (or other straight-line body) holding the event; "after bind" is only judged inside one. */
  scope: string;
}

export interface CreateEvent extends EventBase {
  kind: 'create';
  span: Span;
  protocol: Protocol;
  api: string;
  variable?: string;
  /** A role the API implies (an acceptor, a TcpListener), overriding what the uses suggest. */
  role?: SocketRole;
  /** Not an IP socket (AF_UNIX...): dropped with everything done to it. */
  notIp?: boolean;
}

export interface OptionEvent extends EventBase {
  kind: 'option';
  span: Span;
  option: ReuseOption;
  enabled: boolean;
  platforms: Platform[];
  /** Set by the call that binds (a flag argument): always before. */
  atBind?: boolean;
  unsupportedOn?: Platform[];
}

export interface BindEvent extends EventBase {
  kind: 'bind';
  span: Span;
  port: number | null;
  host: string | null;
  hostKind: HostKind;
  explicitWildcard: boolean;
  platforms: Platform[];
  implicit: Partial<Record<Platform, ReuseOption[]>>;
  bindsAtCreation: boolean;
  /** The address bound is a multicast group. */
  groupAddress?: boolean;
}

export type SocketUse = 'listen' | 'accept' | 'connect' | 'receive' | 'multicast' | 'escape';

export interface UseEvent extends EventBase {
  kind: 'use';
  use: SocketUse;
}

export type SocketEvent = CreateEvent | OptionEvent | BindEvent | UseEvent;

interface Instance {
  create: CreateEvent | undefined;
  events: SocketEvent[];
}

/** Builds facts; `fallbackApi` names sockets whose creation is not visible (parameters, fields). */
export function factsFromEvents(events: readonly SocketEvent[], fallbackApi: string): FileFacts {
  const facts = emptyFacts();
  const byKey = new Map<string, SocketEvent[]>();
  events.forEach((e) => {
    const list = byKey.get(e.key);
    if (list) list.push(e);
    else byKey.set(e.key, [e]);
  });
  const usedIds = new Set<string>();
  for (const list of byKey.values()) {
    const sorted = list.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
    for (const instance of splitInstances(sorted)) {
      if (instance.create?.notIp) continue;
      emitInstance(instance, fallbackApi, facts, usedIds);
    }
  }
  return facts;
}

function splitInstances(sorted: readonly SocketEvent[]): Instance[] {
  const creates = sorted.filter((e): e is CreateEvent => e.kind === 'create');
  if (creates.length <= 1) return [{ create: creates[0], events: sorted.filter((e) => e.kind !== 'create') }];
  const instances: Instance[] = creates.map((c) => ({ create: c, events: [] }));
  for (const e of sorted) {
    if (e.kind === 'create') continue;
    let owner = instances[0];
    for (const inst of instances) if (inst.create && inst.create.at <= e.at) owner = inst;
    owner?.events.push(e);
  }
  return instances;
}

function emitInstance(instance: Instance, fallbackApi: string, facts: FileFacts, usedIds: Set<string>): void {
  const binds = instance.events.filter((e): e is BindEvent => e.kind === 'bind');
  const options = instance.events.filter((e): e is OptionEvent => e.kind === 'option');
  if (binds.length === 0 && options.length === 0) return;
  const uses = instance.events.filter((e): e is UseEvent => e.kind === 'use');
  const has = (u: SocketUse): boolean => uses.some((e) => e.use === u);
  const firstBind = binds[0];
  const create = instance.create;
  const escapedEarly = uses.some((u) => u.use === 'escape' && (!firstBind || u.at <= firstBind.at || u.scope !== firstBind.scope));
  let protocol: Protocol = create?.protocol ?? 'unknown';
  // Code we cannot see might join a group: a UDP socket handed to it is neither unicast nor multicast for sure.
  if (protocol === 'udp' && uses.some((u) => u.use === 'escape') && !has('multicast')) protocol = 'unknown';
  let role: SocketRole;
  if (!create) role = 'unknown';
  else if (create.role) role = create.role;
  else if (has('listen') || has('accept')) role = escapedEarly ? 'unknown' : 'server';
  else if (has('connect')) role = 'client';
  else if (protocol === 'udp' && has('receive') && firstBind) role = 'server';
  else role = 'unknown';

  const first = create ?? firstBind ?? options[0];
  if (!first) return;
  const variable = create?.variable ?? displayName(first.key);
  let id = `${variable ?? 'socket'}@${first.span.start}`;
  for (let n = 2; usedIds.has(id); n++) id = `${variable ?? 'socket'}@${first.span.start}#${n}`;
  usedIds.add(id);
  const socket: SocketFact = {
    id,
    protocol,
    role,
    api: create?.api ?? fallbackApi,
    span: create?.span ?? first.span,
    multicast: has('multicast') || binds.some((b) => b.groupAddress === true),
  };
  if (variable) socket.variable = variable;
  facts.sockets.push(socket);

  const atCreation = binds.some((b) => b.bindsAtCreation);
  for (const o of options) {
    const fact: OptionFact = {
      socketId: id,
      option: o.option,
      enabled: o.enabled,
      span: o.span,
      platforms: o.platforms,
      timing: optionTiming(o, binds, atCreation),
    };
    if (o.unsupportedOn) fact.unsupportedOn = o.unsupportedOn;
    facts.options.push(fact);
  }
  for (const b of binds) {
    const fact: BindFact = {
      socketId: id,
      span: b.span,
      port: b.port,
      host: b.host,
      hostKind: b.hostKind,
      explicitWildcard: b.explicitWildcard,
      platforms: b.platforms,
      implicit: b.implicit,
      bindsAtCreation: b.bindsAtCreation,
    };
    facts.binds.push(fact);
  }
}

/**
 * After: the socket binds at creation, or a bind of the same body comes earlier and none later
 * (a later one means branches, e.g. bind in `if`, set option + bind in `else`).
 */
function optionTiming(o: OptionEvent, binds: readonly BindEvent[], atCreation: boolean): 'before' | 'after' {
  if (o.atBind) return 'before';
  if (atCreation) return 'after';
  const local = binds.filter((b) => b.scope === o.scope);
  const earlier = local.some((b) => b.at < o.at);
  const later = local.some((b) => b.at > o.at);
  return earlier && !later ? 'after' : 'before';
}

function displayName(key: string): string | undefined {
  const name = key.slice(key.indexOf('|') + 1);
  // Keys made up for sockets without a variable (`qt#120`) name nothing.
  return name === '' || name.includes('#') ? undefined : name;
}
