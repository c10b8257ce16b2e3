// Extension entry: activated by the languages Bindwatch reads (see `activationEvents`), it starts the
// language server, shows its state in a language status item and registers the commands.
import { commands, env, Uri, window, type DocumentFilter, type ExtensionContext } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { docsUrl, isRuleId, RULES } from '../analysis/rules/catalog';
import type { RuleId } from '../analysis/findings';
import {
  ANALYZE_WORKSPACE_REQUEST,
  STATUS_NOTIFICATION,
  type AnalyzeWorkspaceResult,
  type StatusParams,
} from '../server/protocol';
import { createLanguageClient } from './client';
import { CommandId } from './commands';
import { disposeLog, log, logChannel, notifyFailure } from './log';
import { registerPortsView } from './ports';
import { StatusItem } from './status';

let client: LanguageClient | undefined;

/** The languages the manifest activates on are the ones the status item shows for. */
function statusSelector(context: ExtensionContext): DocumentFilter[] {
  const manifest = context.extension.packageJSON as { activationEvents?: string[] };
  return (manifest.activationEvents ?? [])
    .filter((e) => e.startsWith('onLanguage:'))
    .map((e) => ({ scheme: 'file', language: e.slice('onLanguage:'.length) }));
}

export async function activate(context: ExtensionContext): Promise<void> {
  const started = Date.now();
  const channel = logChannel();
  context.subscriptions.push({ dispose: disposeLog });
  const status = new StatusItem(statusSelector(context));
  context.subscriptions.push(status);

  const languageClient = createLanguageClient(context, channel, {
    onGaveUp: (message) => {
      status.failed(message);
      void notifyFailure(message);
    },
    onStartFailed: (message) => {
      status.failed(message);
      log.error(`The Bindwatch server could not start: ${message}`);
      void notifyFailure('The Bindwatch server could not start.');
    },
  });
  client = languageClient;
  registerPortsView(context, languageClient);

  context.subscriptions.push(
    languageClient.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params)),
    commands.registerCommand(CommandId.OpenLog, () => channel.show()),
    commands.registerCommand(CommandId.RestartServer, async () => {
      log.info('Restarting the server on request.');
      try {
        await languageClient.restart();
      } catch (error) {
        log.error('Restarting the server failed.', error);
        void notifyFailure('Bindwatch could not restart its server.');
      }
    }),
    commands.registerCommand(CommandId.AnalyzeWorkspace, async () => {
      if (languageClient.state !== State.Running) {
        void notifyFailure('The Bindwatch server is not running.');
        return;
      }
      const result = await languageClient.sendRequest<AnalyzeWorkspaceResult>(ANALYZE_WORKSPACE_REQUEST);
      log.info(`Analyzed ${result.files} files (${result.skipped} skipped) in ${result.ms} ms: ${result.findings} findings.`);
      await commands.executeCommand('workbench.actions.view.problems');
    }),
    commands.registerCommand(CommandId.ShowRuleDocumentation, async (rule?: unknown) => {
      let id: RuleId | undefined = typeof rule === 'string' && isRuleId(rule) ? rule : undefined;
      if (!id) {
        const picked = await window.showQuickPick(
          RULES.map((r) => ({ label: r.id, description: r.title, detail: r.summary, id: r.id })),
          { title: 'Bindwatch rule documentation', matchOnDescription: true, matchOnDetail: true },
        );
        id = picked?.id;
      }
      if (id) await env.openExternal(Uri.parse(docsUrl(id)));
    }),
  );

  try {
    await languageClient.start();
    log.info(`Bindwatch activated in ${Date.now() - started} ms.`);
  } catch (error) {
    status.failed('The server could not start.');
    log.error('Starting the server failed.', error);
    void notifyFailure('The Bindwatch server could not start.');
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}
