import { randomUUID } from 'node:crypto';
import { startBff, testConfig, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, signIn } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes, walkMallCheck } from '../helpers/mall';
import { seedDemoData } from '../../bff/src/seed';
import { wechatCode } from '../helpers/wechat';
import { createStaffAccount } from '../helpers/staff';
import { createLimitSlots } from '../../bff/src/mall/orders/limits';
import { settledTo } from '../helpers/settled';

const dbName = uniqueDbName('mall');
let bff: TestBff;
let slow: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('mall', { dbName });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  await publishEntry(bff, tokens, categoryInput());
  // A second BFF on the same database and clock, giving the partner only 300 ms to answer.
  slow = await startBff('mallslow', { dbName, env: { MALL_PROVIDER_TIMEOUT_MS: '300' }, clock: bff.clock });
}, 60_000);
afterAll(async () => {
  await slow.stop();
  await bff.stop();
});

async function customerWith(points: number) {
  const c = await customerSession(bff);
  if (points) await givePoints(bff, c.id, points);
  return c;
}
const login = async (openid: string) => (await signIn(bff, openid)).token;
const balanceOf = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance;
const invariants = (itemId: string) => walkMallCheck(bff, tokens.reviewer, 100, itemId);

describe('catalogue', () => {
  test('categories and items uploaded as CSV go live only after a second person approves them', async () => {
    const code = `CSV-${randomUUID().slice(0, 8)}`;
    const csv = [
      '\uFEFFcode,type,orgUnitId,name,categoryCode,title,pricePoints,initialStock,saleWindow.startAt,saleWindow.endAt,fulfilment,limits',
      `CAT-${code},category,org-hq,出行,,,,,,,,`,
      `${code},perk,org-hq,,CAT-${code},机场贵宾厅,500,3,2020-01-01T00:00:00+08:00,2099-01-01T00:00:00+08:00,"{""instructions"":""出示券号""}","{""lifetime"":1}"`,
    ].join('\r\n');
    const upload = await bff.call('bulkUploadCatalogueEntriesCsv', { body: csv }, { token: tokens.admin });
    expect(upload.body).toMatchObject({ created: 2, updated: 0, unchanged: 0, dryRun: false });
    const again = await bff.call('bulkUploadCatalogueEntriesCsv', { body: csv }, { token: tokens.admin });
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, dryRun: false });

    const c = await customerWith(1000);
    const before = (await bff.call('getMallHome', {}, { token: c.token })).body;
    expect(before.items.find((i: { code: string }) => i.code === code)).toBeUndefined();

    const list = (await bff.call('listCatalogueEntries', { query: { pageSize: '200' } }, { token: tokens.admin })).body.items;
    for (const entry of list.filter((e: { code: string }) => e.code.endsWith(code))) {
      expect((await bff.call('submitCatalogueEntry', { params: { id: entry.id } }, { token: tokens.admin })).status).toBe(200);
      // Maker-checker: the author may not approve.
      const self = await bff.call('approveCatalogueEntry', { params: { id: entry.id }, body: {} }, { token: tokens.admin });
      expect(self.status).toBe(403);
      expect((await bff.call('approveCatalogueEntry', { params: { id: entry.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    }
    const home = (await bff.call('getMallHome', {}, { token: c.token })).body;
    expect(home.balance).toBe(1000);
    expect(home.categories).toContainEqual({ code: `CAT-${code}`, name: '出行', icon: null });
    expect(home.items.find((i: { code: string }) => i.code === code)).toMatchObject({ type: 'perk', typeName: '银行特权', pricePoints: 500, stock: 3, blockedBy: null });
  });

  test('marketing copy with banned words cannot be submitted; stock cannot be edited after approval', async () => {
    const created = await bff.request('POST', '/api/v1/admin/mall/catalogue', { token: tokens.admin, body: itemInput(bff, { title: '稳赚不赔理财礼包' }) });
    const submit = await bff.call('submitCatalogueEntry', { params: { id: created.body.id } }, { token: tokens.admin });
    expect(submit.status).toBe(422);
    expect(submit.body.code).toBe('REVIEW_BANNED_WORDS');

    const input = itemInput(bff);
    const id = await publishEntry(bff, tokens, input);
    const edit = await bff.request('PUT', `/api/v1/admin/mall/catalogue/${id}`, { token: tokens.admin, body: { ...input, initialStock: 999 } });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('MALL_INITIAL_STOCK_LOCKED');
  });
});

describe('redemption', () => {
  test('a retried redemption gets its order back even after the item was withdrawn', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 50, initialStock: 3 }));
    await uploadCodes(bff, tokens.admin, id, 3);
    const c = await customerWith(100);
    const key = randomUUID();
    const first = await redeem(bff.url, c.token, { itemId: id }, key);
    expect(first.status).toBe(200);
    expect((await bff.call('withdrawCatalogueEntry', { params: { id }, body: { reason: '合作方下架' } }, { token: tokens.admin })).status).toBe(200);
    const retry = await redeem(bff.url, c.token, { itemId: id }, key);
    expect([retry.status, retry.body.id, retry.body.coupon?.code]).toEqual([200, first.body.id, first.body.coupon.code]);
    expect((await redeem(bff.url, c.token, { itemId: id })).body.code).toBe('MALL_NOT_ON_SALE');
    expect(await balanceOf(c.token)).toBe(50);
  });

  test('a coupon redemption debits points, takes one unit and shows its code in 我的订单', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 120, initialStock: 5 }));
    const codes = await uploadCodes(bff, tokens.admin, id, 5);
    const c = await customerWith(300);
    const res = await redeem(bff.url, c.token, { itemId: id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', statusName: '已完成', pricePoints: 120, coupon: { name: '瑞幸咖啡 10 元券' } });
    expect(codes).toContain(res.body.coupon.code);
    expect(await balanceOf(c.token)).toBe(180);

    const orders = (await bff.call('listMyMallOrders', undefined, { token: c.token })).body;
    expect(orders.items[0]).toMatchObject({ id: res.body.id, coupon: { code: res.body.coupon.code } });
    const item = (await bff.call('getMallItem', { params: { id } }, { token: c.token })).body;
    expect(item).toMatchObject({ stock: 4, needs: 'nothing' });
    // Another customer cannot read it.
    const other = await customerWith(0);
    expect((await bff.call('getMyMallOrder', { params: { id: res.body.id } }, { token: other.token })).status).toBe(404);
    expect(await invariants(id)).toMatchObject({ orders: 1, items: 1, customers: 1, violations: [] });
    // The code is in no log line and no event.
    expect(bff.logText()).not.toContain(res.body.coupon.code);
    const events = () => bff.db.collection('outbox_events').find({ subjectId: res.body.id }).toArray();
    expect(await settledTo(async () => (await events()).map((e) => e.name), ['mall.order_confirmed'])).toEqual(['mall.order_confirmed']);
    expect(JSON.stringify(await events())).not.toContain(res.body.coupon.code);
  });

  test('each refusal has its own stable code, and the state is shown before the tap', async () => {
    const c = await customerWith(150);
    const expensive = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 1000, fulfilment: { instructions: '到店出示' } }));
    const soldOut = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', initialStock: 0, fulfilment: { instructions: '到店出示' } }));
    const once = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 10, limits: { lifetime: 1 }, fulfilment: { instructions: '到店出示' } }));
    const vip = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 10, allowedTiers: ['V4', 'V5'], fulfilment: { instructions: '到店出示' } }));
    const later = await publishEntry(
      bff,
      tokens,
      itemInput(bff, { type: 'perk', saleWindow: { startAt: '2099-01-01T00:00:00+08:00', endAt: '2099-02-01T00:00:00+08:00' }, fulfilment: { instructions: '到店出示' } }),
    );
    const goods = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', pricePoints: 10, fulfilment: {} }));
    const topup = await publishEntry(bff, tokens, itemInput(bff, { type: 'topup', pricePoints: 10, fulfilment: { productCode: 'CM-10', faceValueYuan: 10 } }));
    // Points plus cash: there is no payment yet, so it is never handed out for the points alone.
    const withCash = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 10, cashYuan: 9.9, fulfilment: { instructions: '到店出示' } }));

    const home = (await bff.call('getMallHome', {}, { token: c.token })).body.items;
    const blocked = (id: string) => home.find((i: { id: string }) => i.id === id)?.blockedBy;
    expect([blocked(expensive), blocked(soldOut), blocked(vip), blocked(once)]).toEqual(['points_insufficient', 'sold_out', 'tier_not_allowed', null]);
    expect(blocked(later)).toBeUndefined(); // not on sale: not listed
    expect(blocked(withCash)).toBe('cash_payment_unavailable');

    const codeOf = async (body: Record<string, unknown>) => {
      const r = await redeem(bff.url, c.token, body);
      return `${r.status} ${r.body.code ?? r.body.status}`;
    };
    expect(await codeOf({ itemId: expensive })).toBe('409 POINTS_INSUFFICIENT');
    expect(await codeOf({ itemId: soldOut })).toBe('409 MALL_SOLD_OUT');
    expect(await codeOf({ itemId: vip })).toBe('403 MALL_TIER_NOT_ALLOWED');
    expect(await codeOf({ itemId: later })).toBe('409 MALL_NOT_ON_SALE');
    expect(await codeOf({ itemId: goods })).toBe('422 MALL_ADDRESS_REQUIRED');
    expect(await codeOf({ itemId: topup })).toBe('422 MALL_ACCOUNT_REQUIRED');
    expect(await codeOf({ itemId: withCash })).toBe('409 MALL_CASH_PAYMENT_UNAVAILABLE');
    expect(await codeOf({ itemId: once })).toBe('200 completed');
    expect(await codeOf({ itemId: once })).toBe('409 MALL_LIMIT_REACHED');
    expect((await bff.call('getMallItem', { params: { id: once } }, { token: c.token })).body).toMatchObject({ blockedBy: 'lifetime_limit', redeemedTotal: 1 });
    const noKey = await bff.request('POST', '/api/v1/mall/redemptions', { token: c.token, body: { itemId: once } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.issues[0].path).toBe('headers.Idempotency-Key');
    // Refused attempts leave no order behind in 我的订单, and only the one redemption was paid for.
    expect((await bff.call('listMyMallOrders', undefined, { token: c.token })).body.items).toHaveLength(1);
    expect(await balanceOf(c.token)).toBe(140);
  });

  test('one idempotency key retried 10 times at once makes one order; reused with another body it is refused', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 50, fulfilment: { instructions: '到店出示' } }));
    const c = await customerWith(500);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(bff.url, c.token, { itemId: id }, key)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.body.status === 'completed')).toBe(true);
    expect(await balanceOf(c.token)).toBe(450);
    const reused = await redeem(bff.url, c.token, { itemId: id, account: '13800001111' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await bff.call('listMyMallOrders', undefined, { token: c.token })).body.items).toHaveLength(1);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('a code pool never hands one code to two orders; when codes run out the next buyers are told it is sold out', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 10, initialStock: 40 }));
    const codes = await uploadCodes(bff, tokens.admin, id, 25);
    // Uploading a code again (alone or in a new file) adds nothing.
    const dup = await bff.call('uploadCouponCodes', { params: { id }, body: { codes: [codes[0], codes[1], 'NEWCODE001'] } }, { token: tokens.admin });
    expect(dup.body).toMatchObject({ accepted: 1, duplicates: 2, poolSize: 26 });
    const customers = await Promise.all(Array.from({ length: 30 }, () => customerWith(10)));
    const results = await Promise.all(customers.map((c) => redeem(bff.url, c.token, { itemId: id })));
    const done = results.filter((r) => r.body.status === 'completed');
    const refused = results.filter((r) => r.status === 409);
    expect(done).toHaveLength(26);
    expect(refused).toHaveLength(4);
    expect(refused.every((r) => r.body.code === 'MALL_SOLD_OUT')).toBe(true);
    expect(new Set(done.map((r) => r.body.coupon.code)).size).toBe(26);
    const balances = await Promise.all(customers.map((c) => balanceOf(c.token)));
    expect(balances.filter((b) => b === 0)).toHaveLength(26);
    expect(balances.filter((b) => b === 10)).toHaveLength(4);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ stock: 14, sold: 26, codes: { poolSize: 26, assigned: 26 } });
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('physical goods: address book, cancel before shipping refunds exactly once, shipped orders carry tracking', async () => {
    const id = await publishEntry(
      bff,
      tokens,
      itemInput(bff, { type: 'physical', title: '定制保温杯', pricePoints: 200, initialStock: 2, fulfilment: { shippingNote: '顺丰包邮' } }),
    );
    const c = await customerWith(1000);
    const bad = await bff.request('POST', '/api/v1/me/addresses', { token: c.token, body: { name: '张三', phone: '123', region: '上海市 浦东新区', detail: '世纪大道 100 号' } });
    expect(bad.status).toBe(400);
    const saved = await bff.call('addMyAddress', { body: { name: '张三丰', phone: '13812345678', region: '上海市 浦东新区', detail: '世纪大道 100 号' } }, { token: c.token });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: '**丰', phone: '138****5678' });

    const first = await redeem(bff.url, c.token, { itemId: id, addressId: saved.body.id });
    expect(first.body).toMatchObject({ status: 'awaiting_shipment', cancellable: true, shipping: { name: '**丰', phone: '138****5678', trackingNo: null } });
    expect(await balanceOf(c.token)).toBe(800);
    // Two cancels at once: one refund.
    const cancels = await Promise.all([0, 1].map(() => bff.call('cancelMyMallOrder', { params: { id: first.body.id } }, { token: c.token })));
    expect(cancels.map((r) => r.body.status)).toEqual(['cancelled', 'cancelled']);
    expect(await balanceOf(c.token)).toBe(1000);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ stock: 2, sold: 0 });

    const second = await redeem(bff.url, c.token, { itemId: id, addressId: saved.body.id });
    const pending = (await bff.call('listMallOrders', { query: { status: 'awaiting_shipment' } }, { token: tokens.admin })).body.items;
    expect(pending.find((o: { id: string }) => o.id === second.body.id).address).toMatchObject({ name: '张三丰', phone: '13812345678' });
    const shipped = await bff.call('shipMallOrder', { params: { id: second.body.id }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin });
    expect(shipped.body).toMatchObject({ status: 'shipped', shipping: { carrier: '顺丰', trackingNo: 'SF1234567890' }, cancellable: false });
    const late = await bff.call('cancelMyMallOrder', { params: { id: second.body.id } }, { token: c.token });
    expect(late.body.code).toBe('MALL_ORDER_NOT_CANCELLABLE');
    // The address is personal data: in no log line and no event.
    for (const secret of ['张三丰', '13812345678', '世纪大道']) expect(bff.logText()).not.toContain(secret);
    expect(JSON.stringify(await bff.db.collection('outbox_events').find({ subjectId: second.body.id }).toArray())).not.toContain('13812345678');
    const audit = await bff.app.services.audit.forTarget('mall_order', second.body.id);
    expect(audit.map((a) => a.action)).toEqual(['mall_order.shipped']);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('concurrent cancels racing a new redemption never let a customer past the lifetime limit', async () => {
    const id = await publishEntry(
      bff,
      tokens,
      itemInput(bff, { type: 'physical', title: '限兑一次的台历', pricePoints: 10, initialStock: 20, limits: { lifetime: 1 }, fulfilment: {} }),
    );
    const c = await customerWith(100);
    const address = (await bff.call('addMyAddress', { body: { name: '王五', phone: '13700001234', region: '广东省 广州市', detail: '天河路 1 号' } }, { token: c.token })).body;
    for (let round = 0; round < 3; round++) {
      const held = (await bff.call('listMyMallOrders', undefined, { token: c.token })).body.items.find((o: { status: string }) => o.status === 'awaiting_shipment');
      const order = held ?? (await redeem(bff.url, c.token, { itemId: id, addressId: address.id })).body;
      await Promise.all([
        ...Array.from({ length: 5 }, () => bff.call('cancelMyMallOrder', { params: { id: order.id } }, { token: c.token })),
        redeem(bff.url, c.token, { itemId: id, addressId: address.id }),
        redeem(bff.url, c.token, { itemId: id, addressId: address.id }),
      ]);
      const active = (await bff.call('listMyMallOrders', undefined, { token: c.token })).body.items.filter((o: { status: string }) => o.status === 'awaiting_shipment');
      expect(active.length).toBeLessThanOrEqual(1);
      // Whatever raced, the limit still counts the order that holds it.
      if (active.length === 1) expect((await redeem(bff.url, c.token, { itemId: id, addressId: address.id })).body.code).toBe('MALL_LIMIT_REACHED');
    }
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('stock adjustments need a second person and are audited', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', initialStock: 1, fulfilment: { instructions: '到店出示' } }));
    const requested = await bff.call('requestStockAdjustment', { params: { id }, body: { delta: 9, reason: '追加采购' } }, { token: tokens.admin });
    expect(requested.status).toBe(201);
    const negative = await bff.call('requestStockAdjustment', { params: { id }, body: { delta: -5, reason: '盘亏' } }, { token: tokens.admin });
    const refused = await bff.call('approveStockAdjustment', { params: { id: negative.body.id }, body: {} }, { token: tokens.reviewer });
    expect(refused.body.code).toBe('MALL_STOCK_NEGATIVE');
    const pendingIds = async () => (await bff.call('listPendingStockAdjustments', {}, { token: tokens.reviewer })).body.items.map((a: { id: string }) => a.id);
    expect(await pendingIds()).toEqual(expect.arrayContaining([requested.body.id, negative.body.id]));
    expect((await bff.call('approveStockAdjustment', { params: { id: requested.body.id }, body: {} }, { token: tokens.admin })).status).toBe(403);
    expect((await bff.call('approveStockAdjustment', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer })).body.status).toBe('approved');
    expect(await pendingIds()).not.toContain(requested.body.id);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.reviewer })).body).toMatchObject({ stock: 10, initial: 1, adjusted: 9 });
    const log = await bff.app.services.audit.forTarget('mall_stock_adjustment', requested.body.id);
    expect(log.map((l) => l.action)).toEqual(['mall_stock_adjustment.requested', 'mall_stock_adjustment.approved']);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('top-ups go through the partner; a refusal refunds; a hung call is settled by the sweep', async () => {
    const make = (productCode: string) => publishEntry(bff, tokens, itemInput(bff, { type: 'topup', pricePoints: 30, fulfilment: { productCode, faceValueYuan: 10 } }));
    const [ok, failing, hanging] = await Promise.all([make('CM-10'), make('FAIL-10'), make('HANG-10')]);
    const c = await customerWith(90);
    const good = await redeem(bff.url, c.token, { itemId: ok, account: '13912345678' });
    expect(good.body).toMatchObject({ status: 'completed', account: '139****5678' });
    expect(bff.logText()).not.toContain('13912345678');
    const bad = await redeem(bff.url, c.token, { itemId: failing, account: '13912345678' });
    expect(bad.body).toMatchObject({ status: 'failed', failureCode: 'MALL_FULFILMENT_FAILED' });
    expect(await balanceOf(c.token)).toBe(60);

    // A partner that never answers: the request gives up after its timeout and the order waits.
    const hung = await redeem(slow.url, c.token, { itemId: hanging, account: '13912345678' });
    expect(hung.body).toMatchObject({ status: 'processing', statusName: '处理中' });
    expect(await balanceOf(c.token)).toBe(30);
    bff.clock.advance(121_000);
    const swept = await slow.call('recoverMallOrders', {}, { token: tokens.admin });
    expect(swept.body).toMatchObject({ failed: 1, stillPending: 0 });
    expect((await bff.call('getMyMallOrder', { params: { id: hung.body.id } }, { token: c.token })).body.status).toBe('failed');
    expect(await balanceOf(c.token)).toBe(60);
    for (const id of [ok, failing, hanging]) expect(await invariants(id)).toMatchObject({ violations: [] });
  });
});

