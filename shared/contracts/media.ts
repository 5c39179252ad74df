import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

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

/** What a picture uploaded from the console may be: the formats a WeChat image shows, no script-capable SVG. */
export const UPLOAD_LIMITS = { maxBytes: 1024 * 1024, maxSide: 4096, minSide: 16, types: ['image/png', 'image/jpeg', 'image/webp'] } as const;

export const UploadMediaBody = z.object({
  fileName: z.string().trim().min(1).max(200).describe('As the staff member chose it; only for the audit trail'),
  contentBase64: z
    .string()
    .max(Math.ceil(UPLOAD_LIMITS.maxBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, '图片内容须为 base64 编码')
    .describe('The file’s bytes, base64 (at most 1 MB decoded)'),
});

export const UploadedMedia = z
  .object({
    ref: z.string().describe('Where the picture now is, to put in a document’s image field: /media/<name>'),
    type: z.enum(UPLOAD_LIMITS.types),
    bytes: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
  })
  .meta({ id: 'UploadedMedia' });
export type UploadedMedia = z.infer<typeof UploadedMedia>;

export const mediaApi = endpoints({
  uploadMedia: {
    method: 'post',
    path: '/admin/media',
    operationId: 'uploadMedia',
    summary: '上传图片（PNG、JPG 或 WebP，不超过 1 MB、边长 16-4096 像素）；同一图片再次上传得到同一地址',
    tags: ['admin'],
    access: [Role.ADMIN],
    body: UploadMediaBody,
    maxBodyBytes: 2 * 1024 * 1024,
    responses: {
      201: { description: 'Stored (or stored before: the same bytes have one name)', schema: UploadedMedia },
      422: { description: 'MEDIA_INVALID: not a PNG, JPG or WebP picture, too large, or of a side out of bounds' },
    },
  },
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
