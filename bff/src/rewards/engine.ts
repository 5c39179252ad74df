import { createHash } from 'node:crypto';
import type { Reward } from '../../../shared/contracts/activities';
import { EventName } from '../../../shared/events';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import type { Faults } from '../platform/faults';
import type { Outbox } from '../platform/outbox';
import { createStreamStore, type StreamEntry } from '../platform/stream';
import type { PointsLedger } from '../points/ledger';
import { insertOnce } from '../platform/keyed';
import type { MyPrizePage } from '../../../shared/contracts/rewards';
import { endOfBankDay } from '../platform/time';
import { createStreamAudit } from '../platform/stream-audit';

/**
 * The one way any feature pays a reward. A reward is identified by
 * (activity, customer, reason, source): that key is the unique key of the entry it takes
 * from the activity's budget stream, so a retried or duplicated request never pays twice,
 * and the budget's running count stops exactly at its maximum, whatever the concurrency
 * and however many BFF processes there are. Fulfilment (points, a grant record, the
 * outbox event) is keyed the same way, so finishing it again after a crash is harmless.
 *
 * A hot activity's budget may be split over sub-streams (`budget:<activity>~k`), each holding
 * its share of the maximum: a reward goes to the one its key hashes to and, when that share is
 * spent, to the others in turn; "exhausted" is answered only after every share refused. How
 * many an activity has is fixed by its first reward (an insert under its id: first one wins).
 *
 * A reward in flight carries a pending marker (`_id` = its key) from before it is taken until
 * it is paid: the recovery sweep reads those markers only, so its cost follows the rewards a
 * crash cut short, not every reward ever paid.
 */
export type RewardRequest = {
  activityId: string;
  customerId: string;
  reason: string;
  source: string;
  reward: Reward;
  budget: { maxRewards: number; maxPoints?: number };
  description: string;
};

type BudgetData = { customerId: string; reason: string; source: string; reward: Reward; description: string; issued: number; points: number };
type Grant = { _id: string; activityId: string; customerId: string; reward: Reward; grantedAt: Date };

export type RewardOutcome = { rewardId: string; duplicate: boolean };

const DAY_MS = 24 * 60 * 60 * 1000;
const pointsOf = (reward: Reward) => (reward.kind === 'points' ? reward.amount : 0);

export function rewardKey(r: Pick<RewardRequest, 'activityId' | 'customerId' | 'reason' | 'source'>): string {
  return ['reward', r.activityId, r.customerId, r.reason, r.source].join('|');
}

/** How long a reward may be in flight before the sweep takes it for one a crash cut short. */
const PENDING_LEASE_MS = 60_000;

const hashOf = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0);
/** Share `k` of `total` split `n` ways: the remainder goes to the first shares. */
const shareOf = (total: number, n: number, k: number) => Math.floor(total / n) + (k < total % n ? 1 : 0);

