import type { DrawMallPrizes } from './mall-prizes';
import type { ClaimDoc, DrawDoc, DrawRecords } from './results';

export type Delivery = { claim: ClaimDoc | null; shipped: boolean; carrier: string | null; trackingNo: string | null; shippedAt: Date | null; orderId: string | null };

const addressOf = (c: ClaimDoc) => ({ name: c.name, phone: c.phone, region: c.region, detail: c.detail });

/**
 * Where a won prize stands after the draw: claimed with an address and shipped. A draw's own
 * physical prize is shipped from the draw's back office; a mall item's is its mall order, which
 * the mall ships. An order a crash kept from being created (after the win or the claim) is
 * created here, under its one id, so reading a prize finishes it.
 */
export function createPrizeDelivery(deps: { records: DrawRecords; mallPrizes: DrawMallPrizes }) {
  return {
    async of(doc: DrawDoc): Promise<Delivery> {
      // Only a prize that ships has a claim or a shipment: points, codes and 谢谢参与 have none to read.
      if (doc.kind !== 'mall_item' && !doc.claimBy) return { claim: null, shipped: false, carrier: null, trackingNo: null, shippedAt: null, orderId: null };
      const [claim, shipment] = await Promise.all([deps.records.claim(doc._id), doc.kind === 'mall_item' ? null : deps.records.shipment(doc._id)]);
      if (doc.kind !== 'mall_item') {
        return { claim, shipped: shipment !== null, carrier: shipment?.carrier ?? null, trackingNo: shipment?.trackingNo ?? null, shippedAt: shipment?.at ?? null, orderId: null };
      }
      let order = await deps.mallPrizes.order(doc._id);
      if (!order && (claim || !doc.claimBy)) order = await deps.mallPrizes.issue(doc, doc.itemCode!, claim && addressOf(claim));
      const shipping = order?.status === 'shipped' ? order.shipping : null;
      return {
        claim,
        shipped: shipping !== null,
        carrier: shipping?.carrier ?? null,
        trackingNo: shipping?.trackingNo ?? null,
        shippedAt: shipping?.shippedAt ?? null,
        orderId: order?._id ?? null,
      };
    },
  };
}

export type PrizeDelivery = ReturnType<typeof createPrizeDelivery>;
