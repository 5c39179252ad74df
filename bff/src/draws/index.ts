import type { ActivityInput } from '@shared/contracts/activities';
import type { ActivityRepository, ActivityView, ActivityAdminService, ActivityCustomerService, Eligibility } from '@/activities';
import type { AppContext } from '@/context';
import type { AddressBook } from '@/customers';
import type { CodePools } from '@/kernel/code-pools';
import type { CapabilityModule } from '@/platform/module';
import type { RewardEngine } from '@/rewards';
import { drawAdminRoutes } from './admin-routes';
import { createDrawAdminService } from './admin-service';
import { createChances } from './chances';
import { createPrizeStock } from './prize-stock';
import { createDrawRecords } from './results';
import { drawRoutes } from './routes';
import { createDrawService, poolOf } from './service';
import { createPrizeDelivery } from './delivery';
import { createDrawMallPrizes } from './mall-prizes';
import type { MallPrizes } from '@/mall';

/** 抽奖: chances, server-side draws from exact prize pools, prizes claimed and shipped, and the books. */
export function drawsModule(
  ctx: AppContext,
  deps: {
    activities: { repository: ActivityRepository; admin: ActivityAdminService; customer: Pick<ActivityCustomerService, 'live'>; eligibleLive: Eligibility };
    rewards: RewardEngine;
    codes: CodePools;
    addresses: AddressBook;
    mallPrizes: MallPrizes;
    shipOrder: Parameters<typeof createDrawAdminService>[0]['shipOrder'];
  },
) {
  const chances = createChances(ctx.db, ctx.clock);
  const stock = createPrizeStock(ctx.db, ctx.clock);
  const records = createDrawRecords(ctx.db, ctx.clock);
  const mallPrizes = createDrawMallPrizes(deps.mallPrizes);
  const delivery = createPrizeDelivery({ records, mallPrizes });
  const findView = deps.activities.repository.findView;
  const service = createDrawService({
    clock: ctx.clock,
    live: deps.activities.customer.live,
    liveViews: deps.activities.repository.liveViews,
    eligibleLive: deps.activities.eligibleLive,
    findView,
    idForCode: deps.activities.repository.idForCode,
    chances,
    stock,
    records,
    codes: deps.codes,
    addresses: deps.addresses,
    mallPrizes,
    delivery,
    rewards: deps.rewards,
    points: ctx.points,
    outbox: ctx.outbox,
    rateLimiter: ctx.rateLimiter,
    perMinute: ctx.config.rateLimits.perAccountPerMinute,
    faults: ctx.faults,
    books: ctx.jobBooks,
  });
  const admin = createDrawAdminService({
    clock: ctx.clock,
    visible: deps.activities.admin.get,
    findView,
    chances,
    stock,
    records,
    codes: deps.codes,
    points: ctx.points,
    customers: ctx.customers,
    audit: ctx.audit,
    outbox: ctx.outbox,
    delivery,
    shipOrder: deps.shipOrder,
    capOf: service.capOf,
    rewards: deps.rewards,
    mallPrizes,
  });
  const module: CapabilityModule = {
    name: 'draws',
    routes: [...drawRoutes(service), ...drawAdminRoutes(admin)],
    // Draws and chance purchases a crash left in flight: finished once, or a purchase that took no points gives its place back.
    sweeps: { inFlight: () => service.recover() },
    async ensureIndexes() {
      for (const store of [chances, stock, records, deps.codes]) await store.ensureIndexes();
    },
    seedDemo: async () => (await import('../../demo/draws')).seedDemoDraws({ idForCode: deps.activities.repository.idForCode, codes: deps.codes, poolOf, grant: chances.grant }),
  };
  /**
   * What the activities' review needs of draws: a revision is refused at submission and approval
   * when its mall-item prizes lack stock or its draw-chance reward names no draw that can take
   * chances; before a draw's approval is recorded its mall units are set aside, exactly; and they
   * go back if that approval is refused or never recorded.
   */
  const publication = {
    async check(activity: ActivityInput): Promise<void> {
      await mallPrizes.check(activity);
      await service.checkChanceRewards(activity);
    },
    prepare: (view: ActivityView, content: ActivityInput) => mallPrizes.reserve(view, content),
    release: (view: ActivityView) => mallPrizes.releaseUnlessLive(view),
  };
  return { module, service, admin, prizes: mallPrizes, publication };
}
