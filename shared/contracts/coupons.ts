import { z } from 'zod';
import { statedRules, trimmedText } from './common';
import { ImageRef } from './media';
import { adminDocument } from './review';
import { TagExpression } from './targeting';
import { byOperationId, reviewedOperations } from '../api/reviewed';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';
import { IdempotencyKeyHeader, IdParams } from './common';
import { MerchantSignedHeaders } from '../signed-requests';

const isoDateTime = z.iso.datetime({ offset: true });

/** A merchant's co-branded coupon (联名优惠券): limited stock, a per-customer limit, a code to show at the counter. */
export const CobrandCouponInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    type: z.literal('cobrand_coupon'),
    orgUnitId: z.string().min(1).max(64),
    merchant: z
      .object({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_-]{2,32}$/, '商户号为 2-32 位字母、数字、_ 或 -')
          .describe('The merchant number: only this merchant, signing with its own key, marks these codes used'),
        name: trimmedText(1).max(20),
        logo: ImageRef.optional(),
      })
      .strict(),
    title: trimmedText(2).max(30),
    description: trimmedText(1).max(100),
    terms: trimmedText(1).max(500).describe('使用规则, shown before claiming'),
    stock: z.number().int().min(1).max(10_000).describe('Codes made at approval; a later revision may raise it, never lower it'),
    perCustomerLimit: z.number().int().min(1).max(10),
    claim: z.object({ startAt: isoDateTime, endAt: isoDateTime }).strict(),
    validity: z.object({ from: isoDateTime, to: isoDateTime }).strict().describe('When a claimed code can be used at the merchant'),
    eligibility: TagExpression.optional(),
  })
  .strict()
  .refine((c) => Date.parse(c.claim.endAt) > Date.parse(c.claim.startAt), { message: '领取结束时间必须晚于开始时间', path: ['claim', 'endAt'] })
  .refine((c) => Date.parse(c.validity.to) > Date.parse(c.validity.from), { message: '有效期结束时间必须晚于开始时间', path: ['validity', 'to'] })
  .refine((c) => Date.parse(c.validity.to) >= Date.parse(c.claim.endAt), { message: '有效期不能早于领取结束', path: ['validity', 'to'] })
  .describe(statedRules('claim.endAt after claim.startAt; validity.to after validity.from, and not before claim.endAt.'));
export type CobrandCouponInput = z.infer<typeof CobrandCouponInput>;
const AdminCobrandCoupon = adminDocument(['cobrand_coupon'], 'AdminCobrandCoupon');

/** Why a coupon cannot be claimed now: `preparing` while its codes are still being made (准备中, never 已领完). */
const COUPON_BLOCKS = ['preparing', 'sold_out', 'limit_reached', 'not_started', 'ended'] as const;

export const CobrandCoupon = z.object({
  id: z.string(),
  merchant: z.object({ name: z.string(), logo: z.string().nullable() }),
  title: z.string(),
  description: z.string(),
  terms: z.string(),
  left: z.number().int().describe('Codes still to claim; the whole stock while the codes are being made'),
  stock: z.number().int(),
  claimedByMe: z.number().int().describe('Coupons I hold (a claim still being finished is not counted)'),
  perCustomerLimit: z.number().int(),
  claimEndsAt: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  blockedBy: z.enum(COUPON_BLOCKS).nullable().describe('Why it cannot be claimed now, if it cannot'),
});
export type CobrandCoupon = z.infer<typeof CobrandCoupon>;

const COUPON_STATES = ['unused', 'used', 'expired'] as const;
export const MyCoupon = z.object({
  claimId: z.string(),
  couponId: z.string(),
  merchant: z.string(),
  title: z.string(),
  code: z.string().describe('Shown to the merchant, who marks it used'),
  state: z.enum(COUPON_STATES),
  claimedAt: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  usedAt: z.string().nullable(),
});
export type MyCoupon = z.infer<typeof MyCoupon>;

const MerchantRedemption = z.object({ code: z.string().regex(/^[A-Z0-9]{4,32}$/, '券码格式不正确') }).strict();
const MerchantRedemptionResult = z.object({ used: z.literal(true), couponId: z.string(), title: z.string(), usedAt: z.string() });

