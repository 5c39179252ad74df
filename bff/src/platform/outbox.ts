import type { EventName } from '@shared/events';
import type { Clock } from './clock';
import type { Database } from './db';
import { collectionSource, type EventFeed, type EventSource, type KeptEvent } from './event-feed';
import { insertOnce } from './keyed';
import { behind } from './alongside';

/**
 * Domain events for the bank's systems go through this one function. The event id is
 * derived from what happened (`<name>:<subject>`), so recording the same outcome twice
 * — a retry, a crash and recovery — leaves one event. Payloads never carry raw personal data.
 */
export type Outbox = {
  record(name: EventName, subjectId: string, payload: Record<string, unknown>): Promise<void>;
};

type OutboxDoc = { _id: string; name: EventName; subjectId: string; payload: Record<string, unknown>; occurredAt: Date };

const outboxCollection = 'outbox_events';

/** A domain event as the bank receives it. */
function toKept(doc: OutboxDoc): KeptEvent {
  const at = doc.occurredAt.toISOString();
  const customerId = typeof doc.payload.customerId === 'string' ? doc.payload.customerId : null;
  return { id: doc._id, source: 'domain', name: doc.name, occurredAt: at, recordedAt: at, customerId, data: { subjectId: doc.subjectId, ...doc.payload } };
}

function fromKept(event: KeptEvent): OutboxDoc {
  const { subjectId, ...payload } = event.data;
  return { _id: event.id, name: event.name as EventName, subjectId: String(subjectId), payload, occurredAt: new Date(event.occurredAt) };
}

/** The outbox's records, for the publisher: read back as stored, or kept from an intent whose request died first. */
export const outboxSource = (db: Database): EventSource => collectionSource('domain', () => db.collection<OutboxDoc>(outboxCollection), { toKept, fromKept });

/** Every recorded event of one name whose payload carries the given values: a whole scan, for admin checks only. */
export function outboxEventsOf(db: Database, name: EventName, payload: Record<string, string>): Promise<OutboxDoc[]> {
  return db
    .collection<OutboxDoc>(outboxCollection)
    .find({ name, ...Object.fromEntries(Object.entries(payload).map(([key, value]) => [`payload.${key}`, value])) })
    .toArray();
}

/** Every recorded event of these names, as the feed carries them: a whole scan, for admin checks only. */
export async function outboxEventsNamed(db: Database, names: readonly string[]): Promise<KeptEvent[]> {
  return (
    await db
      .collection<OutboxDoc>(outboxCollection)
      .find({ name: { $in: [...names] as EventName[] } })
      .toArray()
  ).map(toKept);
}

export function createOutbox(db: Database, clock: Clock, feed: EventFeed): Outbox {
  const events = () => db.collection<OutboxDoc>(outboxCollection);
  return {
    async record(name, subjectId, payload) {
      const _id = `${name}:${subjectId}`;
      const fresh: OutboxDoc = { _id, name, subjectId, payload, occurredAt: clock.now() };
      // The promise to deliver comes first: a crash after it leaves an intent the publisher finishes.
      const intent = await feed.intend('domain', toKept(fresh).customerId, [toKept(fresh)]);
      // Kept behind the answer: the intent already carries the event, and the publisher keeps it from there if this never
      // lands. A repeat keeps the first record; the publisher delivers what is stored, once.
      await behind(
        (async () => {
          const doc = (await insertOnce(events(), fresh)) ? fresh : ((await events().findOne({ _id })) ?? fresh);
          // Not awaited: without it the publisher reads the record back once the intent is stale.
          void intent.stored([toKept(doc)]);
        })(),
      );
    },
  };
}
