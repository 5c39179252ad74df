import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { UPLOAD_LIMITS, type UploadedMedia } from '@shared/contracts/media';
import type { Database } from '@/platform/db';
import { AppError, isDuplicateKeyError } from '@/platform/errors';
import type { MediaFile } from './library';
import { readPicture } from './picture';

const { Binary } = mongoose.mongo;
type UploadDoc = { _id: string; type: string; bytes: InstanceType<typeof Binary>; at: Date };
/** Uploaded pictures kept in memory by each process: content-addressed, so never stale; bounded, so never a leak. */
const CACHED = 64;

/** Pictures staff upload, named by their content: the same bytes always get the same name, and a name never changes what it shows. */
export function createUploads(db: Database, now: () => Date) {
  const uploads = () => db.collection<UploadDoc>('media_uploads');
  // Content-addressed, so what was read once is right forever.
  const cache = new Map<string, MediaFile>();
  const refuse = (message: string) => new AppError('MEDIA_INVALID', { message });

  return {
    async store(contentBase64: string): Promise<UploadedMedia> {
      const bytes = Buffer.from(contentBase64, 'base64');
      if (bytes.length === 0) throw refuse('图片是空的，请重新选择');
      if (bytes.length > UPLOAD_LIMITS.maxBytes) throw refuse(`图片为 ${(bytes.length / 1024 / 1024).toFixed(1)} MB，须不超过 1 MB，请压缩后再上传`);
      const picture = readPicture(bytes);
      if (!picture) throw refuse('无法识别为 PNG、JPG 或 WebP 图片，请换一张');
      const { width, height } = picture;
      if (Math.max(width, height) > UPLOAD_LIMITS.maxSide || Math.min(width, height) < UPLOAD_LIMITS.minSide)
        throw refuse(`图片为 ${width}×${height} 像素，每边须在 ${UPLOAD_LIMITS.minSide}-${UPLOAD_LIMITS.maxSide} 像素之间`);
      const name = `up-${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${picture.extension}`;
      try {
        await uploads().insertOne({ _id: name, type: picture.type, bytes: new Binary(bytes), at: now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err; // the same picture, uploaded before
      }
      return { ref: `/media/${name}`, type: picture.type, bytes: bytes.length, width, height };
    },

    /** An uploaded picture by its name, or null. */
    async find(name: string): Promise<MediaFile | null> {
      const known = cache.get(name);
      if (known) return known;
      const doc = await uploads().findOne({ _id: name });
      if (!doc) return null;
      const file = { type: doc.type, bytes: Buffer.from(doc.bytes.buffer), etag: `"${name.slice(3, 25)}"` };
      if (cache.size >= CACHED) cache.delete(cache.keys().next().value!);
      cache.set(name, file);
      return file;
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
