import { MediaParams } from '../../../shared/contracts/media';
import { MEDIA_TYPES } from './library';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';
import type { MediaFile } from './library';

export function mediaRoutes(library: Map<string, MediaFile>) {
  return [
    defineRoute({
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
      handler: ({ params, ctx }) => {
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
      },
    }),
  ];
}
