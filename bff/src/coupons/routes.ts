import { z } from 'zod';
import { IdempotencyKeyHeader } from '../../../shared/contracts/common';
import { AdminCobrandCoupon, CobrandCoupon, CobrandCouponInput, CouponInvariants, MerchantRedemption, MerchantRedemptionResult, MyCoupon } from '../../../shared/contracts/coupons';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import { AppError } from '../platform/errors';
import { reviewedAdminRoutes } from '../kernel/review/routes';
import { csvRowToCoupon, type CouponAdmin } from './catalogue';
import type { CouponClaims } from './claims';
import { MerchantSignedHeaders, type MerchantAuth } from './merchants';
import type { CouponView } from './catalogue';

export function couponRoutes(deps: { admin: CouponAdmin; claims: CouponClaims; merchantAuth: MerchantAuth }) {
  const tags = ['customer:coupons'];
  const access = [Role.CUSTOMER];
  return [
    ...reviewedAdminRoutes({
      service: deps.admin,
      path: '/admin/coupons',
      tag: 'admin:coupons',
      noun: { one: 'CobrandCoupon', many: 'CobrandCoupons' },
      label: '联名优惠券',
      input: CobrandCouponInput,
      admin: AdminCobrandCoupon,
      csvRow: csvRowToCoupon,
      csvNote: 'merchant、claim、validity、eligibility 列为 JSON',
      usedBy: ['checkCouponInvariants'],
    }),
    defineRoute({
      method: 'get',
      path: '/admin/coupons/:id/invariants',
      operationId: 'checkCouponInvariants',
      summary: '核对联名券账目：券码不重复、不超券池；每个领取名额都有券码（超过租期仍无券码即被中断且无人补完的领取）；券码已记入客户名下；券池已备齐或正在制作',
      tags: ['admin:coupons'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'The books, and what breaks them', schema: CouponInvariants } },
      handler: async ({ principal, params }) => {
        const view = (await deps.admin.visible(principal!, params.id)) as CouponView;
        if (!view.live) throw new AppError('NOT_FOUND', { message: '优惠券尚未发布' });
        return deps.claims.check(view);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/coupons',
      operationId: 'browseCobrandCoupons',
      summary: '联名优惠：可领取的商户券（余量、我已领数量、不可领原因）',
      tags,
      access,
      responses: { 200: { description: 'Claimable now or soon', schema: z.object({ items: z.array(CobrandCoupon) }) } },
      handler: async ({ principal, consented }) => ({ items: await deps.claims.list(principal!.id, !consented) }),
    }),
    defineRoute({
      method: 'get',
      path: '/coupons/:id',
      operationId: 'viewCobrandCoupon',
      summary: '联名优惠券详情与使用规则',
      tags,
      access,
      params: IdParams,
      responses: { 200: { description: 'The coupon', schema: CobrandCoupon } },
      handler: ({ principal, params, consented }) => deps.claims.detail(principal!.id, params.id, !consented),
    }),
    defineRoute({
      method: 'post',
      path: '/coupons/:id/claims',
      operationId: 'claimCobrandCoupon',
      summary: '领取联名优惠券（须带 Idempotency-Key；同一个 key 重试返回同一张券）：不超库存、不超每人限领',
      tags,
      access,
      params: IdParams,
      headers: IdempotencyKeyHeader,
      responses: { 200: { description: 'The claimed coupon with its code', schema: MyCoupon }, 409: { description: 'Sold out, limit reached or not claimable now' } },
      handler: ({ principal, params, headers, ctx }) => deps.claims.claim(principal!.id, params.id, headers['Idempotency-Key'], ctx.ip || null),
    }),
    defineRoute({
      method: 'get',
      path: '/me/coupons',
      operationId: 'listMyCoupons',
      summary: '我的联名券：券码与状态（未使用、已使用、已过期）',
      tags,
      access,
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(MyCoupon) }) } },
      handler: async ({ principal }) => ({ items: await deps.claims.mine(principal!.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/merchant/coupons/redeem',
      operationId: 'redeemCobrandCouponCode',
      summary: '商户核销券码：X-Merchant-Id 为商户号，以该商户自己的密钥 HMAC 签名（与银行系统同一签名方式）；只能核销本商户的券码，每个券码只能核销一次',
      tags: ['merchant'],
      access: 'public',
      authenticate: deps.merchantAuth.verify,
      headers: MerchantSignedHeaders,
      body: MerchantRedemption,
      responses: { 200: { description: 'Marked used', schema: MerchantRedemptionResult }, 404: { description: 'No such claimed code of this merchant' }, 409: { description: 'Already used' }, 410: { description: 'Expired' } },
      handler: ({ body, ctx }) => deps.claims.redeem(body.code, String(ctx.state.merchantId)),
    }),
  ];
}
