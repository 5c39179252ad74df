import { randomBytes, randomUUID } from 'node:crypto';
import { BANK_HEADERS, MERCHANT_HEADER } from '../../shared/signed-requests';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { merchantKey } from '../../bff/src/coupons/merchants';
import { testConfig, type TestBff } from './bff';

const HOUR = 3_600_000;
const iso = (bff: TestBff, offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();

export type StaffTokens = { admin: string; reviewer: string };

/** Creates, submits and approves a reviewed document under `/admin/<path>`; returns its id. */
export async function publishReviewed(bff: TestBff, tokens: StaffTokens, path: string, input: Record<string, unknown>): Promise<string> {
  const created = await bff.request('POST', `/api/v1/admin/${path}`, { token: tokens.admin, body: input });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const submitted = await bff.request('POST', `/api/v1/admin/${path}/${created.body.id}/submit`, { token: tokens.admin });
  if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const approved = await bff.request('POST', `/api/v1/admin/${path}/${created.body.id}/approve`, { token: tokens.reviewer, body: {} });
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  return created.body.id;
}

export const serviceInput = (overrides: Record<string, unknown> = {}) => ({
  code: `SVC-${randomUUID().slice(0, 8)}`,
  type: 'life_service',
  orgUnitId: 'org-hq',
  category: 'payments',
  name: '电费缴纳',
  description: '一键缴电费',
  target: { kind: 'page', path: '/pages/mall/index' },
  ...overrides,
});

/** A merchant's coupon, claimable from an hour ago for a day, usable for two. */
export const couponInput = (bff: TestBff, overrides: Record<string, unknown> = {}) => ({
  code: `CB-${randomUUID().slice(0, 8)}`,
  type: 'cobrand_coupon',
  orgUnitId: 'org-hq',
  merchant: { id: 'M-COFFEE', name: '悦享咖啡' },
  title: '咖啡满 30 减 10',
  description: '指定门店可用',
  terms: '每张券限用一次。',
  stock: 50,
  perCustomerLimit: 2,
  claim: { startAt: iso(bff, -HOUR), endAt: iso(bff, 24 * HOUR) },
  validity: { from: iso(bff, -HOUR), to: iso(bff, 48 * HOUR) },
  ...overrides,
});

/**
 * Makes every approved coupon's codes, as the sweep does in the background: a coupon is
 * claimable only once its pool is whole.
 */
export async function buildCouponPools(bff: TestBff): Promise<void> {
  const pools = (bff.app.services.capabilities.coupons as { pools?: { run(): Promise<unknown> } }).pools;
  await pools?.run();
}

/** Publishes a coupon and makes its codes; returns its id. */
export async function publishCoupon(bff: TestBff, tokens: StaffTokens, input: Record<string, unknown>): Promise<string> {
  const id = await publishReviewed(bff, tokens, 'coupons', input);
  await buildCouponPools(bff);
  return id;
}

export const livestreamInput = (startAt: string, endAt: string, overrides: Record<string, unknown> = {}) => ({
  code: `LS-${randomUUID().slice(0, 8)}`,
  type: 'livestream',
  orgUnitId: 'org-hq',
  title: '理财直播',
  host: '周敏',
  description: '理财产品有风险，投资需谨慎。',
  startAt,
  endAt,
  channel: { kind: 'channels', finderUserName: 'sphYuexiangBank', noticeId: 'n-1' },
  reminder: { templateId: 'TPL_LIVE', leadMinutes: 10 },
  ...overrides,
});

/** The subscribe messages fake WeChat took for this customer, of one template. */
export async function messagesTo(openid: string, templateId: string): Promise<{ template_id: string; touser: string }[]> {
  const sent = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${openid}`)).json();
  return sent.items.filter((m: { template_id: string }) => m.template_id === templateId);
}

/** A merchant's call to mark a code used, signed with that merchant's own key (or `key`, to sign it wrongly). */
export function merchantRedeem(bff: TestBff, code: string, merchantId: string, key = merchantKey(testConfig().merchantSecret, merchantId)) {
  const path = '/api/v1/merchant/coupons/redeem';
  const raw = JSON.stringify({ code });
  const timestamp = String(Math.floor(bff.clock.now().getTime() / 1000));
  const nonce = randomBytes(12).toString('hex');
  const signature = signBankRequest(key, { method: 'POST', path, timestamp, nonce, body: raw });
  return bff.request('POST', path, {
    rawBody: raw,
    headers: { [BANK_HEADERS.timestamp]: timestamp, [BANK_HEADERS.nonce]: nonce, [BANK_HEADERS.signature]: signature, [MERCHANT_HEADER]: merchantId },
  });
}
