// Draws media/icon.png (128x128, the Marketplace icon) with no image library: an eye whose pupil is
// a network port, on a dark rounded square. Shapes are signed-distance functions, 4x4 supersampled.
// Run: node media/src/draw-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4;

const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
// Almond (vesica) eye: intersection of two big circles above and below the centre.
const eye = (x, y) => Math.max(circle(x, y, 64, 64 + 46, 74), circle(x, y, 64, 64 - 46, 74));

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const over = (dst, src, alpha) => mix(dst, src, alpha);

function shade(x, y) {
  // Transparent outside the rounded square.
  if (roundedBox(x, y, 64, 64, 62, 62, 22) > 0) return null;
  // Background: navy to teal, top-left to bottom-right.
  const t = (x + y) / (2 * SIZE);
  let c = mix([18, 32, 58], [10, 92, 110], t);
  // Eye white with a soft outline.
  const e = eye(x, y);
  if (e < 3) c = over(c, [232, 244, 248], e < 0 ? 1 : 0.35);
  if (e < 0) {
    // Iris.
    const iris = circle(x, y, 64, 64, 25);
    if (iris < 0) c = mix([0, 168, 170], [0, 120, 150], (y - 39) / 50);
    // Port slot (an RJ45-like opening) as the pupil.
    const slot = roundedBox(x, y, 64, 66, 12, 9, 2);
    const tab = roundedBox(x, y, 64, 55, 6, 4, 1.5);
    if (Math.min(slot, tab) < 0) c = [14, 24, 40];
    // Contacts inside the slot.
    for (let i = 0; i < 4; i++) {
      if (roundedBox(x, y, 56.5 + i * 5, 71, 1.2, 3, 0.5) < 0) c = [250, 200, 60];
    }
    // Highlight.
    if (circle(x, y, 74, 52, 4) < 0) c = over(c, [255, 255, 255], 0.85);
  }
  return c;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a += 1; }
      }
    }
    const o = 1 + px * 4;
    if (a > 0) { row[o] = Math.round(r / a); row[o + 1] = Math.round(g / a); row[o + 2] = Math.round(b / a); }
    row[o + 3] = Math.round((255 * a) / (SS * SS));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0); header.writeUInt32BE(SIZE, 4);
header[8] = 8; header[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(fileURLToPath(new URL('../icon.png', import.meta.url)), png);
