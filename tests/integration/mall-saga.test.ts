import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes } from '../helpers/mall';
import { armedFaults } from '../helpers/faults';
import { walkMallCheck } from '../helpers/mall';

const dbName = uniqueDbName('mallsaga');
const faults = armedFaults();
let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('mallsaga', { dbName, faults });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  await publishEntry(bff, tokens, categoryInput());
}, 60_000);
afterAll(() => bff.stop());

const balanceOf = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance;
const invariants = (itemId: string) => walkMallCheck(bff, tokens.reviewer, 500, itemId);
const openOrders = () => bff.db.collection('mall_open_orders').countDocuments();
const stockOf = async (itemId: string) => (await bff.call('getMallItemStock', { params: { id: itemId } }, { token: tokens.admin })).body;

/** Waits until the database's order collections stop changing. */
async function settledDatabase() {
  const counts = () => Promise.all(['mall_orders', 'mall_order_steps', 'mall_open_orders', 'mall_stock'].map((c) => bff.db.collection(c).countDocuments()));
  let last = JSON.stringify(await counts());
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = JSON.stringify(await counts());
    if (now === last) return;
    last = now;
  }
}

/** Runs the sweep as the maintenance job would, once every order's lease has run out. */
async function sweep() {
  bff.clock.advance(121_000);
  const result = await bff.app.services.capabilities.mall.sweepOrders();
  // Staff sessions are short-lived; the moved clock would expire them across tests.
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  return result;
}

describe('failures injected after each saga step', () => {
  const POINTS = ['after:limits', 'after:reserved', 'after:debited', 'after:fulfilled', 'after:confirmed'];

  test.each(POINTS)('a crash %s: the sweep completes the order, with every effect exactly once', async (point) => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 40, initialStock: 3, limits: { lifetime: 1 } }));
    await uploadCodes(bff, tokens.admin, id, 3);
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 100);
    faults.arm(point, 'crash');
    const key = randomUUID();
    const crashed = await redeem(bff.url, c.token, { itemId: id }, key);
    expect(crashed.status).toBe(500);

    expect(await sweep()).toMatchObject({ completed: 1, failed: 0, stillPending: 0 });
    const again = await redeem(bff.url, c.token, { itemId: id }, key);
    expect(again.body).toMatchObject({ status: 'completed', coupon: { code: expect.any(String) } });
    expect(await balanceOf(c.token)).toBe(60);
    expect(await stockOf(id)).toMatchObject({ stock: 2, sold: 1, codes: { assigned: 1 } });
    expect(await openOrders()).toBe(0);
    // The lifetime limit of one is used by this order, once.
    expect((await redeem(bff.url, c.token, { itemId: id })).body.code).toBe('MALL_LIMIT_REACHED');
    expect(await invariants(id)).toMatchObject({ orders: 1, items: 1, customers: 1, violations: [] });
  });

  test.each(POINTS.slice(0, 4))('an error %s: the compensations run at once and give everything back', async (point) => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 40, initialStock: 3, limits: { lifetime: 1 } }));
    await uploadCodes(bff, tokens.admin, id, 3);
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 100);
    faults.arm(point, 'error');
    const failed = await redeem(bff.url, c.token, { itemId: id });
    expect(failed.status).toBe(500);
    expect(await balanceOf(c.token)).toBe(100);
    expect(await stockOf(id)).toMatchObject({ stock: 3, sold: 0, codes: { assigned: 0 } });
    expect(await openOrders()).toBe(0);
    expect(await sweep()).toMatchObject({ completed: 0, failed: 0 });
    // Nothing is held back: the limit, the unit and the code are all available again.
    const retry = await redeem(bff.url, c.token, { itemId: id });
    expect(retry.body.status).toBe('completed');
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('a decided order whose status write was lost (FerretDB updates are not atomic) is repaired when read', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { pricePoints: 10, initialStock: 2 }));
    await uploadCodes(bff, tokens.admin, id, 2);
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 10);
    const order = (await redeem(bff.url, c.token, { itemId: id })).body;
    expect(order.status).toBe('completed');
    // A concurrent read-modify-write that read the order before its status was written.
    await bff.db.collection('mall_orders').updateOne({ _id: order.id as never }, { $set: { status: 'processing' } });
    expect((await bff.call('getMyMallOrder', { params: { id: order.id } }, { token: c.token })).body).toMatchObject({ status: 'completed', coupon: { code: order.coupon.code } });
    expect((await bff.db.collection('mall_orders').findOne({ _id: order.id as never }))!.status).toBe('completed');
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('a crash in the middle of compensating is finished by the sweep', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'topup', pricePoints: 40, fulfilment: { productCode: 'FAIL-20', faceValueYuan: 20 } }));
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 100);
    faults.arm('before:compensated', 'crash');
    expect((await redeem(bff.url, c.token, { itemId: id, account: '13700001111' })).status).toBe(500);
    await sweep();
    expect(await balanceOf(c.token)).toBe(100);
    expect(await stockOf(id)).toMatchObject({ sold: 0 });
    expect(await openOrders()).toBe(0);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });
});

