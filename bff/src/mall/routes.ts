import { z } from 'zod';
import { Address, MallHome, MallItemDetail, MallOrder, OrderIdParams, OrderPage, OrderPageQuery, RedeemRequest, SavedAddress } from '../../../shared/contracts/mall';
import { IdempotencyKeyHeader } from '../../../shared/contracts/common';
import { Role } from '../../../shared/roles';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { MallService } from './service';

/** An order's customer and back-office operations, by its id. */
const ORDER_USES = (id: string) => linksTo(['getMyMallOrder', 'cancelMyMallOrder', 'shipMallOrder', 'cancelMallOrder'], { id });

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
      responses: { 200: { description: 'The mall', schema: MallHome, links: linksTo(['getMallItem'], { id: '$response.body#/items/0/id' }) } },
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
      headers: IdempotencyKeyHeader,
      responses: { 200: { description: 'The order (processing, completed, awaiting_shipment or failed and refunded)', schema: MallOrder, links: ORDER_USES('$response.body#/id') } },
      handler: ({ principal, body, headers }) => service.redeem(principal!.id, headers['Idempotency-Key'], body),
    }),
    defineRoute({
      method: 'get',
      path: '/mall/orders',
      operationId: 'listMyMallOrders',
      summary: '我的订单（新的在前）',
      tags,
      access,
      query: OrderPageQuery,
      responses: { 200: { description: 'A page of orders', schema: OrderPage, links: ORDER_USES('$response.body#/items/0/id') } },
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
      responses: { 200: { description: 'Saved addresses', schema: z.object({ items: z.array(SavedAddress) }), links: linksTo(['deleteMyAddress'], { id: '$response.body#/items/0/id' }) } },
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
      responses: { 201: { description: 'Saved', schema: SavedAddress, links: linksTo(['deleteMyAddress'], { id: '$response.body#/id' }) } },
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
