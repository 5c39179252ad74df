import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { createAudience } from './audience';
import { createTargetingRepository } from './repository';
import { targetingRoutes } from './routes';
import { createTargetingService } from './service';

export type { TargetingRepository } from './repository';
export type { TargetingService } from './service';

/** The tags and lists the bank's systems upload, and who an activity reaches. */
export function targetingModule(ctx: AppContext) {
  const repository = createTargetingRepository(ctx.db, ctx.clock);
  const service = createTargetingService({ config: ctx.config, clock: ctx.clock, targeting: repository, customers: ctx.customers, audit: ctx.audit, scope: ctx.scope });
  // Every read on a customer's path is by `_id` (tags by customer, memberships by list and customer, the head of a
  // customer's dismissals); only the audience estimates staff ask for scan.
  const audience = createAudience({ clock: ctx.clock, targeting: repository, customers: ctx.customers, newCustomerDays: ctx.config.targeting.newCustomerDays });
  const module: CapabilityModule = { name: 'targeting', routes: targetingRoutes(service, audience), ensureIndexes: () => repository.ensureIndexes() };
  return { module, service, repository };
}
