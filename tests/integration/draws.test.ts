import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { checkedFetch } from '../helpers/contract';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, publishActivity } from '../helpers/activities';
import { drawInput, giveChances, type DrawTestInput, walkDrawCheck } from '../helpers/draws';
import { givePoints } from '../helpers/mall';
import { wechatCode } from '../helpers/wechat';

const dbName = uniqueDbName('draws');
let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('draws', { dbName });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

type Input = DrawTestInput;
async function publish(input: Input): Promise<string> {
  return publishActivity(bff, tokens, input);
}
const draw = (url: string, token: string, id: string, key: string = randomUUID()) =>
  checkedFetch(`${url}/api/v1/activities/${id}/draw/draws`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key } });
async function signInAgain(openid: string): Promise<string> {
  const { code } = await wechatCode({ openid });
  return (await bff.call('loginWithWechat', { body: { code } })).body.accessToken;
}

async function uploadCoffeeCodes(id: string, count: number) {
  const codes = Array.from({ length: count }, (_, i) => `CF${id.slice(-6)}${String(i).padStart(4, '0')}`);
  expect((await bff.call('uploadDrawPrizeCodes', { params: { id, prizeCode: 'COFFEE' }, body: { codes } }, { token: tokens.admin })).status).toBe(200);
}

describe('a draw’s configuration, before anyone draws', () => {
  test('refused: a prize over 50,000 yuan, malformed weights, rules that do not name every prize, a participation reward', async () => {
    const cases: [Input, string][] = [
      [
        drawInput(bff, {
          prizes: [
            { code: 'CAR', name: '汽车', kind: 'physical', valueYuan: 120000, weight: 1, quantity: 1 },
            { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 9 },
          ],
        }),
        'body.settings.prizes.0.valueYuan',
      ],
      [
        drawInput(bff, {
          prizes: [
            { code: 'A', name: '奖品甲', kind: 'physical', valueYuan: 1, weight: -1, quantity: 1 },
            { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 9 },
          ],
        }),
        'body.settings.prizes.0.weight',
      ],
      [
        drawInput(bff, {
          prizes: [
            { code: 'A', name: '奖品甲', kind: 'physical', valueYuan: 1, weight: 0.5, quantity: 1 },
            { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 9 },
          ],
        }),
        'body.settings.prizes.0.weight',
      ],
      [
        drawInput(bff, {
          prizes: [
            { code: 'A', name: '奖品甲', kind: 'physical', valueYuan: 1, weight: 0, quantity: 1 },
            { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 9 },
          ],
        }),
        'body.settings.prizes.0.weight',
      ],
      [
        drawInput(bff, {
          prizes: [
            { code: 'A', name: '奖品甲', kind: 'physical', valueYuan: 1, weight: 1 },
            { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 9 },
          ],
        }),
        'body.settings.prizes.0.quantity',
      ],
      [drawInput(bff, { fallbackCode: 'NOPE' }), 'body.settings.fallbackCode'],
      [{ ...drawInput(bff), rules: '奖品：50 积分、咖啡券、谢谢参与。' }, 'body.rules'],
      [{ ...drawInput(bff), reward: { kind: 'points', amount: 5 } }, 'body.reward'],
      [{ ...drawInput(bff), budget: { maxRewards: 10 } }, 'body.budget.maxRewards'],
    ];
    for (const [input, path] of cases) {
      const res = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input });
      expect([400, 422]).toContain(res.status);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
  });

  test('once live, its prizes, odds and rules cannot change; its description can', async () => {
    const input = drawInput(bff);
    const id = await publish(input);
    const changed = input.settings.prizes.map((p, i) => (i === 0 ? { ...p, weight: 301 } : p));
    for (const edit of [
      { ...input, settings: { ...input.settings, prizes: changed } },
      { ...input, settings: { ...input.settings, claimDays: 8 } },
      { ...input, rules: `${input.rules}补充。` },
    ]) {
      const res = await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: tokens.admin, body: edit });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ACTIVITY_PRIZES_LOCKED');
    }
    expect((await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: tokens.admin, body: { ...input, description: '补充说明' } })).status).toBe(200);
  });

  test('the customer sees every prize with its quantity, odds and caps, the guarantee and the claim window before drawing', async () => {
    const id = await publish(drawInput(bff, { guarantee: { afterLosses: 5 } }));
    const c = await customerSession(bff);
    const res = await bff.call('getMyDraw', { params: { id } }, { token: c.token });
    expect(res.status).toBe(200);
    expect(res.body.prizes.map((p: { code: string; oddsPercent: number; quantity: number | null }) => [p.code, p.oddsPercent, p.quantity])).toEqual([
      ['P50', 30, 40],
      ['COFFEE', 20, 15],
      ['CUP', 10, 5],
      ['THANKS', 40, null],
    ]);
    expect(res.body.prizes[1]).toMatchObject({ dailyCap: 12, perCustomerCap: 1, validDays: 30, left: 0 }); // no codes uploaded yet
    expect(res.body).toMatchObject({ chances: 0, costPoints: 20, guarantee: { afterLosses: 5, lossesSoFar: 0 }, claimDays: 7 });
    expect(JSON.stringify(res.body)).not.toMatch(/weight|random/);
  });
});

