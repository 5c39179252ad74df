import type { TriggerInput } from '@shared/contracts/triggers';
import { EventName } from '@shared/events';
import type { Customer, CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import type { FeedEvent } from '@/platform/event-feed';
import { insertOnce, numberedSlots } from '@/platform/keyed';
import type { JobBooks } from '@/platform/job-books';
import type { Logger } from '@/platform/logger';
import type { Outbox } from '@/platform/outbox';
import type { StreamStore } from '@/platform/stream';
import type { WechatClient } from '@/platform/wechat/client';
import { bankDay } from '@/platform/time';
import type { RewardEngine } from '@/rewards';
import type { TargetingService } from '@/targeting';
import type { TriggerRepository, TriggerView } from './admin';
import { matches } from './match';

/** One trigger given to one customer: its `_id` (`<trigger>|<customer>`) makes it once. */
type FiringDoc = { _id: string; triggerId: string; customerId: string; eventId: string; at: Date; eventAt: Date };
/** An offer in the customer's list (为您推荐), one per firing. */
export type OfferData = { firingId: string; triggerId: string; title: string; description: string; kind: TriggerInput['action']['kind']; activityId: string | null };
type SlotDoc = { _id: string; triggerId: string; at: Date };
/**
 * Why a firing's action was not carried out when it came to it; `budget_exhausted`: its reward
 * budget was spent; `reward_unavailable`: its reward cannot be paid at all (draw chances for a draw
 * that is gone).
 */
type WithheldReason = 'no_consent' | 'opted_out' | 'dismissed' | 'withdrawn' | 'late' | 'budget_exhausted' | 'reward_unavailable';
/** A firing whose action was not carried out: `_id` is the firing's. */
type WithheldDoc = { _id: string; triggerId: string; customerId: string; reason: WithheldReason; at: Date };

// How long this process reuses the list of live triggers: a hint, confirmed by a fresh read before anything fires.
const LIVE_HINT_MS = 5_000;
// A firing whose action is still marked pending after this long was cut short by a crash.
const PENDING_LEASE_MS = 60_000;
export const TRIGGER_DISMISS_TYPE = 'trigger';

/**
 * 事件营销: every event the feed carries is checked against the live triggers. A match within
 * the trigger's window, for a customer who has personalised marketing on, is in its audience and
 * has not said 不感兴趣, takes one of the day's slots (`dailyCap` per customer, claimed by
 * insert) and then the firing (an insert under trigger and customer), so it happens once
 * however many processes see the event and however often it is resent. The action follows,
 * keyed by the firing: a reward through the reward engine, an offer in the customer's list, or
 * one subscribe message (claimed before sending, so never sent twice; a crash between the claim
 * and the send loses that one message rather than risk a second).
 *
 * Right before acting — at once, or when the sweep finishes a firing a crash cut short — the
 * customer's standing is read again from the database: consent to the privacy policy and no
 * deletion request, personalised marketing on (PIPL art. 24), no 不感兴趣 for this rule, its
 * activity or all triggered offers; the trigger still live and the window not passed. Nothing
 * remembered in the process or carried in the firing counts. A firing that fails this is
 * withheld (recorded with its reason) and never acted on.
 */
export function createTriggerEngine(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  triggers: TriggerRepository;
  customers: CustomerDirectory;
  targeting: TargetingService;
  rewards: RewardEngine;
  wechat: WechatClient;
  outbox: Outbox;
  offers: StreamStore<OfferData>;
  dailyCap: number;
  /** Whether the customer has agreed to the privacy policy in force and asked for no deletion, read fresh. */
  mayContact: (customerId: string) => Promise<boolean>;
  jobBooks: JobBooks;
}) {
  const firings = () => deps.db.collection<FiringDoc>('trigger_firings');
  const pending = () => deps.db.collection<{ _id: string; at: Date }>('trigger_pending');
  const messages = () => deps.db.collection<{ _id: string; at: Date; sent: boolean }>('trigger_messages');
  const capped = () => deps.db.collection<{ _id: string; triggerId: string; at: Date }>('trigger_capped');
  const withheld = () => deps.db.collection<WithheldDoc>('trigger_withheld');
  const slots = numberedSlots<SlotDoc>(() => deps.db.collection<SlotDoc>('trigger_daily_slots'));
  let live: { at: number; views: TriggerView[] } | null = null;

  async function liveTriggers(): Promise<TriggerView[]> {
    const now = deps.clock.now();
    if (!live || now.getTime() - live.at > LIVE_HINT_MS) live = { at: now.getTime(), views: (await deps.triggers.liveViews(now)) as TriggerView[] };
    return live.views;
  }

  /** The customer's own choices, read from the database now: what may stop an action at any moment before it happens. */
  async function standing(view: TriggerView, customerId: string): Promise<{ refused: WithheldReason } | { customer: Customer }> {
    const [customer, contactable, hidden] = await Promise.all([deps.customers.findById(customerId), deps.mayContact(customerId), deps.targeting.hidden(customerId)]);
    if (!customer || !contactable) return { refused: 'no_consent' };
    if (!customer.personalized) return { refused: 'opted_out' };
    const a = view.live.action;
    if (hidden.types.has(TRIGGER_DISMISS_TYPE) || hidden.activities.has(view._id) || (a.kind === 'activity' && hidden.activities.has(a.activityId)))
      return { refused: 'dismissed' };
    return { customer };
  }

  /** Everything that decides against firing, read fresh: the trigger still live, the customer's choices and tags. */
  async function eligible(triggerId: string, event: FeedEvent): Promise<TriggerView | null> {
    const view = (await deps.triggers.findView(triggerId)) as TriggerView | null;
    const now = deps.clock.now();
    if (!view?.live || view.withdrawn || !view.liveStart || view.liveStart > now || !view.liveEnd || view.liveEnd <= now) return null;
    const t = view.live;
    const eventAt = new Date(event.occurredAt);
    if (eventAt.getTime() < view.liveStart.getTime() || now.getTime() - eventAt.getTime() > t.windowMinutes * 60_000) return null;
    const found = await standing(view, event.customerId!);
    if ('refused' in found) return null;
    const { customer } = found;
    // The one eligibility rule, the lists the audience names looked up.
    if (t.audience && !(await deps.targeting.eligibility.of(customer, [t.audience]))(t.audience)) return null;
    return view;
  }

  /** Why the firing may not be acted on now, from a fresh read; null when it may. */
  async function refusal(view: TriggerView, firing: FiringDoc): Promise<WithheldReason | null> {
    if (!view.live || view.withdrawn) return 'withdrawn';
    if (deps.clock.now().getTime() - firing.eventAt.getTime() > view.live.windowMinutes * 60_000) return 'late';
    const found = await standing(view, firing.customerId);
    return 'refused' in found ? found.refused : null;
  }

  async function act(view: TriggerView, firing: FiringDoc): Promise<WithheldReason | null> {
    const refused = await refusal(view, firing);
    if (refused) {
      await insertOnce(withheld(), { _id: firing._id, triggerId: firing.triggerId, customerId: firing.customerId, reason: refused, at: deps.clock.now() });
      deps.logger.info({ firingId: firing._id, reason: refused }, 'trigger firing withheld');
      return refused;
    }
    const t = view.live;
    const a = t.action;
    await deps.offers.append(
      `offers:${firing.customerId}`,
      () => ({
        firingId: firing._id,
        triggerId: view._id,
        title: t.name,
        description: t.description,
        kind: a.kind,
        activityId: a.kind === 'activity' ? a.activityId : null,
      }),
      { key: `offer:${firing._id}` },
    );
    deps.faults.hit('after:trigger.offered');
    if (a.kind === 'reward') {
      // A spent budget (or a reward that cannot be paid at all: chances for a draw that is gone) is an
      // outcome, not an error: recorded once, its half-made offer never shown, nothing left to retry.
      const paid = await deps.rewards.settle({
        activityId: view._id,
        customerId: firing.customerId,
        reason: 'trigger',
        source: view._id,
        reward: a.reward,
        budget: a.budget,
        description: `为您推荐：${t.name}`,
      });
      if (paid.state !== 'issued') {
        const reason: WithheldReason = paid.state === 'exhausted' ? 'budget_exhausted' : 'reward_unavailable';
        await insertOnce(withheld(), { _id: firing._id, triggerId: firing.triggerId, customerId: firing.customerId, reason, at: deps.clock.now() });
        deps.logger.info({ firingId: firing._id, reason }, 'trigger reward not paid');
        return reason;
      }
    } else if (a.kind === 'message' && (await insertOnce(messages(), { _id: firing._id, at: deps.clock.now(), sent: false }))) {
      const customer = await deps.customers.findById(firing.customerId);
      if (customer) {
        await deps.wechat
          .sendSubscribeMessage({
            touser: customer.openid,
            templateId: a.templateId,
            page: a.page,
            data: Object.fromEntries(Object.entries(a.data).map(([k, v]) => [k, { value: v }])),
          })
          .then(
            () => messages().replaceOne({ _id: firing._id }, { at: deps.clock.now(), sent: true }),
            (err: unknown) => deps.logger.warn({ firingId: firing._id, err: err instanceof Error ? err.message : String(err) }, 'trigger message not sent'),
          );
      }
    }
    await deps.outbox.record(EventName.TRIGGER_FIRED, firing._id, { triggerId: view._id, customerId: firing.customerId, eventId: firing.eventId, action: a.kind });
    return null;
  }

  async function fire(triggerId: string, event: FeedEvent): Promise<boolean> {
    const customerId = event.customerId!;
    const firingId = `${triggerId}|${customerId}`;
    const existing = await firings().findOne({ _id: firingId });
    if (existing) return false;
    const view = await eligible(triggerId, event);
    if (!view) return false;
    const now = deps.clock.now();
    const slot = await slots.claim(`tcap:${customerId}:${bankDay(now)}`, deps.dailyCap, (_id) => ({ _id, triggerId, at: now }), { isMine: (s) => s.triggerId === triggerId });
    if (!slot) {
      await insertOnce(capped(), { _id: `${firingId}|${bankDay(now)}`, triggerId, at: now });
      return false;
    }
    await insertOnce(pending(), { _id: firingId, at: now });
    const firing: FiringDoc = { _id: firingId, triggerId, customerId, eventId: event.id, at: now, eventAt: new Date(event.occurredAt) };
    if (!(await insertOnce(firings(), firing))) return false; // another process fired it: its own pending marker finishes it
    deps.faults.hit('after:trigger.fired');
    const refused = await act(view, firing);
    await pending().deleteOne({ _id: firingId });
    return refused === null;
  }

  return {
    /**
     * The feed's subscriber, run by its worker after the event was kept: a firing that fails is
     * thrown, so the job books count the event and it comes again; the firings made before it are
     * keyed (one per trigger and customer) and not made twice.
     */
    async observe(event: FeedEvent): Promise<void> {
      if (!event.customerId || event.source === 'domain') return;
      const triggers = await liveTriggers();
      for (const t of triggers) if (matches(t.live, event)) await fire(t._id, event);
    },

    /** Whether a live trigger (as this process knows them) listens to the event: only those are queued for `observe`. */
    async listensTo(event: FeedEvent): Promise<boolean> {
      return Boolean(event.customerId) && event.source !== 'domain' && (await liveTriggers()).some((t) => matches(t.live, event));
    },

    /** A trigger approved or withdrawn here is seen at once by this process (others within the hint's life). */
    forget() {
      live = null;
    },

    /**
     * Firings whose action a crash cut short: finished from the firing, keyed, so nothing is
     * given twice; but first the customer's standing is read again (see `act`), so one who
     * opted out, said 不感兴趣 or withdrew consent meanwhile is given nothing.
     */
    async recover(): Promise<{ finished: number; withheld: number; failed: number; parked: number }> {
      let finished = 0;
      let held = 0;
      const stale = new Date(deps.clock.now().getTime() - PENDING_LEASE_MS);
      const marks = await pending()
        .find({ at: { $lt: stale } })
        .limit(200)
        .toArray();
      // Each firing alone, through the job books: one that fails is counted and left for the next sweep (parked if it keeps failing), and the others go on.
      const run = await deps.jobBooks.each(
        'triggers.firings',
        marks,
        (m) => m._id,
        async (mark) => {
          const firing = await firings().findOne({ _id: mark._id });
          const view = firing ? ((await deps.triggers.findView(firing.triggerId)) as TriggerView | null) : null;
          if (firing && view) {
            if ((await act(view, firing)) === null) finished += 1;
            else held += 1;
          }
          await pending().deleteOne({ _id: mark._id });
        },
      );
      return { finished, withheld: held, failed: run.failed, parked: run.parked };
    },

    /** Whether a firing was withheld: its offer (if a crash left one) is not shown. */
    wasWithheld: async (firingId: string) => (await withheld().findOne({ _id: firingId })) !== null,

    async stats(triggerId: string) {
      const [fired, cappedCount, withheldCount, spent] = await Promise.all([
        firings().countDocuments({ triggerId }),
        capped().countDocuments({ triggerId }),
        withheld().countDocuments({ triggerId, reason: { $ne: 'budget_exhausted' } }),
        withheld().countDocuments({ triggerId, reason: 'budget_exhausted' }),
      ]);
      return { triggerId, fired, capped: cappedCount, withheld: withheldCount, budgetExhausted: spent };
    },
  };
}

export type TriggerEngine = ReturnType<typeof createTriggerEngine>;
