import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeProcNetAddress,
  formatIpv6,
  parseProcNet,
  parseProcNetTcp,
  parseProcNetUdp,
  socketInodeFromLink,
} from '../../../src/ports/linuxProcNet';
import { readFixture } from './portsTestHelpers';

// The fixtures are real tables captured on an x86-64 (little-endian) Linux VM, see
// test/unit/fixtures/ports/linux/capture.mjs for the sockets behind them.
const tcp = parseProcNetTcp(readFixture('linux', 'proc-net-tcp.txt'), 'ipv4', 'little');
const tcp6 = parseProcNetTcp(readFixture('linux', 'proc-net-tcp6.txt'), 'ipv6', 'little');
const udp = parseProcNetUdp(readFixture('linux', 'proc-net-udp.txt'), 'ipv4', 'little');
const udp6 = parseProcNetUdp(readFixture('linux', 'proc-net-udp6.txt'), 'ipv6', 'little');

describe('parseProcNetTcp on captured /proc/net/tcp', () => {
  it('decodes little-endian IPv4 addresses and hex ports of listeners', () => {
    const listener = tcp.find((s) => s.localPort === 41001);
    assert.ok(listener);
    assert.equal(listener.localAddress, '127.0.0.1');
    assert.equal(listener.state, 'listen');
    assert.equal(listener.protocol, 'tcp');
    assert.equal(listener.family, 'ipv4');
    assert.equal(listener.uid, 0);
    assert.match(listener.inode ?? '', /^\d+$/);
    const any = tcp.find((s) => s.localPort === 41003);
    assert.equal(any?.localAddress, '0.0.0.0');
  });

  it('lists each socket of a reuse-port group as its own row with its own inode', () => {
    const group = tcp.filter((s) => s.localPort === 41006);
    assert.equal(group.length, 2);
    assert.notEqual(group[0]?.inode, group[1]?.inode);
    assert.ok(group.every((s) => s.state === 'listen' && s.localAddress === '127.0.0.1'));
  });

  it('reads established connections with their peer', () => {
    const client = tcp.find((s) => s.state === 'established' && s.remotePort === 41009);
    assert.ok(client, 'the captured client connection to port 41009');
    assert.equal(client.localAddress, '127.0.0.1');
    assert.equal(client.remoteAddress, '127.0.0.1');
    assert.ok(client.localPort > 1024);
  });
});

describe('parseProcNetTcp on captured /proc/net/tcp6', () => {
  it('reverses bytes within each 32-bit word: ::1 and ::', () => {
    assert.equal(tcp6.find((s) => s.localPort === 41002)?.localAddress, '::1');
    assert.equal(tcp6.find((s) => s.localPort === 41009 && s.state === 'listen')?.localAddress, '::');
  });

  it('shows a v4 client on a dual-stack listener as ::ffff:127.0.0.1, with no inode before accept()', () => {
    const accepted = tcp6.find((s) => s.localPort === 41009 && s.state === 'established');
    assert.ok(accepted);
    assert.equal(accepted.localAddress, '::ffff:127.0.0.1');
    assert.equal(accepted.remoteAddress, '::ffff:127.0.0.1');
    assert.equal(accepted.inode, undefined, 'inode 0 is no inode');
    assert.equal(accepted.uid, undefined, 'the uid column of an inode-0 socket means nothing');
  });
});

describe('parseProcNetUdp on captured /proc/net/udp and udp6', () => {
  it('reads state 07 as a bound, unconnected socket and 01 as connected', () => {
    const bound = udp.find((s) => s.localPort === 41004);
    assert.equal(bound?.state, 'unconnected');
    assert.equal(bound?.localAddress, '0.0.0.0');
    const connected = udp.find((s) => s.remotePort === 41004);
    assert.equal(connected?.state, 'connected');
    assert.equal(connected?.remoteAddress, '127.0.0.1');
    assert.equal(udp6.find((s) => s.localPort === 41005)?.state, 'unconnected');
    assert.equal(udp6.find((s) => s.localPort === 41005)?.localAddress, '::');
  });

  it('keeps the owner uid of every socket: one UDP port bound by root and by nobody', () => {
    const shared = udp.filter((s) => s.localPort === 41008);
    assert.deepEqual(shared.map((s) => s.uid).sort((a, b) => (a ?? 0) - (b ?? 0)), [0, 65534]);
  });
});

describe('address decoding', () => {
  it('decodes IPv6 words written by a big-endian host without reversing', () => {
    assert.equal(decodeProcNetAddress('00000000000000000000000000000001', 'big'), '::1');
    assert.equal(decodeProcNetAddress('7F000001', 'big'), '127.0.0.1');
  });

  it('decodes a global IPv6 address and compresses the longest zero run', () => {
    // 2001:db8::8:800:200c:417a on a little-endian host
    assert.equal(decodeProcNetAddress('B80D0120' + '00000000' + '00080800' + '7A410C20', 'little'), '2001:db8::8:800:200c:417a');
    assert.equal(formatIpv6([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 'fe80::1');
    assert.equal(formatIpv6([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), '1:0:1::1');
  });

  it('skips malformed lines instead of failing the table', () => {
    const result = parseProcNet('  sl  local_address ...\n   0: garbage\n   1: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1\n', 'tcp', 'ipv4', 'little');
    assert.equal(result.sockets.length, 1);
    assert.equal(result.sockets[0]?.localPort, 80);
    assert.equal(result.sockets[0]?.uid, 1000);
    assert.equal(result.skipped.length, 1);
  });

  it('reads socket inodes from fd links and ignores other files', () => {
    assert.equal(socketInodeFromLink('socket:[56136]'), '56136');
    assert.equal(socketInodeFromLink('pipe:[123]'), undefined);
    assert.equal(socketInodeFromLink('/dev/null'), undefined);
  });
});
