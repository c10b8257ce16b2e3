// A strict argument parser: every flag is declared, unknown ones are usage errors with a clear reason.
export class UsageError extends Error {}

export interface FlagSpec {
  /** Takes a value (`--format json` or `--format=json`). */
  value: boolean;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = spec[name];
    if (!flag) throw new UsageError(`unknown option ${name}`);
    if (!flag.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, positionals };
}
