import { createHash, randomUUID } from 'node:crypto';
import type { Collection, Document, Filter, OptionalUnlessRequiredId } from 'mongodb';
import type { DeliveredEvent } from '@shared/contracts/delivery';
import type { Clock } from './clock';
import type { Database } from './db';
import { isDuplicateKeyError } from './errors';
import { SimulatedCrash, type Faults } from './faults';
import { insertManyOnce } from './keyed';

/** An event as capabilities see it: what the bank receives, or a conversion the bank reported (never sent back). */
export type FeedEvent = Omit<DeliveredEvent, 'source' | 'seq'> & { source: DeliveredEvent['source'] | 'bank'; seq?: number | null };

/** An event of ours before it has its place in its customer's sequence. */
export type KeptEvent = Omit<DeliveredEvent, 'seq'>;

/**
 * Handles one event, delivered at least once: keyed by what it does, so a redelivery changes
 * nothing. `wants` says which events are queued for it at all (the others cost it nothing).
 */
type FeedSubscriber = { handle: (event: FeedEvent) => Promise<void>; wants: (event: FeedEvent) => boolean | Promise<boolean> };

/** An event waiting for one subscriber: its own document, deleted by `_id` once handled. */
export type FeedPendingDoc = { _id: string; event: FeedEvent; enqueuedAt: Date };

/**
 * Where the events of one kind are kept (behaviour events, the outbox's domain events): read
 * back as stored, so what the bank receives is what every aggregate counts, and kept from an
 * intent whose request died before keeping them.
 */
export type EventSource = {
  name: DeliveredEvent['source'];
  /** The stored events with these ids, as the bank receives them; ids not stored are left out. */
  load(ids: string[]): Promise<KeptEvent[]>;
  /** Stores events an interrupted request never stored (idempotent: a stored one is left as it is). */
  keep(events: KeptEvent[]): Promise<void>;
};

/** An event source over one collection, from how its documents and the bank's events map to each other. */
export function collectionSource<D extends Document & { _id: string }>(
  name: DeliveredEvent['source'],
  collection: () => Collection<D>,
  codec: { toKept(doc: D): KeptEvent; fromKept(event: KeptEvent): D },
): EventSource {
  return {
    name,
    async load(ids) {
      const docs = (await Promise.all(ids.map((_id) => collection().findOne({ _id } as Filter<D>)))) as (D | null)[];
      return docs.filter((d): d is D => d !== null).map(codec.toKept);
    },
    async keep(events) {
      await insertManyOnce(collection(), events.map(codec.fromKept) as OptionalUnlessRequiredId<D>[]);
    },
  };
}

/**
 * A promise to deliver, written before the events it names are kept. `stored`: the request that
 * wrote it has since kept them, and `events` is now what it stored (the publisher need not read
 * them back); until then they are what the request meant to keep.
 */
export type IntentDoc = { _id: string; source: DeliveredEvent['source']; customerId: string | null; events: KeptEvent[]; at: Date; stored?: boolean };

/**
 * Queues are split so that a partition is read without a filter (FerretDB scans any filter but
 * `_id`) and worked by one process at a time. A customer's events all fall in one partition
 * (by the customer, or by the event when there is none), which is what keeps them in order.
 */
export const DELIVERY_PARTITIONS = 8;
export const partitionOf = (key: string) => createHash('sha1').update(key).digest().readUInt32BE(0) % DELIVERY_PARTITIONS;
export const intentCollection = (part: number) => `delivery_intents_${part}`;
/** Ids sort by the time they were written, so a partition read in `_id` order is first in, first out. */
export const timeOrderedId = (at: Date, rest: string) => `${String(at.getTime()).padStart(13, '0')}|${rest}`;
/** A subscriber's own queue, partitioned as the bank's are (see delivery/feed.ts). */
export const feedPendingCollection = (subscriber: string, part: number) => `feed_pending_${subscriber}_${part}`;

