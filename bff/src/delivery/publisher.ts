import type { DeliveredEvent, DeliverySink } from '@shared/contracts/delivery';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { DELIVERY_PARTITIONS, intentCollection, type EventFeed, type IntentDoc, type KeptEvent } from '@/platform/event-feed';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertManyOnce } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';
import type { Books } from './books';
import type { Lease, Leases } from './leases';
import { enqueue, partitionOfEvent, pendingIdOf, type PendingDoc } from './queue';

/** A customer's place in their own sequence: each entry numbers the events of one intent. */
type SequenceEntry = { last: number; ids: string[]; atMs: number };

type PublishRun = { intents: number; published: number; waiting: number; failed: number };

/** Intents read at a time from a partition. */
const INTENT_PAGE = 50;

/**
 * Turns intents into numbered, queued events, a partition at a time under a lease, oldest first.
 *
 * For each intent: take what its request stored (the request rewrites its intent with what it
 * kept; an intent never so marked is read back from the store once stale: what the bank
 * receives is what was kept),
 * claim each event for this intent (an insert: an event sent again in a later batch keeps its
 * first number), number the claimed ones in the customer's sequence (an append keyed by the
 * intent, so a retry after a crash gets the same numbers), write them to the day's ledger and
 * queue them for every sink and every feed subscriber, then delete the intent. Each step is idempotent, so an intent a
 * crash cut short is simply done again. An intent younger than `staleMs` that its request has
 * not marked stored is left for the request to finish (and holds its customer's later intents, keeping the
 * customer's order, while other customers' intents go on); an older one is finished from its own
 * copy of the events.
 */
