// file: URIs from the client ↔ the file system paths the engine and the index use.
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The path of a file: URI, or undefined for other schemes (untitled:, git:, vscode-notebook-cell:...). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
