// Listens for service announcements on a UDP port shared with other tools on the machine.
const dgram = require('node:dgram');

const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (msg, rinfo) => console.log(`${rinfo.address}: ${msg}`));
socket.bind(41234, '127.0.0.1');
