import type { Clock } from './clock';
import type { Idempotency } from './idempotency';
import type { Logger } from './logger';
import type { RateLimiter } from './rate-limit';
import type { PointsService } from '../points/service';
import type { RewardEngine } from '../rewards/engine';
import type { Redemption } from '../mall/redemption';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Periodic work: expiring points, finishing rewards a crash cut short, and deleting expired
 * bookkeeping (FerretDB has no TTL indexes). Every BFF process runs it; each step is keyed or
 * idempotent, so running it twice or in two processes at once is harmless.
 */
export function createMaintenance(deps: {
  clock: Clock;
  rateLimiter: RateLimiter;
  idempotency: Idempotency;
  logger: Logger;
  points: PointsService;
  rewards: RewardEngine;
  redemption: Redemption;
}) {
  async function runOnce() {
    const now = deps.clock.now().getTime();
    return {
      // Points past their expiry: one expire entry per lot, whichever process gets there first.
      expiredLots: await deps.points.expireDue(),
      // Rewards taken from a budget in the last day are fulfilled again (a no-op unless a crash cut one short).
      rewardsRechecked: await deps.rewards.recover(new Date(now - 24 * HOUR_MS)),
      // Mall orders left mid-way past their lease (a crash, a partner that never answered): completed or reversed.
      mallOrders: await deps.redemption.recover(),
      rateLimitHits: await deps.rateLimiter.purgeOlderThan(new Date(now - HOUR_MS)),
      // Retries come within minutes; a day keeps every realistic retry answered.
      idempotencyKeys: await deps.idempotency.purgeOlderThan(new Date(now - 24 * HOUR_MS)),
    };
  }

  return {
    runOnce,
    /**
     * Runs the whole job every `intervalMs`, and the mall sweep every `sweepMs` as well (an order
     * left mid-way should be settled within minutes of its lease), until the returned function is called.
     */
    start(intervalMs = 10 * 60 * 1000, sweepMs = 60 * 1000): () => void {
      const every = (ms: number, name: string, work: () => Promise<unknown>) => {
        const timer = setInterval(() => {
          work().then(
            (done) => deps.logger.debug({ done }, name),
            (err: unknown) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${name} failed`),
          );
        }, ms);
        timer.unref();
        return timer;
      };
      const timers = [every(intervalMs, 'maintenance', runOnce), every(sweepMs, 'mall sweep', () => deps.redemption.recover())];
      return () => timers.forEach(clearInterval);
    },
  };
}
