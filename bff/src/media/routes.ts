import { mediaApi } from '@shared/contracts/media';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { MediaFile } from './library';

export function mediaRoutes(library: Map<string, MediaFile>) {
  return [
    implement(mediaApi.getMedia, ({ params, ctx }) => {
      const file = library.get(params.name);
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
