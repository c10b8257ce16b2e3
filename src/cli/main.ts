// The `bindwatch` command line: check | ports | rules. Exit 0 clean, 1 findings at or above
// --fail-on, 2 usage or internal error with a one-line reason.
import { UsageError } from './args';
import { runCheckCommand } from './checkCommand';
import { runRulesCommand } from './rulesCommand';

declare const BINDWATCH_VERSION: string | undefined;
const VERSION = typeof BINDWATCH_VERSION === 'string' ? BINDWATCH_VERSION : '0.0.0-dev';

const USAGE = `Usage: bindwatch <command> [options]

Commands:
  check [paths...]   find address/port reuse problems in source code (default: current folder)
  ports              list the TCP/UDP ports held right now and who holds them
  rules              list the rules

Run "bindwatch <command> --help" for a command's options.
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = {
    stdout: (s: string) => void process.stdout.write(s),
    stderr: (s: string) => void process.stderr.write(s),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    version: VERSION,
  };
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'check':
        return await runCheckCommand(rest, io);
      case 'ports': {
        const { runPortsCommand } = await import('./portsCommand');
        return await runPortsCommand(rest, io, { isTTY: io.stdoutIsTTY });
      }
      case 'rules':
        return runRulesCommand(rest, io.stdout);
      default:
        throw new UsageError(`unknown command "${command}" (try check, ports or rules)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bindwatch: ${e.message} (see "bindwatch ${command === 'check' || command === 'ports' || command === 'rules' ? `${command} ` : ''}--help")\n`);
      return 2;
    }
    io.stderr(`bindwatch: internal error: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bindwatch: internal error: ${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
