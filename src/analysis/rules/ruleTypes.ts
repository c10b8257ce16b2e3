// The shape of a rule: file rules see one file's facts, port rules see binds across all files.
import type { FileAnalysis } from '../fileAnalysis';
import type { Platform, Span } from '../facts';
import type { RuleId } from '../findings';
import type { FixRequest } from '../fixes';

export interface RawRelated {
  file: FileAnalysis;
  span: Span;
  message: string;
}

export interface RawFinding {
  ruleId: RuleId;
  file: FileAnalysis;
  span: Span;
  message: string;
  platforms: Platform[];
  related?: RawRelated[];
  fix?: FixRequest;
}

export interface FileRule {
  id: RuleId;
  check(file: FileAnalysis, targets: readonly Platform[]): RawFinding[];
}
