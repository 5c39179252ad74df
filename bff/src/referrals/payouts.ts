import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';
import type { RewardEngine, RewardRequest } from '@/rewards';

/** Where a referral reward stands, from the reward engine's books: paid, refused (the budget ran out; draw chances for a draw that is gone), or neither yet. */
type PayoutState = 'paid' | 'exhausted' | 'unavailable' | 'unpaid';

/** Work promised before it is done: an assist to settle, an invite to reward, an arrival to follow. */
export type PendingMark = { _id: string; kind: 'assist' | 'invite' | 'arrival'; ref: Record<string, string>; at: Date };

/** How long promised work may be in flight before the sweep takes it for one a crash cut short. */
export const PENDING_LEASE_MS = 60_000;

/**
 * How referrals pay through the reward engine, and keep their promises across crashes.
 *
 * An activity whose budget is spent is an outcome for a referral (the assist was completed, the
 * friend did arrive), not an error: the engine's `settle` answers it and writes the refusal down
 * under the reward's key, so what a customer is told comes from the engine's books (`stateOf`),
 * never from the step before the payment.
 *
 * A step that promises a payment inserts a pending mark (keyed: once) before any of its work;
 * the work is keyed throughout, and the mark is deleted when it is done. The sweep finishes
 * marks older than a lease, so a crash between the mark and the payment is paid once.
 */
export function createPayouts(deps: { db: Database; clock: Clock; rewards: RewardEngine }) {
  const marks = () => deps.db.collection<PendingMark>('referral_pending');
  const asPayout = (state: Awaited<ReturnType<RewardEngine['stateOf']>>): PayoutState =>
    state === 'issued' ? 'paid' : state === 'exhausted' || state === 'unavailable' ? state : 'unpaid';

  return {
    /** Pays the reward, or has the engine write down why it could not: both are outcomes. Anything else is thrown (the mark stays, the sweep retries). */
    async pay(request: RewardRequest): Promise<Exclude<PayoutState, 'unpaid'>> {
      const { state } = await deps.rewards.settle(request);
      return state === 'issued' ? 'paid' : state;
    },

    /** Each request's state, in order, from the engine's books. */
    states: (requests: RewardRequest[]): Promise<PayoutState[]> => Promise.all(requests.map(async (r) => asPayout(await deps.rewards.stateOf(r)))),

    /** Promises work before doing it; true if this call made the mark. */
    mark: (id: string, kind: PendingMark['kind'], ref: Record<string, string>) => insertOnce(marks(), { _id: id, kind, ref, at: deps.clock.now() }),
    /** The work is done (or never will be): the promise is kept. */
    unmark: async (id: string) => {
      await marks().deleteOne({ _id: id });
    },
    findMark: (id: string) => marks().findOne({ _id: id }),
    /** Marks past their lease: work a crash (or a failure) left unfinished. A scan of the marks only, which are as many as the promises in flight. */
    due: () =>
      marks()
        .find({ at: { $lte: new Date(deps.clock.now().getTime() - PENDING_LEASE_MS) } })
        .limit(500)
        .toArray(),
    /** Marks of one kind (for an activity's invariant check), in flight or due. */
    ofKind: (kind: PendingMark['kind']) => marks().find({ kind }).limit(5000).toArray(),

    ensureIndexes: async () => {
      await marks().createIndex({ at: 1 });
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;
