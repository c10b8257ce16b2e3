// reuse-after-bind: an option set once the socket is bound has no effect.
import { OPTION_NAMES, activePlatforms, bindForOption, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const reuseAfterBind: FileRule = {
  id: 'reuse-after-bind',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    for (const option of facts.options) {
      // Turning an option off too late is just as ineffective, but it harms nothing.
      if (option.timing !== 'after' || !option.enabled) continue;
      const platforms = activePlatforms(option.platforms, targets);
      const socket = sockets.get(option.socketId);
      if (!socket || platforms.length === 0) continue;
      const bind = bindForOption(facts, option);
      const name = OPTION_NAMES[option.option];
      const where = bind && bind.span.start !== socket.span.start ? 'by the bind' : `by ${socket.api}, which binds as it creates the socket`;
      const consequence = option.option === 'exclusiveaddruse'
        ? 'other processes can still bind the port'
        : 'a restart or a second socket still fails with EADDRINUSE';
      findings.push({
        ruleId: 'reuse-after-bind',
        file,
        span: option.span,
        message: `${name} is set after the socket is already bound (${where}): the OS reads it only at bind time, so it has no effect and ${consequence}.`,
        platforms,
        related: bind ? [{ file, span: bind.span, message: 'the socket is bound here' }] : [],
        fix: bind ? { kind: 'move-before-bind', option, socket, bind } : undefined,
      });
    }
    return findings;
  },
};
