// Fixes written in the file's own language where the idiom is clear: an option line before the bind,
// an option added to the call that binds (`ReuseAddr => 1`, `{reuseaddr, true}`, `-reuseport 1`,
// `reusePort: true`), Windows guards, removals. Anything less clear returns null.
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import type { ReuseOption } from '../../analysis/facts';
import type { SourceDocument } from '../adapter';
import { deleteLines, indentUnit, insertLinesBefore, lineEndAt, lineStartAt } from '../common/textEdits';
import type { CallShape, LexicalAnalysis, OptionRecord, SocketRecord } from './lexicalFacts';
import type { TokenView } from './tokenStructure';

type AddableOption = Exclude<ReuseOption, 'exclusiveaddruse'>;

const C_NAMES: Record<ReuseOption, string> = { reuseaddr: 'SO_REUSEADDR', reuseport: 'SO_REUSEPORT', exclusiveaddruse: 'SO_EXCLUSIVEADDRUSE' };

export function writeFix(doc: SourceDocument, analysis: LexicalAnalysis, request: FixRequest): Fix | null {
  const writer = new FixWriter(doc.text, analysis);
  switch (request.kind) {
    case 'add-option': {
      const socket = writer.socket(request.socket.id, request.bind.span.start);
      return socket ? writer.addOption(socket, request.option) : null;
    }
    case 'move-before-bind': {
      const found = writer.option(request.option.span.start);
      return found ? writer.moveBeforeBind(found.socket, found.option) : null;
    }
    case 'add-exclusive': {
      const socket = writer.socket(request.socket.id, request.bind.span.start);
      return socket ? writer.addExclusive(socket) : null;
    }
    case 'guard-not-windows': {
      const found = writer.option(request.option.span.start);
      return found ? writer.guardNotWindows(found.option) : null;
    }
    case 'remove-option': {
      const found = writer.option(request.option.span.start);
      return found ? writer.removeOption(found.option) : null;
    }
    case 'fix-exclusive-constant': {
      const { valueSpan } = request.constant;
      if (doc.text.slice(valueSpan.start, valueSpan.end).trim() === '-5') return null;
      return { title: 'Use SO_EXCLUSIVEADDRUSE = ~SO_REUSEADDR (-5)', edits: [{ start: valueSpan.start, end: valueSpan.end, newText: '-5' }] };
    }
    default:
      return null;
  }
}

class FixWriter {
  private readonly view: TokenView;
  private readonly lang: string;

  constructor(private readonly text: string, private readonly analysis: LexicalAnalysis) {
    this.view = analysis.view;
    this.lang = analysis.view.syntax.id;
  }

  socket(id: string, bindStart: number): SocketRecord | undefined {
    return this.analysis.sockets.find((s) => s.id === id) ?? this.analysis.sockets.find((s) => s.binds.some((b) => b.span.start === bindStart));
  }

  option(start: number): { socket: SocketRecord; option: OptionRecord } | undefined {
    for (const socket of this.analysis.sockets) {
      const option = socket.options.find((o) => o.span.start === start);
      if (option) return { socket, option };
    }
    return undefined;
  }

  // ---- add-option -------------------------------------------------------------------------

  addOption(socket: SocketRecord, option: AddableOption): Fix | null {
    const bind = socket.binds[0];
    if (!bind) return null;
    // Already set on this socket where it runs before the bind (a fix applied once): nothing to add.
    if (socket.options.some((o) => o.option === option && o.enabled && (o.inBind || o.span.start < bind.span.start))) return null;
    const title = `Set ${C_NAMES[option]} before binding`;
    const edits = this.addOptionEdits(socket, option);
    return edits && edits.length > 0 ? { title, edits } : null;
  }

