// Facts of every file in a workspace, kept current one file at a time, so cross-file rules see every
// bind of a port. Only files with facts are kept in full; the rest cost a map entry.
import type { AnalysisConfig } from './config';
import { fileRuleFindings, finalize, portRuleFindings } from './engine';
import type { FileAnalysis } from './fileAnalysis';
import { hasFacts } from './fileAnalysis';
import type { Finding } from './findings';
import type { BoundSocket } from './rules/portGroups';
import { boundSockets, portKey } from './rules/portGroups';
import { commonFolder, isStandaloneProgram } from './sourceFiles';

export class WorkspaceIndex {
  private readonly files = new Map<string, FileAnalysis>();
  private readonly bound = new Map<string, BoundSocket[]>();
  /** Folder every indexed file lies in (the workspace root, near enough); recomputed when files come or go. */
  private root: string | null = null;

  constructor(private config: AnalysisConfig) {}

  setConfig(config: AnalysisConfig): void {
    this.config = config;
    this.bound.clear();
    for (const file of this.files.values()) this.indexBinds(file);
  }

  get size(): number {
    return this.files.size;
  }

  paths(): string[] {
    return [...this.files.keys()];
  }

  get(path: string): FileAnalysis | undefined {
    return this.files.get(path);
  }

  set(analysis: FileAnalysis): void {
    if (!this.files.has(analysis.path)) this.root = null;
    this.files.set(analysis.path, analysis);
    this.indexBinds(analysis);
  }

  delete(path: string): void {
    if (this.files.has(path)) this.root = null;
    this.files.delete(path);
    this.bound.delete(path);
  }

  private indexBinds(file: FileAnalysis): void {
    if (hasFacts(file)) this.bound.set(file.path, boundSockets(file, this.config.platforms));
    else this.bound.delete(file.path);
  }

  /**
   * Marks binds of example programs. The index does not know the workspace folder, so folders above
   * the one all indexed files share are not looked at: a workspace that sits in ~/examples/ still pairs.
   */
  private withStandalone(list: readonly BoundSocket[]): BoundSocket[] {
    this.root ??= commonFolder(this.files.keys());
    const roots = [this.root];
    return list.map((b) => ({ ...b, standalone: isStandaloneProgram(b.file.path, roots) }));
  }

  /** Files whose findings may change when `path` changes: those sharing a port with it, before or after. */
  filesSharingPorts(path: string, previousPorts: ReadonlySet<string> = new Set()): string[] {
    const keys = new Set([...previousPorts, ...this.portKeys(path)]);
    const result = new Set<string>();
    for (const [other, list] of this.bound) {
      if (other !== path && list.some((b) => keys.has(portKey(b)))) result.add(other);
    }
    return [...result];
  }

  portKeys(path: string): Set<string> {
    return new Set((this.bound.get(path) ?? []).map(portKey));
  }

  /** Findings for one file: its own rules plus cross-file rules against every indexed bind. */
  findingsFor(path: string): Finding[] {
    const file = this.files.get(path);
    if (!file) return [];
    const raw = fileRuleFindings(file, this.config);
    const mine = this.bound.get(path) ?? [];
    if (mine.length > 0) {
      const keys = new Set(mine.map(portKey));
      const candidates = [...this.bound.values()].flat().filter((b) => keys.has(portKey(b)));
      raw.push(...portRuleFindings(this.withStandalone(candidates), (b) => b.file.path === path));
    }
    return finalize(raw, this.config);
  }

  /** Every finding in the workspace. */
  allFindings(): Finding[] {
    const raw = [...this.files.values()].flatMap((f) => fileRuleFindings(f, this.config));
    raw.push(...portRuleFindings(this.withStandalone([...this.bound.values()].flat()), () => true));
    return finalize(raw, this.config);
  }
}
