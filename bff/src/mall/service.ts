import { createHash } from 'node:crypto';
import {
  mallItemTypeNamesZh,
  orderStatusNamesZh,
  type BlockReason,
  type MallHome,
  type MallItemDetail,
  type MallItemSummary,
  type MallOrder,
  type RedeemRequest,
  type SavedAddress,
  type Address,
} from '../../../shared/contracts/mall';
import { EventName } from '../../../shared/events';
import { maskName, maskPhone } from '../../../shared/masking';
import type { CustomerRepository } from '../customers';
import type { OrgRepository } from '../org/repository';
import type { Scope } from '../org/scope';
import { createApprovals } from '../platform/approvals';
import type { AuditLog } from '../platform/audit';
import type { Principal } from '../platform/auth/principal';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { fingerprintOf } from '../platform/idempotency';
import type { Outbox } from '../platform/outbox';
import { bankDay } from '../platform/time';
import type { PointsLedger } from '../points/ledger';
import type { AddressBook } from './addresses';
import type { CatalogueRepository, LiveCategory, LiveItem } from './catalogue';
import type { CodePools } from './codes';
import type { LimitSlots } from './limits';
import type { OrderDoc, OrderStore } from './orders';
import type { Redemption } from './redemption';
import type { Stock } from './stock';

/** How long a retry of a request still running waits for it before answering "processing". */
const RETRY_WAIT_MS = 10_000;

const maskAddress = (a: Address) => ({ ...a, name: maskName(a.name), phone: maskPhone(a.phone) });

