// "Address already in use" lines as the runtimes print them: where the link goes and which port it reveals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressInUseTooltip, findAddressInUseLinks } from '../../../../src/ports/view/terminalLinkPatterns';

function one(line: string): { text: string; port?: number; host?: string; protocol?: string; source: string } {
  const links = findAddressInUseLinks(line);
  assert.equal(links.length, 1, `${line}: ${JSON.stringify(links)}`);
  const [link] = links;
  assert.ok(link);
  const result: { text: string; port?: number; host?: string; protocol?: string; source: string } = {
    text: line.slice(link.startIndex, link.startIndex + link.length),
    source: link.source,
  };
  if (link.port !== undefined) result.port = link.port;
  if (link.host !== undefined) result.host = link.host;
  if (link.protocol !== undefined) result.protocol = link.protocol;
  return result;
}

test('Node: listen EADDRINUSE with IPv6, IPv4 and dgram addresses', () => {
  assert.deepEqual(one('Error: listen EADDRINUSE: address already in use :::3000'), {
    text: 'listen EADDRINUSE: address already in use :::3000', port: 3000, host: '::', protocol: 'tcp', source: 'node',
  });
  assert.deepEqual(one('Error: listen EADDRINUSE: address already in use 127.0.0.1:47913'), {
    text: 'listen EADDRINUSE: address already in use 127.0.0.1:47913', port: 47913, host: '127.0.0.1', protocol: 'tcp', source: 'node',
  });
  assert.deepEqual(one('Error: bind EADDRINUSE 0.0.0.0:41234'), { text: 'bind EADDRINUSE 0.0.0.0:41234', port: 41234, host: '0.0.0.0', protocol: 'udp', source: 'node' });
  // The error object's dump names the code without an address.
  assert.deepEqual(one("  code: 'EADDRINUSE',"), { text: 'EADDRINUSE', source: 'node' });
});

test('Go: listen tcp/udp ...: bind: address already in use', () => {
  assert.deepEqual(one('2024/05/01 12:00:00 listen tcp :8080: bind: address already in use'), {
    text: 'listen tcp :8080: bind: address already in use', port: 8080, host: '', protocol: 'tcp', source: 'go',
  });
  assert.deepEqual(one('listen udp4 127.0.0.1:9999: bind: address already in use').protocol, 'udp');
  assert.deepEqual(one('listen tcp [::1]:6060: bind: address already in use').host, '::1');
});

test('Python: [Errno 98] and [Errno 48], with the asyncio/uvicorn address tuple when printed', () => {
  assert.deepEqual(one('OSError: [Errno 98] Address already in use'), { text: '[Errno 98] Address already in use', source: 'python' });
  assert.deepEqual(one('OSError: [Errno 48] Address already in use').source, 'python');
  assert.deepEqual(one("ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use"), {
    text: "[Errno 98] error while attempting to bind on address ('127.0.0.1', 8000): address already in use",
    port: 8000,
    host: '127.0.0.1',
    source: 'python',
  });
});

test('Windows: [WinError 10048] and .NET SocketException (10048)', () => {
  const line = 'OSError: [WinError 10048] Only one usage of each socket address (protocol/network address/port) is normally permitted';
  assert.deepEqual(one(line), { text: line.slice('OSError: '.length), source: 'windows' });
  assert.equal(one('System.Net.Sockets.SocketException (10048): Only one usage of each socket address (protocol/network address/port) is normally permitted.').source, 'windows');
});

test('Java: BindException variants and Spring Boot\'s port message', () => {
  assert.deepEqual(one('Exception in thread "main" java.net.BindException: Address already in use'), {
    text: 'java.net.BindException: Address already in use', source: 'java',
  });
  assert.equal(one('java.net.BindException: Address already in use (Bind failed)').text, 'java.net.BindException: Address already in use (Bind failed)');
  assert.equal(one('Caused by: java.net.BindException: Address already in use: bind').text, 'java.net.BindException: Address already in use: bind');
  assert.deepEqual(one('Web server failed to start. Port 8080 was already in use.'), { text: 'Port 8080 was already in use', port: 8080, protocol: 'tcp', source: 'java' });
});

test('other runtimes: the generic phrase, with the port when the line names it', () => {
  assert.deepEqual(one('Error: Os { code: 98, kind: AddrInUse, message: "Address already in use" }'), { text: 'Address already in use', source: 'generic' });
  assert.deepEqual(one('bind: Address already in use'), { text: 'Address already in use', source: 'generic' });
  assert.deepEqual(one('Address already in use - bind(2) for "127.0.0.1" port 3000 (Errno::EADDRINUSE)').port, 3000);
  assert.deepEqual(one('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)'), { text: 'Address already in use', port: 80, host: '0.0.0.0', source: 'generic' });
});

test('lines without the message, and times that look like ports, give nothing wrong', () => {
  assert.deepEqual(findAddressInUseLinks('Server listening on http://127.0.0.1:3000'), []);
  assert.deepEqual(findAddressInUseLinks('12:34:56 all good'), []);
  assert.equal(one('12:34:56 bind: address already in use').port, undefined);
  assert.equal(one('Address already in use, port 70000').port, undefined);
});

test('two messages on one line give two links in order', () => {
  const links = findAddressInUseLinks('[Errno 98] Address already in use; listen tcp :8080: bind: address already in use');
  assert.deepEqual(links.map((l) => l.source), ['python', 'go']);
});

test('tooltips', () => {
  assert.equal(addressInUseTooltip({ port: 3000 }), 'Show who holds port 3000 (Bindwatch)');
  assert.equal(addressInUseTooltip({ port: 53, protocol: 'udp' }), 'Show who holds UDP port 53 (Bindwatch)');
  assert.equal(addressInUseTooltip({}), 'Show who holds the port (Bindwatch)');
});
