import type { MallItemType } from '@shared/contracts/mall';
import { inBankTime } from '@/platform/time';
import { CodesExhausted, type CodePools } from '@/kernel/code-pools';
import type { OrderDoc } from './store';
import type { FulfilmentProvider } from './provider';
import { hashId } from '@/kernel/ids';

/** Fulfilment was refused downstream (no code left, the partner declined): the order fails and is refunded. */
export class FulfilmentFailed extends Error {}

/** Who is running the saga: the customer's request, or the sweep finishing what a crash or a slow partner left. */
export type SagaMode = 'request' | 'sweep';

/** What fulfilling an order adds to it, or 'pending' while the partner has not answered. */
export type Fulfilled = Partial<OrderDoc> | 'pending';

/**
 * Fulfilment per kind of item. Each is keyed by the order: the same order always gets the
 * same coupon code, voucher number or partner delivery, however often it runs.
 */
export function createFulfilment(deps: { codes: CodePools; provider: FulfilmentProvider }) {
  async function delivered(order: OrderDoc, mode: SagaMode): Promise<Fulfilled> {
    const { productCode } = order.fulfilment as { productCode: string };
    // The sweep first asks what became of an earlier call, and stops one still hanging.
    let result = mode === 'sweep' ? await deps.provider.query(order._id) : { status: 'unknown' as const };
    if (result.status === 'unknown') result = await deps.provider.deliver(order._id, productCode, order.account!);
    if (result.status === 'pending' && mode === 'sweep') result = await deps.provider.cancel(order._id);
    if (result.status === 'succeeded') return { providerRef: result.reference };
    if (result.status === 'pending') return 'pending';
    throw new FulfilmentFailed(`provider: ${result.status}`);
  }

  const byKind: Record<MallItemType, (order: OrderDoc, mode: SagaMode, pool?: Promise<number>) => Promise<Fulfilled>> = {
    async coupon(order, _mode, pool) {
      const { couponName, validDays } = order.fulfilment as { couponName: string; validDays: number };
      try {
        const code = await deps.codes.assign(order.itemId, order._id, pool);
        const validUntil = inBankTime(order.createdAt).add(validDays, 'day').endOf('day').toISOString();
        return { coupon: { name: couponName, code, validUntil } };
      } catch (err) {
        if (err instanceof CodesExhausted) throw new FulfilmentFailed('no code left in the pool');
        throw err;
      }
    },
    topup: delivered,
    membership: delivered,
    async perk(order) {
      const voucherNo = `PK${hashId([order._id], { length: 12 }).toUpperCase()}`;
      return { perk: { voucherNo, instructions: (order.fulfilment as { instructions: string }).instructions } };
    },
    // The shipment is created by the back office, which ships against the order's address.
    physical: async () => ({}),
  };

  /** `pool`: a coupon pool's size, when already read. */
  return (order: OrderDoc, mode: SagaMode, pool?: Promise<number>): Promise<Fulfilled> => byKind[order.itemType](order, mode, pool);
}

export type Fulfil = ReturnType<typeof createFulfilment>;
