import { UPLOAD_LIMITS } from '@shared/contracts/media';

export type Picture = { type: (typeof UPLOAD_LIMITS.types)[number]; extension: 'png' | 'jpg' | 'webp'; width: number; height: number };

/** A PNG's size, from its IHDR chunk. */
function png(b: Buffer): Picture | null {
  if (b.length < 44 || b.readUInt32BE(0) !== 0x89504e47 || b.readUInt32BE(4) !== 0x0d0a1a0a || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  if (b.toString('latin1', b.length - 8, b.length - 4) !== 'IEND') return null; // cut short
  return { type: 'image/png', extension: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** A JPEG's size, from its first start-of-frame segment. */
function jpeg(b: Buffer): Picture | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  if (b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) return null; // cut short
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame's height and width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { type: 'image/jpeg', extension: 'jpg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}

/** A WebP's size, from its first chunk (lossy, lossless or extended). */
function webp(b: Buffer): Picture | null {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return null;
  if (b.readUInt32LE(4) + 8 !== b.length) return null; // cut short, or more than the picture
  const chunk = b.toString('latin1', 12, 16);
  const of = (width: number, height: number): Picture => ({ type: 'image/webp', extension: 'webp', width, height });
  if (chunk === 'VP8 ') return of(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  if (chunk === 'VP8L') return of(1 + (((b[22] & 0x3f) << 8) | b[21]), 1 + (((b[24] & 0x0f) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6)));
  if (chunk === 'VP8X') return of(1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3));
  return null;
}

/** What the bytes are, read from the bytes themselves (never from the file's name): a whole PNG, JPEG or WebP and its size, or null. */
export const readPicture = (bytes: Buffer): Picture | null => png(bytes) ?? jpeg(bytes) ?? webp(bytes);
