import type { ActivityCustomerService, ActivityRepository } from '@/activities';
import type { AppContext } from '@/context';
import { EventName } from '@shared/events';
import type { CapabilityModule } from '@/platform/module';
import type { RewardEngine } from '@/rewards';
import { createAssists } from './assists/assists';
import { createAttribution, type AttributionDoc } from './sharing/attribution';
import { createHandovers, type CustomersMoved } from './managers/handovers';
import { createHolds } from './holds';
import { createInviteCodes } from './invites/codes';
import { createInviteRewards, kFactorOf, type QualifyingAction } from './invites/rewards';
import { createManagers } from './managers/book';
import { createManagerService } from './managers/service';
import { referralAdminRoutes, referralCustomerRoutes, referralManagerRoutes } from './routes';
import { createPayouts, type PendingMark } from './payouts';
import { createScenes, type SceneDoc } from './sharing/scenes';

/** A customer who came through a share: the scene, and whether it brought them as a new customer. */
export type Arrival = { scene: SceneDoc; customerId: string; newCustomer: boolean };

const HOUR_MS = 60 * 60 * 1000;

/**
 * Referral growth (裂变): shares and their scenes, first-touch attribution and the chains it
 * builds, invite activities paid when the invitee qualifies, assists (助力) with their fraud
 * controls and review queue, and relationship managers' posters, books and hand-overs.
 */
