import type { AppContext } from '../context';
import { createCodePools } from '../mall/codes';
import { createBankSignatureVerifier } from '../platform/auth/bank-signature';
import type { CapabilityModule } from '../platform/module';
import { createStreamStore } from '../platform/stream';
import type { TargetingService } from '../targeting/service';
import { createCouponAdmin, createCouponRepository } from './catalogue';
import { createCouponClaims, type MyCouponEntry } from './claims';
import { seedDemoCoupons } from './demo';
import { couponRoutes } from './routes';

/** 联名优惠券: reviewed merchant coupons, claimed exactly, shown as a code, marked used by the merchant. */
export function couponsModule(ctx: AppContext, deps: { targeting: TargetingService }) {
  const coupons = createCouponRepository(ctx.db, ctx.clock, ctx.faults);
  const codes = createCodePools(ctx.db, ctx.clock);
  const mine = createStreamStore<MyCouponEntry>(ctx.db, 'cobrand_my_coupons', ctx.clock);
  const admin = createCouponAdmin({ ...ctx, coupons, codes, bannedWords: ctx.config.bannedWords, codeSecret: ctx.config.couponCodeSecret });
  const claims = createCouponClaims({ ...ctx, coupons, codes, targeting: deps.targeting, perMinute: ctx.config.rateLimits.perAccountPerMinute, perIpPerMinute: ctx.config.couponClaimsPerIpPerMinute, mine });
  // Merchants sign as the bank's systems do, with a secret of their own.
  const merchantSignature = createBankSignatureVerifier({ secret: ctx.config.merchantSecret, clock: ctx.clock, db: ctx.db });
  const module: CapabilityModule = {
    name: 'coupons',
    routes: couponRoutes({ admin, claims, merchantSignature }),
    sweeps: { couponSteps: () => admin.recover() },
    jobs: { couponsPruned: () => coupons.pruneScheduled() },
    seedDemo: () => seedDemoCoupons(admin, ctx.clock),
    ensureIndexes: async () => {
      await coupons.ensureIndexes();
      await mine.ensureIndexes();
    },
  };
  return { module, claims, admin };
}
