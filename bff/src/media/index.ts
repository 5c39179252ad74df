import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { loadMediaLibrary } from './library';
import { mediaRoutes } from './routes';

/** Pictures served by the BFF itself, so the demo catalogue needs no third-party CDN. */
export function mediaModule(ctx: AppContext): CapabilityModule {
  return { name: 'media', routes: mediaRoutes(loadMediaLibrary(ctx.config.mediaDir)) };
}