export function createPublisher(deps: {
  db: Database;
  clock: Clock;
  feed: EventFeed;
  books: Books;
  jobBooks: JobBooks;
  leases: Leases;
  sinks: readonly DeliverySink[];
  faults: Faults;
  staleMs: number;
  marginMs: number;
}) {
  const { db, clock, books } = deps;
  const sequences = createStreamStore<SequenceEntry>(db, 'delivery_sequences', clock);
  const intents = (part: number) => db.collection<IntentDoc>(intentCollection(part));

  /** The intent's events that it, not an earlier intent, numbers. */
  async function claim(intent: IntentDoc, listed: KeptEvent[]): Promise<KeptEvent[]> {
    // An id listed twice is one event.
    const events = listed.filter((e, i) => listed.findIndex((f) => f.id === e.id) === i);
    const at = clock.now();
    const { duplicates } = await insertManyOnce(
      books.claims(),
      events.map((e) => ({ _id: e.id, intentId: intent._id, customerId: intent.customerId, at })),
    );
    if (!duplicates) return events;
    const owners = await Promise.all(events.map((e) => books.claims().findOne({ _id: e.id })));
    return events.filter((_, i) => owners[i]?.intentId === intent._id);
  }

  /** Numbers the events in their customer's sequence; events without a customer have no number. */
  async function number(intent: IntentDoc, events: KeptEvent[]): Promise<{ event: DeliveredEvent; placedAt: Date }[]> {
    // Nothing new (a resend of events another intent numbered): no place taken in the sequence.
    if (!events.length) return [];
    if (!intent.customerId) return events.map((e) => ({ event: { ...e, seq: null }, placedAt: intent.at }));
    const { entry } = await sequences.append(
      `c:${intent.customerId}`,
      (head) => ({
        last: (head?.data.last ?? 0) + events.length,
        ids: events.map((e) => e.id),
        // Never earlier than the customer's previous place, whatever this process's clock says.
        atMs: Math.max(clock.now().getTime(), head?.data.atMs ?? 0),
      }),
      { key: `intent:${intent._id}` },
    );
    const first = entry.data.last - entry.data.ids.length + 1;
    const placedAt = new Date(entry.data.atMs);
    return events.flatMap((e) => {
      const at = entry.data.ids.indexOf(e.id);
      return at < 0 ? [] : [{ event: { ...e, seq: first + at }, placedAt }];
    });
  }

  /** One intent to the ledger and the queues: 'done', or 'wait' while its request is still keeping its events. */
  async function publish(intent: IntentDoc): Promise<{ status: 'done' | 'wait'; published: number }> {
    const source = deps.feed.source(intent.source);
    const ids = intent.events.map((e) => e.id);
    const stale = clock.now().getTime() - intent.at.getTime() > deps.staleMs;
    // Its request is still keeping the events (or died doing so): wait, or once stale, finish it.
    if (!intent.stored && !stale) return { status: 'wait', published: 0 };
    let stored = intent.stored ? intent.events : await source.load(ids);
    if (stored.length < ids.length) {
      const have = new Set(stored.map((e) => e.id));
      await source.keep(intent.events.filter((e) => !have.has(e.id)));
      stored = await source.load(ids);
    }
    // An id another customer's event already has is that customer's to deliver, not this intent's.
    const own = stored.filter((e) => e.customerId === intent.customerId);
    const numbered = await number(intent, await claim(intent, own));
    deps.faults.hit('publish.numbered');
    const placed = numbered.map(({ event, placedAt }) => ({ event, pendingId: pendingIdOf(placedAt, event) }));
    for (const [day, group] of books.byDay(placed)) {
      await insertManyOnce(
        books.ledger(day),
        group.map(({ event, pendingId }) => ({ _id: event.id, customerId: event.customerId, seq: event.seq, pendingId, source: event.source })),
      );
    }
    const enqueuedAt = clock.now();
    const docs: PendingDoc[] = placed.map(({ event, pendingId }) => ({ _id: pendingId, event, attempts: 0, lastError: null, enqueuedAt }));
    const byPart = new Map<number, PendingDoc[]>();
    for (const doc of docs) byPart.set(partitionOfEvent(doc.event), [...(byPart.get(partitionOfEvent(doc.event)) ?? []), doc]);
    await Promise.all(deps.sinks.flatMap((sink) => [...byPart].map(([part, group]) => enqueue(db, sink, part, group))));
    // The subscribers' queues too, before the intent goes: a crash between leaves the intent, done again.
    await deps.feed.enqueue(numbered);
    await intents(partitionOfEvent({ id: ids[0], customerId: intent.customerId })).deleteOne({ _id: intent._id });
    return { status: 'done', published: docs.length };
  }

  async function drain(part: number, run: PublishRun): Promise<void> {
    await deps.leases.work('publish', part, deps.marginMs, (lease) => drainHeld(part, run, lease));
  }

  async function drainHeld(part: number, run: PublishRun, lease: Lease): Promise<void> {
    // Customers with an intent still being kept: their later intents wait behind it, others go on.
    const held = new Set<string>();
    for (;;) {
      const page = await intents(part).find({}).sort({ _id: 1 }).limit(INTENT_PAGE).toArray();
      let progress = 0;
      for (const intent of page) {
        // Re-checked before each intent: the read before it may have been slow.
        if (deps.leases.timeLeft(lease.until) <= deps.marginMs) return;
        const who = intent.customerId ?? intent._id;
        if (held.has(who)) continue;
        let outcome: Awaited<ReturnType<typeof publish>> | null = null;
        // Each intent alone: one that fails (a damaged record, a store refusing) holds only its
        // customer's later intents, is counted in the job books and parked after failing again and again.
        const tried = await deps.jobBooks.each(
          'delivery.publish',
          [intent],
          (i) => i._id,
          async (i) => (outcome = await publish(i)),
        );
        if (!outcome || tried.failed || tried.parked) {
          held.add(who);
          run.failed += tried.failed;
          continue;
        }
        const done = outcome as Awaited<ReturnType<typeof publish>>;
        if (done.status === 'wait') {
          held.add(who);
          run.waiting += 1;
          continue;
        }
        progress += 1;
        run.intents += 1;
        run.published += done.published;
      }
      if (page.length < INTENT_PAGE || progress === 0) return;
    }
  }

  return {
    publish,
    /** Every partition with intents, each to its end or its lease's; one partition's failure is thrown after the others finish. */
    async runOnce(): Promise<PublishRun> {
      const run: PublishRun = { intents: 0, published: 0, waiting: 0, failed: 0 };
      const parts = Array.from({ length: DELIVERY_PARTITIONS }, (_, i) => i);
      const results = await Promise.allSettled(
        parts.map(async (part) => {
          // An empty partition is not worth a lease (an idle process would otherwise write every tick).
          if (await intents(part).findOne({})) await drain(part, run);
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return run;
    },
    /** Intents not yet published, and the oldest's time. */
    async backlog(): Promise<{ waiting: number; oldestAt: Date | null }> {
      const parts = Array.from({ length: DELIVERY_PARTITIONS }, (_, i) => intents(i));
      const [counts, heads] = await Promise.all([Promise.all(parts.map((c) => c.countDocuments({}))), Promise.all(parts.map((c) => c.find({}).sort({ _id: 1 }).limit(1).next()))]);
      const oldest = heads.reduce<Date | null>((min, d) => (d && (!min || d.at < min) ? d.at : min), null);
      return { waiting: counts.reduce((a, b) => a + b, 0), oldestAt: oldest };
    },
    ensureIndexes: () => sequences.ensureIndexes(),
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
