import { createHash, randomUUID } from 'node:crypto';
import type { DeliverySink } from '../../../shared/contracts/delivery';
import type { Config } from '../config';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { DELIVERY_PARTITIONS, pendingCollection, type PendingDoc } from '../platform/delivery-queue';
import { insertManyOnce, insertOnce } from '../platform/keyed';
import type { Logger } from '../platform/logger';
import { replaceById } from '../platform/upsert';
import type { Sink } from './sinks';

export type DeadLetterDoc = { _id: string; sink: DeliverySink; event: PendingDoc['event']; attempts: number; lastError: string; deadAt: Date };
/** One attempt at one batch: the record lag, throughput and retries are read from. */
export type BatchDoc = { _id: string; sink: DeliverySink; part: number; batchId: string; count: number; ok: boolean; error: string | null; at: Date; ms: number };
type LeaseDoc = { _id: string; owner: string; at: Date };
/** A partition's consecutive failures, and when it may be tried again. */
type BackoffDoc = { _id: string; failures: number; until: Date };

export const deliveryCollections = {
  leases: 'delivery_leases',
  backoff: 'delivery_backoff',
  dead: 'delivery_dead_letters',
  batches: 'delivery_batches',
} as const;

export type RelayRun = { delivered: number; failedBatches: number; deadLettered: number };

/**
 * Moves waiting events to their sinks, at least once each. A partition is worked by one relay
 * at a time: the right to it for one lease period is a document inserted under
 * `<sink>:<partition>:<period>`, which only one process can create. A relay starts no send it
 * could not finish inside its period, so in normal operation the next holder never sees a
 * batch still in flight; after a crash the partition waits for the next period and the batch
 * that was cut short is sent again (the bank dedupes on the event id). Events leave the queue
 * only after the sink holds them. A failed batch backs off exponentially with jitter; an event
 * that has failed `maxAttempts` times is moved to the dead letters, from which an admin replays it.
 */
