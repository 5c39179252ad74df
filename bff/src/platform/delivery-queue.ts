import { createHash } from 'node:crypto';
import type { DeliveredEvent, DeliverySink } from '../../../shared/contracts/delivery';
import type { Clock } from './clock';
import type { Database } from './db';
import { insertManyOnce } from './keyed';

/** An event waiting for one sink: its own document, deleted by `_id` once the sink has it. */
export type PendingDoc = { _id: string; event: DeliveredEvent; attempts: number; lastError: string | null; enqueuedAt: Date };

/**
 * Events for the bank wait in a few small collections per sink (partitions, by a hash of the
 * event id), so a relay reads a partition without a filter (FerretDB scans any filter but
 * `_id`) and the waiting set is as large as the backlog, not as the history. Two relays share
 * the work a partition at a time.
 */
export const DELIVERY_PARTITIONS = 8;

export const pendingCollection = (sink: DeliverySink, part: number) => `delivery_pending_${sink}_${part}`;

export const partitionOf = (eventId: string) => createHash('sha1').update(eventId).digest().readUInt32BE(0) % DELIVERY_PARTITIONS;

export type DeliveryQueue = {
  sinks: readonly DeliverySink[];
  /**
   * Queues events for every configured sink. Called after the event itself is kept, and again
   * on every resend of it, so a crash between the two is repaired by the retry that follows;
   * an event still waiting is not queued twice.
   */
  enqueue(events: DeliveredEvent[]): Promise<void>;
};

/** Queues events for one sink (a replay of its dead letters queues them for that sink only). */
export async function enqueueFor(db: Database, sink: DeliverySink, events: DeliveredEvent[], enqueuedAt: Date): Promise<void> {
  const byPart = new Map<number, PendingDoc[]>();
  for (const event of events) {
    const part = partitionOf(event.id);
    byPart.set(part, [...(byPart.get(part) ?? []), { _id: event.id, event, attempts: 0, lastError: null, enqueuedAt }]);
  }
  await Promise.all([...byPart].map(([part, docs]) => insertManyOnce(db.collection<PendingDoc>(pendingCollection(sink, part)), docs)));
}

export function createDeliveryQueue(db: Database, clock: Clock, sinks: readonly DeliverySink[]): DeliveryQueue {
  return {
    sinks,
    async enqueue(events) {
      if (!events.length) return;
      const now = clock.now();
      await Promise.all(sinks.map((sink) => enqueueFor(db, sink, events, now)));
    },
  };
}
