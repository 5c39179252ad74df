import type { Context } from 'koa';
import { z } from 'zod';
import {
  Address,
  AdminCatalogueEntry,
  CatalogueEntryInput,
  CodeUpload,
  CodeUploadResult,
  MallHome,
  MallItemDetail,
  MallOrder,
  ORDER_STATUSES,
  OrderPage,
  OrderPageQuery,
  RedeemRequest,
  SavedAddress,
  ShipRequest,
  StockAdjustment,
  StockAdjustmentRequest,
} from '../../../shared/contracts/mall';
import { ReviewDecision } from '../../../shared/contracts/review';
import { Role } from '../../../shared/roles';
import { approvalReviewRoutes } from '../platform/approval-routes';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { reviewedAdminRoutes } from '../review/routes';
import { csvRowToCatalogueEntry, type CatalogueAdmin } from './catalogue';
import type { MallService } from './service';
import type { Redemption } from './redemption';

const STAFF_READERS = [Role.ADMIN, Role.REVIEWER] as const;
const OrderIdParams = z.object({ id: z.string().regex(/^MO[0-9a-f]{30}$/, '订单号格式不正确') });

/** The client's key for one redemption attempt; a retry sends the same one. */
function idempotencyKey(ctx: Context): string {
  const key = ctx.get('Idempotency-Key');
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(key)) {
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'headers.idempotency-key', message: '缺少或无效的 Idempotency-Key（8–64 位字母、数字、_ 或 -）' }] });
  }
  return key;
}

