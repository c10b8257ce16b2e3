// Entry of dist/server.js: the extension starts it over IPC; `node dist/server.js --stdio` works for
// other editors. One bad file must not take the server down: what escapes is logged, and serving goes on.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${String(reason)}`));
startServer(connection);
