import { randomBytes, randomUUID } from 'node:crypto';
import type { TestBff } from './bff';
import { checkedFetch } from './contract';

const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** A mall item on sale from an hour ago for a month by the BFF's clock; a coupon unless overridden. */
export function itemInput(bff: TestBff, overrides: Record<string, unknown> = {}) {
  const now = bff.clock.now().getTime();
  return {
    code: `ITEM-${randomBytes(4).toString('hex')}`,
    type: 'coupon',
    orgUnitId: 'org-hq',
    categoryCode: 'CAT-LIFE',
    title: '瑞幸咖啡 10 元券',
    description: '全国门店通用',
    pricePoints: 100,
    initialStock: 10,
    saleWindow: { startAt: iso(new Date(now - 60 * 60 * 1000)), endAt: iso(new Date(now + 30 * 24 * 60 * 60 * 1000)) },
    fulfilment: { couponName: '瑞幸咖啡 10 元券', validDays: 30 },
    ...overrides,
  };
}

export const categoryInput = (code = 'CAT-LIFE', name = '生活权益') => ({ code, type: 'category', orgUnitId: 'org-hq', name, sortOrder: 1 });

/** Creates, submits and approves a catalogue entry; returns its id. */
export async function publishEntry(bff: TestBff, tokens: { admin: string; reviewer: string }, input: Record<string, unknown>): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/mall/catalogue', { token: tokens.admin, body: input });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const submitted = await bff.call('submitCatalogueEntry', { params: { id } }, { token: tokens.admin });
  if (submitted.status !== 200) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
  const approved = await bff.call('approveCatalogueEntry', { params: { id }, body: {} }, { token: tokens.reviewer });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
  return id;
}

export async function uploadCodes(bff: TestBff, token: string, itemId: string, count: number): Promise<string[]> {
  const codes = Array.from({ length: count }, () => `LK${randomBytes(6).toString('hex').toUpperCase()}`);
  const res = await bff.call('uploadCouponCodes', { params: { id: itemId }, body: { codes } }, { token });
  if (res.status !== 200) throw new Error(`code upload failed: ${JSON.stringify(res.body)}`);
  return codes;
}

/** Points for a customer, as a reward would pay them (test setup, not the behaviour under test). */
export async function givePoints(bff: TestBff, customerId: string, amount: number): Promise<void> {
  await bff.app.services.points.earn(customerId, amount, `test-grant:${randomUUID()}`, '测试发放');
}

export type RedeemResult = { status: number; body: any };

export async function redeem(url: string, token: string, body: Record<string, unknown>, key: string = randomUUID()): Promise<RedeemResult> {
  const res = await checkedFetch(`${url}/api/v1/mall/redemptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: res.body };
}

export type MallCheckPage = {
  checked: { orders: number; items: number; stockEntries: number; customers: number };
  total: { orders: number; items: number } | null;
  violations: string[];
  next: string | null;
  complete: boolean;
};

/** Walks the mall's check (of one item, or all) page by page, as the console does; each page must answer 200, and only the last be complete. */
export async function walkMallCheck(bff: TestBff, token: string, limit: number, itemId?: string) {
  const pages: MallCheckPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await bff.call('checkMallInvariants', { query: { itemId, limit: String(limit), cursor } }, { token });
    if (res.status !== 200) throw new Error(`page ${pages.length + 1}: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body as MallCheckPage;
    pages.push(page);
    if (page.complete !== (page.next === null)) throw new Error(`page ${pages.length}: complete ${page.complete} with next ${page.next}`);
    if (page.complete) break;
    cursor = page.next!;
  }
  const sum = (k: keyof MallCheckPage['checked']) => pages.reduce((n, p) => n + p.checked[k], 0);
  return { pages, violations: pages.flatMap((p) => p.violations), orders: sum('orders'), items: sum('items'), customers: sum('customers') };
}
