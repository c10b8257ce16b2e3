// `bindwatch check`: analyze files, print findings, optionally apply fixes, exit by --fail-on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, mergeConfig, parseConfigFile, parsePlatforms, type AnalysisConfig } from '../analysis/config';
import { Analyzer, checkFiles, NO_ANALYZER } from '../analysis/engine';
import { hasFacts, type FileAnalysis } from '../analysis/fileAnalysis';
import type { Finding, Severity } from '../analysis/findings';
import { applyEdits, type TextEdit } from '../analysis/fixes';
import { parseArgs, UsageError } from './args';
import { walkSourceFiles } from './fileWalker';
import { colors, formatGithub, formatJson, formatSarif, formatSummary, formatText, OUTPUT_FORMATS, type OutputFormat } from './formatters';
import { resolveFindings, type ReportSummary } from './reportModel';
import { writeFileAtomic } from './safeWrite';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
  version: string;
}

const FAIL_LEVELS = ['error', 'warning', 'info', 'none'] as const;
type FailOn = (typeof FAIL_LEVELS)[number];
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };
const MAX_FIX_ROUNDS = 3;

export const CHECK_USAGE = `Usage: bindwatch check [paths...] [options]

Options:
  --format text|json|sarif|github   output format (default: text)
  --fail-on error|warning|info|none exit 1 when a finding is at or above this level (default: warning)
  --platform linux,darwin,win32     operating systems the code targets (default: all three)
  --config FILE                     settings file (default: .bindwatch.json in the first folder or here)
  --fix                             apply available fixes and write the files
  --no-progress                     do not show progress on the terminal
`;

