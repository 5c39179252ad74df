import type { Clock } from './clock';
import type { Database } from './db';
import { AppError } from './errors';
import { createStreamStore } from './stream';

/**
 * Fixed-window limits kept in the database, so every BFF process counts the same hits. Each
 * (key, window) is a stream whose position is the count: the n-th hit appends entry n (an
 * insert, atomic on FerretDB), and a hit past the limit appends nothing. Every step is a
 * lookup by `_id`, so a hit costs the same however many are stored.
 */
export type RateLimiter = {
  consume(key: string, limit: number, windowSeconds: number): Promise<void>;
  purgeOlderThan(cutoff: Date): Promise<number>;
  ensureIndexes(): Promise<void>;
};

const COLLECTION = 'rate_limit_counts';

class LimitReached extends Error {}

export function createRateLimiter(db: Database, clock: Clock): RateLimiter {
  const hits = createStreamStore<Record<string, never>>(db, COLLECTION, clock);
  return {
    async consume(key, limit, windowSeconds) {
      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      const window = Math.floor(nowSeconds / windowSeconds);
      try {
        await hits.append(`${key}|${window}`, (head) => {
          if ((head?.seq ?? 0) >= limit) throw new LimitReached();
          return {};
        });
      } catch (err) {
        if (!(err instanceof LimitReached)) throw err;
        throw new AppError('RATE_LIMITED', { retryAfterSeconds: (window + 1) * windowSeconds - nowSeconds });
      }
    },
    async purgeOlderThan(cutoff) {
      const res = await db.collection(COLLECTION).deleteMany({ at: { $lt: cutoff } });
      await db.collection(`${COLLECTION}_heads`).deleteMany({ 'entry.at': { $lt: cutoff } });
      return res.deletedCount;
    },
    ensureIndexes: async () => {
      await hits.ensureIndexes();
      await db.collection(COLLECTION).createIndex({ at: 1 });
    },
  };
}
