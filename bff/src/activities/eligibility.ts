import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import { inControlGroup, listsIn } from '../targeting/expression';
import type { TargetingService } from '../targeting/service';
import type { ActivityRepository, ActivityView } from './repository';

export type LiveView = ActivityView & { live: NonNullable<ActivityView['live']> };

/** Which live activities a customer may see and take part in: targeted at them, and not held back as control. */
export function createEligibility(deps: { clock: Clock; activities: ActivityRepository; customers: CustomerRepository; targeting: TargetingService }) {
  return async function eligibleLive(customerId: string): Promise<LiveView[]> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const views = (await deps.activities.liveViews(deps.clock.now())) as LiveView[];
    // Tags and lists are read only when some live activity is aimed by them.
    const aimed = views.flatMap((v) => (v.live.targeting.mode === 'tags' ? [v.live.targeting.expression] : []));
    const profile = aimed.length > 0 ? await deps.targeting.profileOf(customer, aimed.flatMap(listsIn)) : null;
    return views.filter(
      (v) =>
        (v.live.targeting.mode === 'everyone' || (profile !== null && deps.targeting.isTargeted(v.live.targeting, profile, customer.personalized))) &&
        !inControlGroup(v._id, customerId, v.live.controlGroupPercent),
    );
  };
}

export type Eligibility = ReturnType<typeof createEligibility>;
