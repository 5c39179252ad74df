import { mediaApi } from '@shared/contracts/media';
import type { AuditLog } from '@/platform/audit';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { MediaFile } from './library';
import type { Uploads } from './uploads';

export function mediaRoutes(library: Map<string, MediaFile>, uploads: Uploads, audit: AuditLog) {
  return [
    implement(mediaApi.uploadMedia, async ({ body, principal, ctx }) => {
      const stored = await uploads.store(body.contentBase64);
      await audit.record(principal, { action: 'media.uploaded', targetType: 'media', targetId: stored.ref, detail: { fileName: body.fileName, bytes: stored.bytes } });
      ctx.status = 201;
      return stored;
    }),
    implement(mediaApi.getMedia, async ({ params, ctx }) => {
      const file = library.get(params.name) ?? (params.name.startsWith('up-') ? await uploads.find(params.name) : null);
      if (!file) throw new AppError('NOT_FOUND');
      // Pictures never change under a name (a new picture gets a new name): cache them for a day.
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.set('ETag', file.etag);
      if (ctx.get('If-None-Match') === file.etag) {
        ctx.status = 304;
        ctx.body = '';
        return;
      }
      ctx.type = file.type;
      ctx.body = file.bytes;
    }),
  ];
}
