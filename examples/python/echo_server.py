"""A line echo server: restart it while a client is connected and bind fails for a minute."""
import socket

HOST = "0.0.0.0"
PORT = 7007


def main():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((HOST, PORT))
    server.listen()
    while True:
        conn, _ = server.accept()
        with conn:
            for line in conn.makefile("rb"):
                conn.sendall(line)


if __name__ == "__main__":
    main()
