// `bindwatch.*` settings → the engine's AnalysisConfig. Layers, later wins:
// built-in defaults → `.bindwatch.json` at the folder root → what the user set in VS Code.
// Settings left at their defaults (empty lists, null, 'default') do not override the file.
import { DEFAULT_CONFIG, mergeConfig, parsePlatforms, SEVERITY_SETTINGS, type AnalysisConfig } from '../analysis/config';
import type { RuleId, SeveritySetting } from '../analysis/findings';
import { isRuleId } from '../analysis/rules/catalog';
import type { BindwatchSettings, RuleSeveritySetting } from './protocol';

export const DEFAULT_SETTINGS: BindwatchSettings = {
  enable: true,
  platforms: [],
  rules: {},
  exclude: [],
  maxFileSize: null,
  diagnosticsScope: 'workspace',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

/** Turns whatever `workspace/configuration` returned into settings, ignoring values of the wrong type. */
export function normalizeSettings(raw: unknown): BindwatchSettings {
  if (!isRecord(raw)) return { ...DEFAULT_SETTINGS };
  const rules: Partial<Record<RuleId, RuleSeveritySetting>> = {};
  if (isRecord(raw.rules)) {
    for (const [id, level] of Object.entries(raw.rules)) {
      if (!isRuleId(id) || typeof level !== 'string') continue;
      if (level === 'default' || SEVERITY_SETTINGS.includes(level as SeveritySetting)) rules[id] = level as RuleSeveritySetting;
    }
  }
  const maxFileSize = typeof raw.maxFileSize === 'number' && Number.isFinite(raw.maxFileSize) && raw.maxFileSize > 0
    ? raw.maxFileSize
    : null;
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable,
    platforms: parsePlatforms(stringList(raw.platforms)).platforms,
    rules,
    exclude: stringList(raw.exclude),
    maxFileSize,
    diagnosticsScope: raw.diagnosticsScope === 'openFiles' ? 'openFiles' : 'workspace',
  };
}

/** The engine config for one workspace folder. */
export function effectiveConfig(settings: BindwatchSettings, fileConfig: Partial<AnalysisConfig> = {}): AnalysisConfig {
  const severity: Partial<Record<RuleId, SeveritySetting>> = {};
  for (const [id, level] of Object.entries(settings.rules) as [RuleId, RuleSeveritySetting][]) {
    if (level !== 'default') severity[id] = level;
  }
  const fromSettings: Partial<AnalysisConfig> = { severity, ignore: settings.exclude };
  if (settings.platforms.length > 0) fromSettings.platforms = settings.platforms;
  if (settings.maxFileSize !== null) fromSettings.maxFileSize = settings.maxFileSize;
  return mergeConfig(mergeConfig(DEFAULT_CONFIG, fileConfig), fromSettings);
}
