// reuse-exclusive-conflict: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE on one socket.
import { activePlatforms, optionsOf } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const reuseExclusiveConflict: FileRule = {
  id: 'reuse-exclusive-conflict',
  check(file, targets) {
    const { facts } = file;
    const findings: RawFinding[] = [];
    for (const socket of facts.sockets) {
      const options = optionsOf(facts, socket.id).filter((o) => o.enabled && o.timing === 'before');
      const reuse = options.filter((o) => o.option === 'reuseaddr');
      const exclusive = options.filter((o) => o.option === 'exclusiveaddruse');
      for (const ex of exclusive) {
        const clash = reuse.find((r) => activePlatforms(r.platforms, activePlatforms(ex.platforms, targets)).length > 0);
        if (!clash) continue;
        const platforms = activePlatforms(clash.platforms, activePlatforms(ex.platforms, targets));
        const later = clash.span.start > ex.span.start ? clash : ex;
        const earlier = later === clash ? ex : clash;
        findings.push({
          ruleId: 'reuse-exclusive-conflict',
          file,
          span: later.span,
          message: 'SO_REUSEADDR and SO_EXCLUSIVEADDRUSE are both set on this socket: they contradict each other, Windows rejects the second setsockopt with WSAEINVAL, and the socket keeps only the first, so it is either open to hijacking or not reusable as intended.',
          platforms,
          related: [{ file, span: earlier.span, message: 'the other option is set here' }],
          fix: clash.platforms.includes('win32') ? { kind: 'guard-not-windows', option: clash, socket } : undefined,
        });
      }
    }
    return findings;
  },
};
