import { z } from 'zod';
import { endpoints } from '../api/endpoint';

/** A picture's file name under /media: lower-case words, one extension. */
export const MEDIA_NAME = /^[a-z0-9][a-z0-9-]{0,59}\.(svg|png|jpg|webp)$/;

const MediaParams = z.object({ name: z.string().regex(MEDIA_NAME, '图片名称无效') });

/**
 * Where a picture is: an https address (the bank's CDN), or `/media/<name>`, one the BFF
 * serves itself; clients resolve the latter against the API base.
 */
export const ImageRef = z.union([
  z.url({ protocol: /^https$/ }).max(500),
  z.string().regex(new RegExp(`^/media/${MEDIA_NAME.source.slice(1)}`), '图片须为 https 地址或 /media/ 下的文件'),
]);

/** The pictures the BFF serves itself, by file extension. */
export const MEDIA_TYPES_BY_EXTENSION: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp' };
const MEDIA_TYPES = Object.values(MEDIA_TYPES_BY_EXTENSION);

export const mediaApi = endpoints({
  getMedia: {
    method: 'get',
    path: '/media/:name',
    operationId: 'getMedia',
    summary: 'A picture the catalogue refers to as /media/<name> (resolve it against the API base)',
    tags: ['media'],
    access: 'public',
    params: MediaParams,
    responses: {
      200: { description: 'The picture', contentType: MEDIA_TYPES },
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
      404: { description: 'No such picture' },
    },
  },
});