export function createMallService(deps: {
  db: Database;
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
  scope: Scope;
  tierOf: (customerId: string) => Promise<string | null>;
  audit: AuditLog;
  outbox: Outbox;
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

  async function standing(item: LiveItem, customerId: string, ctx: Context) {
    const live = item.live;
    const [level, used] = await Promise.all([stock.level(item._id), deps.limits.used(item._id, customerId, ctx.day, live.limits)]);
    let blockedBy: BlockReason | null = null;
    if (live.allowedTiers.length && !(ctx.tier && (live.allowedTiers as string[]).includes(ctx.tier))) blockedBy = 'tier_not_allowed';
    else if (level.stock < 1) blockedBy = 'sold_out';
    else if (live.limits.lifetime && used.total >= live.limits.lifetime) blockedBy = 'lifetime_limit';
    else if (live.limits.perDay && used.today >= live.limits.perDay) blockedBy = 'daily_limit';
    else if (ctx.balance < live.pricePoints) blockedBy = 'points_insufficient';
    return { level, used, blockedBy };
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
      stock: s.level.stock,
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

  function toCustomerOrder(o: OrderDoc): MallOrder {
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
      cancellable: o.status === 'awaiting_shipment',
    };
  }

  async function myOrder(customerId: string, orderId: string): Promise<OrderDoc> {
    const order = await orders.find(orderId);
    if (!order || order.customerId !== customerId || order.refusal) throw new AppError('NOT_FOUND');
    return deps.redemption.current(order);
  }

  /** An order whose item the member of staff's org subtree owns. */
  async function orderInScope(principal: Principal, orderId: string): Promise<OrderDoc> {
    const order = await orders.find(orderId);
    const item = order ? await catalogue.findView(order.itemId) : null;
    if (!order || !item || !(await deps.scope.unitIds(principal)).includes(item.orgUnitId)) throw new AppError('NOT_FOUND');
    return order;
  }

  async function itemInScope(principal: Principal, itemId: string) {
    const item = await catalogue.findView(itemId);
    if (!item || item.type === 'category' || !(await deps.scope.unitIds(principal)).includes(item.orgUnitId)) throw new AppError('NOT_FOUND');
    return item;
  }

  const stockAdjustments = createApprovals<{ itemId: string; delta: number }>({
    db: deps.db,
    clock,
    audit: deps.audit,
    name: 'mall_stock_adjustment',
    authorize: async (principal, { itemId }) => void (await itemInScope(principal, itemId)),
    async apply({ _id: id, itemId, delta }) {
      await stock.adjust(itemId, delta, id);
      await deps.outbox.record(EventName.MALL_STOCK_ADJUSTED, id, { itemId, delta });
    },
    auditDetail: ({ itemId, delta }) => ({ itemId, delta }),
  });

  const toAdjustment = (a: Awaited<ReturnType<typeof stockAdjustments.request>>) => ({
    id: a._id,
    itemId: a.itemId,
    delta: a.delta,
    reason: a.reason,
    status: a.status,
    requestedBy: a.requestedBy,
    decidedBy: a.decidedBy,
  });

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

    admin: {
      /** Orders of a status in the caller's scope, with the full address: shipping needs it. */
      async orders(principal: Principal, status: OrderDoc['status'], limit: number) {
        const units = await deps.scope.unitIds(principal);
        const out = [];
        for (const o of await orders.byStatus(status, limit)) {
          const item = await catalogue.findView(o.itemId);
          if (!item || !units.includes(item.orgUnitId)) continue;
          out.push({ ...toCustomerOrder(o), customerId: o.customerId, itemCode: o.itemCode, address: o.address, coupon: null });
        }
        return out;
      },

      async ship(principal: Principal, orderId: string, input: { carrier: string; trackingNo: string }): Promise<MallOrder> {
        const order = await orderInScope(principal, orderId);
        if (order.status !== 'awaiting_shipment' && order.status !== 'shipped') throw new AppError('CONFLICT', { message: '只有待发货的订单可以发货' });
        const { won, settlement } = await orders.claimSettlement(orderId, { action: 'shipped', by: principal.id });
        if (!won && settlement.action === 'cancelled') throw new AppError('CONFLICT', { message: '订单已取消，不能发货' });
        const shipping = { carrier: input.carrier, trackingNo: input.trackingNo, shippedAt: clock.now() };
        if (won) {
          await orders.set(orderId, { status: 'shipped', shipping });
          await deps.audit.record(principal, { action: 'mall_order.shipped', targetType: 'mall_order', targetId: orderId, detail: { carrier: input.carrier, trackingNo: input.trackingNo } });
          await deps.outbox.record(EventName.MALL_ORDER_SHIPPED, orderId, { orderId, customerId: order.customerId, itemCode: order.itemCode, carrier: input.carrier });
        }
        return toCustomerOrder((await orders.find(orderId))!);
      },

      async cancel(principal: Principal, orderId: string, reason: string): Promise<MallOrder> {
        const order = await orderInScope(principal, orderId);
        if (order.status === 'cancelled') return toCustomerOrder(order);
        // Delivered codes, top-ups and memberships cannot be taken back; goods not yet shipped and perks can.
        const cancellable = order.status === 'awaiting_shipment' || (order.status === 'completed' && order.itemType === 'perk');
        if (!cancellable) throw new AppError('MALL_ORDER_NOT_CANCELLABLE');
        const cancelled = await deps.redemption.cancel(order, principal.id, { refundStock: true });
        await deps.audit.record(principal, { action: 'mall_order.cancelled', targetType: 'mall_order', targetId: orderId, reason });
        return toCustomerOrder(cancelled);
      },

      async stock(principal: Principal, itemId: string) {
        await itemInScope(principal, itemId);
        return { itemId, ...(await stock.level(itemId)), codes: await deps.codes.status(itemId) };
      },

      requestStockAdjustment: async (principal: Principal, itemId: string, delta: number, reason: string) => toAdjustment(await stockAdjustments.request(principal, { itemId, delta }, reason)),
      pendingStockAdjustments: async (principal: Principal) => (await stockAdjustments.pending(principal)).map(toAdjustment),
      approveStockAdjustment: async (principal: Principal, id: string, reason: string | null) => toAdjustment(await stockAdjustments.approve(principal, id, reason)),
      rejectStockAdjustment: async (principal: Principal, id: string, reason: string) => toAdjustment(await stockAdjustments.reject(principal, id, reason)),

      async uploadCodes(principal: Principal, itemId: string, codes: string[]) {
        const item = await itemInScope(principal, itemId);
        if (item.type !== 'coupon') throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'params.id', message: '只有优惠券商品可以上传券码' }] });
        const result = await deps.codes.upload(itemId, codes);
        // Counts only: the codes themselves never reach logs, audit records or events.
        await deps.audit.record(principal, { action: 'mall_codes.uploaded', targetType: 'mall_item', targetId: itemId, detail: { accepted: result.accepted, duplicates: result.duplicates } });
        return result;
      },

      /**
       * The mall's books, for one item or all (head office only): stock streams replay
       * cleanly, the orders holding a unit are exactly the confirmed ones, no code is held by
       * two orders, and every order's points were debited once and refunded only if it failed.
       */
      async checkInvariants(principal: Principal, itemId?: string) {
        if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN');
        const violations: string[] = [];
        const itemIds = itemId ? [itemId] : await orders.itemIds();
        const customers = new Set<string>();
        for (const id of itemIds) {
          const { problems, holders } = await stock.check(id);
          violations.push(...problems, ...(await deps.codes.check(id)));
          for (const o of await orders.forItem(id)) {
            customers.add(o.customerId);
            const holds = ['completed', 'awaiting_shipment', 'shipped'].includes(o.status);
            if (o.status !== 'processing' && holders.has(o._id) !== holds) violations.push(`order ${o._id} (${o.status}) ${holds ? 'holds no unit' : 'still holds a unit'}`);
            const spent = (await deps.points.findByKey(`mall:${o._id}`)) !== null;
            const refunded = (await deps.points.findByKey(`mall-refund:${o._id}`)) !== null;
            if (holds && (!spent || refunded)) violations.push(`order ${o._id} (${o.status}) points ${spent ? 'refunded' : 'never debited'}`);
            if ((o.status === 'failed' || o.status === 'cancelled') && spent !== refunded) violations.push(`order ${o._id} (${o.status}) debited but not refunded`);
          }
        }
        for (const c of customers) violations.push(...(await deps.points.check(c)));
        return { checked: { items: itemIds.length, customers: customers.size }, violations };
      },
    },
  };
}

export type MallService = ReturnType<typeof createMallService>;
