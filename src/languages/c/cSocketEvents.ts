// Socket events of a C/C++ file: BSD sockets and Winsock, libuv, Boost.Asio and Qt servers. Helper
// functions of the same file are followed: a helper that sets options on (or binds) a socket passed
// to it contributes those events at its call site, and a helper that returns a socket it created
// (when called once) continues in its caller.
import type { Platform, ReuseOption, Span } from '../../analysis/facts';
import { ALL_PLATFORMS } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import { optionFromConstant } from '../common/hostPort';
import type { BindEvent, SocketEvent } from '../common/socketEvents';
import type { SyntaxNode } from '../treeSitter';
import type { Endpoint } from './cAddress';
import { asioEndpoint, hostPortEndpoint, qtEndpoint, sockaddrEndpoint, unknownEndpoint } from './cAddress';
import type { Binding, CProgram, Ctx, FnScope } from './cProgram';
import { callArguments, calleeName, calleeScope, callReceiver, expressionKey, rootIdentifier, unwrap } from './cSyntax';

const MULTICAST_OPTIONS = /^(IP_ADD_MEMBERSHIP|IP_ADD_SOURCE_MEMBERSHIP|IPV6_ADD_MEMBERSHIP|IPV6_JOIN_GROUP|MCAST_JOIN_GROUP|MCAST_JOIN_SOURCE_GROUP|IP_MULTICAST_IF|IP_MULTICAST_TTL|IP_MULTICAST_LOOP|IPV6_MULTICAST_IF|IPV6_MULTICAST_HOPS|IPV6_MULTICAST_LOOP)$/;
const RECEIVE = /^(recvfrom|recv|recvmsg|recvmmsg|read|WSARecvFrom|WSARecv|WSARecvMsg)$/;
const HARMLESS = /^(close|closesocket|shutdown|fcntl|ioctl|ioctlsocket|getsockname|getpeername|getsockopt|select|poll|WSAPoll|epoll_ctl|kevent|send|sendto|sendmsg|write|writev|free|memset|memcpy|bzero|printf|fprintf|sprintf|snprintf|syslog|perror|puts|strerror|htons|htonl|ntohs|ntohl|inet_ntop|inet_ntoa|inet_pton|inet_addr|inet_aton|assert|exit|abort|freeaddrinfo|getaddrinfo|WSAEventSelect|WSAAsyncSelect|CreateIoCompletionPort|event_set|event_add|event_new|ev_io_init|ev_io_set|ev_io_start|uv_close|move|to_string|sizeof|std::move)$/;
const HARMLESS_WORDS = /nonblock|blocking|cloexec|close|log|print|debug|trace|error|warn|assert|fatal|die|panic|fail|report|errno/i;
const NOT_IP_FAMILY = /\b(AF_UNIX|AF_LOCAL|PF_UNIX|PF_LOCAL|AF_NETLINK|PF_NETLINK|AF_PACKET|PF_PACKET|AF_BLUETOOTH|AF_CAN|AF_VSOCK|AF_HYPERV)\b/;
const ASIO_TYPE = /\b(tcp|udp)::(acceptor|socket)\b|basic_socket_acceptor|basic_datagram_socket|basic_stream_socket/;
const QT_SERVER_TYPE = /\b(QTcpServer|QSslServer|QWebSocketServer)\b/;
const RELEVANT = /\b(socket|WSASocketW?|WSASocketA|setsockopt|bind|listen|accept\w*|connect|recv\w*|\w*receive\w*|uv_(?:tcp|udp|listen|accept)\w*|evconnlistener_new_bind|evhttp_bind_socket\w*|set_option|acceptor|QTcpServer|QSslServer|QWebSocketServer|QHostAddress|tcp|udp)\b/;
const UNIX_RA: Partial<Record<Platform, ReuseOption[]>> = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };

/**
 * An event, with for binds how to recompute host and port from another call site's arguments, and for
 * options whose value is not known here (`&on` with `on` a parameter) how to read it there.
 */
type Recorded = SocketEvent & { resolve?: Resolver; resolveEnabled?: EnabledResolver };
type Resolver = (env: Map<string, Binding> | null) => Endpoint;
type EnabledResolver = (env: Map<string, Binding> | null) => boolean | null;

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

interface KeyInfo {
  key: string;
}

interface Run {
  fn: FnScope;
  ctx: Ctx;
  events: Recorded[];
}

