import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import { rewardKey, type RewardEngine, type RewardRequest } from '../rewards/engine';

/** Where a referral reward stands, read from the reward engine's books (and its refusals, kept here). */
export type PayoutState = 'paid' | 'exhausted' | 'unpaid';

/** Work promised before it is done: an assist to settle, an invite to reward, an arrival to follow. */
export type PendingMark = { _id: string; kind: 'assist' | 'invite' | 'arrival'; ref: Record<string, string>; at: Date };

/** How long promised work may be in flight before the sweep takes it for one a crash cut short. */
export const PENDING_LEASE_MS = 60_000;

/**
 * How referrals pay through the reward engine, and keep their promises across crashes.
 *
 * An activity whose budget is spent answers the engine's ACTIVITY_BUDGET_EXHAUSTED: for a
 * referral that is an outcome (the assist was completed, the friend did arrive), not an error.
 * It is kept under the reward's own key (an insert: once), so what a customer is told comes
 * from the engine's books (`issuedKeys`: paid) or from its recorded refusal (exhausted),
 * never from the step before the payment.
 *
 * A step that promises a payment inserts a pending mark (keyed: once) before any of its work;
 * the work is keyed throughout, and the mark is deleted when it is done. The sweep finishes
 * marks older than a lease, so a crash between the mark and the payment is paid once.
 */
export function createPayouts(deps: { db: Database; clock: Clock; rewards: RewardEngine }) {
  const outcomes = () => deps.db.collection<{ _id: string; activityId: string; outcome: 'budget_exhausted'; at: Date }>('referral_outcomes');
  const marks = () => deps.db.collection<PendingMark>('referral_pending');

  return {
    /** Pays the reward, or records that the budget could not: both are outcomes. Anything else is thrown (the mark stays, the sweep retries). */
    async pay(request: RewardRequest): Promise<Exclude<PayoutState, 'unpaid'>> {
      try {
        await deps.rewards.issue(request);
        return 'paid';
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'ACTIVITY_BUDGET_EXHAUSTED')) throw err;
        // Paid after all (a retry of one the engine had paid): the books say so.
        if ((await deps.rewards.issuedKeys([request])).size) return 'paid';
        await insertOnce(outcomes(), { _id: rewardKey(request), activityId: request.activityId, outcome: 'budget_exhausted' as const, at: deps.clock.now() });
        return 'exhausted';
      }
    },

    /** Each request's state, in order: paid by the engine's books, refused by its budget, or neither (yet). */
    async states(requests: RewardRequest[]): Promise<PayoutState[]> {
      if (!requests.length) return [];
      const paid = await deps.rewards.issuedKeys(requests);
      return Promise.all(
        requests.map(async (r) => {
          const key = rewardKey(r);
          if (paid.has(key)) return 'paid';
          return (await outcomes().findOne({ _id: key })) ? 'exhausted' : 'unpaid';
        }),
      );
    },

    /** Promises work before doing it; true if this call made the mark. */
    mark: (id: string, kind: PendingMark['kind'], ref: Record<string, string>) => insertOnce(marks(), { _id: id, kind, ref, at: deps.clock.now() }),
    /** The work is done (or never will be): the promise is kept. */
    unmark: async (id: string) => {
      await marks().deleteOne({ _id: id });
    },
    findMark: (id: string) => marks().findOne({ _id: id }),
    /** Marks past their lease: work a crash (or a failure) left unfinished. A scan of the marks only, which are as many as the promises in flight. */
    due: () => marks().find({ at: { $lte: new Date(deps.clock.now().getTime() - PENDING_LEASE_MS) } }).limit(500).toArray(),
    /** Marks of one kind (for an activity's invariant check), in flight or due. */
    ofKind: (kind: PendingMark['kind']) => marks().find({ kind }).limit(5000).toArray(),

    ensureIndexes: async () => {
      await marks().createIndex({ at: 1 });
      await outcomes().createIndex({ activityId: 1 });
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;
