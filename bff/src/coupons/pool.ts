import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertManyOnce, insertOnce } from '@/platform/keyed';
import { replaceById } from '@/platform/upsert';
import type { CodePools } from '@/kernel/code-pools';
import { codeHash, couponCode, type CodeOwnerDoc, type CouponRepository, type CouponView } from './catalogue';

/** Codes made per batch: one pool entry and two keyed inserts a code (the pool's), plus one bulk insert of owners. */
const POOL_BATCH = 100;
/** How long one process keeps a coupon's build to itself; another takes over after that (a crash). */
const BUILD_LEASE_MS = 30_000;

/** A coupon whose codes are still to be made, and the batch in hand (redone after a crash). */
type BuildDoc = { _id: string; at: Date; batch: { from: number; to: number } | null };

/**
 * A coupon's code pool is made after its approval, in batches, by every process's sweep (and
 * at once in the background by the approving process), never inside the approval request: 300
 * codes took minutes there. Until the pool first holds the whole stock the coupon reads 准备中
 * and nobody can claim it (a `ready` mark, inserted once); a later revision that raises the
 * stock grows the pool the same way while the coupon stays live.
 *
 * Each batch is the same codes every time it is made (`couponCode(secret, coupon, n)`), uploaded
 * under a key of their own content, so a batch redone after a crash, or made by two processes at
 * once, adds each code once. The batch in hand is written on the build mark before it is made,
 * so one whose pool entry was written but whose codes were not is made again.
 */
export function createCouponPools(deps: { db: Database; clock: Clock; faults: Faults; jobBooks: JobBooks; coupons: CouponRepository; codes: CodePools; codeSecret: string }) {
  const builds = () => deps.db.collection<BuildDoc>('cobrand_pool_builds');
  const leases = () => deps.db.collection<{ _id: string; at: Date }>('cobrand_pool_leases');
  const ready = () => deps.db.collection<{ _id: string; at: Date }>('cobrand_pool_ready');
  const owners = () => deps.db.collection<CodeOwnerDoc>('cobrand_code_owners');

  async function makeBatch(couponId: string, from: number, to: number): Promise<number> {
    await replaceById(builds(), couponId, { at: deps.clock.now(), batch: { from, to } });
    const values = Array.from({ length: to - from + 1 }, (_, i) => couponCode(deps.codeSecret, couponId, from + i));
    await insertManyOnce(
      owners(),
      values.map((code, i) => ({ _id: codeHash(code), couponId, seq: from + i })),
    );
    deps.faults.hit('after:coupon.pool-batch');
    const { poolSize } = await deps.codes.upload(couponId, values);
    await replaceById(builds(), couponId, { at: deps.clock.now(), batch: null });
    return poolSize;
  }

  /** Makes up to `budget` batches of one coupon; returns how many it made. */
  async function build(couponId: string, budget: number): Promise<number> {
    const view = (await deps.coupons.findView(couponId)) as CouponView | null;
    const mark = await builds().findOne({ _id: couponId });
    if (!view?.live) {
      await builds().deleteOne({ _id: couponId });
      return 0;
    }
    const slot = Math.floor(deps.clock.now().getTime() / BUILD_LEASE_MS);
    if (!(await insertOnce(leases(), { _id: `${couponId}|${slot}`, at: deps.clock.now() }))) return 0; // another process has it for now
    let made = 0;
    // A batch a crash cut short is made again first, exactly as planned.
    if (mark?.batch) {
      await makeBatch(couponId, mark.batch.from, mark.batch.to);
      made += 1;
    }
    const stock = view.live.stock;
    let size = await deps.codes.poolSize(couponId);
    while (size < stock && made < budget) {
      size = await makeBatch(couponId, size + 1, Math.min(stock, size + POOL_BATCH));
      made += 1;
    }
    // Done for this run: the next may start at once (a crash instead leaves the lease to lapse).
    await leases().deleteOne({ _id: `${couponId}|${slot}` });
    if (size < stock) return made;
    await insertOnce(ready(), { _id: couponId, at: deps.clock.now() });
    await builds().deleteOne({ _id: couponId });
    // A revision raising the stock may have been approved while the mark was about to go: it is read again, and the mark put back.
    const after = (await deps.coupons.findView(couponId)) as CouponView | null;
    if (after?.live && after.live.stock > size) await insertOnce(builds(), { _id: couponId, at: deps.clock.now(), batch: null });
    return made;
  }

  return {
    /** Approval's part: the coupon is marked to be built; nothing is made in the request. */
    async schedule(view: CouponView): Promise<void> {
      if ((await deps.codes.poolSize(view._id)) >= view.live.stock) {
        await insertOnce(ready(), { _id: view._id, at: deps.clock.now() });
        return;
      }
      await insertOnce(builds(), { _id: view._id, at: deps.clock.now(), batch: null });
    },

    /** Whether the coupon's pool has held its whole stock once (its mark): before that it reads 准备中. */
    async isReady(view: CouponView): Promise<boolean> {
      return (await ready().findOne({ _id: view._id })) !== null;
    },
    /** Whether a build is still to finish (a stock raised, or the first one). */
    isBuilding: async (couponId: string) => (await builds().findOne({ _id: couponId })) !== null,

    /**
     * Makes the codes of every coupon waiting for them, each alone through the job books: one that
     * fails is counted and left for the next run. `maxBatches` bounds the work of one run.
     */
    async run(options: { maxBatches?: number } = {}): Promise<{ batches: number; failed: number; parked: number }> {
      let budget = options.maxBatches ?? Number.POSITIVE_INFINITY;
      let batches = 0;
      // As many as there are coupons waiting for codes, not as the history.
      const marks = await builds().find({}).limit(100).toArray();
      const run = await deps.jobBooks.each(
        'coupons.pools',
        marks,
        (m) => m._id,
        async (mark) => {
          if (budget <= 0) return;
          const made = await build(mark._id, budget);
          batches += made;
          budget -= made;
        },
      );
      return { batches, failed: run.failed, parked: run.parked };
    },

    /** Build leases past their period: bookkeeping only. */
    async pruneLeases(): Promise<number> {
      const res = await leases().deleteMany({ at: { $lt: new Date(deps.clock.now().getTime() - 2 * BUILD_LEASE_MS) } });
      return res.deletedCount;
    },
  };
}

export type CouponPools = ReturnType<typeof createCouponPools>;
