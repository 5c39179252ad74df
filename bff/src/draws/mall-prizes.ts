import { createHash } from 'node:crypto';
import type { ActivityInput } from '../../../shared/contracts/activities';
import type { Address } from '../../../shared/contracts/mall';
import type { DrawPrize } from '../../../shared/contracts/draws';
import type { ActivityView } from '../activities/repository';
import type { MallPrizes } from '../mall/prizes';
import type { DrawDoc } from './results';

type MallItemPrize = DrawPrize & { kind: 'mall_item'; itemCode: string; quantity: number };
const mallItemPrizes = (activity: ActivityInput | null | undefined): MallItemPrize[] =>
  activity?.type === 'draw' ? (activity.settings.prizes.filter((p) => p.kind === 'mall_item') as MallItemPrize[]) : [];

const setAsideKey = (activityId: string, prizeCode: string) => `draw:${activityId}:${prizeCode}`;
/** The mall order a won mall-item prize becomes: one per draw, numbered like every mall order. */
export const prizeOrderId = (drawId: string) => `MO${createHash('sha256').update(`draw-prize|${drawId}`).digest('hex').slice(0, 30)}`;

/**
 * A draw's mall-item prizes (kind `mall_item`): checked against the item's stock when the draw
 * is submitted and approved, their units set aside from it once live, and each win given as the
 * item's zero-points mall order, so the mall fulfils and ships it.
 */
export function createDrawMallPrizes(mall: MallPrizes) {
  return {
    async check(activity: ActivityInput): Promise<void> {
      for (const p of mallItemPrizes(activity)) await mall.check(activity.orgUnitId, p);
    },

    /** Keyed by draw and prize: the sweep may run it again after a crash and nothing is taken twice. */
    async setAside(view: ActivityView): Promise<void> {
      for (const p of mallItemPrizes(view.live)) {
        const item = await mall.itemOf(p.itemCode, { withdrawn: true });
        if (item) await mall.setAside(item._id, p.quantity, setAsideKey(view._id, p.code));
      }
    },

    /** How many of the prize can be won: the units actually set aside for it. */
    async cap(activityId: string, prize: DrawPrize): Promise<number> {
      const item = await mall.itemOf(prize.itemCode!, { withdrawn: true });
      return item ? Math.min(prize.quantity!, await mall.setAsideUnder(item._id, setAsideKey(activityId, prize.code))) : 0;
    },

    /** Whether the item ships to an address (claimed like a physical prize), or is given at once. */
    async ships(prize: DrawPrize): Promise<boolean> {
      return (await mall.itemOf(prize.itemCode!, { withdrawn: true }))?.live.type === 'physical';
    },

    /** The win's mall order, created once: at the win for a perk, at the claim (with its address) for goods. */
    async issue(doc: DrawDoc, itemCode: string, address: Address | null) {
      const item = await mall.itemOf(itemCode, { withdrawn: true });
      if (!item) throw new Error(`draw ${doc._id}: mall item ${itemCode} is gone`);
      return mall.issue({ orderId: prizeOrderId(doc._id), customerId: doc.customerId, item, address });
    },
    order: (drawId: string) => mall.order(prizeOrderId(drawId)),
  };
}

export type DrawMallPrizes = ReturnType<typeof createDrawMallPrizes>;
