// Turns a token stream into socket facts. Sockets are followed by variable name in textual order
// (a new creation assigned to a name replaces the old one), by chains (`a(...).b(...).bind(...)`) and
// by the call whose arguments hold an option (`IO::Socket::INET->new(ReuseAddr => 1)`,
// `gen_tcp:listen(P, [{reuseaddr, true}])`). A socket seen only through an unknown variable counts
// only once something socket-ish (an option, an address, a multicast join) shows on that variable.
import type { BindFact, ConstantFact, FileFacts, Platform, Protocol, ReuseOption, SocketFact, Span } from '../../analysis/facts';
import { classifyHost } from '../common/hostPort';
import { intersect } from '../common/platformGuards';
import { AddressReader, isGroupAddress, type AddressInfo } from './addressArgs';
import { ConstantTable, evaluateNumber, normalizeName } from './constantValues';
import { PlatformGuards, splitCondition } from './guardRegions';
import type { LexicalSyntax } from './syntaxTable';
import { TokenView, type Receiver } from './tokenStructure';
import { Tk, type Tokenized } from './tokenizer';
import {
  ACCEPT_WORDS, BIND_WORDS, CONNECT_WORDS, FALSE_WORDS, IMPLICIT_ALL_RA, IMPLICIT_NONE, IMPLICIT_UNIX_RA, IMPLICIT_UNIX_RA_WIN_EX,
  IMPLICIT_WIN_EX, MULTICAST_WORDS, NAMESPACES, RECEIVE_WORDS, TRUE_WORDS, isOptionCall, optionOfSetter, optionOfWord, wordKey,
  type Implicit,
} from './vocabulary';

export type SocketKind =
  | 'c' | 'jvm-server' | 'jvm-datagram' | 'jvm-multicast' | 'netty' | 'ktor' | 'nio' | 'perl-io' | 'gen' | 'tcl'
  | 'luasocket' | 'luasocket-bind' | 'dart-server' | 'dart-datagram' | 'dotnet-listener' | 'dotnet-udp' | 'listener'
  | 'zig-listen' | 'crystal-server' | 'unknown';

/** A call: its name token and its arguments, in parentheses or written side by side. */
export interface CallShape {
  name: number;
  /** First token of the whole expression (receiver chain root, or the name). */
  root: number;
  /** The `(`, or -1 for side-by-side arguments. */
  open: number;
  /** The `)`, or the last argument token. */
  close: number;
  args: Array<[number, number]>;
}

export interface BindRecord {
  index: number;
  span: Span;
  info: AddressInfo;
  atCreation: boolean;
  call: CallShape | null;
}

export type OptionForm = 'call' | 'setter' | 'property' | 'pair' | 'tuple' | 'flag';

export interface OptionRecord {
  option: ReuseOption;
  enabled: boolean;
  /** Token of the option's name. */
  index: number;
  span: Span;
  form: OptionForm;
  inBind: boolean;
  platforms: Platform[];
  /** The call that carries the option as an argument (pair, tuple and flag forms). */
  owner: CallShape | null;
}

export interface SocketRecord {
  id: string;
  kind: SocketKind;
  api: string;
  protocol: Protocol;
  span: Span;
  variable?: string;
  multicast: boolean;
  serverApi: boolean;
  listens: boolean;
  accepts: boolean;
  receives: boolean;
  connects: boolean;
  /** Seen only through a variable of unknown origin. */
  tentative: boolean;
  /** Something socket-ish was seen on it (decides whether a tentative socket is kept). */
  strong: boolean;
  createdAt: number;
  creation: CallShape | null;
  binds: BindRecord[];
  options: OptionRecord[];
  /** Address given at creation but bound later (.NET TcpListener binds at Start()). */
  pendingAddress?: AddressInfo;
}

/** A Perl hash entry: its key token and value range (`Key => v`, or `$h{Key} = v;`). */
interface PerlPair {
  key: number;
  value: number;
  to: number;
}

export interface LexicalAnalysis {
  facts: FileFacts;
  sockets: SocketRecord[];
  view: TokenView;
  consts: ConstantTable;
  guards: PlatformGuards;
}

/** Keywords that introduce a function or method definition: the name after them is no call. */
const DEFINERS = new Set(['sub', 'def', 'defp', 'fun', 'func', 'fn', 'function', 'proc', 'method', 'let', 'rec', 'val', 'fnc']);
const SKIP_BEFORE_EXPR = new Set(['await', 'try', 'new', 'New-Object', 'yield', '!', '?', '*', '&', 'New', 'go', 'spawn']);
const ASSIGN = new Set(['=', ':=', '<-', '<<-']);
const ACCESSOR_PARTS = new Set(['Server', 'Client', 'socket', 'Socket', 'fd', 'handle', 'Handle', 'fileno', 'sock', 'channel', 'Channel', 'rawSocket', 'getFD', 'native_handle', 'nativeHandle']);
const C_SOCKET_ARG = /^(?:AF|PF)_|^SOCK_|^(?:Stream|Datagram|Dgram|InterNetwork|InterNetworkV6|INET6?|STREAM|DGRAM|inet6?|stream|dgram)$|ai_family|ai_socktype/;
const PERL_IO = /^(?:IO::Socket::(?:INET6?|IP|SSL)|IO::Socket|HTTP::Daemon|IO::Async::Listener)$/;
const DART_SERVERS = new Set(['ServerSocket', 'HttpServer', 'RawServerSocket', 'SecureServerSocket', 'RawSecureServerSocket', 'RawDatagramSocket']);

export function analyzeTokens(text: string, lexed: Tokenized, syntax: LexicalSyntax, basePlatforms: readonly Platform[]): LexicalAnalysis {
  const view = new TokenView(text, lexed, syntax);
  const consts = new ConstantTable(view, lexed.directives);
  const guards = new PlatformGuards(view, lexed.directives, basePlatforms);
  const reader = new FactReader(view, consts, guards);
  reader.run();
  const facts = reader.facts();
  return { facts, sockets: reader.kept, view, consts, guards };
}

class FactReader {
  private readonly sockets: SocketRecord[] = [];
  kept: SocketRecord[] = [];
  private readonly vars = new Map<string, SocketRecord>();
  private readonly chainRoots = new Map<number, SocketRecord>();
  private readonly calls = new Map<number, { socket: SocketRecord; binding: boolean; shape: CallShape }>();
  private readonly consumed = new Set<number>();
  private readonly optionTokens = new Set<number>();
  private readonly address: AddressReader;
  private readonly syntax: LexicalSyntax;

  constructor(private readonly view: TokenView, private readonly consts: ConstantTable, private readonly guards: PlatformGuards) {
    this.address = new AddressReader(view, consts);
    this.syntax = view.syntax;
  }

  run(): void {
    for (let i = 0; i < this.view.length; i++) {
      if (this.consumed.has(i)) continue;
      const t = this.view.at(i);
      if (!t || t.kind === Tk.Number || t.kind === Tk.Punct) continue;
      try {
        this.visit(i, t.kind === Tk.String);
      } catch {
        // One unreadable construct must not cost the rest of the file.
      }
    }
  }

  private visit(i: number, isString: boolean): void {
    const { view } = this;
    const word = view.textAt(i);
    if (isString) {
      // A quoted option name as a key: `{"reuseaddr", true}`, Lua `setoption("reuseaddr", true)` is read by its call.
      return;
    }
    const key = wordKey(word);
    if (this.creator(i, key)) return;
    if (BIND_WORDS.has(key) || key === 'bindtcp') return this.bind(i, key);
    if (key === 'listen') return this.listen(i);
    if (key === 'start') return this.start(i);
    if (ACCEPT_WORDS.has(key)) return this.mark(i, 'accepts');
    if (RECEIVE_WORDS.has(key)) return this.mark(i, 'receives');
    if (key === 'connect' || CONNECT_WORDS.has(key)) return this.mark(i, 'connects');
    if (isOptionCall(word) && this.hasArgs(i)) return this.optionCall(i);
    const setter = optionOfSetter(word);
    if (setter && view.isPunct(i + 1, '(')) return this.setterCall(i, setter);
    const option = optionOfWord(word, this.syntax.perl === true && view.isPunct(i + 1, '=>'));
    if (option) return this.optionWord(i, option);
    if (MULTICAST_WORDS.has(key)) this.multicastWord(i, key);
  }

  // ---- shapes and subjects -------------------------------------------------------------------

  private hasArgs(i: number): boolean {
    return this.view.isPunct(i + 1, '(') || this.juxtaposable(i);
  }

  private juxtaposable(i: number): boolean {
    const { view } = this;
    const t = view.at(i);
    const n = view.at(i + 1);
    if (!t || !n || n.line !== t.line) return false;
    if (n.kind === Tk.Punct && !['(', '[', '-', '&', '\\', '{'].includes(n.text)) return false;
    return this.syntax.blockStyle === 'indent' || this.syntax.perl === true || this.syntax.id === 'tcl' || this.syntax.runtime === 'shell' || this.syntax.runtime === 'elixir';
  }

