import type { AppContext } from '../context';
import type { CapabilityModule } from '../platform/module';
import { DEMO_CUSTOMERS } from '../seed/demo';
import { customerRoutes } from './routes';
import { createCustomerService } from './service';

/** Customers' profiles, phone binding and preferences. */
export function customersModule(ctx: AppContext, deps: { onPhoneBound: (customerId: string) => Promise<unknown>; tierOf: (customerId: string) => Promise<string | null> }) {
  const service = createCustomerService({
    customers: ctx.customers,
    wechat: ctx.wechat,
    outbox: ctx.outbox,
    rateLimiter: ctx.rateLimiter,
    phoneBindsPerHour: ctx.config.rateLimits.phoneBindsPerHour,
    onPhoneBound: (customerId) => deps.onPhoneBound(customerId).then(() => undefined),
    tierOf: deps.tierOf,
  });
  const module: CapabilityModule = {
    name: 'customers',
    routes: customerRoutes(service),
    ensureIndexes: () => ctx.customers.ensureIndexes(),
    async seedDemo() {
      for (const customer of DEMO_CUSTOMERS) await ctx.customers.upsertWithProfile({ ...customer, unionid: null }, ctx.config.wechat.appid);
    },
  };
  return { module, service };
}
