import type { ActivityInput } from '@shared/contracts/activities';
import type { AssistView } from '@shared/contracts/referrals';
import { maskedDisplayName } from '@shared/masking';
import type { LiveView, ActivityView } from '@/activities';
import type { CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { SimulatedCrash, type Faults } from '@/platform/faults';
import { insertOnce } from '@/platform/keyed';
import type { Logger } from '@/platform/logger';
import type { RateLimiter } from '@/platform/rate-limit';
import { createStreamStore } from '@/platform/stream';
import { bankDay } from '@/platform/time';
import type { RewardRequest } from '@/rewards';
import type { Flag, Holds } from '../holds';
import { PENDING_LEASE_MS, type Payouts } from '../payouts';
import type { Scenes } from '../sharing/scenes';
import { hashId } from '@/kernel/ids';

type AssistActivity = ActivityView & { live: Extract<ActivityInput, { type: 'assist' }> };
type AssistDoc = { _id: string; activityId: string; starterId: string; startedAt: Date; expiresAt: Date; needed: number };
type HelpData = { helperId: string; ip: string | null; deviceId: string | null; registeredAt: Date };
/** How a completed assist is settled, decided once: paid, or held for review with its flags, and the reward request fixed with it. */
type Settlement = { _id: string; flags: Flag[]; at: Date; request: RewardRequest };

/** A help by an account this much younger than the help is "fresh". */
const FRESH_MS = 10 * 60 * 1000;
const markOf = (assistId: string) => `assist:${assistId}`;
const HOUR_SECONDS = 3600;

const assistIdOf = (activityId: string, customerId: string) => hashId(['assist', activityId, customerId], { length: 24 });

/**
 * 助力: a customer starts an assist (one per activity) and shares it; friends who open it help
 * once each. The helps are a stream whose positions are the places: the N-th is taken by
 * exactly one helper however many tap at once, and a help past it is refused. The N-th help
 * settles the assist once (its settlement is an insert): the reward is paid, or held for review
 * when the helps look farmed (fresh accounts, one network or device, helps from outside the app,
 * the same people helping each other).
 *
 * Settling is promised before the last place is taken: the help that would take it marks the
 * assist pending first, so a crash anywhere after leaves a mark the sweep finishes (once: the
 * settlement and the reward are keyed). A budget that has run out is an outcome: the helper's
 * help counted and is answered 200, and the starter is told the reward ran out.
 */
export function createAssists(deps: {
  db: Database;
  clock: Clock;
  customers: CustomerDirectory;
  live: (customerId: string, id: string) => Promise<LiveView>;
  findView: (id: string) => Promise<ActivityView | null>;
  scenes: Scenes;
  /** When a customer first agreed to the privacy policy (null: not yet). */
  joinedAt: (customerId: string) => Promise<Date | null>;
  payouts: Payouts;
  holds: Holds;
  faults: Faults;
  logger: Logger;
  rateLimiter: RateLimiter;
  limits: { perHelperPerHour: number; perDevicePerHour: number; perIpPerHour: number };
}) {
  const { clock } = deps;
  const assists = () => deps.db.collection<AssistDoc>('assists');
  const settlements = () => deps.db.collection<Settlement>('assist_settlements');
  const daily = () => deps.db.collection<{ _id: string; assistId: string }>('assist_daily_helps');
  const helps = createStreamStore<HelpData>(deps.db, 'assist_helps', clock);
  const helpsOf = (assistId: string) => `helps:${assistId}`;
  const helpKey = (assistId: string, helperId: string) => `help:${assistId}:${helperId}`;

  async function activityOf(doc: AssistDoc): Promise<AssistActivity> {
    const view = await deps.findView(doc.activityId);
    if (view?.live?.type !== 'assist') throw new AppError('NOT_FOUND');
    return view as AssistActivity;
  }

  const requestOf = (doc: AssistDoc, activity: AssistActivity): RewardRequest => ({
    activityId: doc.activityId,
    customerId: doc.starterId,
    reason: 'assist',
    source: doc._id,
    reward: activity.live.reward!,
    budget: activity.live.budget,
    description: `好友助力：${activity.live.title}`,
  });

  async function flagsOf(doc: AssistDoc): Promise<Flag[]> {
    const entries = await helps.readAll(helpsOf(doc._id));
    const flags: Flag[] = [];
    const many = Math.max(2, Math.ceil(entries.length / 2));
    // Accounts made minutes before they helped. How they came does not clear them: the app
    // records the arrival through the share before every help, so a farm comes that way too.
    if (entries.filter((e) => e.at.getTime() - e.data.registeredAt.getTime() < FRESH_MS).length >= many) flags.push('fresh_accounts');
    const most = (values: (string | null)[]) => Math.max(0, ...[...values.reduce((m, v) => (v ? m.set(v, (m.get(v) ?? 0) + 1) : m), new Map<string, number>()).values()]);
    if (most(entries.map((e) => e.data.ip)) >= Math.max(3, Math.ceil(entries.length / 2))) flags.push('shared_ip');
    if (most(entries.map((e) => e.data.deviceId)) >= 2) flags.push('shared_device');
    // The mini-program sends its install's id with every help; helps without one came from outside it.
    if (entries.filter((e) => !e.data.deviceId).length >= many) flags.push('no_device');
    // A ring: the starter helped the assist of someone who helps them back.
    for (const e of entries) {
      if (await helps.findByKey(helpsOf(assistIdOf(doc.activityId, e.data.helperId)), helpKey(assistIdOf(doc.activityId, e.data.helperId), doc.starterId))) {
        flags.push('mutual_help');
        break;
      }
    }
    return flags;
  }

  /**
   * Pays the reward of a completed assist, or holds it: decided once (the settlement is an
   * insert), then carried out (keyed), then the pending mark is let go. Run by the completing
   * help, and by the sweep for a mark a crash left.
   */
  async function settle(doc: AssistDoc): Promise<void> {
    const activity = await activityOf(doc);
    if (activity.live.reward) {
      let settlement: Settlement = { _id: doc._id, flags: await flagsOf(doc), at: clock.now(), request: requestOf(doc, activity) };
      if (!(await insertOnce(settlements(), settlement))) settlement = (await settlements().findOne({ _id: doc._id }))!;
      deps.faults.hit('after:assist.decided');
      if (settlement.flags.length)
        await deps.holds.hold(holdKeyOf(doc), {
          kind: 'assist',
          activityId: doc.activityId,
          customerId: doc.starterId,
          flags: settlement.flags,
          rewardRequest: settlement.request,
        });
      else await deps.payouts.pay(settlement.request);
    }
    await deps.payouts.unmark(markOf(doc._id));
  }
  const holdKeyOf = (doc: AssistDoc) => `assist:${doc._id}`;

  /** What the starter is told: from the reward engine's books (paid, or refused by the budget), else from the review, else still on its way. */
  async function rewardState(doc: AssistDoc, activity: AssistActivity, helped: number): Promise<AssistView['rewardState']> {
    const settlement = await settlements().findOne({ _id: doc._id });
    if (!settlement) return helped >= doc.needed && activity.live.reward ? 'pending' : 'none';
    const [state] = await deps.payouts.states([settlement.request]);
    if (state === 'paid') return 'paid';
    if (state === 'exhausted' || state === 'unavailable') return state;
    if (!settlement.flags.length) return 'pending';
    const status = await deps.holds.status(holdKeyOf(doc));
    // Held once the review has it; approved is paid or refused by the budget (above), else still on its way.
    return status === 'rejected' ? 'rejected' : status === 'pending' ? 'held' : 'pending';
  }

  async function view(customerId: string, doc: AssistDoc): Promise<AssistView> {
    const mine = customerId === doc.starterId;
    const [activity, entries, starter] = await Promise.all([activityOf(doc), helps.readAll(helpsOf(doc._id)), mine ? null : deps.customers.findById(doc.starterId)]);
    const helped = entries.length;
    const helpers = mine
      ? await Promise.all(
          entries.map(async (e) => ({
            name: maskedDisplayName((await deps.customers.findById(e.data.helperId)) ?? { name: null, nickname: null, phone: null }),
            at: e.at.toISOString(),
          })),
        )
      : [];
    const state = helped >= doc.needed ? 'completed' : clock.now() > doc.expiresAt ? 'expired' : 'open';
    const scene = mine ? await deps.scenes.ensure({ sharer: { kind: 'customer', id: doc.starterId }, activityId: doc.activityId, assistId: doc._id, channel: 'link' }) : null;
    return {
      id: doc._id,
      activityId: doc.activityId,
      title: activity.live.title,
      rules: activity.live.rules,
      needed: doc.needed,
      helped,
      state,
      expiresAt: doc.expiresAt.toISOString(),
      mine,
      // Who asked, as a friend knows them: a masked name or nickname, never their phone number.
      askedBy: mine ? null : starter?.name || starter?.nickname ? maskedDisplayName({ ...starter!, phone: null }) : '您的好友',
      helpedByMe: entries.some((e) => e.data.helperId === customerId),
      reward: activity.live.reward ?? null,
      rewardState: await rewardState(doc, activity, helped),
      helpers,
      share: scene ? deps.scenes.shareOf(scene) : null,
    };
  }

  const find = async (id: string) => {
    const doc = await assists().findOne({ _id: id });
    if (!doc) throw new AppError('NOT_FOUND', { message: '助力不存在' });
    return doc;
  };

  return {
    /** Starts my assist at this activity, or returns the one I started. */
    async start(customerId: string, activityId: string): Promise<AssistView> {
      const live = await deps.live(customerId, activityId);
      if (live.live.type !== 'assist') throw new AppError('NOT_FOUND');
      const now = clock.now();
      const settings = live.live.settings;
      const doc: AssistDoc = {
        _id: assistIdOf(activityId, customerId),
        activityId,
        starterId: customerId,
        startedAt: now,
        expiresAt: new Date(Math.min(now.getTime() + settings.validHours * HOUR_SECONDS * 1000, live.liveEnd!.getTime())),
        needed: settings.helpersNeeded,
      };
      await insertOnce(assists(), doc);
      return view(customerId, await find(doc._id));
    },
    get: async (customerId: string, id: string) => view(customerId, await find(id)),

    async help(helperId: string, id: string, source: { ip: string | null; deviceId: string | null }): Promise<AssistView> {
      const doc = await find(id);
      if (helperId === doc.starterId) throw new AppError('ASSIST_SELF_HELP');
      const stream = helpsOf(id);
      if (await helps.findByKey(stream, helpKey(id, helperId))) throw new AppError('ASSIST_ALREADY_HELPED');
      if (((await helps.head(stream))?.seq ?? 0) >= doc.needed) throw new AppError('ASSIST_COMPLETED');
      const now = clock.now();
      const activity = await activityOf(doc);
      if (now > doc.expiresAt || activity.withdrawn) throw new AppError('ASSIST_EXPIRED');
      const helper = await deps.customers.findById(helperId);
      if (!helper) throw new AppError('AUTH_TOKEN_INVALID');
      const settings = activity.live.settings;
      // New: joined (agreed to the privacy policy) after the assist started, whenever they first opened the app.
      if (settings.newCustomersOnly && ((await deps.joinedAt(helperId)) ?? helper.createdAt) < doc.startedAt) throw new AppError('ASSIST_NEW_CUSTOMERS_ONLY');
      await deps.rateLimiter.consume(`assist-help:${helperId}`, deps.limits.perHelperPerHour, HOUR_SECONDS);
      if (source.deviceId) await deps.rateLimiter.consume(`assist-device:${source.deviceId}`, deps.limits.perDevicePerHour, HOUR_SECONDS);
      if (source.ip) await deps.rateLimiter.consume(`assist-ip:${source.ip}`, deps.limits.perIpPerHour, HOUR_SECONDS);

      const dailyId = `${doc.activityId}:${helperId}:${bankDay(now)}`;
      if (settings.onePerHelperPerDay && !(await insertOnce(daily(), { _id: dailyId, assistId: id })) && (await daily().findOne({ _id: dailyId }))?.assistId !== id) {
        throw new AppError('ASSIST_DAILY_LIMIT');
      }
      let completed = false;
      try {
        const { entry, duplicate } = await helps.append(
          stream,
          async (head) => {
            const place = (head?.seq ?? 0) + 1;
            if (place > doc.needed) throw new AppError('ASSIST_COMPLETED');
            // Whoever takes the last place promises the settlement before taking it.
            if (place === doc.needed) await deps.payouts.mark(markOf(id), 'assist', { assistId: id });
            return { helperId, ip: source.ip, deviceId: source.deviceId, registeredAt: helper.createdAt };
          },
          { key: helpKey(id, helperId) },
        );
        if (duplicate) throw new AppError('ASSIST_ALREADY_HELPED');
        completed = entry.seq === doc.needed;
      } catch (err) {
        // The help did not count: today's help is not used up by it.
        if (settings.onePerHelperPerDay && err instanceof AppError && err.code === 'ASSIST_COMPLETED') await daily().deleteOne({ _id: dailyId });
        throw err;
      }
      if (completed) {
        deps.faults.hit('after:assist.completed');
        // The help counted whatever settling answers: a failure here is the sweep's to finish.
        await settle(doc).catch((err: unknown) => {
          if (err instanceof SimulatedCrash) throw err;
          deps.logger.warn({ err, assist: id }, 'assist settlement interrupted; the sweep finishes it');
        });
      }
      return view(helperId, doc);
    },

    /** Finishes an assist whose settlement was promised (the sweep): settled if complete; let go once it can no longer complete. */
    async finish(assistId: string): Promise<void> {
      const doc = await assists().findOne({ _id: assistId });
      if (!doc) return deps.payouts.unmark(markOf(assistId));
      if (((await helps.head(helpsOf(assistId)))?.seq ?? 0) >= doc.needed) return settle(doc);
      // The last help's append failed after promising: keep the promise while a help may still come.
      if (clock.now().getTime() > doc.expiresAt.getTime() + PENDING_LEASE_MS) await deps.payouts.unmark(markOf(assistId));
    },

    /** An activity's assists checked against the books: every completed one settled, and paid, held or refused by the budget as settled; in flight only within its lease. */
    async check(activityId: string) {
      const violations: string[] = [];
      const figures = { assists: 0, completed: 0, paid: 0, held: 0, rejected: 0, exhausted: 0, unavailable: 0, pending: 0 };
      const cutoff = clock.now().getTime() - PENDING_LEASE_MS;
      for (const doc of await assists().find({ activityId }).toArray()) {
        figures.assists += 1;
        const helped = (await helps.head(helpsOf(doc._id)))?.seq ?? 0;
        const settlement = await settlements().findOne({ _id: doc._id });
        const mark = await deps.payouts.findMark(markOf(doc._id));
        const late = mark !== null && mark.at.getTime() <= cutoff;
        if (helped > doc.needed) violations.push(`assist ${doc._id}: ${helped} helps counted for ${doc.needed} places`);
        if (helped < doc.needed) {
          if (settlement) violations.push(`assist ${doc._id}: settled with ${helped} of ${doc.needed} helps`);
          continue;
        }
        figures.completed += 1;
        const activity = await activityOf(doc).catch(() => null);
        if (!activity?.live.reward) continue;
        if (!settlement) {
          figures.pending += 1;
          if (!mark || late) violations.push(`assist ${doc._id}: completed and not settled${mark ? ', its settlement overdue' : ', and nothing will settle it'}`);
          continue;
        }
        const state = await rewardState(doc, activity, helped);
        if (state !== 'pending' && state !== 'none') figures[state] += 1;
        else {
          figures.pending += 1;
          const approved = settlement.flags.length > 0;
          if (!mark || late)
            violations.push(
              `assist ${doc._id}: settled ${approved ? 'and approved after review' : 'to be paid'}, but the reward engine has neither paid it nor refused it for the budget${mark ? ' (overdue)' : ''}`,
            );
        }
      }
      return { figures, violations };
    },

    ensureIndexes: async () => {
      await helps.ensureIndexes();
      await assists().createIndex({ activityId: 1 });
    },
  };
}

export type Assists = ReturnType<typeof createAssists>;
