import { createHash } from 'node:crypto';
import type { ActivityInput } from '../../../shared/contracts/activities';
import type { AssistView } from '../../../shared/contracts/referrals';
import { maskedDisplayName } from '../../../shared/masking';
import type { LiveView } from '../activities/eligibility';
import type { ActivityView } from '../activities/repository';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import type { RateLimiter } from '../platform/rate-limit';
import { createStreamStore } from '../platform/stream';
import { bankDay } from '../platform/time';
import type { RewardEngine, RewardRequest } from '../rewards/engine';
import type { Flag, Holds } from './holds';
import type { Scenes } from './scenes';

type AssistActivity = ActivityView & { live: Extract<ActivityInput, { type: 'assist' }> };
export type AssistDoc = { _id: string; activityId: string; starterId: string; startedAt: Date; expiresAt: Date; needed: number };
type HelpData = { helperId: string; ip: string | null; deviceId: string | null; registeredAt: Date };
type Settlement = { _id: string; flags: Flag[]; at: Date };

/** A help by an account this much younger than the help is "fresh". */
const FRESH_MS = 10 * 60 * 1000;
const HOUR_SECONDS = 3600;

export const assistIdOf = (activityId: string, customerId: string) => createHash('sha256').update(`assist|${activityId}|${customerId}`).digest('hex').slice(0, 24);

/**
 * 助力: a customer starts an assist (one per activity) and shares it; friends who open it help
 * once each. The helps are a stream whose positions are the places: the N-th is taken by
 * exactly one helper however many tap at once, and a help past it is refused. The N-th help
 * settles the assist once (its settlement is an insert): the reward is paid, or held for review
 * when the helps look farmed (fresh accounts, one network or device, the same people helping
 * each other).
 */
export function createAssists(deps: {
  db: Database;
  clock: Clock;
  customers: CustomerRepository;
  live: (customerId: string, id: string) => Promise<LiveView>;
  findView: (id: string) => Promise<ActivityView | null>;
  scenes: Scenes;
  /** When a customer first agreed to the privacy policy (null: not yet). */
  joinedAt: (customerId: string) => Promise<Date | null>;
  /** The assist a customer arrived through, if they arrived through one (attribution). */
  arrivedThrough: (customerId: string) => Promise<string | null>;
  rewards: RewardEngine;
  holds: Holds;
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
    // A friend new to the bank opens the share, registers and helps; an account made minutes
    // before helping that did not come through this assist's share was made to help.
    const fresh = await Promise.all(entries.map(async (e) => e.at.getTime() - e.data.registeredAt.getTime() < FRESH_MS && (await deps.arrivedThrough(e.data.helperId)) !== doc._id));
    if (fresh.filter(Boolean).length >= Math.max(2, Math.ceil(entries.length / 2))) flags.push('fresh_accounts');
    const most = (values: (string | null)[]) => Math.max(0, ...[...values.reduce((m, v) => (v ? m.set(v, (m.get(v) ?? 0) + 1) : m), new Map<string, number>()).values()]);
    if (most(entries.map((e) => e.data.ip)) >= Math.max(3, Math.ceil(entries.length / 2))) flags.push('shared_ip');
    if (most(entries.map((e) => e.data.deviceId)) >= 2) flags.push('shared_device');
    // A ring: the starter helped the assist of someone who helps them back.
    for (const e of entries) {
      if (await helps.findByKey(helpsOf(assistIdOf(doc.activityId, e.data.helperId)), helpKey(assistIdOf(doc.activityId, e.data.helperId), doc.starterId))) {
        flags.push('mutual_help');
        break;
      }
    }
    return flags;
  }

  /** Pays the reward of a completed assist, or holds it: decided once, then done again safely after a crash. */
  async function settle(doc: AssistDoc): Promise<void> {
    const activity = await activityOf(doc);
    if (!activity.live.reward) return;
    let settlement: Settlement = { _id: doc._id, flags: await flagsOf(doc), at: clock.now() };
    if (!(await insertOnce(settlements(), settlement))) settlement = (await settlements().findOne({ _id: doc._id }))!;
    const request = requestOf(doc, activity);
    if (settlement.flags.length) await deps.holds.hold(`assist:${doc._id}`, { kind: 'assist', activityId: doc.activityId, customerId: doc.starterId, flags: settlement.flags, rewardRequest: request });
    else await deps.rewards.issue(request);
  }

  async function rewardState(doc: AssistDoc): Promise<AssistView['rewardState']> {
    const settlement = await settlements().findOne({ _id: doc._id });
    if (!settlement) return 'none';
    if (!settlement.flags.length) return 'paid';
    const status = await deps.holds.status(`assist:${doc._id}`);
    return status === 'approved' ? 'paid' : status === 'rejected' ? 'rejected' : 'held';
  }

  async function view(customerId: string, doc: AssistDoc): Promise<AssistView> {
    const activity = await activityOf(doc);
    const entries = await helps.readAll(helpsOf(doc._id));
    const helped = entries.length;
    // Completed but not settled: a crash after the last help. Reading it finishes the settlement.
    if (helped >= doc.needed && !(await settlements().findOne({ _id: doc._id }))) await settle(doc);
    const mine = customerId === doc.starterId;
    const helpers = mine ? await Promise.all(entries.map(async (e) => ({ name: maskedDisplayName((await deps.customers.findById(e.data.helperId)) ?? { name: null, nickname: null, phone: null }), at: e.at.toISOString() }))) : [];
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
      helpedByMe: entries.some((e) => e.data.helperId === customerId),
      reward: activity.live.reward ?? null,
      rewardState: await rewardState(doc),
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
      const doc: AssistDoc = { _id: assistIdOf(activityId, customerId), activityId, starterId: customerId, startedAt: now, expiresAt: new Date(Math.min(now.getTime() + settings.validHours * HOUR_SECONDS * 1000, live.liveEnd!.getTime())), needed: settings.helpersNeeded };
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
      try {
        const { entry, duplicate } = await helps.append(
          stream,
          (head) => {
            if ((head?.seq ?? 0) >= doc.needed) throw new AppError('ASSIST_COMPLETED');
            return { helperId, ip: source.ip, deviceId: source.deviceId, registeredAt: helper.createdAt };
          },
          { key: helpKey(id, helperId) },
        );
        if (duplicate) throw new AppError('ASSIST_ALREADY_HELPED');
        if (entry.seq === doc.needed) await settle(doc);
      } catch (err) {
        // The help did not count: today's help is not used up by it.
        if (settings.onePerHelperPerDay && err instanceof AppError && err.code === 'ASSIST_COMPLETED') await daily().deleteOne({ _id: dailyId });
        throw err;
      }
      return view(helperId, doc);
    },

    ensureIndexes: () => helps.ensureIndexes(),
  };
}

export type Assists = ReturnType<typeof createAssists>;
