import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { loadMediaLibrary } from './library';
import { mediaRoutes } from './routes';
import { createUploads } from './uploads';

/** Pictures served by the BFF itself: the demo catalogue's art, and pictures staff upload for their documents. */
export function mediaModule(ctx: AppContext): CapabilityModule {
  const uploads = createUploads(ctx.db, () => ctx.clock.now());
  return { name: 'media', routes: mediaRoutes(loadMediaLibrary(ctx.config.mediaDir), uploads, ctx.audit) };
}
