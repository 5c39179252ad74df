import { ChancePurchase, ClaimPrizeBody, DrawOutcome, DrawResultParams, MyDraw, MyDrawPrize, MyDrawPrizePage } from '../../../shared/contracts/draws';
import { IdempotencyKeyHeader } from '../../../shared/contracts/common';
import { OrderPageQuery } from '../../../shared/contracts/mall';
import { Role } from '../../../shared/roles';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { DrawService } from './service';

export function drawRoutes(service: DrawService) {
  const tags = ['customer'];
  const access = [Role.CUSTOMER];
  return [
    defineRoute({
      method: 'get',
      path: '/activities/:id/draw',
      operationId: 'getMyDraw',
      summary: '抽奖活动：奖品、数量、概率、保底与规则（开奖前公示），我的抽奖机会与剩余次数',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'The draw as published, with my chances', schema: MyDraw } },
      handler: ({ principal, params, consented }) => service.get(principal!.id, params.id, !consented),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/draw/draws',
      operationId: 'drawOnce',
      summary: '抽一次（消耗一次机会；须带 Idempotency-Key，同一个 key 重试返回同一结果）',
      tags,
      access,
      params: IdParams,
      headers: IdempotencyKeyHeader,
      responses: { 200: { description: 'The outcome, decided on the server', schema: DrawOutcome, links: linksTo(['claimMyDrawPrize', 'shipDrawPrize'], { drawId: '$response.body#/drawId' }) } },
      handler: ({ principal, params, headers }) => service.draw(principal!.id, params.id, headers['Idempotency-Key']),
    }),
    defineRoute({
      method: 'post',
      path: '/activities/:id/draw/chances',
      operationId: 'buyDrawChance',
      summary: '用积分兑换一次抽奖机会（须带 Idempotency-Key，同一个 key 只扣一次积分）',
      tags,
      access,
      params: IdParams,
      headers: IdempotencyKeyHeader,
      responses: { 200: { description: 'Chances and points after the purchase', schema: ChancePurchase } },
      handler: ({ principal, params, headers }) => service.buy(principal!.id, params.id, headers['Idempotency-Key']),
    }),
    defineRoute({
      method: 'get',
      path: '/me/draw-prizes',
      operationId: 'listMyDrawPrizes',
      summary: '我的奖品：抽奖所得（新的在前），含状态、券码与物流',
      tags,
      access,
      query: OrderPageQuery,
      responses: { 200: { description: 'A page of prizes won', schema: MyDrawPrizePage, links: linksTo(['claimMyDrawPrize'], { drawId: '$response.body#/items/0/drawId' }) } },
      handler: ({ principal, query }) => service.prizes(principal!.id, query.before, query.limit),
    }),
    defineRoute({
      method: 'post',
      path: '/me/draw-prizes/:drawId/claim',
      operationId: 'claimMyDrawPrize',
      summary: '用收货地址领取实物奖品（领取期限内；重复领取返回首次的地址）',
      tags,
      access,
      params: DrawResultParams,
      body: ClaimPrizeBody,
      responses: { 200: { description: 'The prize, claimed', schema: MyDrawPrize } },
      handler: ({ principal, params, body }) => service.claim(principal!.id, params.drawId, body.addressId),
    }),
  ];
}
