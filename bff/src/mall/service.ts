import { createHash } from 'node:crypto';
import {
  mallItemTypeNamesZh,
  type BlockReason,
  type MallHome,
  type MallItemDetail,
  type MallItemSummary,
  type MallOrder,
  type RedeemRequest,
  type SavedAddress,
  type Address,
} from '../../../shared/contracts/mall';
import type { CustomerRepository } from '../customers';
import type { OrgRepository } from '../org/repository';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import { fingerprintOf } from '../platform/fingerprint';
import { bankDay } from '../platform/time';
import type { PointsLedger } from '../points/ledger';
import type { AddressBook } from './addresses';
import type { CatalogueRepository, LiveCategory, LiveItem } from './catalogue';
import type { CodePools } from './codes';
import type { LimitSlots } from './limits';
import { maskAddress, toCustomerOrder } from './order-view';
import type { OrderDoc, OrderStore } from './orders';
import type { Redemption } from './redemption';
import type { Stock } from './stock';

/** How long a retry of a request still running waits for it before answering "processing". */
const RETRY_WAIT_MS = 10_000;

/** The mall as customers use it: browse, redeem, their orders and addresses. */
export function createMallService(deps: {
  clock: Clock;
  catalogue: CatalogueRepository;
  stock: Stock;
  codes: CodePools;
  limits: LimitSlots;
  orders: OrderStore;
  redemption: Redemption;
  points: PointsLedger;
  addresses: AddressBook;
  customers: CustomerRepository;
  org: OrgRepository;
  tierOf: (customerId: string) => Promise<string | null>;
}) {
  const { clock, catalogue, stock, orders } = deps;

  /** The org units whose mall a customer sees: their branch chain; head office only if unassigned. */
  async function orgChain(customerId: string): Promise<(unitId: string) => Promise<boolean>> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) throw new AppError('AUTH_TOKEN_INVALID');
    const path = customer.orgUnitId ? ((await deps.org.findById(customer.orgUnitId))?.path ?? []) : [];
    const roots = new Map<string, boolean>();
    return async (unitId) => {
      if (path.includes(unitId)) return true;
      if (!roots.has(unitId)) roots.set(unitId, (await deps.org.findById(unitId))?.parentId === null);
      return roots.get(unitId)!;
    };
  }

  async function liveCatalogue(customerId: string) {
    const sees = await orgChain(customerId);
    const views = await catalogue.liveViews(clock.now());
    const visible = [];
    for (const v of views) if (await sees(v.orgUnitId)) visible.push(v);
    const bySort = (a: { sortOrder: number; code: string }, b: { sortOrder: number; code: string }) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code);
    return {
      categories: (visible.filter((v) => v.type === 'category') as LiveCategory[]).sort(bySort),
      items: (visible.filter((v) => v.type !== 'category') as LiveItem[]).sort(bySort),
    };
  }

  type Context = { balance: number; tier: string | null; day: string };
  async function contextOf(customerId: string): Promise<Context> {
    return { balance: (await deps.points.balance(customerId)).balance, tier: await deps.tierOf(customerId), day: bankDay(clock.now()) };
  }

  /** Units a customer can still get: for a coupon, no more than the codes not yet held by orders. */
  async function available(item: LiveItem): Promise<number> {
    const level = await stock.level(item._id);
    if (item.live.type !== 'coupon') return level.stock;
    return Math.max(0, Math.min(level.stock, (await deps.codes.poolSize(item._id)) - level.sold));
  }

  async function standing(item: LiveItem, customerId: string, ctx: Context) {
    const live = item.live;
    const [left, used] = await Promise.all([available(item), deps.limits.used(item._id, customerId, ctx.day, live.limits)]);
    let blockedBy: BlockReason | null = null;
    if (live.allowedTiers.length && !(ctx.tier && (live.allowedTiers as string[]).includes(ctx.tier))) blockedBy = 'tier_not_allowed';
    else if (left < 1) blockedBy = 'sold_out';
    else if (live.limits.lifetime && used.total >= live.limits.lifetime) blockedBy = 'lifetime_limit';
    else if (live.limits.perDay && used.today >= live.limits.perDay) blockedBy = 'daily_limit';
    else if (ctx.balance < live.pricePoints) blockedBy = 'points_insufficient';
    return { left, used, blockedBy };
  }

  function summary(item: LiveItem, s: Awaited<ReturnType<typeof standing>>): MallItemSummary {
    const live = item.live;
    return {
      id: item._id,
      code: item.code,
      type: live.type,
      typeName: mallItemTypeNamesZh[live.type],
      categoryCode: live.categoryCode,
      title: live.title,
      cover: live.images.cover ?? null,
      pricePoints: live.pricePoints,
      cashYuan: live.cashYuan ?? null,
      stock: s.left,
      blockedBy: s.blockedBy,
    };
  }

  /** A live item this customer may see; otherwise why not. */
  async function itemFor(customerId: string, itemId: string): Promise<LiveItem> {
    const view = await catalogue.findView(itemId);
    if (!view || view.type === 'category' || !view.live) throw new AppError('NOT_FOUND');
    if (!(await (await orgChain(customerId))(view.orgUnitId))) throw new AppError('NOT_FOUND');
    const now = clock.now();
    if (view.withdrawn || !view.liveStart || now < view.liveStart || now >= view.liveEnd!) throw new AppError('MALL_NOT_ON_SALE');
    return view as LiveItem;
  }

  async function myOrder(customerId: string, orderId: string): Promise<OrderDoc> {
    const order = await orders.find(orderId);
    if (!order || order.customerId !== customerId || order.refusal) throw new AppError('NOT_FOUND');
    return deps.redemption.current(order);
  }

  return {
    async home(customerId: string): Promise<MallHome> {
      const [{ categories, items }, ctx] = await Promise.all([liveCatalogue(customerId), contextOf(customerId)]);
      const standings = await Promise.all(items.map((item) => standing(item, customerId, ctx)));
      return {
        balance: ctx.balance,
        categories: categories.map((c) => ({ code: c.code, name: c.live.name, icon: c.live.icon ?? null })),
        items: items.map((item, i) => summary(item, standings[i])),
      };
    },

    async item(customerId: string, itemId: string): Promise<MallItemDetail> {
      const item = await itemFor(customerId, itemId);
      const s = await standing(item, customerId, await contextOf(customerId));
      const live = item.live;
      return {
        ...summary(item, s),
        description: live.description,
        gallery: live.images.gallery,
        limits: live.limits,
        allowedTiers: live.allowedTiers,
        saleWindow: live.saleWindow,
        needs: live.type === 'physical' ? 'address' : live.type === 'topup' || live.type === 'membership' ? 'account' : 'nothing',
        redeemedToday: s.used.today,
        redeemedTotal: s.used.total,
      };
    },

    /** One redemption per idempotency key: the same key always answers with the same order. */
    async redeem(customerId: string, idempotencyKey: string, request: RedeemRequest): Promise<MallOrder> {
      const orderId = `MO${createHash('sha256').update(`${customerId}|${idempotencyKey}`).digest('hex').slice(0, 30)}`;
      const fingerprint = fingerprintOf(request);
      const replay = async () => {
        const existing = (await orders.find(orderId))!;
        if (existing.fingerprint !== fingerprint) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        return toCustomerOrder(await deps.redemption.settled(orderId, RETRY_WAIT_MS));
      };
      if (await orders.find(orderId)) return replay();

      const item = await itemFor(customerId, request.itemId);
      const live = item.live;
      const ctx = await contextOf(customerId);
      const s = await standing(item, customerId, ctx);
      // Checked again inside the saga, where races are settled; here they give the clear answer early.
      if (s.blockedBy === 'tier_not_allowed') throw new AppError('MALL_TIER_NOT_ALLOWED');
      let address: Address | null = null;
      if (live.type === 'physical') {
        const saved = request.addressId ? await deps.addresses.find(customerId, request.addressId) : null;
        if (!saved) throw new AppError('MALL_ADDRESS_REQUIRED');
        address = { name: saved.name, phone: saved.phone, region: saved.region, detail: saved.detail };
      }
      if ((live.type === 'topup' || live.type === 'membership') && !request.account) throw new AppError('MALL_ACCOUNT_REQUIRED');
      if (s.blockedBy === 'sold_out') throw new AppError('MALL_SOLD_OUT');
      if (s.blockedBy === 'lifetime_limit' || s.blockedBy === 'daily_limit') throw new AppError('MALL_LIMIT_REACHED', { message: s.blockedBy === 'daily_limit' ? '今日兑换次数已达上限' : undefined });
      if (s.blockedBy === 'points_insufficient') throw new AppError('POINTS_INSUFFICIENT');

      const order: OrderDoc = {
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
        status: 'processing',
        failureCode: null,
        refusal: false,
        coupon: null,
        perk: null,
        providerRef: null,
        shipping: null,
      };
      if (!(await orders.insert(order))) return replay();
      return toCustomerOrder(await deps.redemption.start(order));
    },

    async orders(customerId: string, before: number | undefined, limit: number) {
      const page = await orders.pageForCustomer(customerId, before, limit);
      const shown = await Promise.all(page.orders.filter((o) => !o.refusal).map((o) => deps.redemption.current(o)));
      return { items: shown.map(toCustomerOrder), nextBefore: page.nextBefore };
    },
    order: async (customerId: string, orderId: string) => toCustomerOrder(await myOrder(customerId, orderId)),

    async cancelMine(customerId: string, orderId: string): Promise<MallOrder> {
      const order = await myOrder(customerId, orderId);
      if (order.status === 'cancelled') return toCustomerOrder(order);
      if (order.status !== 'awaiting_shipment') throw new AppError('MALL_ORDER_NOT_CANCELLABLE');
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
