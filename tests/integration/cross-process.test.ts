import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { callOn, SPAWN_HOOK_TIMEOUT_MS, spawnBff, stopAll, type BffProcess } from '../helpers/process';
import { seedDemo } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { categoryInput, givePoints, itemInput, publishEntry, redeem, uploadCodes } from '../helpers/mall';

/**
 * Two BFF processes behind one load balancer: what one process remembers (a stream head) is
 * only a hint, so a change made through the other must never turn into a refusal here.
 */
const dbName = uniqueDbName('xproc');
let bff: TestBff;
let a: BffProcess;
let b: BffProcess;

async function login(p: BffProcess, username: string): Promise<string> {
  const res = await fetch(`${p.url}/api/v1/auth/staff`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo@2026' }),
  });
  return (await res.json()).accessToken;
}

beforeAll(async () => {
  bff = await startBff('xproc', { dbName });
  await seedDemo(bff);
  [a, b] = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
}, SPAWN_HOOK_TIMEOUT_MS);
afterAll(async () => {
  await stopAll([a, b]);
  await bff.stop();
});

describe('stream heads remembered by one process', () => {
  test('sold out through A, restocked through B (reviewed adjustment): the next redemption through A sells the new unit', async () => {
    const staffA = { admin: await login(a, 'admin'), reviewer: await login(a, 'reviewer') };
    const staffB = { admin: await login(b, 'admin'), reviewer: await login(b, 'reviewer') };
    await publishEntry(bff, staffA, categoryInput());
    const itemId = await publishEntry(bff, staffA, itemInput(bff, { pricePoints: 10, initialStock: 1 }));
    await uploadCodes(bff, staffA.admin, itemId, 3);
    const [first, second] = await Promise.all([customerSession(bff), customerSession(bff)]);
    await givePoints(bff, first.id, 10);
    await givePoints(bff, second.id, 10);

    expect((await redeem(a.url, first.token, { itemId })).body).toMatchObject({ status: 'completed' });
    expect((await redeem(a.url, second.token, { itemId })).body).toMatchObject({ code: 'MALL_SOLD_OUT' });

    const requested = await callOn(b, 'POST', `/admin/mall/items/${itemId}/stock-adjustments`, staffB.admin, { delta: 1, reason: '补货' });
    expect(requested.status).toBe(201);
    expect((await callOn(b, 'POST', `/admin/mall/stock-adjustments/${requested.body.id}/approve`, staffB.reviewer, {})).status).toBe(200);

    const again = await redeem(a.url, second.token, { itemId });
    expect(again.body).toMatchObject({ status: 'completed', coupon: { code: expect.any(String) } });
    // The item's books through B, every page of them.
    const found: string[] = [];
    for (let cursor = ''; ;) {
      const page = (await callOn(b, 'GET', `/admin/mall/invariants?itemId=${itemId}${cursor && `&cursor=${cursor}`}`, staffB.reviewer)).body;
      found.push(...page.violations);
      if (page.complete) break;
      cursor = page.next;
    }
    expect(found).toEqual([]);
  });

  test('points spent through A, credited through B (reviewed adjustment): spending them through A succeeds', async () => {
    const staffA = { admin: await login(a, 'admin'), reviewer: await login(a, 'reviewer') };
    const staffB = { admin: await login(b, 'admin'), reviewer: await login(b, 'reviewer') };
    const itemId = await publishEntry(bff, staffA, itemInput(bff, { type: 'perk', pricePoints: 50, initialStock: 10, fulfilment: { instructions: '到店出示' } }));
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 50);
    // A now remembers a head with nothing left.
    expect((await redeem(a.url, c.token, { itemId })).body).toMatchObject({ status: 'completed' });

    const requested = await callOn(b, 'POST', '/admin/points/adjustments', staffB.admin, { customerId: c.id, amount: 50, reason: '客诉补偿' });
    expect(requested.body).toMatchObject({ status: 'pending' });
    expect((await callOn(b, 'POST', `/admin/points/adjustments/${requested.body.id}/approve`, staffB.reviewer, {})).status).toBe(200);

    const spent = await redeem(a.url, c.token, { itemId });
    expect(spent.body).toMatchObject({ status: 'completed' });
    expect((await callOn(a, 'GET', '/me/points', c.token)).body.balance).toBe(0);
  });
});
