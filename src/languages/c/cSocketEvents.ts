// Socket events of a C/C++ file: BSD sockets and Winsock, libuv, Boost.Asio and Qt servers. Helper
// functions of the same file are followed: a helper that sets options on (or binds) a socket passed
// to it contributes those events at its call site, and a helper that returns a socket it created
// (when called once) continues in its caller.
import type { Platform, ReuseOption, Span } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import { optionFromConstant } from '../common/hostPort';
import type { BindEvent, SocketEvent } from '../common/socketEvents';
import type { SyntaxNode } from '../treeSitter';
import type { Endpoint } from './cAddress';
import { sockaddrEndpoint } from './cAddress';
import { ASIO_TYPE, readDeclaration, readFieldInitializer, readMethodCall, readNew, readAsioConstruction } from './cAsio';
import { endpointFields, assignmentTarget, type EventWriter, type KeyInfo, type Recorded, type Resolver, type Run } from './cEventWriter';
import { isQtListen, readLibevent, readLibuv, readQtListen } from './cLibraries';
import type { Binding, CProgram, Ctx, FnScope } from './cProgram';
import { callArguments, calleeName, calleeScope, callReceiver, expressionKey, rootIdentifier, unwrap } from './cSyntax';
import { familyOnlyUnix, isUnixAddress } from './cUnixDomain';

const MULTICAST_OPTIONS = /^(IP_ADD_MEMBERSHIP|IP_ADD_SOURCE_MEMBERSHIP|IPV6_ADD_MEMBERSHIP|IPV6_JOIN_GROUP|MCAST_JOIN_GROUP|MCAST_JOIN_SOURCE_GROUP|IP_MULTICAST_IF|IP_MULTICAST_TTL|IP_MULTICAST_LOOP|IPV6_MULTICAST_IF|IPV6_MULTICAST_HOPS|IPV6_MULTICAST_LOOP)$/;
const RECEIVE = /^(recvfrom|recv|recvmsg|recvmmsg|read|WSARecvFrom|WSARecv|WSARecvMsg)$/;
const HARMLESS = /^(close|closesocket|shutdown|fcntl|ioctl|ioctlsocket|getsockname|getpeername|getsockopt|select|poll|WSAPoll|epoll_ctl|kevent|send|sendto|sendmsg|write|writev|free|memset|memcpy|bzero|printf|fprintf|sprintf|snprintf|syslog|perror|puts|strerror|htons|htonl|ntohs|ntohl|inet_ntop|inet_ntoa|inet_pton|inet_addr|inet_aton|assert|exit|abort|freeaddrinfo|getaddrinfo|WSAEventSelect|WSAAsyncSelect|CreateIoCompletionPort|event_set|event_add|event_new|ev_io_init|ev_io_set|ev_io_start|uv_close|move|to_string|sizeof|std::move)$/;
const HARMLESS_WORDS = /nonblock|blocking|cloexec|close|log|print|debug|trace|error|warn|assert|fatal|die|panic|fail|report|errno/i;
const NOT_IP_FAMILY = /\b(AF_UNIX|AF_LOCAL|PF_UNIX|PF_LOCAL|AF_NETLINK|PF_NETLINK|AF_PACKET|PF_PACKET|AF_BLUETOOTH|AF_CAN|AF_VSOCK|AF_HYPERV)\b/;
const RELEVANT = /\b(socket|WSASocketW?|WSASocketA|setsockopt|bind|listen|accept\w*|connect|recv\w*|\w*receive\w*|uv_(?:tcp|udp|listen|accept)\w*|evconnlistener_new_bind|evhttp_bind_socket\w*|set_option|acceptor|QTcpServer|QSslServer|QWebSocketServer|QHostAddress|QUdpSocket|joinMulticastGroup|uWS|tcp|udp)\b/;

interface Summary {
  /** Every event of the function read on its own (no call-site values). */
  all: Recorded[];
  /** Events on sockets passed in: parameter position, the rest of the expression (`.fd`), the event. */
  params: { param: number; path: string; event: Recorded }[];
  /** Key of the local socket the helper creates and returns, and the events on it. */
  returnKey: string | null;
  returned: Recorded[];
}

interface CallSite {
  call: SyntaxNode;
  caller: FnScope;
}

const EMPTY_SUMMARY: Summary = { all: [], params: [], returnKey: null, returned: [] };

