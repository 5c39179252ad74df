import type { Clock } from '../platform/clock';
import type { OrderDoc, OrderStore } from './orders';
import { isRefusal, type Redemption } from './redemption';

export type SweepCounts = { completed: number; failed: number; stillPending: number; abandoned: number };

/**
 * Completes or reverses every order left mid-way for longer than the lease: a process that
 * died, a partner that never answered. Reads only the open-order markers.
 */
export function createOrderSweep(deps: { clock: Clock; orders: OrderStore; redemption: Redemption; leaseMs: number }) {
  const { orders } = deps;
  return async function recover(): Promise<SweepCounts> {
    // abandoned: a crash came between marking the order open and writing it, so there is nothing to settle.
    const counts = { completed: 0, failed: 0, stillPending: 0, abandoned: 0 };
    const cutoff = new Date(deps.clock.now().getTime() - deps.leaseMs);
    for (const id of await orders.openSince(cutoff)) {
      const order = await orders.find(id);
      if (!order) {
        await orders.close(id);
        counts.abandoned += 1;
        continue;
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
    }
    return counts;
  };
}
