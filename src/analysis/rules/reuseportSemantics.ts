// reuseport-semantics: SO_REUSEPORT does different things on each OS.
import type { Platform } from '../facts';
import { activePlatforms, onlyEphemeral, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const reuseportSemantics: FileRule = {
  id: 'reuseport-semantics',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    for (const option of facts.options) {
      if (option.option !== 'reuseport' || !option.enabled) continue;
      const socket = sockets.get(option.socketId);
      const platforms = activePlatforms(option.platforms, targets);
      // For a multicast receiver on macOS/BSD, SO_REUSEPORT is exactly how receivers share the group.
      const affected = platforms.filter((p): p is Exclude<Platform, 'linux'> => p !== 'linux' && !(p === 'darwin' && socket?.multicast === true));
      if (!socket || affected.length === 0 || onlyEphemeral(facts, socket.id)) continue;
      // On macOS a unicast UDP socket's case is udp-reuse-steal's finding.
      if (socket.protocol === 'udp' && !socket.multicast && affected.length === 1 && affected[0] === 'darwin') continue;
      const parts = ['SO_REUSEPORT differs by OS: on Linux it load-balances between sockets of the same user'];
      if (affected.includes('darwin')) {
        parts.push(option.unsupportedOn?.includes('darwin')
          ? 'on macOS this API throws'
          : 'on macOS and BSD the last socket to bind takes the port (no load balancing)');
      }
      if (affected.includes('win32')) {
        parts.push(option.unsupportedOn?.includes('win32') ? 'on Windows it does not exist and this API throws' : 'on Windows it does not exist');
      }
      findings.push({
        ruleId: 'reuseport-semantics',
        file,
        span: option.span,
        message: `${parts.join('; ')}. Guard it to Linux if load balancing is the intent.`,
        platforms: affected,
      });
    }
    return findings;
  },
};
