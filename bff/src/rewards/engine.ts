import type { Reward } from '@shared/contracts/activities';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { Outbox } from '@/platform/outbox';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import type { PointsAccounts } from '@/platform/directory';
import { alongside } from '@/platform/alongside';
import { insertOnce } from '@/platform/keyed';
import type { MyPrizePage } from '@shared/contracts/rewards';
import { endOfBankDay } from '@/platform/time';
import { createStreamAudit } from '@/platform/stream-audit';
import { createShardedStreams } from '@/kernel/sharded-stream';

/**
 * The one way any feature pays a reward. A reward is identified by
 * (activity, customer, reason, source): that key is the unique key of the entry it takes
 * from the activity's budget stream, so a retried or duplicated request never pays twice,
 * and the budget's running count stops exactly at its maximum, whatever the concurrency
 * and however many BFF processes there are. Fulfilment (points, a grant record, the
 * outbox event) is keyed the same way, so finishing it again after a crash is harmless.
 *
 * A hot activity's budget may be split over sub-streams (`budget:<activity>~k`, kernel/sharded-stream), each holding
 * its share of the maximum: a reward goes to the one its key hashes to and, when that share is
 * spent, to the others in turn; "exhausted" is answered only after every share refused. How
 * many an activity has is fixed by its first reward (an insert under its id: first one wins).
 *
 * A reward in flight carries a pending marker (`_id` = its key) from before it is taken until
 * it is paid: the recovery sweep reads those markers only, so its cost follows the rewards a
 * crash cut short, not every reward ever paid.
 *
 * A reward may also be reserved (`reserve`): taken from the budget in the same decision as
 * something else (a draw's prize unit), paid later by `issue` under the same key, or given back
 * (`release`) if that decision went the other way. The one who reserved it finishes it; the
 * engine's sweep does not. A refusal (budget spent, or a reward that cannot be paid) is written
 * down under the reward's key too, so `stateOf` answers from the books what came of a request.
 */
export type RewardRequest = {
  activityId: string;
  customerId: string;
  reason: string;
  source: string;
  reward: Reward;
  budget: { maxRewards: number; maxPoints?: number };
  description: string;
  /**
   * Whether the budget may be split over sub-streams (REWARD_BUDGET_SHARDS). False for an
   * activity whose rewards differ in size (a draw's points prizes): shares sized from one
   * reward's amount would refuse another that the whole budget holds, so such a budget is one
   * stream (a new one; one already split keeps its shares, each holding its part of both caps).
   */
  split?: boolean;
};

type BudgetData = {
  customerId: string;
  reason: string;
  source: string;
  reward: Reward;
  description: string;
  issued: number;
  points: number;
  /** A reward taken (the default), or one reserved and then given back (`release`, keyed `release|<key>`). */
  op?: 'take' | 'release';
};
type Grant = { _id: string; activityId: string; customerId: string; reward: Reward; grantedAt: Date };

type RewardOutcome = { rewardId: string; duplicate: boolean };
/**
 * A reward as the engine's books tell it: paid; being paid; refused because the budget was spent;
 * refused because it could not be paid at all (draw chances for a draw that is gone); or none yet.
 */
export type RewardState = 'issued' | 'pending' | 'exhausted' | 'unavailable' | 'none';
/** What one request came to: an empty budget is an outcome, not an error. */
type RewardSettlement = { rewardId: string; state: 'issued' | 'exhausted' | 'unavailable'; duplicate: boolean };
/** A check of an activity's books that another capability adds to `check` (a quiz's passes and submissions). */
type ActivityCheck = (activityId: string) => Promise<string[]>;

const DAY_MS = 24 * 60 * 60 * 1000;
const pointsOf = (reward: Reward) => (reward.kind === 'points' ? reward.amount : 0);

export function rewardKey(r: Pick<RewardRequest, 'activityId' | 'customerId' | 'reason' | 'source'>): string {
  return ['reward', r.activityId, r.customerId, r.reason, r.source].join('|');
}

/** How long a reward may be in flight before the sweep takes it for one a crash cut short. */
const PENDING_LEASE_MS = 60_000;

/** Share `k` of `total` split `n` ways: the remainder goes to the first shares. */
const shareOf = (total: number, n: number, k: number) => Math.floor(total / n) + (k < total % n ? 1 : 0);

