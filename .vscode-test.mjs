// For contributors who can run desktop VS Code: `npx vscode-test` downloads VS Code (the engines
// floor, 1.100.0), starts it with this repository as the extension under development and runs the
// extension-host tests in test/e2e/host against the fixture workspace. (Build first: `npm run build`.)
// The suite that proves the extension works on machines without desktop VS Code is `npm run test:e2e`.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig([
  {
    label: 'integration',
    files: 'test/e2e/host/**/*.test.js',
    version: '1.100.0',
    workspaceFolder: 'test/e2e/fixtures/workspace',
    launchArgs: ['--disable-extensions'],
    mocha: { ui: 'tdd', timeout: 60_000 },
  },
  {
    label: 'stable',
    files: 'test/e2e/host/**/*.test.js',
    version: 'stable',
    workspaceFolder: 'test/e2e/fixtures/workspace',
    launchArgs: ['--disable-extensions'],
    mocha: { ui: 'tdd', timeout: 60_000 },
  },
]);
