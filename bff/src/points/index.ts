import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { RewardEngine } from '@/rewards';
import type { PointsLedger } from './ledger';
import { pointsRoutes } from './routes';
import { createPointsService } from './service';

export { createPointsLedger, expiryRule, type PointsLedger } from './ledger';

/**
 * Balances and statements, expiry, reviewed adjustments, and the books' invariant check. The
 * ledger is the one behind the context's points accounts.
 */
export function pointsModule(ctx: AppContext, ledger: PointsLedger, deps: { rewards: RewardEngine }) {
  const service = createPointsService({ ...ctx, ledger, rewards: deps.rewards });
  const module: CapabilityModule = {
    name: 'points',
    routes: pointsRoutes(service),
    // Points past their expiry: one expire entry per lot, whichever process gets there first.
    jobs: {
      expiredLots: () => service.expireDue(),
      // Every account changed since its last check, checked from there; findings are stored.
      books: () => ledger.audit.catchUp(),
    },
    sweeps: { adjustments: () => service.recoverAdjustments() },
    ensureIndexes: () => ledger.ensureIndexes(),
  };
  /** The ledger's entries, read whole: what the cockpit books points issued, spent, expired and outstanding from. */
  const book = () => ledger.scan();
  return { module, service, book };
}
