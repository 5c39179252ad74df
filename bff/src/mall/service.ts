import type { Address, MallOrder, MallOrderDetail, RedeemRequest, SavedAddress } from '@shared/contracts/mall';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { bankDay } from '@/platform/time';
import { fingerprintOf } from '@/platform/fingerprint';
import { maskAddress, type AddressBook } from '@/customers';
import type { MallBrowsing } from './catalogue/browse';
import { timelineOf, toCustomerOrder } from './orders/view';
import { NOT_STARTED, type OrderDoc, type OrderStore } from './orders/store';
import type { Redemption } from './orders/redemption';
import { idempotentId } from '@/kernel/ids';

/** How long a retry of a request still running waits for it before answering "processing". */
const RETRY_WAIT_MS = 10_000;

/** The mall as customers use it: browse (catalogue/browse.ts), redeem, their orders and addresses. */
export function createMallService(deps: { clock: Clock; browsing: MallBrowsing; orders: OrderStore; redemption: Redemption; addresses: AddressBook }) {
  const { clock, orders, browsing } = deps;
  const { itemWithUsage, contextOf, standing } = browsing;

  async function myOrder(customerId: string, orderId: string): Promise<OrderDoc> {
    const order = await orders.find(orderId);
    if (!order || order.customerId !== customerId || order.refusal) throw new AppError('NOT_FOUND');
    return deps.redemption.current(order);
  }

  return {
    home: browsing.home,
    item: browsing.item,

    /** One redemption per idempotency key: the same key always answers with the same order. */
    async redeem(customerId: string, idempotencyKey: string, request: RedeemRequest): Promise<MallOrder> {
      const orderId = idempotentId([customerId], idempotencyKey, { prefix: 'MO', length: 30 });
      const fingerprint = fingerprintOf(request);
      const replay = async (existing: OrderDoc | null) => {
        const first = existing ?? (await orders.find(orderId))!;
        if (first.fingerprint !== fingerprint) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        return toCustomerOrder(await deps.redemption.settled(orderId, RETRY_WAIT_MS));
      };
      // The order, the item, the customer's standing and address are read together; a retry gets its order even if the item has since gone.
      const day = bankDay(clock.now());
      const asked = itemWithUsage(customerId, request.itemId, day);
      const [existing, found, ctx, usage, given] = await Promise.all([
        orders.find(orderId),
        asked.item.catch((err: Error) => err),
        contextOf(customerId),
        asked.usage.catch(() => null),
        request.addressId ? deps.addresses.find(customerId, request.addressId) : null,
      ]);
      if (existing) return replay(existing);
      if (found instanceof Error) throw found;
      const item = found;
      const live = item.live;
      // Read for the day it is now, unless the bank's day turned between the reads.
      const s = await standing(item, customerId, ctx, usage && ctx.day === day ? Promise.resolve(usage) : undefined);
      const saved = live.type === 'physical' ? given : null;
      // Checked again inside the saga, where races are settled; here they give the clear answer early.
      if (s.blockedBy === 'cash_payment_unavailable') throw new AppError('MALL_CASH_PAYMENT_UNAVAILABLE');
      if (s.blockedBy === 'tier_not_allowed') throw new AppError('MALL_TIER_NOT_ALLOWED');
      let address: Address | null = null;
      if (live.type === 'physical') {
        if (!saved) throw new AppError('MALL_ADDRESS_REQUIRED');
        address = { name: saved.name, phone: saved.phone, region: saved.region, detail: saved.detail };
      }
      if ((live.type === 'topup' || live.type === 'membership') && !request.account) throw new AppError('MALL_ACCOUNT_REQUIRED');
      if (s.blockedBy === 'sold_out') throw new AppError('MALL_SOLD_OUT');
      if (s.blockedBy === 'lifetime_limit' || s.blockedBy === 'daily_limit')
        throw new AppError('MALL_LIMIT_REACHED', { message: s.blockedBy === 'daily_limit' ? '今日兑换次数已达上限' : undefined });
      if (s.blockedBy === 'points_insufficient') throw new AppError('POINTS_INSUFFICIENT');

      const placed: Omit<OrderDoc, 'orderNo'> = {
        _id: orderId,
        customerId,
        itemId: item._id,
        itemCode: item.code,
        itemType: live.type,
        orgUnitId: item.orgUnitId,
        title: live.title,
        cover: live.images.cover ?? null,
        pricePoints: live.pricePoints,
        cashYuan: live.cashYuan ?? null,
        fulfilment: live.fulfilment,
        limits: live.limits,
        day: ctx.day,
        account: request.account ?? null,
        address,
        fingerprint,
        createdAt: clock.now(),
        ...NOT_STARTED,
      };
      const order = await orders.insert(placed);
      if (!order) return replay(null);
      // The pool's size as read for the check above: a pool only grows, so that read errs only on the safe side.
      return toCustomerOrder(await deps.redemption.start(order, order.itemType === 'coupon' ? asked.pool : undefined));
    },

    async orders(customerId: string, before: number | undefined, limit: number) {
      const page = await orders.pageForCustomer(customerId, before, limit);
      const shown = await Promise.all(page.orders.filter((o) => !o.refusal).map((o) => deps.redemption.current(o)));
      return { items: shown.map(toCustomerOrder), nextBefore: page.nextBefore };
    },
    /**
     * One of the customer's orders with its timeline: the order and the books of its steps are
     * read together by `_id` (one round trip); someone else's order is not found, as a missing one.
     */
    async order(customerId: string, orderId: string): Promise<MallOrderDetail> {
      const [found, history] = await Promise.all([orders.find(orderId), orders.history(orderId)]);
      if (!found || found.customerId !== customerId || found.refusal) throw new AppError('NOT_FOUND');
      // Decided but not yet written (a crash, a lost write): current writes it now.
      const order = found.status === 'processing' && history.outcome ? await deps.redemption.current(found) : found;
      // An outcome written just now (current finished the order) may have added to the books.
      const books = order.status === found.status ? history : await orders.history(orderId);
      return { ...toCustomerOrder(order), timeline: timelineOf(order, books) };
    },

    async cancelMine(customerId: string, orderId: string): Promise<MallOrder> {
      const order = await myOrder(customerId, orderId);
      if (order.status === 'cancelled') return toCustomerOrder(order);
      if (order.status !== 'awaiting_shipment' || order.prize) throw new AppError('MALL_ORDER_NOT_CANCELLABLE');
      return toCustomerOrder(await deps.redemption.cancel(order, customerId, { refundStock: true }));
    },

    addresses: {
      list: async (customerId: string): Promise<SavedAddress[]> => (await deps.addresses.list(customerId)).map((a) => ({ id: a.id, ...maskAddress(a) })),
      async add(customerId: string, address: Address): Promise<SavedAddress> {
        const saved = await deps.addresses.add(customerId, address, clock.now());
        return { id: saved.id, ...maskAddress(saved) };
      },
      remove: (customerId: string, id: string) => deps.addresses.remove(customerId, id),
    },
  };
}

export type MallService = ReturnType<typeof createMallService>;