  /** The call at name token `i`: receiver root, argument list. */
  private shapeOf(i: number): CallShape | null {
    const { view } = this;
    const receiver = view.receiverOf(i);
    let root = receiver ? receiver.root : this.prefixRoot(i);
    // Elixir/Erlang atoms: `:gen_tcp.listen` starts at the colon.
    if (this.syntax.runtime === 'elixir' && view.isPunct(root - 1, ':') && view.at(root - 1)?.end === view.at(root)?.start) root -= 1;
    const parens = view.callParens(i);
    if (parens) return { name: i, root, open: parens[0], close: parens[1], args: view.splitArgs(parens[0], parens[1]) };
    if (!this.juxtaposable(i)) return null;
    const args = view.juxtaposedArgs(i);
    const last = args[args.length - 1];
    return { name: i, root, open: -1, close: last ? last[1] : i, args };
  }

  /** `new X(...)`, `New-Object X(...)`: the expression starts at the keyword. */
  private prefixRoot(i: number): number {
    const p = this.view.textAt(i - 1);
    return p === 'new' || p === 'New' ? i - 1 : i;
  }

  private spanOf(shape: CallShape): Span {
    const a = this.view.at(shape.root);
    const b = this.view.at(Math.max(shape.close, shape.name));
    return { start: a?.start ?? 0, end: b?.end ?? a?.end ?? 0 };
  }

  private tokenSpan(from: number, to: number): Span {
    const a = this.view.at(from);
    const b = this.view.at(to);
    return { start: a?.start ?? 0, end: b?.end ?? a?.end ?? 0 };
  }

  /** The variable a receiver chain names (`self.sock`, `listener.Server` → `listener`), or null for calls. */
  private receiverKey(r: Receiver): string | null {
    const parts = [...r.parts];
    while (parts.length > 1 && ACCESSOR_PARTS.has((parts[parts.length - 1] ?? '').replace(/\(\)$/, ''))) parts.pop();
    if (parts.some((p) => p.endsWith('()'))) return null;
    return normalizeName(parts.join('.'));
  }

  private isNamespace(r: Receiver): boolean {
    const first = r.parts[0]?.replace(/\(\)$/, '') ?? '';
    if (this.vars.has(normalizeName(r.text))) return false;
    if (NAMESPACES.has(wordKey(first))) return true;
    if (this.syntax.colonMember && this.syntax.runtime === 'erlang') return true;
    if (this.syntax.runtime === 'lua' && first === 'socket') return true;
    return /^[A-Z]/.test(first) && this.syntax.runtime !== 'erlang' && !(this.syntax.runtime === 'dotnet' && first.startsWith('$'));
  }

  private argName(range: [number, number] | undefined): string | null {
    if (!range) return null;
    const { view } = this;
    let [k] = range;
    const [, to] = range;
    while (k <= to && (view.isPunct(k, '&') || view.isPunct(k, '*') || view.textAt(k) === 'my' || view.textAt(k) === 'our' || view.textAt(k) === 'local')) k++;
    if (k > to || !view.isIdent(k)) return null;
    const parts: string[] = [view.textAt(k)];
    let end = k;
    while (end + 2 <= to && view.isMemberOp(end + 1) && view.isIdent(end + 2)) {
      end += 2;
      parts.push(view.textAt(end));
    }
    if (end + 2 === to && view.isPunct(end + 1, '(') && view.isPunct(end + 2, ')')) end = to;
    if (end !== to) return null;
    while (parts.length > 1 && ACCESSOR_PARTS.has(parts[parts.length - 1] ?? '')) parts.pop();
    return normalizeName(parts.join('.'));
  }

  /** The socket a call at `i` acts on: its receiver, or its first argument. */
  private subjectFor(i: number, shape: CallShape | null): SocketRecord | null {
    const r = this.view.receiverOf(i);
    if (r) {
      const chained = this.chainRoots.get(r.root);
      if (chained) return chained;
      const key = this.receiverKey(r);
      if (key === null) return null;
      const known = this.vars.get(key);
      if (known) return known;
      if (!this.isNamespace(r)) return this.tentative(key, i);
    }
    const name = this.argName(shape?.args[0]);
    if (!name) return null;
    const known = this.vars.get(name);
    if (known) return known;
    if (NAMESPACES.has(wordKey(name)) || /^[A-Z][a-z]/.test(name) && this.syntax.runtime !== 'erlang' && this.syntax.runtime !== 'perl') return null;
    return this.tentative(name, i);
  }

  /** `ServerSocket().apply { ... }`, `bind(...) { reuseAddress = true }`: the socket a block belongs to. */
  private ownerOf(i: number): { socket: SocketRecord; binding: boolean; shape: CallShape | null } | null {
    const { view } = this;
    let p = view.parent[i] ?? -1;
    for (let depth = 0; p >= 0 && depth < 10; depth++) {
      const open = view.at(p);
      if (!open) break;
      if (open.text === '(') {
        const call = this.calls.get(p - 1);
        if (call) return call;
      } else if (open.text === '{' || open.text === '[') {
        const before = view.at(p - 1);
        if (before && before.kind === Tk.Punct && before.text === ')') {
          const callName = (view.match[p - 1] ?? -1) - 1;
          const call = this.calls.get(callName);
          if (call) return call;
          const r = view.receiverOf(callName + 0);
          const chained = r ? this.chainRoots.get(r.root) : undefined;
          if (chained) return { socket: chained, binding: false, shape: null };
        } else if (before && before.kind === Tk.Ident && /^(?:apply|run|also|with|tap|then|configure)$/.test(before.text)) {
          const r = view.receiverOf(p - 1);
          if (r) {
            const chained = this.chainRoots.get(r.root);
            if (chained) return { socket: chained, binding: false, shape: null };
            const key = this.receiverKey(r);
            const known = key ? this.vars.get(key) : undefined;
            if (known) return { socket: known, binding: false, shape: null };
          }
        }
      }
      p = view.parent[p] ?? -1;
    }
    return null;
  }

  private tentative(key: string, i: number): SocketRecord {
    const t = this.view.at(i);
    const rec = this.newSocket('unknown', 'socket', 'unknown', { start: t?.start ?? 0, end: t?.end ?? 0 }, -1, null);
    rec.tentative = true;
    rec.variable = key;
    this.vars.set(key, rec);
    return rec;
  }

  private newSocket(kind: SocketKind, api: string, protocol: Protocol, span: Span, createdAt: number, creation: CallShape | null): SocketRecord {
    const rec: SocketRecord = {
      id: '', kind, api, protocol, span, multicast: false, serverApi: false, listens: false, accepts: false, receives: false,
      connects: false, tentative: false, strong: true, createdAt, creation, binds: [], options: [],
    };
    this.sockets.push(rec);
    return rec;
  }

  /** Registers a created socket under its variable, chain and call. */
  private created(rec: SocketRecord, shape: CallShape, bindsNow: boolean, variable?: string | null): void {
    const name = variable ?? this.assignedVar(shape.root);
    if (name) {
      rec.variable = name;
      this.vars.set(name, rec);
    }
    this.chainRoots.set(shape.root, rec);
    this.chainRoots.set(shape.name, rec);
    this.calls.set(shape.name, { socket: rec, binding: bindsNow, shape });
  }

  /** The name an expression starting at `root` is assigned to: `x = ...`, `val x: T = ...`, `{ok, S} = ...`, `set x [...]`. */
  private assignedVar(root: number): string | null {
    const { view } = this;
    let k = root - 1;
    for (let guard = 0; guard < 6 && k >= 0; guard++) {
      const t = view.at(k);
      if (!t) break;
      if (SKIP_BEFORE_EXPR.has(t.text) || (t.text === ':' && this.syntax.runtime === 'elixir' && view.at(k + 1)?.start === t.end)) {
        k--;
        continue;
      }
      // Wrapping calls: `assert(socket.bind(...))`, `try!(...)`, `Some(...)`.
      if (t.kind === Tk.Punct && t.text === '(' && view.isIdent(k - 1)) {
        k -= 2;
        continue;
      }
      break;
    }
    if (view.isPunct(k, '[') && view.isIdent(k - 1) && view.textAt(k - 2) === 'set') return normalizeName(view.textAt(k - 1));
    if (view.textAt(k) === 'As' && view.isIdent(k - 1)) return normalizeName(view.textAt(k - 1));
    const op = view.at(k);
    if (!op || op.kind !== Tk.Punct || !ASSIGN.has(op.text)) return null;
    const p = k - 1;
    const before = view.at(p);
    if (!before) return null;
    if (before.kind === Tk.Ident) {
      // `name: Type =`: the name is before the colon (within a few tokens).
      for (let c = p - 1; c >= Math.max(0, p - 6); c--) {
        if (view.at(c)?.line !== before.line) break;
        if (view.isPunct(c, ':') && view.isIdent(c - 1)) return normalizeName(view.textAt(c - 1));
        if (view.isPunct(c, '=') || view.isPunct(c, ';') || view.isPunct(c, '{')) break;
      }
      const r = view.receiverOf(p);
      return normalizeName(r ? `${r.text}.${before.text}` : before.text);
    }
    if (before.kind === Tk.Punct && before.text === '}') {
      // `{ok, Sock} = ...` / `{:ok, socket} = ...`
      const open = view.match[p] ?? -1;
      for (let c = p - 1; c > open; c--) if (view.isIdent(c)) return normalizeName(view.textAt(c));
    }
    if (before.kind === Tk.Punct && before.text === '>') {
      for (let c = p - 1; c >= Math.max(0, p - 12); c--) if (view.isPunct(c, ':') && view.isIdent(c - 1)) return normalizeName(view.textAt(c - 1));
    }
    return null;
  }