const EMPTY_SUMMARY: Summary = { all: [], params: [], returnKey: null, returned: [] };

export class CSocketEvents {
  private readonly summaries = new Map<FnScope, Summary>();
  private readonly callSites = new Map<FnScope, CallSite[]>();
  private anonymous = 0;

  constructor(private readonly program: CProgram) {}

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
      for (const e of own) {
        if (dropParams && this.paramOf(fn, e.key, own)) continue;
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
    const calls = new Map<FnScope, Set<string>>();
    const relevant = new Set<FnScope>();
    for (const fn of this.program.functions) {
      const body = text.slice(fn.start, fn.end);
      if (RELEVANT.test(body) || fn.fieldInitializers.length > 0) relevant.add(fn);
      else calls.set(fn, new Set([...body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? '')));
    }
    for (let changed = true; changed;) {
      changed = false;
      const names = new Set([...relevant].map((f) => f.name).filter((n): n is string => n !== null));
      for (const [fn, called] of calls) {
        if (relevant.has(fn) || ![...called].some((n) => names.has(n))) continue;
        relevant.add(fn);
        changed = true;
      }
    }
    return this.program.functions.filter((f) => relevant.has(f));
  }

  private read(fn: FnScope, env: Map<string, Binding> | null): Recorded[] {
    const run: Run = { fn, ctx: { fn, at: fn.start, env, depth: 0 }, events: [] };
    for (const decl of fn.declarations) this.readDeclaration(run, decl);
    for (const init of fn.fieldInitializers) this.readFieldInitializer(run, init);
    for (const node of fn.news) this.readNew(run, node);
    for (const call of fn.calls) this.readCall(run, call);
    return run.events;
  }

  /** Parameter position and path when the key names a socket passed in (not one created here). */
  private paramOf(fn: FnScope, key: string, events: readonly Recorded[]): { param: number; path: string } | null {
    if (!key.startsWith(`${fn.id}|`)) return null;
    const expr = key.slice(key.indexOf('|') + 1);
    const name = /^[A-Za-z_]\w*/.exec(expr)?.[0] ?? '';
    const param = fn.params.indexOf(name);
    if (param < 0 || events.some((e) => e.kind === 'create' && e.key === key)) return null;
    return { param, path: expr.slice(name.length) };
  }

