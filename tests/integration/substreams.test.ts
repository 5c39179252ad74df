import { walkDrawCheck } from '../helpers/draws';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { checkedFetch } from '../helpers/contract';
import { createStock } from '../../bff/src/mall/stock/stock';
import { givePoints, itemInput, publishEntry, redeem, walkMallCheck } from '../helpers/mall';

/**
 * A hot item's stock and a hot activity's budget split over sub-streams (MALL_STOCK_SHARDS,
 * REWARD_BUDGET_SHARDS): requests spread over them, and the whole still never gives more than
 * it has, across processes.
 */
const SHARDS = '8';
// Three hundred logins from one address within a minute, and one customer's forty-odd draws: more than the default limits allow.
const ENV = { MALL_STOCK_SHARDS: SHARDS, REWARD_BUDGET_SHARDS: SHARDS, LOGIN_RATE_LIMIT_PER_MINUTE: '10000', ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000' };
const dbName = uniqueDbName('substreams');
let bff: TestBff;
let other: BffProcess;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('substreams', { dbName, env: ENV });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  other = await spawnBff(dbName, ENV);
}, SPAWN_HOOK_TIMEOUT_MS);
afterAll(async () => {
  other.child.kill('SIGTERM');
  await other.exited;
  await bff.stop();
});

async function customerWith(points: number) {
  const c = await customerSession(bff);
  await givePoints(bff, c.id, points);
  return c;
}
const stockOf = async (id: string) => (await bff.call('getMallItemStock', { params: { id } }, { token: tokens.admin })).body;
const invariants = (id: string) => walkMallCheck(bff, tokens.reviewer, 100, id);
const streams = (id: string) => bff.db.collection('mall_stock').distinct('stream', { stream: { $regex: `^stock:${id}` } });

describe('sub-streams of a hot item', () => {
  test('100 customers racing for 30 units over two processes: exactly 30 sold, spread over the sub-streams, none sold out early', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'perk', pricePoints: 10, initialStock: 30, fulfilment: { instructions: '到店出示券号' } }));
    expect((await streams(id)).length).toBe(8);
    const customers = await Promise.all(Array.from({ length: 100 }, () => customerWith(10)));
    const results = await Promise.all(customers.map((c, i) => redeem(i % 2 ? other.url : bff.url, c.token, { itemId: id })));
    const done = results.filter((r) => r.status === 200 && r.body.status === 'completed');
    expect(done).toHaveLength(30);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'MALL_SOLD_OUT')).toBe(true);
    expect(await stockOf(id)).toMatchObject({ stock: 0, sold: 30 });
    expect(await invariants(id)).toMatchObject({ violations: [] });
    // Every sub-stream took part: each of the 8 sold its share.
    const reservations = await bff.db
      .collection('mall_stock')
      .find({ stream: { $regex: `^stock:${id}` }, 'data.op': 'reserve' })
      .toArray();
    expect(new Set(reservations.map((r) => r.stream)).size).toBe(8);
  });

  test('a sold-out sub-stream sends the order to another; a cancel puts the unit back where it was taken; adjustments land once', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { type: 'physical', pricePoints: 1, initialStock: 9, fulfilment: { shippingNote: '顺丰包邮' } }));
    const c = await customerWith(100);
    const address = (await bff.call('addMyAddress', { body: { name: '王五', phone: '13700001234', region: '上海市 徐汇区', detail: '漕溪北路 1 号' } }, { token: c.token })).body;
    const orders = [];
    for (let i = 0; i < 9; i++) orders.push((await redeem(bff.url, c.token, { itemId: id, addressId: address.id })).body);
    expect(orders.every((o) => o.status === 'awaiting_shipment')).toBe(true);
    expect((await redeem(bff.url, c.token, { itemId: id, addressId: address.id })).body.code).toBe('MALL_SOLD_OUT');
    // Cancel one: its unit goes back to the sub-stream it came from, and can be bought again.
    const cancelled = await bff.call('cancelMyMallOrder', { params: { id: orders[4].id } }, { token: c.token });
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stockOf(id)).toMatchObject({ stock: 1, sold: 8 });
    expect((await redeem(bff.url, c.token, { itemId: id, addressId: address.id })).body.status).toBe('awaiting_shipment');
    // A reviewed restock, then a reviewed reduction larger than any one sub-stream holds.
    const adjust = async (delta: number) => {
      const requested = await bff.call('requestStockAdjustment', { params: { id }, body: { delta, reason: '调整' } }, { token: tokens.admin });
      return bff.call('approveStockAdjustment', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer });
    };
    expect((await adjust(5)).status).toBe(200);
    expect(await stockOf(id)).toMatchObject({ stock: 5, sold: 9 });
    expect((await adjust(-5)).status).toBe(200); // all five went to one sub-stream
    expect(await stockOf(id)).toMatchObject({ stock: 0, sold: 9 });
    expect(await invariants(id)).toMatchObject({ violations: [] });
  });

  test('two processes configured with different splits putting one item on sale at once agree on one split', async () => {
    const itemId = `race-${Date.now()}`;
    const eight = createStock(bff.db, bff.clock, { shards: 8 });
    const four = createStock(bff.db, bff.clock, { shards: 4 });
    await Promise.all([eight.initialise(itemId, 37), four.initialise(itemId, 37), eight.initialise(itemId, 37)]);
    expect((await eight.level(itemId)).stock).toBe(37);
    expect(await createStock(bff.db, bff.clock).level(itemId)).toMatchObject({ stock: 37, initial: 37 });
    expect(await eight.checkEntries(itemId, { k: 0, seq: 0 }, 1000)).toMatchObject({ problems: [], next: null });
  });

  test('a coupon keeps one stream: its code pool bounds it', async () => {
    const id = await publishEntry(bff, tokens, itemInput(bff, { initialStock: 20 }));
    expect(await streams(id)).toEqual([`stock:${id}`]);
  });
});

