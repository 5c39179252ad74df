import type { AppContext } from '@/context';
import { createCodePools } from '@/kernel/code-pools';
import type { CapabilityModule } from '@/platform/module';
import { createStreamStore } from '@/platform/stream';
import type { TargetingService } from '@/targeting';
import { createCouponAdmin, createCouponRepository } from './catalogue';
import { createCouponClaims, type MyCouponEntry } from './claims';
import { createMerchantAuth } from './merchants';
import { createCouponPools } from './pool';
import { couponRoutes } from './routes';

/** 联名优惠券: reviewed merchant coupons, their codes made after approval, claimed exactly, shown as a code, marked used by their own merchant. */
export function couponsModule(ctx: AppContext, deps: { targeting: TargetingService }) {
  const coupons = createCouponRepository(ctx.db, ctx.clock, ctx.faults);
  const codes = createCodePools(ctx.db, ctx.clock);
  const mine = createStreamStore<MyCouponEntry>(ctx.db, 'cobrand_my_coupons', ctx.clock);
  const pools = createCouponPools({ ...ctx, coupons, codes, codeSecret: ctx.config.couponCodeSecret });
  const admin = createCouponAdmin({ ...ctx, coupons, bannedWords: ctx.config.bannedWords, schedulePool: pools.schedule });
  const claims = createCouponClaims({
    ...ctx,
    coupons,
    codes,
    pools,
    targeting: deps.targeting,
    perMinute: ctx.config.rateLimits.perAccountPerMinute,
    perIpPerMinute: ctx.config.couponClaimsPerIpPerMinute,
    mine,
  });
  // Each merchant signs as the bank's systems do, with a key of its own derived from MERCHANT_SECRET.
  const merchantAuth = createMerchantAuth({ secret: ctx.config.merchantSecret, clock: ctx.clock, db: ctx.db });
  const module: CapabilityModule = {
    name: 'coupons',
    routes: couponRoutes({ admin, claims, merchantAuth }),
    // Claims a crash cut short, then codes still to be made (after the lifecycle steps that mark them).
    sweeps: { couponSteps: () => admin.recover(), claims: () => claims.recover(), pools: () => pools.run() },
    jobs: { couponsPruned: () => coupons.pruneScheduled(), poolLeases: () => pools.pruneLeases() },
    async seedDemo() {
      await (await import('../../demo/coupons')).seedDemoCoupons(admin, ctx.clock);
      await pools.run(); // the demo's coupons are claimable at once
    },
    ensureIndexes: async () => {
      await codes.ensureIndexes();
      await coupons.ensureIndexes();
      await mine.ensureIndexes();
    },
  };
  return { module, claims, admin, pools };
}
