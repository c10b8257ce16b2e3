// `bindwatch rules`: the rule ids, their default severity and what they catch.
import { RULES, docsUrl } from '../analysis/rules/catalog';
import { parseArgs } from './args';

export function runRulesCommand(argv: readonly string[], stdout: (s: string) => void): number {
  const { flags } = parseArgs(argv, { '--json': { value: false } });
  if (flags.has('--json')) {
    stdout(JSON.stringify(RULES.map((r) => ({ ...r, docs: docsUrl(r.id) })), null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  for (const r of RULES) {
    stdout(`${r.id.padEnd(width)}  ${r.defaultSeverity.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${docsUrl(r.id)}\n`);
  }
  return 0;
}
