import type { JobName } from '@shared/job-names';
import type { Clock } from './clock';
import type { Database } from './db';
import { setFields } from './upsert';

/** How each periodic job last went, in this deployment (every process writes it). */
type JobRecord = {
  _id: string;
  lastRunAt: Date;
  lastOkAt: Date | null;
  lastFailedAt: Date | null;
  lastError: string | null;
  failuresInARow: number;
  failures: number;
};

/** An item of a job that failed: how often in a row, and whether it is parked (left alone until released). */
type ItemRecord = { _id: string; job: string; key: string; failures: number; lastError: string; firstFailedAt: Date; lastFailedAt: Date; parked: boolean };

/** Failures in a row after which an item is parked: it is skipped, and shown, until someone releases it. */
const PARK_AFTER = 5;

const short = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * The books of periodic work: each job's last outcome, and each item a job could not finish.
 * Figures only (FerretDB's updates are not atomic: two processes may both count one failure);
 * nothing money-like rests on them. A job's items run each alone (`each`): one that throws is
 * counted and the others go on; after `PARK_AFTER` failures in a row it is parked, so a poisoned
 * item costs nothing more and is reported until released.
 */
export function createJobBooks(db: Database, clock: Clock) {
  const jobs = () => db.collection<JobRecord>('maintenance_jobs');
  const items = () => db.collection<ItemRecord>('maintenance_items');
  const itemId = (job: string, key: string) => `${job}|${key}`;

  return {
    async ran(job: string, outcome: { ok: true } | { ok: false; error: unknown }): Promise<void> {
      const now = clock.now();
      if (outcome.ok) await setFields(jobs(), job, { lastRunAt: now, lastOkAt: now, failuresInARow: 0 });
      else await setFields(jobs(), job, { lastRunAt: now, lastFailedAt: now, lastError: short(outcome.error) }, { failuresInARow: 1, failures: 1 });
    },

    /** Runs `work` for each item, each alone; returns what it did. `job` names the job in the books. */
    async each<T>(job: JobName, list: T[], keyOf: (item: T) => string, work: (item: T) => Promise<unknown>): Promise<{ done: number; failed: number; parked: number }> {
      const counts = { done: 0, failed: 0, parked: 0 };
      for (const item of list) {
        const key = keyOf(item);
        const record = await items().findOne({ _id: itemId(job, key) });
        if (record?.parked) {
          counts.parked += 1;
          continue;
        }
        try {
          await work(item);
          counts.done += 1;
          if (record) await items().deleteOne({ _id: record._id });
        } catch (err) {
          counts.failed += 1;
          const now = clock.now();
          const failures = (record?.failures ?? 0) + 1;
          await setFields(items(), itemId(job, key), {
            job,
            key,
            failures,
            lastError: short(err),
            firstFailedAt: record?.firstFailedAt ?? now,
            lastFailedAt: now,
            parked: failures >= PARK_AFTER,
          });
        }
      }
      return counts;
    },

    async report(): Promise<{ jobs: JobRecord[]; items: ItemRecord[] }> {
      // Both as many as there are jobs and failing items, not as the history.
      const [j, i] = await Promise.all([jobs().find({}).toArray(), items().find({}).limit(500).toArray()]);
      return { jobs: j.sort((a, b) => a._id.localeCompare(b._id)), items: i };
    },

    /** Lets a parked item be tried again (someone fixed its cause); false when it was not there. */
    async release(job: string, key: string): Promise<boolean> {
      return (await items().deleteOne({ _id: itemId(job, key) })).deletedCount === 1;
    },
  };
}

export type JobBooks = ReturnType<typeof createJobBooks>;