  // ---- creators ------------------------------------------------------------------------------

  private creator(i: number, key: string): boolean {
    const { view, syntax } = this;
    const runtime = syntax.runtime;
    const receiver = view.receiverOf(i);
    const recvKey = receiver ? wordKey(receiver.text) : '';
    const recvKnown = receiver ? this.vars.has(normalizeName(receiver.text)) : false;
    if (key === 'socket' && syntax.id === 'tcl') return this.tclSocket(i);
    if (key === 'udpopen' && syntax.id === 'tcl') return this.tclUdpOpen(i);
    if ((key === 'fconfigure' || key === 'udpconf') && syntax.id === 'tcl') return this.tclConfigure(i);
    if (key === 'socket' && !recvKnown) return this.cSocket(i);
    if (key === 'new' && receiver && PERL_IO.test(receiver.text)) return this.perlIo(i, receiver.text);
    if (runtime === 'perl' && receiver && /^(?:SUPER::)?configure$/.test(view.textAt(i)) && view.isPunct(i + 1, '(') && view.isPunct(i + 2, '{')) return this.perlConfigure(i);
    if (runtime === 'perl' && PERL_IO.test(view.textAt(i)) && view.textAt(i - 1) === 'new') return this.perlIo(i, view.textAt(i));
    if ((key === 'listen' && (recvKey === 'gentcp' || recvKey === 'ssl')) || (key === 'open' && recvKey === 'genudp')) return this.genListen(i, key === 'open' ? 'udp' : 'tcp', receiver?.text ?? '');
    if (runtime === 'lua' && receiver && receiver.text === 'socket' && !recvKnown) {
      if (/^(?:tcp|tcp4|tcp6|udp|udp4|udp6)$/.test(key)) return this.simpleCreator(i, 'luasocket', `socket.${key}`, key.startsWith('udp') ? 'udp' : 'tcp', false);
      if (key === 'bind') return this.bindingCreator(i, 'luasocket-bind', 'socket.bind', 'tcp');
    }
    if (runtime === 'dart' && (key === 'bind' || key === 'bindsecure') && receiver && DART_SERVERS.has(receiver.text)) {
      const udp = receiver.text === 'RawDatagramSocket';
      return this.bindingCreator(i, udp ? 'dart-datagram' : 'dart-server', `${receiver.text}.${view.textAt(i)}`, udp ? 'udp' : 'tcp');
    }
    if (runtime === 'crystal' && key === 'new' && receiver && (receiver.text === 'TCPServer' || receiver.text === 'UDPSocket')) {
      if (receiver.text === 'TCPServer') return this.bindingCreator(i, 'crystal-server', 'TCPServer.new', 'tcp');
      return this.simpleCreator(i, 'c', 'UDPSocket.new', 'udp', false);
    }
    if (!view.isPunct(i + 1, '(') && !(view.isPunct(i + 1, ']') && view.isPunct(i + 2, '::'))) return false;
    if (runtime === 'jvm') {
      if (key === 'serversocket') return this.jvmConstructor(i, 'jvm-server', 'ServerSocket', 'tcp');
      if (key === 'datagramsocket') return this.jvmConstructor(i, 'jvm-datagram', 'DatagramSocket', 'udp');
      if (key === 'multicastsocket') return this.jvmConstructor(i, 'jvm-multicast', 'MulticastSocket', 'udp');
      if (key === 'asocket') return this.ktor(i);
      if (key === 'serverbootstrap') return this.simpleCreator(i, 'netty', 'ServerBootstrap', 'tcp', true);
    }
    if (runtime === 'jvm' && key === 'open' && receiver && /^(?:ServerSocketChannel|AsynchronousServerSocketChannel|DatagramChannel)$/.test(receiver.text)) {
      const udp = receiver.text === 'DatagramChannel';
      const shape = this.shapeOf(i);
      if (!shape) return false;
      const rec = this.newSocket(udp ? 'jvm-datagram' : 'jvm-server', `${receiver.text}.open`, udp ? 'udp' : 'tcp', this.spanOf(shape), i, shape);
      rec.serverApi = !udp;
      this.created(rec, shape, false);
      return true;
    }
    if (runtime === 'swift' && (key === 'serverbootstrap' || key === 'datagrambootstrap')) return this.simpleCreator(i, 'nio', view.textAt(i), key === 'serverbootstrap' ? 'tcp' : 'udp', key === 'serverbootstrap');
    if (runtime === 'dotnet' && key === 'tcplistener') return this.dotnetListener(i);
    if (runtime === 'dotnet' && key === 'udpclient') return this.dotnetUdp(i);
    if (runtime === 'nim' && (key === 'newsocket' || key === 'newasyncsocket')) {
      const shape = this.shapeOf(i);
      const udp = shape ? /SOCK_DGRAM|IPPROTO_UDP/.test(view.source(shape.open, shape.close)) : false;
      return this.simpleCreator(i, 'c', view.textAt(i), udp ? 'udp' : 'tcp', false);
    }
    if (runtime === 'julia' && (key === 'udpsocket' || key === 'tcpserver')) return this.simpleCreator(i, 'c', view.textAt(i), key === 'udpsocket' ? 'udp' : 'tcp', key === 'tcpserver');
    if (runtime === 'd' && (key === 'tcpsocket' || key === 'udpsocket')) return this.simpleCreator(i, 'c', view.textAt(i), key === 'udpsocket' ? 'udp' : 'tcp', false);
    return false;
  }

  private simpleCreator(i: number, kind: SocketKind, api: string, protocol: Protocol, serverApi: boolean): boolean {
    const shape = this.shapeOf(i) ?? { name: i, root: this.prefixRoot(i), open: -1, close: i, args: [] };
    const rec = this.newSocket(kind, api, protocol, this.spanOf(shape), i, shape);
    rec.serverApi = serverApi;
    this.created(rec, shape, false);
    return true;
  }

  /** A call that creates, binds (and for TCP listens) at once: `socket.bind(h, p)`, `HttpServer.bind(h, p)`. */
  private bindingCreator(i: number, kind: SocketKind, api: string, protocol: Protocol): boolean {
    const shape = this.shapeOf(i);
    if (!shape) return false;
    const rec = this.newSocket(kind, api, protocol, this.spanOf(shape), i, shape);
    rec.serverApi = protocol === 'tcp';
    const info = this.address.read(shape.args, true, i);
    this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    this.created(rec, shape, true);
    return true;
  }

  private cSocket(i: number): boolean {
    const { view, syntax } = this;
    const shape = this.shapeOf(i);
    if (!shape || shape.args.length === 0) return false;
    const argText: string[] = [];
    for (let k = shape.args[0]?.[0] ?? i; k <= shape.close; k++) if (view.isIdent(k)) argText.push(view.textAt(k));
    if (!argText.some((w) => C_SOCKET_ARG.test(w))) return false;
    const joined = argText.join(' ');
    const protocol: Protocol = /SOCK_STREAM|\bStream\b|\bSTREAM\b|\bstream\b|IPPROTO_TCP|\bTcp\b/.test(joined) ? 'tcp'
      : /SOCK_DGRAM|\bDatagram\b|\bDgram\b|\bDGRAM\b|\bdgram\b|IPPROTO_UDP|\bUdp\b/.test(joined) ? 'udp' : 'unknown';
    const rec = this.newSocket('c', syntax.runtime === 'dotnet' ? 'Socket' : 'socket()', protocol, this.spanOf(shape), i, shape);
    // Perl: socket(my $sock, PF_INET, ...) names its handle in the first argument.
    const firstName = syntax.runtime === 'perl' ? this.argName(shape.args[0]) : null;
    const perlHandle = firstName && !C_SOCKET_ARG.test(firstName) ? firstName : null;
    this.created(rec, shape, false, perlHandle);
    return true;
  }

