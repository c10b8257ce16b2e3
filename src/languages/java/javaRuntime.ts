// What the JDK does by itself for each socket class (openjdk/jdk sun.nio.ch.Net, NioSocketImpl,
// DatagramChannelImpl, MulticastSocket): which options it sets, and where it ignores the caller's.
import type { BindFact, Platform, Protocol, ReuseOption } from '../../analysis/facts';

/**
 * server: ServerSocket, ServerSocketChannel, AsynchronousServerSocketChannel: SO_REUSEADDR on Unix at
 *   creation (Net.serverSocket(true)); on Windows exclusive bind (SO_EXCLUSIVEADDRUSE, sun.net.useExclusiveBind
 *   defaults to true) and setReuseAddress is only emulated (recorded, never passed to Winsock).
 * stream: client Socket/SocketChannel: no reuse on Unix; exclusive bind and emulated SO_REUSEADDR on Windows.
 * datagram: DatagramSocket/DatagramChannel: nothing on Unix; exclusive bind on Windows, but an
 *   SO_REUSEADDR set before bind does reach Winsock (and then wins over the exclusive bind).
 * multicast: MulticastSocket enables SO_REUSEADDR before binding, on every platform.
 */
export type JavaSocketKind = 'server' | 'stream' | 'datagram' | 'multicast';

export interface JavaSocketClass {
  kind: JavaSocketKind;
  protocol: Protocol;
}

export const SOCKET_CLASSES: ReadonlyMap<string, JavaSocketClass> = new Map<string, JavaSocketClass>([
  ['ServerSocket', { kind: 'server', protocol: 'tcp' }],
  ['SSLServerSocket', { kind: 'server', protocol: 'tcp' }],
  ['ServerSocketChannel', { kind: 'server', protocol: 'tcp' }],
  ['AsynchronousServerSocketChannel', { kind: 'server', protocol: 'tcp' }],
  ['Socket', { kind: 'stream', protocol: 'tcp' }],
  ['SSLSocket', { kind: 'stream', protocol: 'tcp' }],
  ['SocketChannel', { kind: 'stream', protocol: 'tcp' }],
  ['AsynchronousSocketChannel', { kind: 'stream', protocol: 'tcp' }],
  ['DatagramSocket', { kind: 'datagram', protocol: 'udp' }],
  ['DatagramChannel', { kind: 'datagram', protocol: 'udp' }],
  ['MulticastSocket', { kind: 'multicast', protocol: 'udp' }],
]);

/** Classes whose static open() makes an unbound channel. */
export const CHANNEL_CLASSES = new Set(['ServerSocketChannel', 'AsynchronousServerSocketChannel', 'DatagramChannel', 'SocketChannel', 'AsynchronousSocketChannel']);

const UNIX_REUSE: ReuseOption[] = ['reuseaddr'];

export function implicitOptions(kind: JavaSocketKind): BindFact['implicit'] {
  switch (kind) {
    case 'server':
      return { linux: [...UNIX_REUSE], darwin: [...UNIX_REUSE], win32: ['exclusiveaddruse'] };
    case 'stream':
    case 'datagram':
      return { win32: ['exclusiveaddruse'] };
    case 'multicast':
      return { linux: ['reuseaddr'], darwin: ['reuseaddr'], win32: ['reuseaddr'] };
  }
}

/** Platforms where an explicit SO_REUSEADDR on this kind reaches the OS. */
export function reuseAddrPlatforms(kind: JavaSocketKind, platforms: readonly Platform[]): Platform[] {
  if (kind === 'server' || kind === 'stream') return platforms.filter((p) => p !== 'win32');
  return [...platforms];
}
