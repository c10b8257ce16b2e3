// Python source lines for socket options, written the way the file imports the socket module.
import type { TextEdit } from '../../../analysis/fixes';
import type { FixContext } from './fixContext';

/** `if <guard>:` condition that is true only where SO_EXCLUSIVEADDRUSE exists (Windows). */
export function exclusiveLines(ctx: FixContext, receiver: string, edits: TextEdit[]): string[] {
  const module = ctx.socketModule();
  if (!module && ctx.imports.starModules.has('socket')) {
    // `from socket import *` brings SO_EXCLUSIVEADDRUSE on Windows only.
    const os = ctx.os(edits);
    return [`if ${os}.name == "nt":`, `${ctx.unit}${receiver}.setsockopt(SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1)`];
  }
  const m = module ?? ctx.importSocketModule(edits);
  return [`if hasattr(${m}, "SO_EXCLUSIVEADDRUSE"):`, `${ctx.unit}${receiver}.setsockopt(${m}.SOL_SOCKET, ${m}.SO_EXCLUSIVEADDRUSE, 1)`];
}

/** `os.name != "nt"`, with `import os` added when the file lacks it. */
export function notWindows(ctx: FixContext, edits: TextEdit[]): string {
  return `${ctx.os(edits)}.name != "nt"`;
}

/** A condition true where SO_REUSEPORT exists. */
export function hasReusePort(ctx: FixContext, edits: TextEdit[]): string {
  const module = ctx.socketModule();
  return module ? `hasattr(${module}, "SO_REUSEPORT")` : notWindows(ctx, edits);
}

/**
 * `recv.setsockopt(SOL_SOCKET, SO_REUSEADDR|SO_REUSEPORT, 1)`, guarded so that SO_REUSEADDR stays off
 * Windows (where it lets others hijack the port) and SO_REUSEPORT runs only where it exists.
 */
export function reuseLines(ctx: FixContext, receiver: string, option: 'reuseaddr' | 'reuseport', guard: boolean, edits: TextEdit[]): string[] {
  const name = option === 'reuseaddr' ? 'SO_REUSEADDR' : 'SO_REUSEPORT';
  const level = ctx.socketName('SOL_SOCKET', edits);
  const constant = ctx.socketName(name, edits);
  const call = `${receiver}.setsockopt(${level}, ${constant}, 1)`;
  if (!guard) return [call];
  const condition = option === 'reuseaddr' ? notWindows(ctx, edits) : hasReusePort(ctx, edits);
  return [`if ${condition}:`, `${ctx.unit}${call}`];
}
