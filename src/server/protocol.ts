// What the extension and the language server say to each other beyond standard LSP, and the shape of
// the `bindwatch.*` settings. Imports nothing at run time, so the extension bundle can use it
// without pulling in the server or the engine.
import type { Platform } from '../analysis/facts';
import type { RuleId, SeveritySetting } from '../analysis/findings';

/** Settings section read from the client with `workspace/configuration`. */
export const SETTINGS_SECTION = 'bindwatch';

/** Language client id; also the prefix of `bindwatch.trace.server`. */
export const CLIENT_ID = 'bindwatch';

/** Code action kind for "fix all Bindwatch findings", usable in `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.bindwatch';

/** `bindwatch.rules` values: a severity, 'off', or 'default' (the rule's own). */
export type RuleSeveritySetting = SeveritySetting | 'default';

/**
 * The `bindwatch.*` settings as the server receives them for one resource. Keep in step with
 * `contributes.configuration` in package.json and with `normalizeSettings`.
 */
export interface BindwatchSettings {
  /** Analyze files and report findings. */
  enable: boolean;
  /** Operating systems the code targets; empty means "from .bindwatch.json, else all". */
  platforms: Platform[];
  /** Per-rule severity overrides. */
  rules: Partial<Record<RuleId, RuleSeveritySetting>>;
  /** gitignore-style globs, added to `.bindwatch.json`'s `ignore`. */
  exclude: string[];
  /** Files larger than this many bytes are skipped; null means "from .bindwatch.json, else 1 MiB". */
  maxFileSize: number | null;
  /** Report findings for every file in the workspace, or only for the files open in editors. */
  diagnosticsScope: 'workspace' | 'openFiles';
}

export type IndexState = 'starting' | 'indexing' | 'ready' | 'disabled';

/** Server → client: what the language status item shows. */
export interface StatusParams {
  state: IndexState;
  /** Files read so far while indexing, or in total once ready. */
  filesAnalyzed: number;
  /** Files the index will read, known once the walk is done; null while walking. */
  filesTotal: number | null;
  /** Files skipped (too large, binary, unreadable, adapter failure). */
  filesSkipped: number;
  /** Findings shown across the workspace (after severity settings). */
  findings: number;
  /** Milliseconds the last full index took. */
  indexMs: number | null;
}
export const STATUS_NOTIFICATION = 'bindwatch/status';

/** Client → server: rebuild the index from disk and report. */
export interface AnalyzeWorkspaceResult {
  files: number;
  skipped: number;
  findings: number;
  ms: number;
}
export const ANALYZE_WORKSPACE_REQUEST = 'bindwatch/analyzeWorkspace';

/** Client → server: how long the server spent on its latest analyses, for the benchmarks. */
export interface TimingsResult {
  /** Milliseconds spent in analysis + publishing for each of the latest document re-lints. */
  relintMs: number[];
  indexMs: number | null;
  /** Resident set size of the server process, bytes. */
  rss: number;
  /** Peak resident set size seen by the server while indexing, bytes. */
  peakRss: number;
}
export const TIMINGS_REQUEST = 'bindwatch/timings';
