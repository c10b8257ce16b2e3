// What rules report. Spans are offsets in the file's text; lines are resolved by whoever prints them.
import type { Platform, Span } from './facts';
import type { FixRequest } from './fixes';

export type RuleId =
  | 'reuse-missing'
  | 'reuse-one-sided'
  | 'reuse-after-bind'
  | 'windows-hijack'
  | 'udp-reuse-steal'
  | 'reuse-exclusive-conflict'
  | 'exclusive-wrong-constant'
  | 'port-conflict'
  | 'reuseport-semantics'
  | 'bind-all-interfaces';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface RelatedLocation {
  path: string;
  span: Span;
  /** 0-based line of span.start in that file, resolved when the finding is made. */
  line: number;
  character: number;
  message: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  path: string;
  span: Span;
  related: RelatedLocation[];
  /** The platforms on which the problem happens. */
  platforms: Platform[];
  /** Language-neutral fix request; the file's adapter turns it into edits. */
  fix?: FixRequest;
}
