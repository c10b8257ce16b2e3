// "Address already in use" as runtimes print it, found in one line of terminal output, with the port
// when the line names it. The terminal link provider turns each match into a link that reveals who
// holds the port. No `vscode` here.
//   Node      Error: listen EADDRINUSE: address already in use :::3000      (dgram: bind EADDRINUSE 0.0.0.0:41234)
//   Go        listen tcp :8080: bind: address already in use
//   Python    OSError: [Errno 98] Address already in use   (macOS: [Errno 48]; asyncio/uvicorn add the address tuple)
//   Windows   OSError: [WinError 10048] Only one usage of each socket address (protocol/network address/port) is normally permitted
//   .NET      SocketException (10048): Only one usage of each socket address ...
//   Java      java.net.BindException: Address already in use (Bind failed)   Spring: Port 8080 was already in use.
//   others    Rust "Address already in use (os error 98)", C perror, Ruby Errno::EADDRINUSE, nginx bind() to 0.0.0.0:80 failed

export type AddressInUseSource = 'node' | 'go' | 'python' | 'windows' | 'java' | 'generic';

export interface AddressInUseLink {
  /** UTF-16 offset of the link in the line, and its length. */
  startIndex: number;
  length: number;
  source: AddressInUseSource;
  /** The port the line names, when it names one (1-65535). */
  port?: number;
  /** The address the line names with the port ("::", "127.0.0.1", "" for ":8080"). */
  host?: string;
  /** When the message tells (Go "listen udp", Node dgram "bind EADDRINUSE"). */
  protocol?: 'tcp' | 'udp';
}

interface PhrasePattern {
  source: AddressInUseSource;
  regex: RegExp;
  /** Port, host and protocol the phrase itself carries. */
  read?: (m: RegExpExecArray) => Partial<Pick<AddressInUseLink, 'port' | 'host' | 'protocol'>>;
}

function validPort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

function stripBrackets(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

const HOST = String.raw`(\[[0-9A-Fa-f:.%\w]*\]|[0-9A-Za-z_.%:-]*?|\*)`;

// Most specific first; a later pattern never matches inside an earlier match.
const PHRASES: readonly PhrasePattern[] = [
  {
    source: 'node',
    regex: new RegExp(String.raw`(?:\b(listen|bind)\s+)?\bEADDRINUSE\b(?::?\s*address already in use)?(?:\s+${HOST}:(\d{1,5})\b)?`, 'gi'),
    read: (m) => {
      const verb = m[1]?.toLowerCase();
      const port = validPort(m[3]);
      const result: Partial<AddressInUseLink> = {};
      if (port !== undefined) {
        result.port = port;
        result.host = stripBrackets(m[2]) ?? '';
      }
      if (verb === 'listen') result.protocol = 'tcp';
      else if (verb === 'bind') result.protocol = 'udp';
      return result;
    },
  },
  {
    source: 'go',
    regex: new RegExp(String.raw`\blisten (tcp|udp)[46]? ${HOST}:(\d{1,5}): bind: address already in use`, 'gi'),
    read: (m) => {
      const port = validPort(m[3]);
      const result: Partial<AddressInUseLink> = { protocol: (m[1]?.toLowerCase() === 'udp' ? 'udp' : 'tcp') };
      if (port !== undefined) {
        result.port = port;
        result.host = stripBrackets(m[2]) ?? '';
      }
      return result;
    },
  },
  {
    source: 'python',
    regex: /\[Errno (?:98|48)\](?: error while attempting to bind on address \([^)]*\):)? address already in use/gi,
  },
  {
    source: 'windows',
    regex: /\[WinError 10048\](?: Only one usage of each socket address \(protocol\/network address\/port\) is normally permitted)?/gi,
  },
  {
    source: 'windows',
    regex: /\b(?:SocketException \(10048\): )?Only one usage of each socket address \(protocol\/network address\/port\) is normally permitted/gi,
  },
  {
    source: 'java',
    regex: /\b(?:java\.net\.)?BindException: Address already in use(?:: (?:JVM_Bind|bind|NET_Bind)| \((?:Bind|bind) failed\))?/g,
  },
  {
    source: 'java',
    regex: /\bPort (\d{1,5}) was already in use/gi,
    read: (m) => {
      const port = validPort(m[1]);
      return port === undefined ? {} : { port, protocol: 'tcp' };
    },
  },
  { source: 'generic', regex: /\baddress already in use\b/gi },
];

