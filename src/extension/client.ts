// Builds the language client: the server runs in its own Node process over IPC, sees every file
// document (it decides itself which ones it can read), and logs into the extension's one channel.
import { workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { CLIENT_ID } from '../server/protocol';

export interface ClientHooks {
  /** Called when the server process died and will not be restarted. */
  onGaveUp(message: string): void;
  /** Called when the server could not start. */
  onStartFailed(message: string): void;
}

/** How many unexpected exits within `RESTART_WINDOW_MS` before giving up. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

class RestartingErrorHandler implements ErrorHandler {
  private readonly exits: number[] = [];
  constructor(private readonly hooks: ClientHooks) {}

  error(): { action: ErrorAction } {
    // Transport errors are logged by the client; keep the connection unless it closes.
    return { action: ErrorAction.Continue };
  }

  closed(): { action: CloseAction; message?: string } {
    const now = Date.now();
    this.exits.push(now);
    while (this.exits.length > 0 && now - (this.exits[0] ?? now) > RESTART_WINDOW_MS) this.exits.shift();
    if (this.exits.length > MAX_RESTARTS) {
      const message = `The Bindwatch server stopped ${this.exits.length} times in the last 3 minutes and will not be restarted.`;
      this.hooks.onGaveUp(message);
      return { action: CloseAction.DoNotRestart, message };
    }
    return { action: CloseAction.Restart };
  }
}

export function createLanguageClient(context: ExtensionContext, channel: LogOutputChannel, hooks: ClientHooks): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6029'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every file on disk: the server asks the engine whether it has an adapter for the path,
    // which covers the tree-sitter languages and the lexical adapter's plain-text extensions.
    documentSelector: [{ scheme: 'file' }],
    synchronize: {
      // Source files change on disk (git checkout, generators) and config files change.
      fileEvents: workspace.createFileSystemWatcher('**/*'),
    },
    outputChannel: channel,
    traceOutputChannel: channel,
    // Failures reach the user as one notification with "Show Logs", not as a channel popping open.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    diagnosticCollectionName: CLIENT_ID,
    errorHandler: new RestartingErrorHandler(hooks),
    initializationFailedHandler: (error) => {
      hooks.onStartFailed(error instanceof Error ? error.message : String(error));
      return false;
    },
    initializationOptions: { storagePath: context.storageUri?.fsPath ?? null },
  };
  return new LanguageClient(CLIENT_ID, 'Bindwatch', serverOptions, clientOptions);
}
