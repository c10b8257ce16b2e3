"""A tiny statsd receiver. The C collector in ../c/metrics_collector.c binds the same port."""
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("127.0.0.1", 8125))
while True:
    packet, _ = sock.recvfrom(65535)
    print(packet.decode(errors="replace"))