describe('under load, across processes', () => {
  let processes: BffProcess[] = [];
  beforeAll(async () => {
    processes = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
  }, SPAWN_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  });

  test('300 concurrent redemptions by 100 customers of an item with stock 25, over two BFF processes: exactly 25 confirmed', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { title: '限量星巴克券', pricePoints: 30, initialStock: 25 }));
    await uploadCodes(bff, tokens.admin, id, 30);
    const customers = await Promise.all(Array.from({ length: 100 }, () => customerSession(bff)));
    // Enough for two redemptions each, not three: some attempts are also refused for points.
    await Promise.all(customers.map((c) => givePoints(bff, c.id, 70)));
    const attempts = customers.flatMap((c) => [0, 1, 2].map((i) => ({ c, url: processes[i % 2].url, key: randomUUID() })));
    const results = await Promise.all(attempts.map(({ c, url, key }) => redeem(url, c.token, { itemId: id }, key).then((r) => ({ ...r, customer: c }))));
    // Overloaded, a process may answer "busy, try again" (503): the app retries with the same key, as here.
    for (const [i, r] of results.entries()) {
      for (let tries = 0; tries < 5 && results[i].status === 503; tries++)
        results[i] = { ...(await redeem(attempts[i].url, r.customer.token, { itemId: id }, attempts[i].key)), customer: r.customer };
    }

    const confirmed = results.filter((r) => r.status === 200 && r.body.status === 'completed');
    expect(confirmed).toHaveLength(25);
    expect(new Set(confirmed.map((r) => r.body.coupon.code)).size).toBe(25);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.filter((r) => !(r.status === 409 && ['MALL_SOLD_OUT', 'POINTS_INSUFFICIENT'].includes(r.body.code))).map((r) => [r.status, r.body.code])).toEqual([]);
    expect(confirmed.length + refused.length).toBe(300);

    const balances = await Promise.all(customers.map((c) => balanceOf(c.token)));
    expect(balances.every((b) => b >= 0)).toBe(true);
    expect(balances.reduce((a, b) => a + b, 0)).toBe(100 * 70 - 25 * 30);
    expect(await stockOf(id)).toMatchObject({ stock: 0, sold: 25, initial: 25 });
    expect(await invariants(id)).toMatchObject({ items: 1, violations: [] });
  }, 120_000);

  test('a BFF process killed mid-load leaves nothing half-done after the sweep', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { title: '限量话费券', pricePoints: 10, initialStock: 60 }));
    await uploadCodes(bff, tokens.admin, id, 60);
    // The victim holds every third redemption once its points are taken: killed with those surely half-done, however
    // busy the machine (counting finished orders in the database once let every answer arrive before the kill).
    const victim = await spawnBff(dbName, { TEST_FAULTS: 'after:debited=hold/3' });
    const customers = await Promise.all(Array.from({ length: 60 }, () => customerSession(bff)));
    await Promise.all(customers.map((c) => givePoints(bff, c.id, 10)));
    let answered = 0;
    const inFlight = customers.map((c) =>
      redeem(victim.url, c.token, { itemId: id }).then(
        (r) => (answered++, r),
        () => null,
      ),
    );
    // Kill it once some customers have their answer and the held ones are mid-way.
    while (answered < 10) await new Promise((r) => setTimeout(r, 20));
    victim.child.kill('SIGKILL');
    await victim.exited;
    const answers = await Promise.all(inFlight);
    // The kill landed mid-load: some requests never got an answer.
    expect(answers.filter((a) => a === null).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a !== null).length).toBeGreaterThan(0);
    // The sweep waits out a lease of minutes, long after anything the dead process sent has landed.
    await settledDatabase();

    const leftOpen = await openOrders();
    bff.clock.set(new Date(Date.now() + 121_000));
    const swept = await bff.app.services.capabilities.mall.sweepOrders();
    expect(leftOpen).toBeGreaterThan(0);
    expect(swept).toEqual({ completed: expect.any(Number), failed: expect.any(Number), stillPending: 0, abandoned: expect.any(Number), unfinished: 0, parked: 0 });
    expect(swept.completed + swept.failed + swept.abandoned).toBe(leftOpen);
    expect(await openOrders()).toBe(0);
    // Every order a customer can see is settled.
    for (const c of customers) {
      const mine = (await bff.call('listMyMallOrders', undefined, { token: c.token })).body.items as { status: string }[];
      expect(mine.every((o) => o.status === 'completed' || o.status === 'failed')).toBe(true);
    }
    const stock = await stockOf(id);
    const balances = await Promise.all(customers.map((c) => balanceOf(c.token)));
    // Every customer either has a confirmed order (0 points left) or all 10 points back.
    expect(balances.every((b) => b === 0 || b === 10)).toBe(true);
    expect(balances.filter((b) => b === 0)).toHaveLength(stock.sold);
    expect(stock.stock + stock.sold).toBe(60);
    expect(await invariants(id)).toMatchObject({ violations: [] });
  }, 120_000);

  test('the whole mall is checked a page at a time: every order once, then every item, complete only on the last page', async () => {
    const walked = await walkMallCheck(bff, tokens.reviewer, 5);
    expect(walked.violations).toEqual([]);
    expect(walked.pages.length).toBeGreaterThan(2);
    expect(walked.pages.every((p) => p.checked.orders <= 5 && p.checked.stockEntries <= 5)).toBe(true);
    expect(walked.orders).toBe(await bff.db.collection('mall_orders').countDocuments());
    expect(walked.orders).toBe(walked.pages[0].total!.orders);
    expect(walked.items).toBe(walked.pages[0].total!.items);
  });
});