describe('exactness of stock, points and limits', () => {
  test('one customer’s 20 parallel redemptions, with points for one, beside five other buyers: every unit sells', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', title: '贵宾厅单次', pricePoints: 100, initialStock: 5, fulfilment: { instructions: '出示券号' } }));
    const greedy = await customerWith(100);
    const others = await Promise.all(Array.from({ length: 5 }, () => customerWith(100)));
    const mine = Array.from({ length: 20 }, () => redeem(bff.url, greedy.token, { itemId: id }));
    await new Promise((r) => setTimeout(r, 40));
    const theirs = others.map((o) => redeem(bff.url, o.token, { itemId: id }));
    const [a, b] = [await Promise.all(mine), await Promise.all(theirs)];
    // Who wins the last units is a race (the head start is a hint, not a guarantee under load);
    // what never varies: the greedy customer gets at most the one unit they can pay for, the
    // refused attempts hold nothing, and every unit sells to someone who paid.
    const greedyWon = a.filter((r) => r.body.status === 'completed').length;
    expect(greedyWon).toBeLessThanOrEqual(1);
    expect(a.filter((r) => r.body.status !== 'completed').every((r) => ['POINTS_INSUFFICIENT', 'MALL_SOLD_OUT'].includes(r.body.code))).toBe(true);
    expect(b.filter((r) => r.body.status === 'completed')).toHaveLength(5 - greedyWon);
    expect(b.filter((r) => r.body.status !== 'completed').map((r) => r.body.code)).toEqual(greedyWon ? ['MALL_SOLD_OUT'] : []);
    expect(await balanceOf(greedy.token)).toBe(100 - 100 * greedyWon);
    expect((await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body).toMatchObject({ stock: 0, sold: 5 });
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('a coupon item never offers more units than unused codes, and never takes points for a code it does not have', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 10, initialStock: 10 }));
    await uploadCodes(bff, tokens.admin, id, 2);
    const buyers = await Promise.all(Array.from({ length: 3 }, () => customerWith(10)));
    const shown = (await bff.call('getMallItem', { params: { id } }, { token: buyers[0].token })).body;
    expect(shown).toMatchObject({ stock: 2, blockedBy: null });
    for (const b of buyers.slice(0, 2)) expect((await redeem(bff.url, b.token, { itemId: id })).body.status).toBe('completed');
    const late = buyers[2];
    expect((await bff.call('getMallItem', { params: { id } }, { token: late.token })).body).toMatchObject({ stock: 0, blockedBy: 'sold_out' });
    expect((await redeem(bff.url, late.token, { itemId: id })).body.code).toBe('MALL_SOLD_OUT');
    const history = (await bff.call('getMyPointsLedger', undefined, { token: late.token })).body.items;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['earn']);

    // Racing for the codes: as many sell as there are codes.
    await uploadCodes(bff, tokens.admin, id, 2);
    const racers = await Promise.all(Array.from({ length: 6 }, () => customerWith(10)));
    const results = await Promise.all(racers.map((r) => redeem(bff.url, r.token, { itemId: id })));
    expect(results.filter((r) => r.body.status === 'completed')).toHaveLength(2);
    expect(results.filter((r) => r.body.status !== 'completed').every((r) => r.body.code === 'MALL_SOLD_OUT')).toBe(true);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('points about to expire, redeemed and the order cancelled, come back with their own expiry', async () => {
    const c = await customerSession(bff);
    try {
      bff.clock.set(new Date('2025-12-31T10:00:00+08:00'));
      await bff.app.services.points.earn(c.id, 200, `launder-${c.id}`, '去年的积分'); // expire at the end of 2026
      bff.clock.set(new Date('2026-12-30T10:00:00+08:00'));
      tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
      const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', title: '年末台历', pricePoints: 200, initialStock: 5, fulfilment: {} }));
      let token = await login(c.openid);
      const address = (await bff.call('addMyAddress', { body: { name: '钱七', phone: '13600001234', region: '上海市 黄浦区', detail: '南京东路 1 号' } }, { token })).body;
      const order = (await redeem(bff.url, token, { itemId: id, addressId: address.id })).body;
      expect(order.status).toBe('awaiting_shipment');
      expect((await bff.call('cancelMyMallOrder', { params: { id: order.id } }, { token })).body.status).toBe('cancelled');
      expect(await balanceOf(token)).toBe(200);
      expect((await bff.call('getMyPoints', {}, { token })).body.expiringSoon).toMatchObject({ amount: 200 });

      bff.clock.set(new Date('2027-01-01T10:00:00+08:00'));
      token = await login(c.openid);
      expect(await balanceOf(token)).toBe(0);
      await bff.app.services.maintenance.runOnce();
      expect(await bff.app.services.points.check(c.id)).toEqual([]);
      expect((await bff.call('getMyPointsLedger', undefined, { token })).body.items[0]).toMatchObject({ type: 'expire', amount: -200, balance: 0 });
    } finally {
      bff.clock.set(new Date());
      tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    }
  });

  test('a limit slot given back by an order is never taken again by that order, and so is never lost', async () => {
    const slots = createLimitSlots(bff.db);
    const args = ['item-slot-test', 'cust-slot-test', '2026-12-01', { lifetime: 1 }] as const;
    await slots.claim(...args, 'order-1');
    await slots.releaseFor(...args, 'order-1');
    // A late step of the same order, after its undo, must not take the slot back for good.
    await expect(slots.claim(...args, 'order-1')).rejects.toMatchObject({ code: 'MALL_LIMIT_REACHED' });
    await slots.releaseFor(...args, 'order-1');
    expect(await slots.used(...args)).toEqual({ today: 0, total: 0 });
    await slots.claim(...args, 'order-2');
    expect(await slots.used(...args)).toEqual({ today: 0, total: 1 });
  });
});