/**
 * Where every kept event passes: behaviour events, the outbox's domain events and the bank's
 * conversion reports; the one way a capability reacts to another's events.
 *
 * Ours reach the bank through an intent: before a request keeps its events it writes, in one
 * insert, the promise to deliver them (`intend`). The delivery module's publisher turns intents
 * into numbered, queued events and deletes them, so every event kept is at every moment either
 * promised, waiting, delivered or dead-lettered: a crash between keeping and queuing leaves the
 * intent, which the publisher finishes. Subscribers (analytics, triggers, tasks…) are never run inside
 * the request: the publisher queues each event for each subscriber (`enqueue`) before it deletes
 * the intent, and the delivery module's feed worker hands it over, at least once, so a
 * subscriber's failure is its own, retried, and never the recording request's answer.
 */
export function createEventFeed(deps: { db: Database; clock: Clock; faults: Faults }) {
  const subscribers = new Map<string, FeedSubscriber>();
  const sources = new Map<DeliveredEvent['source'], EventSource>();

  /** Inserts an intent; a failed or busy answer does not prove nothing was written, so it is read back before trying again. */
  async function write(doc: IntentDoc): Promise<void> {
    const intents = deps.db.collection<IntentDoc>(intentCollection(partitionOf(doc.customerId ?? doc.events[0].id)));
    for (let attempt = 1; ; attempt++) {
      try {
        deps.faults.hit('feed.intent');
        await intents.insertOne(doc);
        // Where the database may answer "busy" for a write it made (see database.md).
        deps.faults.hit('feed.intent.written');
        return;
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        if (isDuplicateKeyError(err)) return;
        if (await intents.findOne({ _id: doc._id }).catch(() => null)) return;
        if (attempt >= 3) throw err;
      }
    }
  }

  return {
    /** `name` keys the subscriber's queue and its items in the job books: stable, and unique. */
    subscribe(name: string, subscriber: FeedSubscriber) {
      if (subscribers.has(name)) throw new Error(`feed subscriber ${name} twice`);
      subscribers.set(name, subscriber);
    },
    subscribers: () => [...subscribers],
    register(source: EventSource) {
      sources.set(source.name, source);
    },
    source(name: DeliveredEvent['source']): EventSource {
      const found = sources.get(name);
      if (!found) throw new Error(`no event source ${name}`);
      return found;
    },
    /**
     * Promises delivery of one customer's events (or of events without a customer), before they
     * are kept; returns a way to say they were kept, as stored.
     */
    async intend(source: DeliveredEvent['source'], customerId: string | null, events: KeptEvent[]): Promise<{ stored(events: KeptEvent[]): Promise<void> }> {
      if (!events.length) return { stored: async () => undefined };
      const at = deps.clock.now();
      const doc: IntentDoc = { _id: timeOrderedId(at, randomUUID()), source, customerId, events, at };
      await write(doc);
      return {
        // Only this request writes its intent before the publisher deletes it; a replace that finds none changes nothing.
        stored: async (kept) => {
          await deps.db
            .collection<IntentDoc>(intentCollection(partitionOf(customerId ?? events[0].id)))
            .replaceOne({ _id: doc._id }, { ...doc, events: kept, stored: true })
            .catch(() => undefined); // a hint for the publisher: without it, it reads the events back
        },
      };
    },
    /**
     * Queues events for every subscriber, each under an id from the time its place was taken
     * (`placedAt`), so a queue read in `_id` order hands a customer's events over in order. The
     * same event always gets the same id: queuing it again (a retry, a repeated report) is a no-op.
     */
    async enqueue(placed: { event: FeedEvent; placedAt: Date }[]): Promise<void> {
      if (!placed.length) return;
      const enqueuedAt = deps.clock.now();
      await Promise.all(
        [...subscribers].map(async ([name, { wants }]) => {
          const byPart = new Map<number, FeedPendingDoc[]>();
          for (const { event, placedAt } of placed) {
            if (!(await wants(event))) continue;
            const part = partitionOf(event.customerId ?? event.id);
            byPart.set(part, [...(byPart.get(part) ?? []), { _id: timeOrderedId(placedAt, `${event.customerId ?? '-'}|${event.id}`), event, enqueuedAt }]);
          }
          await Promise.all([...byPart].map(([part, docs]) => insertManyOnce(deps.db.collection<FeedPendingDoc>(feedPendingCollection(name, part)), docs)));
        }),
      );
    },
  };
}

export type EventFeed = ReturnType<typeof createEventFeed>;
