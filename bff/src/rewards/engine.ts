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

/**
 * The one way any feature pays a reward. A reward is identified by
 * (activity, customer, reason, source): that key is the unique key of the entry it takes
 * from the activity's budget stream, so a retried or duplicated request never pays twice,
 * and the budget's running count stops exactly at its maximum, whatever the concurrency
 * and however many BFF processes there are. Fulfilment (points, a grant record, the
 * outbox event) is keyed the same way, so finishing it again after a crash is harmless.
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

const pointsOf = (reward: Reward) => (reward.kind === 'points' ? reward.amount : 0);

export function rewardKey(r: Pick<RewardRequest, 'activityId' | 'customerId' | 'reason' | 'source'>): string {
  return ['reward', r.activityId, r.customerId, r.reason, r.source].join('|');
}

/** How long a reward may be in flight before the sweep takes it for one a crash cut short. */
const PENDING_LEASE_MS = 60_000;

export function createRewardEngine(deps: { db: Database; clock: Clock; points: PointsLedger; outbox: Outbox; faults: Faults }) {
  const budgets = createStreamStore<BudgetData>(deps.db, 'reward_budget', deps.clock);
  const grants = () => deps.db.collection<Grant>('reward_grants');
  const issued = () => deps.db.collection<{ _id: string; at: Date }>('reward_issued');
  const pending = () => deps.db.collection<{ _id: string; activityId: string; at: Date }>('reward_pending');

  async function fulfil(activityId: string, entry: StreamEntry<BudgetData>): Promise<void> {
    const { customerId, reward, description } = entry.data;
    if (reward.kind === 'points') {
      await deps.points.earn(customerId, reward.amount, entry.key, description, { activityId, rewardId: entry.key });
    } else {
      await insertOnce(grants(), { _id: entry.key, activityId, customerId, reward, grantedAt: entry.at });
    }
    // An _id-keyed marker, so "has this customer had this reward?" is a lookup, not a scan.
    await insertOnce(issued(), { _id: entry.key, at: entry.at });
    await deps.outbox.record(EventName.REWARD_ISSUED, entry.key, { activityId, customerId, reason: entry.data.reason, kind: reward.kind, points: pointsOf(reward) });
  }

  return {
    async issue(request: RewardRequest): Promise<RewardOutcome> {
      const key = rewardKey(request);
      await insertOnce(pending(), { _id: key, activityId: request.activityId, at: deps.clock.now() });
      const taken = budgets.append(
        `budget:${request.activityId}`,
        (head) => {
          const issued = head?.data.issued ?? 0;
          const points = (head?.data.points ?? 0) + pointsOf(request.reward);
          if (issued >= request.budget.maxRewards) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
          if (request.budget.maxPoints !== undefined && points > request.budget.maxPoints) throw new AppError('ACTIVITY_BUDGET_EXHAUSTED');
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
        const entry = await budgets.findByKey(`budget:${mark.activityId}`, mark._id);
        if (entry) {
          await fulfil(mark.activityId, entry);
          paid += 1;
        }
        await pending().deleteOne({ _id: mark._id });
      }
      return paid;
    },

    async budgetUsage(activityId: string): Promise<{ issued: number; points: number }> {
      const head = await budgets.head(`budget:${activityId}`);
      return { issued: head?.data.issued ?? 0, points: head?.data.points ?? 0 };
    },

    /** Budget stream contiguous, running counts right, each reward fulfilled exactly once. */
    async check(activityId: string): Promise<string[]> {
      const problems: string[] = [];
      const entries = await budgets.readAll(`budget:${activityId}`);
      let points = 0;
      for (const [i, e] of entries.entries()) {
        points += pointsOf(e.data.reward);
        if (e.seq !== i + 1) problems.push(`budget:${activityId}: sequence gap at ${i + 1}`);
        if (e.data.issued !== i + 1) problems.push(`budget:${activityId}#${e.seq}: issued ${e.data.issued}, expected ${i + 1}`);
        if (e.data.points !== points) problems.push(`budget:${activityId}#${e.seq}: points ${e.data.points}, expected ${points}`);
        const paid = e.data.reward.kind === 'points' ? await deps.points.findByKey(e.data.customerId, e.key) : await grants().findOne({ _id: e.key });
        if (!paid) problems.push(`budget:${activityId}#${e.seq}: reward ${e.key} taken from the budget but not fulfilled`);
      }
      return problems;
    },

    activityIds: async (): Promise<string[]> =>
      (await deps.db.collection('reward_budget').distinct('stream')).map((s: string) => s.slice('budget:'.length)),

    ensureIndexes: async () => {
      await budgets.ensureIndexes();
      await grants().createIndex({ customerId: 1 });
      await pending().createIndex({ at: 1 });
    },
  };
}

export type RewardEngine = ReturnType<typeof createRewardEngine>;
