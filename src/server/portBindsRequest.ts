// `bindwatch/portBinds`: which lines of the workspace bind a fixed port, from the workspace index.
// The ports view lists them under each live port; the CodeLens asks for one file's binds and says
// who holds each port right now. Client → server; no `vscode` here.
import type { Connection } from 'vscode-languageserver';
import type { WorkspaceIndex } from '../analysis/workspaceIndex';
import type { PortBindSite } from '../ports/view/bindSites';
import { pathToUri, uriToPath } from './uris';

export const PORT_BINDS_REQUEST = 'bindwatch/portBinds';

export interface PortBindsParams {
  /** Only this file (a file: URI); every indexed file when absent. */
  uri?: string;
  /** Only these ports; every port when absent. */
  ports?: number[];
}

export interface PortBindsResult {
  sites: PortBindSite[];
}

/** Binds with a known, fixed port (not 0) of sockets that are not plain clients. */
export function portBindSites(index: WorkspaceIndex, params: PortBindsParams = {}): PortBindSite[] {
  const only = params.uri !== undefined ? uriToPath(params.uri) : undefined;
  if (params.uri !== undefined && only === undefined) return [];
  const ports = params.ports !== undefined ? new Set(params.ports) : undefined;
  const sites: PortBindSite[] = [];
  for (const path of only !== undefined ? [only] : index.paths()) {
    const file = index.get(path);
    if (file === undefined || file.lines === null || file.facts.binds.length === 0) continue;
    const sockets = new Map(file.facts.sockets.map((s) => [s.id, s]));
    for (const bind of file.facts.binds) {
      if (bind.port === null || bind.port <= 0 || bind.port > 65535) continue;
      if (ports !== undefined && !ports.has(bind.port)) continue;
      const socket = sockets.get(bind.socketId);
      if (socket?.role === 'client') continue;
      const start = file.lines.position(bind.span.start);
      const end = file.lines.position(bind.span.end);
      sites.push({
        uri: pathToUri(path),
        path,
        line: start.line,
        character: start.character,
        endLine: end.line,
        endCharacter: end.character,
        port: bind.port,
        protocol: socket?.protocol ?? 'unknown',
        host: bind.host,
        api: socket?.api ?? 'bind',
      });
    }
  }
  return sites;
}

/** Answers the request from whatever index the server holds at the time. */
export function registerPortBindsRequest(connection: Connection, currentIndex: () => WorkspaceIndex): void {
  connection.onRequest(PORT_BINDS_REQUEST, (params: PortBindsParams | null | undefined): PortBindsResult => ({
    sites: portBindSites(currentIndex(), params ?? {}),
  }));
}
