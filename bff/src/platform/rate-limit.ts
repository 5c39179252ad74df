import type { Clock } from './clock';
import type { Database } from './db';
import { AppError } from './errors';
import { insertOnce } from './keyed';

/**
 * Fixed-window limits kept in the database, so every BFF process counts the same hits. A hit
 * takes a numbered place `<key>|<window>|<n>` by insert (atomic on FerretDB): the limit's `n`
 * places, so no two hits in any number of processes ever count as one. A hit tries the place
 * after the last this process saw taken (usually the free one: one insert) and walks on from a
 * taken one; places are never given back within their window, so a process that saw place
 * `limit` taken may refuse without asking again.
 */
export type RateLimiter = {
  consume(key: string, limit: number, windowSeconds: number): Promise<void>;
  purgeOlderThan(cutoff: Date): Promise<number>;
  ensureIndexes(): Promise<void>;
};

const COLLECTION = 'rate_limit_hits';
/** Windows this process remembers the last taken place of: enough for the keys in use at once. */
const REMEMBERED = 50_000;

export function createRateLimiter(db: Database, clock: Clock): RateLimiter {
  const hits = () => db.collection<{ _id: string; at: Date }>(COLLECTION);
  const lastTaken = new Map<string, number>();
  return {
    async consume(key, limit, windowSeconds) {
      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      const window = Math.floor(nowSeconds / windowSeconds);
      const counter = `${key}|${window}`;
      for (let place = (lastTaken.get(counter) ?? 0) + 1; place <= limit; place++) {
        const taken = !(await insertOnce(hits(), { _id: `${counter}|${place}`, at: clock.now() }));
        if (lastTaken.size >= REMEMBERED) lastTaken.clear();
        lastTaken.set(counter, place);
        if (!taken) return;
      }
      throw new AppError('RATE_LIMITED', { retryAfterSeconds: (window + 1) * windowSeconds - nowSeconds });
    },
    // Callers purge only places older than any window in use (an hour), so no place is given back while its window runs.
    async purgeOlderThan(cutoff) {
      return (await hits().deleteMany({ at: { $lt: cutoff } })).deletedCount;
    },
    ensureIndexes: async () => {
      await hits().createIndex({ at: 1 });
    },
  };
}