  private jvmConstructor(i: number, kind: SocketKind, api: string, protocol: Protocol): boolean {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return false;
    const rec = this.newSocket(kind, api, protocol, this.spanOf(shape), i, shape);
    rec.serverApi = kind === 'jvm-server';
    rec.multicast = kind === 'jvm-multicast';
    const first = shape.args[0];
    const unbound = !first || view.textAt(first[0]) === 'null' || (kind !== 'jvm-server' && view.source(first[0], first[1]).includes('null'));
    if (!unbound) {
      // ServerSocket(port, backlog, bindAddr) / DatagramSocket(port, laddr) / DatagramSocket(SocketAddress)
      const info = this.address.read(kind === 'jvm-server' ? [shape.args[0], shape.args[2]].filter((a): a is [number, number] => a !== undefined) : shape.args, true, i);
      this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    }
    this.created(rec, shape, !unbound);
    return true;
  }

  private ktor(i: number): boolean {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return false;
    // aSocket(selector).tcp() / .udp()
    const kindWord = view.isPunct(shape.close + 1, '.') ? view.textAt(shape.close + 2) : '';
    const udp = kindWord === 'udp';
    const rec = this.newSocket('ktor', `aSocket(...).${udp ? 'udp' : 'tcp'}()`, udp ? 'udp' : 'tcp', this.spanOf(shape), i, shape);
    rec.serverApi = !udp;
    this.created(rec, shape, false);
    return true;
  }

  private dotnetListener(i: number): boolean {
    const { view } = this;
    let shape = this.shapeOf(i);
    // PowerShell: [System.Net.Sockets.TcpListener]::new(addr, port)
    if (!shape && view.isPunct(i + 1, ']') && view.isPunct(i + 2, '::') && view.textAt(i + 3).toLowerCase() === 'new' && view.isPunct(i + 4, '(')) {
      const close = view.closerOf(i + 4);
      let root = i;
      while (root > 0 && !view.isPunct(root, '[')) root--;
      shape = { name: i + 3, root, open: i + 4, close, args: view.splitArgs(i + 4, close) };
    }
    if (!shape) return false;
    const r = view.receiverOf(i);
    if (r && shape.root === i) shape.root = r.root;
    if (view.textAt(shape.root - 1) === 'New-Object' || view.textAt(shape.root - 1) === 'new' || view.textAt(shape.root - 1) === 'New') shape.root -= 1;
    const rec = this.newSocket('dotnet-listener', 'TcpListener', 'tcp', this.spanOf(shape), i, shape);
    rec.serverApi = true;
    rec.pendingAddress = this.address.read(shape.args, true, i);
    this.created(rec, shape, false);
    return true;
  }

  private dotnetUdp(i: number): boolean {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return false;
    const r = view.receiverOf(i);
    if (r && shape.root === i) shape.root = r.root;
    if (view.textAt(shape.root - 1) === 'New-Object' || view.textAt(shape.root - 1) === 'new' || view.textAt(shape.root - 1) === 'New') shape.root -= 1;
    const rec = this.newSocket('dotnet-udp', 'UdpClient', 'udp', this.spanOf(shape), i, shape);
    const first = shape.args[0];
    const bound = first !== undefined && !/AddressFamily/.test(view.source(first[0], first[1]));
    if (bound) this.addBind(rec, i, this.spanOf(shape), this.address.read(shape.args, true, i), true, shape);
    this.created(rec, shape, bound);
    return true;
  }

  private perlIo(i: number, api: string, given?: CallShape): boolean {
    const { view } = this;
    const shape = given ?? this.shapeOf(i);
    if (!shape) return false;
    let local = false;
    let listen = false;
    let udp = false;
    // No LocalPort/LocalService and no "host:port" in LocalAddr/LocalHost: the kernel picks a free port.
    let ephemeral = true;
    // `key => value` ranges: the call's own, and those of a `%hash` passed whole (built earlier in the file).
    const pairs: PerlPair[] = [];
    const fromHashes: PerlPair[] = [];
    for (const [from, to] of shape.args) {
      if (view.isPunct(from + 1, '=>')) pairs.push({ key: from, value: from + 2, to });
      else if (view.isPunct(from, '%') && from + 1 === to && view.isIdent(to)) {
        const found = this.perlHashPairs(view.textAt(to), i);
        if (found === null) ephemeral = false;
        else fromHashes.push(...found);
      } else ephemeral = false;
    }
    for (const { key, value: from, to } of [...pairs, ...fromHashes]) {
      const k = wordKey(view.textAt(key));
      const value = view.source(from, to);
      if (k === 'localport' || k === 'localservice') ephemeral = false;
      if ((k === 'localaddr' || k === 'localhost') && !this.perlHostWithoutPort(from, to)) ephemeral = false;
      if (k === 'localport' || k === 'localaddr' || k === 'localhost' || k === 'localservice') local = true;
      if (k === 'listen') listen = true;
      if ((k === 'proto' && /udp/i.test(value)) || (k === 'type' && /DGRAM/.test(value))) udp = true;
    }
    if (api === 'HTTP::Daemon') {
      local = true;
      listen = true;
    }
    if (!local && !listen) return false;
    const rec = this.newSocket('perl-io', api, udp ? 'udp' : 'tcp', this.spanOf(shape), i, shape);
    rec.listens = listen;
    rec.serverApi = listen;
    const info = this.address.read([...pairs, ...fromHashes].filter((p) => p.value === p.key + 2).map((p): [number, number] => [p.key, p.to]), true, i);
    if (info.port === null && ephemeral && api !== 'HTTP::Daemon') info.port = 0;
    this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    // `$sock->SUPER::configure({...})` binds the receiver itself.
    const configured = given ? view.receiverOf(i) : null;
    this.created(rec, shape, true, configured ? this.receiverKey(configured) : undefined);
    // Options in a hash built before the call were read before the call was known: attach them now.
    for (const { key, value, to } of fromHashes) {
      const option = optionOfWord(view.textAt(key), true);
      // `$args{ReuseAddr} = 1;` is a statement of its own, not a pair the fix writers could edit.
      const form: OptionForm = value === key + 2 ? 'pair' : 'property';
      if (option) this.addOption(rec, option, this.enabledOf(value, to), key, this.tokenSpan(form === 'pair' ? key : key - 2, to), form, true, shape, view.source(value, to));
    }
    return true;
  }

  /** `$sock->SUPER::configure({ LocalPort => $port, Proto => 'udp', ReuseAddr => 1 })` in an IO::Socket subclass. */
  private perlConfigure(i: number): boolean {
    const { view } = this;
    const open = i + 2;
    const close = view.closerOf(open);
    const receiver = view.receiverOf(i);
    if (!receiver || close <= open) return false;
    const shape: CallShape = { name: i, root: receiver.root, open, close, args: view.splitArgs(open, close) };
    return this.perlIo(i, 'IO::Socket::INET', shape);
  }

  /**
   * The `key => value` ranges of `my %name = (...)` (the last before `before`) and of later
   * `$name{Key} = value;` statements, or null when no literal hash is found.
   */
  private perlHashPairs(name: string, before: number): PerlPair[] | null {
    const { view } = this;
    let decl = -1;
    for (let k = before - 1; k >= 0 && k >= before - 3000; k--) {
      if (view.isPunct(k, '%') && view.textAt(k + 1) === name && view.isPunct(k + 2, '=') && view.isPunct(k + 3, '(')) {
        decl = k + 3;
        break;
      }
    }
    if (decl < 0) return null;
    const pairs: PerlPair[] = [];
    for (const [from, to] of view.splitArgs(decl, view.closerOf(decl))) if (view.isPunct(from + 1, '=>')) pairs.push({ key: from, value: from + 2, to });
    // `$name{Listen} = 100;` written between the declaration and the call.
    for (let k = view.closerOf(decl); k < before; k++) {
      if (view.textAt(k) !== `$${name}` || !view.isPunct(k + 1, '{') || !view.isPunct(k + 3, '}') || !view.isPunct(k + 4, '=')) continue;
      const end = view.statementEnd(k + 5);
      const to = end - (view.isPunct(end, ';') ? 1 : 0);
      if (to >= k + 5) pairs.push({ key: k + 2, value: k + 5, to });
    }
    return pairs;
  }

  /** A LocalAddr/LocalHost value that is one string with no port: '127.0.0.1', 'localhost', '::1' (not 'h:80', '[::1]:80'). */
  private perlHostWithoutPort(from: number, to: number): boolean {
    const t = this.view.at(from);
    if (from !== to || !t || t.kind !== Tk.String) return false;
    const colons = t.text.split(':').length - 1;
    return colons === 0 || (colons > 1 && !t.text.startsWith('['));
  }