// Issue 26, finding 5: rules before start (开奖前公示).
describe('an approved draw that starts tomorrow', () => {
  test('its rules, prizes, quantities, odds, guarantee and claim window are readable from approval on; drawing and buying wait for the start', async () => {
    const now = bff.clock.now().getTime();
    const startAt = new Date(now + 86_400_000).toISOString();
    const input = drawInput(bff, { guarantee: { afterLosses: 5 } }, { schedule: { startAt, endAt: new Date(now + 8 * 86_400_000).toISOString() } });
    const id = await publish(input);
    expect((await bff.call('getActivity', { params: { id } }, { token: tokens.admin })).body.state).toBe('approved');
    const c = await customerSession(bff);
    const res = await bff.call('getMyDraw', { params: { id } }, { token: c.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      activityId: id,
      rules: input.rules,
      open: false,
      startAt: new Date(startAt).toISOString(),
      guarantee: { afterLosses: 5 },
      claimDays: 7,
      costPoints: 20,
    });
    expect(res.body.prizes.map((p: { code: string; oddsPercent: number; quantity: number | null }) => [p.code, p.oddsPercent, p.quantity])).toEqual([
      ['P50', 30, 40],
      ['COFFEE', 20, 15],
      ['CUP', 10, 5],
      ['THANKS', 40, null],
    ]);
    // Before consent, as a shared link is read.
    const browsing = await customerSession(bff, { consent: false });
    expect((await bff.call('getMyDraw', { params: { id } }, { token: browsing.token })).body).toMatchObject({ open: false, rules: input.rules });
    await giveChances(bff, input.code, c.id, 1);
    const early = await draw(bff.url, c.token, id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('ACTIVITY_NOT_LIVE');
    const buy = await checkedFetch(`${bff.url}/api/v1/activities/${id}/draw/chances`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${c.token}`, 'Idempotency-Key': randomUUID() },
    });
    expect(buy.body.code).toBe('ACTIVITY_NOT_LIVE');
    // A live draw says it is open.
    const liveId = await publish(drawInput(bff));
    expect((await bff.call('getMyDraw', { params: { id: liveId } }, { token: c.token })).body.open).toBe(true);
  });
});

describe('drawing', () => {
  test('no chance, no draw; a retried draw (same Idempotency-Key) returns the first outcome and spends one chance', async () => {
    const input = drawInput(bff);
    const id = await publish(input);
    const c = await customerSession(bff);
    const none = await draw(bff.url, c.token, id);
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('DRAW_NO_CHANCES');
    await giveChances(bff, input.code, c.id, 2);
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => draw(bff.url, c.token, id, key)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.drawId)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.prizeCode)).size).toBe(1);
    expect((await bff.call('getMyDraw', { params: { id } }, { token: c.token })).body.chances).toBe(1);
  });

  test('a refused draw or purchase leaves nothing in flight: no chance, no such draw, not for sale, too few points', async () => {
    const id = await publish(drawInput(bff));
    const free = await publish(drawInput(bff, { costPoints: 0 }));
    const c = await customerSession(bff);
    const inFlight = () => bff.db.collection('draw_in_flight').countDocuments({ customerId: c.id });
    expect((await draw(bff.url, c.token, id)).body.code).toBe('DRAW_NO_CHANCES');
    expect((await draw(bff.url, c.token, 'no-such-draw')).status).toBe(404);
    const buy = (activity: string) =>
      checkedFetch(`${bff.url}/api/v1/activities/${activity}/draw/chances`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}`, 'Idempotency-Key': randomUUID() } });
    expect((await buy('no-such-draw')).status).toBe(404);
    expect((await buy(free)).body.code).toBe('DRAW_NOT_FOR_SALE');
    expect((await buy(id)).body.code).toBe('POINTS_INSUFFICIENT');
    expect(await inFlight()).toBe(0);
  });

  test('the guarantee triggers exactly on the N-th consecutive loss', async () => {
    const input = drawInput(bff, {
      prizes: [
        { code: 'GOLD', name: '金币', kind: 'points', points: 10, valueYuan: 0.1, weight: 1, quantity: 100 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1_000_000 },
      ],
      guarantee: { afterLosses: 3 },
    });
    const id = await publish(input);
    const c = await customerSession(bff);
    await giveChances(bff, input.code, c.id, 8);
    const outcomes = [];
    for (let i = 0; i < 8; i++) outcomes.push((await draw(bff.url, c.token, id)).body);
    expect(outcomes.map((o) => [o.prizeCode, o.guaranteed])).toEqual([
      ['THANKS', false],
      ['THANKS', false],
      ['THANKS', false],
      ['GOLD', true],
      ['THANKS', false],
      ['THANKS', false],
      ['THANKS', false],
      ['GOLD', true],
    ]);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(20);
  });

  test('签到送机会: a check-in streak reaching the draw’s milestone earns its chances, once per day however often retried', async () => {
    const started = bff.clock.now();
    const now = started.getTime();
    const input = drawInput(
      bff,
      { checkinChances: { everyDays: 2, chances: 2 } },
      { schedule: { startAt: new Date(now - 3_600_000).toISOString(), endAt: new Date(now + 30 * 86_400_000).toISOString() } },
    );
    const id = await publish(input);
    const c = await customerSession(bff);
    let token = c.token;
    const checkIn = () => bff.call('checkIn', {}, { token });
    const chancesLeft = async () => (await bff.call('getMyDraw', { params: { id } }, { token })).body.chances;
    const day1 = await checkIn();
    expect(day1.body).toMatchObject({ streak: 1, drawChances: [] });
    expect(await chancesLeft()).toBe(0);
    bff.clock.advance(86_400_000);
    token = await signInAgain(c.openid);
    const day2 = await Promise.all([checkIn(), checkIn(), checkIn()]);
    for (const res of day2) expect(res.body).toMatchObject({ streak: 2, drawChances: [{ activityId: id, title: '幸运九宫格', chances: 2 }] });
    expect(await chancesLeft()).toBe(2);
    bff.clock.advance(86_400_000);
    token = await signInAgain(c.openid);
    expect((await checkIn()).body).toMatchObject({ streak: 3, drawChances: [] });
    expect(await chancesLeft()).toBe(2);
    // Back to today: the processes started later in this file keep the real time.
    bff.clock.set(started);
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    // A configured milestone is part of the published rules: it cannot change once live.
    const changed = await bff.request('PUT', `/api/v1/admin/activities/${id}`, {
      token: tokens.admin,
      body: { ...input, settings: { ...input.settings, checkinChances: { everyDays: 1, chances: 10 } } },
    });
    expect(changed.body.code).toBe('ACTIVITY_PRIZES_LOCKED');
  });

  test('buying a chance with points debits once under 20 retries of the same request', async () => {
    const input = drawInput(bff);
    const id = await publish(input);
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 100);
    const key = randomUUID();
    const buys = await Promise.all(
      Array.from({ length: 20 }, () =>
        checkedFetch(`${bff.url}/api/v1/activities/${id}/draw/chances`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}`, 'Idempotency-Key': key } }),
      ),
    );
    expect(buys.every((b) => b.status === 200)).toBe(true);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(80);
    expect((await bff.call('getMyDraw', { params: { id } }, { token: c.token })).body.chances).toBe(1);
    const poor = await customerSession(bff);
    const refused = await checkedFetch(`${bff.url}/api/v1/activities/${id}/draw/chances`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${poor.token}`, 'Idempotency-Key': randomUUID() },
    });
    expect(refused.body.code).toBe('POINTS_INSUFFICIENT');
    expect((await bff.call('getMyDraw', { params: { id } }, { token: poor.token })).body.chances).toBe(0);
  });

  test('12 purchases at once with different keys against a total quota of 3: exactly 3 sold and paid; a refused payment frees its place', async () => {
    const id = await publish(drawInput(bff, { quotas: { total: 3 } }));
    const c = await customerSession(bff);
    await givePoints(bff, c.id, 1000);
    const buy = (token: string) =>
      checkedFetch(`${bff.url}/api/v1/activities/${id}/draw/chances`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => buy(c.token)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    for (const a of answers.filter((x) => x.status !== 200)) expect(['DRAW_QUOTA_REACHED', 'SERVICE_UNAVAILABLE']).toContain(a.body.code);
    expect((await bff.app.services.points.balance(c.id)).balance).toBe(1000 - 3 * 20);
    expect((await bff.call('getMyDraw', { params: { id } }, { token: c.token })).body).toMatchObject({ chances: 3, drawsLeft: { total: 3 } });
    expect((await buy(c.token)).body.code).toBe('DRAW_QUOTA_REACHED');

    // Without the points, the purchase is refused and its place is given back: once paid for, it sells.
    const poor = await customerSession(bff);
    expect((await buy(poor.token)).body.code).toBe('POINTS_INSUFFICIENT');
    await givePoints(bff, poor.id, 60);
    for (let i = 0; i < 3; i++) expect((await buy(poor.token)).status).toBe(200);
    expect((await buy(poor.token)).body.code).toBe('DRAW_QUOTA_REACHED');
    expect((await walkDrawCheck(bff, tokens.admin, id)).violations).toEqual([]);
  });

  test('a won coupon carries its code; a physical prize is claimed with an address, shipped by an admin, and shows in 我的奖品', async () => {
    const input = drawInput(bff, {
      prizes: [
        { code: 'COFFEE', name: '咖啡券', kind: 'coupon', valueYuan: 10, weight: 1, quantity: 1 },
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 1_000_000, quantity: 1 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 1 },
      ],
    });
    const id = await publish(input);
    const c = await customerSession(bff);
    await giveChances(bff, input.code, c.id, 1);
    const won = (await draw(bff.url, c.token, id)).body;
    expect(won).toMatchObject({ prizeCode: 'CUP', won: true, state: 'to_claim', cellIndex: 1 });
    const address = await bff.call(
      'addMyAddress',
      { body: { name: '张三丰', phone: '13812345678', region: '上海市 上海市 浦东新区', detail: '世纪大道 100 号' } },
      { token: c.token },
    );
    expect(address.status).toBe(201);
    // Shipping before the customer has said where is refused.
    expect((await bff.call('shipDrawPrize', { params: { drawId: won.drawId }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin })).body.code).toBe(
      'DRAW_PRIZE_NOT_SHIPPABLE',
    );
    const other = await customerSession(bff);
    expect((await bff.call('claimMyDrawPrize', { params: { drawId: won.drawId }, body: { addressId: address.body.id } }, { token: other.token })).status).toBe(404);
    const claimed = await bff.call('claimMyDrawPrize', { params: { drawId: won.drawId }, body: { addressId: address.body.id } }, { token: c.token });
    expect(claimed.body).toMatchObject({ state: 'claimed', shipping: { name: '**丰', phone: '138****5678' } });
    // The admin who ships reads the full address, and that read is audited; a reviewer sees it masked.
    const toShip = (await bff.call('listDrawWinners', { params: { id }, query: {} }, { token: tokens.admin })).body.items;
    expect(toShip).toEqual([
      expect.objectContaining({
        drawId: won.drawId,
        kind: 'physical',
        claimed: true,
        shipped: false,
        address: { name: '张三丰', phone: '13812345678', region: '上海市 上海市 浦东新区', detail: '世纪大道 100 号' },
      }),
    ]);
    const viewed = await bff.call('listAuditRecords', { query: { action: 'draw.addresses_viewed', targetId: id } }, { token: tokens.admin });
    expect(viewed.body.items[0].detail).toEqual({ drawIds: [won.drawId] });
    const reviewed = (await bff.call('listDrawWinners', { params: { id }, query: {} }, { token: tokens.reviewer })).body.items;
    expect(reviewed[0].address).toMatchObject({ name: '**丰', phone: '138****5678' });
    const shipped = await bff.call('shipDrawPrize', { params: { drawId: won.drawId }, body: { carrier: '顺丰', trackingNo: 'SF1234567890' } }, { token: tokens.admin });
    expect(shipped.status).toBe(200);
    expect((await bff.call('listDrawWinners', { params: { id }, query: {} }, { token: tokens.admin })).body.items[0]).toMatchObject({
      shipped: true,
      carrier: '顺丰',
      trackingNo: 'SF1234567890',
    });
    const mine = await bff.call('listMyDrawPrizes', undefined, { token: c.token });
    expect(mine.body.items[0]).toMatchObject({ drawId: won.drawId, state: 'shipped', activityTitle: '幸运九宫格', shipping: { carrier: '顺丰', trackingNo: 'SF1234567890' } });

    // The cup is gone: the next customer's draw falls to the coupon or the fallback, and the coupon carries a code.
    await uploadCoffeeCodes(id, 1);
    const d = await customerSession(bff);
    await giveChances(bff, input.code, d.id, 2);
    const next = (await draw(bff.url, d.token, id)).body;
    expect(['COFFEE', 'THANKS']).toContain(next.prizeCode);
    if (next.prizeCode === 'COFFEE') expect(next.couponCode).toMatch(/^CF/);
  });

  // Issue 26, finding 7: what is left counts only what can be given.
  test('the back office’s 剩余 counts a coupon prize’s codes: fewer codes than its quantity leave fewer to win', async () => {
    const input = drawInput(bff);
    const id = await publish(input);
    await uploadCoffeeCodes(id, 2);
    const stats = await bff.call('getDrawStats', { params: { id } }, { token: tokens.admin });
    expect(stats.body.prizes.find((p: { code: string }) => p.code === 'COFFEE')).toMatchObject({
      kind: 'coupon',
      quantity: 15,
      won: 0,
      left: 2,
      codes: { poolSize: 2, assigned: 0 },
    });
    expect(stats.body.prizes.find((p: { code: string }) => p.code === 'CUP')).toMatchObject({ kind: 'physical', codes: null });
    const c = await customerSession(bff);
    expect((await bff.call('getMyDraw', { params: { id } }, { token: c.token })).body.prizes[1]).toMatchObject({ code: 'COFFEE', left: 2 });
  });

  test('a physical prize not claimed within its window lapses and cannot be claimed', async () => {
    const input = drawInput(bff, {
      prizes: [
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 1, quantity: 3 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 0 },
      ],
      claimDays: 1,
    });
    const id = await publish(input);
    const c = await customerSession(bff);
    await giveChances(bff, input.code, c.id, 1);
    const won = (await draw(bff.url, c.token, id)).body;
    const address = await bff.call('addMyAddress', { body: { name: '李四', phone: '13912345678', region: '上海市 上海市 黄浦区', detail: '中山东一路 1 号' } }, { token: c.token });
    bff.clock.advance(2 * 24 * 60 * 60 * 1000);
    const token = await signInAgain(c.openid);
    const late = await bff.call('claimMyDrawPrize', { params: { drawId: won.drawId }, body: { addressId: address.body.id } }, { token });
    expect(late.body.code).toBe('DRAW_CLAIM_EXPIRED');
    expect((await bff.call('listMyDrawPrizes', undefined, { token })).body.items[0].state).toBe('expired');
    bff.clock.advance(-2 * 24 * 60 * 60 * 1000);
  });
});

