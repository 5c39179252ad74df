import { z } from 'zod';
import { ADDRESS_RULES } from '../address-rules';
import { IdempotencyKeyHeader, IdParams, NON_ZERO, statedRules, trimmedText } from './common';
import { adminDocument, ApprovalFields, pendingApprovalFields, ReviewDecision } from './review';
import { Tier } from './targeting';
import { ImageRef } from './media';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { approvalOperations, decisionLinks } from '../api/approvals';
import { endpoints, linksTo } from '../api/endpoint';
import { Role } from '../roles';
import { numberedPageOf, pageNumberFields } from './paging';

/** What the points mall sells; categories share the catalogue (and its review) with items. */
const MALL_ITEM_TYPES = ['coupon', 'topup', 'membership', 'physical', 'perk'] as const;
export type MallItemType = (typeof MALL_ITEM_TYPES)[number];
const CATALOGUE_TYPES = ['category', ...MALL_ITEM_TYPES] as const;
export const mallItemTypeNamesZh: Record<MallItemType, string> = {
  coupon: '优惠券',
  topup: '话费充值',
  membership: '会员权益',
  physical: '实物好礼',
  perk: '银行特权',
};
export const catalogueTypeNamesZh: Record<(typeof CATALOGUE_TYPES)[number], string> = { category: '分类', ...mallItemTypeNamesZh };

const isoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 with offset, e.g. 2026-12-01T00:00:00+08:00');
const code = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '编码只能包含字母、数字、下划线和横线');

export const CategoryInput = z.object({
  code: code.describe('The bank’s own code; unique across the catalogue'),
  type: z.literal('category'),
  orgUnitId: z.string().min(1).max(64),
  name: trimmedText(1).max(12),
  icon: ImageRef.optional(),
  sortOrder: z.number().int().min(0).max(10_000).default(100),
});

const ItemBase = z.object({
  code: code.describe('The bank’s item code; unique across the catalogue'),
  orgUnitId: z.string().min(1).max(64),
  categoryCode: code,
  title: trimmedText(1).max(40),
  description: z.string().max(1000).default(''),
  images: z.object({ cover: ImageRef.optional(), gallery: z.array(ImageRef).max(9).default([]) }).default({ gallery: [] }),
  pricePoints: z.number().int().min(1).max(10_000_000),
  cashYuan: z.number().min(0).max(100_000).multipleOf(0.01).optional().describe('Shown with the points price; paid outside the mall'),
  initialStock: z.number().int().min(0).max(10_000_000).describe('Put on sale when first approved; later changes go through stock adjustments'),
  limits: z.object({ perDay: z.number().int().min(1).max(10).optional(), lifetime: z.number().int().min(1).max(50).optional() }).default({}),
  allowedTiers: z.array(Tier).default([]).describe('Empty: every tier'),
  saleWindow: z.object({ startAt: isoDateTime, endAt: isoDateTime }),
  sortOrder: z.number().int().min(0).max(10_000).default(100),
});

const fulfilmentByType = {
  coupon: z.object({ couponName: z.string().min(1).max(40), validDays: z.number().int().min(1).max(366) }),
  topup: z.object({ productCode: code, faceValueYuan: z.number().int().min(1).max(500) }),
  membership: z.object({ productCode: code, months: z.number().int().min(1).max(12) }),
  physical: z.object({ shippingNote: z.string().max(200).default('') }),
  perk: z.object({ instructions: z.string().min(1).max(500) }),
} satisfies Record<MallItemType, z.ZodType>;

const withType = <T extends MallItemType>(type: T) => ItemBase.extend({ type: z.literal(type), fulfilment: fulfilmentByType[type] });

export const MallItemInput = z.discriminatedUnion('type', [withType('coupon'), withType('topup'), withType('membership'), withType('physical'), withType('perk')]);
export type MallItemInput = z.infer<typeof MallItemInput>;

export const CatalogueEntryInput = z
  .discriminatedUnion('type', [CategoryInput, withType('coupon'), withType('topup'), withType('membership'), withType('physical'), withType('perk')])
  .refine((e) => e.type === 'category' || Date.parse(e.saleWindow.endAt) > Date.parse(e.saleWindow.startAt), {
    message: '结束时间必须晚于开始时间',
    path: ['saleWindow', 'endAt'],
  })
  .describe(statedRules('an item’s saleWindow.endAt after its saleWindow.startAt.'));