describe('sub-streams of a hot activity budget', () => {
  test('200 customers joining at once over two processes against a budget of 50 rewards: exactly 50 paid, over its shares', async () => {
    const id = await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '直播间抢积分', reward: { kind: 'points', amount: 10 }, budget: { maxRewards: 50, maxPoints: 500 } }),
    );
    const customers = await Promise.all(Array.from({ length: 200 }, () => customerSession(bff)));
    const results = await Promise.all(
      customers.map((c, i) => checkedFetch(`${i % 2 ? other.url : bff.url}/api/v1/activities/${id}/join`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}` } })),
    );
    expect(
      results
        .filter((r) => r.status !== 200)
        .map((r) => r.body.code)
        .filter((c) => c !== 'ACTIVITY_BUDGET_EXHAUSTED'),
    ).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    const engine = bff.app.services.capabilities.rewards.engine;
    expect(await engine.budgetUsage(id)).toEqual({ issued: 50, points: 500 });
    expect(await engine.check(id)).toEqual([]);
    const shares = await bff.db.collection('reward_budget').distinct('stream', { stream: { $regex: `^budget:${id}` } });
    expect(shares.length).toBe(8);
    // A retry of a paid reward finds it, whichever share it went to, and pays nothing more.
    const paid = customers[results.findIndex((r) => r.status === 200)];
    const retry = await checkedFetch(`${other.url}/api/v1/activities/${id}/join`, { method: 'POST', headers: { Authorization: `Bearer ${paid.token}` } });
    expect(retry.body.duplicate).toBe(true);
    expect(await engine.budgetUsage(id)).toEqual({ issued: 50, points: 500 });
  });

  test('a points cap that binds first is shared as rewards: every reward it allows is paid, no share strands a remainder', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '积分封顶', reward: { kind: 'points', amount: 10 }, budget: { maxRewards: 50, maxPoints: 305 } }));
    const customers = await Promise.all(Array.from({ length: 60 }, () => customerSession(bff)));
    const results = await Promise.all(
      customers.map((c) => checkedFetch(`${bff.url}/api/v1/activities/${id}/join`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}` } })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(30);
    expect(await bff.app.services.capabilities.rewards.engine.budgetUsage(id)).toEqual({ issued: 30, points: 300 });
  });

  test('every points prize a draw decides is paid: the 500-point prize won after forty 10-point ones is paid, and the books say so', async () => {
    const { drawInput, giveChances } = await import('../helpers/draws');
    // Forty 10-point prizes first (their weight dwarfs the rest), then, once they are gone, a loss and the
    // guarantee's win of the 500-point prize. The budget holds exactly what the prizes can pay.
    const input = drawInput(
      bff,
      {
        prizes: [
          { code: 'P10', name: '10 积分', kind: 'points', points: 10, valueYuan: 0.1, weight: 1_000_000, quantity: 40 },
          { code: 'P500', name: '500 积分', kind: 'points', points: 500, valueYuan: 5, weight: 1, quantity: 1 },
          { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 0 },
        ],
        guarantee: { afterLosses: 1 },
        costPoints: 0,
      },
      { budget: { maxRewards: 41, maxPoints: 900 } },
    );
    const id = await publishActivity(bff, tokens, input);
    const c = await customerSession(bff);
    await giveChances(bff, input.code, c.id, 45);
    const outcomes: { status: number; body: any }[] = [];
    for (let i = 0; i < 45 && !outcomes.some((o) => o.body.prizeCode === 'P500'); i++) {
      outcomes.push(
        await checkedFetch(`${i % 2 ? other.url : bff.url}/api/v1/activities/${id}/draw/draws`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${c.token}`, 'Idempotency-Key': `k-${id}-${i}` },
        }),
      );
    }
    expect(outcomes.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.body.code}`)).toEqual([]);
    expect(outcomes.filter((o) => o.body.prizeCode === 'P10')).toHaveLength(40);
    expect(outcomes.at(-1)!.body).toMatchObject({ prizeCode: 'P500', won: true, guaranteed: true });
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(900);
    const engine = bff.app.services.capabilities.rewards.engine;
    expect(await engine.budgetUsage(id)).toEqual({ issued: 41, points: 900 });
    expect((await bff.call('checkInvariants', { query: { activityId: id } }, { token: tokens.reviewer })).body.violations).toEqual([]);
    const books = async () => (await walkDrawCheck(bff, tokens.reviewer, id)).violations as string[];
    expect(await books()).toEqual([]);

    // A win recorded without its payment (what a refused budget share left before) is reported by the draw's books.
    const won = outcomes.at(-1)!.body;
    const doc = await bff.db.collection('draw_results').findOne({ _id: won.drawId as never });
    await bff.db.collection('draw_results').insertOne({ ...doc!, _id: 'f'.repeat(24) as never });
    expect(await books()).toEqual(expect.arrayContaining([expect.stringMatching(/^draw f{24}: won P500 \(500 积分\) but not paid/)]));
  }, 120_000);
});
