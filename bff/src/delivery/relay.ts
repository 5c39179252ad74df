import { createHash, randomUUID } from 'node:crypto';
import type { DeliverySink } from '@shared/contracts/delivery';
import { findPersonalData, personalDataLabelsZh } from '@shared/pii';
import type { Config } from '@/config';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { DELIVERY_PARTITIONS } from '@/platform/event-feed';
import type { Faults } from '@/platform/faults';
import { insertManyOnce } from '@/platform/keyed';
import type { Logger } from '@/platform/logger';
import { replaceById, setFields } from '@/platform/upsert';
import { keptDayOf, type Books, type DeadLetterDoc } from './books';
import type { Lease, Leases } from './leases';
import { pendingCollection, type PendingDoc } from './queue';
import { SinkError, type Sink } from './sinks';

/** One attempt at one batch: the record lag, throughput, retries and duplicates are read from. */
export type BatchDoc = {
  _id: string;
  sink: DeliverySink;
  part: number;
  batchId: string;
  count: number;
  duplicates: number;
  ok: boolean;
  error: string | null;
  at: Date;
  ms: number;
};
/** A partition's consecutive failures, and when it may be tried again. */
type BackoffDoc = { _id: string; failures: number; until: Date };
/**
 * A sink's health across every partition and process: failures in a row with no success
 * between, and a count of successes (a failure counts against an event only if the count moved
 * since the event last failed). Past the threshold the circuit is open: the sink is taken to
 * be down, and partitions only probe it, at a steady pace, until it answers.
 */
export type CircuitDoc = { _id: string; failures: number; openedAt: Date | null; successes: number };

export const deliveryCollections = {
  backoff: 'delivery_backoff',
  circuits: 'delivery_circuits',
  batches: 'delivery_batches',
} as const;

/** Batches read from a partition at once. */
const READ_BATCHES = 5;

type RelayRun = { delivered: number; duplicates: number; failedBatches: number; deadLettered: number; errors: number };

type Outcome = 'sent' | 'stop';

/**
 * Moves waiting events to their sinks, at least once each, each customer's in order.
 *
 * A partition is worked by one process at a time, under a lease (leases.ts), read oldest first
 * (`_id` order: see queue.ts). The time left is checked after every read and before every
 * send, and no send starts that could not finish inside the lease, so in normal operation the
 * next holder never sees a batch still in flight. What a sink has is recorded (its sent marks)
 * before the batch leaves the queue; the first batch a new lease holder reads is checked against
 * those marks, so a previous holder's tail is not sent again.
 *
 * Failures: a batch the sink refuses is split in halves until the refused event is alone, and
 * only that event is dead-lettered. A sink that is unavailable backs the partition off
 * (exponential, jittered) and counts one failure on the sink's circuit. A failed attempt counts
 * against an event only if the sink has delivered something since the event last failed: while
 * the sink is down nothing counts, so an outage, however long, dead-letters nothing. When an
 * attempt does count (the sink works for others, not for this batch), the batch is split to
 * find the events it fails on, and an event is dead-lettered after `maxAttempts` of them. An
 * event holding personal data is never sent.
 */