/** Where a line names the port when the phrase does not: tried in order. */
const PORT_IN_LINE: ReadonlyArray<{ regex: RegExp; host?: number; port: number }> = [
  // asyncio / uvicorn: ('127.0.0.1', 8000)
  { regex: /\(\s*['"]([^'"]*)['"]\s*,\s*(\d{1,5})\s*[,)]/, host: 1, port: 2 },
  // Ruby: bind(2) for "127.0.0.1" port 3000
  { regex: /\bfor "([^"]*)" port (\d{1,5})\b/, host: 1, port: 2 },
  // "port 3000", "port=3000", "port: 3000"
  { regex: /\bport\s*[=:]?\s*(\d{1,5})\b(?![.:]\d)/i, port: 1 },
  // host:port with an explicit host: 0.0.0.0:80, [::1]:8080, localhost:3000, *:53
  { regex: /(?:^|[^\w.:])((?:\d{1,3}\.){3}\d{1,3}|\[[0-9A-Fa-f:.%\w]*\]|localhost|\*|::):(\d{1,5})\b(?![.:]\d)/, host: 1, port: 2 },
  // ":8080" standing alone
  { regex: /(?:^|[\s'"(=])():(\d{2,5})\b(?![.:]\d)/, host: 1, port: 2 },
];

function portFromLine(line: string): { port: number; host?: string } | undefined {
  for (const pattern of PORT_IN_LINE) {
    const m = pattern.regex.exec(line);
    if (m === null) continue;
    const port = validPort(m[pattern.port]);
    if (port === undefined) continue;
    const host = pattern.host !== undefined ? stripBrackets(m[pattern.host]) : undefined;
    return host === undefined ? { port } : { port, host };
  }
  return undefined;
}

/** Every "address already in use" message in one line of terminal output, left to right. */
export function findAddressInUseLinks(line: string): AddressInUseLink[] {
  if (line.length > 4000) line = line.slice(0, 4000);
  if (!/EADDRINUSE|already in use|10048|Errno (?:98|48)\]/i.test(line)) return [];
  const links: AddressInUseLink[] = [];
  const overlaps = (start: number, end: number): boolean => links.some((l) => start < l.startIndex + l.length && l.startIndex < end);
  for (const phrase of PHRASES) {
    phrase.regex.lastIndex = 0;
    for (let m = phrase.regex.exec(line); m !== null; m = phrase.regex.exec(line)) {
      if (m[0].length === 0) {
        phrase.regex.lastIndex++;
        continue;
      }
      const end = m.index + m[0].length;
      if (overlaps(m.index, end)) continue;
      const link: AddressInUseLink = { startIndex: m.index, length: m[0].length, source: phrase.source, ...phrase.read?.(m) };
      links.push(link);
    }
  }
  if (links.length === 0) return links;
  // A bare "EADDRINUSE" (Ruby's Errno::EADDRINUSE, Node's `code: 'EADDRINUSE'`) repeats what a fuller
  // message on the same line says.
  if (links.length > 1) {
    const full = links.filter((l) => !(l.source === 'node' && l.length === 'EADDRINUSE'.length));
    if (full.length > 0) links.splice(0, links.length, ...full);
  }
  const named = portFromLine(line);
  for (const link of links) {
    if (link.port !== undefined || named === undefined) continue;
    link.port = named.port;
    if (named.host !== undefined) link.host = named.host;
  }
  return links.sort((a, b) => a.startIndex - b.startIndex);
}

/** Tooltip of a link. */
export function addressInUseTooltip(link: Pick<AddressInUseLink, 'port' | 'protocol'>): string {
  if (link.port === undefined) return 'Show who holds the port (Bindwatch)';
  return `Show who holds ${link.protocol === 'udp' ? 'UDP ' : ''}port ${link.port} (Bindwatch)`;
}
