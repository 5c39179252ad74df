import type { FollowUpInput } from '@shared/contracts/marketing-tasks';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';

/** An entry of a manager's book: the customer, and for a follow-up what was done. */
export type BookEntry = { customerId: string; followUp?: Omit<FollowUpInput, 'customerId'> };
type ShareDoc = { _id: string; taskId: string; rmId: string; at: Date };
type ListDoc = { _id: string; taskId: string; rmId: string; customerIds: string[]; at: Date };
/** A customer of a follow-up list handed over to another manager while the task ran. */
type MoveEntry = { customerId: string; fromRmId: string; toRmId: string | null };
/** A follow-up decided and not yet announced: a crash between the two leaves it for the sweep. */
type PendingDoc = { _id: string; taskId: string; rmId: string; customerId: string; at: Date };

/** How long a follow-up may be in flight before the sweep takes it for one a crash cut short. */
const PENDING_LEASE_MS = 60_000;

/** One manager's book of one task: what happened, each once. */
export type TaskFigures = { shared: boolean; arrivals: number; newCustomers: number; followUps: number };

/**
 * What each manager did for each task, as streams whose length is the count: an arrival, a new
 * customer, a follow-up is an entry keyed by the task, the manager and the customer, so a
 * second process or a redelivery appends nothing (the head's position is the number). A share is
 * a document keyed by the task and the manager; a manager's follow-up list is fixed the first
 * time it is read (whoever reads first, their list is everyone's), and then follows the
 * customers on it not yet followed up when they are handed over (the task's `moves`, in order).
 */
