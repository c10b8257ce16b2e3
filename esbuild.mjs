// Bundles the CLI (and, when present, the language server and extension) and copies the
// tree-sitter runtime and grammar .wasm files next to the bundles, where the loader looks first.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.argv.includes('--production');
const entries = [
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'src/server/main.ts', out: 'server' },
  { in: 'src/extension/main.ts', out: 'extension' },
].filter((e) => existsSync(e.in));

for (const entry of entries) {
  await build({
    entryPoints: [entry.in],
    outfile: `dist/${entry.out}.js`,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
    banner: entry.banner ? { js: entry.banner } : undefined,
    logLevel: 'warning',
    define: { BINDWATCH_VERSION: JSON.stringify(version) },
  });
}

const wasmDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
mkdirSync('dist/wasm', { recursive: true });
for (const file of readdirSync(wasmDir)) {
  if (file.endsWith('.wasm')) cpSync(join(wasmDir, file), join('dist/wasm', file));
}
