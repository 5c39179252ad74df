import { z } from 'zod';
import { numberedPageOf, pageNumberFields } from '../../../shared/contracts/paging';
import {
  AddressView,
  AdminCatalogueEntry,
  CatalogueEntryInput,
  CodeUpload,
  CodeUploadResult,
  MallInvariantQuery,
  MallInvariantReport,
  MallOrder,
  ORDER_STATUSES,
  OrderIdParams,
  ShipRequest,
  StockAdjustment,
  StockAdjustmentRequest,
} from '../../../shared/contracts/mall';
import { ReviewDecision } from '../../../shared/contracts/review';
import { Role } from '../../../shared/roles';
import { approvalReviewRoutes, decisionLinks } from '../kernel/approval-routes';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import type { MallAdminService } from './admin-service';
import { csvRowToCatalogueEntry, type CatalogueAdmin } from './catalogue';

const STAFF_READERS = [Role.ADMIN, Role.REVIEWER] as const;

export function mallAdminRoutes(service: MallAdminService, catalogue: CatalogueAdmin) {
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
      usedBy: ['getMallItemStock', 'requestStockAdjustment', 'uploadCouponCodes', 'getMallItem'],
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
      handler: ({ principal, params }) => service.stock(principal!, params.id),
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
      responses: { 201: { description: 'Pending approval', schema: StockAdjustment, links: decisionLinks('StockAdjustment') } },
      handler: ({ principal, params, body }) => service.requestStockAdjustment(principal!, params.id, body.delta, body.reason),
    }),
    ...approvalReviewRoutes({
      path: '/admin/mall/stock-adjustments',
      noun: 'StockAdjustment',
      label: '库存调整',
      tag: 'admin:mall',
      schema: StockAdjustment,
      pending: service.pendingStockAdjustments,
      approve: service.approveStockAdjustment,
      reject: service.rejectStockAdjustment,
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
      handler: ({ principal, params, body }) => service.uploadCodes(principal!, params.id, body.codes),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/mall/orders',
      operationId: 'listMallOrders',
      summary: '按状态查看本机构及下级机构的订单（收货地址仅对负责发货的管理员完整显示，审核员看到脱敏地址）',
      tags,
      access: STAFF_READERS,
      query: z.object({ status: z.enum(ORDER_STATUSES).default('awaiting_shipment'), ...pageNumberFields }),
      responses: { 200: { description: 'One page of orders, oldest first', schema: numberedPageOf(MallOrder.extend({ customerId: z.string(), itemCode: z.string(), address: AddressView.nullable() })) } },
      handler: ({ principal, query }) => service.orders(principal!, query.status, { page: query.page, pageSize: query.pageSize }),
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
      handler: ({ principal, params, body }) => service.ship(principal!, params.id, body),
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
      handler: ({ principal, params, body }) => service.cancel(principal!, params.id, body.reason),
    }),
    defineRoute({
      method: 'post',
      path: '/admin/mall/recover',
      operationId: 'recoverMallOrders',
      summary: '立即执行全行订单恢复：完成或撤销超时未完成的订单（仅总行；定时任务也会执行）',
      tags,
      access: [Role.ADMIN],
      responses: { 200: { description: 'What the sweep did', schema: z.object({ completed: z.number(), failed: z.number(), stillPending: z.number(), abandoned: z.number(), unfinished: z.number().describe('Orders the sweep could not move this time (see GET /admin/jobs)'), parked: z.number().describe('Orders left alone after failing again and again, until released') }) } },
      handler: ({ principal }) => service.recover(principal!),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/mall/invariants',
      operationId: 'checkMallInvariants',
      summary: '核对商城不变量：库存流水、已兑订单、券码唯一、积分扣退',
      tags,
      access: STAFF_READERS,
      query: MallInvariantQuery,
      responses: { 200: { description: 'Violations found in the item, or in this page of items (`next`: where the following page starts)', schema: MallInvariantReport } },
      handler: ({ principal, query }) => service.checkInvariants(principal!, query),
    }),
  ];
}