  private summaryOf(fn: FnScope): Summary {
    const known = this.summaries.get(fn);
    if (known) return known;
    // Recursion: while a summary is being computed the function counts as doing nothing.
    this.summaries.set(fn, EMPTY_SUMMARY);
    const all = this.read(fn, null);
    const params: Summary['params'] = [];
    for (const event of all) {
      const found = this.paramOf(fn, event.key, all);
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

  private keyOf(node: SyntaxNode, run: Run): KeyInfo {
    const expr = expressionKey(node).replace(/->/g, '.');
    const root = rootIdentifier(node);
    const fn = run.ctx.fn;
    if (root && fn?.locals.has(root)) return { key: `${fn.id}|${expr}` };
    // Members and globals: shared by the functions of one class (or by the free functions).
    return { key: `file:${fn?.owner ?? ''}|${expr}` };
  }

  private ctxAt(run: Run, node: SyntaxNode): Ctx {
    return { ...run.ctx, at: node.startIndex };
  }

  private platforms(_run: Run, node: SyntaxNode): Platform[] {
    return this.program.platformsOf(node);
  }

  private push(run: Run, event: Recorded, _key?: KeyInfo): void {
    run.events.push(event);
  }

  private span(node: SyntaxNode): Span {
    return { start: node.startIndex, end: node.endIndex };
  }

  // ----- calls -----

  private readCall(run: Run, call: SyntaxNode): void {
    const receiver = callReceiver(call);
    if (receiver) {
      this.readMethodCall(run, call, receiver);
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
        if (this.isQtListen(run, args)) this.readQtListen(run, call, args);
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
      this.readLibuv(run, call, name, args);
      return;
    }
    if (name === 'evconnlistener_new_bind' || name === 'evhttp_bind_socket' || name === 'evhttp_bind_socket_with_handle') {
      this.readLibevent(run, call, name, args);
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
      this.readAsioConstruction(run, call, fnText, callArguments(call), target ?? call, call);
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

  private use(run: Run, node: SyntaxNode, use: 'listen' | 'accept' | 'connect' | 'receive' | 'multicast' | 'escape', at: SyntaxNode): void {
    const key = this.keyOf(node, run);
    this.push(run, { kind: 'use', key: key.key, at: at.startIndex, scope: run.fn.id, use }, key);
  }

  private readSocketCall(run: Run, call: SyntaxNode, api: string, args: readonly SyntaxNode[]): void {
    const target = assignmentTarget(call);
    const [family, type] = args;
    const key = target ? this.keyOf(target, run) : { key: `${run.fn.id}|socket#${this.anonymous++}`, levels: 0 };
    const notIp = family !== undefined && (NOT_IP_FAMILY.test(family.text) || this.resolvesTo(run, family, NOT_IP_FAMILY));
    const typeText = type ? this.socketTypeText(run, type) : '';
    if (/SOCK_RAW|SOCK_SEQPACKET/.test(typeText)) return;
    const protocol = /SOCK_STREAM/.test(typeText) ? 'tcp' : /SOCK_DGRAM/.test(typeText) ? 'udp' : 'unknown';
    const variable = target ? expressionKey(target) : undefined;
    this.push(run, {
      kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), protocol, api,
      ...(variable ? { variable } : {}), ...(notIp ? { notIp: true } : {}),
    }, key);
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
    this.push(run, event, key);
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
    const [socket, address] = args;
    if (!socket || !address) return;
    const key = this.keyOf(socket, run);
    this.pushBind(run, key, call, this.span(call), (ctx) => sockaddrEndpoint(this.program, address, ctx), {}, false);
  }

  /** A bind; `resolve` reads its address at a context with the given call-site arguments. */
  private pushBind(run: Run, key: KeyInfo, atNode: SyntaxNode, span: Span, resolve: (ctx: Ctx) => Endpoint,
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

  // ----- libuv -----

  private readLibuv(run: Run, call: SyntaxNode, name: string, args: readonly SyntaxNode[]): void {
    const [first, second, third] = args;
    if (!first) return;
    switch (name) {
      case 'uv_tcp_init':
      case 'uv_tcp_init_ex':
      case 'uv_udp_init':
      case 'uv_udp_init_ex': {
        if (!second) return;
        const key = this.keyOf(second, run);
        const protocol = name.startsWith('uv_tcp') ? 'tcp' : 'udp';
        this.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), protocol, api: name, variable: expressionKey(second) }, key);
        return;
      }
      case 'uv_tcp_bind':
      case 'uv_udp_bind': {
        if (!second) return;
        const key = this.keyOf(first, run);
        const flags = third?.text ?? '';
        const platforms = this.platforms(run, call);
        const option = (option: ReuseOption, on: readonly Platform[], unsupportedOn?: Platform[]): void => {
          const p = intersect(platforms, on);
          if (p.length === 0) return;
          this.push(run, {
            kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), option, enabled: true,
            platforms: p, atBind: true, ...(unsupportedOn ? { unsupportedOn } : {}),
          }, key);
        };
        if (name === 'uv_tcp_bind') {
          if (/UV_TCP_REUSEPORT/.test(flags)) option('reuseport', ALL_PLATFORMS, ['darwin', 'win32']);
        } else {
          // libuv maps UV_UDP_REUSEADDR to SO_REUSEPORT on BSD/macOS and to SO_REUSEADDR elsewhere.
          if (/UV_UDP_REUSEADDR/.test(flags)) {
            option('reuseaddr', ['linux', 'win32']);
            option('reuseport', ['darwin']);
          }
          if (/UV_UDP_REUSEPORT/.test(flags)) option('reuseport', ALL_PLATFORMS, ['darwin', 'win32']);
        }
        this.pushBind(run, key, call, this.span(call), (ctx) => sockaddrEndpoint(this.program, second, ctx), name === 'uv_tcp_bind' ? UNIX_RA : {}, false);
        return;
      }
      case 'uv_listen':
        this.use(run, first, 'listen', call);
        return;
      case 'uv_accept':
        this.use(run, first, 'accept', call);
        return;
      case 'uv_udp_recv_start':
        this.use(run, first, 'receive', call);
        return;
      case 'uv_udp_set_membership':
      case 'uv_udp_set_source_membership':
        this.use(run, first, 'multicast', call);
        return;
      case 'uv_udp_set_broadcast':
        if (second?.text.trim() !== '0') this.use(run, first, 'multicast', call);
        return;
      case 'uv_tcp_connect':
        if (second) this.use(run, second, 'connect', call);
        return;
      default:
        return;
    }
  }

