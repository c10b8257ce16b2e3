// The one way the ports code starts a program (macOS netstat/ps/lsof, Windows netstat/tasklist/taskkill):
// execFile with an argument array, never a shell, with a timeout so a hung tool cannot stall a scan.

import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when the program was killed by a signal. */
  code: number | null;
}

export interface CommandOptions {
  timeoutMs?: number;
  /** Extra environment variables (merged over the current environment). */
  env?: Record<string, string>;
}

export type CommandRunner = (file: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

/**
 * Runs `file` with `args` and collects its output. Resolves with the exit code even when it is not 0
 * (lsof exits 1 when nothing matched); rejects when the program cannot be started or times out.
 */
export const runCommand: CommandRunner = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        shell: false,
        windowsHide: true,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 10_000,
        killSignal: 'SIGKILL',
        env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr, code: 0 });
          return;
        }
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'number') {
          resolve({ stdout, stderr, code });
          return;
        }
        if (error.killed || (error as { signal?: unknown }).signal != null) {
          reject(new Error(`${file} did not finish within ${options.timeoutMs ?? 10_000} ms`));
          return;
        }
        reject(new Error(`${file} could not be run: ${typeof code === 'string' ? code : error.message}`));
      },
    );
  });
