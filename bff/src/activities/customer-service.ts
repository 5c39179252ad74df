import { activityTypeNamesZh, type CustomerActivity } from '@shared/contracts/activities';
import { referralTermsOf } from '@shared/contracts/invites';
import { JOINABLE_TYPES } from '@shared/activity-types';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';
import { alongside } from '@/platform/alongside';
import type { JobBooks } from '@/platform/job-books';
import type { Faults } from '@/platform/faults';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import { EventName } from '@shared/events';
import { bankDay } from '@/platform/time';
import type { RewardEngine } from '@/rewards';
import type { TargetingService } from '@/targeting';
import type { ActivityRepository } from './repository';
import type { Eligibility, LiveView } from './eligibility';

const JOIN = 'join';
/** How long a join may take before the sweep takes it for one a crash cut short. */
const JOIN_LEASE_MS = 60_000;

/** Highest priority first, then the latest to start. */
const sortByPriority = (views: LiveView[]) =>
  [...views].sort((a, b) => b.livePriority - a.livePriority || b.liveStart!.getTime() - a.liveStart!.getTime() || a._id.localeCompare(b._id));

export function createActivityCustomerService(deps: {
  db: Database;
  clock: Clock;
  activities: ActivityRepository;
  targeting: TargetingService;
  rewards: RewardEngine;
  eligibleLive: Eligibility;
  outbox: Outbox;
  /** After a join: the livestreams that link a 直播 activity are reserved too (one reservation per show). */
  afterJoin: (customerId: string, activityId: string) => Promise<void>;
  /** Agreed to the policy in force and no deletion asked for: read fresh before a sweep pays for a join (PIPL). */
  mayPay: (customerId: string) => Promise<boolean>;
  jobBooks: JobBooks;
  faults: Faults;
}) {
  const { activities, targeting, rewards, clock, eligibleLive } = deps;
  // One per customer and activity joined: "已参与" holds for a join that pays nothing, too.
  const joins = () => deps.db.collection<{ _id: string; at: Date }>('activity_joins');
  // A join being carried out (its reward, its livestreams): written before the join, removed after; a sweep finishes one a crash cut short.
  const inFlight = () => deps.db.collection<{ _id: string; activityId: string; customerId: string; at: Date }>('activity_joins_in_flight');
  const joinId = (activityId: string, customerId: string) => `${activityId}|${customerId}`;

  /** What a join does once recorded: reserves the livestreams linking it, and pays its reward once, within its budget. */
  async function carryOut(view: LiveView, customerId: string) {
    const a = view.live;
    const linked = deps.afterJoin(customerId, view._id);
    if (!a.reward) {
      await linked;
      return { rewardId: null, duplicate: null };
    }
    const [outcome] = await Promise.all([
      rewards.issue({
        activityId: view._id,
        customerId,
        reason: JOIN,
        source: view._id,
        reward: a.reward,
        budget: a.budget,
        description: `参与活动：${a.title}`,
      }),
      linked,
    ]);
    return outcome;
  }

  /** The customer's view of live activities, with whether each has already been joined (null: nobody signed in, none joined). */
  async function toCustomer(views: LiveView[], customerId: string | null): Promise<CustomerActivity[]> {
    const marks = customerId === null ? views.map(() => null) : await Promise.all(views.map((v) => joins().findOne({ _id: joinId(v._id, customerId) })));
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
        referralTerms: referralTermsOf(a),
        joined: marks[views.indexOf(v)] !== null,
      };
    });
  }

  async function liveFor(customerId: string, id: string, options: { browsing?: boolean } = {}): Promise<LiveView> {
    const [match] = await eligibleLive(customerId, { ...options, only: id });
    if (match) return match;
    // Not for this customer now: say why, if customers were ever meant to see it.
    const view = await published(id);
    if (view.withdrawn) throw new AppError('ACTIVITY_NOT_LIVE');
    throw new AppError(clock.now() >= view.liveEnd! ? 'ACTIVITY_ENDED' : 'ACTIVITY_NOT_ELIGIBLE');
  }

  /**
   * An activity that has been public: live now, or ended or withdrawn since. Drafts, those under
   * review and those approved but not yet started do not exist for customers, like unknown ids.
   */
  async function published(id: string) {
    const view = await activities.findView(id);
    if (!view?.live || !view.liveStart || clock.now() < view.liveStart) throw new AppError('NOT_FOUND');
    return view;
  }

  return {
    /**
     * 首页 before sign-in: live activities aimed at everyone and in no experiment (a control
     * group is decided per customer), read from what is on offer; nothing about the caller is
     * read or recorded.
     */
    async preview(): Promise<CustomerActivity[]> {
      const now = clock.now();
      const open = (await activities.liveViews(now)) as LiveView[];
      return toCustomer(sortByPriority(open.filter((v) => v.live.targeting.mode === 'everyone' && !v.live.controlGroupPercent)), null);
    },

    /**
     * Eligible live activities minus what I dismissed: on the home feed within today's cap of
     * activities shown, under 全部活动 all of them (the customer browses; nothing is pushed).
     * Before consent: what is aimed at everyone, with nothing recorded (no daily slots, no experiment).
     */
    async listForMe(customerId: string, consented = true, view: 'feed' | 'all' = 'feed'): Promise<CustomerActivity[]> {
      if (!consented) return toCustomer(sortByPriority(await eligibleLive(customerId, { browsing: true })), customerId);
      const [hidden, eligible] = await Promise.all([targeting.hidden(customerId), eligibleLive(customerId)]);
      const candidates = sortByPriority(eligible.filter((v) => !hidden.activities.has(v._id) && !hidden.types.has(v.type)));
      if (view === 'all') return toCustomer(candidates, customerId);
      const admitted = await targeting.admitToday(
        customerId,
        bankDay(clock.now()),
        candidates.map((v) => v._id),
      );
      return toCustomer(
        candidates.filter((v) => admitted.has(v._id)),
        customerId,
      );
    },

    /** One activity; once the customer has agreed to be recorded, opening it is an event ("view" tasks complete from it, on the feed). */
    async detail(customerId: string, id: string, consented = true): Promise<CustomerActivity> {
      const live = await liveFor(customerId, id, { browsing: !consented });
      // The view is recorded beside reading what the customer has done in it.
      const [[activity]] = await Promise.all([
        toCustomer([live], customerId),
        consented ? deps.outbox.record(EventName.ACTIVITY_VIEWED, `${live._id}:${customerId}:${clock.now().getTime()}`, { activityId: live._id, customerId }) : null,
      ]);
      return activity;
    },

    /** Takes part; pays the activity's participation reward once, within its budget. */
    async join(customerId: string, id: string): Promise<{ joined: true; rewardId: string | null; duplicate: boolean }> {
      // The points account a participation reward pays into is read beside the activity.
      const [view] = await Promise.all([liveFor(customerId, id), rewards.prefetch(customerId)]);
      const a = view.live;
      // A task pays by its own rule when its action is done, a quiz when it is passed, and a
      // type whose feature is not open has nothing to join: none pays for a join.
      if (!JOINABLE_TYPES.includes(a.type)) throw new AppError('ACTIVITY_NOT_JOINABLE');
      const key = joinId(view._id, customerId);
      await insertOnce(inFlight(), { _id: key, activityId: view._id, customerId, at: clock.now() });
      const first = await insertOnce(joins(), { _id: key, at: clock.now() });
      deps.faults.hit('after:activity.joined');
      const outcome = await carryOut(view, customerId);
      await alongside(inFlight().deleteOne({ _id: key }));
      return { joined: true, rewardId: outcome.rewardId, duplicate: outcome.duplicate ?? !first };
    },

    /**
     * Finishes joins a crash cut short past their lease: the decision was recorded, so its reward and
     * livestreams follow; unless the customer has since withdrawn consent or asked for deletion, after
     * which nothing more is written to their account (the join itself stays recorded).
     */
    async recover() {
      const markers = await inFlight()
        .find({ at: { $lte: new Date(clock.now().getTime() - JOIN_LEASE_MS) } })
        .limit(500)
        .toArray();
      return deps.jobBooks.each(
        'activities.joins',
        markers,
        (m) => m._id,
        async (m) => {
          const view = await activities.findView(m.activityId);
          if (view?.live && (await deps.mayPay(m.customerId))) await carryOut(view as LiveView, m.customerId);
          await inFlight().deleteOne({ _id: m._id });
        },
      );
    },

    /** A live activity this customer may take part in, or the reason they may not. */
    live: liveFor,

    async dismiss(customerId: string, id: string, hideType: boolean): Promise<void> {
      const view = await published(id);
      await targeting.dismiss(customerId, { id, type: view.type }, hideType);
    },
  };
}

export type ActivityCustomerService = ReturnType<typeof createActivityCustomerService>;
