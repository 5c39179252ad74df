import { createHash } from 'node:crypto';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { CustomerDirectory } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import { alongside } from '@/platform/alongside';
import { inControlGroup } from '@/kernel/expression';
import type { TargetingService } from '@/targeting';
import type { ActivityRepository, ActivityView } from './repository';

export type LiveView = ActivityView & { live: NonNullable<ActivityView['live']> };

/**
 * Which live activities a customer may see and take part in: targeted at them, and not held
 * back as control. `browsing`: a customer who has not agreed to the privacy policy sees only
 * what is aimed at everyone, and is neither profiled nor entered into any experiment.
 *
 * Whom an activity's tag expression admits is the one eligibility rule services, coupons and
 * triggers use (targeting/eligibility.ts, lists looked up as the expression names them). An
 * activity aimed at a segment is marketing aimed at the customer, though: with personalised
 * marketing off (PIPL art. 24) only activities for everyone are shown.
 */
export function createEligibility(deps: { clock: Clock; activities: ActivityRepository; customers: CustomerDirectory; targeting: TargetingService; outbox: Outbox }) {
  // Arms this process has already announced: a hint that saves a repeated event, never a guard (the event is keyed by its arms).
  const announced = new Set<string>();
  // Live activities last seen aimed at everyone: a hint of whether opening one needs the customer's tags read ahead.
  const forEveryone = new Set<string>();

  /** The experiment's record of who was in which arm, sent once per new arm (analytics counts the first). */
  async function announce(customerId: string, arms: { activityId: string; endAt: Date; control: boolean }[]) {
    const fresh = arms.filter((a) => !announced.has(`${a.activityId}|${customerId}`));
    if (!fresh.length) return;
    const key = createHash('sha1')
      .update(fresh.map((a) => `${a.activityId}|${a.control}`).join(','))
      .digest('hex')
      .slice(0, 16);
    await deps.outbox.record(EventName.ACTIVITY_ARMS_ASSIGNED, `${customerId}:${key}`, {
      customerId,
      arms: fresh.map((a) => ({ activityId: a.activityId, endAt: a.endAt.toISOString(), control: a.control })),
    });
    if (announced.size > 100_000) announced.clear();
    for (const a of fresh) announced.add(`${a.activityId}|${customerId}`);
  }

  /** `only`: the one activity asked about (opening it): nothing else is evaluated or recorded. */
  return async function eligibleLive(customerId: string, options: { browsing?: boolean; only?: string } = {}): Promise<LiveView[]> {
    // The customer's tags and lists are read beside the customer when what is asked about may be aimed by them: the feed,
    // or one activity last seen aimed (or not seen yet). Known to be for everyone, none is read.
    const mayBeAimed = options.only === undefined || !forEveryone.has(options.only);
    const ahead = options.browsing || !mayBeAimed ? undefined : deps.targeting.eligibility.readAhead(customerId);
    const [customer, live] = await Promise.all([deps.customers.findById(customerId), deps.activities.liveViews(deps.clock.now())]);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const all = (options.only === undefined ? live : live.filter((v) => v._id === options.only)) as LiveView[];
    for (const v of all) {
      if (v.live.targeting.mode === 'everyone') forEveryone.add(v._id);
      else forEveryone.delete(v._id);
    }
    if (forEveryone.size > 100_000) forEveryone.clear();
    const views = options.browsing ? all.filter((v) => v.live.targeting.mode === 'everyone') : all;
    // Tags and lists count only when some live activity is aimed by them, and only for a customer who takes aimed marketing.
    const aimed = customer.personalized ? views.flatMap((v) => (v.live.targeting.mode === 'tags' ? [v.live.targeting.expression] : [])) : [];
    const admits = await deps.targeting.eligibility.of(customer, aimed, { browsing: options.browsing, ahead });
    const aimedAt = views.filter((v) => v.live.targeting.mode === 'everyone' || (customer.personalized && admits(v.live.targeting.expression)));
    const arms = aimedAt.map((v) => ({
      view: v,
      activityId: v._id,
      endAt: new Date(v.live.schedule.endAt),
      control: inControlGroup(v._id, customerId, v.live.controlGroupPercent),
    }));
    // Recorded beside what the request goes on to do, before it answers (its own events come after, by the intent's time).
    if (!options.browsing) await alongside(announce(customerId, arms));
    return arms.filter((a) => !a.control).map((a) => a.view);
  };
}

export type Eligibility = ReturnType<typeof createEligibility>;