  private addOptionEdits(socket: SocketRecord, option: AddableOption): TextEdit[] | null {
    const bind = socket.binds[0];
    if (!bind) return null;
    const call = bind.call ?? socket.creation;
    // An explicit `-reuseaddr 0` / `ReuseAddr => 0` / `reuseaddr: false` is turned on where it is.
    const disabled = socket.options.find((o) => o.option === option && !o.enabled && (o.form === 'pair' || o.form === 'tuple' || o.form === 'flag'));
    if (disabled) {
      const value = this.valueRange(disabled);
      const on = this.lang === 'tcl' || this.lang === 'perl' ? '1' : this.lang === 'powershell' ? '$true' : 'true';
      return value ? [{ start: value.start, end: value.end, newText: on }] : null;
    }
    switch (socket.kind) {
      case 'perl-io':
        return call ? this.appendArgument(call, option === 'reuseaddr' ? 'ReuseAddr => 1' : 'ReusePort => 1') : null;
      case 'gen':
        return call ? this.erlangOption(call, option) : null;
      case 'tcl':
        return this.tclFlag(socket, option);
      case 'ktor':
        return call ? this.ktorOption(call, option) : null;
      case 'dart-datagram':
        return call && option === 'reuseport' ? this.appendArgument(call, 'reusePort: true') : null;
      case 'crystal-server':
        return call && option === 'reuseport' && socket.api === 'TCPServer.new' ? this.appendArgument(call, 'reuse_port: true') : null;
      case 'zig-listen':
        return call && option === 'reuseaddr' ? this.zigListenOption(call) : null;
      case 'nio':
        return call && option === 'reuseaddr' && socket.protocol === 'tcp' ? this.nioOption(bind.call) : null;
      case 'c':
      case 'unknown':
      case 'luasocket':
      case 'jvm-server':
      case 'jvm-datagram':
      case 'dotnet-listener':
        if (socket.api === 'udp_open') return this.tclFlag(socket, option);
        if (bind.atCreation) return null;
        if (this.lang === 'julia') return bind.call ? this.juliaKeyword(bind.call, option) : null;
        return this.optionLineBefore(socket, option);
      default:
        return null;
    }
  }

  /** Inserts the language's "set option" statement before the statement holding the bind. */
  private optionLineBefore(socket: SocketRecord, option: AddableOption): TextEdit[] | null {
    const bind = socket.binds[0];
    if (!bind?.call) return null;
    const v = this.subjectText(bind.call);
    if (!v) return null;
    const ns = this.namespaceOf(bind.call);
    const lines = this.optionStatement(v, option, ns, socket);
    if (!lines) return null;
    const at = this.statementOffset(bind.call.root);
    const edit = insertLinesBefore(this.text, at, lines);
    return edit ? [edit] : null;
  }

  /** The statement(s) that turn `option` on for the socket written `v`, guarded off Windows for SO_REUSEADDR. */
  private optionStatement(v: string, option: AddableOption, ns: string, socket: SocketRecord): string[] | null {
    const c = C_NAMES[option];
    const unit = indentUnit(this.text);
    const ra = option === 'reuseaddr';
    switch (this.lang) {
      case 'objective-c':
      case 'c':
        return [ra ? '#ifndef _WIN32' : '#ifdef SO_REUSEPORT', `setsockopt(${v}, SOL_SOCKET, ${c}, &(int){1}, sizeof(int));`, '#endif'];
      case 'swift': {
        const flag = ra ? 'reuseAddrOn' : 'reusePortOn';
        return ['#if !os(Windows)', `var ${flag}: Int32 = 1`, `setsockopt(${v}, SOL_SOCKET, ${c}, &${flag}, socklen_t(MemoryLayout<Int32>.size))`, '#endif'];
      }
      case 'perl':
        return [`setsockopt(${v}, SOL_SOCKET, ${c}, 1) unless $^O eq 'MSWin32';`];
      case 'zig': {
        const p = ns || 'std.posix';
        const stmt = `try ${p}.setsockopt(${v}, ${p}.SOL.SOCKET, ${p}.SO.${c.slice(3)}, &std.mem.toBytes(@as(c_int, 1)));`;
        return [ra ? `if (@import("builtin").os.tag != .windows) ${stmt}` : stmt];
      }
      case 'd':
        return ra ? [`version (Posix) ${v}.setOption(SocketOptionLevel.SOCKET, SocketOption.REUSEADDR, true);`] : null;
      case 'nim': {
        const stmt = `${v}.setSockOpt(${ra ? 'OptReuseAddr' : 'OptReusePort'}, true)`;
        return ra ? ['when not defined(windows):', `${unit}${stmt}`] : [stmt];
      }
      case 'haskell':
        return [`setSocketOption ${v} ${ra ? 'ReuseAddr' : 'ReusePort'} 1`];
      case 'ocaml': {
        const p = ns === 'Unix' ? 'Unix.' : '';
        const stmt = `${p}setsockopt ${v} ${p}${c} true;`;
        return [ra ? `if not Sys.win32 then ${stmt}` : stmt];
      }
      case 'lua': {
        const stmt = `${v}:setoption("${ra ? 'reuseaddr' : 'reuseport'}", true)`;
        return [ra ? `if package.config:sub(1, 1) ~= "\\\\" then ${stmt} end` : stmt];
      }
      case 'kotlin':
        return [ra ? `${v}.reuseAddress = true` : `${v}.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true)`];
      case 'scala':
      case 'groovy':
        return [ra ? `${v}.setReuseAddress(true)` : `${v}.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true)`];
      case 'powershell': {
        if (!ra) return null;
        const target = socket.kind === 'dotnet-listener' ? `${v}.Server` : v;
        return [`${target}.SetSocketOption([System.Net.Sockets.SocketOptionLevel]::Socket, [System.Net.Sockets.SocketOptionName]::ReuseAddress, $true)`];
      }
      default:
        return null;
    }
  }

