// The `bindwatch.ports.*` settings, typed and clamped in one place. Keep in step with
// `contributes.configuration` in package.json.
import { workspace, type ConfigurationChangeEvent } from 'vscode';

export const PORTS_SECTION = 'bindwatch.ports';

export interface PortsSettings {
  /** Rescan while the Ports view is visible. */
  autoRefresh: boolean;
  /** Shortest time between two scans, milliseconds. */
  refreshIntervalMs: number;
  /** Wait after SIGTERM before SIGKILL, milliseconds. */
  stopTimeoutMs: number;
  /** "port 8080 is held by node (pid 4242)" over binds in the editor. */
  codeLens: boolean;
  /** "Address already in use" in terminals becomes a link. */
  terminalLinks: boolean;
  /** Add the workspace marker to the environment of new terminals. */
  markTerminals: boolean;
}

function clamp(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : fallback;
  return Math.min(max, Math.max(min, n));
}

export function readPortsSettings(): PortsSettings {
  const c = workspace.getConfiguration(PORTS_SECTION);
  return {
    autoRefresh: c.get<boolean>('autoRefresh', true) !== false,
    refreshIntervalMs: Math.round(clamp(c.get<number>('refreshInterval'), 2, 1, 60) * 1000),
    stopTimeoutMs: Math.round(clamp(c.get<number>('stopTimeout'), 5, 1, 60) * 1000),
    codeLens: c.get<boolean>('codeLens', true) !== false,
    terminalLinks: c.get<boolean>('terminalLinks', true) !== false,
    markTerminals: c.get<boolean>('markTerminals', true) !== false,
  };
}

export function affectsPortsSettings(event: ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(PORTS_SECTION);
}
