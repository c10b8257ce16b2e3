// The few file operations the Linux collector makes, behind an interface so tests can stand in a /proc
// where processes vanish, fd directories are unreadable or /proc is mounted with hidepid.
// Measured on /proc (see docs/benchmarks.md): synchronous reads with one shared buffer are about 3x
// cheaper than readFileSync (which fstat()s and grows its buffer) and 2-3x cheaper than fs.promises
// through the libuv thread pool, so the fd walk is synchronous; only the four /proc/net tables are read
// asynchronously, so the kernel's time formatting them overlaps the walk.

import * as fs from 'node:fs';

export interface ProcFs {
  /** Reads a small text file (stat, status, cmdline, environ). Throws the fs error (ENOENT, EACCES, ESRCH). */
  readFile(path: string): string;
  /** Reads a possibly large file off the main thread (the /proc/net tables). */
  readFileAsync(path: string): Promise<string>;
  readdir(path: string): string[];
  readlink(path: string): string;
  /** UID owning the path (for /proc/<pid>: the process's effective UID, root if not dumpable). */
  ownerUid(path: string): number;
  /** stat size: for /proc/<pid>/fd, the number of open fds (Linux 6.2 and later; 0 before). */
  size(path: string): number;
}

let sharedBuffer = Buffer.allocUnsafe(64 * 1024);

/** open + read until EOF + close, into one reused buffer. /proc files report size 0, so no fstat. */
function readSmallFile(path: string): string {
  const fd = fs.openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === sharedBuffer.length) {
        const bigger = Buffer.allocUnsafe(sharedBuffer.length * 2);
        sharedBuffer.copy(bigger, 0, 0, length);
        sharedBuffer = bigger;
      }
      const n = fs.readSync(fd, sharedBuffer, length, sharedBuffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return sharedBuffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

export const realProcFs: ProcFs = {
  readFile: readSmallFile,
  readFileAsync: (path) => fs.promises.readFile(path, 'latin1'),
  readdir: (path) => fs.readdirSync(path),
  readlink: (path) => fs.readlinkSync(path),
  ownerUid: (path) => fs.statSync(path).uid,
  size: (path) => fs.statSync(path).size,
};

/** The error code of a thrown fs error, or undefined. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** ENOENT/ESRCH: the process exited while we were reading it. */
export function isVanished(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}

/** EACCES/EPERM: another user's process, or a non-dumpable one. */
export function isDenied(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'EACCES' || code === 'EPERM';
}
