// reuse-after-bind: an option set once the socket is bound has no effect.
import type { BindFact, Platform, ReuseOption } from '../facts';
import { OPTION_NAMES, activePlatforms, bindForOption, platformList, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

const RELEVANT: Record<ReuseOption, Platform[]> = { reuseaddr: ['linux', 'darwin'], reuseport: ['linux', 'darwin'], exclusiveaddruse: ['win32'] };

function alreadySet(bind: BindFact | undefined, platform: Platform, option: ReuseOption): boolean {
  const implicit = bind?.implicit[platform] ?? [];
  // The JDK binds exclusively on Windows and only records a later SO_REUSEADDR.
  return implicit.includes(option) || (option === 'reuseaddr' && implicit.includes('exclusiveaddruse'));
}

export const reuseAfterBind: FileRule = {
  id: 'reuse-after-bind',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    for (const option of facts.options) {
      // Turning an option off too late is just as ineffective, but it harms nothing.
      if (option.timing !== 'after' || !option.enabled) continue;
      const socket = sockets.get(option.socketId);
      if (!socket) continue;
      const bind = bindForOption(facts, option);
      // Where the late option would have mattered: SO_REUSEADDR for restarts on Unix (and for sharing a
      // multicast group anywhere), SO_REUSEPORT on Unix, SO_EXCLUSIVEADDRUSE on Windows; and not where
      // the runtime already set it at bind (Java's ServerSocket then setReuseAddress(true)).
      const relevant = RELEVANT[option.option].concat(option.option === 'reuseaddr' && socket.multicast ? ['win32'] : []);
      const affected = activePlatforms(option.platforms, targets).filter((p) => relevant.includes(p));
      if (affected.length === 0) continue;
      const missing = affected.filter((p) => !alreadySet(bind, p, option.option));
      const name = OPTION_NAMES[option.option];
      const where = bind && bind.span.start !== socket.span.start ? 'by the bind' : `by ${socket.api}, which binds as it creates the socket`;
      const consequence = option.option === 'exclusiveaddruse'
        ? 'other processes can still bind the port'
        : 'a restart or a second socket still fails with EADDRINUSE';
      const message = missing.length > 0
        ? `${name} is set after the socket is already bound (${where}): the OS reads it only at bind time, so it has no effect and ${consequence} on ${platformList(missing)}.`
        : `${name} is set after the socket is already bound (${where}): the OS reads it only at bind time, so this line does nothing. ${socket.api} already sets it at bind on ${platformList(affected)}; the late call only suggests otherwise.`;
      const platforms = missing.length > 0 ? missing : affected;
      findings.push({
        ruleId: 'reuse-after-bind',
        file,
        span: option.span,
        message,
        platforms,
        related: bind ? [{ file, span: bind.span, message: 'the socket is bound here' }] : [],
        fix: bind ? { kind: 'move-before-bind', option, socket, bind } : undefined,
      });
    }
    return findings;
  },
};
