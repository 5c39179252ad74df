import type { ActivityRepository } from '@/activities';
import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createStreamStore } from '@/platform/stream';
import type { RewardEngine } from '@/rewards';
import type { TargetingService } from '@/targeting';
import { createTriggerAdmin, createTriggerRepository } from './admin';
import { createTriggerEngine, type OfferData } from './engine';
import { createOffers } from './offers';
import { triggerRoutes } from './routes';

/** How an event is matched against a rule's kind and conditions: lead rules (商机) match the same way. */
export { matches } from './match';

/** 事件营销: reviewed triggers that turn an app or bank event into a timely offer. */
export function triggersModule(
  ctx: AppContext,
  deps: {
    activities: ActivityRepository;
    rewards: RewardEngine;
    targeting: TargetingService;
    /** Agreed to the privacy policy in force and asked for no deletion: read fresh each time it is asked. */
    mayContact: (customerId: string) => Promise<boolean>;
  },
) {
  const triggers = createTriggerRepository(ctx.db, ctx.clock, ctx.faults);
  const offers = createStreamStore<OfferData>(ctx.db, 'customer_offers', ctx.clock);
  const engine = createTriggerEngine({
    ...ctx,
    triggers,
    targeting: deps.targeting,
    rewards: deps.rewards,
    offers,
    dailyCap: ctx.config.triggerDailyCap,
    mayContact: deps.mayContact,
  });
  const admin = createTriggerAdmin({ ...ctx, triggers, bannedWords: ctx.config.bannedWords, findActivity: deps.activities.findView, onChanged: engine.forget });
  ctx.events.subscribe('triggers', { handle: engine.observe, wants: engine.listensTo });
  const module: CapabilityModule = {
    name: 'triggers',
    routes: triggerRoutes({
      admin,
      engine,
      offers: createOffers({
        clock: ctx.clock,
        offers,
        customers: ctx.customers,
        targeting: deps.targeting,
        findActivity: deps.activities.findView,
        wasWithheld: engine.wasWithheld,
      }),
    }),
    sweeps: { firings: () => engine.recover(), triggerSteps: () => admin.recover() },
    jobs: { triggersPruned: () => triggers.pruneScheduled() },
    seedDemo: async () => (await import('../../demo/triggers')).seedDemoTriggers(admin, ctx.clock, () => deps.activities.liveViews(ctx.clock.now())),
    ensureIndexes: async () => {
      await triggers.ensureIndexes();
      await offers.ensureIndexes();
    },
  };
  return { module, engine, admin, repository: triggers };
}
