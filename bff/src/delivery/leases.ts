import { randomUUID } from 'node:crypto';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { insertOnce } from '@/platform/keyed';

type LeaseDoc = { _id: string; owner: string; at: Date };
/** A lease held: until when, and whether it was taken just now (the work before it may have been cut short). */
export type Lease = { until: number; fresh: boolean };

export const leaseCollection = 'delivery_leases';

/**
 * The right to work one partition of one lane (the publisher, or a sink) for one lease period:
 * a document inserted under `<lane>:<partition>:<period>`, which only one process can create.
 * Periods follow the clock, so the holder knows when its right ends without asking again;
 * work must re-check the time after anything slow and before anything sent (`timeLeft`).
 */
export function createLeases(db: Database, clock: Clock, leaseMs: number) {
  const owner = randomUUID();
  const leases = () => db.collection<LeaseDoc>(leaseCollection);
  /** Whether this process holds the period: it took it now (`fresh`), it held it already, or another process does (null). */
  async function hold(lane: string, part: number, period: number): Promise<{ fresh: boolean } | null> {
    const _id = `${lane}:${part}:${period}`;
    if (await insertOnce(leases(), { _id, owner, at: clock.now() })) return { fresh: true };
    return (await leases().findOne({ _id }))?.owner === owner ? { fresh: false } : null;
  }

  /**
   * The end of this process's lease, and whether it was taken just now; null when another
   * process holds it. Within `renewWithin` of its end the holder also takes the next period,
   * so it works on without a pause at every boundary (its work must keep that much time in
   * hand, so it never runs past what it holds).
   */
  async function take(lane: string, part: number, renewWithin: number): Promise<Lease | null> {
    const period = Math.floor(clock.now().getTime() / leaseMs);
    const current = await hold(lane, part, period);
    if (!current) return null;
    const until = (period + 1) * leaseMs;
    if (until - clock.now().getTime() > renewWithin) return { until, fresh: current.fresh };
    return (await hold(lane, part, period + 1)) ? { until: until + leaseMs, fresh: current.fresh } : { until, fresh: current.fresh };
  }
  // Partitions this process is working now: a lease is held by the process, so its worker and
  // an operator's explicit run would otherwise both work (and send) the same partition.
  const working = new Set<string>();

  return {
    /** Works one partition of one lane under this process's lease (see `take`), unless another process holds it or this one is already working it. */
    async work(lane: string, part: number, renewWithin: number, fn: (lease: Lease) => Promise<void>): Promise<void> {
      const key = `${lane}:${part}`;
      if (working.has(key)) return;
      working.add(key);
      try {
        const lease = await take(lane, part, renewWithin);
        if (lease) await fn(lease);
      } finally {
        working.delete(key);
      }
    },
    timeLeft: (until: number) => until - clock.now().getTime(),
    /** Leases past any use (an hour old). */
    purge: async () => (await leases().deleteMany({ at: { $lt: new Date(clock.now().getTime() - 60 * 60 * 1000) } })).deletedCount,
  };
}

export type Leases = ReturnType<typeof createLeases>;
