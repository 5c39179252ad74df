import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MEDIA_NAME, MEDIA_TYPES_BY_EXTENSION as TYPES } from '@shared/contracts/media';

export type MediaFile = { type: string; bytes: Buffer; etag: string };

/**
 * The pictures this BFF serves itself (demo catalogue art), read once at start-up. Only files
 * whose names the contract allows are served, so a request can never name a path.
 */
export function loadMediaLibrary(dir: string): Map<string, MediaFile> {
  const files = new Map<string, MediaFile>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return files; // no folder: nothing to serve, every name is 404
  }
  for (const name of names) {
    const type = TYPES[path.extname(name)];
    if (!type || !MEDIA_NAME.test(name)) continue;
    const bytes = readFileSync(path.join(dir, name));
    files.set(name, { type, bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"` });
  }
  return files;
}