export type CatalogueEntryInput = z.infer<typeof CatalogueEntryInput>;
export type CategoryInput = z.infer<typeof CategoryInput>;

const AdminCatalogueEntry = adminDocument(CATALOGUE_TYPES, 'AdminCatalogueEntry');

/** Why a customer cannot redeem an item now, known before they tap. */
const BLOCK_REASONS = ['sold_out', 'daily_limit', 'lifetime_limit', 'tier_not_allowed', 'not_on_sale', 'points_insufficient', 'cash_payment_unavailable'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export const MallItemSummary = z
  .object({
    id: z.string(),
    code: z.string(),
    type: z.enum(MALL_ITEM_TYPES),
    typeName: z.string(),
    categoryCode: z.string(),
    title: z.string(),
    cover: z.string().nullable(),
    pricePoints: z.number().int(),
    cashYuan: z.number().nullable(),
    stock: z.number().int().describe('Units left'),
    allowedTiers: z.array(z.string()).describe('Tiers it is for; empty: everyone'),
    blockedBy: z.enum(BLOCK_REASONS).nullable(),
  })
  .meta({ id: 'MallItemSummary' });
export type MallItemSummary = z.infer<typeof MallItemSummary>;

export const MallItemDetail = MallItemSummary.extend({
  description: z.string(),
  gallery: z.array(z.string()),
  limits: z.object({ perDay: z.number().int().optional(), lifetime: z.number().int().optional() }),
  saleWindow: z.object({ startAt: z.string(), endAt: z.string() }),
  needs: z.enum(['nothing', 'address', 'account']).describe('What the confirm page must ask for'),
  redeemedToday: z.number().int(),
  redeemedTotal: z.number().int(),
}).meta({ id: 'MallItemDetail' });
export type MallItemDetail = z.infer<typeof MallItemDetail>;

export const MallHome = z.object({
  balance: z.number().int(),
  tier: z.string().nullable().describe("The customer's value tier, for tier-only items"),
  categories: z.array(z.object({ code: z.string(), name: z.string(), icon: z.string().nullable() })),
  items: z.array(MallItemSummary),
});
export type MallHome = z.infer<typeof MallHome>;

const mobile = z.string().regex(ADDRESS_RULES.phone.pattern, ADDRESS_RULES.phone.message);
const lengthIn = (rule: { min: number; max: number; message: string }) => trimmedText(rule.min, rule.message).max(rule.max, rule.message);
export const Address = z.object({
  name: lengthIn(ADDRESS_RULES.name),
  phone: mobile,
  region: lengthIn(ADDRESS_RULES.region).describe('省 市 区'),
  detail: lengthIn(ADDRESS_RULES.detail),
});
export type Address = z.infer<typeof Address>;

/** An address as a response shows it: the input's rules do not hold once the name and phone are masked. */
const AddressView = z
  .object({
    name: z.string().describe('Masked (**丰) unless the caller ships it'),
    phone: z.string().describe('Masked (138****5678) unless the caller ships it'),
    region: z.string(),
    detail: z.string(),
  })
  .meta({ id: 'AddressView' });
/** A saved address as the customer sees it in lists: name and phone masked. */
export const SavedAddress = AddressView.extend({ id: z.string() }).meta({ id: 'SavedAddress' });
export type SavedAddress = z.infer<typeof SavedAddress>;
export const MAX_ADDRESSES = 10;

export const RedeemRequest = z.object({
  itemId: z.string().min(1).max(64),
  addressId: z.string().min(1).max(80).optional().describe('One of my saved addresses; required for physical goods'),
  account: mobile.optional().describe('The phone number to top up or bind the membership to'),
});
export type RedeemRequest = z.infer<typeof RedeemRequest>;

export const ORDER_STATUSES = ['processing', 'completed', 'awaiting_shipment', 'shipped', 'cancelled', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const orderStatusNamesZh: Record<OrderStatus, string> = {
  processing: '处理中',
  completed: '已完成',
  awaiting_shipment: '待发货',
  shipped: '已发货',
  cancelled: '已取消',
  failed: '兑换失败，积分已退回',
};

/**
 * 订单编号, the number a customer reads out to customer service: 16 digits, derived by the BFF
 * from what the order stores and so the same on every read. The first six are the order's day in
 * Beijing time (YYMMDD), the last ten come from the order's id (the first 13 hex digits after `MO`,
 * as a number, modulo 10^10, zero-padded). It names the order together with its customer: two
 * customers' orders of one day may share it (at a thousand orders a day, one such pair in about
 * 20,000 days), one customer's practically never. It is for reading out, not an id: the API takes `id`.
 */
export const OrderNumber = z
  .string()
  .regex(/^\d{16}$/)
  .describe('订单编号: YYMMDD of the order in Beijing time, then 10 digits derived from its id');

export const MallOrder = z
  .object({
    id: z.string(),
    orderNo: OrderNumber,
    itemId: z.string(),
    itemType: z.enum(MALL_ITEM_TYPES),
    title: z.string(),
    cover: z.string().nullable(),
    pricePoints: z.number().int(),
    cashYuan: z.number().nullable(),
    status: z.enum(ORDER_STATUSES),
    statusName: z.string(),
    failureCode: z.string().nullable(),
    createdAt: z.string(),
    coupon: z.object({ name: z.string(), code: z.string(), validUntil: z.string() }).nullable(),
    perk: z.object({ voucherNo: z.string(), instructions: z.string() }).nullable(),
    account: z.string().nullable().describe('Masked'),
    shipping: z
      .object({ name: z.string(), phone: z.string(), region: z.string(), detail: z.string(), carrier: z.string().nullable(), trackingNo: z.string().nullable() })
      .nullable()
      .describe('Name and phone masked'),
    cancellable: z.boolean(),
    prize: z.boolean().describe('Won in a lucky draw: nothing was paid for it'),
  })
  .meta({ id: 'MallOrder' });
export type MallOrder = z.infer<typeof MallOrder>;

/** What happened to an order, from its books: each entry is a step recorded as done, never one still to come. */
export const ORDER_EVENT_KINDS = ['placed', 'paid', 'issued', 'shipped', 'cancelled', 'failed', 'refunded'] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];
export const OrderEvent = z
  .object({
    kind: z.enum(ORDER_EVENT_KINDS),
    title: z.string().describe('As the customer reads it: 提交订单, 积分已支付, 券码已发放, 已发货…'),
    at: z.string().describe('When it was recorded (ISO 8601, UTC)'),
    note: z.string().nullable().describe('Carrier and tracking number of a shipment, points paid or returned'),
  })
  .meta({ id: 'MallOrderEvent' });
export type OrderEvent = z.infer<typeof OrderEvent>;

/** One order with its timeline, oldest step first. */
export const MallOrderDetail = MallOrder.extend({ timeline: z.array(OrderEvent) }).meta({ id: 'MallOrderDetail' });
export type MallOrderDetail = z.infer<typeof MallOrderDetail>;

/** `/:id` of an order: ids are derived from the customer and their idempotency key. */
const OrderIdParams = z.object({ id: z.string().regex(/^MO[0-9a-f]{30}$/, '订单号格式不正确') });

export const OrderPage = z.object({ items: z.array(MallOrder), nextBefore: z.number().int().nullable() });
export const OrderPageQuery = z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) });