export function createRewardEngine(deps: {
  db: Database;
  clock: Clock;
  points: PointsLedger;
  outbox: Outbox;
  faults: Faults;
  budgetShards?: number;
  /** Credits draw chances a reward pays to the draw it names (keyed by the reward: once). */
  grantChances?: (grant: { drawCode: string; customerId: string; count: number; rewardId: string }) => Promise<void>;
}) {
  const budgets = createStreamStore<BudgetData>(deps.db, 'reward_budget', deps.clock, { audited: true });
  // Each customer's non-point rewards, newest last, so 我的奖品 reads by position, not by scan.
  const prizes = createStreamStore<{ rewardId: string; reward: Exclude<Reward, { kind: 'points' }>; description: string }>(deps.db, 'reward_customer_prizes', deps.clock);
  const plans = () => deps.db.collection<{ _id: string; shards: number }>('reward_budget_plans');
  // Fixed once written, so remembering it is safe (unlike a head).
  const shardCounts = new Map<string, number>();
  const streamOf = (activityId: string, k: number) => (k === 0 ? `budget:${activityId}` : `budget:${activityId}~${k}`);

  /** How many shares the activity's budget has: this engine's default for a new one, whatever was first written for an old one. */
  async function shardsOf(activityId: string, create: boolean): Promise<number> {
    const known = shardCounts.get(activityId);
    if (known) return known;
    let plan = await plans().findOne({ _id: activityId });
    if (!plan && create) {
      // A budget already drawn on before plans existed stays one stream: its count is in it.
      const drawn = (await budgets.head(streamOf(activityId, 0))) !== null;
      await insertOnce(plans(), { _id: activityId, shards: drawn ? 1 : Math.max(1, deps.budgetShards ?? 1) });
      plan = await plans().findOne({ _id: activityId });
    }
    if (!plan) return 1;
    shardCounts.set(activityId, plan.shards);
    return plan.shards;
  }
  const streamsOf = async (activityId: string) => Array.from({ length: await shardsOf(activityId, false) }, (_, k) => streamOf(activityId, k));

  /** The budget entry with this key in any of the activity's shares; reading their heads indexes any a crash left unindexed. */
  async function located(activityId: string, key: string): Promise<StreamEntry<BudgetData> | null> {
    const found = await budgets.locate(key);
    if (found) return found;
    for (const stream of await streamsOf(activityId)) await budgets.head(stream);
    return budgets.locate(key);
  }
  const grants = () => deps.db.collection<Grant>('reward_grants');
  const issued = () => deps.db.collection<{ _id: string; at: Date }>('reward_issued');
  const pending = () => deps.db.collection<{ _id: string; activityId: string; at: Date }>('reward_pending');
  // A share's entry counts one more reward than the one before it, and is paid; one still in
  // flight (its pending marker is there) is judged once it has settled.
  const audit = createStreamAudit(deps.db, 'reward_budget', budgets, deps.clock, async (e, previous) => {
    const problems: string[] = [];
    const points = (previous?.data.points ?? 0) + pointsOf(e.data.reward);
    if (e.data.issued !== (previous?.data.issued ?? 0) + 1) problems.push(`issued ${e.data.issued}, expected ${(previous?.data.issued ?? 0) + 1}`);
    if (e.data.points !== points) problems.push(`points ${e.data.points}, expected ${points}`);
    const paid = e.data.reward.kind === 'points' ? await deps.points.findByKey(e.data.customerId, e.key) : await grants().findOne({ _id: e.key });
    if (paid) return problems;
    const unpaid = `reward ${e.key} taken from the budget but not fulfilled`;
    const inFlight = problems.length === 0 && (await pending().findOne({ _id: e.key })) !== null;
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
    // An _id-keyed marker, so "has this customer had this reward?" is a lookup, not a scan.
    await insertOnce(issued(), { _id: entry.key, at: entry.at });
    await deps.outbox.record(EventName.REWARD_ISSUED, entry.key, { activityId, customerId, reason: entry.data.reason, kind: reward.kind, points: pointsOf(reward) });
  }

  /** Takes one reward from the activity's budget: from the share its key hashes to, else from the others in turn. */
  async function take(request: RewardRequest, key: string) {
    const n = await shardsOf(request.activityId, true);
    if (n > 1) {
      // Taken already (a retry): wherever it went, it stands.
      const held = await budgets.locate(key);
      if (held) return { entry: held, duplicate: true };
    }
    // Split, the budget is a number of rewards: an activity's reward is fixed once it starts, so
    // a points cap is that many rewards. Splitting points separately would strand the remainder
    // of each share, refusing rewards the budget still holds.
    const each = pointsOf(request.reward);
    const rewards = request.budget.maxPoints !== undefined && each > 0 ? Math.min(request.budget.maxRewards, Math.floor(request.budget.maxPoints / each)) : request.budget.maxRewards;
    const start = hashOf(key) % n;
    for (let i = 0; ; i++) {
      const k = (start + i) % n;
      const maxRewards = n === 1 ? request.budget.maxRewards : shareOf(rewards, n, k);
      const maxPoints = n === 1 ? request.budget.maxPoints : undefined;
      try {
        return await budgets.append(
          streamOf(request.activityId, k),
          (head) => {
            const issued = head?.data.issued ?? 0;
            const points = (head?.data.points ?? 0) + pointsOf(request.reward);
            if (issued >= maxRewards) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
            if (maxPoints !== undefined && points > maxPoints) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
            return {
              customerId: request.customerId,
              reason: request.reason,
              source: request.source,
              reward: request.reward,
              description: request.description,
              issued: issued + 1,
              points,
            };
          },
          { key },
        );
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'ACTIVITY_BUDGET_EXHAUSTED') || i === n - 1) throw err;
      }
    }
  }

  return {
    async issue(request: RewardRequest): Promise<RewardOutcome> {
      const key = rewardKey(request);
      await insertOnce(pending(), { _id: key, activityId: request.activityId, at: deps.clock.now() });
      const taken = take(request, key);
      // Refused (the budget is spent): nothing was taken, so nothing is left to recover.
      const { entry, duplicate } = await taken.catch(async (err: unknown) => {
        await pending().deleteOne({ _id: key });
        throw err;
      });
      deps.faults.hit('after:rewards.taken');
      await fulfil(request.activityId, entry);
      await pending().deleteOne({ _id: key });
      return { rewardId: key, duplicate };
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
      const marks = await pending().find({ at: { $lte: cutoff } }).limit(500).toArray();
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
      const heads = await Promise.all((await streamsOf(activityId)).map((s) => budgets.head(s)));
      return heads.reduce((sum, h) => ({ issued: sum.issued + (h?.data.issued ?? 0), points: sum.points + (h?.data.points ?? 0) }), { issued: 0, points: 0 });
    },

    /** Each share's stream contiguous, its running counts right, and every reward taken from it fulfilled (its key is unique, so taken once). */
    async check(activityId: string): Promise<string[]> {
      const problems: string[] = [];
      for (const stream of await streamsOf(activityId)) problems.push(...(await audit.check(stream)));
      return problems;
    },
    /** The incremental check of every budget share changed since its last check, and what it has found. */
    audit,

    ensureIndexes: async () => {
      await budgets.ensureIndexes();
      await prizes.ensureIndexes();
      await grants().createIndex({ customerId: 1 });
      await pending().createIndex({ at: 1 });
    },
  };
}

export type RewardEngine = ReturnType<typeof createRewardEngine>;
