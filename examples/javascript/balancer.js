// Runs one HTTP server per CPU on the same port and lets the kernel balance them.
const http = require('node:http');

const server = http.createServer((req, res) => res.end('hello\n'));
server.listen({ port: 8088, host: '127.0.0.1', reusePort: true });
