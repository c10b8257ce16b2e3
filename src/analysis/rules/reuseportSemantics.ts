// reuseport-semantics: SO_REUSEPORT does different things on each OS.
import type { FileFacts, OptionFact, Platform, SocketFact } from '../facts';
import { isMulticastAddress } from '../../languages/common/hostPort';
import { activePlatforms, onlyEphemeral, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

/**
 * Does SO_REUSEPORT on this socket do something the code likely does not expect on `platform`?
 * - macOS/BSD: "the last binder takes the port" holds for unicast sockets only. For multicast receivers
 *   SO_REUSEPORT is the BSD way for several receivers to share a group's port, and every one of them
 *   gets each datagram (as on Linux), so there is nothing to explain. When the protocol is unknown the
 *   socket may well be such a receiver (cannot tell: stay quiet), unless it binds a unicast address.
 * - Windows: the option does not exist. For a multicast receiver that only matters when the API is
 *   known to throw there; otherwise the code is sharing a group port as intended.
 */
function differs(facts: FileFacts, socket: SocketFact, option: OptionFact, platform: Exclude<Platform, 'linux'>): boolean {
  const throws = option.unsupportedOn?.includes(platform) === true;
  if (socket.multicast) return throws;
  if (platform === 'darwin') return throws || socket.protocol !== 'unknown' || bindsUnicastOnly(facts, socket.id);
  return true;
}

/**
 * A socket bound to a specific unicast address (127.0.0.1, 10.0.0.5) gets no group's datagrams, so it
 * is no multicast receiver whatever its protocol.
 */
function bindsUnicastOnly(facts: FileFacts, socketId: string): boolean {
  const binds = facts.binds.filter((b) => b.socketId === socketId);
  return binds.length > 0 && binds.every((b) => (b.hostKind === 'loopback' || b.hostKind === 'specific') && !isMulticastAddress(b.host));
}

export const reuseportSemantics: FileRule = {
  id: 'reuseport-semantics',
  check(file, targets) {
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    for (const option of facts.options) {
      if (option.option !== 'reuseport' || !option.enabled) continue;
      const socket = sockets.get(option.socketId);
      if (!socket) continue;
      const platforms = activePlatforms(option.platforms, targets);
      const affected = platforms.filter((p): p is Exclude<Platform, 'linux'> => p !== 'linux' && differs(facts, socket, option, p));
      if (affected.length === 0 || onlyEphemeral(facts, socket.id)) continue;
      // On macOS a unicast UDP socket's case is udp-reuse-steal's finding.
      if (socket.protocol === 'udp' && !socket.multicast && affected.length === 1 && affected[0] === 'darwin') continue;
      const parts = [socket.multicast
        ? 'SO_REUSEPORT lets multicast receivers share a port on Linux and macOS'
        : 'SO_REUSEPORT differs by OS: on Linux it load-balances between sockets of the same user'];
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
