// bind-all-interfaces: an explicit wildcard bind exposes the port to other machines.
import { activePlatforms, portLabel, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const bindAllInterfaces: FileRule = {
  id: 'bind-all-interfaces',
  check(file, targets) {
    const sockets = socketIndex(file.facts);
    const findings: RawFinding[] = [];
    for (const bind of file.facts.binds) {
      // Multicast and broadcast receivers must bind the wildcard; port 0 is a throwaway (tests).
      const socket = sockets.get(bind.socketId);
      if (!bind.explicitWildcard || bind.port === 0 || socket?.multicast) continue;
      const platforms = activePlatforms(bind.platforms, targets);
      if (platforms.length === 0) continue;
      const api = socket?.api ?? 'This socket';
      const host = bind.host === null || bind.host === '' ? 'all interfaces' : `${bind.host} (all interfaces)`;
      findings.push({
        ruleId: 'bind-all-interfaces',
        file,
        span: bind.span,
        message: `${api} binds ${portLabel(bind)} on ${host}: it is reachable from other machines on the network. Bind 127.0.0.1 unless that is intended.`,
        platforms,
      });
    }
    return findings;
  },
};
