import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes } from '../helpers/mall';
import { createOrderStore } from '../../bff/src/mall/orders/store';
import { orderNumberCandidate } from '../../bff/src/mall/orders/view';

/** GET /mall/orders/:id: one order with its 订单编号 and a timeline drawn from its books. */
let bff: TestBff;
let tokens: { admin: string; reviewer: string };
/** Every find this BFF sends (commands are monitored for this file only). */
const finds: { collection: string; filter: Record<string, unknown> }[] = [];

beforeAll(async () => {
  process.env.MONITOR_DB_COMMANDS = '1';
  bff = await startBff('mallorder');
  delete process.env.MONITOR_DB_COMMANDS;
  bff.db.getClient().on('commandStarted', (e) => {
    if (e.commandName === 'find') finds.push({ collection: e.command.find, filter: e.command.filter ?? {} });
  });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  await publishEntry(bff, tokens, categoryInput());
}, 60_000);
afterAll(() => bff.stop());

async function customerWith(points: number) {
  const c = await customerSession(bff);
  await givePoints(bff, c.id, points);
  return c;
}
const detail = (id: string, token: string) => bff.call('getMyMallOrder', { params: { id } }, { token });
const kinds = (timeline: { kind: string }[]) => timeline.map((e) => e.kind);

describe('GET /mall/orders/:id', () => {
  test('the customer’s own coupon order: 订单编号, code and the steps that happened; anyone else’s is 404, a malformed id 400', async () => {
    const itemId = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 120, initialStock: 3 }));
    await uploadCodes(bff, tokens.admin, itemId, 3);
    const c = await customerWith(300);
    const redeemed = await redeem(bff.url, c.token, { itemId });
    expect(redeemed.body.status).toBe('completed');

    await new Promise((resolve) => setTimeout(resolve, 300)); // what the redemption left behind its answer
    finds.length = 0;
    const res = await detail(redeemed.body.id, c.token);
    const mallFinds = finds.filter((f) => f.collection.startsWith('mall_'));
    expect(res.status).toBe(200);
    const order = res.body;
    expect(order).toMatchObject({ id: redeemed.body.id, status: 'completed', pricePoints: 120, coupon: { code: redeemed.body.coupon.code } });
    // 16 digits: the Beijing day (YYMMDD), then ten from the id; the same in the redemption's answer, the list and the detail.
    expect(order.orderNo).toMatch(/^\d{16}$/);
    const beijing = new Date(Date.parse(order.createdAt) + 8 * 3600_000).toISOString();
    expect(order.orderNo.slice(0, 6)).toBe(`${beijing.slice(2, 4)}${beijing.slice(5, 7)}${beijing.slice(8, 10)}`);
    expect(order.orderNo).toMatch(/^\d{16}$/);
    expect(redeemed.body.orderNo).toBe(order.orderNo);
    const list = (await bff.call('listMyMallOrders', undefined, { token: c.token })).body;
    expect(list.items[0]).toMatchObject({ id: order.id, orderNo: order.orderNo });
    expect(list.items[0].timeline).toBeUndefined();

    expect(kinds(order.timeline)).toEqual(['placed', 'paid', 'issued']);
    expect(order.timeline[1]).toMatchObject({ title: '积分已支付', note: '120 积分' });
    expect(order.timeline[2]).toMatchObject({ title: '券码已发放' });
    const times = order.timeline.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBe(Date.parse(order.createdAt));

    // The mall's reads are by _id alone: the order and four of its step records, nothing scanned.
    expect(mallFinds.map((f) => Object.keys(f.filter))).toEqual(mallFinds.map(() => ['_id']));
    expect(mallFinds.every((f) => typeof f.filter._id === 'string')).toBe(true);
    expect(mallFinds.map((f) => f.filter._id).sort()).toEqual([order.id, ...['compensated', 'debited', 'outcome', 'settle'].map((s) => `${order.id}|${s}`)]);

    // Someone else's order is not found, exactly as a missing one; a malformed id is refused before any read.
    const other = await customerWith(0);
    const foreign = await detail(order.id, other.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(foreign.body)).not.toContain(order.coupon.code);
    const missing = await detail(`MO${'0'.repeat(30)}`, c.token);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    for (const bad of ['not-an-order', `MO${'g'.repeat(30)}`, `MO${'0'.repeat(29)}`]) {
      const malformed = await bff.request('GET', `/api/v1/mall/orders/${bad}`, { token: c.token });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('VALIDATION_FAILED');
    }
  });

  test('physical goods: shipped with carrier and tracking number; a cancelled one shows its points returned', async () => {
    const itemId = await publishEntry(
      bff,
      tokens,
      itemInput(bff, { type: 'physical', title: '定制保温杯', pricePoints: 200, initialStock: 5, fulfilment: { shippingNote: '包邮' } }),
    );
    const c = await customerWith(1000);
    const address = await bff.call(
      'addMyAddress',
      { body: { name: '张三丰', phone: '13812345678', region: '上海市 上海市 浦东新区', detail: '世纪大道 100 号' } },
      { token: c.token },
    );

    const shipped = await redeem(bff.url, c.token, { itemId, addressId: address.body.id });
    const waiting = (await detail(shipped.body.id, c.token)).body;
    expect(kinds(waiting.timeline)).toEqual(['placed', 'paid', 'issued']);
    expect(waiting.timeline[2].title).toBe('兑换成功，等待发货');
    expect(waiting.shipping).toMatchObject({ name: '**丰', phone: '138****5678' });
    await bff.call('shipMallOrder', { params: { id: shipped.body.id }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin });
    const after = (await detail(shipped.body.id, c.token)).body;
    expect(after.status).toBe('shipped');
    expect(kinds(after.timeline)).toEqual(['placed', 'paid', 'issued', 'shipped']);
    expect(after.timeline[3]).toMatchObject({ title: '已发货', note: '顺丰 运单号 SF1234567890' });
    expect(JSON.stringify(after)).not.toContain('13812345678');

    const cancelled = await redeem(bff.url, c.token, { itemId, addressId: address.body.id });
    await bff.call('cancelMyMallOrder', { params: { id: cancelled.body.id } }, { token: c.token });
    const gone = (await detail(cancelled.body.id, c.token)).body;
    expect(gone.status).toBe('cancelled');
    expect(kinds(gone.timeline)).toEqual(['placed', 'paid', 'issued', 'cancelled', 'refunded']);
    expect(gone.timeline[4]).toMatchObject({ title: '积分已退回', note: '200 积分' });
    expect(gone.orderNo).not.toBe(after.orderNo);
  });

  test('a failed top-up shows the failure and the refund, and no step that did not happen', async () => {
    const itemId = await publishEntry(bff, tokens, itemInput(bff, { type: 'topup', pricePoints: 30, fulfilment: { productCode: 'FAIL-10', faceValueYuan: 10 } }));
    const c = await customerWith(100);
    const failed = await redeem(bff.url, c.token, { itemId, account: '13912345678' });
    expect(failed.body.status).toBe('failed');
    const order = (await detail(failed.body.id, c.token)).body;
    expect(kinds(order.timeline)).toEqual(['placed', 'paid', 'failed', 'refunded']);
    expect(order.timeline.map((e: { title: string }) => e.title)).toEqual(['提交订单', '积分已支付', '兑换失败', '积分已退回']);
    expect(order.account).toBe('139****5678');
  });
});

describe('订单编号', () => {
  // Ten digits from the id alone would be shared by two orders of one day about once in 10¹⁰/n.
  test('is unique: a number another order holds is never given again; a retried placement keeps its own', async () => {
    const store = createOrderStore(bff.db, bff.clock);
    const placed = (id: string) => ({ _id: id, createdAt: bff.clock.now() }) as unknown as Parameters<typeof store.insert>[0];
    const first = placed(`MO-number-${Date.now()}`);
    // Another order already holds the first candidate of this one.
    await bff.db.collection('mall_order_numbers').insertOne({ _id: orderNumberCandidate(first, 0), orderId: 'MO-someone-else' } as never);
    const stored = await store.insert(first);
    expect(stored?.orderNo).toBe(orderNumberCandidate(first, 1));
    expect((await store.findByNumber(stored!.orderNo))?._id).toBe(first._id);
    // The same placement again: no second order, no second number.
    expect(await store.insert(first)).toBeNull();
    expect(await bff.db.collection('mall_order_numbers').countDocuments({ orderId: first._id })).toBe(1);
  });
});