function loadConfig(configFlag: string | undefined, paths: readonly string[]): { config: AnalysisConfig; errors: string[] } {
  let file = configFlag;
  if (!file) {
    const firstDir = paths.find((p) => existsSync(p) && statSync(p).isDirectory());
    const candidates = [firstDir ? join(firstDir, '.bindwatch.json') : undefined, '.bindwatch.json'];
    file = candidates.find((c): c is string => c !== undefined && existsSync(c));
  }
  if (!file) return { config: DEFAULT_CONFIG, errors: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { config: DEFAULT_CONFIG, errors: [`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  const parsed = parseConfigFile(text, file);
  return { config: mergeConfig(DEFAULT_CONFIG, parsed.config), errors: parsed.errors };
}

function toPosixPath(path: string): string {
  return path.split('\\').join('/');
}

function fixableFindings(findings: readonly Finding[], path: string): Finding[] {
  return findings.filter((f) => f.path === path && f.fix);
}

export async function runCheckCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, {
    '--format': { value: true }, '--fail-on': { value: true }, '--platform': { value: true }, '--config': { value: true },
    '--fix': { value: false }, '--no-progress': { value: false }, '--help': { value: false }, '-h': { value: false },
  });
  if (flags.has('--help') || flags.has('-h')) {
    io.stdout(CHECK_USAGE);
    return 0;
  }
  const format = (flags.get('--format') ?? 'text') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, not "${String(format)}"`);
  const failOn = (flags.get('--fail-on') ?? 'warning') as FailOn;
  if (!FAIL_LEVELS.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_LEVELS.join(', ')}, not "${String(failOn)}"`);
  const paths = positionals.length ? positionals : ['.'];
  // What the user named is one project: example folders are looked for below these.
  const roots = paths;
  const configFlag = flags.get('--config');
  if (configFlag === true) throw new UsageError('--config needs a file');
  if (configFlag && !existsSync(configFlag)) throw new UsageError(`config file ${configFlag} does not exist`);
  const loaded = loadConfig(configFlag, paths);
  if (loaded.errors.length) throw new UsageError(loaded.errors.join('; '));
  let config = loaded.config;
  const platformFlag = flags.get('--platform');
  if (typeof platformFlag === 'string') {
    const { platforms, unknown } = parsePlatforms(platformFlag);
    if (unknown.length || platforms.length === 0) throw new UsageError(`--platform takes linux, darwin and/or win32, not "${platformFlag}"`);
    config = { ...config, platforms };
  }
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);

  const started = Date.now();
  const walked = walkSourceFiles(paths, { ignore: config.ignore, maxFileSize: config.maxFileSize });
  const analyzer = new Analyzer();
  const analyses = new Map<string, FileAnalysis>();
  const texts = new Map<string, string>();
  const summary: ReportSummary = { filesAnalyzed: 0, skippedBinary: 0, skippedTooLarge: walked.skippedTooLarge.length, skippedBuildOutput: walked.skippedBuildOutput.map(toPosixPath), unreadable: walked.unreadable.length, failedFiles: [], durationMs: 0, fixed: 0 };
  const showProgress = io.stderrIsTTY && !flags.has('--no-progress') && walked.files.length > 200;
  let lastProgress = 0;

  for (const [i, file] of walked.files.entries()) {
    if (showProgress && Date.now() - lastProgress > 100) {
      lastProgress = Date.now();
      io.stderr(`\rAnalyzing ${i + 1}/${walked.files.length} files…`);
    }
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      summary.unreadable++;
      continue;
    }
    const analysis = await analyzer.analyze({ path: file.path, text });
    if (analysis.error === 'binary file') summary.skippedBinary++;
    else if (analysis.error === NO_ANALYZER) continue;
    else if (analysis.error) summary.failedFiles.push({ path: file.path, reason: analysis.error });
    else summary.filesAnalyzed++;
    // Only files with facts can have findings; keeping the rest would only cost memory.
    if (!hasFacts(analysis)) continue;
    analyses.set(file.path, analysis);
    texts.set(file.path, text);
  }
  if (showProgress) io.stderr('\r\u001b[K');

  let findings = checkFiles([...analyses.values()], config, roots);
  if (flags.has('--fix')) {
    const before = findings.length;
    for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
      const paths = [...new Set(findings.filter((f) => f.fix).map((f) => f.path))];
      let changed = false;
      for (const path of paths) {
        const text = texts.get(path);
        const analysis = analyses.get(path);
        if (text === undefined || !analysis) continue;
        const edits: TextEdit[] = [];
        for (const finding of fixableFindings(findings, path)) {
          const fix = analyzer.fixFor({ path, text }, analysis, finding);
          if (fix) edits.push(...fix.edits);
        }
        const next = applyEdits(text, edits);
        if (next === text) continue;
        try {
          writeFileAtomic(path, next);
        } catch (e) {
          summary.failedFiles.push({ path, reason: `could not write the fix: ${(e as Error).message}` });
          continue;
        }
        changed = true;
        texts.set(path, next);
        analyses.set(path, await analyzer.analyze({ path, text: next }));
      }
      if (!changed) break;
      findings = checkFiles([...analyses.values()], config, roots);
    }
    summary.fixed = Math.max(0, before - findings.length);
  }

  summary.durationMs = Date.now() - started;
  const canFix = (f: Finding): boolean => {
    const analysis = analyses.get(f.path);
    const text = texts.get(f.path);
    return Boolean(f.fix) && analysis !== undefined && text !== undefined && analyzer.fixFor({ path: f.path, text }, analysis, f) !== null;
  };
  const results = resolveFindings(findings, analyses, canFix);
  switch (format) {
    case 'json': io.stdout(formatJson(results, summary, io.version)); break;
    case 'sarif': io.stdout(formatSarif(results, io.version)); break;
    case 'github': io.stdout(formatGithub(results)); io.stderr(formatSummary(results, summary, colors(false))); break;
    default: io.stdout(formatText(results, summary, colors(io.stdoutIsTTY && !process.env.NO_COLOR)));
  }
  if (failOn === 'none') return 0;
  const threshold = RANK[failOn];
  return findings.some((f) => RANK[f.severity] >= threshold) ? 1 : 0;
}