export function createRelay(deps: { db: Database; clock: Clock; logger: Logger; sinks: Sink[]; config: Config['delivery'] }) {
  const { db, clock, config } = deps;
  const owner = randomUUID();
  const leases = () => db.collection<LeaseDoc>(deliveryCollections.leases);
  const backoffs = () => db.collection<BackoffDoc>(deliveryCollections.backoff);
  const dead = () => db.collection<DeadLetterDoc>(deliveryCollections.dead);
  const batches = () => db.collection<BatchDoc>(deliveryCollections.batches);
  const pending = (sink: DeliverySink, part: number) => db.collection<PendingDoc>(pendingCollection(sink, part));
  // Time kept back at the end of a lease: a send started later might still be running when the next holder begins.
  const margin = Math.min(config.leaseMs / 2, 1.5 * (config.webhook?.timeoutMs ?? 1000));

  /** The end of this relay's lease on the partition, or null when another relay holds it. */
  async function lease(sink: DeliverySink, part: number): Promise<number | null> {
    const period = Math.floor(clock.now().getTime() / config.leaseMs);
    const _id = `${sink}:${part}:${period}`;
    const ours = (await insertOnce(leases(), { _id, owner, at: clock.now() })) || (await leases().findOne({ _id }))?.owner === owner;
    return ours ? (period + 1) * config.leaseMs : null;
  }

  const delayAfter = (failures: number) => {
    const ceiling = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.min(failures - 1, 30));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  };

  async function fail(sink: DeliverySink, part: number, docs: PendingDoc[], error: string, previous: BackoffDoc | null): Promise<number> {
    const failures = (previous?.failures ?? 0) + 1;
    await replaceById(backoffs(), `${sink}:${part}`, { failures, until: new Date(clock.now().getTime() + delayAfter(failures)) });
    const exhausted = docs.filter((d) => d.attempts + 1 >= config.maxAttempts);
    const retried = docs.filter((d) => d.attempts + 1 < config.maxAttempts);
    const deadAt = clock.now();
    // Kept as a dead letter before it leaves the queue: a crash between the two leaves both, never neither.
    await insertManyOnce(
      dead(),
      exhausted.map((d) => ({ _id: `${sink}:${d._id}`, sink, event: d.event, attempts: d.attempts + 1, lastError: error, deadAt })),
    );
    await Promise.all([
      ...exhausted.map((d) => pending(sink, part).deleteOne({ _id: d._id })),
      // Only the lease holder rewrites a waiting event, so this plain replace races nobody.
      ...retried.map((d) => pending(sink, part).replaceOne({ _id: d._id }, { ...d, attempts: d.attempts + 1, lastError: error })),
    ]);
    return exhausted.length;
  }

  async function drain(sink: Sink, part: number, until: number, run: RelayRun): Promise<void> {
    const backoffId = `${sink.name}:${part}`;
    let backoff = await backoffs().findOne({ _id: backoffId });
    if (backoff && backoff.until.getTime() > clock.now().getTime()) return;
    while (until - clock.now().getTime() > margin) {
      const docs = await pending(sink.name, part).find({}).limit(config.batchSize).toArray();
      if (!docs.length) return;
      // The same events make the same batch id, so the bank can also tell a retried batch.
      const batchId = createHash('sha1').update(docs.map((d) => d._id).join(',')).digest('hex').slice(0, 24);
      const started = Date.now();
      try {
        await sink.send({ batchId, events: docs.map((d) => d.event) });
      } catch (err) {
        const error = err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message) : String(err);
        run.failedBatches += 1;
        run.deadLettered += await fail(sink.name, part, docs, error.slice(0, 200), backoff);
        await batches().insertOne({ _id: randomUUID(), sink: sink.name, part, batchId, count: docs.length, ok: false, error: error.slice(0, 200), at: clock.now(), ms: Date.now() - started });
        deps.logger.warn({ sink: sink.name, part, batchId, count: docs.length, error }, 'delivery batch failed');
        return;
      }
      await Promise.all(docs.map((d) => pending(sink.name, part).deleteOne({ _id: d._id })));
      await batches().insertOne({ _id: randomUUID(), sink: sink.name, part, batchId, count: docs.length, ok: true, error: null, at: clock.now(), ms: Date.now() - started });
      if (backoff) {
        await backoffs().deleteOne({ _id: backoffId });
        backoff = null;
      }
      run.delivered += docs.length;
      if (docs.length < config.batchSize) return;
    }
  }

  async function runOnce(): Promise<RelayRun> {
    const run: RelayRun = { delivered: 0, failedBatches: 0, deadLettered: 0 };
    const parts = Array.from({ length: DELIVERY_PARTITIONS }, (_, i) => i).sort(() => Math.random() - 0.5);
    await Promise.all(
      deps.sinks.flatMap((sink) =>
        parts.map(async (part) => {
          // An empty partition is not worth a lease (an idle relay would otherwise write every tick).
          if (!(await pending(sink.name, part).findOne({}))) return;
          const until = await lease(sink.name, part);
          if (until !== null) await drain(sink, part, until, run);
        }),
      ),
    );
    return run;
  }

  return {
    runOnce,
    /** Relays every `intervalMs`, at once again while there is more; the returned function stops it after the run in progress. */
    start(): () => Promise<void> {
      let stopped = false;
      let timer: NodeJS.Timeout | null = null;
      let running: Promise<void> = Promise.resolve();
      const tick = () => {
        running = runOnce().then(
          (run) => {
            if (!stopped) timer = setTimeout(tick, run.delivered >= config.batchSize ? 0 : config.intervalMs);
          },
          (err: unknown) => {
            deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'delivery relay failed');
            if (!stopped) timer = setTimeout(tick, config.intervalMs);
          },
        );
      };
      timer = setTimeout(tick, config.intervalMs);
      return async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running;
      };
    },
    /** Leases and attempt records past any use: leases after an hour, attempts after a day. */
    async purge(): Promise<{ leases: number; batches: number }> {
      const now = clock.now().getTime();
      const [l, b] = await Promise.all([leases().deleteMany({ at: { $lt: new Date(now - 60 * 60 * 1000) } }), batches().deleteMany({ at: { $lt: new Date(now - 24 * 60 * 60 * 1000) } })]);
      return { leases: l.deletedCount, batches: b.deletedCount };
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;