export function createRewardEngine(deps: {
  db: Database;
  clock: Clock;
  points: PointsAccounts;
  outbox: Outbox;
  faults: Faults;
  budgetShards?: number;
  /** Credits draw chances a reward pays to the draw it names (keyed by the reward: once). */
  grantChances?: (grant: { drawCode: string; customerId: string; count: number; rewardId: string }) => Promise<void>;
  /** Whether draw chances for this draw can be paid now: it exists, is approved, not withdrawn and not ended. */
  chanceTarget?: (drawCode: string) => Promise<boolean>;
  /** Why the chances a reward paid are not in the draw it names (null: they are): for the books. */
  chancesMissing?: (grant: { drawCode: string; customerId: string; rewardId: string }) => Promise<string | null>;
}) {
  const budgets = createStreamStore<BudgetData>(deps.db, 'reward_budget', deps.clock, { audited: true });
  // Each customer's non-point rewards, newest last, so 我的奖品 reads by position, not by scan.
  const prizes = createStreamStore<{ rewardId: string; reward: Exclude<Reward, { kind: 'points' }>; description: string }>(deps.db, 'reward_customer_prizes', deps.clock);
  const plans = () => deps.db.collection<{ _id: string; shards: number }>('reward_budget_plans');
  const shares = createShardedStreams(budgets, { prefix: 'budget', storedCount: async (activityId) => (await plans().findOne({ _id: activityId }))?.shards ?? null });
  const { streamsOf } = shares;
  /** Writes how many shares a new budget has (first one wins): this engine's default, or one if it may not be split. */
  async function plan(activityId: string, split: boolean): Promise<void> {
    await insertOnce(plans(), { _id: activityId, shards: split ? Math.max(1, deps.budgetShards ?? 1) : 1 });
  }

  /** The budget entry with this key in any of the activity's shares. */
  const located = async (activityId: string, key: string) => shares.locate(await streamsOf(activityId), key);
  const grants = () => deps.db.collection<Grant>('reward_grants');
  const issued = () => deps.db.collection<{ _id: string; at: Date }>('reward_issued');
  const pending = () => deps.db.collection<{ _id: string; activityId: string; at: Date }>('reward_pending');
  // Rewards reserved by a decision still being carried out (a draw): its own sweep finishes them.
  const reserved = () => deps.db.collection<{ _id: string; activityId: string; at: Date }>('reward_reserved');
  // What came of a request that was refused: the budget was spent, or the reward could not be paid.
  const refused = () => deps.db.collection<{ _id: string; activityId: string; state: 'exhausted' | 'unavailable'; at: Date }>('reward_refused');
  const releaseKey = (key: string) => `release|${key}`;
  // Budget entries this process took for a reservation, by key, until paid: an entry never changes once written, so paying it
  // need not look it up again (a hint: without it, the key is looked up).
  const reservedHere = new Map<string, StreamEntry<BudgetData>>();
  const RESERVED_HINTS = 10_000;
  const isPaid = async (e: StreamEntry<BudgetData>) =>
    (e.data.reward.kind === 'points' ? await deps.points.findByKey(e.data.customerId, e.key) : await grants().findOne({ _id: e.key })) !== null;
  const extraChecks: ActivityCheck[] = [];

  // A share's entry counts one more reward than the one before it (one fewer for a release), and
  // is paid or given back; one still in flight (its pending or reservation marker is there) is
  // judged once it has settled. Chances a reward paid must be in the draw it names.
  const audit = createStreamAudit(deps.db, 'reward_budget', budgets, deps.clock, async (e, previous) => {
    const problems: string[] = [];
    const back = e.data.op === 'release';
    const points = (previous?.data.points ?? 0) + (back ? -1 : 1) * pointsOf(e.data.reward);
    const count = (previous?.data.issued ?? 0) + (back ? -1 : 1);
    if (e.data.issued !== count) problems.push(`issued ${e.data.issued}, expected ${count}`);
    if (e.data.points !== points) problems.push(`points ${e.data.points}, expected ${points}`);
    if (back) {
      const taken = await budgets.locate(e.key.slice('release|'.length));
      if (!taken) problems.push(`${e.key}: gives back a reward never taken`);
      else if (await isPaid(taken)) problems.push(`${e.key}: gives back a reward already paid`);
      return problems;
    }
    if (await isPaid(e)) {
      const r = e.data.reward;
      if (r.kind === 'draw_chance') {
        const missing = r.drawCode ? await deps.chancesMissing?.({ drawCode: r.drawCode, customerId: e.data.customerId, rewardId: e.key }) : 'no draw named';
        if (missing) problems.push(`reward ${e.key}: ${r.count} draw chances for ${r.drawCode ?? '(none)'} not credited (${missing})`);
      }
      return problems;
    }
    if (await budgets.locate(releaseKey(e.key))) return problems; // reserved, then given back
    const unpaid = `reward ${e.key} taken from the budget but not fulfilled`;
    const inFlight = problems.length === 0 && ((await pending().findOne({ _id: e.key })) !== null || (await reserved().findOne({ _id: e.key })) !== null);
    return inFlight ? { unsettled: `${unpaid} (in flight)` } : [...problems, unpaid];
  });

  async function fulfil(activityId: string, entry: StreamEntry<BudgetData>): Promise<void> {
    const { customerId, reward, description } = entry.data;
    if (reward.kind === 'points') {
      await deps.points.earn(customerId, reward.amount, entry.key, description, { activityId, rewardId: entry.key });
    } else {
      await insertOnce(grants(), { _id: entry.key, activityId, customerId, reward, grantedAt: entry.at });
      if (reward.kind === 'draw_chance' && reward.drawCode) await deps.grantChances?.({ drawCode: reward.drawCode, customerId, count: reward.count, rewardId: entry.key });
      await prizes.append(`prizes:${customerId}`, () => ({ rewardId: entry.key, reward, description }), { key: `prize:${entry.key}` });
    }
    // An _id-keyed marker, so "has this customer had this reward?" is a lookup, not a scan; and
    // the event, keyed as well: written together, a crash between leaves both to the sweep.
    await Promise.all([
      insertOnce(issued(), { _id: entry.key, at: entry.at }),
      deps.outbox.record(EventName.REWARD_ISSUED, entry.key, { activityId, customerId, reason: entry.data.reason, kind: reward.kind, points: pointsOf(reward) }),
    ]);
  }

  const exhausted = (err: unknown) => err instanceof AppError && err.code === 'ACTIVITY_BUDGET_EXHAUSTED';

  /** Takes one reward from the activity's budget: from the share its key hashes to, else from the others in turn. */
  async function take(request: RewardRequest, key: string, kept = false) {
    // Reserved and given back: that reward is over, and is never paid.
    const notReleased = (held: StreamEntry<BudgetData> | null, released: StreamEntry<BudgetData> | null) => {
      if (held && released) throw new Error(`reward ${key} was given back; it cannot be paid`);
      return held;
    };
    const mine = reservedHere.get(key);
    if (mine) return { entry: kept ? mine : notReleased(mine, await budgets.locate(releaseKey(key)))!, duplicate: true };
    const varied = request.split === false;
    const streams = await streamsOf(request.activityId, () => plan(request.activityId, !varied));
    const n = streams.length;
    const found = async () => notReleased(...(await Promise.all([budgets.locate(key), budgets.locate(releaseKey(key))])));
    if (n > 1) {
      // Taken already (a retry): wherever it went, it stands.
      const held = await found();
      if (held) return { entry: held, duplicate: true };
    }
    // Split, the budget is a number of rewards: an activity's reward is fixed once it starts, so
    // a points cap is that many rewards. Splitting points separately would strand the remainder
    // of each share, refusing rewards the budget still holds. Rewards of different sizes (an old
    // draw budget already split) share both caps instead, each share holding its part of each.
    const each = pointsOf(request.reward);
    const { maxPoints: points } = request.budget;
    const rewards = !varied && points !== undefined && each > 0 ? Math.min(request.budget.maxRewards, Math.floor(points / each)) : request.budget.maxRewards;
    return shares.spread(
      streams,
      key,
      async (stream, k) => {
        const maxRewards = n === 1 ? request.budget.maxRewards : shareOf(rewards, n, k);
        const maxPoints = n === 1 ? points : varied && points !== undefined ? shareOf(points, n, k) : undefined;
        const taken = await budgets.append(
          stream,
          (head) => {
            const issued = head?.data.issued ?? 0;
            const total = (head?.data.points ?? 0) + pointsOf(request.reward);
            if (issued >= maxRewards) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
            if (maxPoints !== undefined && total > maxPoints) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
            return {
              customerId: request.customerId,
              reason: request.reason,
              source: request.source,
              reward: request.reward,
              description: request.description,
              issued: issued + 1,
              points: total,
            };
          },
          { key },
        );
        if (taken.duplicate) notReleased(taken.entry, await budgets.locate(releaseKey(key)));
        return taken;
      },
      exhausted,
    );
  }

  /** Whether this reward can be paid: draw chances need a draw that is there to take them (unless taken already, then they are paid). */
  async function payable(request: RewardRequest, key: string): Promise<boolean> {
    const r = request.reward;
    if (r.kind !== 'draw_chance') return true;
    if (await budgets.locate(key)) return true;
    return r.drawCode !== undefined && ((await deps.chanceTarget?.(r.drawCode)) ?? true);
  }

  async function refuse(request: RewardRequest, key: string, state: 'exhausted' | 'unavailable'): Promise<RewardSettlement> {
    await insertOnce(refused(), { _id: key, activityId: request.activityId, state, at: deps.clock.now() });
    return { rewardId: key, state, duplicate: false };
  }

  /**
   * Takes the reward from the budget and pays it, or tells why it was not. `kept`: the caller's
   * own keyed record shows a reservation of it was kept, never given back (a draw's decision
   * names the prize), so one this process took needs no look for a release.
   */
  async function settle(request: RewardRequest, { kept = false }: { kept?: boolean } = {}): Promise<RewardSettlement> {
    const key = rewardKey(request);
    if (!(await payable(request, key))) return refuse(request, key, 'unavailable');
    // A reward this process reserved has its reservation marker: the decision's sweep finishes it, no second marker needed.
    const marked = !reservedHere.has(key);
    if (marked) await insertOnce(pending(), { _id: key, activityId: request.activityId, at: deps.clock.now() });
    let taken: Awaited<ReturnType<typeof take>>;
    try {
      taken = await take(request, key, kept);
    } catch (err) {
      // Refused (the budget is spent): nothing was taken, so nothing is left to recover.
      await pending().deleteOne({ _id: key });
      if (exhausted(err)) return refuse(request, key, 'exhausted');
      throw err;
    }
    deps.faults.hit('after:rewards.taken');
    await fulfil(request.activityId, taken.entry);
    reservedHere.delete(key);
    // Done with before a request answers, beside whatever it does next.
    await alongside(Promise.all([marked ? pending().deleteOne({ _id: key }) : null, reserved().deleteOne({ _id: key })]));
    return { rewardId: key, state: 'issued', duplicate: taken.duplicate };
  }

  return {
    /** Pays the reward once, within its budget; refuses with ACTIVITY_BUDGET_EXHAUSTED (or ACTIVITY_NOT_LIVE for chances of a draw that is gone). */
    async issue(request: RewardRequest, options: { kept?: boolean } = {}): Promise<RewardOutcome> {
      const outcome = await settle(request, options);
      if (outcome.state === 'exhausted') throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
      if (outcome.state === 'unavailable') throw new AppError('ACTIVITY_NOT_LIVE', { message: '奖励对应的抽奖活动不存在或已结束' });
      return { rewardId: outcome.rewardId, duplicate: outcome.duplicate };
    },

    /** Pays the reward once, within its budget, and says what came of it: an empty budget is an outcome (`exhausted`), not an error. */
    settle,

    /** Reads a customer's points account beside other work, ahead of a reward that may pay into it (see PointsAccounts.prefetch). */
    prefetch: (customerId: string) => deps.points.prefetch(customerId),

    /**
     * Takes the reward from the budget without paying it yet, in the same decision as something
     * else (`other`: a draw's prize unit, being taken): true when both were taken (now or before),
     * false when either was refused; the budget is touched only once the other half is taken.
     * `issue` with the same request pays it; `release` gives it back.
     */
    async reserve(request: RewardRequest, other: Promise<boolean> = Promise.resolve(true)): Promise<boolean> {
      const key = rewardKey(request);
      // The marker only has to be in before the budget is touched: it is written while the other half is taken.
      const [marked, otherTaken] = await Promise.allSettled([insertOnce(reserved(), { _id: key, activityId: request.activityId, at: deps.clock.now() }), other]);
      if (marked.status === 'rejected' || otherTaken.status === 'rejected' || !otherTaken.value) {
        if (marked.status === 'fulfilled' && marked.value) await reserved().deleteOne({ _id: key }); // ours, not another run's
        if (marked.status === 'rejected') throw marked.reason;
        if (otherTaken.status === 'rejected') throw otherTaken.reason;
        return false;
      }
      try {
        const { entry } = await take(request, key);
        if (reservedHere.size >= RESERVED_HINTS) reservedHere.delete(reservedHere.keys().next().value as string);
        reservedHere.set(key, entry);
        return true;
      } catch (err) {
        if (!exhausted(err)) throw err;
        await reserved().deleteOne({ _id: key });
        return false;
      }
    },

    /** Gives back a reserved reward that was not kept, once; nothing if it was never taken. A paid one is never given back. */
    async release(request: RewardRequest): Promise<void> {
      const key = rewardKey(request);
      const entry = await located(request.activityId, key);
      if (entry) {
        if ((await issued().findOne({ _id: key })) || (await isPaid(entry))) throw new Error(`reward ${key} is paid; it cannot be given back`);
        await budgets.append(
          entry.stream,
          (head) => ({ ...entry.data, op: 'release', issued: (head?.data.issued ?? 1) - 1, points: (head?.data.points ?? 0) - pointsOf(entry.data.reward) }),
          { key: releaseKey(key) },
        );
      }
      reservedHere.delete(key);
      await reserved().deleteOne({ _id: key });
    },

    /** What came of a reward request, from the engine's books. */
    async stateOf(request: Pick<RewardRequest, 'activityId' | 'customerId' | 'reason' | 'source'>): Promise<RewardState> {
      const key = rewardKey(request);
      const [paid, inFlight, held, no] = await Promise.all([issued(), pending(), reserved(), refused()].map((c) => c.findOne({ _id: key })));
      if (paid) return 'issued';
      if (inFlight || held) return 'pending';
      return (no as { state: 'exhausted' | 'unavailable' } | null)?.state ?? 'none';
    },

    /** Which of these rewards were already paid out. */
    async issuedKeys(requests: Pick<RewardRequest, 'activityId' | 'customerId' | 'reason' | 'source'>[]): Promise<Set<string>> {
      const keys = requests.map(rewardKey);
      const found = await Promise.all(keys.map((key) => issued().findOne({ _id: key })));
      return new Set(keys.filter((_, i) => found[i] !== null));
    },

    /**
     * Completes rewards a crash left in flight past their lease: paid if they were taken from
     * the budget, forgotten if they never were. Reads only the pending markers.
     */
    async recover(): Promise<number> {
      const cutoff = new Date(deps.clock.now().getTime() - PENDING_LEASE_MS);
      const marks = await pending()
        .find({ at: { $lte: cutoff } })
        .limit(500)
        .toArray();
      let paid = 0;
      for (const mark of marks) {
        const entry = await located(mark.activityId, mark._id);
        if (entry) {
          await fulfil(mark.activityId, entry);
          paid += 1;
        }
        await pending().deleteOne({ _id: mark._id });
      }
      return paid;
    },

    /** 我的奖品: the customer's coupons and gifts, newest first. */
    async prizesOf(customerId: string, before: number | undefined, limit: number): Promise<MyPrizePage> {
      const entries = await prizes.list(`prizes:${customerId}`, { beforeSeq: before, limit });
      const last = entries[entries.length - 1];
      return {
        items: entries.map((e) => {
          const r = e.data.reward;
          return {
            id: e.data.rewardId,
            kind: r.kind,
            name: r.kind === 'draw_chance' ? `${r.count} 次抽奖机会` : r.name,
            description: e.data.description,
            grantedAt: e.at.toISOString(),
            validUntil: r.kind === 'coupon' ? endOfBankDay(new Date(e.at.getTime() + (r.validDays - 1) * DAY_MS)).toISOString() : null,
          };
        }),
        nextBefore: last && last.seq > 1 ? last.seq : null,
      };
    },

    async budgetUsage(activityId: string): Promise<{ issued: number; points: number }> {
      const heads = await shares.heads(activityId);
      return heads.reduce((sum, h) => ({ issued: sum.issued + (h?.data.issued ?? 0), points: sum.points + (h?.data.points ?? 0) }), { issued: 0, points: 0 });
    },

    /**
     * Each share's stream contiguous, its running counts right, and every reward taken from it
     * fulfilled (its key is unique, so taken once) or given back; then the checks other
     * capabilities added for what their activities promise (`addCheck`).
     */
    async check(activityId: string): Promise<string[]> {
      const problems: string[] = [];
      for (const stream of await streamsOf(activityId)) problems.push(...(await audit.check(stream)));
      for (const more of extraChecks) problems.push(...(await more(activityId)));
      return problems;
    },
    /** Adds a check of an activity's books to `check` (and so to `/admin/invariants?activityId=`). */
    addCheck(check: ActivityCheck): void {
      extraChecks.push(check);
    },
    /** The incremental check of every budget share changed since its last check, and what it has found. */
    audit,

    ensureIndexes: async () => {
      await budgets.ensureIndexes();
      await prizes.ensureIndexes();
      await grants().createIndex({ customerId: 1 });
      await pending().createIndex({ at: 1 });
      await reserved().createIndex({ at: 1 });
    },
  };
}

export type RewardEngine = ReturnType<typeof createRewardEngine>;
