// Bundles a ports view benchmark with esbuild and runs it:
//   node bench/ports-view/run.mjs [--seconds S]          the Ports view in code-server (viewBench.ts)
//   node bench/ports-view/run.mjs --loop [--seconds S]   the refresh loop in plain Node (loopBench.ts)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const loop = process.argv.includes('--loop');
const name = loop ? 'loopBench' : 'viewBench';
const outfile = join(root, '.cache', 'bench-ports-view', `${name}.js`);
await build({
  entryPoints: [join(root, 'bench', 'ports-view', `${name}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['playwright-core'],
  logLevel: 'warning',
});
const args = process.argv.slice(2).filter((a) => a !== '--loop');
const result = spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
process.exit(result.status ?? 1);
