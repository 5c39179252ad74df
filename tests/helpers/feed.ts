import type { TestBff } from './bff';

/**
 * Runs the BFF's event feed to the end, as its workers would: the publisher (a request's intent
 * into the subscribers' queues) and the feed worker, round after round, until no intent is left
 * and a round hands nothing over (items that keep failing stay queued, counted in the job books).
 * The clock is not moved: an intent waits only for its request's own "stored" mark, which lands
 * moments after the answer. Polls with a generous deadline, never a fixed sleep.
 */
export async function drainFeed(bff: TestBff, options: { deadlineMs?: number } = {}): Promise<{ done: number; failed: number }> {
  const { publisher, feed } = bff.app.services.capabilities.delivery;
  const deadline = Date.now() + (options.deadlineMs ?? 90_000);
  const total = { done: 0, failed: 0 };
  for (;;) {
    await publisher.runOnce();
    const run = await feed.runOnce();
    total.done += run.done;
    total.failed += run.failed;
    if (run.done === 0 && (await publisher.backlog()).waiting === 0) return total;
    if (Date.now() > deadline) throw new Error('event feed did not drain');
    if (run.done === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
