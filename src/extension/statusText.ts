// What the language status item says, from the server's status; no vscode import, so it is unit-tested.
import type { StatusParams } from '../server/protocol';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function statusText(status: StatusParams): string {
  switch (status.state) {
    case 'starting':
      return 'Bindwatch: starting';
    case 'disabled':
      return 'Bindwatch: off';
    case 'indexing':
      return status.filesTotal === null
        ? `Bindwatch: indexing (${status.filesAnalyzed})`
        : `Bindwatch: indexing ${status.filesAnalyzed}/${status.filesTotal}`;
    case 'ready':
      return `Bindwatch: ${plural(status.findings, 'finding')}`;
  }
}

export function statusDetail(status: StatusParams): string {
  const parts = [`${plural(status.filesAnalyzed, 'file')} analyzed`];
  if (status.filesSkipped > 0) parts.push(`${status.filesSkipped} skipped`);
  if (status.indexMs !== null) parts.push(`indexed in ${(status.indexMs / 1000).toFixed(1)} s`);
  return parts.join(', ');
}
