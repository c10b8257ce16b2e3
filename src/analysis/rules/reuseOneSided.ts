// reuse-one-sided: sockets on one port disagree on reuse; both sides must opt in.
import type { Platform, ReuseOption } from '../facts';
import { OPTION_NAMES, platformList } from '../socketModel';
import type { BoundSocket } from './portGroups';
import { describeLocation, rivals } from './portGroups';
import type { RawFinding } from './ruleTypes';

const MAX_RELATED = 10;

/** Do some sockets of the group have reuse options in effect that colliding others lack? */
export function hasDisagreement(group: readonly BoundSocket[]): boolean {
  return group.some((b) => rivals(b, group).some((o) => [...b.sharing].some(([platform, mine]) => {
    const theirs = o.sharing.get(platform);
    return theirs !== undefined && [...theirs].some((option) => !mine.has(option));
  })));
}

export function checkReuseOneSided(group: readonly BoundSocket[], report: (b: BoundSocket) => boolean): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const b of group) {
    if (!report(b)) continue;
    const lacking = new Map<Exclude<ReuseOption, 'exclusiveaddruse'>, { platforms: Set<Platform>; others: BoundSocket[] }>();
    for (const other of rivals(b, group)) {
      for (const [platform, mine] of b.sharing) {
        const theirs = other.sharing.get(platform);
        if (!theirs) continue;
        for (const option of theirs) {
          if (mine.has(option)) continue;
          const entry = lacking.get(option) ?? { platforms: new Set<Platform>(), others: [] };
          entry.platforms.add(platform);
          if (!entry.others.includes(other)) entry.others.push(other);
          lacking.set(option, entry);
        }
      }
    }
    // Report the most consequential missing option once per bind.
    const option = lacking.has('reuseport') ? 'reuseport' : lacking.has('reuseaddr') ? 'reuseaddr' : undefined;
    if (!option) continue;
    const entry = lacking.get(option);
    if (!entry) continue;
    const platforms = [...entry.platforms];
    const name = OPTION_NAMES[option];
    const where = entry.others.slice(0, 3).map((o) => describeLocation(o, b.file)).join(', ');
    const more = entry.others.length > 3 ? ` and ${entry.others.length - 3} more` : '';
    findings.push({
      ruleId: 'reuse-one-sided',
      file: b.file,
      span: b.bind.span,
      message: `Port ${String(b.bind.port)} is also bound at ${where}${more} with ${name}, but this socket does not set it: both sockets must opt in, so on ${platformList(platforms)} whichever binds second fails with EADDRINUSE.`,
      platforms,
      related: entry.others.slice(0, MAX_RELATED).map((o) => ({ file: o.file, span: o.bind.span, message: `also binds port ${String(b.bind.port)} with ${name}` })),
      fix: { kind: 'add-option', option, socket: b.socket, bind: b.bind },
    });
  }
  return findings;
}