  // ----- libevent -----

  /**
   * evconnlistener_new_bind(base, cb, arg, flags, backlog, sa, len) binds and listens; LEV_OPT_REUSEABLE
   * sets SO_REUSEADDR on Unix only. evhttp_bind_socket(http, host, port) passes that flag itself.
   */
  private readLibevent(run: Run, call: SyntaxNode, name: string, args: readonly SyntaxNode[]): void {
    const target = assignmentTarget(call);
    const key = target ? this.keyOf(target, run) : { key: `${run.fn.id}|evlistener#${call.startIndex}`, levels: 0 };
    this.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), protocol: 'tcp', api: name, role: 'server' }, key);
    if (name !== 'evconnlistener_new_bind') {
      const [, host, port] = args;
      const resolve = (ctx: Ctx): Endpoint => hostPortEndpoint(host ? this.program.string(host, ctx) : null, port ? this.program.number(port, ctx) : null);
      this.pushBind(run, key, call, this.span(call), resolve, UNIX_RA, true);
      return;
    }
    const flags = args[3]?.text ?? '';
    const option = (option: ReuseOption, on: readonly Platform[]): void => {
      const p = intersect(this.platforms(run, call), on);
      if (p.length > 0) this.push(run, { kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), option, enabled: true, platforms: p, atBind: true }, key);
    };
    if (/LEV_OPT_REUSEABLE\b/.test(flags)) option('reuseaddr', ['linux', 'darwin']);
    if (/LEV_OPT_REUSEABLE_PORT\b/.test(flags)) option('reuseport', ['linux']);
    const address = args[5];
    this.pushBind(run, key, call, this.span(call), (ctx) => (address ? sockaddrEndpoint(this.program, address, ctx) : unknownEndpoint()), {}, true);
  }

  // ----- Boost.Asio -----

  private asioType(run: Run, receiver: SyntaxNode): string | null {
    const root = rootIdentifier(receiver);
    if (!root) return null;
    const fn = run.ctx.fn;
    const type = fn?.types.get(root) ?? (fn?.locals.has(root) ? undefined : this.program.declaredTypes.get(root));
    if (type && ASIO_TYPE.test(type)) return type;
    const writes = fn?.writes.get(root) ?? [];
    for (const w of writes) {
      const text = w.value?.text ?? '';
      const m = ASIO_TYPE.exec(text);
      if (m) return m[0];
    }
    if (fn?.params.includes(root)) {
      const binding = run.ctx.env?.get(root);
      if (binding?.ctx.fn) {
        return this.asioType({ ...run, fn: binding.ctx.fn, ctx: binding.ctx }, binding.node);
      }
    }
    return null;
  }

  private readDeclaration(run: Run, decl: SyntaxNode): void {
    const type = decl.childForFieldName('type')?.text ?? '';
    if (!ASIO_TYPE.test(type)) return;
    for (const d of decl.childrenForFieldName('declarator')) {
      if (!d) continue;
      let args: SyntaxNode[] = [];
      let nameNode: SyntaxNode | null = d;
      if (d.type === 'init_declarator') {
        nameNode = d.childForFieldName('declarator');
        const value = d.childForFieldName('value');
        if (value?.type === 'argument_list' || value?.type === 'initializer_list') args = callArguments(value);
        else if (value) continue;
      } else if (d.type === 'function_declarator') {
        // `tcp::acceptor a(io);` reads as a function declaration: its "parameters" are the arguments.
        nameNode = d.childForFieldName('declarator');
        args = (d.childForFieldName('parameters')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null);
      } else if (d.type !== 'identifier') {
        continue;
      }
      if (!nameNode || nameNode.type !== 'identifier') continue;
      this.readAsioConstruction(run, d, type, args, nameNode, d);
    }
  }

  private readNew(run: Run, node: SyntaxNode): void {
    const type = node.childForFieldName('type')?.text ?? '';
    if (!ASIO_TYPE.test(type)) return;
    const target = assignmentTarget(node);
    const list = node.childForFieldName('arguments');
    this.readAsioConstruction(run, node, type, list ? callArguments(list) : [], target ?? node, node);
  }

  private readFieldInitializer(run: Run, init: SyntaxNode): void {
    const field = init.namedChildren.find((c) => c?.type === 'field_identifier');
    if (!field) return;
    const type = this.program.declaredTypes.get(field.text);
    if (!type || !ASIO_TYPE.test(type)) return;
    const list = init.namedChildren.find((c) => c?.type === 'argument_list' || c?.type === 'initializer_list');
    this.readAsioConstruction(run, init, type, list ? callArguments(list) : [], field, init);
  }

  /** An Asio acceptor or socket constructed with `(io)`, `(io, protocol)` or `(io, endpoint[, reuse])`. */
  private readAsioConstruction(run: Run, node: SyntaxNode, type: string, args: readonly SyntaxNode[], target: SyntaxNode, spanNode: SyntaxNode): void {
    const key = target.type === 'field_identifier' ? { key: `file:${run.fn.owner}|${target.text}` } : this.keyOf(target, run);
    const acceptor = /acceptor/.test(type);
    const protocol = /udp|datagram/.test(type) ? 'udp' : 'tcp';
    const api = acceptor ? 'asio::ip::tcp::acceptor' : `asio::ip::${protocol}::socket`;
    const variable = target.type === 'field_identifier' ? target.text : expressionKey(target);
    this.push(run, {
      kind: 'create', key: key.key, at: node.startIndex, scope: run.fn.id, span: this.span(spanNode), protocol, api, variable,
      ...(acceptor ? { role: 'server' as const } : {}),
    }, key);
    const endpoint = args[1];
    if (!endpoint || /(^|::)v[46]\(\)$|\.protocol\(\)$/.test(endpoint.text.replace(/\s+/g, ''))) return;
    if (args.length > 2 && !acceptor) return;
    // basic_socket_acceptor(ex, endpoint, reuse_addr = true) sets SO_REUSEADDR on every OS, Windows too.
    const reuse = acceptor && (args[2] === undefined || this.program.number(args[2], this.ctxAt(run, node)) !== 0);
    const implicit = reuse ? { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] } as BindEvent['implicit'] : {};
    this.pushBind(run, key, node, this.span(spanNode), (ctx) => asioEndpoint(this.program, endpoint, ctx), implicit, true);
  }

  private asioOption(run: Run, arg: SyntaxNode): { option: ReuseOption | 'multicast' | null; enabled: boolean } {
    const n = unwrap(arg, false);
    const fnNode = n.type === 'call_expression' ? n.childForFieldName('function') : null;
    const typeText = (fnNode?.text ?? n.text).replace(/\s+/g, '');
    const name = typeText.replace(/<.*$/, '').replace(/^.*::/, '');
    const alias = this.program.aliases.get(name) ?? '';
    const all = `${typeText} ${alias}`;
    const valueNode = n.type === 'call_expression' ? callArguments(n)[0] : undefined;
    const value = valueNode ? this.program.number(valueNode, this.ctxAt(run, arg)) : null;
    const enabled = value === null ? true : value !== 0;
    if (/reuse_address/.test(all) || /SO_REUSEADDR\b/.test(all)) return { option: 'reuseaddr', enabled };
    if (/SO_REUSEPORT/.test(all) || /^reuse_?port$/i.test(name)) return { option: 'reuseport', enabled };
    if (/SO_EXCLUSIVEADDRUSE|exclusive_address/i.test(all)) return { option: 'exclusiveaddruse', enabled };
    if (/multicast::(join_group|enable_loopback|hops|outbound_interface)/.test(all) || (/\bbroadcast\b/.test(all) && enabled)) return { option: 'multicast', enabled };
    return { option: null, enabled };
  }

  private readMethodCall(run: Run, call: SyntaxNode, receiver: SyntaxNode): void {
    const method = calleeName(call);
    const args = callArguments(call);
    if (method === 'listen' && this.isQtReceiver(run, receiver)) {
      this.readQtListen(run, call, args);
      return;
    }
    const type = this.asioType(run, receiver);
    if (!type) {
      for (const arg of args) {
        const n = unwrap(arg);
        if (n.type === 'identifier' && (this.asioType(run, n) || this.isSocketLike(run, n))) this.use(run, arg, 'escape', call);
      }
      return;
    }
    const key = this.keyOf(receiver, run);
    switch (method) {
      case 'set_option': {
        const first = args[0];
        if (!first) return;
        const { option, enabled } = this.asioOption(run, first);
        if (option === 'multicast') this.use(run, receiver, 'multicast', call);
        else if (option) {
          this.push(run, { kind: 'option', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), option, enabled, platforms: this.platforms(run, call) }, key);
        }
        return;
      }
      case 'bind': {
        const first = args[0];
        if (!first) return;
        this.pushBind(run, key, call, this.span(call), (ctx) => asioEndpoint(this.program, first, ctx), {}, false);
        return;
      }
      case 'listen':
        this.use(run, receiver, 'listen', call);
        return;
      case 'accept':
      case 'async_accept':
        this.use(run, receiver, 'accept', call);
        return;
      case 'connect':
      case 'async_connect':
        this.use(run, receiver, 'connect', call);
        return;
      case 'receive_from':
      case 'async_receive_from':
      case 'receive':
      case 'async_receive':
        this.use(run, receiver, 'receive', call);
        return;
      default:
        return;
    }
  }

  /** A plain identifier that names something created by socket() in this function. */
  private isSocketLike(run: Run, node: SyntaxNode): boolean {
    const writes = run.ctx.fn?.writes.get(node.text) ?? [];
    return writes.some((w) => w.value !== null && /\b(socket|WSASocketW?|WSASocketA)\s*\(/.test(w.value.text));
  }

  // ----- Qt -----

  private isQtReceiver(run: Run, receiver: SyntaxNode): boolean {
    if (receiver.type === 'this') return this.inQtServerClass(run);
    const root = rootIdentifier(receiver);
    if (!root) return false;
    const fn = run.ctx.fn;
    const type = fn?.types.get(root) ?? this.program.declaredTypes.get(root) ?? '';
    if (QT_SERVER_TYPE.test(type)) return true;
    return (fn?.writes.get(root) ?? []).some((w) => QT_SERVER_TYPE.test(w.value?.text ?? ''));
  }

  private inQtServerClass(run: Run): boolean {
    const fn = run.fn;
    if (this.program.qtServerClasses.some((c) => c.startIndex <= fn.start && fn.end <= c.endIndex)) return true;
    const declarator = fn.node.childForFieldName('declarator')?.text ?? '';
    const owner = /(\w+)\s*::\s*~?\w+\s*\(/.exec(declarator)?.[1];
    return owner !== undefined && this.program.qtServerClasses.some((c) => c.childForFieldName('name')?.text === owner);
  }

  private isQtListen(run: Run, args: readonly SyntaxNode[]): boolean {
    return args.some((a) => /QHostAddress/.test(a.text)) || this.inQtServerClass(run);
  }

  private readQtListen(run: Run, call: SyntaxNode, args: readonly SyntaxNode[]): void {
    const key = { key: `${run.fn.id}|qt#${call.startIndex}`, levels: 0 };
    this.push(run, { kind: 'create', key: key.key, at: call.startIndex, scope: run.fn.id, span: this.span(call), protocol: 'tcp', api: 'QTcpServer::listen', role: 'server' }, key);
    // QTcpServer::listen sets SO_REUSEADDR on Unix only ("Under Windows this is possible anyway").
    this.pushBind(run, key, call, this.span(call), (ctx) => qtEndpoint(this.program, args, ctx), UNIX_RA, false);
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
    for (const decl of program.fileDeclarations) if (decl.type === 'declaration') this.readDeclaration(run, decl);
    return run.events;
  }
}

function endpointFields(e: Endpoint): Pick<BindEvent, 'port' | 'host' | 'hostKind' | 'explicitWildcard' | 'groupAddress'> {
  return { port: e.port, host: e.host, hostKind: e.hostKind, explicitWildcard: e.explicitWildcard, ...(e.group ? { groupAddress: true } : {}) };
}

/** The variable a call's result is stored in: `int fd = socket(...)`, `fd = socket(...)`, `if ((fd = socket(...)) < 0)`. */
export function assignmentTarget(call: SyntaxNode): SyntaxNode | null {
  let child = call;
  let parent = call.parent;
  for (let i = 0; parent && i < 6; i++) {
    if (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression') {
      child = parent;
      parent = parent.parent;
      continue;
    }
    if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.equals(child)) {
      const d = parent.childForFieldName('declarator');
      if (!d) return null;
      let n: SyntaxNode | null = d;
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
      return n;
    }
    if (parent.type === 'assignment_expression' && parent.childForFieldName('right')?.equals(child)) return parent.childForFieldName('left');
    if (parent.type === 'new_expression') {
      child = parent;
      parent = parent.parent;
      continue;
    }
    return null;
  }
  return null;
}
