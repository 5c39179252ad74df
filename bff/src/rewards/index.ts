import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { createRewardEngine } from './engine';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The one way any feature pays a reward, against its activity's budget. */
export function rewardsModule(ctx: AppContext) {
  const engine = createRewardEngine({ db: ctx.db, clock: ctx.clock, points: ctx.points, outbox: ctx.outbox });
  const module: CapabilityModule = {
    name: 'rewards',
    // Rewards taken from a budget in the last day are fulfilled again (a no-op unless a crash cut one short).
    jobs: { rechecked: () => engine.recover(new Date(ctx.clock.now().getTime() - DAY_MS)) },
    ensureIndexes: () => engine.ensureIndexes(),
  };
  return { module, engine };
}
