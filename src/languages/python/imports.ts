// What the file's imports bind: module aliases and imported names, so `ss.TCPServer`, `TCPServer` and
// `socketserver.TCPServer` all read as the same class.
import type { SyntaxNode } from '../treeSitter';

/** Python 2 and look-alike modules that expose the same classes as the stdlib modules we know. */
const MODULE_EQUIVALENTS: Record<string, string> = {
  SocketServer: 'socketserver',
  BaseHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  SimpleXMLRPCServer: 'xmlrpc.server',
  DocXMLRPCServer: 'xmlrpc.server',
  _socket: 'socket',
};

/** Names a `from m import *` brings in that matter to us. */
const STAR_EXPORTS: Record<string, readonly string[]> = {
  socket: ['socket', 'create_server', 'SocketType'],
  socketserver: ['TCPServer', 'UDPServer', 'ThreadingTCPServer', 'ThreadingUDPServer', 'ForkingTCPServer', 'ForkingUDPServer', 'UnixStreamServer', 'UnixDatagramServer', 'ThreadingUnixStreamServer', 'ThreadingUnixDatagramServer'],
  'http.server': ['HTTPServer', 'ThreadingHTTPServer'],
  'xmlrpc.server': ['SimpleXMLRPCServer', 'DocXMLRPCServer', 'MultiPathXMLRPCServer'],
  'wsgiref.simple_server': ['WSGIServer', 'make_server'],
};

function canonicalModule(path: string): string {
  const direct = MODULE_EQUIVALENTS[path];
  if (direct) return direct;
  // trio.socket, gevent.socket, eventlet.green.socket mirror the stdlib socket module.
  if (/(^|\.)socket$/.test(path)) return 'socket';
  return path;
}

export interface ImportSite {
  node: SyntaxNode;
  /** Top-level statement (its parent is the module), where fixes may add to it. */
  topLevel: boolean;
}

export class ImportTable {
  /** Local name → module path (`import socketserver as ss` → ss: socketserver). */
  readonly modules = new Map<string, string>();
  /** Local name → qualified name (`from socket import socket` → socket: socket.socket). */
  readonly names = new Map<string, string>();
  readonly starModules = new Set<string>();
  readonly sites: ImportSite[] = [];

  add(node: SyntaxNode): void {
    this.sites.push({ node, topLevel: node.parent?.type === 'module' });
    if (node.type === 'import_statement') {
      for (const item of node.childrenForFieldName('name')) {
        if (!item) continue;
        if (item.type === 'aliased_import') {
          const module = item.childForFieldName('name')?.text;
          const alias = item.childForFieldName('alias')?.text;
          if (module && alias) this.modules.set(alias, canonicalModule(module));
        } else {
          const module = item.text;
          const first = module.split('.')[0] ?? module;
          // `import http.server` binds `http`; qualified names are then written out in full.
          this.modules.set(first, module.includes('.') ? first : canonicalModule(module));
        }
      }
      return;
    }
    if (node.type !== 'import_from_statement') return;
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode || moduleNode.type === 'relative_import') {
      // `from . import socket as tsocket`: a package's own socket wrapper.
      for (const { local, imported } of this.importedNames(node)) {
        if (imported === 'socket') this.modules.set(local, 'socket');
      }
      return;
    }
    const module = canonicalModule(moduleNode.text.replace(/\s+/g, ''));
    if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      this.starModules.add(module);
      return;
    }
    for (const { local, imported } of this.importedNames(node)) {
      const qualified = `${module}.${imported}`;
      // `from gevent import socket` imports a module; `from socket import socket` imports the class.
      if (module !== 'socket' && imported === 'socket') this.modules.set(local, 'socket');
      else if (module === 'http' && imported === 'server') this.modules.set(local, 'http.server');
      else if (module === 'xmlrpc' && imported === 'server') this.modules.set(local, 'xmlrpc.server');
      else if (module === 'wsgiref' && imported === 'simple_server') this.modules.set(local, 'wsgiref.simple_server');
      else this.names.set(local, qualified);
    }
  }

  private importedNames(node: SyntaxNode): { local: string; imported: string }[] {
    const out: { local: string; imported: string }[] = [];
    for (const item of node.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const imported = item.childForFieldName('name')?.text;
        const local = item.childForFieldName('alias')?.text;
        if (imported && local) out.push({ local, imported });
      } else {
        out.push({ local: item.text, imported: item.text });
      }
    }
    return out;
  }

  /** Canonical dotted name: `ss.TCPServer` → `socketserver.TCPServer`, `TCPServer` → `socketserver.TCPServer`. */
  qualify(dotted: string): string {
    const dot = dotted.indexOf('.');
    const first = dot < 0 ? dotted : dotted.slice(0, dot);
    const rest = dot < 0 ? '' : dotted.slice(dot);
    const name = this.names.get(first);
    if (name) return name + rest;
    const module = this.modules.get(first);
    if (module) return module + rest;
    for (const star of this.starModules) {
      if (STAR_EXPORTS[star]?.includes(first)) return `${star}.${first}${rest}`;
    }
    return canonicalModule(first) + rest;
  }

  /** A local name bound to the socket module, preferring `socket` itself. */
  socketModuleAlias(): string | null {
    let found: string | null = null;
    for (const [local, module] of this.modules) {
      if (module !== 'socket') continue;
      if (local === 'socket') return local;
      found ??= local;
    }
    return found;
  }

  /** Is `name` usable bare because of `from socket import *` or `from socket import name`? */
  hasBareSocketName(name: string): boolean {
    return this.starModules.has('socket') || this.names.get(name) === `socket.${name}`;
  }

  /** Local name bound to the os module, if any. */
  osAlias(): string | null {
    for (const [local, module] of this.modules) if (module === 'os') return local;
    return null;
  }
}
