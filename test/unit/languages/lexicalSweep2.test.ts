// Lexical adapter facts for the second accuracy sweep: bind wrappers and definition heads, option
// lists and IO::Socket hashes reached through variables, Perl modifiers across lines, ephemeral
// IO::Socket listeners, TclUDP, and gen_tcp's reuseaddr on Windows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileFacts, OptionFact, SocketFact } from '../../../src/analysis/facts';
import { lexicalAdapter } from '../../../src/languages/lexical/lexicalAdapter';

function facts(path: string, text: string): FileFacts {
  return lexicalAdapter.extract({ path, text });
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function optionsOf(f: FileFacts, socket: SocketFact): OptionFact[] {
  return f.options.filter((o) => o.socketId === socket.id);
}

describe('lexical: wrappers and definition heads', () => {
  it('Erlang: -spec and clause heads are no binds; a bind on a parameter is no server', () => {
    const text = [
      '-module(s).',
      '-spec bind(Socket, Addr) -> ok when Socket :: socket(), Addr :: term().',
      'bind(S, Addr, _) when is_reference(S) ->',
      '    prim_socket:bind(S, Addr).',
      '',
    ].join('\n');
    const f = facts('s.erl', text);
    assert.deepEqual(f.binds.map((b) => lineOf(text, b.span.start)), [4]);
    assert.ok(f.sockets.every((s) => s.role !== 'server'), JSON.stringify(f.sockets));
  });

  it('OCaml and Perl: a wrapper that listens on a socket it was handed stays unknown', () => {
    const ml = facts('w.ml', 'let bind_1 ch addr =\n  Unix.bind ch.fd addr\nlet listen ch n = Unix.listen ch.fd n\n');
    assert.ok(ml.sockets.length > 0 && ml.sockets.every((s) => s.role === 'unknown'), JSON.stringify(ml.sockets));
    const pl = facts('w.pm', 'sub setup {\n  my $self = shift;\n  $self->bind($self->{addr}) or return;\n  $self->listen(5);\n  $self->connect($peer);\n}\n');
    assert.ok(pl.sockets.every((s) => s.role === 'unknown'), JSON.stringify(pl.sockets));
  });

  it('a created socket keeps its server role when the port is unknown', () => {
    const f = facts('h.erl', 'start(Port) ->\n    {ok, L} = gen_tcp:listen(Port, [binary]),\n    L.\n');
    assert.equal(f.sockets[0]?.role, 'server');
    assert.equal(f.binds[0]?.port, null);
  });
});

describe('lexical: options through variables', () => {
  it('Erlang: a list variable, a concatenation and a destructured result reach gen_tcp:listen', () => {
    for (const text of [
      'l(P) ->\n    Opts = [{backlog, 128}, {reuseaddr, true}],\n    gen_tcp:listen(P, Opts).\n',
      'l(B, E) ->\n    IpOpts =\n        case B of\n            default -> [];\n            IB -> [{inet_backend, IB}]\n        end ++\n        [binary, {reuseaddr, true} | E],\n    gen_tcp:listen(2944, IpOpts).\n',
      'l(A, P) ->\n    {NewPort, Opts} = info(A, P, [{reuseaddr, true}]),\n    Opts2 = [inet6 | Opts],\n    gen_tcp:listen(NewPort, Opts2).\n',
    ]) {
      const f = facts('l.erl', text);
      const socket = f.sockets[0];
      assert.ok(socket, text);
      const [option] = optionsOf(f, socket);
      assert.equal(option?.option, 'reuseaddr', text);
      assert.equal(option.timing, 'before');
      // inet_drv does not pass reuseaddr to Winsock for TCP.
      assert.deepEqual(option.platforms, ['linux', 'darwin']);
    }
  });

  it('Erlang: a variable of an earlier function is not followed; UDP reuseaddr reaches Windows only with reuseport', () => {
    const other = facts('o.erl', 'a() ->\n    Opts = [{reuseaddr, true}],\n    Opts.\n\nb(P) ->\n    gen_tcp:listen(P, Opts).\n');
    assert.equal(other.options.length, 0);
    const udp = facts('u.erl', 'o() ->\n    Base = [binary, {reuseaddr, true}],\n    Opts = Base ++ [{add_membership, {{224,0,0,251}, {0,0,0,0}}}],\n    gen_udp:open(5353, Opts).\n');
    const socket = udp.sockets[0];
    assert.ok(socket);
    assert.equal(socket.multicast, true);
    // OTP 26+ sets SO_REUSEADDR on Windows only when reuseport is asked for too (erlang/otp PR #6522).
    assert.deepEqual(optionsOf(udp, socket).map((o) => o.platforms), [['linux', 'darwin']]);
    const both = facts('b.erl', 'o() ->\n    gen_udp:open(1900, [binary, {reuseaddr, true}, {reuseport, true}, {add_membership, {{239,255,255,250}, {0,0,0,0}}}]).\n');
    const shared = both.sockets[0];
    assert.ok(shared);
    const reuseaddr = optionsOf(both, shared).find((o) => o.option === 'reuseaddr');
    assert.deepEqual(reuseaddr?.platforms, ['linux', 'darwin', 'win32']);
  });

  it('Perl: SUPER::configure({...}) and a %hash passed to IO::Socket::INET->new', () => {
    const conf = facts('u.pm', "sub connect {\n  my ($sock) = @_;\n  $sock->SUPER::configure({\n    LocalPort => 5353,\n    Proto => 'udp',\n    ReuseAddr => 1,\n  }) or die;\n}\n");
    const socket = conf.sockets[0];
    assert.ok(socket);
    assert.equal(socket.protocol, 'udp');
    assert.equal(socket.variable, 'sock');
    assert.equal(conf.binds[0]?.port, 5353);
    assert.deepEqual(optionsOf(conf, socket).map((o) => o.option), ['reuseaddr']);
    const hash = facts('h.pl', "my %args = (Proto => 'tcp', LocalAddr => '127.0.0.1', Reuse => 1);\n$args{Listen} = 100;\nmy $s = IO::Socket::INET->new(%args, LocalPort => 5060);\n");
    const server = hash.sockets[0];
    assert.ok(server);
    assert.equal(server.role, 'server');
    assert.equal(hash.binds[0]?.port, 5060);
    assert.deepEqual(optionsOf(hash, server).map((o) => [o.option, o.timing]), [['reuseaddr', 'before']]);
  });
});

describe('lexical: Perl modifiers and ephemeral listeners', () => {
  it('a modifier on a continuation line guards the whole statement', () => {
    const text = "socket my $fh, AF_INET, SOCK_STREAM, 0 or die;\nsetsockopt $fh, SOL_SOCKET, SO_REUSEADDR, 1\n   or die 'x'\n   unless $^O eq 'MSWin32';\nbind $fh, pack_sockaddr_in(8081, INADDR_LOOPBACK) or die;\nlisten $fh, 5;\n";
    const f = facts('m.pl', text);
    assert.deepEqual(f.options.map((o) => o.platforms), [['linux', 'darwin']]);
    assert.deepEqual(f.binds.map((b) => b.platforms), [['linux', 'darwin', 'win32']]);
  });

  it('IO::Socket listeners without a local port bind port 0', () => {
    const port = (args: string): number | null | undefined => facts('e.pl', `my $s = IO::Socket::IP->new(${args});\n`).binds[0]?.port;
    assert.equal(port("Listen => 5, LocalAddr => '127.0.0.1'"), 0);
    assert.equal(port("Listen => 5, LocalHost => '::1'"), 0);
    assert.equal(port("Listen => 5, LocalAddr => '127.0.0.1:9090'"), 9090);
    assert.equal(port("Listen => 5, LocalAddr => $addr"), null);
    assert.equal(port("Listen => 5, LocalHost => 'h', LocalService => 'http'"), null);
  });
});

describe('lexical: TclUDP', () => {
  it('udp_open binds at once, reuse sets SO_REUSEADDR, -mcastadd joins a group', () => {
    const f = facts('u.tcl', 'set s [udp_open 38573 reuse]\nfconfigure $s -buffering none -mcastadd 224.0.0.200\nset c [udp_open]\n');
    const [group, client] = f.sockets;
    assert.ok(group && client);
    assert.equal(group.protocol, 'udp');
    assert.equal(group.multicast, true);
    assert.deepEqual(optionsOf(f, group).map((o) => [o.option, o.enabled, o.timing]), [['reuseaddr', true, 'before']]);
    assert.deepEqual(f.binds.map((b) => [b.port, b.bindsAtCreation]), [[38573, true], [0, true]]);
    assert.equal(client.multicast, false);
  });
});
