import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce, numberedSlots } from '@/platform/keyed';

/**
 * Per-customer redemption limits as numbered slots: the k-th redemption of an item by a
 * customer (in a day, or ever) inserts slot k under its `_id`, so two concurrent requests
 * can never both take the last one. Releasing a slot (a failed or cancelled order) is a
 * delete by `_id`, which gives the redemption back. An order releases each limit once and
 * never claims it again afterwards: a late saga step cannot take back a slot its order gave up.
 */
type Slot = { _id: string; orderId: string };
export type Limits = { perDay?: number; lifetime?: number };

export function createLimitSlots(db: Database) {
  const slots = () => db.collection<Slot>('mall_limit_slots');
  const releases = () => db.collection<{ _id: string }>('mall_limit_releases');
  const scopes = (itemId: string, customerId: string, day: string, limits: Limits) =>
    [
      limits.lifetime ? { prefix: `${itemId}|${customerId}|life`, max: limits.lifetime, code: 'lifetime' as const } : null,
      limits.perDay ? { prefix: `${itemId}|${customerId}|${day}`, max: limits.perDay, code: 'daily' as const } : null,
    ].filter((s) => s !== null);

  const numbered = numberedSlots(slots);
  const taken = numbered.read;

  const released = (prefix: string, orderId: string) => releases().findOne({ _id: `${prefix}|${orderId}` });

  async function claimOne(prefix: string, max: number, orderId: string): Promise<string | null> {
    if (await released(prefix, orderId)) return null;
    // A retry of the same order keeps its slot.
    const slot = await numbered.claim(prefix, max, (_id) => ({ _id, orderId }), { isMine: (s) => s.orderId === orderId });
    if (!slot) return null;
    // Checked after the insert, so a release running at the same time either sees this slot
    // and frees it, or has left its marker for this check to see.
    if (await released(prefix, orderId)) {
      await slots().deleteOne({ _id: slot });
      return null;
    }
    return slot;
  }

  /**
   * Frees the order's slots, once per limit. Two undos of one order may run at once, and the
   * freed slot may be taken again in between, so each release is itself a claim: only the undo
   * that inserts the order's release marker deletes its slot. A crash between the two leaves
   * the slot taken, the safe way.
   */
  async function releaseFor(itemId: string, customerId: string, day: string, limits: Limits, orderId: string): Promise<void> {
    for (const scope of scopes(itemId, customerId, day, limits)) {
      if (!(await insertOnce(releases(), { _id: `${scope.prefix}|${orderId}` }))) continue; // another undo of this order frees it
      for (const slot of await taken(scope.prefix, scope.max)) if (slot?.orderId === orderId) await slots().deleteOne({ _id: slot._id });
    }
  }

  return {
    /** Takes one slot in every limit of the item for this order, or none and MALL_LIMIT_REACHED. */
    async claim(itemId: string, customerId: string, day: string, limits: Limits, orderId: string): Promise<void> {
      for (const scope of scopes(itemId, customerId, day, limits)) {
        if (!(await claimOne(scope.prefix, scope.max, orderId))) {
          await releaseFor(itemId, customerId, day, limits, orderId);
          throw new AppError('MALL_LIMIT_REACHED', { message: scope.code === 'daily' ? '今日兑换次数已达上限' : '已达到该商品的兑换上限' });
        }
      }
    },
    releaseFor,
    /** How many of each limit are used, for showing "limit reached" before the customer taps. */
    async used(itemId: string, customerId: string, day: string, limits: Limits): Promise<{ today: number; total: number }> {
      const out = { today: 0, total: 0 };
      for (const scope of scopes(itemId, customerId, day, limits)) {
        const n = (await taken(scope.prefix, scope.max)).filter(Boolean).length;
        if (scope.code === 'daily') out.today = n;
        else out.total = n;
      }
      return out;
    },
  };
}

export type LimitSlots = ReturnType<typeof createLimitSlots>;