export function mallCustomerRoutes(service: MallService) {
  const tags = ['customer:mall'];
  const access = [Role.CUSTOMER] as const;
  return [
    defineRoute({
      method: 'get',
      path: '/mall',
      operationId: 'getMallHome',
      summary: '积分商城首页：我的积分、分类、商品（含库存与可兑换状态）',
      tags,
      access,
      responses: { 200: { description: 'The mall', schema: MallHome } },
      handler: ({ principal }) => service.home(principal!.id),
    }),
    defineRoute({
      method: 'get',
      path: '/mall/items/:id',
      operationId: 'getMallItem',
      summary: '商品详情',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'The item', schema: MallItemDetail } },
      handler: ({ principal, params }) => service.item(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/mall/redemptions',
      operationId: 'redeemMallItem',
      summary: '兑换商品（须带 Idempotency-Key；同一个 key 重试返回同一订单）',
      tags,
      access,
      body: RedeemRequest,
      responses: { 200: { description: 'The order (processing, completed, awaiting_shipment or failed and refunded)', schema: MallOrder } },
      handler: ({ principal, body, ctx }) => service.redeem(principal!.id, idempotencyKey(ctx), body),
    }),
    defineRoute({
      method: 'get',
      path: '/mall/orders',
      operationId: 'listMyMallOrders',
      summary: '我的订单（新的在前）',
      tags,
      access,
      query: OrderPageQuery,
      responses: { 200: { description: 'A page of orders', schema: OrderPage } },
      handler: ({ principal, query }) => service.orders(principal!.id, query.before, query.limit),
    }),
    defineRoute({
      method: 'get',
      path: '/mall/orders/:id',
      operationId: 'getMyMallOrder',
      summary: '订单详情（含券码）',
      tags,
      access,
      params: OrderIdParams,
      responses: { 200: { description: 'The order', schema: MallOrder } },
      handler: ({ principal, params }) => service.order(principal!.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/mall/orders/:id/cancel',
      operationId: 'cancelMyMallOrder',
      summary: '取消未发货的实物订单，积分与库存退回',
      tags,
      access,
      params: OrderIdParams,
      responses: { 200: { description: 'Cancelled', schema: MallOrder } },
      handler: ({ principal, params }) => service.cancelMine(principal!.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/me/addresses',
      operationId: 'listMyAddresses',
      summary: '我的收货地址（姓名、手机号脱敏）',
      tags,
      access,
      responses: { 200: { description: 'Saved addresses', schema: z.object({ items: z.array(SavedAddress) }) } },
      handler: async ({ principal }) => ({ items: await service.addresses.list(principal!.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/me/addresses',
      operationId: 'addMyAddress',
      summary: '新增收货地址（最多 10 个）',
      tags,
      access,
      body: Address,
      responses: { 201: { description: 'Saved', schema: SavedAddress } },
      handler: ({ principal, body }) => service.addresses.add(principal!.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/me/addresses/:id',
      operationId: 'deleteMyAddress',
      summary: '删除收货地址',
      tags,
      access,
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      handler: ({ principal, params }) => service.addresses.remove(principal!.id, params.id),
    }),
  ];
}

export function mallAdminRoutes(service: MallService, catalogue: CatalogueAdmin, redemption: Redemption) {
  const tags = ['admin:mall'];
  return [
    ...reviewedAdminRoutes({
      service: catalogue,
      path: '/admin/mall/catalogue',
      tag: 'admin:mall',
      noun: { one: 'CatalogueEntry', many: 'CatalogueEntries' },
      label: '商品',
      input: CatalogueEntryInput,
      admin: AdminCatalogueEntry,
      csvRow: csvRowToCatalogueEntry,
      csvNote: 'images/limits/allowedTiers/fulfilment 列为 JSON，分类与商品可同表',
    }),
    defineRoute({
      method: 'get',
      path: '/admin/mall/items/:id/stock',
      operationId: 'getMallItemStock',
      summary: '商品库存、已兑数量与券码池',
      tags,
      access: STAFF_READERS,
      params: IdParams,
      responses: {
        200: {
          description: 'Levels',
          schema: z.object({ itemId: z.string(), stock: z.number(), sold: z.number(), initial: z.number(), adjusted: z.number(), codes: z.object({ poolSize: z.number(), assigned: z.number() }) }),
        },
      },
      handler: ({ principal, params }) => service.admin.stock(principal!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/items/:id/stock-adjustments',
      operationId: 'requestStockAdjustment',
      summary: '申请库存调整（须另一人审批后生效）',
      tags,
      access: [Role.ADMIN],
      params: IdParams,
      body: StockAdjustmentRequest,
      responses: { 201: { description: 'Pending approval', schema: StockAdjustment } },
      handler: ({ principal, params, body }) => service.admin.requestStockAdjustment(principal!, params.id, body.delta, body.reason),
    }),
    ...approvalReviewRoutes({
      path: '/admin/mall/stock-adjustments',
      noun: 'StockAdjustment',
      label: '库存调整',
      tag: 'admin:mall',
      schema: StockAdjustment,
      pending: service.admin.pendingStockAdjustments,
      approve: service.admin.approveStockAdjustment,
      reject: service.admin.rejectStockAdjustment,
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/items/:id/codes',
      operationId: 'uploadCouponCodes',
      summary: '批量上传券码（重复券码自动跳过，同一文件重传无变化）',
      tags,
      access: [Role.ADMIN],
      params: IdParams,
      body: CodeUpload,
      responses: { 200: { description: 'Pool after upload', schema: CodeUploadResult } },
      handler: ({ principal, params, body }) => service.admin.uploadCodes(principal!, params.id, body.codes),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/mall/orders',
      operationId: 'listMallOrders',
      summary: '按状态查看订单（待发货订单含完整收货地址）',
      tags,
      access: STAFF_READERS,
      query: z.object({ status: z.enum(ORDER_STATUSES).default('awaiting_shipment'), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      responses: { 200: { description: 'Orders', schema: z.object({ items: z.array(MallOrder.extend({ customerId: z.string(), itemCode: z.string(), address: Address.nullable() })) }) } },
      handler: async ({ principal, query }) => ({ items: await service.admin.orders(principal!, query.status, query.limit) }),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/orders/:id/ship',
      operationId: 'shipMallOrder',
      summary: '发货并登记运单号',
      tags,
      access: [Role.ADMIN],
      params: OrderIdParams,
      body: ShipRequest,
      responses: { 200: { description: 'Shipped', schema: MallOrder } },
      handler: ({ principal, params, body }) => service.admin.ship(principal!, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/orders/:id/cancel',
      operationId: 'cancelMallOrder',
      summary: '取消订单（未发货实物或银行特权），积分与库存退回',
      tags,
      access: [Role.ADMIN],
      params: OrderIdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Cancelled', schema: MallOrder } },
      handler: ({ principal, params, body }) => service.admin.cancel(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/recover',
      operationId: 'recoverMallOrders',
      summary: '立即执行订单恢复：完成或撤销超时未完成的订单（定时任务也会执行）',
      tags,
      access: [Role.ADMIN],
      responses: { 200: { description: 'What the sweep did', schema: z.object({ completed: z.number(), failed: z.number(), stillPending: z.number(), abandoned: z.number() }) } },
      handler: () => redemption.recover(),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/mall/invariants',
      operationId: 'checkMallInvariants',
      summary: '核对商城不变量：库存流水、已兑订单、券码唯一、积分扣退',
      tags,
      access: STAFF_READERS,
      query: z.object({ itemId: z.string().min(1).max(64).optional() }),
      responses: { 200: { description: 'Violations found', schema: z.object({ checked: z.object({ items: z.number(), customers: z.number() }), violations: z.array(z.string()) }) } },
      handler: ({ principal, query }) => service.admin.checkInvariants(principal!, query.itemId),
    }),
  ];
}
