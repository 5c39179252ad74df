import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import type { Database } from './db';
import { AppError } from './errors';

/**
 * Fixed-window limits kept in the database, so every BFF process counts the same hits.
 * Each hit is its own insert (inserts are atomic on FerretDB); the count decides.
 */
export type RateLimiter = {
  consume(key: string, limit: number, windowSeconds: number): Promise<void>;
  purgeOlderThan(cutoff: Date): Promise<number>;
};

type Hit = { _id: string; key: string; window: number; at: Date };

export function createRateLimiter(db: Database, clock: Clock): RateLimiter {
  const hits = () => db.collection<Hit>('rate_limit_hits');
  return {
    async consume(key, limit, windowSeconds) {
      const now = clock.now();
      const window = Math.floor(now.getTime() / 1000 / windowSeconds);
      await hits().insertOne({ _id: randomUUID(), key, window, at: now });
      const count = await hits().countDocuments({ key, window });
      if (count > limit) throw new AppError('RATE_LIMITED', { retryAfterSeconds: (window + 1) * windowSeconds - Math.floor(now.getTime() / 1000) });
    },
    async purgeOlderThan(cutoff) {
      const res = await hits().deleteMany({ at: { $lt: cutoff } });
      return res.deletedCount;
    },
  };
}
