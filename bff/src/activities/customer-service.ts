import { activityTypeNamesZh, type CustomerActivity } from '../../../shared/contracts/activities';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import { bankDay } from '../platform/time';
import { rewardKey, type RewardEngine } from '../rewards/engine';
import { inControlGroup } from '../targeting/expression';
import type { TargetingService } from '../targeting/service';
import type { ActivityRepository, ActivityView } from './repository';

type LiveView = ActivityView & { live: NonNullable<ActivityView['live']> };

const JOIN = 'join';

export function createActivityCustomerService(deps: { clock: Clock; activities: ActivityRepository; customers: CustomerRepository; targeting: TargetingService; rewards: RewardEngine }) {
  const { activities, targeting, rewards, clock } = deps;

  async function customerOf(customerId: string) {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    return customer;
  }

  /** Live, aimed at this customer, and not held back for the control group. */
  async function eligibleLive(customerId: string): Promise<LiveView[]> {
    const customer = await customerOf(customerId);
    const views = (await activities.liveViews(clock.now())) as LiveView[];
    // Tags and lists are read only when some live activity is aimed by them.
    const profile = views.some((v) => v.live.targeting.mode !== 'everyone') ? await targeting.profileOf(customer) : null;
    return views.filter(
      (v) =>
        (v.live.targeting.mode === 'everyone' || (profile !== null && targeting.isTargeted(v.live.targeting, profile, customer.personalized))) &&
        !inControlGroup(v._id, customerId, v.live.controlGroupPercent),
    );
  }

  /** The customer's view of live activities, with whether each has already been joined. */
  async function toCustomer(views: LiveView[], customerId: string): Promise<CustomerActivity[]> {
    const joinOf = (v: LiveView) => ({ activityId: v._id, customerId, reason: JOIN, source: v._id });
    const joined = await rewards.issuedKeys(views.map(joinOf));
    return views.map((v) => {
      const a = v.live;
      return {
        id: v._id,
        type: a.type,
        typeName: activityTypeNamesZh[a.type],
        title: a.title,
        description: a.description,
        rules: a.rules,
        images: a.images,
        startAt: a.schedule.startAt,
        endAt: a.schedule.endAt,
        reward: a.reward ?? null,
        joined: joined.has(rewardKey(joinOf(v))),
      };
    });
  }

  async function liveFor(customerId: string, id: string): Promise<LiveView> {
    const match = (await eligibleLive(customerId)).find((v) => v._id === id);
    if (match) return match;
    // Not for this customer now: say why.
    const view = await activities.findView(id);
    if (!view) throw new AppError('NOT_FOUND');
    const now = clock.now();
    const isLive = view.live && !view.withdrawn && view.liveStart! <= now && now < view.liveEnd!;
    throw new AppError(isLive ? 'ACTIVITY_NOT_ELIGIBLE' : 'ACTIVITY_NOT_LIVE');
  }

  return {
    /** My home feed: eligible live activities minus what I dismissed, within today's cap. */
    async listForMe(customerId: string): Promise<CustomerActivity[]> {
      const hidden = await targeting.hidden(customerId);
      const candidates = (await eligibleLive(customerId))
        .filter((v) => !hidden.activities.has(v._id) && !hidden.types.has(v.type))
        .sort((a, b) => b.livePriority - a.livePriority || b.liveStart!.getTime() - a.liveStart!.getTime() || a._id.localeCompare(b._id));
      const admitted = await targeting.admitToday(customerId, bankDay(clock.now()), candidates.map((v) => v._id));
      return toCustomer(candidates.filter((v) => admitted.has(v._id)), customerId);
    },

    detail: async (customerId: string, id: string) => (await toCustomer([await liveFor(customerId, id)], customerId))[0],

    /** Takes part; pays the activity's participation reward once, within its budget. */
    async join(customerId: string, id: string): Promise<{ joined: true; rewardId: string | null; duplicate: boolean }> {
      const view = await liveFor(customerId, id);
      const a = view.live;
      if (!a.reward) return { joined: true, rewardId: null, duplicate: false };
      const outcome = await rewards.issue({
        activityId: view._id,
        customerId,
        reason: JOIN,
        source: view._id,
        reward: a.reward,
        budget: a.budget,
        description: `参与活动：${a.title}`,
      });
      return { joined: true, rewardId: outcome.rewardId, duplicate: outcome.duplicate };
    },

    async dismiss(customerId: string, id: string, hideType: boolean): Promise<void> {
      const view = await activities.findView(id);
      if (!view) throw new AppError('NOT_FOUND');
      await targeting.dismiss(customerId, { id, type: view.type }, hideType);
    },
  };
}

export type ActivityCustomerService = ReturnType<typeof createActivityCustomerService>;