const StockAdjustmentRequest = z.object({
  delta: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((d) => d !== 0, '调整数量不能为 0')
    .meta(NON_ZERO),
  reason: trimmedText(1).max(200),
});
export const StockAdjustment = ApprovalFields.extend({ itemId: z.string(), delta: z.number().int() }).meta({ id: 'StockAdjustment' });
export type StockAdjustment = z.infer<typeof StockAdjustment>;
const PendingStockAdjustment = StockAdjustment.extend({
  ...pendingApprovalFields,
  itemTitle: z.string(),
  itemCode: z.string(),
  stockBefore: z.number().int().describe('Units on sale now'),
  stockAfter: z.number().int().describe('Units on sale once approved, if nothing sells meanwhile'),
}).meta({ id: 'PendingStockAdjustment' });

/** A partner's redemption code as printed: 4-64 visible ASCII characters, no spaces (a padded copy is refused, not trimmed into another code). */
export const CouponCode = z.string().regex(/^[!-~]{4,64}$/, '券码须为 4-64 位可见 ASCII 字符，不含空格');
export const CodeUpload = z.object({ codes: z.array(CouponCode).min(1).max(10_000) });
export const CodeUploadResult = z.object({ accepted: z.number().int(), duplicates: z.number().int(), poolSize: z.number().int(), assigned: z.number().int() });
const ShipRequest = z.object({ carrier: trimmedText(1).max(20), trackingNo: z.string().regex(/^[A-Za-z0-9-]{6,40}$/, '运单号格式不正确') });
/** The carriers the 发货 dialog offers; the BFF takes any name (a branch may use a local courier, entered as 其他). */
export const MALL_CARRIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '京东物流', 'EMS', '其他'] as const;

const bankDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 年-月-日，如 2026-12-01');
const orderFilterFields = {
  status: z.enum(ORDER_STATUSES).optional().describe('Absent: every status'),
  q: trimmedText(1).max(64).optional().describe('订单编号 (all 16 digits), or part of the item title, or its code'),
  from: bankDate.optional().describe('Placed on or after this day (Beijing time)'),
  to: bankDate.optional().describe('Placed on or before this day (Beijing time)'),
};
const fromNotAfterTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
const FROM_AFTER_TO = { message: '开始日期不能晚于结束日期', path: ['to'] };
export const MallOrderFilter = z.object(orderFilterFields).refine(fromNotAfterTo, FROM_AFTER_TO);
export type MallOrderFilter = z.infer<typeof MallOrderFilter>;
const MallOrderListQuery = z.object({ ...orderFilterFields, ...pageNumberFields }).refine(fromNotAfterTo, FROM_AFTER_TO);
/** An order as the back office lists it: the full address only for those who ship it. */
const AdminMallOrder = MallOrder.extend({
  customerId: z.string(),
  itemCode: z.string(),
  address: AddressView.nullable(),
  shippedAt: z.string().nullable().describe('ISO 8601; null until shipped'),
});

/**
 * The mall's books, of the whole mall or one item, a page at a time. A page checks at most
 * `limit` orders (in `_id` order), or at most `limit` stock entries (item by item, in `_id`
 * order), so its cost does not grow with the mall's history; `next` says where the following
 * page starts, and only the last page (`complete`) says everything was checked.
 */
