// Starts a real VS Code for the end-to-end tests: code-server 4.100.3 (VS Code 1.100) installed by
// scripts/setup-e2e.sh, with its own user-data and extensions folders, the packaged VSIX installed
// the way a user installs it, and a fixture workspace copied to a scratch folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results', 'e2e');
export const CODE_SERVER_BIN = join(process.env.BINDWATCH_E2E_CACHE ?? join(ROOT, '.cache'), 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServer {
  url: string;
  workspace: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Lines code-server printed, for failure reports. */
  output: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Installs the VSIX into `extensionsDir` with `code-server --install-extension`, as a user would. */
export function installExtension(vsix: string, extensionsDir: string, userDataDir: string): void {
  const result = spawnSync(
    CODE_SERVER_BIN,
    ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension failed (${String(result.status)}):\n${result.stdout}\n${result.stderr}`);
  }
}

export interface StartOptions {
  /** Fixture folder copied into the scratch workspace. */
  fixture: string;
  vsix: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Label for the scratch folders. */
  name: string;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}; run scripts/setup-e2e.sh`);
  const scratch = join(RESULTS_DIR, 'run', options.name);
  rmSync(scratch, { recursive: true, force: true });
  const workspace = join(scratch, 'workspace');
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  cpSync(options.fixture, workspace, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'window.zoomLevel': 0,
    // Saves happen when a test saves (or a code action saves, files.refactoring.autoSave), never on a timer.
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    'chat.commandCenter.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // The scratch workspace sits inside this repository's checkout; keep Git's prompt away.
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    ...options.settings,
  }, null, 2));
  installExtension(options.vsix, extensionsDir, userDataDir);

  const port = await freePort();
  const output: string[] = [];
  // Its own process group, so stopping it also ends the extension hosts it started.
  const child = spawn(CODE_SERVER_BIN, [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_CLI: undefined }, detached: true });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child, 60_000);
  return {
    url: `${url}/?folder=${encodeURIComponent(workspace)}`,
    workspace,
    process: child,
    output,
    stop: () => new Promise<void>((done) => {
      const signalGroup = (signal: NodeJS.Signals): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        } catch {
          // the group is already gone
        }
      };
      const finish = (): void => {
        signalGroup('SIGKILL');
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      child.once('exit', finish);
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 5000).unref();
    }),
  };
}
