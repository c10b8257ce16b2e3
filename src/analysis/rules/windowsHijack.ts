// windows-hijack: SO_REUSEADDR in effect on Windows without SO_EXCLUSIVEADDRUSE.
import type { OptionFact } from '../facts';
import { effectiveOptions, isGroupReceiver, optionsOf, portLabel, socketIndex } from '../socketModel';
import type { FileRule, RawFinding } from './ruleTypes';

export const windowsHijack: FileRule = {
  id: 'windows-hijack',
  check(file, targets) {
    if (!targets.includes('win32')) return [];
    const { facts } = file;
    const sockets = socketIndex(facts);
    const findings: RawFinding[] = [];
    const reported = new Set<OptionFact>();
    for (const bind of facts.binds) {
      const socket = sockets.get(bind.socketId);
      // A port-0 bind (typically a test server) gets an ephemeral port no other program waits for.
      // Client sockets that bind a local port before connecting are not listening for anyone to hijack.
      if (!socket || socket.role === 'client' || !bind.platforms.includes('win32') || bind.port === 0) continue;
      const options = effectiveOptions(facts, bind, 'win32');
      if (!options.has('reuseaddr') || options.has('exclusiveaddruse')) continue;
      const explicit = optionsOf(facts, socket.id)
        .filter((o) => o.option === 'reuseaddr' && o.enabled && o.timing === 'before' && o.platforms.includes('win32'))
        .pop();
      const receiver = isGroupReceiver(socket);
      // A unicast UDP socket with explicit reuse is udp-reuse-steal's finding, which also covers Windows.
      if (explicit && socket.protocol === 'udp' && !socket.multicast) continue;
      const sharing = receiver
        ? 'any other process, under any user, can bind the same port and receive this group\'s datagrams (and unicast ones sent to the port)'
        : `any other process can bind ${portLabel(bind)} too, and Windows then delivers connections or datagrams to either socket (port hijacking)`;
      if (explicit) {
        if (reported.has(explicit)) continue;
        reported.add(explicit);
        findings.push({
          ruleId: 'windows-hijack',
          file,
          span: explicit.span,
          message: `SO_REUSEADDR on Windows does not mean what it means on Unix: ${sharing}. Without it Windows already rebinds over TIME_WAIT; skip it on Windows or use SO_EXCLUSIVEADDRUSE.`,
          platforms: ['win32'],
          related: [{ file, span: bind.span, message: 'the socket is bound here' }],
          fix: receiver ? undefined : { kind: 'guard-not-windows', option: explicit, socket },
        });
      } else {
        findings.push({
          ruleId: 'windows-hijack',
          file,
          span: bind.span,
          message: `${socket.api} sets SO_REUSEADDR on Windows too, without SO_EXCLUSIVEADDRUSE: ${sharing}.`,
          platforms: ['win32'],
          fix: receiver ? undefined : { kind: 'add-exclusive', socket, bind },
        });
      }
    }
    return findings;
  },
};