  /** The socket as written at the call: `$sock` in `bind($sock, ...)`, `fd` in `bind(fd, ...)`, `server` in `server.bind(...)`. */
  private subjectText(call: CallShape): string | null {
    const { view } = this;
    if (call.root < call.name) {
      // Receiver chain: `server.bind`, `$sock->bind`, `tcp:bind`, minus a module prefix (`Unix.bind`).
      const text = view.source(call.root, call.name - 2);
      if (!/^(?:Unix|UnixLabels|std\.posix|posix|std\.os|os|Darwin|Glibc|Foundation|Sockets|Network\.Socket)$/.test(text)) return text;
    }
    const first = call.args[0];
    if (!first) return null;
    const text = view.source(first[0], first[1]).replace(/^(?:my|our|local)\s+/, '');
    return /^[$@]?[\w.:]+$/.test(text) ? text : null;
  }

  private namespaceOf(call: CallShape): string {
    if (call.root >= call.name) return '';
    const text = this.view.source(call.root, call.name - 2);
    return /^(?:Unix|std\.posix|posix|std\.os|os)$/.test(text) ? text : '';
  }

  /** Offset of the outermost statement holding token `i` (out of `if (bind(...) < 0)` and closures on one line). */
  private statementOffset(i: number): number {
    const { view } = this;
    let k = i;
    while ((view.parent[k] ?? -1) >= 0) {
      const p = view.parent[k] ?? -1;
      const open = view.at(p);
      if (!open || open.text === '{') break;
      k = p;
    }
    return view.at(view.statementStart(k))?.start ?? view.at(i)?.start ?? 0;
  }

  /** Appends `arg` to a call's argument list, on its own line when the list is one argument per line. */
  private appendArgument(call: CallShape, arg: string): TextEdit[] | null {
    const { view, text } = this;
    if (call.open < 0) return null;
    const close = view.at(call.close);
    const last = call.args[call.args.length - 1];
    if (!close) return null;
    if (!last) return [{ start: close.start, end: close.start, newText: arg }];
    const lastEnd = view.at(last[1])?.end ?? close.start;
    const between = text.slice(lastEnd, close.start);
    const trailingComma = /^\s*,/.test(between);
    if (between.includes('\n')) {
      const lineOfLast = lineStartAt(text, view.at(last[0])?.start ?? lastEnd);
      const indent = /^[ \t]*/.exec(text.slice(lineOfLast))?.[0] ?? '';
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const insertAt = trailingComma ? lineEndAt(text, lastEnd) : lastEnd;
      return [{ start: insertAt, end: insertAt, newText: trailingComma ? `${eol}${indent}${arg},` : `,${eol}${indent}${arg}` }];
    }
    return [{ start: lastEnd, end: lastEnd, newText: `, ${arg}` }];
  }

