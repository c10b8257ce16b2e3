// port-conflict (hint): several binds of one fixed port and none opts into reuse.
import type { BoundSocket } from './portGroups';
import { describeLocation, rivals } from './portGroups';
import { hasDisagreement } from './reuseOneSided';
import type { RawFinding } from './ruleTypes';

const MAX_RELATED = 10;

/**
 * Could this socket share its port with another on some platform? SO_REUSEADDR lets UDP sockets share,
 * but two live TCP listeners only with SO_REUSEPORT (or SO_REUSEADDR on Windows, which is hijacking).
 */
function canShare(b: BoundSocket): boolean {
  for (const [platform, set] of b.sharing) {
    if (set.has('reuseport')) return true;
    if (set.has('reuseaddr') && (b.socket.protocol === 'udp' || platform === 'win32')) return true;
  }
  return false;
}

export function checkPortConflict(group: readonly BoundSocket[], report: (b: BoundSocket) => boolean): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const b of group) {
    if (!report(b)) continue;
    const others = rivals(b, group);
    if (others.length === 0) continue;
    // Judged among the sockets that can meet this one (not the whole port's group, which may hold
    // separate example programs or other addresses). Sockets that disagree are reuse-one-sided's finding.
    const meeting = [b, ...others];
    if (meeting.some(canShare) || hasDisagreement(meeting)) continue;
    const where = others.slice(0, 3).map((o) => describeLocation(o, b.file)).join(', ');
    const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
    const protocol = b.socket.protocol.toUpperCase();
    findings.push({
      ruleId: 'port-conflict',
      file: b.file,
      span: b.bind.span,
      message: `${protocol} port ${String(b.bind.port)} is also bound at ${where}${more}, and none of these sockets can share it: only one of them can run at a time, the others fail with EADDRINUSE.`,
      platforms: [...b.sharing.keys()],
      related: others.slice(0, MAX_RELATED).map((o) => ({ file: o.file, span: o.bind.span, message: `also binds ${protocol} port ${String(b.bind.port)}` })),
    });
  }
  return findings;
}
