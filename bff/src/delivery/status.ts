import type { DeliveryInvariants, DeliverySink, DeliveryStatus } from '@shared/contracts/delivery';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { DELIVERY_PARTITIONS, type EventSource } from '@/platform/event-feed';
import { keptDayOf, type Books, type DeadLetterDoc } from './books';
import type { Publisher } from './publisher';
import { enqueue, partitionOfEvent, pendingCollection, type PendingDoc } from './queue';
import { deliveryCollections, type BatchDoc, type CircuitDoc } from './relay';

const HOUR_MS = 60 * 60 * 1000;
const REPLAY_PAGE = 500;
const GAPS_LISTED = 50;

/**
 * What operations staff see of delivery (lag, throughput, retries, duplicates, dead letters,
 * the books of a day) and what they do to it: replay dead letters, and queue again anything the
 * books show in no state at all.
 */
export function createDeliveryOperations(deps: {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  books: Books;
  publisher: Publisher;
  sinks: readonly DeliverySink[];
  source: (name: 'behaviour' | 'domain') => EventSource;
}) {
  const { db, clock, books } = deps;
  const batches = () => db.collection<BatchDoc>(deliveryCollections.batches);
  const circuits = () => db.collection<CircuitDoc>(deliveryCollections.circuits);
  const partitions = (sink: DeliverySink) => Array.from({ length: DELIVERY_PARTITIONS }, (_, part) => db.collection<PendingDoc>(pendingCollection(sink, part)));

  async function sinkStatus(sink: DeliverySink): Promise<DeliveryStatus['sinks'][number]> {
    const now = clock.now();
    const parts = partitions(sink);
    const [counts, heads, deadLetters, recent, circuit] = await Promise.all([
      Promise.all(parts.map((c) => c.countDocuments({}))),
      // A partition is read in `_id` order, which starts with when each event took its place.
      Promise.all(parts.map((c) => c.find({}).sort({ _id: 1 }).limit(1).next())),
      books.dead().countDocuments({ sink }),
      batches()
        .find({ sink, at: { $gte: new Date(now.getTime() - HOUR_MS) } })
        .toArray(),
      circuits().findOne({ _id: sink }),
    ]);
    const oldest = heads.reduce<Date | null>((min, d) => (d && (!min || d.enqueuedAt < min) ? d.enqueuedAt : min), null);
    const ok = recent.filter((b) => b.ok);
    const duplicates = ok.reduce((n, b) => n + (b.duplicates ?? 0), 0);
    const delivered = ok.reduce((n, b) => n + b.count, 0) - duplicates;
    const last = ok.reduce<Date | null>((max, b) => (!max || b.at > max ? b.at : max), null);
    return {
      sink,
      pending: counts.reduce((a, b) => a + b, 0),
      oldestPendingAt: oldest?.toISOString() ?? null,
      lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
      deadLetters,
      circuit: circuit?.openedAt
        ? { state: 'open', since: circuit.openedAt.toISOString(), failuresInARow: circuit.failures }
        : { state: 'closed', since: null, failuresInARow: circuit?.failures ?? 0 },
      lastHour: { batches: recent.length, delivered, duplicates, failedAttempts: recent.length - ok.length, eventsPerSecond: Math.round((delivered / 3600) * 100) / 100 },
      lastDeliveredAt: last?.toISOString() ?? null,
    };
  }

  /** The day's books: every event kept that day against what each sink has, waits for or gave up on. */
  async function invariants(day: string): Promise<DeliveryInvariants & { missingEvents: Map<DeliverySink, string[]> }> {
    const [kept, backlog] = await Promise.all([books.ledger(day).find({}).project<{ _id: string }>({ _id: 1 }).toArray(), deps.publisher.backlog()]);
    const keptIds = kept.map((d) => d._id);
    const missingEvents = new Map<DeliverySink, string[]>();
    const sinks = await Promise.all(
      deps.sinks.map(async (sink) => {
        // The queue first: an event leaves it only after its mark or letter is written, so one
        // read after the queue is found in one of them (never in none, as the other order allows).
        const waiting = (
          await Promise.all(partitions(sink).map((c) => c.find({}).project<{ event: { id: string; recordedAt: string } }>({ 'event.id': 1, 'event.recordedAt': 1 }).toArray()))
        )
          .flat()
          .filter((p) => keptDayOf(p.event) === day);
        const [sent, dead] = await Promise.all([
          books.sent(sink, day).find({}).project<{ _id: string }>({ _id: 1 }).toArray(),
          books.dead().find({ sink, day }).project<{ event: { id: string } }>({ 'event.id': 1 }).toArray(),
        ]);
        const states = [new Set(waiting.map((p) => p.event.id)), new Set(sent.map((d) => d._id)), new Set(dead.map((d) => d.event.id))];
        const inStates = (id: string) => states.filter((s) => s.has(id)).length;
        const missing = keptIds.filter((id) => inStates(id) === 0);
        missingEvents.set(sink, missing);
        return {
          sink,
          kept: keptIds.length,
          waiting: states[0].size,
          delivered: states[1].size,
          deadLetters: states[2].size,
          missing: missing.length,
          // Transient: delivered, and not yet taken off the queue (or a dead letter replayed but not yet deleted).
          inTwoStates: keptIds.filter((id) => inStates(id) > 1).length,
          gaps: missing.slice(0, GAPS_LISTED),
        };
      }),
    );
    return {
      day,
      publishing: { intents: backlog.waiting, oldestAt: backlog.oldestAt?.toISOString() ?? null },
      sinks,
      consistent: sinks.every((s) => s.missing === 0),
      missingEvents,
    };
  }

  return {
    status: async (): Promise<DeliveryStatus> => {
      const [sinks, backlog] = await Promise.all([Promise.all(deps.sinks.map(sinkStatus)), deps.publisher.backlog()]);
      return { publishing: { intents: backlog.waiting, oldestAt: backlog.oldestAt?.toISOString() ?? null }, sinks };
    },

    async invariants(day: string): Promise<DeliveryInvariants> {
      const { missingEvents: _, ...report } = await invariants(day);
      return report;
    },

    /**
     * Queues again every event of the day that the books show in no state: kept, yet neither
     * waiting, delivered nor dead-lettered for a sink. By construction there are none; this is
     * the sweep that makes it so if a step was ever lost. Returns how many went back.
     */
    async requeueGaps(day: string): Promise<number> {
      const { missingEvents } = await invariants(day);
      let requeued = 0;
      for (const [sink, ids] of missingEvents) {
        for (let i = 0; i < ids.length; i += REPLAY_PAGE) {
          const ledger = (await Promise.all(ids.slice(i, i + REPLAY_PAGE).map((_id) => books.ledger(day).findOne({ _id })))).filter((d) => d !== null);
          for (const source of ['behaviour', 'domain'] as const) {
            const entries = ledger.filter((d) => d.source === source);
            if (!entries.length) continue;
            const stored = await deps.source(source).load(entries.map((d) => d._id));
            const docs: PendingDoc[] = stored.map((event) => {
              const entry = entries.find((d) => d._id === event.id)!;
              return { _id: entry.pendingId, event: { ...event, seq: entry.seq }, attempts: 0, lastError: null, enqueuedAt: clock.now() };
            });
            for (const doc of docs) await enqueue(db, sink, partitionOfEvent(doc.event), [doc]);
            requeued += docs.length;
          }
        }
      }
      return requeued;
    },

    /** A page of a sink's dead letters in `_id` order; `nextCursor` leads on until every one has been listed. */
    async deadLetters(sink: DeliverySink, limit: number, cursor?: string) {
      const [found, total] = await Promise.all([
        books
          .dead()
          .find(cursor ? { sink, _id: { $gt: cursor } } : { sink })
          .sort({ _id: 1 })
          .limit(limit + 1)
          .toArray(),
        books.dead().countDocuments({ sink }),
      ]);
      const docs = found.slice(0, limit);
      return {
        nextCursor: found.length > limit ? docs[docs.length - 1]._id : null,
        items: docs.map((d) => ({
          id: d.event.id,
          sink: d.sink,
          name: d.event.name,
          seq: d.event.seq ?? null,
          reason: d.reason ?? 'attempts',
          attempts: d.attempts,
          lastError: d.lastError,
          deadAt: d.deadAt.toISOString(),
        })),
        total,
      };
    },

    /**
     * Puts dead letters back in their sink's queue, in their old places, with fresh attempts
     * (never one held back for personal data).
     * Each is queued before its dead letter is deleted, so a crash in between leaves it in both
     * (sent once more), never neither. A replayed event arrives after later events of its
     * customer that were delivered meanwhile: the bank orders a customer's events by `seq`.
     */
    async replay(principal: Principal, sink: DeliverySink, ids?: string[]): Promise<{ replayed: number }> {
      // Each letter leaves the dead letters right after its event is back in the queue, and only
      // as it was read: if the event is refused again meanwhile, its new letter stays.
      const send = async (d: DeadLetterDoc) => {
        await enqueue(db, sink, partitionOfEvent(d.event), [{ _id: d.pendingId, event: d.event, attempts: 0, lastError: null, enqueuedAt: clock.now() }]);
        return (await books.dead().deleteOne({ _id: d._id, deadAt: d.deadAt })).deletedCount;
      };
      // The letters to replay, fixed before any goes back: one refused again is not replayed twice in one call.
      const chosen = ids
        ? ids.map((id) => `${sink}:${id}`)
        : (
            await books
              .dead()
              .find({ sink, reason: { $ne: 'personal_data' } })
              .project<{ _id: string }>({ _id: 1 })
              .toArray()
          ).map((d) => d._id);
      let replayed = 0;
      for (let i = 0; i < chosen.length; i += REPLAY_PAGE) {
        const found = await Promise.all(chosen.slice(i, i + REPLAY_PAGE).map((_id) => books.dead().findOne({ _id })));
        // An event held back for personal data is never sent, so never replayed.
        for (const d of found) if (d && d.reason !== 'personal_data') replayed += await send(d);
      }
      await deps.audit.record(principal, { action: 'delivery.replayed', targetType: 'delivery_sink', targetId: sink, detail: { replayed, selected: ids?.length ?? 'all' } });
      return { replayed };
    },
  };
}

export type DeliveryOperations = ReturnType<typeof createDeliveryOperations>;
