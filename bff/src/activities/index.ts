import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import type { RewardEngine } from '@/rewards';
import type { TargetingService } from '@/targeting';
import { createActivityAdminService } from './admin-service';
import { createActivityCustomerService } from './customer-service';
import { createEligibility } from './eligibility';
import { createActivityRepository } from './repository';
import { activityAdminRoutes, activityCustomerRoutes } from './routes';

export type { ActivityAdminService } from './admin-service';
export type { ActivityCustomerService } from './customer-service';
export type { Eligibility, LiveView } from './eligibility';
export type { ActivityRepository, ActivityView } from './repository';

/** Activities: reviewed by a second person before they go live, then joined by the customers they target. */
export function activitiesModule(
  ctx: AppContext,
  deps: {
    targeting: TargetingService;
    rewards: RewardEngine;
    publication: Parameters<typeof createActivityAdminService>[0]['publication'];
    afterJoin: (customerId: string, activityId: string) => Promise<void>;
    /** Agreed to the policy in force and no deletion asked for, read fresh. */
    mayPay: (customerId: string) => Promise<boolean>;
  },
) {
  const repository = createActivityRepository(ctx.db, ctx.clock, ctx.faults);
  const eligibleLive = createEligibility({ clock: ctx.clock, activities: repository, customers: ctx.customers, targeting: deps.targeting, outbox: ctx.outbox });
  const admin = createActivityAdminService({ ...ctx, activities: repository, publication: deps.publication });
  const customer = createActivityCustomerService({
    db: ctx.db,
    clock: ctx.clock,
    activities: repository,
    targeting: deps.targeting,
    rewards: deps.rewards,
    eligibleLive,
    outbox: ctx.outbox,
    afterJoin: deps.afterJoin,
    mayPay: deps.mayPay,
    jobBooks: ctx.jobBooks,
    faults: ctx.faults,
  });
  const module: CapabilityModule = {
    name: 'activities',
    routes: [...activityAdminRoutes(admin), ...activityCustomerRoutes(customer)],
    // Lifecycle steps of reviewed documents cut short after their entry (view, events), and joins cut short before their reward.
    sweeps: { steps: () => admin.recover(), joins: () => customer.recover() },
    // Marks of activities no longer on offer (ended, withdrawn), so the feed reads only current ones.
    jobs: { offerPruned: () => repository.pruneScheduled() },
    ensureIndexes: () => repository.ensureIndexes(),
    seedDemo: async () => (await import('../../demo/activities')).seedDemoActivities(admin),
  };
  return { module, admin, customer, eligibleLive, repository };
}
