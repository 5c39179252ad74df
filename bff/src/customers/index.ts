import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { CustomerRepository } from './repository';
import { customerRoutes } from './routes';
import { createCustomerService } from './service';

export { createCustomerRepository, keyedPhoneHash, type Customer, type CustomerRepository } from './repository';

export { createAddressBook, maskAddress, type AddressBook } from './addresses';

/**
 * Customers' profiles, phone binding and preferences. The repository is the one behind the
 * context's customer directory.
 */
export function customersModule(ctx: AppContext, customers: CustomerRepository, deps: { tierOf: (customerId: string) => Promise<string | null> }) {
  const service = createCustomerService({
    customers,
    wechat: ctx.wechat,
    outbox: ctx.outbox,
    rateLimiter: ctx.rateLimiter,
    phoneBindsPerHour: ctx.config.rateLimits.phoneBindsPerHour,
    tierOf: deps.tierOf,
  });
  const module: CapabilityModule = {
    name: 'customers',
    routes: customerRoutes(service),
    ensureIndexes: () => customers.ensureIndexes(),
    async seedDemo() {
      const { DEMO_CUSTOMERS } = await import('../../demo/people');
      for (const customer of DEMO_CUSTOMERS) await customers.upsertWithProfile({ ...customer, unionid: null }, ctx.config.wechat.appid);
    },
  };
  return { module, service };
}
