// Bundles bench/extension/uiBench.ts with esbuild and runs it (see that file).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const outfile = join(root, 'out', 'bench', 'uiBench.js');
await build({
  entryPoints: [join(root, 'bench', 'extension', 'uiBench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['playwright-core'],
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