  private erlangOption(call: CallShape, option: AddableOption): TextEdit[] | null {
    const { view } = this;
    const elixir = this.lang === 'elixir';
    const word = option === 'reuseaddr' ? 'reuseaddr' : 'reuseport';
    const opts = call.args[1];
    if (!opts) return this.appendArgument(call, elixir ? `${word}: true` : `[{${word}, true}]`);
    if (!view.isPunct(opts[0], '[') || view.closerOf(opts[0]) !== opts[1]) {
      // A keyword list written without brackets in Elixir: `listen(port, active: false)`.
      return elixir && view.isPunct(opts[0] + 1, ':') ? this.appendArgument(call, `${word}: true`) : null;
    }
    const close = view.at(opts[1]);
    if (!close) return null;
    const empty = opts[1] === opts[0] + 1;
    const item = elixir ? `${word}: true` : `{${word}, true}`;
    return [{ start: close.start, end: close.start, newText: empty ? item : `, ${item}` }];
  }

  private tclFlag(socket: SocketRecord, option: AddableOption): TextEdit[] | null {
    const call = socket.creation;
    if (!call) return null;
    const { view } = this;
    if (socket.api === 'udp_open') {
      // TclUDP: `udp_open port reuse` (the word must follow the port).
      const port = call.args[0];
      const end = port ? view.at(port[1]) : undefined;
      if (option !== 'reuseaddr' || !port || !end || view.source(port[0], port[1]) === 'ipv6') return null;
      return [{ start: end.end, end: end.end, newText: ' reuse' }];
    }
    const server = call.args.findIndex(([a, b]) => view.source(a, b) === '-server');
    const command = call.args[server + 1];
    if (server < 0 || !command) return null;
    const after = view.at(command[1]);
    if (!after) return null;
    return [{ start: after.end, end: after.end, newText: ` -${option} 1` }];
  }

  private ktorOption(call: CallShape, option: AddableOption): TextEdit[] | null {
    const { view } = this;
    const setting = option === 'reuseaddr' ? 'reuseAddress = true' : 'reusePort = true';
    if (view.isPunct(call.close + 1, '{')) {
      const open = view.at(call.close + 1);
      const close = view.at(view.closerOf(call.close + 1));
      if (!open || !close) return null;
      const body = this.text.slice(open.end, close.start);
      return [{ start: open.end, end: open.end, newText: body.trim() === '' ? ` ${setting} ` : ` ${setting};` }];
    }
    const close = view.at(call.close);
    return close ? [{ start: close.end, end: close.end, newText: ` { ${setting} }` }] : null;
  }

  private zigListenOption(call: CallShape): TextEdit[] | null {
    const { view } = this;
    const arg = call.args[0];
    if (!arg) return null;
    // `.{}` or `.{ .kernel_backlog = 128 }`
    if (!view.isPunct(arg[0], '.') || !view.isPunct(arg[0] + 1, '{')) return null;
    const open = view.at(arg[0] + 1);
    const closeIdx = view.closerOf(arg[0] + 1);
    if (!open) return null;
    const empty = closeIdx === arg[0] + 2;
    return [{ start: open.end, end: open.end, newText: empty ? ' .reuse_address = true ' : ' .reuse_address = true,' }];
  }

  private nioOption(call: CallShape | null): TextEdit[] | null {
    if (!call || call.root >= call.name) return null;
    const dot = this.view.at(call.name - 1);
    if (!dot) return null;
    return [{ start: dot.start, end: dot.start, newText: '.serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)' }];
  }

  private juliaKeyword(call: CallShape, option: AddableOption): TextEdit[] | null {
    if (option !== 'reuseaddr' || call.open < 0) return null;
    const close = this.view.at(call.close);
    if (!close) return null;
    const hasKeywords = this.view.source(call.open, call.close).includes(';');
    return [{ start: close.start, end: close.start, newText: hasKeywords ? ', reuseaddr=true' : '; reuseaddr=true' }];
  }

