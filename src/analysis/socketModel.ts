// Questions rules ask of the facts: which options are in effect at a bind on a platform, which
// bind belongs to a socket, how to name options and platforms in messages.
import type { BindFact, FileFacts, OptionFact, Platform, ReuseOption, SocketFact } from './facts';

export const OPTION_NAMES: Record<ReuseOption, string> = {
  reuseaddr: 'SO_REUSEADDR',
  reuseport: 'SO_REUSEPORT',
  exclusiveaddruse: 'SO_EXCLUSIVEADDRUSE',
};

export const PLATFORM_NAMES: Record<Platform, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

export function platformList(platforms: readonly Platform[]): string {
  const names = platforms.map((p) => PLATFORM_NAMES[p]);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

export function socketIndex(facts: FileFacts): Map<string, SocketFact> {
  return new Map(facts.sockets.map((s) => [s.id, s]));
}

export function optionsOf(facts: FileFacts, socketId: string): OptionFact[] {
  return facts.options.filter((o) => o.socketId === socketId).sort((a, b) => a.span.start - b.span.start);
}

/** Options in effect when `bind` happens on `platform`: runtime defaults, then explicit settings in order. */
export function effectiveOptions(facts: FileFacts, bind: BindFact, platform: Platform): Set<ReuseOption> {
  const result = new Set<ReuseOption>(bind.implicit[platform] ?? []);
  for (const option of optionsOf(facts, bind.socketId)) {
    if (option.timing !== 'before' || !option.platforms.includes(platform)) continue;
    if (option.enabled) result.add(option.option);
    else result.delete(option.option);
  }
  return result;
}

/** The bind that an option set after binding refers to: the last bind before it, else the first. */
export function bindForOption(facts: FileFacts, option: OptionFact): BindFact | undefined {
  const binds = facts.binds.filter((b) => b.socketId === option.socketId).sort((a, b) => a.span.start - b.span.start);
  const before = binds.filter((b) => b.span.start <= option.span.start);
  return before[before.length - 1] ?? binds[0];
}

export function activePlatforms(platforms: readonly Platform[], targets: readonly Platform[]): Platform[] {
  return targets.filter((p) => platforms.includes(p));
}

/** Does the socket share its port on purpose (multicast/broadcast receivers)? */
export function isGroupReceiver(socket: SocketFact): boolean {
  return socket.protocol === 'udp' && socket.multicast;
}

export function portLabel(bind: BindFact): string {
  return bind.port === null ? 'its port' : `port ${bind.port}`;
}

/** A socket whose every bind is to port 0 gets a fresh ephemeral port nobody else knows in advance. */
export function onlyEphemeral(facts: FileFacts, socketId: string): boolean {
  const binds = facts.binds.filter((b) => b.socketId === socketId);
  return binds.length > 0 && binds.every((b) => b.port === 0);
}
