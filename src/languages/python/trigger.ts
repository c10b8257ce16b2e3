// A cheap look at the raw text: files that cannot bind, listen or set a reuse option are not parsed.
const SOCKET_TEXT = /\.bind\s*\(|setsockopt|create_server|start_server|create_datagram_endpoint|listen(?:TCP|UDP|SSL|Multicast)\s*\(|(?:TCP|UDP|HTTP|XMLRPC|WSGI)Server\b|make_server|EXCLUSIVEADDRUSE|allow_reuse_/;
// `.bind(` alone is mostly tkinter and inspect.Signature: a socket file also names a socket or server.
const SOCKET_CONTEXT = /sock|Server|reactor|EXCLUSIVEADDRUSE|create_server|start_server|datagram_endpoint|make_server/;

export function mayHoldSockets(text: string): boolean {
  return SOCKET_TEXT.test(text) && SOCKET_CONTEXT.test(text);
}

/** NUL bytes early on: a binary file with a .py name. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}
