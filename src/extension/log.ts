// The extension's single log channel. The language client writes the server's log and its LSP trace
// into the same channel, so "Bindwatch: Open Log" shows everything in one place. Levels come from
// VS Code ("Developer: Set Log Level..."), not from a setting of ours.
import { window, type LogOutputChannel } from 'vscode';

export const LOG_CHANNEL_NAME = 'Bindwatch';

let channel: LogOutputChannel | undefined;

export function logChannel(): LogOutputChannel {
  channel ??= window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export const log = {
  info: (message: string): void => logChannel().info(message),
  warn: (message: string): void => logChannel().warn(message),
  error: (message: string, error?: unknown): void =>
    logChannel().error(error === undefined ? message : `${message}\n${describe(error)}`),
};

/**
 * Notifications are kept for real failures; each offers "Show Logs" so the details are one click away.
 */
export async function notifyFailure(message: string): Promise<void> {
  const choice = await window.showErrorMessage(message, 'Show Logs');
  if (choice === 'Show Logs') logChannel().show(true);
}
