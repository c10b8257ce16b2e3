// Analysis settings, from defaults, `.bindwatch.json`, CLI flags or editor settings.
import { ALL_PLATFORMS, type Platform } from './facts';
import type { RuleId, SeveritySetting } from './findings';
import { isRuleId } from './rules/catalog';

export interface AnalysisConfig {
  /** Operating systems the code is meant to run on. */
  platforms: Platform[];
  /** Per-rule severity overrides ('off' disables a rule). */
  severity: Partial<Record<RuleId, SeveritySetting>>;
  /** gitignore-style globs of paths not to analyze. */
  ignore: string[];
  /** Files larger than this many bytes are skipped (and counted). */
  maxFileSize: number;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export const DEFAULT_CONFIG: AnalysisConfig = {
  platforms: [...ALL_PLATFORMS],
  severity: {},
  ignore: [],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
};

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'hint', 'off'];

const PLATFORM_ALIASES: Record<string, Platform> = {
  linux: 'linux', darwin: 'darwin', macos: 'darwin', mac: 'darwin', osx: 'darwin', win32: 'win32', windows: 'win32', win: 'win32',
};

/** Parses "linux,darwin" or a list; returns the platforms and any unknown names. */
export function parsePlatforms(input: string | readonly string[]): { platforms: Platform[]; unknown: string[] } {
  const names = (typeof input === 'string' ? input.split(',') : input).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const platforms: Platform[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const p = PLATFORM_ALIASES[name];
    if (!p) unknown.push(name);
    else if (!platforms.includes(p)) platforms.push(p);
  }
  return { platforms, unknown };
}

export interface ParsedConfig {
  config: Partial<AnalysisConfig>;
  /** Human-readable problems, each naming the file and key. */
  errors: string[];
}

/** Reads `.bindwatch.json` text. Unknown keys and bad values are reported, never thrown. */
export function parseConfigFile(text: string, path: string): ParsedConfig {
  const errors: string[] = [];
  const config: Partial<AnalysisConfig> = {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config, errors: [`${path}: not valid JSON (${(e as Error).message})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config, errors: [`${path}: expected a JSON object`] };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case '$schema':
        break;
      case 'platforms': {
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
          errors.push(`${path}: "platforms" must be a list such as ["linux", "darwin", "win32"]`);
          break;
        }
        const { platforms, unknown } = parsePlatforms(value);
        if (unknown.length) errors.push(`${path}: unknown platform(s) ${unknown.join(', ')} (use linux, darwin, win32)`);
        if (platforms.length) config.platforms = platforms;
        break;
      }
      case 'rules': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          errors.push(`${path}: "rules" must map rule ids to a severity`);
          break;
        }
        const severity: Partial<Record<RuleId, SeveritySetting>> = {};
        for (const [id, level] of Object.entries(value as Record<string, unknown>)) {
          if (!isRuleId(id)) errors.push(`${path}: unknown rule "${id}" (see \`bindwatch rules\`)`);
          else if (typeof level !== 'string' || !SEVERITY_SETTINGS.includes(level as SeveritySetting)) {
            errors.push(`${path}: rule "${id}" severity must be one of ${SEVERITY_SETTINGS.join(', ')}`);
          } else severity[id] = level as SeveritySetting;
        }
        config.severity = severity;
        break;
      }
      case 'ignore':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) errors.push(`${path}: "ignore" must be a list of globs`);
        else config.ignore = value;
        break;
      case 'maxFileSize':
        if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) errors.push(`${path}: "maxFileSize" must be a positive number of bytes`);
        else config.maxFileSize = value;
        break;
      default:
        errors.push(`${path}: unknown key "${key}"`);
    }
  }
  return { config, errors };
}

export function mergeConfig(base: AnalysisConfig, override: Partial<AnalysisConfig>): AnalysisConfig {
  return {
    platforms: override.platforms && override.platforms.length ? [...override.platforms] : [...base.platforms],
    severity: { ...base.severity, ...override.severity },
    ignore: [...base.ignore, ...(override.ignore ?? [])],
    maxFileSize: override.maxFileSize ?? base.maxFileSize,
  };
}
