"""Listens for heartbeat datagrams from agents on this host."""
import socket

listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 9999))
while True:
    data, sender = listener.recvfrom(512)
    print(sender, data)
