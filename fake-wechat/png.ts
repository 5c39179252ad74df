import { createHash } from 'node:crypto';
import { encodePng } from '../scripts/lib/png';

/** A real, valid greyscale PNG whose 21x21 module pattern is derived from `seed`, as a code would be. */
export function patternPng(seed: string, size = 210): Buffer {
  const modules = 21;
  const bits = createHash('sha256').update(seed).digest();
  const cell = Math.max(1, Math.floor(size / modules));
  const side = cell * modules;
  return encodePng(side, side, 1, (x, y) => {
    const i = Math.floor(y / cell) * modules + Math.floor(x / cell);
    return [(bits[i % bits.length] >> (i % 8)) & 1 ? 0 : 255];
  });
}
