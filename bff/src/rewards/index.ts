import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createRewardEngine } from './engine';
import { rewardRoutes } from './routes';

export type { RewardEngine, RewardRequest, RewardState } from './engine';
export { rewardKey } from './engine';

/** The one way any feature pays a reward, against its activity's budget; and 我的奖品. */
export function rewardsModule(ctx: AppContext, deps: Pick<Parameters<typeof createRewardEngine>[0], 'grantChances' | 'chanceTarget' | 'chancesMissing'> = {}) {
  const engine = createRewardEngine({
    db: ctx.db,
    clock: ctx.clock,
    points: ctx.points,
    outbox: ctx.outbox,
    faults: ctx.faults,
    budgetShards: ctx.config.rewardBudgetShards,
    ...deps,
  });
  const module: CapabilityModule = {
    name: 'rewards',
    routes: rewardRoutes(engine),
    // Rewards a crash left in flight past their lease: paid once if taken, forgotten if not.
    sweeps: { inFlight: () => engine.recover() },
    // Every budget share changed since its last check, checked from there; findings are stored.
    jobs: { books: () => engine.audit.catchUp() },
    ensureIndexes: () => engine.ensureIndexes(),
  };
  return { module, engine };
}