describe('back office', () => {
  test('lists are scoped before the page is cut; reviewers see masked addresses; only head office runs the global recovery', async () => {
    await createStaffAccount(bff, { username: 'gz.mall', password: 'Guangzhou#Mall1', role: 'admin', orgUnitId: 'org-gz', name: '广商' });
    const gz = await staffToken(bff, 'gz.mall', 'Guangzhou#Mall1');
    const hqItem = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', title: '总行礼品', pricePoints: 1, initialStock: 10, fulfilment: {} }));
    const gzItem = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', orgUnitId: 'org-gz', title: '广州礼品', pricePoints: 1, initialStock: 10, fulfilment: {} }));
    const buyer = await customerSession(bff, { orgUnitId: 'org-gz' });
    await givePoints(bff, buyer.id, 10);
    const address = (await bff.call('addMyAddress', { body: { name: '孙八', phone: '13500001234', region: '广东省 广州市', detail: '珠江新城 8 号' } }, { token: buyer.token }))
      .body;
    for (let i = 0; i < 3; i++) await redeem(bff.url, buyer.token, { itemId: hqItem, addressId: address.id });
    const gzOrder = (await redeem(bff.url, buyer.token, { itemId: gzItem, addressId: address.id })).body;

    const page = await bff.call('listMallOrders', { query: { status: 'awaiting_shipment', pageSize: '1' } }, { token: gz });
    expect(page.body).toMatchObject({ total: 1, page: 1, pageSize: 1 });
    expect(page.body.items.map((o: { id: string }) => o.id)).toEqual([gzOrder.id]);
    const hq = await bff.call('listMallOrders', { query: { status: 'awaiting_shipment', pageSize: '2', page: '2' } }, { token: tokens.admin });
    expect(hq.body.total).toBeGreaterThanOrEqual(4);
    const firstTwo = (await bff.call('listMallOrders', { query: { status: 'awaiting_shipment', pageSize: '2' } }, { token: tokens.admin })).body.items.map(
      (o: { id: string }) => o.id,
    );
    expect(hq.body.items.map((o: { id: string }) => o.id).filter((id: string) => firstTwo.includes(id))).toEqual([]);
    expect(page.body.items[0].address).toMatchObject({ name: '孙八', phone: '13500001234' });
    const reviewerView = (await bff.call('listMallOrders', { query: { status: 'awaiting_shipment', pageSize: '200' } }, { token: tokens.reviewer })).body.items;
    expect(reviewerView.find((o: { id: string }) => o.id === gzOrder.id).address).toMatchObject({ name: '*八', phone: '135****1234' });
    expect(JSON.stringify(reviewerView)).not.toContain('13500001234');

    const refused = await bff.call('recoverMallOrders', {}, { token: gz });
    expect(refused.status).toBe(403);
    expect((await bff.call('recoverMallOrders', {}, { token: tokens.admin })).status).toBe(200);
  });
});

