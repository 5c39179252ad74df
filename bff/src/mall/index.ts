import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { TargetingRepository } from '@/targeting';
import { createAddressBook } from '@/customers';
import { createMallBrowsing } from './catalogue/browse';
import { mallAdminRoutes } from './admin-routes';
import { createMallAdminService } from './admin-service';
import { createCatalogueAdmin, createCatalogueRepository } from './catalogue/items';
import { createCodePools } from '@/kernel/code-pools';
import { createLimitSlots } from './orders/limits';
import { createOrderStore } from './orders/store';
import { createProviderClient, type FulfilmentProvider } from './orders/provider';
import { createFulfilment } from './orders/fulfilment';
import { createOrderSweep } from './orders/sweep';
import { createMallPrizes } from './prizes';
import { createRedemption } from './orders/redemption';
import { mallCustomerRoutes } from './routes';
import { createMallService } from './service';
import { createStock } from './stock/stock';

export type { MallPrizes } from './prizes';
export type { FulfilmentProvider } from './orders/provider';

/** The points mall (积分商城): a reviewed catalogue, stock, coupon codes, limits, orders and their fulfilment. */
export function mallModule(ctx: AppContext, deps: { targeting: TargetingRepository; provider?: FulfilmentProvider }) {
  const { db, clock, faults, config } = ctx;
  const catalogue = createCatalogueRepository(db, clock, faults);
  const stock = createStock(db, clock, { shards: config.mall.stockShards });
  const codes = createCodePools(db, clock);
  const orders = createOrderStore(db, clock);
  const limits = createLimitSlots(db);
  const redemption = createRedemption({
    clock,
    orders,
    stock,
    codes,
    limits,
    points: ctx.points,
    fulfil: createFulfilment({
      codes,
      provider: deps.provider ?? createProviderClient({ baseUrl: config.mall.providerUrl, apiKey: config.mall.providerKey, timeoutMs: config.mall.providerTimeoutMs }),
    }),
    outbox: ctx.outbox,
    leaseMs: config.mall.orderLeaseMs,
    faults,
  });
  const sweepOrders = createOrderSweep({ clock, orders, redemption, leaseMs: config.mall.orderLeaseMs, books: ctx.jobBooks });
  const browsing = createMallBrowsing({
    clock,
    catalogue,
    stock,
    codes,
    limits,
    points: ctx.points,
    customers: ctx.customers,
    org: ctx.org,
    tierOf: async (customerId) => (await deps.targeting.findTags(customerId))?.tier ?? null,
  });
  const addresses = createAddressBook(db);
  const customer = createMallService({ clock, browsing, orders, redemption, addresses });
  const admin = createMallAdminService({ ...ctx, catalogue, stock, codes, orders, redemption, sweepOrders, points: ctx.points });
  const prizes = createMallPrizes({ clock, catalogue, stock, orders, redemption, org: ctx.org });
  const catalogueAdmin = createCatalogueAdmin({ ...ctx, catalogue, stock, bannedWords: config.bannedWords });
  const module: CapabilityModule = {
    name: 'mall',
    routes: [...mallCustomerRoutes(customer), ...mallAdminRoutes(admin, catalogueAdmin)],
    sweeps: {
      // Orders left mid-way past their lease (a crash, a partner that never answered): completed or reversed.
      orders: sweepOrders,
      stockAdjustments: () => admin.recoverStockAdjustments(),
      // Lifecycle steps of reviewed items cut short after their entry (view, first stock, events).
      catalogueSteps: () => catalogueAdmin.recover(),
    },
    jobs: { offerPruned: () => catalogue.pruneScheduled() },
    async ensureIndexes() {
      for (const store of [catalogue, stock, codes, orders]) await store.ensureIndexes();
    },
    seedDemo: async () => (await import('../../demo/mall')).seedDemoMall({ catalogueAdmin, codes, points: ctx.points }),
  };
  /** An item's live title, for pages that link to it (null when it is not on offer). */
  const itemTitle = async (id: string) => {
    const view = await catalogue.findView(id);
    return view?.live && !view.withdrawn && view.live.type !== 'category' ? view.live.title : null;
  };
  return { module, customer, admin, catalogueAdmin, redemption, sweepOrders, codes, stock, addresses, prizes, itemTitle };
}
