import type { ActivityInput } from '@shared/contracts/activities';
import type { Address } from '@shared/contracts/mall';
import type { DrawPrize } from '@shared/contracts/draws';
import type { ActivityView } from '@/activities';
import type { MallPrizes } from '@/mall';
import type { DrawDoc } from './results';
import { AppError } from '@/platform/errors';
import { hashId } from '@/kernel/ids';

type MallItemPrize = DrawPrize & { kind: 'mall_item'; itemCode: string; quantity: number };
const mallItemPrizes = (activity: ActivityInput | null | undefined): MallItemPrize[] =>
  activity?.type === 'draw' ? (activity.settings.prizes.filter((p) => p.kind === 'mall_item') as MallItemPrize[]) : [];

const setAsideKey = (activityId: string, prizeCode: string) => `draw:${activityId}:${prizeCode}`;
/** The mall order a won mall-item prize becomes: one per draw, numbered like every mall order. */
export const prizeOrderId = (drawId: string) => hashId(['draw-prize', drawId], { prefix: 'MO', length: 30 });

/**
 * A draw's mall-item prizes (kind `mall_item`): checked against the item's stock when the draw
 * is submitted and approved; exactly their published units set aside from it before the approval
 * is recorded (a short take refuses the approval and gives back what it took); each win given as
 * the item's zero-points mall order, so the mall fulfils and ships it.
 */
export function createDrawMallPrizes(mall: MallPrizes) {
  /** Gives back what is set aside for each of these prizes. */
  async function release(activityId: string, prizes: MallItemPrize[]): Promise<void> {
    for (const p of prizes) {
      const item = await mall.itemOf(p.itemCode, { withdrawn: true });
      if (item) await mall.releaseSetAside(item._id, setAsideKey(activityId, p.code));
    }
  }

  /**
   * Before the approval of a draw that has never been live is recorded: every mall-item prize's
   * units, exactly, or none of them (what was taken goes back) and DRAW_PRIZE_ITEM_UNAVAILABLE.
   * Keyed by draw and prize: run again (a retry, a racing approval) it takes nothing twice. A
   * live draw's prizes are locked, and set aside already.
   */
  async function reserve(view: Pick<ActivityView, '_id' | 'liveRevision'>, content: ActivityInput): Promise<void> {
    if (view.liveRevision !== null) return;
    const prizes = mallItemPrizes(content);
    for (const p of prizes) {
      const item = await mall.itemOf(p.itemCode);
      if (item && (await mall.setAsideExactly(item._id, p.quantity, setAsideKey(view._id, p.code)))) continue;
      await release(view._id, prizes);
      throw new AppError('DRAW_PRIZE_ITEM_UNAVAILABLE', { message: `奖品「${p.name}」：商品 ${p.itemCode} 库存不足奖品数量 ${p.quantity}，审批未通过` });
    }
  }

  /** The units set aside for the prize, whatever its published quantity (for the books). */
  async function setAsideFor(activityId: string, prize: DrawPrize): Promise<number> {
    const item = await mall.itemOf(prize.itemCode!, { withdrawn: true });
    return item ? mall.setAsideUnder(item._id, setAsideKey(activityId, prize.code)) : 0;
  }

  return {
    async check(activity: ActivityInput): Promise<void> {
      for (const p of mallItemPrizes(activity)) await mall.check(activity.orgUnitId, p);
    },
    reserve,

    /** What a draw whose approval was refused or never recorded set aside goes back on sale; a draw that has been live keeps its units. */
    async releaseUnlessLive(view: ActivityView): Promise<void> {
      if (view.liveRevision !== null) return;
      await release(view._id, mallItemPrizes(view.workingContent));
    },

    /** How many of the prize can be won: the units actually set aside for it. */
    async cap(activityId: string, prize: DrawPrize): Promise<number> {
      return Math.min(prize.quantity!, await setAsideFor(activityId, prize));
    },
    setAsideFor,

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