export function referralsModule(
  ctx: AppContext,
  deps: {
    activities: { repository: ActivityRepository; customer: Pick<ActivityCustomerService, 'live'> };
    rewards: RewardEngine;
    joinedAt: (customerId: string) => Promise<Date | null>;
  },
) {
  const { db, clock, config } = ctx;
  const findView = deps.activities.repository.findView;
  const scenes = createScenes({ db, clock, wechat: ctx.wechat });
  const managers = createManagers(db, clock);
  const payouts = createPayouts({ db, clock, rewards: deps.rewards });
  const holds = createHolds({
    db,
    clock,
    audit: ctx.audit,
    faults: ctx.faults,
    scope: ctx.scope,
    independent: ctx.independent,
    findView,
    findViews: deps.activities.repository.findViews,
    customers: ctx.customers,
    staff: ctx.staff,
    payouts,
  });
  const inviteRewards = createInviteRewards({ db, clock, findView, attributionOf: (id) => attribution.find(id), payouts, holds, faults: ctx.faults });

  async function onAttributed(doc: AttributionDoc) {
    await ctx.outbox.record(EventName.REFERRAL_ATTRIBUTED, doc._id, {
      customerId: doc._id,
      sharerKind: doc.sharer.kind,
      sharerId: doc.sharer.id,
      activityId: doc.activityId,
      channel: doc.channel,
      managerId: doc.managerId,
    });
    // 朋友圈 (Moments) shares earn nobody anything: WeChat 运营规范 §5.1.
    if (doc.parentCustomerId && doc.channel !== 'timeline') {
      // Tasks complete the inviter's "invite a friend" from it.
      await ctx.outbox.record(EventName.INVITE_ACCEPTED, doc._id, { inviterId: doc.parentCustomerId, inviteeId: doc._id });
    }
    await inviteRewards.qualified(doc, 'register');
  }

  const attribution = createAttribution({
    db,
    clock,
    customers: ctx.customers,
    staff: ctx.staff,
    scenes,
    managers,
    windowMs: config.referrals.attributionHours * HOUR_MS,
    joinedAt: deps.joinedAt,
    onAttributed,
    payouts,
    faults: ctx.faults,
  });
  const inviteCodes = createInviteCodes({ db, scenes, attribution });
  const assists = createAssists({
    db,
    clock,
    customers: ctx.customers,
    live: deps.activities.customer.live,
    findView,
    scenes,
    joinedAt: deps.joinedAt,
    payouts,
    holds,
    faults: ctx.faults,
    logger: ctx.logger,
    rateLimiter: ctx.rateLimiter,
    limits: config.referrals.assistLimits,
  });

  /** Who else counts an arrival (a manager's task): each told of every arrival through a scene but one's own, new customer or not. */
  const arrivalObservers: ((arrival: Arrival) => Promise<void>)[] = [];

  /** An arrival through a share, with what it earns the friend who arrived (an invite's welcome reward) and where that stands. */
  async function arrive(customerId: string, sceneId: string, ip: string | null) {
    const result = await attribution.arrive(customerId, sceneId, ip);
    const [doc, scene] = await Promise.all([result.attributed ? attribution.find(customerId) : null, arrivalObservers.length ? scenes.find(sceneId) : null]);
    // Told before answering: an observer's failure fails the arrival, which the client sends again (each counts by a key).
    if (scene && result.refusal !== 'self')
      await Promise.all(arrivalObservers.map((observe) => observe({ scene, customerId, newCustomer: doc !== null && doc.sceneId === sceneId })));
    return { ...result, welcomeReward: doc ? await inviteRewards.welcomeState(doc) : null };
  }

  /** Work a crash left promised, each alone: an assist to settle, an invite to reward, an arrival to follow. */
  async function finish(mark: PendingMark): Promise<void> {
    if (mark.kind === 'assist') await assists.finish(mark.ref.assistId);
    else if (mark.kind === 'invite') await inviteRewards.finish(mark.ref);
    else await attribution.finish(mark.ref.customerId);
  }
  // The engine's check of an activity's books (`/admin/invariants?activityId=`) covers what its referrals promised too.
  deps.rewards.addCheck(async (activityId) => {
    const type = (await findView(activityId))?.type;
    if (type === 'assist') return (await assists.check(activityId)).violations;
    if (type === 'invite') return (await inviteRewards.check(activityId)).violations;
    return [];
  });
  const managerService = createManagerService({
    clock,
    staff: ctx.staff,
    org: ctx.org,
    scope: ctx.scope,
    customers: ctx.customers,
    managers,
    attribution,
    scenes,
    findView,
    liveViews: deps.activities.repository.liveViews,
    joinedBy: (id) => ctx.points.recentActivities(id, 30),
  });
  /** Who else follows the customers a hand-over moved (the leads module: their open leads). */
  const moveObservers: ((moved: CustomersMoved) => Promise<void>)[] = [];
  const handovers = createHandovers({
    db,
    clock,
    audit: ctx.audit,
    faults: ctx.faults,
    logger: ctx.logger,
    scope: ctx.scope,
    staff: ctx.staff,
    org: ctx.org,
    independent: ctx.independent,
    managers,
    jobBooks: ctx.jobBooks,
    batchSize: config.referrals.handoverBatchSize,
    onMoved: async (moved) => {
      for (const observe of moveObservers) await observe(moved);
    },
  });

  /** An attributed newcomer did what an invite activity may count (bound a phone, opened an account). */
  async function qualify(customerId: string, action: QualifyingAction, at?: Date): Promise<void> {
    const doc = await attribution.find(customerId);
    if (doc) await inviteRewards.qualified(doc, action, at);
  }

  // A phone bound may be what an invite counts: the qualification is keyed by activity and invitee, so a redelivery pays nothing.
  ctx.events.subscribe('referrals', {
    wants: (e) => e.source === 'domain' && e.name === EventName.CUSTOMER_PHONE_BOUND && e.customerId !== null,
    handle: (e) => qualify(e.customerId!, 'bind_phone', new Date(e.occurredAt)),
  });

  /** An invite activity's growth figures, for its analytics. */
  async function inviteFigures(activityId: string) {
    const stats = await inviteRewards.stats(activityId);
    return { kFactor: kFactorOf(stats), sharers: stats.sharers, inviters: stats.inviters, qualified: stats.qualified };
  }

  const services = {
    scenes,
    attribution,
    arrive,
    inviteCodes,
    assists,
    inviteRewards,
    holds,
    managers: managerService,
    handovers,
    findView,
    scope: ctx.scope,
    customers: ctx.customers,
    clock,
  };
  const module: CapabilityModule = {
    name: 'referrals',
    routes: [...referralCustomerRoutes(services), ...referralManagerRoutes(services), ...referralAdminRoutes(services)],
    sweeps: {
      // Settlements, invite rewards and arrivals promised and not finished past their lease: each alone, a failing one counted and in time parked.
      pending: async () => ctx.jobBooks.each('referrals.pending', await payouts.due(), (m) => m._id, finish),
      // Held-reward decisions a crash left unapplied.
      holds: () => holds.recover(),
      // Hand-over decisions and runs a crash left unfinished.
      handovers: () => handovers.recover(),
    },
    async ensureIndexes() {
      for (const store of [attribution, assists, inviteRewards, managers, handovers, payouts]) await store.ensureIndexes();
    },
    seedDemo: async () =>
      (await import('../../demo/referrals')).seedDemoReferrals({
        share: async (sharer, channel) => (await scenes.ensure({ sharer, activityId: null, assistId: null, channel }))._id,
        arrive: (customerId, sceneId) => attribution.arrive(customerId, sceneId, null),
      }),
  };
  return {
    module,
    qualify,
    inviteFigures,
    managerBooks: managers,
    observeArrivals(observe: (arrival: Arrival) => Promise<void>) {
      arrivalObservers.push(observe);
    },
    observeHandovers(observe: (moved: CustomersMoved) => Promise<void>) {
      moveObservers.push(observe);
    },
    ...services,
  };
}
