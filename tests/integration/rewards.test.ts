import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { checkedFetch } from '../helpers/contract';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { settledTo } from '../helpers/settled';

const dbName = uniqueDbName('rewards');
const faults = armedFaults();
let bff: TestBff;
let processes: BffProcess[] = [];
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('rewards', { dbName, faults });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  // Two more BFF processes on the same database, as behind a load balancer.
  processes = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
}, SPAWN_HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await bff.stop();
});

const join = (url: string, id: string, token: string) => checkedFetch(`${url}/api/v1/activities/${id}/join`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });

describe('reward engine', () => {
  test('200 concurrent reward requests against a budget of 50, over two BFF processes, pay exactly 50', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '限量积分', reward: { kind: 'points', amount: 10 }, budget: { maxRewards: 50 } }));
    const customers = await Promise.all(Array.from({ length: 100 }, () => customerSession(bff)));
    // Each customer asks twice, once through each process, all at once.
    const requests = customers.flatMap((c) => processes.map((p) => ({ c, p })));
    const results = await Promise.all(requests.map(({ c, p }) => join(p.url, id, c.token).then((r) => ({ ...r, customer: c.id }))));

    const paid = results.filter((r) => r.status === 200 && !r.body.duplicate);
    expect(paid).toHaveLength(50);
    expect(new Set(paid.map((r) => r.customer)).size).toBe(50);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.every((r) => r.status === 409 && r.body.code === 'ACTIVITY_BUDGET_EXHAUSTED')).toBe(true);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);

    expect(await bff.app.services.capabilities.rewards.engine.budgetUsage(id)).toEqual({ issued: 50, points: 500 });
    // Paid and refused alike leave nothing in flight for the sweep.
    expect(await bff.db.collection('reward_pending').countDocuments({})).toBe(0);
    const earned = await bff.db.collection('points_ledger').countDocuments({ 'data.ref.activityId': id });
    expect(earned).toBe(50);
    const check = await bff.call('checkInvariants', { query: { activityId: id } }, { token: tokens.reviewer });
    expect(check.body).toEqual({ checked: { customers: 0, activities: 1 }, upToDate: true, violations: [] });
  });

  test('the same reward request retried 20 times, concurrently, pays once', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '重试测试', reward: { kind: 'points', amount: 7 } }));
    const c = await customerSession(bff);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => join(processes[i % 2].url, id, c.token)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.rewardId)).size).toBe(1);
    const balance = await bff.call('getMyPoints', {}, { token: c.token });
    expect(balance.body.balance).toBe(7);
    expect((await bff.call('getMyActivity', { params: { id } }, { token: c.token })).body.joined).toBe(true);
    expect(await settledTo(() => bff.db.collection('outbox_events').countDocuments({ name: 'reward.issued', 'payload.activityId': id }), 1)).toBe(1);
  });

  test('a reward taken from the budget but not paid (a crash) is paid by the recovery sweep, once', async () => {
    const { capabilities, points } = bff.app.services;
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '崩溃恢复', reward: { kind: 'points', amount: 3 } }));
    const c = await customerSession(bff);
    // The process dies right after taking from the budget: no points, grant or event yet.
    faults.arm('after:rewards.taken', 'crash');
    expect((await bff.call('joinActivity', { params: { id } }, { token: c.token })).status).toBe(500);
    expect(await capabilities.rewards.engine.check(id)).toEqual([expect.stringContaining('taken from the budget but not fulfilled')]);
    // The whole bank's check waits for it to settle instead of storing a finding about it.
    const wholeBank = async () => (await bff.call('checkInvariants', undefined, { token: tokens.reviewer })).body;
    expect((await wholeBank()).violations).toEqual([]);
    // Inside its lease it may still be running: the sweep leaves it.
    expect((await bff.app.services.maintenance.runOnce())['rewards.inFlight']).toBe(0);
    bff.clock.advance(61_000);
    const swept = await Promise.all([bff.app.services.maintenance.runOnce(), bff.app.services.maintenance.runOnce()]);
    expect(swept.map((s) => s['rewards.inFlight'] as number).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
    expect(await capabilities.rewards.engine.check(id)).toEqual([]);
    expect(await wholeBank()).toMatchObject({ upToDate: true, violations: [] });
    expect(await bff.db.collection('reward_budget_touched').countDocuments({})).toBe(0);
    expect(await bff.db.collection('reward_pending').countDocuments({})).toBe(0);
    expect((await points.balance(c.id)).balance).toBe(3);
    // The customer's own retry now finds it paid, and nothing is paid twice.
    const retry = await join(processes[0].url, id, c.token);
    expect(retry.body.duplicate).toBe(true);
    expect((await points.balance(c.id)).balance).toBe(3);
  });

  test('non-point rewards are granted once, recorded, and shown once in 我的奖品 with their validity', async () => {
    const id = await publishActivity(bff, tokens, activityInput(bff, { title: '优惠券', reward: { kind: 'coupon', name: '咖啡券', validDays: 30 } }));
    const c = await customerSession(bff);
    await Promise.all([join(processes[0].url, id, c.token), join(processes[1].url, id, c.token)]);
    expect(await bff.db.collection('reward_grants').countDocuments({ customerId: c.id, activityId: id })).toBe(1);
    expect(await bff.app.services.capabilities.rewards.engine.check(id)).toEqual([]);
    const prizes = await bff.call('listMyPrizes', undefined, { token: c.token });
    expect(prizes.body.items).toEqual([
      {
        id: expect.any(String),
        kind: 'coupon',
        name: '咖啡券',
        description: '参与活动：优惠券',
        grantedAt: expect.any(String),
        validUntil: expect.stringMatching(/T15:59:59\.999Z$/),
      },
    ]);
    const days = (Date.parse(prizes.body.items[0].validUntil) - Date.parse(prizes.body.items[0].grantedAt)) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    // Another customer sees none of it.
    const other = await customerSession(bff);
    expect((await bff.call('listMyPrizes', undefined, { token: other.token })).body).toEqual({ items: [], nextBefore: null });
  });
});