/**
 * One coupon's books: every code given once and within the pool; every allowance slot holding
 * a code (a slot without one past its lease is a claim a crash cut short that nothing finished);
 * every code given recorded for its customer; the pool whole, or being made.
 */
export const CouponInvariants = z.object({
  couponId: z.string(),
  stock: z.number().int(),
  poolSize: z.number().int().describe('Codes made so far'),
  assigned: z.number().int().describe('Codes given to claims'),
  claims: z.number().int().describe('Allowance slots holding a code'),
  inFlight: z.number().int().describe('Claims being finished within their lease (or waiting for codes being made)'),
  violations: z.array(z.string()),
});
export type CouponInvariants = z.infer<typeof CouponInvariants>;

export const cobrandCouponReview = reviewedOperations({
  path: '/admin/coupons',
  tag: 'admin:coupons',
  noun: { one: 'CobrandCoupon', many: 'CobrandCoupons' },
  label: '联名优惠券',
  input: CobrandCouponInput,
  admin: AdminCobrandCoupon,
  csvNote: 'merchant、claim、validity、eligibility 列为 JSON',
  usedBy: ['checkCouponInvariants'],
});

export const couponsApi = {
  ...byOperationId(cobrandCouponReview),
  ...endpoints({
    checkCouponInvariants: {
      method: 'get',
      path: '/admin/coupons/:id/invariants',
      operationId: 'checkCouponInvariants',
      summary: '核对联名券账目：券码不重复、不超券池；每个领取名额都有券码（超过租期仍无券码即被中断且无人补完的领取）；券码已记入客户名下；券池已备齐或正在制作',
      tags: ['admin:coupons'],
      access: [Role.ADMIN, Role.REVIEWER],
      params: IdParams,
      responses: { 200: { description: 'The books, and what breaks them', schema: CouponInvariants } },
    },
    browseCobrandCoupons: {
      method: 'get',
      path: '/coupons',
      operationId: 'browseCobrandCoupons',
      summary: '联名优惠：可领取的商户券（余量、我已领数量、不可领原因）',
      tags: ['customer:coupons'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Claimable now or soon', schema: z.object({ items: z.array(CobrandCoupon) }) } },
    },
    viewCobrandCoupon: {
      method: 'get',
      path: '/coupons/:id',
      operationId: 'viewCobrandCoupon',
      summary: '联名优惠券详情与使用规则',
      tags: ['customer:coupons'],
      access: [Role.CUSTOMER],
      params: IdParams,
      responses: { 200: { description: 'The coupon', schema: CobrandCoupon } },
    },
    claimCobrandCoupon: {
      method: 'post',
      path: '/coupons/:id/claims',
      operationId: 'claimCobrandCoupon',
      summary: '领取联名优惠券（须带 Idempotency-Key；同一个 key 重试返回同一张券）：不超库存、不超每人限领',
      tags: ['customer:coupons'],
      access: [Role.CUSTOMER],
      params: IdParams,
      headers: IdempotencyKeyHeader,
      responses: { 200: { description: 'The claimed coupon with its code', schema: MyCoupon }, 409: { description: 'Sold out, limit reached or not claimable now' } },
    },
    listMyCoupons: {
      method: 'get',
      path: '/me/coupons',
      operationId: 'listMyCoupons',
      summary: '我的联名券：券码与状态（未使用、已使用、已过期）',
      tags: ['customer:coupons'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'Newest first', schema: z.object({ items: z.array(MyCoupon) }) } },
    },
    redeemCobrandCouponCode: {
      method: 'post',
      path: '/merchant/coupons/redeem',
      operationId: 'redeemCobrandCouponCode',
      summary: '商户核销券码：X-Merchant-Id 为商户号，以该商户自己的密钥 HMAC 签名（与银行系统同一签名方式）；只能核销本商户的券码，每个券码只能核销一次',
      tags: ['merchant'],
      access: 'public',
      signed: true,
      headers: MerchantSignedHeaders,
      body: MerchantRedemption,
      responses: {
        200: { description: 'Marked used', schema: MerchantRedemptionResult },
        404: { description: 'No such claimed code of this merchant' },
        409: { description: 'Already used' },
        410: { description: 'Expired' },
      },
    },
  }),
};
