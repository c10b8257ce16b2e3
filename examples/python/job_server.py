"""A job queue server that tries to allow fast restarts, but sets the attribute too late."""
import socketserver


class JobHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"queued\n")


server = socketserver.ThreadingTCPServer(("127.0.0.1", 7010), JobHandler)
server.allow_reuse_address = True
server.serve_forever()
