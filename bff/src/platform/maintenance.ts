import type { Clock } from './clock';
import type { Idempotency } from './idempotency';
import type { Logger } from './logger';
import type { RateLimiter } from './rate-limit';

const HOUR_MS = 60 * 60 * 1000;

/**
 * FerretDB has no TTL indexes, so expired bookkeeping is deleted by a job. Every BFF process
 * runs it; deletes by age are harmless to repeat, so they need no coordination.
 */
export function createMaintenance(deps: { clock: Clock; rateLimiter: RateLimiter; idempotency: Idempotency; logger: Logger }) {
  async function runOnce(): Promise<{ rateLimitHits: number; idempotencyKeys: number }> {
    const now = deps.clock.now().getTime();
    return {
      rateLimitHits: await deps.rateLimiter.purgeOlderThan(new Date(now - HOUR_MS)),
      // Retries come within minutes; a day keeps every realistic retry answered.
      idempotencyKeys: await deps.idempotency.purgeOlderThan(new Date(now - 24 * HOUR_MS)),
    };
  }

  return {
    runOnce,
    /** Runs every `intervalMs` until the returned function is called. */
    start(intervalMs = 10 * 60 * 1000): () => void {
      const timer = setInterval(() => {
        runOnce().then(
          (purged) => deps.logger.debug({ purged }, 'maintenance'),
          (err: unknown) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'maintenance failed'),
        );
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