  private genListen(i: number, protocol: Protocol, module: string): boolean {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return false;
    const api = this.syntax.runtime === 'elixir' ? `:${module}.${view.textAt(i)}` : `${module}:${view.textAt(i)}`;
    const rec = this.newSocket('gen', api, protocol, this.spanOf(shape), i, shape);
    rec.serverApi = protocol === 'tcp';
    const port = shape.args[0];
    const info = this.address.read(port ? [port] : [], true, i);
    const opts = shape.args[1];
    if (opts) this.erlangAddress(info, opts[0], opts[1]);
    this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    this.created(rec, shape, true);
    if (opts) this.followOptionVariables(rec, shape, opts[0], opts[1], i, 0, new Set());
    return true;
  }

  /**
   * `Opts = [binary, {reuseaddr, true}], gen_tcp:listen(P, Opts)`, `IpOpts = X ++ [{reuseaddr, true} | Extra]`,
   * `{Port, Opts} = info(..., [{reuseaddr, true}])`: option lists reach the call through variables
   * assigned earlier in the function. Options found there count as given to the call.
   */
  private followOptionVariables(rec: SocketRecord, shape: CallShape, from: number, to: number, before: number, depth: number, seen: Set<string>): void {
    const { view } = this;
    if (depth > 3) return;
    for (let k = from; k <= to; k++) {
      const t = view.at(k);
      if (!t || t.kind !== Tk.Ident || !this.isOptionVariable(k)) continue;
      if (seen.has(t.text)) continue;
      seen.add(t.text);
      const range = this.assignedListRange(t.text, before);
      if (!range) continue;
      this.optionsInList(rec, shape, range[0], range[1]);
      this.followOptionVariables(rec, shape, range[0], range[1], range[0], depth + 1, seen);
    }
  }

  /** A variable reference in an option list: Erlang `Opts`, Elixir `opts` (not atoms, keys or calls). */
  private isOptionVariable(k: number): boolean {
    const { view } = this;
    const text = view.textAt(k);
    if (view.isPunct(k + 1, '(') || view.isPunct(k + 1, ':') || view.isPunct(k - 1, ':') || view.isPunct(k - 1, '.') || view.isPunct(k + 1, '.')) return false;
    if (this.syntax.runtime === 'erlang') return /^[A-Z_][A-Za-z0-9_]*$/.test(text) && text !== '_';
    return /^[a-z_][A-Za-z0-9_]*$/.test(text) && !TRUE_WORDS.has(text) && !FALSE_WORDS.has(text);
  }

  /** The value range of the last assignment to `name` before token `before` in the same function. */
  private assignedListRange(name: string, before: number): [number, number] | null {
    const { view } = this;
    const erlang = this.syntax.runtime === 'erlang';
    for (let k = before - 1; k >= 0 && k >= before - 2000; k--) {
      const t = view.at(k);
      if (!t) break;
      // An Erlang form ends with `.` at the top level: the variable belongs to an earlier function.
      if (erlang && t.kind === Tk.Punct && t.text === '.' && (view.parent[k] ?? -1) === -1 && (view.at(k + 1)?.line ?? Infinity) > t.line) return null;
      if (t.kind !== Tk.Ident || t.text !== name) continue;
      // `Name = value` or `{A, Name} = value` / `[Name | _] = value`.
      let eq = k + 1;
      let p = view.parent[k] ?? -1;
      while (!view.isPunct(eq, '=') && p >= 0 && (view.isPunct(p, '{') || view.isPunct(p, '['))) {
        eq = view.closerOf(p) + 1;
        p = view.parent[p] ?? -1;
      }
      if (!view.isPunct(eq, '=') || eq >= before) continue;
      const end = erlang ? this.erlangExpressionEnd(eq + 1) : view.statementEnd(eq + 1);
      return end >= eq + 1 ? [eq + 1, end] : null;
    }
    return null;
  }

  /** Last token of an Erlang expression starting at `from`: up to `,` `.` `;` or a closer at its depth, past case/if/receive/begin/try ... end. */
  private erlangExpressionEnd(from: number): number {
    const { view } = this;
    const depth = view.parent[from] ?? -1;
    let blocks = 0;
    let last = from;
    for (let k = from; k < view.length && k < from + 1500; k++) {
      const t = view.at(k);
      if (!t) break;
      if ((view.parent[k] ?? -1) !== depth) break;
      if (t.kind === Tk.Punct) {
        if (t.text === '(' || t.text === '[' || t.text === '{') {
          k = view.closerOf(k);
          last = k;
          continue;
        }
        if (blocks === 0 && (t.text === ',' || t.text === '.' || t.text === ';' || t.text === ')' || t.text === ']' || t.text === '}')) break;
      } else if (t.kind === Tk.Ident) {
        if (t.text === 'case' || t.text === 'if' || t.text === 'receive' || t.text === 'begin' || t.text === 'try' || t.text === 'maybe') blocks++;
        else if (t.text === 'end' && blocks > 0) blocks--;
      }
      last = k;
    }
    return last;
  }

  /** `{reuseaddr, true}` tuples, `reuseaddr: true` pairs and multicast joins inside a list literal at `from..to`. */
  private optionsInList(rec: SocketRecord, shape: CallShape, from: number, to: number): void {
    const { view } = this;
    for (let k = from; k <= to; k++) {
      const t = view.at(k);
      if (!t || t.kind !== Tk.Ident) continue;
      const tuple = view.isPunct(k - 1, '{') && view.isPunct(k + 1, ',');
      const pair = view.isPunct(k + 1, ':') && this.syntax.runtime === 'elixir';
      if (!tuple && !pair) continue;
      const close = tuple ? view.closerOf(k - 1) : view.statementEnd(k + 2);
      let valueTo = tuple ? close - 1 : k + 2;
      if (pair) for (valueTo = k + 2; valueTo < close && !view.isPunct(valueTo + 1, ',') && !view.isPunct(valueTo + 1, ']'); valueTo++);
      const valueText = view.source(k + 2, valueTo);
      const key = wordKey(t.text);
      if (MULTICAST_WORDS.has(key)) {
        if (!FALSE_WORDS.has(valueText.trim().toLowerCase())) rec.multicast = true;
        continue;
      }
      const option = optionOfWord(t.text);
      if (!option) continue;
      const span = tuple ? this.tokenSpan(k - 1, close) : this.tokenSpan(k, valueTo);
      this.addOption(rec, option, this.enabledOf(k + 2, valueTo), k, span, tuple ? 'tuple' : 'pair', true, shape, valueText);
    }
  }

  /** `{ip, {0,0,0,0}}`, `ip: {127,0,0,1}`, `{ip, any}`, `{ifaddr, ...}` in an Erlang/Elixir option list. */
  private erlangAddress(info: AddressInfo, from: number, to: number): void {
    const { view } = this;
    for (let k = from; k <= to; k++) {
      const w = wordKey(view.textAt(k));
      if (w !== 'ip' && w !== 'ifaddr') continue;
      let v = k + 1;
      if (view.isPunct(v, ',') || view.isPunct(v, ':')) v++;
      if (view.isPunct(v, '{')) {
        const close = view.closerOf(v);
        const parts = view.splitArgs(v, close).map(([a, b]) => (a === b ? view.textAt(a) : '?'));
        info.host = parts.length === 4 ? parts.join('.') : parts.length === 8 ? parts.join(':') : null;
        info.explicitWildcard = info.host === '0.0.0.0' || /^0(?::0){7}$/.test(info.host ?? '');
        if (info.host && /^0(?::0){7}$/.test(info.host)) info.host = '::';
      } else {
        const atom = wordKey(view.textAt(v));
        if (atom === 'any') {
          info.host = '0.0.0.0';
          info.explicitWildcard = true;
        } else if (atom === 'loopback') info.host = 'localhost';
        else {
          const s = view.at(v);
          if (s && s.kind === Tk.String) info.host = s.text;
        }
      }
      info.evidence = true;
    }
  }