export function createRelay(deps: { db: Database; clock: Clock; logger: Logger; sinks: Sink[]; books: Books; leases: Leases; faults: Faults; config: Config['delivery'] }) {
  const { db, clock, config, books } = deps;
  const backoffs = () => db.collection<BackoffDoc>(deliveryCollections.backoff);
  const circuits = () => db.collection<CircuitDoc>(deliveryCollections.circuits);
  const batches = () => db.collection<BatchDoc>(deliveryCollections.batches);
  const pending = (sink: DeliverySink, part: number) => db.collection<PendingDoc>(pendingCollection(sink, part));
  // Time kept back at the end of a lease: a send started later might still be running when the next holder begins.
  const margin = Math.min(config.leaseMs / 2, 1.5 * (config.webhook?.timeoutMs ?? 1000));

  const delayAfter = (failures: number, circuitOpen: boolean) => {
    // While the sink is down, partitions keep probing at a steady pace, so delivery resumes soon after it is back.
    const cap = circuitOpen ? Math.min(config.backoffMaxMs, config.circuitProbeMs) : config.backoffMaxMs;
    const ceiling = Math.min(cap, config.backoffBaseMs * 2 ** Math.min(failures - 1, 30));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  };

  async function record(batch: Omit<BatchDoc, '_id' | 'at'>): Promise<void> {
    // Figures only: a failure to write one must not fail the delivery it describes.
    await batches()
      .insertOne({ _id: randomUUID(), ...batch, at: clock.now() })
      .catch((err: unknown) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'delivery batch record failed'));
  }

  /**
   * Kept as a dead letter before it leaves the queue: a crash between the two leaves both, never
   * neither. A letter already there (the event replayed, and refused again before its old letter
   * was cleared) is written anew, so it outlives the replay's clearing of the old one.
   */
  async function bury(sink: DeliverySink, part: number, letters: DeadLetterDoc[]): Promise<void> {
    if (!letters.length) return;
    const { duplicateIndexes } = await insertManyOnce(books.dead(), letters);
    for (const i of duplicateIndexes) await replaceById(books.dead(), letters[i]._id, letters[i]);
    await Promise.all(letters.map((d) => pending(sink, part).deleteOne({ _id: d.pendingId })));
  }

  /** Marks what the sink now has, then takes it off the queue; returns how many it already had (duplicates). */
  async function settle(sink: DeliverySink, part: number, docs: PendingDoc[], batchId: string): Promise<number> {
    const at = clock.now();
    let duplicates = 0;
    for (const [day, group] of books.byDay(docs)) {
      duplicates += (
        await insertManyOnce(
          books.sent(sink, day),
          group.map((d) => ({ _id: d.event.id, batchId, at })),
        )
      ).duplicates;
    }
    deps.faults.hit('relay.settled');
    await Promise.all(docs.map((d) => pending(sink, part).deleteOne({ _id: d._id })));
    return duplicates;
  }

  /** The docs a previous holder of this partition already delivered (its deletes may not have landed): taken off now, not sent. */
  async function alreadySent(sink: DeliverySink, part: number, docs: PendingDoc[]): Promise<PendingDoc[]> {
    const marks = await Promise.all(docs.map((d) => books.sent(sink, keptDayOf(d.event)).findOne({ _id: d.event.id })));
    const sent = docs.filter((_, i) => marks[i] !== null);
    await Promise.all(sent.map((d) => pending(sink, part).deleteOne({ _id: d._id })));
    return sent;
  }

  type Drain = {
    sink: Sink;
    part: number;
    until: number;
    circuit: CircuitDoc | null;
    backoff: BackoffDoc | null;
    run: RelayRun;
    /** Whether the sink took a batch of this partition in this drain: it is up. */
    succeeded: boolean;
    /** Events whose failure already counted in this drain: at most one attempt per event a drain. */
    counted: Set<string>;
  };

  /** Whether the sink has shown it works since this event last failed: then its failing is this event's own. */
  const sinkWorkedSince = (d: Drain, doc: PendingDoc) => d.succeeded || (d.circuit?.successes ?? 0) > (doc.successesSeen ?? 0);

  /**
   * The sink failed this batch without refusing it. Records the failure on the circuit and the
   * partition's backoff, and on the events: an attempt counts once per drain, only for an event
   * failing for the first time or failing while the sink works for others, and not while the
   * batch is being split to find the event at fault (`blameless`).
   */
  async function unavailable(d: Drain, docs: PendingDoc[], error: string, isolating: boolean, blameless: boolean): Promise<void> {
    const now = clock.now();
    const successes = d.circuit?.successes ?? 0;
    // Halves of a batch the sink fails while it takes others say nothing of the sink's health.
    const failures = (d.circuit?.failures ?? 0) + (isolating ? 0 : 1);
    const open = failures >= config.circuitFailures;
    if (!isolating) {
      d.circuit = { _id: d.sink.name, failures, openedAt: d.circuit?.openedAt ?? (open ? now : null), successes };
      // The count of successes is left as it stands: other partitions may have moved it meanwhile.
      await setFields(circuits(), d.sink.name, { failures, openedAt: d.circuit.openedAt });
    }
    const partFailures = (d.backoff?.failures ?? 0) + 1;
    d.backoff = { _id: `${d.sink.name}:${d.part}`, failures: partFailures, until: new Date(now.getTime() + delayAfter(partFailures, open)) };
    await replaceById(backoffs(), d.backoff._id, { failures: partFailures, until: d.backoff.until });
    const counts = (doc: PendingDoc) => !blameless && !d.counted.has(doc._id) && (!doc.lastFailedAt || sinkWorkedSince(d, doc));
    // A blameless failure leaves the event's own record as it was: its next failure alone is judged against it.
    const next = docs.map((doc) =>
      blameless ? { ...doc, lastError: error } : { ...doc, attempts: doc.attempts + (counts(doc) ? 1 : 0), lastError: error, lastFailedAt: now, successesSeen: successes },
    );
    for (const doc of docs) if (!blameless) d.counted.add(doc._id);
    const exhausted = next.filter((doc) => doc.attempts >= config.maxAttempts);
    await bury(
      d.sink.name,
      d.part,
      exhausted.map((doc) => books.deadLetterOf(d.sink.name, doc, 'attempts', error, now)),
    );
    d.run.deadLettered += exhausted.length;
    // Only the lease holder rewrites a waiting event, so this plain replace races nobody.
    await Promise.all(next.filter((doc) => doc.attempts < config.maxAttempts).map((doc) => pending(d.sink.name, d.part).replaceOne({ _id: doc._id }, doc)));
  }

  /** Sends in halves, the first half first, so a customer's later events never overtake their earlier ones. */
  async function halves(d: Drain, docs: PendingDoc[], isolating: boolean): Promise<Outcome> {
    const half = Math.ceil(docs.length / 2);
    if ((await send(d, docs.slice(0, half), isolating)) === 'stop') return 'stop';
    return send(d, docs.slice(half), isolating);
  }

  /**
   * Sends `docs` as one batch. When the sink refuses it, in halves until the refused event is
   * alone (and dead-lettered). When the sink fails it again after working for others since, in
   * halves too (`isolating`), down to the event it fails on, which then holds its partition
   * until its attempts run out.
   */
  async function send(d: Drain, docs: PendingDoc[], isolating = false): Promise<Outcome> {
    if (deps.leases.timeLeft(d.until) <= margin) return 'stop';
    // The same events make the same batch id, so the bank can also tell a retried batch.
    const batchId = createHash('sha1')
      .update(docs.map((doc) => doc._id).join(','))
      .digest('hex')
      .slice(0, 24);
    const started = Date.now();
    try {
      await d.sink.send({ batchId, events: docs.map((doc) => doc.event) });
    } catch (err) {
      const failure = err instanceof SinkError ? err : new SinkError(err instanceof Error ? err.message : String(err), false);
      d.run.failedBatches += 1;
      await record({ sink: d.sink.name, part: d.part, batchId, count: docs.length, duplicates: 0, ok: false, error: failure.message.slice(0, 200), ms: Date.now() - started });
      deps.logger.warn({ sink: d.sink.name, part: d.part, batchId, count: docs.length, error: failure.message, refused: failure.refused }, 'delivery batch failed');
      if (failure.refused) {
        if (docs.length > 1) return halves(d, docs, isolating);
        await bury(d.sink.name, d.part, [books.deadLetterOf(d.sink.name, docs[0], 'refused', failure.message, clock.now(), docs[0].attempts + 1)]);
        d.run.deadLettered += 1;
        return 'sent';
      }
      // Failing again while the sink works for others: find the event at fault before blaming any.
      const isolate = docs.length > 1 && (isolating || docs.some((doc) => doc.lastFailedAt && sinkWorkedSince(d, doc)));
      await unavailable(d, docs, failure.message, isolating, isolate);
      if (!isolate) return 'stop';
      // What is left of the batch as it now stands (an event may just have been dead-lettered).
      const left = (await Promise.all(docs.map((doc) => pending(d.sink.name, d.part).findOne({ _id: doc._id })))).filter((doc): doc is PendingDoc => doc !== null);
      return left.length ? halves(d, left, true) : 'sent';
    }
    const duplicates = await settle(d.sink.name, d.part, docs, batchId);
    await record({ sink: d.sink.name, part: d.part, batchId, count: docs.length, duplicates, ok: true, error: null, ms: Date.now() - started });
    d.run.delivered += docs.length - duplicates;
    d.run.duplicates += duplicates;
    await succeeded(d);
    return 'sent';
  }

  /**
   * The sink took a batch: its circuit is closed and its count of successes moves. When it was
   * open, every partition it had backed off is tried at once.
   */
  async function succeeded(d: Drain): Promise<void> {
    const wasOpen = Boolean(d.circuit?.openedAt);
    d.succeeded = true;
    d.circuit = { _id: d.sink.name, failures: 0, openedAt: null, successes: (d.circuit?.successes ?? 0) + 1 };
    // Only ever moves forward (a lost increment between processes still moves it): a failure compares against it.
    await setFields(circuits(), d.sink.name, { failures: 0, openedAt: null }, { successes: 1 });
    if (d.backoff) {
      await backoffs().deleteOne({ _id: d.backoff._id });
      d.backoff = null;
    }
    if (wasOpen) await Promise.all(Array.from({ length: DELIVERY_PARTITIONS }, (_, p) => backoffs().deleteOne({ _id: `${d.sink.name}:${p}` })));
  }

  async function drain(sink: Sink, part: number, run: RelayRun): Promise<void> {
    await deps.leases.work(sink.name, part, margin, (lease) => drainHeld(sink, part, run, lease));
  }

  async function drainHeld(sink: Sink, part: number, run: RelayRun, lease: Lease): Promise<void> {
    const [backoff, circuit] = await Promise.all([backoffs().findOne({ _id: `${sink.name}:${part}` }), circuits().findOne({ _id: sink.name })]);
    if (backoff && backoff.until.getTime() > clock.now().getTime()) return;
    const d: Drain = { sink, part, until: lease.until, circuit, backoff, run, succeeded: false, counted: new Set() };
    let first = lease.fresh;
    for (;;) {
      if (deps.leases.timeLeft(d.until) <= margin) return;
      // A window of several batches per read: reading a partition in order costs as much for one batch as for five.
      let window = await pending(sink.name, part)
        .find({})
        .sort({ _id: 1 })
        .limit(config.batchSize * READ_BATCHES)
        .toArray();
      if (!window.length) return;
      const full = window.length === config.batchSize * READ_BATCHES;
      if (first) {
        const sent = new Set((await alreadySent(sink.name, part, window)).map((doc) => doc._id));
        window = window.filter((doc) => !sent.has(doc._id));
        first = false;
      }
      const personal = window.flatMap((doc) => {
        const found = findPersonalData({ name: doc.event.name, customerId: doc.event.customerId, data: doc.event.data }, { identifiers: 'lenient' });
        return found ? [books.deadLetterOf(sink.name, doc, 'personal_data', `${found.path}: ${personalDataLabelsZh[found.kind]}`, clock.now())] : [];
      });
      if (personal.length) {
        await bury(sink.name, part, personal);
        run.deadLettered += personal.length;
        window = window.filter((doc) => !personal.some((p) => p.pendingId === doc._id));
      }
      for (let i = 0; i < window.length; i += config.batchSize) {
        if ((await send(d, window.slice(i, i + config.batchSize))) === 'stop') return;
      }
      if (!full) return;
    }
  }

  async function runOnce(): Promise<RelayRun> {
    const run: RelayRun = { delivered: 0, duplicates: 0, failedBatches: 0, deadLettered: 0, errors: 0 };
    const parts = Array.from({ length: DELIVERY_PARTITIONS }, (_, i) => i).sort(() => Math.random() - 0.5);
    // A round waits for every partition; one that fails is counted and logged, and the others finish.
    const results = await Promise.allSettled(
      deps.sinks.flatMap((sink) =>
        parts.map(async (part) => {
          // An empty partition is not worth a lease (an idle relay would otherwise write every tick).
          if (await pending(sink.name, part).findOne({})) await drain(sink, part, run);
        }),
      ),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      run.errors += 1;
      deps.logger.warn({ err: r.reason instanceof Error ? r.reason.message : String(r.reason) }, 'delivery partition failed');
    }
    return run;
  }

  return {
    runOnce,
    ensureIndexes: async () => {
      await batches().createIndex({ sink: 1, at: 1 });
      await batches().createIndex({ at: 1 });
      await books.dead().createIndex({ sink: 1, reason: 1 });
      await books.dead().createIndex({ day: 1 });
    },
    /** Attempt records past any use: a day old. */
    purge: async () => (await batches().deleteMany({ at: { $lt: new Date(clock.now().getTime() - 24 * 60 * 60 * 1000) } })).deletedCount,
  };
}
