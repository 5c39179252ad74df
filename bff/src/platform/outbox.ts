import type { EventName } from '../../../shared/events';
import type { Clock } from './clock';
import type { Database } from './db';
import type { EventFeed } from './event-feed';
import { insertOnce } from './keyed';

/**
 * Domain events for the bank's systems go through this one function. The event id is
 * derived from what happened (`<name>:<subject>`), so recording the same outcome twice
 * — a retry, a crash and recovery — leaves one event. Payloads never carry raw personal data.
 */
export type Outbox = {
  record(name: EventName, subjectId: string, payload: Record<string, unknown>): Promise<void>;
};

type OutboxDoc = { _id: string; name: EventName; subjectId: string; payload: Record<string, unknown>; occurredAt: Date };

export function createOutbox(db: Database, clock: Clock, feed: EventFeed): Outbox {
  const events = () => db.collection<OutboxDoc>('outbox_events');
  return {
    async record(name, subjectId, payload) {
      const _id = `${name}:${subjectId}`;
      const fresh: OutboxDoc = { _id, name, subjectId, payload, occurredAt: clock.now() };
      // A repeat keeps the first record and queues that one again (a crash may have come between the two).
      const doc = (await insertOnce(events(), fresh)) ? fresh : ((await events().findOne({ _id })) ?? fresh);
      const customerId = typeof doc.payload.customerId === 'string' ? doc.payload.customerId : null;
      const at = doc.occurredAt.toISOString();
      await feed.publish([{ id: _id, source: 'domain', name, occurredAt: at, recordedAt: at, customerId, data: { subjectId, ...doc.payload } }]);
    },
  };
}
