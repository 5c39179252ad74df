import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real, valid greyscale PNG whose 21x21 module pattern is derived from `seed`, like a code would be. */
export function patternPng(seed: string, size = 210): Buffer {
  const modules = 21;
  const bits = createHash('sha256').update(seed).digest();
  const cell = Math.floor(size / modules);
  const side = cell * modules;
  const rows: Buffer[] = [];
  for (let y = 0; y < side; y++) {
    const row = Buffer.alloc(side + 1); // filter byte 0, then one byte per pixel
    for (let x = 0; x < side; x++) {
      const i = Math.floor(y / cell) * modules + Math.floor(x / cell);
      const dark = (bits[i % bits.length] >> (i % 8)) & 1;
      row[x + 1] = dark ? 0 : 255;
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
