import { orderStatusNamesZh, type MallOrder } from '@shared/contracts/mall';
import { maskPhone } from '@shared/masking';
import { maskAddress } from '@/customers';
import type { OrderDoc } from './store';

/** An order as its customer sees it: personal data masked, the coupon code only once it is theirs. */
export function toCustomerOrder(o: OrderDoc): MallOrder {
  return {
    id: o._id,
    itemId: o.itemId,
    itemType: o.itemType,
    title: o.title,
    cover: o.cover,
    pricePoints: o.pricePoints,
    cashYuan: o.cashYuan,
    status: o.status,
    statusName: orderStatusNamesZh[o.status],
    failureCode: o.failureCode,
    createdAt: o.createdAt.toISOString(),
    coupon: o.status === 'completed' ? o.coupon : null,
    perk: o.status === 'completed' ? o.perk : null,
    account: o.account ? maskPhone(o.account) : null,
    shipping: o.address ? { ...maskAddress(o.address), carrier: o.shipping?.carrier ?? null, trackingNo: o.shipping?.trackingNo ?? null } : null,
    cancellable: o.status === 'awaiting_shipment' && !o.prize,
    prize: o.prize === true,
  };
}
