// Reading the local address of a bind from its arguments: host strings and wildcard names, ports in
// `htons(8080)` / `Port(8080)` / `InetSocketAddress(8080)` / `LocalPort => 8080` / `port: 8080` /
// "host:port" strings, and names bound to such values earlier in the file.
import { splitHostPort } from '../common/hostPort';
import { evaluateNumber, normalizeName, type ConstantTable } from './constantValues';
import type { TokenView } from './tokenStructure';
import { Tk } from './tokenizer';
import { LOOPBACK_IDENTS, WILDCARD_IDENTS, wordKey } from './vocabulary';

export interface AddressInfo {
  host: string | null;
  port: number | null;
  /** A host was written as a literal wildcard ("0.0.0.0", "", "::", "*", INADDR_ANY, ":8080"). */
  explicitWildcard: boolean;
  /** Something in the arguments reads as a socket address (a host, a port, a sockaddr). */
  evidence: boolean;
}

const HOST_LABELS = new Set(['host', 'hostname', 'address', 'addr', 'localaddr', 'localhost', 'myaddr', 'ip', 'bindaddress', 'bindaddr', 'interface', 'iface', 'ifaddr', 'listenaddress', 'sourceaddress', 'bindhost', 'localaddress']);
const PORT_LABELS = new Set(['port', 'localport', 'localservice', 'service', 'portnumber', 'listenport', 'bindport']);
/** Calls whose one numeric argument is a port. */
const PORT_WRAPPERS = new Set(['htons', 'port', 'inport', 'inportt', 'uint16', 'cfswapint16hosttobig', 'nwendpointport', 'portnumber', 'tcpport', 'udpport']);
/** Calls building a socket address: a number inside is the port, a string the host. */
const ADDRESS_BUILDERS = new Set([
  'inetsocketaddress', 'ipendpoint', 'internetaddress', 'internet6address', 'sockaddrinet', 'sockaddrinet6', 'addrinet', 'sockaddrin',
  'packsockaddrin', 'parseip4', 'parseip6', 'parseip', 'initip4', 'initip6', 'resolveip', 'ipaddress', 'socketaddress', 'inetaddress',
  'sockaddr', 'sockaddrv4', 'sockaddrv6', 'inetsockaddr', 'nwendpoint', 'hostport', 'endpoint', 'sockaddrin6', 'newaddress', 'address',
]);
/** Names that only appear where a socket address is built or passed. */
const ADDRESS_NAMES = /sockaddr|SockAddr|InetSocketAddress|IPEndPoint|InternetAddress|INADDR_|IN6ADDR_|in6addr_|inaddr_|inet_addr|ai_addr|addrAddress|ADDR_INET|anyIPv[46]|getaddrinfo|SocketAddress/;
/** Names of variables that hold an address: `addr`, `serv_addr`, `serverAddress`, `sa`, `sin`. */
const ADDRESS_VAR = /^(?:\w*_)?(?:serv(?:er)?|local|listen|bind|sock|my|host|srv|self|client|cli|own)?_?(?:addr(?:ess)?|sa|sin6?|endpoint|ep)(?:_?(?:in6?|info|storage|ptr|len|v4|v6))?\d*$/i;

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Does a string read as a host a program would bind? */
function hostLike(s: string): boolean {
  const h = s.trim();
  if (h === '*' || h === '::' || h === '[::]' || h === '::1' || h === '[::1]' || h.toLowerCase() === 'localhost') return true;
  if (IPV4.test(h)) return true;
  return /^\[?[0-9a-fA-F]*:[0-9a-fA-F:]+\]?$/.test(h) && h.includes('::');
}

