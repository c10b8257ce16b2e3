// port-conflict (hint): several binds of one fixed port and none opts into reuse.
import type { BoundSocket } from './portGroups';
import { describeLocation, rivals } from './portGroups';
import type { RawFinding } from './ruleTypes';

const MAX_RELATED = 10;

function optsIn(b: BoundSocket): boolean {
  return [...b.sharing.values()].some((set) => set.size > 0);
}

export function checkPortConflict(group: readonly BoundSocket[], report: (b: BoundSocket) => boolean): RawFinding[] {
  if (group.some(optsIn)) return [];
  const findings: RawFinding[] = [];
  for (const b of group) {
    if (!report(b)) continue;
    const others = rivals(b, group);
    if (others.length === 0) continue;
    const where = others.slice(0, 3).map((o) => describeLocation(o, b.file)).join(', ');
    const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
    const protocol = b.socket.protocol.toUpperCase();
    findings.push({
      ruleId: 'port-conflict',
      file: b.file,
      span: b.bind.span,
      message: `${protocol} port ${String(b.bind.port)} is also bound at ${where}${more}, and none of these sockets opts into reuse: only one of them can run at a time, the others fail with EADDRINUSE.`,
      platforms: [...b.sharing.keys()],
      related: others.slice(0, MAX_RELATED).map((o) => ({ file: o.file, span: o.bind.span, message: `also binds ${protocol} port ${String(b.bind.port)}` })),
    });
  }
  return findings;
}
