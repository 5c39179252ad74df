import { createHash } from 'node:crypto';
import { orderStatusNamesZh, type MallItemType, type MallOrder, type OrderEvent } from '@shared/contracts/mall';
import { maskPhone } from '@shared/masking';
import { maskAddress } from '@/customers';
import { bankDay } from '@/platform/time';
import type { OrderDoc, OrderStore } from './store';

/**
 * A candidate 订单编号 (see OrderNumber in the contract) for an order: its Beijing day as YYMMDD, then ten digits
 * from its id and the attempt. The store claims one under a unique key, the next attempt's on a clash, and
 * keeps it on the order: ten digits alone would clash between two orders of one day one time in 10¹⁰/n.
 */
export function orderNumberCandidate(o: Pick<OrderDoc, '_id' | 'createdAt'>, attempt: number): string {
  const day = bankDay(o.createdAt).replace(/-/g, '').slice(2);
  // 13 hex digits are 52 bits: exact in a double.
  const digits = parseInt(createHash('sha256').update(`${o._id}:${attempt}`).digest('hex').slice(0, 13), 16) % 10_000_000_000;
  return `${day}${String(digits).padStart(10, '0')}`;
}

const ISSUED: Record<MallItemType, string> = {
  coupon: '券码已发放',
  topup: '充值成功',
  membership: '会员权益已开通',
  perk: '权益已发放',
  physical: '兑换成功，等待发货',
};

type History = Awaited<ReturnType<OrderStore['history']>>;

/**
 * An order's timeline from its books: a step appears only once it is recorded (the debit, the
 * outcome, the settlement, the compensation), oldest first; nothing still to come is shown.
 */
export function timelineOf(o: OrderDoc, h: History): OrderEvent[] {
  const events: OrderEvent[] = [{ kind: 'placed', title: o.prize ? '抽奖获得' : '提交订单', at: o.createdAt.toISOString(), note: null }];
  const paid = !o.prize && h.debited !== null;
  if (paid) events.push({ kind: 'paid', title: '积分已支付', at: h.debited!.at.toISOString(), note: `${o.pricePoints} 积分` });
  if (h.outcome?.outcome === 'confirmed') events.push({ kind: 'issued', title: ISSUED[o.itemType], at: h.outcome.at.toISOString(), note: null });
  if (h.outcome?.outcome === 'failed') events.push({ kind: 'failed', title: '兑换失败', at: h.outcome.at.toISOString(), note: null });
  if (h.outcome?.outcome === 'failed' && paid && h.compensated)
    events.push({ kind: 'refunded', title: '积分已退回', at: h.compensated.at.toISOString(), note: `${o.pricePoints} 积分` });
  if (h.settlement?.action === 'shipped') {
    const note = o.shipping ? `${o.shipping.carrier} 运单号 ${o.shipping.trackingNo}` : null;
    events.push({ kind: 'shipped', title: '已发货', at: (o.shipping?.shippedAt ?? h.settlement.at).toISOString(), note });
  }
  if (h.settlement?.action === 'cancelled') {
    events.push({ kind: 'cancelled', title: '订单已取消', at: h.settlement.at.toISOString(), note: null });
    // A cancellation returns the points before it writes the status: the status says they are back.
    if (paid && o.status === 'cancelled') events.push({ kind: 'refunded', title: '积分已退回', at: h.settlement.at.toISOString(), note: `${o.pricePoints} 积分` });
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** An order as its customer sees it: personal data masked, the coupon code only once it is theirs. */
export function toCustomerOrder(o: OrderDoc): MallOrder {
  return {
    id: o._id,
    orderNo: o.orderNo,
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
