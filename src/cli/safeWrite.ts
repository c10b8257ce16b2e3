// Writes a file so that readers see either the old or the new content, never a partial write.
import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.bindwatch-${process.pid}.tmp`;
  const mode = statSync(path).mode;
  try {
    writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
    chmodSync(temporary, mode & 0o7777);
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written, or it is already gone.
    }
    throw e;
  }
}