function isMulticastHost(h: string): boolean {
  const m = /^(\d{1,3})\./.exec(h);
  if (m) {
    const first = Number.parseInt(m[1] ?? '0', 10);
    return first >= 224 && first <= 239;
  }
  return /^\[?ff[0-9a-f]{2}:/i.test(h);
}

export function isGroupAddress(host: string | null): boolean {
  return host !== null && isMulticastHost(host);
}

export class AddressReader {
  constructor(private readonly view: TokenView, private readonly consts: ConstantTable) {}

  /**
   * Reads host and port from argument ranges. `trusted` is true when the callee is known to bind a
   * socket: then a bare number is the port; otherwise only labeled or wrapped numbers count.
   */
  read(args: ReadonlyArray<[number, number]>, trusted: boolean, before: number): AddressInfo {
    const info: AddressInfo = { host: null, port: null, explicitWildcard: false, evidence: false };
    const bareNumbers: number[] = [];
    let bareHost = false;
    for (const [from, to] of args) {
      // An unquoted address (shell `listen 10.0.2.2 $port`, `listen dead:beef::1 $port`) is a host, not a number.
      const bare = this.bareAddress(from, to);
      if (bare !== null) {
        info.evidence = true;
        this.setHost(info, bare, true);
        bareHost = true;
        continue;
      }
      const label = this.labelOf(from, to);
      if (label) {
        const key = wordKey(label.name);
        if (HOST_LABELS.has(key)) this.takeHost(info, label.from, label.to, before, true);
        else if (PORT_LABELS.has(key)) this.takePort(info, label.from, label.to, before);
        else this.scanNested(info, label.from, label.to, before);
        continue;
      }
      const single = from === to ? this.view.at(from) : undefined;
      if (single && single.kind === Tk.Number) {
        const v = evaluateNumber(this.view, from, to, null);
        if (v !== null) bareNumbers.push(v);
        continue;
      }
      if (this.takeHost(info, from, to, before, false)) {
        bareHost = true;
        continue;
      }
      // A name holding a port (`PORT`, `$port`, `?PORT`, `@port`).
      const name = this.simpleName(from, to);
      if (name && /port/i.test(name)) {
        info.evidence = true;
        if (info.port === null) info.port = this.consts.numberOf(name, before);
        continue;
      }
      if (name && trusted) {
        const v = this.consts.numberOf(name, before);
        if (v !== null && v >= 0 && v <= 65535) {
          bareNumbers.push(v);
          continue;
        }
      }
      this.scanNested(info, from, to, before);
    }
    if (info.port === null && bareNumbers.length > 0 && (trusted || bareHost || info.host !== null)) {
      const port = bareNumbers.find((v) => v >= 0 && v <= 65535);
      if (port !== undefined) {
        info.port = port;
        info.evidence = true;
      }
    }
    return info;
  }

  /** An IP address written without quotes: a dotted quad number, or IPv6 glued from numbers, names and colons. */
  private bareAddress(from: number, to: number): string | null {
    const { view } = this;
    const first = view.at(from);
    if (!first || first.kind === Tk.String) return null;
    if (from === to) return first.kind === Tk.Number && IPV4.test(first.text) ? first.text : null;
    for (let k = from; k <= to; k++) {
      const t = view.at(k);
      if (!t || t.kind === Tk.String || (k > from && t.start !== view.at(k - 1)?.end)) return null;
    }
    const text = view.source(from, to);
    return text.includes('::') && hostLike(text) ? text : null;
  }

  /** `name: value`, `name = value`, `Name => value`, `-name value` (Tcl) as an argument. */
  private labelOf(from: number, to: number): { name: string; from: number; to: number } | null {
    const { view } = this;
    const t = view.at(from);
    if (!t) return null;
    if ((t.kind === Tk.Ident || t.kind === Tk.String) && from + 2 <= to) {
      const op = view.at(from + 1);
      if (op && op.kind === Tk.Punct && (op.text === ':' || op.text === '=' || op.text === '=>')) return { name: t.text, from: from + 2, to };
    }
    if (t.kind === Tk.Punct && t.text === '.' && view.isIdent(from + 1) && view.isPunct(from + 2, '=') && from + 3 <= to) {
      return { name: view.textAt(from + 1), from: from + 3, to };
    }
    return null;
  }

  private simpleName(from: number, to: number): string | null {
    const { view } = this;
    let k = from;
    while (k <= to && (view.isPunct(k, '&') || view.isPunct(k, '?') || view.isPunct(k, '*') || view.textAt(k) === 'my')) k++;
    if (k > to || !view.isIdent(k)) return null;
    let end = k;
    while (end + 2 <= to && view.isMemberOp(end + 1) && view.isIdent(end + 2)) end += 2;
    return end === to ? view.textAt(end) : null;
  }

  /** Reads a host from a value range. Returns true when the range is a host. */
  private takeHost(info: AddressInfo, from: number, to: number, before: number, labeled: boolean): boolean {
    const { view } = this;
    const t = view.at(from);
    if (!t) return false;
    // `ip"0.0.0.0"` (Julia), `@"..."`: a prefix name glued to a string.
    const strAt = t.kind === Tk.String ? from : t.kind === Tk.Ident && view.at(from + 1)?.kind === Tk.String && view.at(from + 1)?.start === t.end ? from + 1 : -1;
    if (strAt >= 0 && strAt === to) {
      const s = view.textAt(strAt);
      const hp = /^[a-z]+:\/\/|^[^\s:]*:\d+$|^\[[^\]]*\]:\d+$/i.test(s) ? splitHostPort(s) : null;
      if (hp) {
        info.evidence = true;
        this.setHost(info, hp.host, true);
        if (hp.port !== null && info.port === null) info.port = hp.port;
        return true;
      }
      if (hostLike(s) || (labeled && /^[\w.-]*$/.test(s))) {
        info.evidence = true;
        this.setHost(info, s, true);
        return true;
      }
      return false;
    }
    const name = this.simpleName(from, to);
    if (name) {
      const key = wordKey(name);
      if (WILDCARD_IDENTS.has(key) && (key !== 'any' || from < to)) {
        info.evidence = true;
        this.setHost(info, wildcardSpelling(name), true);
        return true;
      }
      if (LOOPBACK_IDENTS.has(key) && (key !== 'loopback' || from < to)) {
        info.evidence = true;
        this.setHost(info, 'localhost', true);
        return true;
      }
      const s = this.consts.stringOf(name, before);
      if (s !== null && (hostLike(s) || (labeled && s === ''))) {
        info.evidence = true;
        this.setHost(info, s, false);
        return true;
      }
      if (labeled) info.evidence = true;
      return false;
    }
    // `IPv4(0)`, `IPAddress.Parse("0.0.0.0")`, `inet_addr("127.0.0.1")`: look inside.
    if (labeled) this.scanNested(info, from, to, before);
    return false;
  }

  private setHost(info: AddressInfo, host: string, explicit: boolean): void {
    if (info.host !== null) return;
    info.host = host;
    const h = host.trim().toLowerCase();
    if (explicit && (h === '0.0.0.0' || h === '' || h === '::' || h === '[::]' || h === '*' || h === 'inaddr_any' || h === 'in6addr_any')) info.explicitWildcard = true;
  }

  private takePort(info: AddressInfo, from: number, to: number, before: number): void {
    info.evidence = true;
    if (info.port !== null) return;
    const { view } = this;
    // `Port(8080)`, `htons(PORT)`, `"8080"`.
    const t = view.at(from);
    if (t && t.kind === Tk.String && from === to) {
      const v = /^\d+$/.test(t.text) ? Number.parseInt(t.text, 10) : null;
      info.port = v !== null && v <= 65535 ? v : null;
      return;
    }
    const name = this.simpleName(from, to);
    if (name) {
      info.port = this.consts.numberOf(name, before);
      return;
    }
    if (view.isIdent(from) && view.isPunct(from + 1, '(') && PORT_WRAPPERS.has(wordKey(view.textAt(from)))) {
      const close = view.closerOf(from + 1);
      this.takePort(info, from + 2, close - 1, before);
      return;
    }
    const v = evaluateNumber(view, from, to, this.consts);
    info.port = v !== null && v >= 0 && v <= 65535 ? v : null;
  }

  /** Looks into nested calls and groups for address builders, port wrappers and wildcard names. */
  scanNested(info: AddressInfo, from: number, to: number, before: number): void {
    const { view } = this;
    for (let k = from; k <= to; k++) {
      const t = view.at(k);
      if (!t) continue;
      if (t.kind === Tk.Ident) {
        const key = wordKey(t.text);
        if (ADDRESS_NAMES.test(t.text) || ADDRESS_VAR.test(normalizeName(t.text))) info.evidence = true;
        if (WILDCARD_IDENTS.has(key) && (key !== 'any' || view.isMemberOp(k - 1))) {
          info.evidence = true;
          this.setHost(info, wildcardSpelling(t.text), true);
          continue;
        }
        if (LOOPBACK_IDENTS.has(key) && (key !== 'loopback' || view.isMemberOp(k - 1))) {
          info.evidence = true;
          this.setHost(info, 'localhost', true);
          continue;
        }
        const callOpen = view.isPunct(k + 1, '(') ? k + 1 : -1;
        if (PORT_WRAPPERS.has(key) && callOpen > 0) {
          const close = view.closerOf(callOpen);
          this.takePort(info, callOpen + 1, close - 1, before);
          k = close;
          continue;
        }
        if ((key === 'ipv4' || key === 'ipv6') && callOpen > 0 && view.textAt(callOpen + 1) === '0' && view.isPunct(callOpen + 2, ')')) {
          info.evidence = true;
          this.setHost(info, key === 'ipv4' ? '0.0.0.0' : '::', true);
          k = callOpen + 2;
          continue;
        }
        if (ADDRESS_BUILDERS.has(key)) {
          info.evidence = true;
          if (callOpen > 0) {
            const close = view.closerOf(callOpen);
            const inner = this.read(view.splitArgs(callOpen, close), true, before);
            this.merge(info, inner);
            k = close;
          } else if (view.syntax.blockStyle === 'indent' && !view.isMemberOp(k + 1)) {
            // Juxtaposed: `SockAddrInet 8080 0`, `ADDR_INET (addr, 8080)`.
            const args = view.juxtaposedArgs(k);
            const flat: Array<[number, number]> = [];
            for (const [a, b] of args) {
              if (view.isPunct(a, '(') && view.closerOf(a) === b) flat.push(...view.splitArgs(a, b));
              else flat.push([a, b]);
            }
            this.merge(info, this.read(flat.filter(([a]) => a <= to), true, before));
            k = Math.min(to, args[args.length - 1]?.[1] ?? k);
          }
          continue;
        }
      } else if (t.kind === Tk.String && (k === from || !view.isIdent(k - 1) || view.at(k - 1)?.end !== t.start) && hostLike(t.text)) {
        info.evidence = true;
        this.setHost(info, t.text, true);
      }
    }
  }

  private merge(info: AddressInfo, inner: AddressInfo): void {
    if (inner.evidence) info.evidence = true;
    if (info.host === null && inner.host !== null) {
      info.host = inner.host;
      info.explicitWildcard = inner.explicitWildcard;
    }
    if (info.port === null && inner.port !== null) info.port = inner.port;
  }
}

function wildcardSpelling(name: string): string {
  const key = wordKey(name);
  if (key.includes('6') || key === 'ipv6any') return '::';
  if (key === 'inaddrany') return 'INADDR_ANY';
  return '0.0.0.0';
}
