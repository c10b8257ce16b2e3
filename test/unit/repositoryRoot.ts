// The repository root, found from wherever the compiled tests run (out/unit/..., .cache/...).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function find(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const REPOSITORY_ROOT = find();
