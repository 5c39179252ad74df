import type { Clock } from '@/platform/clock';
import type { JobBooks } from '@/platform/job-books';
import type { OrderDoc, OrderStore } from './store';
import { isRefusal, type Redemption } from './redemption';

/** `failed`: orders settled as failed (refunded); `unfinished` and `parked`: orders the sweep itself could not move, counted in the job books. */
export type SweepCounts = { completed: number; failed: number; stillPending: number; abandoned: number; unfinished: number; parked: number };

/**
 * Completes or reverses every order left mid-way for longer than the lease: a process that
 * died, a partner that never answered. Reads only the open-order markers. Each order alone: one
 * that cannot be moved is counted (and parked after failing again and again) while the others go on.
 */
export function createOrderSweep(deps: { clock: Clock; orders: OrderStore; redemption: Redemption; leaseMs: number; books: JobBooks }) {
  const { orders } = deps;
  return async function recover(): Promise<SweepCounts> {
    // abandoned: a crash came between marking the order open and writing it, so there is nothing to settle.
    const counts = { completed: 0, failed: 0, stillPending: 0, abandoned: 0, unfinished: 0, parked: 0 };
    const cutoff = new Date(deps.clock.now().getTime() - deps.leaseMs);
    const run = await deps.books.each(
      'mall.orders',
      await orders.openSince(cutoff),
      (id) => id,
      async (id) => {
        const order = await orders.find(id);
        if (!order) {
          await orders.close(id);
          counts.abandoned += 1;
          return;
        }
        // A crash may have cut the order off before it reached the customer's list.
        await orders.listForCustomer(order);
        let result: OrderDoc;
        try {
          result = await deps.redemption.resume(order);
        } catch (err) {
          if (!isRefusal(err)) throw err;
          result = (await orders.find(id))!;
        }
        if (result.status === 'failed') counts.failed += 1;
        else if (result.status === 'processing') counts.stillPending += 1;
        else counts.completed += 1;
      },
    );
    counts.unfinished = run.failed;
    counts.parked = run.parked;
    return counts;
  };
}
