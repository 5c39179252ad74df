import type { DeliveredEvent, DeliverySink } from '@shared/contracts/delivery';
import type { Database } from '@/platform/db';
import { isDuplicateKeyError } from '@/platform/errors';
import { partitionOf, timeOrderedId } from '@/platform/event-feed';

/** An event waiting for one sink: its own document, deleted by `_id` once the sink holds it. */
export type PendingDoc = {
  _id: string;
  event: DeliveredEvent;
  /** Failed sends that counted against it (see relay.ts: not those while its sink was down). */
  attempts: number;
  lastError: string | null;
  /** When a send of it last failed, and its sink's count of successes then. */
  lastFailedAt?: Date | null;
  successesSeen?: number;
  enqueuedAt: Date;
};

export const pendingCollection = (sink: DeliverySink, part: number) => `delivery_pending_${sink}_${part}`;

/** The partition of an event: its customer's, so one customer's events wait in one line. */
export const partitionOfEvent = (event: Pick<DeliveredEvent, 'id' | 'customerId'>) => partitionOf(event.customerId ?? event.id);

/**
 * A waiting event's `_id`: the time its place was taken, then its customer and sequence number,
 * so a partition read in `_id` order sends each customer's events in their order. The same event
 * always gets the same id, so queuing it again is a no-op.
 */
export const pendingIdOf = (placedAt: Date, event: Pick<DeliveredEvent, 'id' | 'customerId' | 'seq'>) =>
  timeOrderedId(placedAt, `${event.customerId ?? '-'}|${event.seq !== null ? String(event.seq).padStart(12, '0') : event.id}`);

/**
 * Queues documents in the order given. One already waiting (queued before a crash, or by a
 * racing process) is left as it is and the rest still go in, in order.
 */
export async function enqueue(db: Database, sink: DeliverySink, part: number, docs: PendingDoc[]): Promise<void> {
  const pending = db.collection<PendingDoc>(pendingCollection(sink, part));
  let rest = docs;
  while (rest.length) {
    try {
      await pending.insertMany(rest, { ordered: true });
      return;
    } catch (err) {
      const failure = (err as { writeErrors?: { index: number; code?: number }[] | { index: number; code?: number } }).writeErrors;
      const first = Array.isArray(failure) ? failure[0] : failure;
      if (!first || !isDuplicateKeyError(first)) throw err;
      rest = rest.slice(first.index + 1);
    }
  }
}
