import { EventName } from '@shared/events';
import { OrderNumber, orderStatusNamesZh, type MallOrder, type MallOrderFilter } from '@shared/contracts/mall';
import type { Scope } from '@/platform/auth/scope';
import { approvalView, createApprovals, type ApprovalRequest } from '@/kernel/approvals';
import type { Faults } from '@/platform/faults';
import type { StockAdjustment } from '@shared/contracts/mall';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { PointsAccounts, StaffDirectory } from '@/platform/directory';
import { staffNames } from '@/kernel/names';
import type { CatalogueRepository } from './catalogue/items';
import type { CodePools } from '@/kernel/code-pools';
import { maskAddress } from '@/customers';
import { toCustomerOrder } from './orders/view';
import { bankTime } from '@/platform/time';
import { Role } from '@shared/roles';
import type { OrderDoc, OrderSearch, OrderStore } from './orders/store';
import type { Redemption } from './orders/redemption';
import type { Stock } from './stock/stock';
import type { SweepCounts } from './orders/sweep';
import { createMallBooks } from './books';

/** The mall's back office: orders to ship or cancel, stock and its adjustments, code pools, the books. */
export function createMallAdminService(deps: {
  db: Database;
  clock: Clock;
  catalogue: CatalogueRepository;
  stock: Stock;
  codes: CodePools;
  orders: OrderStore;
  redemption: Redemption;
  sweepOrders: () => Promise<SweepCounts>;
  points: PointsAccounts;
  staff: StaffDirectory;
  scope: Scope;
  audit: AuditLog;
  outbox: Outbox;
  faults: Faults;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
}) {
  const { clock, catalogue, stock, orders } = deps;
  const books = createMallBooks(deps);

  /** An order whose item the member of staff's org subtree owns. */
  async function orderInScope(principal: Principal, orderId: string): Promise<OrderDoc> {
    const order = await orders.find(orderId);
    const item = order ? await catalogue.findView(order.itemId) : null;
    if (!order || !item || !(await deps.scope.unitIds(principal)).includes(item.orgUnitId)) throw new AppError('NOT_FOUND');
    // As decided: an order whose outcome is in and whose status is still to be written (behind the answer that confirmed it) gets it now.
    return deps.redemption.current(order);
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
    faults: deps.faults,
    name: 'mall_stock_adjustment',
    authorize: async (principal, { itemId }) => void (await itemInScope(principal, itemId)),
    async visible(principal, requests) {
      const [items, units] = await Promise.all([catalogue.findViews(requests.map((r) => r.itemId)), deps.scope.unitIds(principal)]);
      const reached = new Set(items.filter((i) => i.type !== 'category' && units.includes(i.orgUnitId)).map((i) => i._id));
      return requests.filter((r) => reached.has(r.itemId));
    },
    independent: deps.independent,
    async apply({ _id: id, itemId, delta }) {
      await stock.adjust(itemId, delta, id);
      await deps.outbox.record(EventName.MALL_STOCK_ADJUSTED, id, { itemId, delta });
    },
    auditDetail: ({ itemId, delta }) => ({ itemId, delta }),
  });

  /** The store's search for a filter from the console: `q` is an 订单编号 when it is one, else part of an item's title or its code. */
  async function searchOf(principal: Principal, filter: MallOrderFilter): Promise<OrderSearch> {
    const { q, ...rest } = filter;
    const orderNo = q !== undefined && OrderNumber.safeParse(q).success ? q : undefined;
    return { orgUnitIds: await deps.scope.unitIds(principal), ...rest, orderNo, text: orderNo ? undefined : q };
  }

  const toAdjustment = (a: ApprovalRequest<{ itemId: string; delta: number }>): StockAdjustment => ({ ...approvalView(a), itemId: a.itemId, delta: a.delta });

  return {
    /**
     * Orders in the caller's scope matching the filter. The full address only for those who
     * ship (admins), and every read of full addresses is in the audit trail, as a bank logs
     * access to personal data; reviewers see them masked.
     */
    async orders(principal: Principal, filter: MallOrderFilter, paging: { page: number; pageSize: number }) {
      const ships = principal.role === Role.ADMIN;
      const { docs, total } = await orders.search(await searchOf(principal, filter), { skip: (paging.page - 1) * paging.pageSize, limit: paging.pageSize });
      const items = docs.map((o) => ({
        ...toCustomerOrder(o),
        customerId: o.customerId,
        itemCode: o.itemCode,
        address: o.address && (ships ? o.address : maskAddress(o.address)),
        shippedAt: o.shipping?.shippedAt.toISOString() ?? null,
        coupon: null,
      }));
      const shown = docs.filter((o) => o.address).map((o) => o._id);
      if (ships && shown.length > 0)
        await deps.audit.record(principal, { action: 'mall_orders.addresses_viewed', targetType: 'mall', targetId: 'orders', detail: { orderIds: shown } });
      return { items, total, ...paging };
    },

    /**
     * Every order matching the filter as CSV rows (one table): Beijing time, points as numbers,
     * the recipient's name and phone masked whoever exports (a file leaves the console's
     * control). The export itself is audited with the filter it used.
     */
    async exportOrders(principal: Principal, filter: MallOrderFilter): Promise<(string | number | null)[][]> {
      const search = await searchOf(principal, filter);
      const rows: (string | number | null)[][] = [
        ['订单编号', '下单时间', '商品编码', '商品', '积分', '状态', '客户编号', '收货人', '手机号', '所在地区', '详细地址', '快递公司', '运单号', '发货时间'],
      ];
      const PAGE = 500;
      for (let skip = 0; ; skip += PAGE) {
        const { docs } = await orders.search(search, { skip, limit: PAGE });
        for (const o of docs) {
          const a = o.address && maskAddress(o.address);
          const s = o.shipping;
          rows.push([
            o.orderNo,
            bankTime(o.createdAt),
            o.itemCode,
            o.title,
            o.pricePoints,
            orderStatusNamesZh[o.status],
            o.customerId,
            a?.name ?? null,
            a?.phone ?? null,
            a?.region ?? null,
            a?.detail ?? null,
            s?.carrier ?? null,
            s?.trackingNo ?? null,
            s ? bankTime(s.shippedAt) : null,
          ]);
        }
        if (docs.length < PAGE) break;
      }
      await deps.audit.record(principal, { action: 'mall_orders.exported', targetType: 'mall', targetId: 'orders', detail: { ...filter, rows: rows.length - 1 } });
      return rows;
    },

    /** The recovery sweep over every order of the bank: head office only, like the books. */
    async recover(principal: Principal) {
      if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行可以执行全行订单恢复' });
      const result = await deps.sweepOrders();
      await deps.audit.record(principal, { action: 'mall_orders.recovered', targetType: 'mall', targetId: 'orders', detail: result });
      return result;
    },

    async ship(principal: Principal, orderId: string, input: { carrier: string; trackingNo: string }): Promise<MallOrder> {
      const order = await orderInScope(principal, orderId);
      if (order.status !== 'awaiting_shipment' && order.status !== 'shipped') throw new AppError('CONFLICT', { message: '只有待发货的订单可以发货' });
      const { won, settlement } = await orders.claimSettlement(orderId, { action: 'shipped', by: principal.id });
      if (!won && settlement.action === 'cancelled') throw new AppError('CONFLICT', { message: '订单已取消，不能发货' });
      const shipping = { carrier: input.carrier, trackingNo: input.trackingNo, shippedAt: clock.now() };
      if (won) {
        await orders.set(orderId, { status: 'shipped', shipping });
        await deps.audit.record(principal, {
          action: 'mall_order.shipped',
          targetType: 'mall_order',
          targetId: orderId,
          detail: { carrier: input.carrier, trackingNo: input.trackingNo },
        });
        await deps.outbox.record(EventName.MALL_ORDER_SHIPPED, orderId, { orderId, customerId: order.customerId, itemCode: order.itemCode, carrier: input.carrier });
      }
      return toCustomerOrder((await orders.find(orderId))!);
    },

    async cancel(principal: Principal, orderId: string, reason: string): Promise<MallOrder> {
      const order = await orderInScope(principal, orderId);
      if (order.status === 'cancelled') return toCustomerOrder(order);
      // Delivered codes, top-ups and memberships cannot be taken back; goods not yet shipped and perks can.
      // A won prize is the customer's under the draw's published rules: it is shipped, not taken back.
      if (order.prize) throw new AppError('MALL_ORDER_NOT_CANCELLABLE', { message: '抽奖奖品订单不能取消' });
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

    requestStockAdjustment: async (principal: Principal, itemId: string, delta: number, reason: string) =>
      toAdjustment(await stockAdjustments.request(principal, { itemId, delta }, reason)),
    /** A page of adjustments awaiting this checker, each with its item's title and its stock now and after. */
    async pendingStockAdjustments(principal: Principal, paging: { page: number; pageSize: number }) {
      const { items, total } = await stockAdjustments.pending(principal, paging);
      const itemIds = [...new Set(items.map((a) => a.itemId))];
      // An item's stock is the sum of its sub-streams' heads: read per item, all at once (a page holds at most pageSize items).
      const [views, levels, staff] = await Promise.all([
        catalogue.findViews(itemIds),
        Promise.all(itemIds.map(async (id) => [id, (await stock.level(id)).stock] as const)),
        staffNames(
          deps.staff,
          items.map((a) => a.requestedBy),
        ),
      ]);
      const viewOf = new Map(views.map((v) => [v._id, v]));
      const stockOf = new Map(levels);
      return {
        total,
        items: items.map((a) => {
          const view = viewOf.get(a.itemId);
          const content = view?.live ?? view?.workingContent;
          const stockBefore = stockOf.get(a.itemId) ?? 0;
          return {
            ...toAdjustment(a),
            requestedByName: staff(a.requestedBy),
            itemTitle: content && content.type !== 'category' ? content.title : (view?.code ?? '已删除的商品'),
            itemCode: view?.code ?? '',
            stockBefore,
            stockAfter: stockBefore + a.delta,
          };
        }),
      };
    },
    approveStockAdjustment: async (principal: Principal, id: string, reason: string | null) => toAdjustment(await stockAdjustments.approve(principal, id, reason)),
    rejectStockAdjustment: async (principal: Principal, id: string, reason: string) => toAdjustment(await stockAdjustments.reject(principal, id, reason)),
    recoverStockAdjustments: () => stockAdjustments.recover(),

    async uploadCodes(principal: Principal, itemId: string, codes: string[]) {
      const item = await itemInScope(principal, itemId);
      if (item.type !== 'coupon') throw new AppError('MALL_CODES_NOT_COUPON');
      const result = await deps.codes.upload(itemId, codes);
      // Counts only: the codes themselves never reach logs, audit records or events.
      await deps.audit.record(principal, {
        action: 'mall_codes.uploaded',
        targetType: 'mall_item',
        targetId: itemId,
        detail: { accepted: result.accepted, duplicates: result.duplicates },
      });
      return result;
    },

    /** The mall's books (see `createMallBooks`), for one item or all, a page at a time: head office only. */
    async checkInvariants(principal: Principal, query: { itemId?: string; cursor?: string; limit: number }) {
      if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行可以核对全行商城账' });
      return books.checkPage(query.cursor, query.limit, query.itemId);
    },
  };
}

export type MallAdminService = ReturnType<typeof createMallAdminService>;