  /** Tcl: `socket -server cmd ?-myaddr a? ?-reuseaddr b? ?-reuseport b? port` */
  private tclSocket(i: number): boolean {
    const { view } = this;
    const args = view.juxtaposedArgs(i);
    const words = args.map(([a, b]) => ({ a, b, text: view.source(a, b) }));
    if (!words.some((w) => w.text === '-server')) return false;
    const last = args[args.length - 1];
    const shape: CallShape = { name: i, root: i, open: -1, close: last ? last[1] : i, args };
    const rec = this.newSocket('tcl', 'socket -server', 'tcp', this.spanOf(shape), i, shape);
    rec.serverApi = true;
    const info: AddressInfo = { host: null, port: null, explicitWildcard: false, evidence: true };
    let portWord: { a: number; b: number } | undefined;
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (!word) continue;
      if (!word.text.startsWith('-')) {
        portWord = word;
        continue;
      }
      const value = words[w + 1];
      w++;
      if (!value) break;
      const flag = word.text.slice(1);
      if (flag === 'myaddr') {
        const host = this.wordValue(value.a, value.b, i);
        info.host = host;
        info.explicitWildcard = host === '0.0.0.0' || host === '::';
      }
      const option = optionOfWord(flag);
      if (option) {
        const valueText = view.source(value.a, value.b);
        const enabled = this.enabledOf(value.a, value.b);
        this.addOption(rec, option, enabled, word.a + 1, this.tokenSpan(word.a, value.b), 'flag', true, shape, valueText);
        for (let k = word.a; k <= value.b; k++) this.consumed.add(k);
      }
      portWord = undefined;
    }
    if (portWord) info.port = this.portWord(portWord.a, portWord.b, i);
    this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    this.created(rec, shape, true);
    return true;
  }

  /** TclUDP: `udp_open ?port? ?reuse? ?ipv6?` binds at once; `reuse` sets SO_REUSEADDR (its manual page). */
  private tclUdpOpen(i: number): boolean {
    const { view } = this;
    const args = view.juxtaposedArgs(i);
    const last = args[args.length - 1];
    const shape: CallShape = { name: i, root: i, open: -1, close: last ? last[1] : i, args };
    const rec = this.newSocket('c', 'udp_open', 'udp', this.spanOf(shape), i, shape);
    const info: AddressInfo = { host: null, port: 0, explicitWildcard: false, evidence: true };
    for (const [a, b] of args) {
      const word = view.source(a, b);
      if (word === 'reuse') {
        this.addOption(rec, 'reuseaddr', true, a, this.tokenSpan(a, b), 'flag', true, shape, '');
        this.consumed.add(a);
      } else if (word !== 'ipv6' && a === args[0]?.[0]) {
        info.port = this.portWord(a, b, i);
      }
    }
    this.addBind(rec, i, this.spanOf(shape), info, true, shape);
    this.created(rec, shape, true);
    return true;
  }

  /** `fconfigure $s -mcastadd 224.0.0.200`, `udp_conf $s -broadcast 1`: a TclUDP channel joins a group. */
  private tclConfigure(i: number): boolean {
    const { view } = this;
    const args = view.juxtaposedArgs(i);
    const socket = this.vars.get(this.argName(args[0]) ?? '');
    if (!socket) return false;
    for (let w = 1; w < args.length; w++) {
      const [a, b] = args[w] ?? [0, -1];
      const flag = view.source(a, b);
      const next = args[w + 1];
      const value = next ? view.source(next[0], next[1]) : '';
      if (flag === '-mcastadd' || (flag === '-broadcast' && !/^(?:0|false|no|off)$/i.test(value))) socket.multicast = true;
    }
    return false;
  }

  /** A port given as one word (a number, or a variable set to one); null unless it is a valid port. */
  private portWord(a: number, b: number, before: number): number | null {
    const text = this.wordValue(a, b, before);
    const v = text === null ? null : Number.parseInt(text, 10);
    return v !== null && Number.isFinite(v) && v >= 0 && v <= 65535 ? v : null;
  }

  private wordValue(a: number, b: number, before: number): string | null {
    const t = this.view.at(a);
    if (!t || a !== b) return null;
    if (t.kind === Tk.Number || t.kind === Tk.String) return t.text;
    if (t.kind === Tk.Ident) {
      const s = this.consts.stringOf(t.text, before);
      if (s !== null) return s;
      const n = this.consts.numberOf(t.text, before);
      return n === null ? null : String(n);
    }
    return null;
  }

  // ---- binds, listens, marks ----------------------------------------------------------------

  private bind(i: number, key: string): void {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape || this.isDefinitionHead(i, shape)) return;
    const subject = this.subjectFor(i, shape) ?? this.ownerOf(i)?.socket ?? null;
    if (!subject) return;
    const receiver = view.receiverOf(i);
    const args = receiver || !this.argNameIs(shape.args[0], subject) ? shape.args : shape.args.slice(1);
    const trusted = !subject.tentative;
    const info = this.address.read(args, trusted, i);
    this.enrichFromVariables(info, args, i);
    if (info.port === null && this.nativeLike()) this.enrichFromSockaddrSetup(info, i, subject);
    if (subject.tentative && !info.evidence) {
      // `fn.bind(this)`, SQL `stmt.bind(1, x)`, `m >>= bind`: nothing says socket.
      return;
    }
    if (info.evidence) subject.strong = true;
    if (key === 'bindtcp') {
      subject.kind = 'crystal-server';
      subject.serverApi = true;
      subject.protocol = 'tcp';
      subject.api = 'HTTP::Server#bind_tcp';
    }
    const span = this.spanOf(shape);
    this.addBind(subject, i, span, info, false, shape);
    this.calls.set(i, { socket: subject, binding: true, shape });
  }

  /**
   * `sub bind {`, `def bind(...)`, `let bind_1 ch addr =`, Erlang `-spec bind(S, A) -> ...` and clause
   * heads `bind(S, Addr, _) when ... ->`: the name is being defined, not called.
   */
  private isDefinitionHead(i: number, shape: CallShape | null): boolean {
    const { view } = this;
    if (view.receiverOf(i)) return false;
    const prev = view.textAt(i - 1);
    if (DEFINERS.has(prev) && view.isIdent(i - 1)) return true;
    // OCaml `let rec f ... and bind s a = ...`; elsewhere `and` is a logical operator.
    if (prev === 'and' && this.syntax.runtime === 'ocaml' && view.isIdent(i - 1)) return true;
    if ((prev === 'spec' || prev === 'callback') && view.isPunct(i - 2, '-')) return true;
    if (this.syntax.runtime === 'erlang' && shape && shape.open >= 0) {
      const after = view.textAt(shape.close + 1);
      if (after === '->' || (after === 'when' && view.isIdent(shape.close + 1))) return true;
    }
    return false;
  }

  private argNameIs(range: [number, number] | undefined, socket: SocketRecord): boolean {
    const name = this.argName(range);
    return name !== null && this.vars.get(name) === socket;
  }

  private nativeLike(): boolean {
    const r = this.syntax.runtime;
    return r === 'native' || r === 'swift' || r === 'zig' || r === 'd' || r === 'perl' || r === 'haskell' || r === 'ocaml' || r === 'nim';
  }

  /** `bind(fd, &addr)` where `addr = sockaddr_in(...)` / `InetSocketAddress(...)` was assigned earlier. */
  private enrichFromVariables(info: AddressInfo, args: ReadonlyArray<[number, number]>, before: number): void {
    if (info.port !== null && info.host !== null) return;
    const { view } = this;
    for (const [from, to] of args) {
      for (let k = from; k <= to; k++) {
        if (!view.isIdent(k)) continue;
        const a = this.consts.lookup(view.textAt(k), before);
        if (!a || a.view !== view || a.at >= before) continue;
        const inner: AddressInfo = { host: null, port: null, explicitWildcard: false, evidence: false };
        this.address.scanNested(inner, a.from, a.to, a.at);
        if (!inner.evidence) continue;
        info.evidence = true;
        if (info.host === null && inner.host !== null) {
          info.host = inner.host;
          info.explicitWildcard = inner.explicitWildcard;
        }
        if (info.port === null) info.port = inner.port;
        return;
      }
    }
  }

  /** C style: `addr.sin_port = htons(8080); addr.sin_addr.s_addr = INADDR_ANY;` written before the bind. */
  private enrichFromSockaddrSetup(info: AddressInfo, i: number, socket: SocketRecord): void {
    const { view } = this;
    const lower = Math.max(socket.createdAt >= 0 ? socket.createdAt : 0, i - 600);
    for (let k = i - 1; k >= lower && (info.port === null || info.host === null); k--) {
      const t = view.at(k);
      if (!t || t.kind !== Tk.Ident) continue;
      const w = wordKey(t.text);
      if (w !== 'htons' && w !== 'sinport' && w !== 'sin6port' && w !== 'saddr' && w !== 'sinaddr' && w !== 'inetpton' && w !== 'inetaddr' && w !== 'inetaton' && !w.startsWith('inaddr') && !w.startsWith('in6addr')) continue;
      const from = view.statementStart(k);
      const to = view.statementEnd(k);
      const inner: AddressInfo = { host: null, port: null, explicitWildcard: false, evidence: false };
      this.address.scanNested(inner, from, to, k);
      if (inner.port === null && (w === 'sinport' || w === 'sin6port')) {
        // `addr.sin_port = in_port_t(8080).bigEndian` / `= 8080.bigEndian`
        const eq = this.findPunct(k, to, '=') ?? this.findPunct(k, to, ':');
        if (eq !== null) {
          const v = this.firstNumber(eq + 1, to);
          if (v !== null) inner.port = v;
        }
      }
      if (info.port === null && inner.port !== null) info.port = inner.port;
      if (info.host === null && inner.host !== null) {
        info.host = inner.host;
        info.explicitWildcard = inner.explicitWildcard;
      }
      if (inner.evidence || inner.port !== null) info.evidence = true;
      k = from;
    }
  }

  private findPunct(from: number, to: number, text: string): number | null {
    for (let k = from; k <= to; k++) if (this.view.isPunct(k, text)) return k;
    return null;
  }

  private firstNumber(from: number, to: number): number | null {
    for (let k = from; k <= to; k++) {
      const t = this.view.at(k);
      if (t?.kind === Tk.Number) {
        const v = evaluateNumber(this.view, k, k, null);
        return v !== null && v >= 0 && v <= 65535 ? v : null;
      }
      if (t?.kind === Tk.Ident && /port/i.test(t.text)) return this.consts.numberOf(t.text, from);
    }
    return null;
  }

  private addBind(rec: SocketRecord, index: number, span: Span, info: AddressInfo, atCreation: boolean, call: CallShape | null): void {
    if (rec.binds.length > 0) return;
    rec.binds.push({ index, span, info, atCreation, call });
    if (isGroupAddress(info.host)) rec.multicast = true;
  }

  private listen(i: number): void {
    const { view, syntax } = this;
    const shape = this.shapeOf(i);
    if (this.isDefinitionHead(i, shape)) return;
    const receiver = view.receiverOf(i);
    // Zig: `address.listen(.{ .reuse_address = true })` on an Address.
    if (syntax.runtime === 'zig' && receiver && shape) {
      const a = this.consts.lookup(receiver.text, i);
      if (a && /Address/.test(view.source(a.from, a.to))) {
        const rec = this.newSocket('zig-listen', 'std.net.Address.listen', 'tcp', this.spanOf(shape), i, shape);
        rec.serverApi = true;
        const info: AddressInfo = { host: null, port: null, explicitWildcard: false, evidence: true };
        this.address.scanNested(info, a.from, a.to, a.at);
        this.addBind(rec, i, this.spanOf(shape), info, true, shape);
        this.created(rec, shape, true);
        return;
      }
    }
    const known = receiver ? this.vars.get(this.receiverKey(receiver) ?? '') ?? this.chainRoots.get(receiver.root) : this.vars.get(this.argName(shape?.args[0]) ?? '');
    if (known && !known.tentative) {
      known.listens = true;
      return;
    }
    // High-level listeners: Julia `listen(8080)`, `listen(IPv4(0), 8080)`, Vert.x `server.listen(8080)`.
    if (shape && shape.args.length > 0 && !known) {
      const trusted = syntax.runtime === 'julia' || syntax.runtime === 'jvm' || syntax.runtime === 'dart';
      const info = this.address.read(shape.args, trusted, i);
      const firstIsNumber = view.at(shape.args[0]?.[0] ?? -1)?.kind === Tk.Number;
      if (info.port !== null && (trusted || info.host !== null || !firstIsNumber || receiver === null)) {
        const rec = this.newSocket('listener', receiver ? `${receiver.text}.listen` : 'listen', 'tcp', this.spanOf(shape), i, shape);
        rec.serverApi = true;
        rec.listens = true;
        this.addBind(rec, i, this.spanOf(shape), info, true, shape);
        this.created(rec, shape, true, receiver ? this.receiverKey(receiver) : null);
        return;
      }
    }
    const subject = known ?? this.subjectFor(i, shape);
    if (subject) subject.listens = true;
  }

  /** .NET `listener.Start()` binds and listens. */
  private start(i: number): void {
    const receiver = this.view.receiverOf(i);
    if (!receiver) return;
    const key = this.receiverKey(receiver);
    const socket = key ? this.vars.get(key) : undefined;
    if (!socket || socket.kind !== 'dotnet-listener') return;
    const shape = this.shapeOf(i);
    socket.listens = true;
    const info = socket.pendingAddress ?? { host: null, port: null, explicitWildcard: false, evidence: true };
    this.addBind(socket, i, shape ? this.spanOf(shape) : this.tokenSpan(receiver.root, i), info, false, shape);
  }

  private mark(i: number, flag: 'accepts' | 'receives' | 'connects'): void {
    const shape = this.shapeOf(i);
    if (this.isDefinitionHead(i, shape)) return;
    const subject = this.subjectFor(i, shape);
    if (subject) subject[flag] = true;
  }

  // ---- options ---------------------------------------------------------------------------------

  private optionCall(i: number): void {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return;
    const subject = this.subjectFor(i, shape) ?? this.ownerOf(i)?.socket ?? null;
    if (!subject) return;
    this.calls.set(i, { socket: subject, binding: false, shape });
    let found: { k: number; arg: number; option: ReuseOption } | null = null;
    let multicast = false;
    shape.args.forEach(([from, to], arg) => {
      for (let k = from; k <= to && !found; k++) {
        const t = view.at(k);
        if (!t || (t.kind !== Tk.Ident && t.kind !== Tk.String)) continue;
        if (MULTICAST_WORDS.has(wordKey(t.text)) && wordKey(t.text) !== 'broadcast' || (t.kind === Tk.String && /membership|broadcast/.test(t.text))) multicast = true;
        const option = optionOfWord(t.text);
        if (!option) continue;
        // Pairs and tuples inside the call are read on their own, with this call as owner.
        if (view.isPunct(k + 1, ':') || view.isPunct(k + 1, '=>') || (view.isPunct(k + 1, ',') && view.isPunct(k - 1, '{'))) continue;
        found = { k, arg, option };
      }
    });
    if (multicast) {
      subject.multicast = true;
      subject.strong = true;
    }
    const hit = found as { k: number; arg: number; option: ReuseOption } | null;
    if (!hit) return;
    this.consumed.add(hit.k);
    let valueFrom = -1;
    let valueTo = -1;
    const next = shape.args[hit.arg + 1];
    if (view.isPunct(hit.k + 1, '(')) {
      // `reuse_address(true)` as the argument
      valueFrom = hit.k + 2;
      valueTo = view.closerOf(hit.k + 1) - 1;
    } else if (next) {
      [valueFrom, valueTo] = next;
      if (view.isPunct(valueFrom + 1, ':') && view.isIdent(valueFrom)) valueFrom += 2;
    }
    const enabled = valueFrom >= 0 ? this.enabledOf(valueFrom, valueTo) : true;
    const valueText = valueFrom >= 0 ? view.source(valueFrom, valueTo) : '';
    subject.strong = true;
    const owner = this.ownerOf(i);
    this.addOption(subject, hit.option, enabled, hit.k, this.spanOf(shape), 'call', owner?.binding === true && owner.socket === subject, null, valueText);
  }

  private setterCall(i: number, option: ReuseOption): void {
    const { view } = this;
    const shape = this.shapeOf(i);
    if (!shape) return;
    const subject = this.subjectFor(i, shape) ?? this.ownerOf(i)?.socket ?? null;
    if (!subject) return;
    const receiver = view.receiverOf(i);
    const valueArg = receiver ? shape.args[0] : shape.args[1] ?? shape.args[0];
    const enabled = valueArg ? this.enabledOf(valueArg[0], valueArg[1]) : true;
    subject.strong = true;
    this.addOption(subject, option, enabled, i, this.spanOf(shape), 'setter', false, null, valueArg ? view.source(valueArg[0], valueArg[1]) : '');
  }

  /** `x.reuseAddress = true`, `ReuseAddr => 1`, `reuseaddr: true`, `{reuseaddr, true}`, `.reuse_address = true`. */
  private optionWord(i: number, option: ReuseOption): void {
    const { view } = this;
    const next = view.at(i + 1);
    if (!next || next.kind !== Tk.Punct) return;
    const receiver = view.receiverOf(i);
    const assign = next.text === '=' || next.text === '<-' || next.text === ':=';
    const pair = next.text === ':' || next.text === '=>' || (assign && !receiver && view.parent[i] !== -1);
    const tuple = next.text === ',' && view.isPunct(i - 1, '{');
    if (!assign && !pair && !tuple) return;
    const valueFrom = i + 2;
    let valueTo = valueFrom;
    // The value runs to the next comma or closing bracket at this depth (or the statement end).
    for (let k = valueFrom; k < view.length; k++) {
      const t = view.at(k);
      if (!t) break;
      if (t.kind === Tk.Punct && (t.text === '(' || t.text === '[' || t.text === '{')) {
        k = view.closerOf(k);
        valueTo = k;
        continue;
      }
      if (t.kind === Tk.Punct && (t.text === ',' || t.text === ';' || t.text === ')' || t.text === ']' || t.text === '}')) break;
      if (k > valueFrom && view.breaksBefore(k)) break;
      valueTo = k;
    }
    const valueText = view.source(valueFrom, valueTo);
    const enabled = this.enabledOf(valueFrom, valueTo);
    if (receiver && assign) {
      const subject = this.subjectFor(i, null) ?? null;
      if (!subject) return;
      subject.strong = true;
      this.addOption(subject, option, enabled, i, this.tokenSpan(receiver.root, valueTo), 'property', false, null, valueText);
      return;
    }
    const owner = this.ownerOf(i);
    if (!owner) return;
    const start = view.isPunct(i - 1, '.') || view.isPunct(i - 1, '-') || (tuple && view.isPunct(i - 1, '{')) ? i - 1 : i;
    const end = tuple && view.isPunct(valueTo + 1, '}') ? valueTo + 1 : valueTo;
    owner.socket.strong = true;
    const form: OptionForm = tuple ? 'tuple' : 'pair';
    this.addOption(owner.socket, option, enabled, i, this.tokenSpan(start, end), form, owner.binding, owner.shape, valueText);
  }

  private multicastWord(i: number, key: string): void {
    const { view } = this;
    if (key === 'broadcast' || key === 'membership') {
      const owner = this.ownerOf(i);
      const value = view.textAt(i + 2);
      if (owner && (key !== 'broadcast' || !FALSE_WORDS.has(value.toLowerCase()))) {
        owner.socket.multicast = true;
        owner.socket.strong = true;
      }
      return;
    }
    const receiver = view.receiverOf(i);
    if (receiver && view.isPunct(i + 1, '(')) {
      const subject = this.subjectFor(i, this.shapeOf(i));
      if (subject) {
        subject.multicast = true;
        subject.strong = true;
        if (subject.protocol === 'unknown') subject.protocol = 'udp';
      }
      return;
    }
    const owner = this.ownerOf(i);
    if (owner) {
      owner.socket.multicast = true;
      owner.socket.strong = true;
    }
  }

  /** Is the value true? Literals, 0/1, names holding numbers; unknown values count as enabling. */
  private enabledOf(from: number, to: number): boolean {
    const { view } = this;
    for (let k = from; k <= to; k++) {
      const t = view.at(k);
      if (!t) continue;
      const raw = t.text.toLowerCase().replace(/^[:$]/, (m) => (m === '$' ? '$' : ''));
      if (t.kind === Tk.Ident && TRUE_WORDS.has(raw)) return true;
      if (t.kind === Tk.Ident && FALSE_WORDS.has(raw)) return false;
      if (t.kind === Tk.Number) {
        const v = evaluateNumber(view, k, k, null);
        if (v !== null) return v !== 0;
      }
      if (t.kind === Tk.String && /^(?:true|false|0|1|yes|no)$/i.test(t.text)) return /^(?:true|1|yes)$/i.test(t.text);
      if (t.kind === Tk.Ident && k === to && (from === to || view.isPunct(from, '&'))) {
        const v = this.consts.numberOf(t.text, from);
        if (v !== null) return v !== 0;
        const a = this.consts.lookup(t.text, from);
        if (a && a.from === a.to) {
          const w = a.view.textAt(a.from).toLowerCase();
          if (FALSE_WORDS.has(w)) return false;
        }
      }
    }
    return true;
  }

  private addOption(rec: SocketRecord, option: ReuseOption, enabled: boolean, index: number, span: Span, form: OptionForm, inBind: boolean, owner: CallShape | null, valueText: string): void {
    let platforms = this.guards.at(span.start);
    // `ReuseAddr => ($^O ne 'MSWin32')`, `{reuseaddr, os:type() =/= {win32, nt}}`: the value is a platform test.
    if (valueText && !/^\s*(?:true|false|1|0|yes|no)\s*$/i.test(valueText)) {
      const split = splitCondition(valueText);
      if (split) platforms = intersect(platforms, split.whenTrue);
    }
    if (this.optionTokens.has(index)) return;
    this.optionTokens.add(index);
    rec.options.push({ option, enabled, index, span, form, inBind, platforms, owner });
  }

  // ---- facts -----------------------------------------------------------------------------------

  facts(): FileFacts {
    const facts: FileFacts = { sockets: [], options: [], binds: [], constants: this.constantFacts() };
    const used = new Set<string>();
    for (const rec of this.sockets) {
      if (rec.tentative && !rec.strong) continue;
      if (rec.binds.length === 0 && rec.options.length === 0) continue;
      if (rec.protocol === 'unknown' && (rec.listens || rec.accepts)) rec.protocol = 'tcp';
      let id = `s@${rec.span.start}`;
      for (let n = 2; used.has(id); n++) id = `s@${rec.span.start}#${n}`;
      used.add(id);
      rec.id = id;
      this.kept.push(rec);
      // A socket only seen through a variable of unknown origin (a parameter, `self`) whose bind port
      // cannot be read is a library's bind wrapper or a mention, not a server this file runs.
      const wrapper = rec.tentative && !rec.binds.some((b) => b.info.port !== null);
      const serves = rec.serverApi || rec.listens || rec.accepts || (rec.protocol === 'udp' && rec.receives && rec.binds.length > 0);
      const role = serves ? (wrapper ? 'unknown' : 'server') : rec.connects ? 'client' : 'unknown';
      const socket: SocketFact = { id, protocol: rec.protocol, role, api: rec.api, span: rec.span, multicast: rec.multicast };
      if (rec.variable) socket.variable = rec.variable;
      facts.sockets.push(socket);
      const first = rec.binds[0];
      for (const b of rec.binds) {
        const bind: BindFact = {
          socketId: id,
          span: b.span,
          port: b.info.port,
          host: b.info.host,
          hostKind: classifyHost(b.info.host),
          explicitWildcard: b.info.explicitWildcard,
          platforms: this.guards.at(b.span.start),
          implicit: this.implicitFor(rec),
          bindsAtCreation: b.atCreation,
        };
        facts.binds.push(bind);
      }
      // JDK server sockets only record SO_REUSEADDR on Windows (exclusive bind); it never reaches Winsock.
      // Erlang/Elixir gen_tcp: inet_drv.c does not pass {reuseaddr, true} to Winsock for TCP sockets
      // (erlang/otp PR #6481; only OTP 25.x did), so it cannot open a Windows hijack there. gen_udp since
      // OTP 26 sets SO_REUSEADDR on Windows only when reuseport is asked for too (erlang/otp PR #6522).
      const emulatedOnWindows = (this.syntax.runtime === 'jvm' || rec.kind === 'gen') && rec.protocol === 'tcp';
      const genNeedsReuseport = rec.kind === 'gen' && rec.protocol !== 'tcp' && !rec.options.some((o) => o.option === 'reuseport' && o.enabled);
      for (const o of rec.options) {
        const timing = o.inBind || !first || o.index < first.index ? 'before' : 'after';
        const notOnWindows = (emulatedOnWindows || genNeedsReuseport) && o.option === 'reuseaddr';
        const platforms = notOnWindows ? o.platforms.filter((p) => p !== 'win32') : o.platforms;
        facts.options.push({ socketId: id, option: o.option, enabled: o.enabled, span: o.span, platforms, timing });
      }
    }
    return facts;
  }

  private implicitFor(rec: SocketRecord): Implicit {
    const runtime = this.syntax.runtime;
    switch (rec.kind) {
      case 'jvm-server':
      case 'netty':
      case 'dart-server':
        return IMPLICIT_UNIX_RA_WIN_EX;
      case 'ktor':
      case 'jvm-datagram':
        return rec.protocol === 'udp' ? IMPLICIT_WIN_EX : IMPLICIT_UNIX_RA_WIN_EX;
      case 'jvm-multicast':
      case 'luasocket-bind':
      case 'dart-datagram':
        return IMPLICIT_ALL_RA;
      case 'tcl':
      case 'dotnet-listener':
      case 'crystal-server':
        return IMPLICIT_UNIX_RA;
      case 'listener':
        return runtime === 'jvm' || runtime === 'dart' ? IMPLICIT_UNIX_RA_WIN_EX : IMPLICIT_UNIX_RA;
      case 'c':
      case 'unknown':
        if (rec.protocol === 'udp') return runtime === 'jvm' ? IMPLICIT_WIN_EX : IMPLICIT_NONE;
        // Every TCP socket on these runtimes comes from an API that sets SO_REUSEADDR on Unix.
        if (runtime === 'jvm' || runtime === 'dart') return IMPLICIT_UNIX_RA_WIN_EX;
        if (runtime === 'dotnet' || runtime === 'julia') return IMPLICIT_UNIX_RA;
        return IMPLICIT_NONE;
      default:
        return IMPLICIT_NONE;
    }
  }

  /** Hand-written `SO_EXCLUSIVEADDRUSE` definitions with their computed values. */
  private constantFacts(): ConstantFact[] {
    const out: ConstantFact[] = [];
    for (const a of this.consts.assignmentsOf('SO_EXCLUSIVEADDRUSE')) {
      const from = a.view.at(a.from);
      const to = a.view.at(a.to);
      if (!from || !to) continue;
      const nameTok = a.at >= 0 ? this.view.at(a.at) : undefined;
      const start = a.declStart ?? this.view.at(this.view.statementStart(a.at))?.start ?? nameTok?.start ?? from.start;
      const value = evaluateNumber(a.view, a.from, a.to, this.consts);
      out.push({ name: 'SO_EXCLUSIVEADDRUSE', value, span: { start, end: to.end }, valueSpan: { start: from.start, end: to.end } });
    }
    return out;
  }
}