describe('two BFF processes, 100 customers, 500 draws at once', () => {
  let a: BffProcess;
  let b: BffProcess;
  beforeAll(async () => {
    [a, b] = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
  }, SPAWN_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const p of [a, b]) p?.child.kill('SIGTERM');
    await Promise.all([a, b].map((p) => p?.exited));
  });

  test('never more than any prize’s quantity, daily cap or per-customer cap, no chance spent twice, and the books check clean', async () => {
    const input = drawInput(bff, {
      prizes: [
        { code: 'P50', name: '50 积分', kind: 'points', points: 50, valueYuan: 0.5, weight: 300, quantity: 40 },
        { code: 'COFFEE', name: '咖啡券', kind: 'coupon', valueYuan: 10, weight: 300, quantity: 15, dailyCap: 12, perCustomerCap: 1 },
        { code: 'CUP', name: '保温杯', kind: 'physical', valueYuan: 80, weight: 300, quantity: 5 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 100 },
      ],
      guarantee: { afterLosses: 4 },
    });
    const id = await publish(input);
    await uploadCoffeeCodes(id, 15);
    const customers = await Promise.all(Array.from({ length: 100 }, () => customerSession(bff)));
    for (const c of customers) await giveChances(bff, input.code, c.id, 5);

    const attempts = customers.flatMap((c, i) => Array.from({ length: 5 }, (_, k) => ({ c, via: (i + k) % 2 ? a : b, key: randomUUID() })));
    const outcomes = await Promise.all(attempts.map(({ c, via, key }) => draw(via.url, c.token, id, key)));
    // A customer's own taps race each other: one may be told to wait, or a busy stream to try again;
    // nothing else. The app retries such a tap with its key, as done here, through the other process.
    const refused = outcomes.flatMap((o, i) => (o.status === 200 ? [] : [i]));
    expect(refused.map((i) => `${outcomes[i].status} ${outcomes[i].body.code}`).filter((r) => !['409 DRAW_IN_PROGRESS', '503 SERVICE_UNAVAILABLE'].includes(r))).toEqual([]);
    for (const i of refused) {
      const { c, via, key } = attempts[i];
      for (let tries = 0; tries < 5 && outcomes[i].status !== 200; tries++) outcomes[i] = await draw((via === a ? b : a).url, c.token, id, key);
    }
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 200));
    const ok = outcomes.map((o) => o.body);
    expect(ok).toHaveLength(500);
    expect(new Set(ok.map((o) => o.drawId)).size).toBe(500);
    const count = (code: string) => ok.filter((o) => o.prizeCode === code).length;
    expect(count('P50')).toBeLessThanOrEqual(40);
    expect(count('COFFEE')).toBeLessThanOrEqual(12);
    expect(count('CUP')).toBeLessThanOrEqual(5);
    const coffeeByCustomer = new Map<string, number>();
    for (const [i, o] of outcomes.entries())
      if (o.status === 200 && o.body.prizeCode === 'COFFEE') coffeeByCustomer.set(attempts[i].c.id, (coffeeByCustomer.get(attempts[i].c.id) ?? 0) + 1);
    expect([...coffeeByCustomer.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(ok.filter((o) => o.prizeCode === 'COFFEE').map((o) => o.couponCode)).size).toBe(count('COFFEE'));

    // Chances: every customer's five, less one per outcome.
    const left = await Promise.all(customers.map(async (c) => (await bff.call('getMyDraw', { params: { id } }, { token: c.token })).body.chances as number));
    expect(left.reduce((s, n) => s + n, 0)).toBe(500 - ok.length);

    const stats = await bff.call('getDrawStats', { params: { id } }, { token: tokens.admin });
    expect(stats.body.draws).toBe(ok.length);
    expect(stats.body.chances).toEqual({ granted: 500, bought: 0, spent: ok.length, remaining: 500 - ok.length });
    // Checked a page at a time: each page looks up what it checks, so none grows with the draw's history.
    const books = await walkDrawCheck(bff, tokens.admin, id, 40);
    expect(books).toMatchObject({ checkedDraws: ok.length, checkedCustomers: 100, violations: [] });
    expect(books.pages).toBeGreaterThanOrEqual(Math.ceil(ok.length / 40) + Math.ceil(100 / 40));
    const stranger = await bff.call('checkDrawInvariants', { params: { id }, query: { cursor: 'bm90LWEtY3Vyc29y' } }, { token: tokens.admin });
    expect(stranger.status).toBe(422);
    expect(stranger.body.code).toBe('VALIDATION_RULE_FAILED');
    const points = await Promise.all(customers.map(async (c) => (await bff.app.services.points.balance(c.id)).balance));
    expect(points.reduce((s, n) => s + n, 0)).toBe(50 * count('P50'));

    // The audit re-run catches a result written behind the draw's back.
    const anyLoss = ok.find((o) => o.prizeCode === 'THANKS') ?? ok[0];
    await bff.db.collection('draw_results').updateOne({ _id: anyLoss.drawId as never }, { $set: { prizeCode: anyLoss.prizeCode === 'CUP' ? 'P50' : 'CUP' } });
    const tampered = await walkDrawCheck(bff, tokens.admin, id, 40);
    expect(tampered.violations.some((v: string) => v.startsWith(`draw ${anyLoss.drawId}: re-run gives`))).toBe(true);
  }, 240_000);
});