  // ---- move-before-bind ------------------------------------------------------------------------

  moveBeforeBind(socket: SocketRecord, option: OptionRecord): Fix | null {
    const bind = socket.binds[0];
    if (!bind || bind.atCreation || !bind.call || option.form === 'pair' || option.form === 'tuple' || option.form === 'flag') return null;
    const lines = this.ownLines(option);
    if (!lines) return null;
    const guards = this.analysis.guards;
    if (guards.at(option.span.start).join() !== guards.at(bind.span.start).join()) return null;
    const statement = this.text.slice(lines.stmtStart, lines.stmtEnd);
    const insert = insertLinesBefore(this.text, this.statementOffset(bind.call.root), [statement]);
    if (!insert) return null;
    return { title: 'Move the option before bind', edits: [insert, deleteLines(this.text, lines.stmtStart, lines.stmtEnd)] };
  }

  /** The option's statement when it is alone on its line(s): its offsets without indentation. */
  private ownLines(option: OptionRecord): { stmtStart: number; stmtEnd: number } | null {
    const { view, text } = this;
    const first = view.statementStart(this.tokenAt(option.span.start));
    const lastTok = view.statementEnd(this.tokenAt(option.span.end - 1));
    const a = view.at(first);
    const b = view.at(lastTok);
    if (!a || !b) return null;
    const lineStart = lineStartAt(text, a.start);
    const lineEnd = lineEndAt(text, b.end);
    if (text.slice(lineStart, a.start).trim() !== '') return null;
    const rest = text.slice(b.end, lineEnd).trim();
    if (rest !== '' && rest !== ';' && !/^(?:\/\/|#|--|%)/.test(rest)) return null;
    return { stmtStart: a.start, stmtEnd: rest === ';' ? text.indexOf(';', b.end) + 1 : b.end };
  }

  private tokenAt(offset: number): number {
    const tokens = this.view.tokens;
    let lo = 0;
    let hi = tokens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((tokens[mid]?.start ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // ---- add-exclusive ----------------------------------------------------------------------------

  addExclusive(socket: SocketRecord): Fix | null {
    const bind = socket.binds[0];
    if (!bind) return null;
    if (socket.kind === 'dart-datagram' && !socket.multicast && bind.call) {
      if (socket.options.some((o) => o.option === 'reuseaddr')) return null;
      const edits = this.appendArgument(bind.call, 'reuseAddress: false');
      return edits ? { title: 'Turn off reuseAddress (on by default, and a hijack risk on Windows)', edits } : null;
    }
    if ((this.lang === 'objective-c' || this.lang === 'c') && bind.call && !bind.atCreation) {
      const v = this.subjectText(bind.call);
      if (!v) return null;
      const edit = insertLinesBefore(this.text, this.statementOffset(bind.call.root), ['#ifdef _WIN32', `setsockopt(${v}, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&(int){1}, sizeof(int));`, '#endif']);
      return edit ? { title: 'Set SO_EXCLUSIVEADDRUSE on Windows before binding', edits: [edit] } : null;
    }
    return null;
  }

  // ---- guard-not-windows ------------------------------------------------------------------------

  guardNotWindows(option: OptionRecord): Fix | null {
    const title = 'Do not set SO_REUSEADDR on Windows';
    const edits = this.guardEdits(option);
    return edits ? { title, edits } : null;
  }

  private guardEdits(option: OptionRecord): TextEdit[] | null {
    const { text } = this;
    const valueEdit = (replacement: string): TextEdit[] | null => {
      const value = this.valueRange(option);
      return value ? [{ start: value.start, end: value.end, newText: replacement }] : null;
    };
    if (option.form === 'pair' || option.form === 'tuple' || option.form === 'flag') {
      switch (this.lang) {
        case 'perl':
          return valueEdit("($^O ne 'MSWin32')");
        case 'erlang':
          return valueEdit('os:type() =/= {win32, nt}');
        case 'elixir':
          return valueEdit(':os.type() != {:win32, :nt}');
        case 'tcl':
          return valueEdit('[expr {$::tcl_platform(platform) ne "windows"}]');
        case 'dart':
          return valueEdit('!Platform.isWindows');
        case 'julia':
          return valueEdit('!Sys.iswindows()');
        case 'zig':
          return valueEdit('@import("builtin").os.tag != .windows');
        case 'kotlin':
          return valueEdit('!System.getProperty("os.name").startsWith("Windows")');
        default:
          return null;
      }
    }
    const lines = this.ownLines(option);
    if (!lines) return null;
    const stmt = text.slice(lines.stmtStart, lines.stmtEnd);
    const unit = indentUnit(text);
    const replaceWith = (newText: string): TextEdit[] => [{ start: lines.stmtStart, end: lines.stmtEnd, newText }];
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const indent = /^[ \t]*/.exec(text.slice(lineStartAt(text, lines.stmtStart)))?.[0] ?? '';
    switch (this.lang) {
      case 'objective-c':
      case 'c':
        return replaceWith(`#ifndef _WIN32${eol}${indent}${stmt}${eol}${indent}#endif`);
      case 'swift':
        return replaceWith(`#if !os(Windows)${eol}${indent}${stmt}${eol}${indent}#endif`);
      case 'perl':
        return stmt.endsWith(';') ? replaceWith(`${stmt.slice(0, -1)} unless $^O eq 'MSWin32';`) : null;
      case 'lua':
        return replaceWith(`if package.config:sub(1, 1) ~= "\\\\" then ${stmt} end`);
      case 'kotlin':
      case 'scala':
      case 'groovy':
        return replaceWith(`if (!System.getProperty("os.name").startsWith("Windows")) ${stmt}`);
      case 'powershell':
        return replaceWith(`if ([System.Environment]::OSVersion.Platform -ne 'Win32NT') { ${stmt} }`);
      case 'zig':
        return replaceWith(`if (@import("builtin").os.tag != .windows) ${stmt}`);
      case 'd':
        return replaceWith(`version (Posix) ${stmt}`);
      case 'ocaml':
        return replaceWith(`if not Sys.win32 then ${stmt}`);
      case 'nim':
        return replaceWith(`when not defined(windows):${eol}${indent}${unit}${stmt}`);
      case 'fsharp':
        return replaceWith(`if not (System.OperatingSystem.IsWindows()) then ${stmt}`);
      default:
        return null;
    }
  }

  private valueRange(option: OptionRecord): { start: number; end: number } | null {
    const { view } = this;
    const name = this.tokenAt(option.span.start) + (option.form === 'tuple' || option.form === 'flag' || view.isPunct(this.tokenAt(option.span.start), '.') ? 1 : 0);
    const from = option.form === 'flag' ? name + 1 : name + 2;
    let to = this.tokenAt(option.span.end - 1);
    if (option.form === 'tuple' && view.isPunct(to, '}')) to--;
    const a = view.at(from);
    const b = view.at(to);
    return a && b && to >= from ? { start: a.start, end: b.end } : null;
  }

  // ---- remove-option -----------------------------------------------------------------------------

  removeOption(option: OptionRecord): Fix | null {
    const title = `Remove ${C_NAMES[option.option]}`;
    const { text } = this;
    if (option.form === 'pair' || option.form === 'tuple' || option.form === 'flag') {
      let start = option.span.start;
      let end = option.span.end;
      const after = /^\s*,[ \t]*/.exec(text.slice(end));
      if (option.form !== 'flag' && after) end += after[0].length;
      else {
        const before = /,\s*$/.exec(text.slice(Math.max(0, start - 200), start));
        if (option.form !== 'flag' && before) start -= before[0].length;
        else if (option.form === 'flag' && text[start - 1] === ' ') start -= 1;
      }
      return { title, edits: [{ start, end, newText: '' }] };
    }
    const lines = this.ownLines(option);
    if (!lines) return null;
    return { title, edits: [deleteLines(text, lines.stmtStart, lines.stmtEnd)] };
  }
}
