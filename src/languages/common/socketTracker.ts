// Collects sockets, options and binds while an adapter walks a file, then settles what needs the
// whole file: which socket a variable refers to, whether an option comes before or after the bind,
// and the socket's role from what the code does with it (listen, connect, receive).
import type { BindFact, ConstantFact, FileFacts, OptionFact, Protocol, SocketFact, SocketRole, Span } from '../../analysis/facts';

export interface SocketInit {
  protocol: Protocol;
  api: string;
  span: Span;
  /** The variable as written ("ss", "this.ss", "@server", "$s"); fixes use it. */
  variable?: string;
  /** Normalised name used to find the socket again ("ss" for both `ss` and `this.ss`). */
  key?: string;
  /** Scope the key lives in (function, class or file), as the adapter names scopes. */
  scope: string;
  /** Role fixed by the API (ServerSocket is a server); otherwise inferred from use. */
  role?: SocketRole;
  multicast?: boolean;
}

export interface TrackedSocket {
  readonly fact: SocketFact;
  readonly key: string | undefined;
  readonly scope: string;
  readonly fixedRole: SocketRole | undefined;
  listens: boolean;
  connects: boolean;
  receives: boolean;
}

export type OptionInit = Omit<OptionFact, 'socketId' | 'timing'> & {
  timing?: OptionFact['timing'];
  /** The function the call is in (any stable id); text order only means run order inside one function. */
  where?: string;
};

export class SocketTracker {
  readonly sockets: TrackedSocket[] = [];
  readonly constants: ConstantFact[] = [];
  private readonly options: { socket: TrackedSocket; init: OptionInit }[] = [];
  private readonly binds: BindFact[] = [];
  private readonly bindPlaces = new Map<BindFact, string | undefined>();

  add(init: SocketInit): TrackedSocket {
    const fact: SocketFact = {
      id: `s@${init.span.start}`,
      protocol: init.protocol,
      role: init.role ?? 'unknown',
      api: init.api,
      span: init.span,
      multicast: init.multicast ?? false,
    };
    if (init.variable !== undefined) fact.variable = init.variable;
    // Two sockets made by one expression (rare) still get distinct ids.
    while (this.sockets.some((s) => s.fact.id === fact.id)) fact.id += "'";
    const tracked: TrackedSocket = { fact, key: init.key, scope: init.scope, fixedRole: init.role, listens: false, connects: false, receives: false };
    this.sockets.push(tracked);
    return tracked;
  }

  /**
   * The socket a name refers to at `offset`: the innermost scope that has one wins; inside it, the last
   * assignment at or before the offset, else the first after (a field set up in a later method).
   */
  lookup(key: string, scopes: readonly string[], offset: number): TrackedSocket | undefined {
    for (const scope of scopes) {
      const candidates = this.sockets.filter((s) => s.key === key && s.scope === scope);
      if (candidates.length === 0) continue;
      const before = candidates.filter((s) => s.fact.span.start <= offset);
      return before[before.length - 1] ?? candidates[0];
    }
    return undefined;
  }

  option(socket: TrackedSocket, init: OptionInit): void {
    this.options.push({ socket, init });
  }

  bind(socket: TrackedSocket, bind: Omit<BindFact, 'socketId'>, where?: string): BindFact {
    const fact: BindFact = { ...bind, socketId: socket.fact.id };
    this.binds.push(fact);
    this.bindPlaces.set(fact, where);
    return fact;
  }

  bindsOf(socket: TrackedSocket): BindFact[] {
    return this.binds.filter((b) => b.socketId === socket.fact.id);
  }

  /** Settles timing and roles. `adjust` may refine a bind's implicit options once all options are known. */
  finish(adjust?: (socket: TrackedSocket, bind: BindFact, options: readonly OptionFact[]) => void): FileFacts {
    const options: OptionFact[] = this.options.map(({ socket, init }) => {
      const { timing, where, ...rest } = init;
      return { ...rest, socketId: socket.fact.id, timing: timing ?? this.timingOf(socket, init.span, where) };
    });
    for (const socket of this.sockets) socket.fact.role = this.roleOf(socket);
    if (adjust) {
      for (const bind of this.binds) {
        const socket = this.sockets.find((s) => s.fact.id === bind.socketId);
        if (socket) adjust(socket, bind, options.filter((o) => o.socketId === bind.socketId));
      }
    }
    const byStart = <T extends { span: Span }>(a: T, b: T): number => a.span.start - b.span.start;
    return {
      sockets: this.sockets.map((s) => s.fact).sort(byStart),
      options: options.sort(byStart),
      binds: [...this.binds].sort(byStart),
      constants: [...this.constants].sort(byStart),
    };
  }

  /**
   * A call on a socket that binds as it is created always comes after that bind. Against an explicit
   * bind, text order tells run order only inside one function; across functions the order is unknown
   * and the option is taken as set in time (no reuse-after-bind guess).
   */
  private timingOf(socket: TrackedSocket, span: Span, where: string | undefined): OptionFact['timing'] {
    const binds = this.bindsOf(socket);
    if (binds.some((b) => b.bindsAtCreation)) return 'after';
    const comparable = binds.filter((b) => where === undefined || this.bindPlaces.get(b) === undefined || this.bindPlaces.get(b) === where);
    if (comparable.length === 0) return 'before';
    const first = Math.min(...comparable.map((b) => b.span.start));
    return span.start > first ? 'after' : 'before';
  }

  private roleOf(socket: TrackedSocket): SocketRole {
    if (socket.fixedRole) return socket.fixedRole;
    if (socket.listens) return 'server';
    if (socket.connects) return 'client';
    const binds = this.bindsOf(socket);
    if (socket.fact.protocol === 'udp' && binds.length > 0) {
      if (binds.every((b) => b.port === 0)) return 'client';
      if (socket.fact.multicast || socket.receives || binds.some((b) => b.port !== null)) return 'server';
    }
    return 'unknown';
  }
}
