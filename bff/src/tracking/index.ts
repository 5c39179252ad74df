import type { AppContext } from '@/context';
import type { ActivityRepository } from '@/activities';
import type { CapabilityModule } from '@/platform/module';
import { behaviourSource, createIngest } from './ingest';

export { behaviourBetween, behaviourOfActivity } from './ingest';
import { trackingRoutes } from './routes';

/** Behaviour events (埋点) from the mini-program, kept with who sent them, for the bank and for analytics. */
export function trackingModule(
  ctx: AppContext,
  deps: { activities: ActivityRepository; managerOf: (customerId: string) => Promise<string | null>; segmentOf: (customerId: string) => Promise<string | null> },
) {
  ctx.events.register(behaviourSource(ctx.db));
  const ingest = createIngest({
    db: ctx.db,
    clock: ctx.clock,
    rateLimiter: ctx.rateLimiter,
    perMinute: ctx.config.rateLimits.perAccountPerMinute,
    findView: deps.activities.findView,
    managerOf: deps.managerOf,
    segmentOf: deps.segmentOf,
    feed: ctx.events,
  });
  const module: CapabilityModule = { name: 'tracking', routes: trackingRoutes(ingest, { sampling: ctx.config.trackSampling }), ensureIndexes: () => ingest.ensureIndexes() };
  return { module, ingest };
}
