import type { Database } from '@/platform/db';
import { DELIVERY_PARTITIONS, feedPendingCollection, type EventFeed, type FeedPendingDoc } from '@/platform/event-feed';
import type { JobBooks } from '@/platform/job-books';
import type { Lease, Leases } from './leases';

type FeedRun = { done: number; failed: number; parked: number };

/** Items read from a subscriber's partition at a time. */
const FEED_PAGE = 100;

/**
 * Hands each queued event to its subscriber, at least once: a subscriber's partition at a time
 * under a lease (the lanes the bank's queues use, `feed:<subscriber>`), oldest first.
 *
 * Each item runs alone through the job books (`feed.<subscriber>`, keyed by the event's id):
 * one that throws stays in its queue, is counted, tried again next round and parked after
 * failing again and again, while the items after it and the other subscribers go on. An item
 * leaves its queue only once handled; a crash between the two hands it over again, which the
 * subscriber's own keys make harmless.
 */
export function createFeedRelay(deps: { db: Database; feed: EventFeed; jobBooks: JobBooks; leases: Leases; marginMs: number }) {
  const pending = (subscriber: string, part: number) => deps.db.collection<FeedPendingDoc>(feedPendingCollection(subscriber, part));

  async function drain(subscriber: string, handle: (event: FeedPendingDoc['event']) => Promise<void>, part: number, run: FeedRun): Promise<void> {
    await deps.leases.work(`feed:${subscriber}`, part, deps.marginMs, (lease) => drainHeld(subscriber, handle, part, run, lease));
  }

  async function drainHeld(subscriber: string, handle: (event: FeedPendingDoc['event']) => Promise<void>, part: number, run: FeedRun, lease: Lease): Promise<void> {
    // Pages by `_id` range: items that failed (or are parked) stay behind without hiding the rest.
    let after = '';
    for (;;) {
      if (deps.leases.timeLeft(lease.until) <= deps.marginMs) return;
      const page = await pending(subscriber, part)
        .find(after ? { _id: { $gt: after } } : {})
        .sort({ _id: 1 })
        .limit(FEED_PAGE)
        .toArray();
      const tried = await deps.jobBooks.each(
        `feed.${subscriber}`,
        page,
        (doc) => doc.event.id,
        async (doc) => {
          await handle(doc.event);
          await pending(subscriber, part).deleteOne({ _id: doc._id });
        },
      );
      run.done += tried.done;
      run.failed += tried.failed;
      run.parked += tried.parked;
      if (page.length < FEED_PAGE) return;
      after = page[page.length - 1]._id;
    }
  }

  return {
    /** Every subscriber's partitions with items, each to its end or its lease's; one partition's failure is thrown after the others finish. */
    async runOnce(): Promise<FeedRun> {
      const run: FeedRun = { done: 0, failed: 0, parked: 0 };
      const results = await Promise.allSettled(
        deps.feed.subscribers().flatMap(([subscriber, { handle }]) =>
          Array.from({ length: DELIVERY_PARTITIONS }, async (_, part) => {
            // An empty partition is not worth a lease (an idle process would otherwise write every tick).
            if (await pending(subscriber, part).findOne({})) await drain(subscriber, handle, part, run);
          }),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return run;
    },
    /** Items waiting for a subscriber (those failing or parked included). */
    async backlog(): Promise<number> {
      const counts = await Promise.all(
        deps.feed.subscribers().flatMap(([subscriber]) => Array.from({ length: DELIVERY_PARTITIONS }, (_, part) => pending(subscriber, part).countDocuments({}))),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
  };
}