export class CSocketEvents implements EventWriter {
  private readonly summaries = new Map<FnScope, Summary>();
  private readonly callSites = new Map<FnScope, CallSite[]>();
  private anonymous = 0;

  constructor(readonly program: CProgram) {}

  collect(): SocketEvent[] {
    const relevant = this.relevantFunctions();
    for (const caller of relevant) {
      for (const call of caller.calls) {
        const target = this.helperOf(call);
        if (!target || target === caller) continue;
        const list = this.callSites.get(target);
        if (list) list.push({ call, caller });
        else this.callSites.set(target, [{ call, caller }]);
      }
    }
    const events: SocketEvent[] = [];
    for (const fn of relevant) {
      const sites = this.callSites.get(fn) ?? [];
      const summary = this.summaryOf(fn);
      const only = sites.length === 1 ? sites[0] : undefined;
      // A helper called once reads its parameters' values (ports, hosts) from that call.
      const own = only ? this.read(fn, this.envFor(fn, only.call, { fn: only.caller, at: only.call.startIndex, env: null, depth: 0 })) : summary.all;
      // What a helper does to sockets passed in, or to the socket it returns, is told at its call sites.
      const dropParams = sites.length > 0;
      const dropReturned = summary.returnKey !== null && sites.some((site) => assignmentTarget(site.call) !== null);
      const created = CSocketEvents.createdKeys(own);
      for (const e of own) {
        if (dropParams && this.paramOf(fn, e.key, created)) continue;
        if (dropReturned && e.key === summary.returnKey) continue;
        const { resolve: _resolve, resolveEnabled, ...event } = e;
        // An option whose value stays unknown (configuration) is neither on nor off: the socket's
        // options are then not all known.
        if (event.kind === 'option' && resolveEnabled) events.push({ kind: 'use', key: event.key, at: event.at, scope: event.scope, use: 'escape' });
        else events.push(event);
      }
    }
    events.push(...this.fileLevelEvents());
    return events;
  }

