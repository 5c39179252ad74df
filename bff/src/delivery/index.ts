import type { AppContext } from '@/context';
import type { CapabilityModule } from '@/platform/module';
import { bankDay } from '@/platform/time';
import { createBooks, deliveryBooks } from './books';
import { createExportDays } from './export-days';
import { createFeedRelay } from './feed';
import { createLeases, leaseCollection } from './leases';
import { createPublisher } from './publisher';
import { createRelay } from './relay';
import { deliveryRoutes } from './routes';
import { ndjsonSink, webhookSink, type Sink } from './sinks';
import { createDeliveryOperations } from './status';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Events to the bank: the publisher (intents to numbered, queued events) and the relay (queues
 * to sinks), run together as this module's worker; the feed worker (queued events to the
 * feed's subscribers); the export's closing days; the books; and the operations endpoints.
 */
export function deliveryModule(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const { webhook, exportDir } = config.delivery;
  const books = createBooks(db);
  const leases = createLeases(db, clock, config.delivery.leaseMs);
  const exportDays = exportDir ? createExportDays({ db, clock, dir: exportDir, leaseMs: config.delivery.leaseMs, closeAfterMs: config.delivery.exportCloseAfterMs }) : null;
  const sinks: Sink[] = [
    ...(webhook ? [webhookSink({ ...webhook, clock })] : []),
    ...(exportDir && exportDays ? [ndjsonSink({ dir: exportDir, clock, closedDays: exportDays.closedDays })] : []),
  ];
  const names = sinks.map((s) => s.name);
  const margin = Math.min(config.delivery.leaseMs / 2, 1.5 * (webhook?.timeoutMs ?? 1000));
  const publisher = createPublisher({
    db,
    clock,
    feed: ctx.events,
    books,
    jobBooks: ctx.jobBooks,
    leases,
    sinks: names,
    faults: ctx.faults,
    staleMs: config.delivery.intentStaleMs,
    marginMs: margin,
  });
  const feed = createFeedRelay({ db, feed: ctx.events, jobBooks: ctx.jobBooks, leases, marginMs: margin });
  const relay = createRelay({ db, clock, logger: ctx.logger, sinks, books, leases, faults: ctx.faults, config: config.delivery });
  const operations = createDeliveryOperations({ db, clock, audit: ctx.audit, books, publisher, sinks: names, source: (name) => ctx.events.source(name) });

  /** One round: publish what was kept, then deliver what waits. */
  async function runOnce() {
    const published = await publisher.runOnce().catch((err: unknown) => {
      ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'delivery publishing failed');
      return { intents: 0, published: 0, waiting: 0, failed: 1 };
    });
    const delivered = await relay.runOnce();
    return { ...delivered, published: published.published };
  }

  /** Per-day books older than the retention are dropped whole. */
  async function dropOldBooks(): Promise<number> {
    const oldest = bankDay(new Date(clock.now().getTime() - config.delivery.booksDays * DAY_MS));
    let dropped = 0;
    for (const { name } of await db.listCollections()) {
      const day = deliveryBooks.dayOf(name);
      if (day && day < oldest) {
        await db.dropCollection(name);
        dropped += 1;
      }
    }
    return dropped;
  }

  const module: CapabilityModule = {
    name: 'delivery',
    routes: deliveryRoutes(operations, ctx.scope, () => clock.now()),
    sweeps: exportDays ? { exportDays: () => exportDays.close() } : {},
    jobs: {
      // Anything kept today or yesterday that the books show in no state goes back in the queue (a day's check: not every minute).
      gaps: async () => {
        const today = clock.now();
        return (await operations.requeueGaps(bankDay(new Date(today.getTime() - DAY_MS)))) + (await operations.requeueGaps(bankDay(today)));
      },
      purge: async () => ({ leases: await leases.purge(), batches: await relay.purge(), books: await dropOldBooks() }),
    },
    workers: {
      relay: {
        intervalMs: config.delivery.intervalMs,
        // At once again while a round filled its batch.
        round: async () => {
          const run = await runOnce();
          return { more: run.delivered + run.published >= config.delivery.batchSize };
        },
      },
      feed: {
        intervalMs: config.delivery.intervalMs,
        round: async () => ({ more: (await feed.runOnce()).done >= config.delivery.batchSize }),
      },
    },
    ensureIndexes: async () => {
      await publisher.ensureIndexes();
      await relay.ensureIndexes();
      await db.collection(leaseCollection).createIndex({ at: 1 });
    },
  };

  return { module, relay: { runOnce }, publisher, feed, operations, exportDays };
}