const MallInvariantQuery = z.object({
  itemId: z.string().min(1).max(64).optional().describe('Only this item: its orders, stock and codes'),
  cursor: z.string().min(1).max(400).optional().describe('`next` of the previous page; left out, the check starts from the beginning'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Orders, or stock entries, one page checks at most'),
});
const MallInvariantReport = z
  .object({
    /** What this answer checked (a page: add them up across pages). */
    checked: z.object({ orders: z.number().int(), items: z.number().int(), stockEntries: z.number().int(), customers: z.number().int() }),
    /** How many orders and items there are, counted when the check starts (on the first page only: null after). */
    total: z.object({ orders: z.number().int(), items: z.number().int() }).nullable(),
    violations: z.array(z.string()),
    /** Pass as `cursor` for the next page; null on the last. */
    next: z.string().nullable(),
    /** True only on the last page: with the pages before it, every order and item there when the check started has been checked. */
    complete: z.boolean(),
  })
  .meta({ id: 'MallInvariantReport' });

export const catalogueEntryReview = reviewedOperations({
  path: '/admin/mall/catalogue',
  tag: 'admin:mall',
  noun: { one: 'CatalogueEntry', many: 'CatalogueEntries' },
  label: '商品',
  input: CatalogueEntryInput,
  admin: AdminCatalogueEntry,
  csvNote: 'images/limits/allowedTiers/fulfilment 列为 JSON，分类与商品可同表',
  usedBy: ['getMallItemStock', 'requestStockAdjustment', 'uploadCouponCodes', 'getMallItem'],
});

export const stockAdjustmentApprovals = approvalOperations({
  path: '/admin/mall/stock-adjustments',
  noun: 'StockAdjustment',
  label: '库存调整',
  tag: 'admin:mall',
  schema: StockAdjustment,
  pendingSchema: PendingStockAdjustment,
});

/** An order's customer and back-office operations, by its id. */
const ORDER_USES = (id: string) => linksTo(['getMyMallOrder', 'cancelMyMallOrder', 'shipMallOrder', 'cancelMallOrder'], { id });

export const STAFF_READERS = [Role.ADMIN, Role.REVIEWER] as const;

export const mallApi = {
  ...byOperationId(catalogueEntryReview),
  ...byOperationId(stockAdjustmentApprovals),
  ...endpoints({
    getMallHome: {
      method: 'get',
      path: '/mall',
      operationId: 'getMallHome',
      summary: '积分商城首页：我的积分、分类、商品（含库存与可兑换状态）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      responses: { 200: { description: 'The mall', schema: MallHome, links: linksTo(['getMallItem'], { id: '$response.body#/items/0/id' }) } },
    },
    getMallItem: {
      method: 'get',
      path: '/mall/items/:id',
      operationId: 'getMallItem',
      summary: '商品详情',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      params: IdParams,
      responses: { 200: { description: 'The item', schema: MallItemDetail } },
    },
    redeemMallItem: {
      method: 'post',
      path: '/mall/redemptions',
      operationId: 'redeemMallItem',
      summary: '兑换商品（须带 Idempotency-Key；同一个 key 重试返回同一订单）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      body: RedeemRequest,
      headers: IdempotencyKeyHeader,
      responses: {
        200: { description: 'The order (processing, completed, awaiting_shipment or failed and refunded)', schema: MallOrder, links: ORDER_USES('$response.body#/id') },
      },
    },
    listMyMallOrders: {
      method: 'get',
      path: '/mall/orders',
      operationId: 'listMyMallOrders',
      summary: '我的订单（新的在前）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      query: OrderPageQuery,
      responses: { 200: { description: 'A page of orders', schema: OrderPage, links: ORDER_USES('$response.body#/items/0/id') } },
    },
    getMyMallOrder: {
      method: 'get',
      path: '/mall/orders/:id',
      operationId: 'getMyMallOrder',
      summary: '订单详情（含券码、订单编号与订单进度；只看得到自己的订单，他人的订单与不存在的一样答 404）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      params: OrderIdParams,
      responses: { 200: { description: 'The order and its timeline', schema: MallOrderDetail } },
    },
    cancelMyMallOrder: {
      method: 'post',
      path: '/mall/orders/:id/cancel',
      operationId: 'cancelMyMallOrder',
      summary: '取消未发货的实物订单，积分与库存退回',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      params: OrderIdParams,
      responses: { 200: { description: 'Cancelled', schema: MallOrder } },
    },
    listMyAddresses: {
      method: 'get',
      path: '/me/addresses',
      operationId: 'listMyAddresses',
      summary: '我的收货地址（姓名、手机号脱敏）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      responses: {
        200: { description: 'Saved addresses', schema: z.object({ items: z.array(SavedAddress) }), links: linksTo(['deleteMyAddress'], { id: '$response.body#/items/0/id' }) },
      },
    },
    addMyAddress: {
      method: 'post',
      path: '/me/addresses',
      operationId: 'addMyAddress',
      summary: '新增收货地址（最多 10 个）',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      body: Address,
      responses: { 201: { description: 'Saved', schema: SavedAddress, links: linksTo(['deleteMyAddress'], { id: '$response.body#/id' }) } },
    },
    deleteMyAddress: {
      method: 'delete',
      path: '/me/addresses/:id',
      operationId: 'deleteMyAddress',
      summary: '删除收货地址',
      tags: ['customer:mall'],
      access: [Role.CUSTOMER] as const,
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
    },
    getMallItemStock: {
      method: 'get',
      path: '/admin/mall/items/:id/stock',
      operationId: 'getMallItemStock',
      summary: '商品库存、已兑数量与券码池',
      tags: ['admin:mall'],
      access: STAFF_READERS,
      params: IdParams,
      responses: {
        200: {
          description: 'Levels',
          schema: z.object({
            itemId: z.string(),
            stock: z.number(),
            sold: z.number(),
            initial: z.number(),
            adjusted: z.number(),
            codes: z.object({ poolSize: z.number(), assigned: z.number() }),
          }),
        },
      },
    },
    requestStockAdjustment: {
      method: 'post',
      path: '/admin/mall/items/:id/stock-adjustments',
      operationId: 'requestStockAdjustment',
      summary: '申请库存调整（须另一人审批后生效）',
      tags: ['admin:mall'],
      access: [Role.ADMIN],
      params: IdParams,
      body: StockAdjustmentRequest,
      responses: { 201: { description: 'Pending approval', schema: StockAdjustment, links: decisionLinks('StockAdjustment') } },
    },
    uploadCouponCodes: {
      method: 'post',
      path: '/admin/mall/items/:id/codes',
      operationId: 'uploadCouponCodes',
      summary: '批量上传券码（重复券码自动跳过，同一文件重传无变化）',
      tags: ['admin:mall'],
      access: [Role.ADMIN],
      params: IdParams,
      body: CodeUpload,
      responses: { 200: { description: 'Pool after upload', schema: CodeUploadResult } },
    },
    listMallOrders: {
      method: 'get',
      path: '/admin/mall/orders',
      operationId: 'listMallOrders',
      summary: '查询本机构及下级机构的订单：按状态、订单编号或商品、下单日期（收货地址仅对负责发货的管理员完整显示并留痕，审核员看到脱敏地址）',
      tags: ['admin:mall'],
      access: STAFF_READERS,
      query: MallOrderListQuery,
      responses: { 200: { description: 'One page of orders, oldest first', schema: numberedPageOf(AdminMallOrder) } },
    },
    exportMallOrders: {
      method: 'get',
      path: '/admin/mall/orders.csv',
      operationId: 'exportMallOrders',
      summary: '导出订单 CSV（与列表同一筛选；北京时间，收货人与手机号脱敏；导出留痕）',
      tags: ['admin:mall'],
      access: STAFF_READERS,
      query: MallOrderFilter,
      responses: { 200: { description: 'Every matching order, as CSV', contentType: 'text/csv' } },
    },
    shipMallOrder: {
      method: 'post',
      path: '/admin/mall/orders/:id/ship',
      operationId: 'shipMallOrder',
      summary: '发货并登记运单号',
      tags: ['admin:mall'],
      access: [Role.ADMIN],
      params: OrderIdParams,
      body: ShipRequest,
      responses: { 200: { description: 'Shipped', schema: MallOrder } },
    },
    cancelMallOrder: {
      method: 'post',
      path: '/admin/mall/orders/:id/cancel',
      operationId: 'cancelMallOrder',
      summary: '取消订单（未发货实物或银行特权），积分与库存退回',
      tags: ['admin:mall'],
      access: [Role.ADMIN],
      params: OrderIdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Cancelled', schema: MallOrder } },
    },
    recoverMallOrders: {
      method: 'post',
      path: '/admin/mall/recover',
      operationId: 'recoverMallOrders',
      summary: '立即执行全行订单恢复：完成或撤销超时未完成的订单（仅总行；定时任务也会执行）',
      tags: ['admin:mall'],
      access: [Role.ADMIN],
      responses: {
        200: {
          description: 'What the sweep did',
          schema: z.object({
            completed: z.number(),
            failed: z.number(),
            stillPending: z.number(),
            abandoned: z.number(),
            unfinished: z.number().describe('Orders the sweep could not move this time (see GET /admin/jobs)'),
            parked: z.number().describe('Orders left alone after failing again and again, until released'),
          }),
        },
      },
    },
    checkMallInvariants: {
      method: 'get',
      path: '/admin/mall/invariants',
      operationId: 'checkMallInvariants',
      summary: '核对商城不变量：库存流水、已兑订单、券码唯一、积分扣退',
      tags: ['admin:mall'],
      access: STAFF_READERS,
      query: MallInvariantQuery,
      responses: {
        200: { description: 'Violations found in the item, or in this page (`next`: where the following page starts; `complete` on the last)', schema: MallInvariantReport },
      },
    },
  }),
};
