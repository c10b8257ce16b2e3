// udp-reuse-steal: reuse on a unicast UDP socket lets another local process take its datagrams.
import { activePlatforms, onlyEphemeral, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const udpReuseSteal: FileRule = {
  id: 'udp-reuse-steal',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const bound = new Set(facts.binds.map((b) => b.socketId));
    const findings: RawFinding[] = [];
    for (const option of facts.options) {
      const socket = sockets.get(option.socketId);
      if (!socket || socket.protocol !== 'udp' || socket.multicast || !option.enabled || !bound.has(socket.id) || onlyEphemeral(facts, socket.id)) continue;
      const platforms = activePlatforms(option.platforms, targets);
      if (option.option === 'reuseaddr' && platforms.length > 0) {
        findings.push({
          ruleId: 'udp-reuse-steal',
          file,
          span: option.span,
          message: 'SO_REUSEADDR on a UDP socket that joins no multicast group: another local process can bind the same port (on Linux and Windows without any check of its user) and the datagrams meant for this socket go to whichever bound last.',
          platforms,
          fix: { kind: 'remove-option', option, socket },
        });
      } else if (option.option === 'reuseport' && platforms.includes('darwin')) {
        // On Linux SO_REUSEPORT requires the same user and load-balances: that is its intended use.
        findings.push({
          ruleId: 'udp-reuse-steal',
          file,
          span: option.span,
          message: 'SO_REUSEPORT on a unicast UDP socket: on macOS and BSD the last socket to bind the port receives all its datagrams, so another local process can take them.',
          platforms: ['darwin'],
          fix: { kind: 'remove-option', option, socket },
        });
      }
    }
    return findings;
  },
};