export function createTaskBooks(db: Database, clock: Clock) {
  const books = createStreamStore<BookEntry>(db, 'rm_task_books', clock);
  const moves = createStreamStore<MoveEntry>(db, 'rm_task_moves', clock);
  const shares = () => db.collection<ShareDoc>('rm_task_shares');
  const lists = () => db.collection<ListDoc>('rm_task_lists');
  const pending = () => db.collection<PendingDoc>('rm_task_followups_pending');
  const pair = (taskId: string, rmId: string) => `${taskId}|${rmId}`;
  const stream = (kind: 'arrivals' | 'new' | 'followups', taskId: string, rmId: string) => `${kind}:${pair(taskId, rmId)}`;
  const count = async (name: string) => (await books.head(name))?.seq ?? 0;

  return {
    /** True the first time this manager shares this task. */
    shared: (taskId: string, rmId: string) => insertOnce(shares(), { _id: pair(taskId, rmId), taskId, rmId, at: clock.now() }),

    /** A customer arrived through the manager's task scene: counted once per task, manager and customer. */
    async arrived(taskId: string, rmId: string, customerId: string, newCustomer: boolean): Promise<void> {
      await books.append(stream('arrivals', taskId, rmId), () => ({ customerId }), { key: `arrival|${pair(taskId, rmId)}|${customerId}` });
      if (newCustomer) await books.append(stream('new', taskId, rmId), () => ({ customerId }), { key: `new|${pair(taskId, rmId)}|${customerId}` });
    },

    /**
     * Records a follow-up once per task and customer: `recorded` false when one was there already.
     * Promised first (`pending`), so `announce` runs even if the process dies after the entry.
     */
    async followUp(taskId: string, rmId: string, input: FollowUpInput, announce: (entry: BookEntry) => Promise<void>): Promise<{ recorded: boolean }> {
      const { customerId, ...followUp } = input;
      const mark = `${taskId}|${customerId}`;
      await insertOnce(pending(), { _id: mark, taskId, rmId, customerId, at: clock.now() });
      const { entry, duplicate } = await books.append(stream('followups', taskId, rmId), () => ({ customerId, followUp }), { key: `followup|${taskId}|${customerId}` });
      // Announced as recorded (the first one, on a repeat), keyed, so announcing twice is announcing once.
      await announce(entry.data);
      await pending().deleteOne({ _id: mark });
      return { recorded: !duplicate };
    },

    /** Follow-ups promised past their lease: what a crash left unannounced (a scan of the few in flight). */
    dueFollowUps: () =>
      pending()
        .find({ at: { $lte: new Date(clock.now().getTime() - PENDING_LEASE_MS) } })
        .limit(500)
        .toArray(),
    /** Finishes a promised follow-up: announced if its entry went in, else let go (nothing was recorded). */
    async finishFollowUp(doc: PendingDoc, announce: (entry: BookEntry) => Promise<void>): Promise<void> {
      const entry = await books.findByKey(stream('followups', doc.taskId, doc.rmId), `followup|${doc.taskId}|${doc.customerId}`);
      if (entry) await announce(entry.data);
      await pending().deleteOne({ _id: doc._id });
    },

    /** The manager's follow-ups of a task, by customer. */
    async followUps(taskId: string, rmId: string): Promise<Map<string, { followUp: NonNullable<BookEntry['followUp']>; at: Date }>> {
      const entries = await books.readAll(stream('followups', taskId, rmId));
      return new Map(entries.filter((e) => e.data.followUp).map((e) => [e.data.customerId, { followUp: e.data.followUp!, at: e.at }]));
    },

    /** The manager's follow-up list: fixed by the first read (`build` makes it then), with the task's hand-overs since. */
    async list(taskId: string, rmId: string, build: () => Promise<string[]>): Promise<string[]> {
      const [kept, moved] = await Promise.all([lists().findOne({ _id: pair(taskId, rmId) }), moves.readAll(`moves:${taskId}`)]);
      if (kept) return withMoves(kept.customerIds, rmId, moved);
      const built = await build();
      if (await insertOnce(lists(), { _id: pair(taskId, rmId), taskId, rmId, customerIds: built, at: clock.now() })) return withMoves(built, rmId, moved);
      return withMoves((await lists().findOne({ _id: pair(taskId, rmId) }))!.customerIds, rmId, moved);
    },

    /**
     * Customers handed over from one manager to another: those on the giver's list and not yet
     * followed up go to the taker's list, keyed by the hand-over, so a resumed run moves each once.
     * `eligible` is read fresh: a customer a follow-up may no longer ask about (opted out since) leaves
     * the giver's list and joins none; a giver's list never read (so never fixed) hands over the ones
     * it would have held. Returns how many went to the taker.
     */
    async handOver(
      taskId: string,
      move: { fromRmId: string; toRmId: string; handoverId: string; customerIds: string[] },
      eligible: (customerIds: string[]) => Promise<string[]>,
    ): Promise<number> {
      const [kept, moved, done] = await Promise.all([
        lists().findOne({ _id: pair(taskId, move.fromRmId) }),
        moves.readAll(`moves:${taskId}`),
        books.readAll(stream('followups', taskId, move.fromRmId)),
      ]);
      // Read fresh: a customer who has since opted out of personalised marketing leaves the giver's list and joins no other.
      const mayMove = new Set(await eligible(move.customerIds));
      const onList = new Set(kept ? withMoves(kept.customerIds, move.fromRmId, moved) : mayMove);
      const followed = new Set(done.map((e) => e.data.customerId));
      let count = 0;
      for (const customerId of move.customerIds.filter((c) => onList.has(c) && !followed.has(c))) {
        const toRmId = mayMove.has(customerId) ? move.toRmId : null;
        const { duplicate } = await moves.append(`moves:${taskId}`, () => ({ customerId, fromRmId: move.fromRmId, toRmId }), {
          key: `move|${taskId}|${customerId}|${move.handoverId}`,
        });
        if (!duplicate && toRmId) count += 1;
      }
      return count;
    },

    /** Everything counted for one manager and task, in one round trip of reads by `_id`. */
    async figures(taskId: string, rmId: string): Promise<TaskFigures> {
      const [share, arrivals, newCustomers, followUps] = await Promise.all([
        shares().findOne({ _id: pair(taskId, rmId) }),
        count(stream('arrivals', taskId, rmId)),
        count(stream('new', taskId, rmId)),
        count(stream('followups', taskId, rmId)),
      ]);
      return { shared: share !== null, arrivals, newCustomers, followUps };
    },

    async ensureIndexes() {
      await Promise.all([books.ensureIndexes(), moves.ensureIndexes()]);
      await pending().createIndex({ at: 1 });
    },
  };
}

/** A list as its hand-overs left it, in their order: a customer handed away leaves it, one handed to this manager joins it. */
function withMoves(list: string[], rmId: string, moved: { data: MoveEntry }[]): string[] {
  const on = new Set(list);
  for (const { data } of moved) {
    if (data.fromRmId === rmId) on.delete(data.customerId);
    if (data.toRmId === rmId) on.add(data.customerId);
  }
  return [...on];
}

export type TaskBooks = ReturnType<typeof createTaskBooks>;
