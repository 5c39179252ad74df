import type { Address, MallItemType } from '@shared/contracts/mall';
import type { OrgDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import { AppError } from '@/platform/errors';
import { bankDay } from '@/platform/time';
import type { CatalogueRepository, LiveItem } from './catalogue/items';
import { NOT_STARTED, type OrderDoc, type OrderStore } from './orders/store';
import type { Redemption } from './orders/redemption';
import type { Stock } from './stock/stock';

/**
 * Item kinds a draw may give: fulfilment that cannot fail once the unit is set aside. A coupon
 * prize has its own code pool in the draw; a partner's top-up could be declined after the win,
 * leaving a prize the customer was promised and nothing to give back.
 */
const PRIZE_ITEM_TYPES: readonly MallItemType[] = ['physical', 'perk'];

const unavailable = (message: string) => new AppError('DRAW_PRIZE_ITEM_UNAVAILABLE', { message });

/**
 * Mall items as lucky-draw prizes (奖品为商城商品). Before a draw's approval is recorded, exactly
 * the prize's published units are set aside from the item's stock (or the approval is refused and
 * what was taken goes back), so the published quantity exists and the mall cannot sell it; a win
 * becomes a zero-points mall order, fulfilled and shipped by the mall's own saga.
 */
export function createMallPrizes(deps: { clock: Clock; catalogue: CatalogueRepository; stock: Stock; orders: OrderStore; redemption: Redemption; org: OrgDirectory }) {
  const { catalogue, stock, orders } = deps;

  /** The approved item of this code; a withdrawn one too when asked (units already set aside are still given). */
  async function itemOf(code: string, options: { withdrawn?: boolean } = {}): Promise<LiveItem | null> {
    const id = await catalogue.idForCode(code);
    const view = id ? await catalogue.findView(id) : null;
    if (!view?.live || view.live.type === 'category' || (view.withdrawn && !options.withdrawn)) return null;
    return view as LiveItem;
  }

  return {
    itemOf,

    /**
     * Refuses a prize whose item could not be given: unknown, withdrawn, of a kind a draw cannot
     * give, outside the draw's org chain, or without `quantity` units on sale now.
     */
    async check(drawOrgUnitId: string, prize: { name: string; itemCode: string; quantity: number }): Promise<void> {
      const item = await itemOf(prize.itemCode);
      if (!item) throw unavailable(`奖品「${prize.name}」关联的商品 ${prize.itemCode} 不存在或未上架`);
      if (!PRIZE_ITEM_TYPES.includes(item.live.type)) throw unavailable(`奖品「${prize.name}」：只有实物好礼和银行特权类商品可作为抽奖奖品`);
      const chain = (await deps.org.findById(drawOrgUnitId))?.path ?? [];
      if (!chain.includes(item.orgUnitId)) throw unavailable(`奖品「${prize.name}」：只能使用本机构或上级机构的商品`);
      const { stock: onSale } = await stock.level(item._id);
      if (onSale < prize.quantity) throw unavailable(`奖品「${prize.name}」：商品库存 ${onSale}，不足奖品数量 ${prize.quantity}`);
    },

    /** Takes exactly `quantity` units off sale under `key`, or gives back what it took and answers false. */
    setAsideExactly: (itemId: string, quantity: number, key: string) => stock.setAsideExactly(itemId, quantity, key),
    setAsideUnder: (itemId: string, key: string) => stock.setAsideUnder(itemId, key),
    /** Puts back on sale what is set aside under `key`. */
    releaseSetAside: (itemId: string, key: string) => stock.releaseSetAside(itemId, key),

    /** The prize's mall order, created once under its id and run through the saga (or as it stands). */
    async issue(input: { orderId: string; customerId: string; item: LiveItem; address: Address | null }): Promise<OrderDoc> {
      const existing = await orders.find(input.orderId);
      if (existing) return deps.redemption.current(existing);
      const { item } = input;
      const now = deps.clock.now();
      const placed: Omit<OrderDoc, 'orderNo'> = {
        _id: input.orderId,
        customerId: input.customerId,
        itemId: item._id,
        itemCode: item.code,
        itemType: item.live.type,
        orgUnitId: item.orgUnitId,
        title: `${item.live.title}（抽奖奖品）`,
        cover: item.live.images.cover ?? null,
        pricePoints: 0,
        cashYuan: null,
        fulfilment: item.live.fulfilment,
        limits: {},
        day: bankDay(now),
        account: null,
        address: input.address,
        fingerprint: input.orderId,
        createdAt: now,
        ...NOT_STARTED,
        prize: true,
      };
      const order = await orders.insert(placed);
      if (!order) return deps.redemption.current((await orders.find(input.orderId))!);
      return deps.redemption.start(order);
    },
    order: async (orderId: string) => {
      const order = await orders.find(orderId);
      return order ? deps.redemption.current(order) : null;
    },
  };
}

export type MallPrizes = ReturnType<typeof createMallPrizes>;
