// Context keys the manifest's `when` clauses read (viewsWelcome of the Ports view).
import { commands } from 'vscode';

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return commands.executeCommand('setContext', key, value);
}