describe('demo data', () => {
  test('npm start’s demo mall is live, reviewed by two people, and seeding it again changes nothing', async () => {
    await seedDemoData(bff.app.services, testConfig(), ['mall']);
    await seedDemoData(bff.app.services, testConfig(), ['mall']);
    const login = await bff.call('loginWithWechat', { body: { code: (await wechatCode({ openid: 'o_demo_customer_01' })).code } });
    const home = (await bff.call('getMallHome', {}, { token: login.body.accessToken })).body;
    expect(home.balance).toBe(2000);
    const demo = home.items.filter((i: { code: string }) => i.code.startsWith('DEMO-'));
    expect(Object.fromEntries(demo.map((i: { code: string; blockedBy: string | null }) => [i.code, i.blockedBy]))).toEqual({
      'DEMO-LUCKIN-10': null,
      'DEMO-TOPUP-10': null,
      'DEMO-VIDEO-1M': null,
      'DEMO-MOVIE': 'sold_out',
      'DEMO-CUP': null,
      'DEMO-LOUNGE': 'tier_not_allowed',
    });
    const entries = (await bff.call('listCatalogueEntries', { query: { pageSize: '200' } }, { token: tokens.admin })).body.items.filter((e: { code: string }) =>
      e.code.startsWith('DEMO-'),
    );
    expect(entries.every((e: { liveRevision: number; workingRevision: number | null }) => e.liveRevision === 1 && e.workingRevision === null)).toBe(true);
    const luckin = demo.find((i: { code: string }) => i.code === 'DEMO-LUCKIN-10');
    expect((await bff.call('getMallItemStock', { params: { id: luckin.id } }, { token: tokens.admin })).body.codes).toEqual({ poolSize: 200, assigned: 0 });
  });
});