  /**
   * Functions worth reading: those that name a socket API, and those that call them (by name). The rest
   * of a large file is skipped without walking its calls.
   */
  private relevantFunctions(): FnScope[] {
    const text = this.program.text;
    const relevant = new Set<FnScope>();
    const callers = new Map<string, FnScope[]>();
    for (const fn of this.program.functions) {
      const body = text.slice(fn.start, fn.end);
      if (RELEVANT.test(body) || fn.fieldInitializers.length > 0) {
        relevant.add(fn);
        continue;
      }
      for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
        const name = m[1] ?? '';
        const list = callers.get(name);
        if (list) list.push(fn);
        else callers.set(name, [fn]);
      }
    }
    // Callers of relevant functions are relevant too (a walk up the call graph).
    const queue = [...relevant];
    for (let fn = queue.pop(); fn; fn = queue.pop()) {
      for (const caller of (fn.name ? callers.get(fn.name) : undefined) ?? []) {
        if (relevant.has(caller)) continue;
        relevant.add(caller);
        queue.push(caller);
      }
    }
    return this.program.functions.filter((f) => relevant.has(f));
  }

  private read(fn: FnScope, env: Map<string, Binding> | null): Recorded[] {
    const run: Run = { fn, ctx: { fn, at: fn.start, env, depth: 0 }, events: [] };
    for (const decl of fn.declarations) readDeclaration(this, run, decl);
    for (const init of fn.fieldInitializers) readFieldInitializer(this, run, init);
    for (const node of fn.news) readNew(this, run, node);
    for (const call of fn.calls) this.readCall(run, call);
    return run.events;
  }

  /** Parameter position and path when the key names a socket passed in (not one created here). */
  private paramOf(fn: FnScope, key: string, created: ReadonlySet<string>): { param: number; path: string } | null {
    if (!key.startsWith(`${fn.id}|`) || created.has(key)) return null;
    const expr = key.slice(key.indexOf('|') + 1);
    const name = /^[A-Za-z_]\w*/.exec(expr)?.[0] ?? '';
    const param = fn.params.indexOf(name);
    return param < 0 ? null : { param, path: expr.slice(name.length) };
  }

  private static createdKeys(events: readonly Recorded[]): Set<string> {
    return new Set(events.filter((e) => e.kind === 'create').map((e) => e.key));
  }

  private summaryOf(fn: FnScope): Summary {
    const known = this.summaries.get(fn);
    if (known) return known;
    // Recursion: while a summary is being computed the function counts as doing nothing.
    this.summaries.set(fn, EMPTY_SUMMARY);
    const all = this.read(fn, null);
    const created = CSocketEvents.createdKeys(all);
    const params: Summary['params'] = [];
    for (const event of all) {
      const found = this.paramOf(fn, event.key, created);
      if (found) params.push({ ...found, event });
    }
    let returnKey: string | null = null;
    for (const r of fn.returns) {
      const value = r.namedChildren.find((c) => c !== null && c.type !== 'comment');
      if (value?.type !== 'identifier' || fn.params.includes(value.text)) continue;
      const key = `${fn.id}|${value.text}`;
      if (all.some((e) => e.kind === 'create' && e.key === key)) returnKey = key;
    }
    const summary: Summary = { all, params, returnKey, returned: returnKey ? all.filter((e) => e.key === returnKey) : [] };
    this.summaries.set(fn, summary);
    return summary;
  }

  /** The in-file function a plain call invokes, when its name has exactly one definition. */
  private helperOf(call: SyntaxNode): FnScope | null {
    if (callReceiver(call)) return null;
    const defs = this.program.functionsByName.get(calleeName(call));
    return defs?.length === 1 ? (defs[0] ?? null) : null;
  }

  private envFor(fn: FnScope, call: SyntaxNode, ctx: Ctx): Map<string, Binding> {
    const env = new Map<string, Binding>();
    callArguments(call).forEach((arg, i) => {
      const name = fn.params[i];
      if (name) env.set(name, { node: arg, ctx });
    });
    return env;
  }

  // ----- keys -----

  keyOf(node: SyntaxNode, run: Run): KeyInfo {
    const expr = expressionKey(node).replace(/->/g, '.');
    const root = rootIdentifier(node);
    const fn = run.ctx.fn;
    if (root && fn?.locals.has(root)) return { key: `${fn.id}|${expr}` };
    // Members and globals: shared by the functions of one class (or by the free functions).
    return { key: `file:${fn?.owner ?? ''}|${expr}` };
  }

  ctxAt(run: Run, node: SyntaxNode): Ctx {
    return { ...run.ctx, at: node.startIndex };
  }

  platforms(_run: Run, node: SyntaxNode): Platform[] {
    return this.program.platformsOf(node);
  }

  push(run: Run, event: Recorded): void {
    run.events.push(event);
  }

  span(node: SyntaxNode): Span {
    return { start: node.startIndex, end: node.endIndex };
  }

  // ----- calls -----

  private readCall(run: Run, call: SyntaxNode): void {
    const receiver = callReceiver(call);
    if (receiver) {
      readMethodCall(this, run, call, receiver);
      return;
    }
    const name = calleeName(call);
    const scope = calleeScope(call);
    if (scope !== null && scope !== '') {
      this.readQualifiedCall(run, call, scope, name);
      return;
    }
    const args = callArguments(call);
    const first = args[0];
    switch (name) {
      case 'socket':
      case 'WSASocket':
      case 'WSASocketA':
      case 'WSASocketW':
        this.readSocketCall(run, call, name, args);
        return;
      case 'setsockopt':
        if (first) this.readSetsockopt(run, call, args);
        return;
      case 'bind':
        if (first && args.length === 3 && !/placeholders|\b_1\b/.test(call.text)) this.readBind(run, call, args);
        return;
      case 'listen':
        if (isQtListen(this, run, args)) readQtListen(this, run, call, args);
        else if (first && args.length === 2) this.use(run, first, 'listen', call);
        return;
      case 'accept':
      case 'accept4':
      case 'WSAAccept':
      case 'AcceptEx':
        if (first) this.use(run, first, 'accept', call);
        return;
      case 'connect':
      case 'WSAConnect':
        if (first && args.length >= 3) this.use(run, first, 'connect', call);
        return;
      default:
        break;
    }
    if (RECEIVE.test(name)) {
      if (first) this.use(run, first, 'receive', call);
      return;
    }
    if (name.startsWith('uv_')) {
      readLibuv(this, run, call, name, args);
      return;
    }
    if (name === 'evconnlistener_new_bind' || name === 'evhttp_bind_socket' || name === 'evhttp_bind_socket_with_handle') {
      readLibevent(this, run, call, name, args);
      return;
    }
    const helper = this.helperOf(call);
    if (helper) {
      if (helper !== run.fn) this.expandHelper(run, call, helper, args);
      return;
    }
    this.escapeArguments(run, name, args, call);
  }

  private readQualifiedCall(run: Run, call: SyntaxNode, scope: string, name: string): void {
    const fnText = call.childForFieldName('function')?.text ?? '';
    // `auto a = tcp::acceptor(io, ep)` and `std::make_shared<tcp::acceptor>(io, ep)`.
    if (ASIO_TYPE.test(fnText)) {
      const target = assignmentTarget(call);
      readAsioConstruction(this, run, call, fnText, callArguments(call), target ?? call, call);
      return;
    }
    if (/^(std|boost)$/.test(scope)) return;
    this.escapeArguments(run, name, callArguments(call), call);
  }

  private escapeArguments(run: Run, name: string, args: readonly SyntaxNode[], call: SyntaxNode): void {
    if (HARMLESS.test(name) || HARMLESS_WORDS.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) return;
    for (const arg of args) {
      const n = unwrap(arg);
      if (!/^(identifier|field_expression|subscript_expression)$/.test(n.type)) continue;
      this.use(run, arg, 'escape', call);
    }
  }

  use(run: Run, node: SyntaxNode, use: 'listen' | 'accept' | 'connect' | 'receive' | 'multicast' | 'escape', at: SyntaxNode): void {
    const key = this.keyOf(node, run);
    this.push(run, { kind: 'use', key: key.key, at: at.startIndex, scope: run.fn.id, use });
  }

  private readSocketCall(run: Run, call: SyntaxNode, api: string, args: readonly SyntaxNode[]): void {
    const target = assignmentTarget(call);
    const [family, type] = args;
    const key = target ? this.keyOf(target, run) : { key: `${run.fn.id}|socket#${this.anonymous++}` };
    const notIp = family !== undefined && (NOT_IP_FAMILY.test(family.text) || this.resolvesTo(run, family, NOT_IP_FAMILY)
      || familyOnlyUnix(this.program.text, family));
    const typeText = type ? this.socketTypeText(run, type) : '';
    if (/SOCK_RAW|SOCK_SEQPACKET/.test(typeText)) return;
    const protocol = /SOCK_STREAM/.test(typeText) ? 'tcp' : /SOCK_DGRAM/.test(typeText) ? 'udp' : 'unknown';
    const variable = target ? expressionKey(target) : undefined;
    this.push(run, {
      kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), protocol, api,
      ...(variable ? { variable } : {}), ...(notIp ? { notIp: true } : {}),
    });
  }

  private resolvesTo(run: Run, node: SyntaxNode, pattern: RegExp): boolean {
    const n = unwrap(node, false);
    if (n.type !== 'identifier') return false;
    const binding = this.program.valueOf(n.text, this.ctxAt(run, node));
    return binding !== null && pattern.test(binding.node.text);
  }

  /** SOCK_STREAM / SOCK_DGRAM as written, through a variable or `hints.ai_socktype = ...`. */
  private socketTypeText(run: Run, node: SyntaxNode): string {
    if (/SOCK_\w+/.test(node.text)) return node.text;
    const n = unwrap(node, false);
    if (n.type === 'identifier') {
      const binding = this.program.valueOf(n.text, this.ctxAt(run, node));
      if (binding) return binding.node.text;
      const number = this.program.number(n, this.ctxAt(run, node));
      if (number === 1) return 'SOCK_STREAM';
      if (number === 2) return 'SOCK_DGRAM';
    }
    if (/ai_socktype$/.test(n.text.replace(/\s+/g, ''))) {
      const kinds = new Set([...run.fn.node.text.matchAll(/ai_socktype\s*=\s*(SOCK_STREAM|SOCK_DGRAM)/g)].map((m) => m[1]));
      if (kinds.size === 1) return [...kinds][0] ?? '';
    }
    return '';
  }

  private optionOf(run: Run, node: SyntaxNode): { option: ReuseOption | null; name: string } {
    const n = unwrap(node, false);
    const text = n.text.replace(/\s+/g, '');
    if (/^~?\(?~SO_REUSEADDR\)?$/.test(text) || /^\(int\)\(?~SO_REUSEADDR\)?$/.test(text)) return { option: 'exclusiveaddruse', name: 'SO_EXCLUSIVEADDRUSE' };
    const direct = optionFromConstant(text);
    if (direct) return { option: direct, name: text };
    if (n.type === 'identifier') {
      const define = this.program.defineText(n.text);
      if (define) {
        const inner = optionFromConstant(define);
        if (inner) return { option: inner, name: define };
        return { option: null, name: define };
      }
    }
    return { option: null, name: text };
  }

  private pushOption(run: Run, call: SyntaxNode, socket: SyntaxNode, option: ReuseOption, value: SyntaxNode | undefined, platforms: Platform[]): void {
    if (platforms.length === 0) return;
    const key = this.keyOf(socket, run);
    const ctx = this.ctxAt(run, call);
    const enabled = this.enabledAt(value, ctx);
    const event: Recorded = {
      kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), option, enabled: enabled ?? true, platforms,
    };
    if (enabled === null) event.resolveEnabled = (env) => this.enabledAt(value, { ...ctx, env, depth: 0 });
    this.push(run, event);
  }

  /**
   * Option names chosen by directives inside the argument list (the grammar leaves the directives as
   * ERROR nodes): each name with the value that follows them all.
   */
  private branchedOptionNames(call: SyntaxNode, args: readonly SyntaxNode[]): { names: { option: ReuseOption; node: SyntaxNode }[]; value: SyntaxNode | undefined } | null {
    const list = call.childForFieldName('arguments');
    if (!list?.namedChildren.some((c) => c?.type === 'ERROR' && c.text.trimStart().startsWith('#'))) return null;
    const names: { option: ReuseOption; node: SyntaxNode }[] = [];
    let i = 2;
    for (; i < args.length; i++) {
      const node = args[i];
      const option = node ? optionFromConstant(node.text.trim()) : null;
      if (!node || !option) break;
      names.push({ option, node });
    }
    return names.length > 1 ? { names, value: args[i] } : null;
  }

  /** The value passed by pointer: `&one` (int one = 1), `(char*)&t` (BOOL t = TRUE), `&(int){1}`; null when unknown. */
  private enabledAt(node: SyntaxNode | undefined, ctx: Ctx): boolean | null {
    if (!node) return null;
    const n = unwrap(node);
    const valueNode = n.type === 'compound_literal_expression' ? n.childForFieldName('value') : n;
    const v = valueNode ? this.program.number(valueNode, ctx) : null;
    return v === null ? null : v !== 0;
  }

  private readSetsockopt(run: Run, call: SyntaxNode, args: readonly SyntaxNode[]): void {
    const [socket, , optname, value] = args;
    if (!socket || !optname) return;
    const branched = this.branchedOptionNames(call, args);
    if (branched) {
      // `setsockopt(fd, SOL_SOCKET,\n#ifdef SO_REUSEPORT\n SO_REUSEPORT,\n#else\n SO_REUSEADDR,\n#endif\n &one, ...)`
      for (const { option, node } of branched.names) this.pushOption(run, call, socket, option, branched.value, intersect(this.platforms(run, call), this.program.guards.platformsAt(node.startIndex)));
      return;
    }
    const { option, name } = this.optionOf(run, optname);
    if (option) {
      this.pushOption(run, call, socket, option, value, this.platforms(run, call));
      return;
    }
    if (MULTICAST_OPTIONS.test(name) || (name === 'SO_BROADCAST' && this.enabledAt(value, this.ctxAt(run, call)) !== false)) {
      this.use(run, socket, 'multicast', call);
      return;
    }
    // An option chosen at run time might be a reuse option: the socket's options are not all visible.
    if (/^[a-z_]\w*$/.test(name) && !/^[A-Z0-9_]+$/.test(name)) this.use(run, socket, 'escape', call);
  }

  private readBind(run: Run, call: SyntaxNode, args: readonly SyntaxNode[]): void {
    const [socket, address, length] = args;
    if (!socket || !address) return;
    const key = this.keyOf(socket, run);
    if (isUnixAddress(run.fn, address, length)) {
      // Bound to a path, not a port: the socket (created here with a family we could not read) is AF_UNIX.
      for (const e of run.events) if (e.kind === 'create' && e.key === key.key) e.notIp = true;
      return;
    }
    this.pushBind(run, key, call, this.span(call), (ctx) => sockaddrEndpoint(this.program, address, ctx), {}, false);
  }

  /** A bind; `resolve` reads its address at a context with the given call-site arguments. */
  pushBind(run: Run, key: KeyInfo, atNode: SyntaxNode, span: Span, resolve: (ctx: Ctx) => Endpoint,
    implicit: BindEvent['implicit'], bindsAtCreation: boolean): void {
    const ctx = this.ctxAt(run, atNode);
    const event: BindEvent & Recorded = {
      kind: 'bind', key: key.key, at: atNode.startIndex, scope: run.fn.id, span, ...endpointFields(resolve(ctx)),
      platforms: this.platforms(run, atNode), implicit, bindsAtCreation,
      resolve: (env) => resolve({ ...ctx, env, depth: 0 }),
    };
    this.push(run, event);
  }


  // ----- helpers of the same file -----

  /** A call to a helper of this file: its effects on the sockets passed in, or on the socket it returns. */
  private expandHelper(run: Run, call: SyntaxNode, helper: FnScope, args: readonly SyntaxNode[]): void {
    const summary = this.summaryOf(helper);
    const callCtx = this.ctxAt(run, call);
    const env = this.envFor(helper, call, callCtx);
    const platforms = this.platforms(run, call);
    // How the caller's own callers re-resolve a bind made in the helper.
    const relay = (resolve: Resolver | undefined): Resolver | undefined =>
      resolve ? (outer) => resolve(this.envFor(helper, call, { ...callCtx, env: outer, depth: 0 })) : undefined;
    const place = (e: Recorded, key: string, span: Span | null): Recorded => {
      const moved: Recorded = { ...e, key, at: call.startIndex, scope: run.fn.id };
      if (span && moved.kind !== 'use') moved.span = span;
      if (moved.kind === 'option' || moved.kind === 'bind') moved.platforms = intersect(moved.platforms, platforms);
      if (moved.kind === 'option' && e.resolveEnabled) {
        const enabled = e.resolveEnabled(env);
        delete moved.resolveEnabled;
        if (enabled !== null) moved.enabled = enabled;
        else moved.resolveEnabled = (outer) => e.resolveEnabled?.(this.envFor(helper, call, { ...callCtx, env: outer, depth: 0 })) ?? null;
      }
      if (moved.kind === 'bind' && e.kind === 'bind' && e.resolve) {
        delete moved.groupAddress;
        Object.assign(moved, endpointFields(e.resolve(env)));
        const resolve = relay(e.resolve);
        if (resolve) moved.resolve = resolve;
      }
      return moved;
    };
    // Seen from the caller, the helper call is where things done to its argument happen.
    for (const { param, path, event } of summary.params) {
      const arg = args[param];
      if (!arg || !/^(identifier|field_expression|subscript_expression|pointer_expression)$/.test(unwrap(arg).type)) continue;
      this.push(run, place(event, this.keyOf(arg, run).key + path, this.span(call)));
    }
    const target = assignmentTarget(call);
    if (summary.returnKey && target) {
      const key = this.keyOf(target, run).key;
      // With one caller the helper's own lines are the places to report; with several, each call is.
      const own = (this.callSites.get(helper) ?? []).length === 1;
      for (const event of summary.returned) {
        const moved = place(event, key, own || event.kind !== 'option' ? null : this.span(call));
        // The caller's variable is the one in scope where the socket is used from now on.
        if (moved.kind === 'create') moved.variable = expressionKey(target);
        this.push(run, moved);
      }
    }
  }

  // ----- outside functions -----

  /** Global Asio objects constructed at namespace scope. */
  private fileLevelEvents(): SocketEvent[] {
    const program = this.program;
    const fake: FnScope = {
      id: 'file', node: program.root, name: null, start: 0, end: program.text.length, params: [], locals: new Set(), types: new Map(),
      writes: new Map(), calls: [], declarations: [], assignments: [], fieldInitializers: [], returns: [], news: [], owner: '',
    };
    const run: Run = { fn: fake, ctx: { fn: null, at: 0, env: null, depth: 0 }, events: [] };
    for (const decl of program.fileDeclarations) if (decl.type === 'declaration') readDeclaration(this, run, decl);
    return run.events;
  }
}

