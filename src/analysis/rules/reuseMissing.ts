// reuse-missing: a server socket (or multicast receiver) whose runtime does not set reuse by itself.
import type { Platform } from '../facts';
import { activePlatforms, effectiveOptions, isGroupReceiver, optionsOf, platformList, portLabel, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

const UNIX: readonly Platform[] = ['linux', 'darwin'];

export const reuseMissing: FileRule = {
  id: 'reuse-missing',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    for (const bind of facts.binds) {
      const socket = sockets.get(bind.socketId);
      if (!socket || bind.port === 0) continue;
      const receiver = isGroupReceiver(socket);
      const tcpServer = socket.role === 'server' && socket.protocol !== 'udp';
      if (!receiver && !tcpServer) continue;
      // An option set too late is reported by reuse-after-bind, with a fix that moves it.
      const late = optionsOf(facts, socket.id).some((o) => o.timing === 'after' && o.enabled && o.option !== 'exclusiveaddruse');
      if (late) continue;
      // TIME_WAIT blocks a restart only on Unix; Windows rebinds over TIME_WAIT by default. On Windows a
      // shared multicast port needs SO_REUSEADDR, which opens it to hijacking: windows-hijack's call, not ours.
      const candidates = activePlatforms(bind.platforms, targets.filter((p) => UNIX.includes(p)));
      const missing = candidates.filter((p) => {
        const options = effectiveOptions(facts, bind, p);
        return !options.has('reuseaddr') && !options.has('reuseport');
      });
      if (missing.length === 0) continue;
      const message = receiver
        ? `${socket.api} joins a multicast group on ${portLabel(bind)} without SO_REUSEADDR: a second receiver of the group on this machine fails to bind with EADDRINUSE on ${platformList(missing)}.`
        : `${socket.api} listens on ${portLabel(bind)} without SO_REUSEADDR: after a restart, bind fails with EADDRINUSE on ${platformList(missing)} while old connections sit in TIME_WAIT (up to a minute or more).`;
      findings.push({ ruleId: 'reuse-missing', file, span: bind.span, message, platforms: missing, fix: { kind: 'add-option', option: 'reuseaddr', socket, bind } });
    }
    return findings;
  },
};
