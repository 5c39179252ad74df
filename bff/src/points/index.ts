import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import type { RewardEngine } from '../rewards/engine';
import { pointsRoutes } from './routes';
import { createPointsService } from './service';

/** Balances and statements, expiry, reviewed adjustments, and the books' invariant check. */
export function pointsModule(ctx: AppContext, deps: { rewards: RewardEngine }) {
  const service = createPointsService({ ...ctx, ledger: ctx.points, rewards: deps.rewards });
  const module: CapabilityModule = {
    name: 'points',
    routes: pointsRoutes(service),
    // Points past their expiry: one expire entry per lot, whichever process gets there first.
    jobs: {
      expiredLots: () => service.expireDue(),
      // Every account changed since its last check, checked from there; findings are stored.
      books: () => ctx.points.audit.catchUp(),
    },
    sweeps: { adjustments: () => service.recoverAdjustments() },
    ensureIndexes: () => ctx.points.ensureIndexes(),
  };
  return { module, service };
}
