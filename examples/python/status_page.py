"""Serves a status page. http.server sets SO_REUSEADDR on every OS, Windows included."""
from http.server import BaseHTTPRequestHandler, HTTPServer


class Status(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok\n")


httpd = HTTPServer(("127.0.0.1", 8081), Status)
httpd.serve_forever()
