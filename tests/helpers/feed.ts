import type { TestBff } from './bff';

/**
 * Runs the BFF's event feed to the end, as its workers would: the publisher (a request's intent
 * into the subscribers' queues) and the feed worker, round after round, until no intent is left
 * and a round hands nothing over (items that keep failing stay queued, counted in the job books).
 * The clock is not moved: an intent waits only for its request's own "stored" mark, which lands
 * moments after the answer. Gives up only when a whole minute passes without progress (a busy
 * machine is slow, not stuck), never after a fixed time.
 */
export async function drainFeed(bff: TestBff, options: { stallMs?: number } = {}): Promise<{ done: number; failed: number }> {
  const { publisher, feed } = bff.app.services.capabilities.delivery;
  const stallMs = options.stallMs ?? 60_000;
  let lastProgress = Date.now();
  const total = { done: 0, failed: 0 };
  for (;;) {
    const published = await publisher.runOnce();
    const run = await feed.runOnce();
    total.done += run.done;
    total.failed += run.failed;
    if (run.done === 0 && (await publisher.backlog()).waiting === 0) return total;
    if (run.done > 0 || published.published > 0) lastProgress = Date.now();
    else if (Date.now() - lastProgress > stallMs) throw new Error(`event feed made no progress for ${stallMs} ms`);
    if (run.done === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs only the publisher until every request's intent is in its subscribers' queues, handing
 * nothing over: a test can then run the feed worker round by round and count each try.
 */
export async function publishFeed(bff: TestBff, options: { stallMs?: number } = {}): Promise<void> {
  const { publisher } = bff.app.services.capabilities.delivery;
  const stallMs = options.stallMs ?? 60_000;
  let lastProgress = Date.now();
  for (;;) {
    const published = await publisher.runOnce();
    if ((await publisher.backlog()).waiting === 0) return;
    if (published.published > 0) lastProgress = Date.now();
    else if (Date.now() - lastProgress > stallMs) throw new Error(`the feed's publisher made no progress for ${stallMs} ms`);
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
