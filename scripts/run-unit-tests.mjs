// Compiles the TypeScript sources and tests with tsc (which also type-checks them), then runs every
// compiled *.test.js under out/unit/test/unit with node:test.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Only this runner's own folder is cleared: out/e2e belongs to the end-to-end run.
const outDir = join('out', 'unit');
rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--outDir', outDir], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

function collect(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...collect(full));
    else if (name.endsWith('.test.js')) found.push(full);
  }
  return found;
}
const filter = process.argv.slice(2);
const files = collect(join(outDir, 'test', 'unit')).filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)));
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(run.status ?? 1);
