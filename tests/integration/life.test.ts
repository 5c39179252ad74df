import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { spawnBff, type BffProcess } from '../helpers/process';
import { buildCouponPools, livestreamInput, merchantRedeem, publishReviewed, serviceInput } from '../helpers/life';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
const dbName = uniqueDbName('life');

beforeAll(async () => {
  bff = await startBff('life', { dbName, env: { WEBVIEW_DOMAINS: 'yxbank.cn,partner-pay.com', ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000', COUPON_CLAIMS_PER_IP_PER_MINUTE: '1000' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const HOUR = 3_600_000;

/** As every reviewed kind is published, and a coupon's codes made at once (the sweep makes them after approval). */
async function publish(target: TestBff, path: string, input: Record<string, unknown>): Promise<string> {
  const id = await publishReviewed(target, tokens, path, input);
  if (path === 'coupons') await buildCouponPools(target);
  return id;
}

const service = serviceInput;

describe('life services', () => {
  test('eligibility by tags; a web page only on the allowlist, at upload and at every read', async () => {
    const vipOnly = await publish(bff, 'life/services', service({ name: '贵宾专线', category: 'bank', eligibility: { tier: ['V5'] } }));
    const web = await publish(bff, 'life/services', service({ name: '合作缴费', target: { kind: 'web', url: 'https://m.partner-pay.com/pay' } }));
    const refused = await bff.request('POST', '/api/v1/admin/life/services', {
      token: tokens.admin,
      body: service({ target: { kind: 'web', url: 'https://evil.example.com/phish' } }),
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('evil.example.com');
    const unknownApp = await bff.request('POST', '/api/v1/admin/life/services', {
      token: tokens.admin,
      body: service({ target: { kind: 'miniprogram', appId: 'wx0000000000000000' } }),
    });
    expect(unknownApp.status).toBe(422);

    const plain = await customerSession(bff);
    const vip = await customerSession(bff);
    await bff.call('uploadCustomerTags', { body: { items: [{ customerId: vip.id, tier: 'V5' }] } }, { token: tokens.admin });
    const idsOf = async (token: string, target = bff) =>
      ((await target.call('getLifeHome', {}, { token })).body.categories as { services: { id: string }[] }[]).flatMap((c) => c.services.map((s) => s.id));
    expect(await idsOf(plain.token)).toEqual(expect.arrayContaining([web]));
    expect(await idsOf(plain.token)).not.toContain(vipOnly);
    expect(await idsOf(vip.token)).toContain(vipOnly);
    expect((await bff.call('openLifeService', { params: { id: vipOnly } }, { token: plain.token })).status).toBe(404);

    // The bank takes the partner's domain off its list: the same service no longer reaches anyone, nor opens.
    const narrowed = await startBff('lifenarrow', { dbName, clock: bff.clock, env: { WEBVIEW_DOMAINS: 'yxbank.cn' } });
    try {
      expect(await idsOf(plain.token, narrowed)).not.toContain(web);
      expect((await narrowed.call('openLifeService', { params: { id: web } }, { token: plain.token })).status).toBe(404);
      const everything = JSON.stringify((await narrowed.call('getLifeHome', {}, { token: vip.token })).body);
      expect(everything).not.toContain('partner-pay.com');
    } finally {
      await narrowed.stop();
    }
    const opened = await bff.call('openLifeService', { params: { id: web } }, { token: plain.token });
    expect(opened.body).toMatchObject({ target: { kind: 'web', url: 'https://m.partner-pay.com/pay' } });
  });

  test('opening a service first completes the 首次使用生活服务 task once; a closed service says when it opens', async () => {
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { type: 'task', title: '首次使用生活服务送积分', reward: { kind: 'points', amount: 30 }, settings: { task: 'first_service', frequency: 'once' } }),
    );
    const id = await publish(bff, 'life/services', service({ name: '水费缴纳' }));
    const c = await customerSession(bff);
    const balance = async () => (await bff.call('getMyPoints', {}, { token: c.token })).body.balance;
    const before = await balance();
    expect((await bff.call('openLifeService', { params: { id } }, { token: c.token })).body).toMatchObject({ firstUse: true });
    expect((await bff.call('openLifeService', { params: { id } }, { token: c.token })).body).toMatchObject({ firstUse: false });
    expect(await balance()).toBe(before + 30);

    const shut = await publish(bff, 'life/services', service({ name: '夜间维护', maintenance: { notice: '系统升级中', from: iso(-HOUR), to: iso(HOUR) } }));
    const res = await bff.call('openLifeService', { params: { id: shut } }, { token: c.token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('LIFE_SERVICE_UNAVAILABLE');
    const page = (await bff.call('getLifeHome', {}, { token: c.token })).body;
    expect(page.notices).toContain('夜间维护：系统升级中');
  });
});

const coupon = (overrides: Record<string, unknown> = {}) => ({
  code: `CB-${randomUUID().slice(0, 8)}`,
  type: 'cobrand_coupon',
  orgUnitId: 'org-hq',
  merchant: { id: 'M-COFFEE', name: '悦享咖啡' },
  title: '咖啡满 30 减 10',
  description: '指定门店可用',
  terms: '每张券限用一次。',
  stock: 50,
  perCustomerLimit: 2,
  claim: { startAt: iso(-HOUR), endAt: iso(24 * HOUR) },
  validity: { from: iso(-HOUR), to: iso(48 * HOUR) },
  ...overrides,
});

describe('co-branded coupons', () => {
  test('200 concurrent claims of a coupon with stock 50 give exactly 50, each code once, within the per-customer limit', async () => {
    const id = await publish(bff, 'coupons', coupon());
    const customers = await Promise.all(Array.from({ length: 100 }, () => customerSession(bff)));
    // Each customer claims twice at once (their limit is 2): 200 claims.
    const results = await Promise.all(
      customers.flatMap((c) => [0, 1].map(() => bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token }))),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(50);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.code === 'COUPON_SOLD_OUT')).toBe(true);
    expect(new Set(ok.map((r) => r.body.code)).size).toBe(50);
    const detail = await bff.call('viewCobrandCoupon', { params: { id } }, { token: customers[0].token });
    expect(detail.body).toMatchObject({ left: 0, blockedBy: expect.stringMatching(/sold_out|limit_reached/) });

    // The per-customer limit, on a coupon with stock to spare; a retry with the same key is the same coupon.
    const roomy = await publish(bff, 'coupons', coupon({ stock: 100, perCustomerLimit: 1 }));
    const c = customers[0];
    const key = randomUUID();
    const tries = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        bff.call('claimCobrandCoupon', { params: { id: roomy }, headers: { 'Idempotency-Key': i < 2 ? key : randomUUID() } }, { token: c.token }),
      ),
    );
    const granted = tries.filter((r) => r.status === 200);
    expect(new Set(granted.map((r) => r.body.code)).size).toBe(1);
    expect(tries.filter((r) => r.status === 409).every((r) => r.body.code === 'COUPON_LIMIT_REACHED')).toBe(true);
  });

  test('claims from one network address are capped per minute, whoever makes them', async () => {
    const limited = await startBff('lifeip', { env: { COUPON_CLAIMS_PER_IP_PER_MINUTE: '3', TRUSTED_PROXIES: '1' } });
    try {
      await seedDemo(limited);
      const staff = { admin: await staffToken(limited, 'admin'), reviewer: await staffToken(limited, 'reviewer') };
      const created = await limited.request('POST', '/api/v1/admin/coupons', { token: staff.admin, body: coupon({ stock: 100, perCustomerLimit: 1 }) });
      await limited.call('submitCobrandCoupon', { params: { id: created.body.id } }, { token: staff.admin });
      await limited.call('approveCobrandCoupon', { params: { id: created.body.id }, body: {} }, { token: staff.reviewer });
      await buildCouponPools(limited);
      const claimFrom = async (ip: string) => {
        const c = await customerSession(limited);
        return (
          await limited.call(
            'claimCobrandCoupon',
            { params: { id: created.body.id }, headers: { 'Idempotency-Key': randomUUID() } },
            { token: c.token, headers: { 'X-Forwarded-For': ip } },
          )
        ).status;
      };
      const farm = [];
      for (let i = 0; i < 5; i += 1) farm.push(await claimFrom('203.0.113.7'));
      expect(farm).toEqual([200, 200, 200, 429, 429]);
      expect(await claimFrom('198.51.100.9')).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  test('a merchant marks a shown code used once, by a signed call; used and expired coupons say so', async () => {
    const id = await publish(bff, 'coupons', coupon({ stock: 5, perCustomerLimit: 2 }));
    const c = await customerSession(bff);
    const claim = await bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token });
    expect(claim.body).toMatchObject({ state: 'unused', merchant: '悦享咖啡' });
    const redeem = (code: string, key?: string) => merchantRedeem(bff, code, 'M-COFFEE', key);
    expect((await redeem(claim.body.code, 'x'.repeat(40))).status).toBe(401);
    expect((await redeem(claim.body.code)).status).toBe(200);
    expect((await redeem(claim.body.code)).body.code).toBe('COUPON_CODE_USED');
    expect((await redeem('NOSUCHCODE12')).status).toBe(404);
    const mine = (await bff.call('listMyCoupons', {}, { token: c.token })).body.items;
    expect(mine[0]).toMatchObject({ couponId: id, state: 'used', code: claim.body.code });

    const second = await bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token });
    bff.clock.advance(49 * HOUR);
    try {
      const later = (await bff.call('listMyCoupons', {}, { token: (await customerSession(bff)).token })).body.items;
      expect(later).toEqual([]);
      const relogged = await staffToken(bff, 'admin');
      expect(relogged).toBeTruthy();
      const again = (await redeem(second.body.code)).body;
      expect(again.code).toBe('COUPON_CODE_EXPIRED');
    } finally {
      bff.clock.advance(-49 * HOUR);
    }
    const states = (await bff.call('listMyCoupons', {}, { token: c.token })).body.items.map((m: { state: string }) => m.state);
    expect(states.sort()).toEqual(['unused', 'used']);
  });
});

describe('livestream reminders', () => {
  let a: BffProcess | null = null;
  let b: BffProcess | null = null;
  afterAll(() => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  const livestream = (startAt: string, endAt: string) => livestreamInput(startAt, endAt);
  const sentTo = async (openid: string) =>
    (await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${openid}`)).json()).items.filter((m: { template_id: string }) => m.template_id === 'TPL_LIVE');

  test('each standing reservation gets one reminder, with two BFF processes and a restart; none when cancelled', async () => {
    // Real time here: the processes run their own sweeps on the system clock.
    const now = Date.now();
    const id = await publish(bff, 'livestreams', livestream(new Date(now + 5 * 60_000).toISOString(), new Date(now + HOUR).toISOString()));
    const customers = await Promise.all(Array.from({ length: 6 }, () => customerSession(bff)));
    for (const c of customers) expect((await bff.call('reserveLivestream', { params: { id }, body: { subscribed: true } }, { token: c.token })).status).toBe(200);
    const [cancelled, unsubscribed] = [customers[4], customers[5]];
    await bff.call('cancelLivestreamReservation', { params: { id } }, { token: cancelled.token });
    await bff.call('reserveLivestream', { params: { id }, body: { subscribed: false } }, { token: unsubscribed.token });
    const detail = await bff.call('viewLivestream', { params: { id } }, { token: cancelled.token });
    expect(detail.body).toMatchObject({ reserved: false, state: 'upcoming' });

    const env = { SWEEP_INTERVAL_MS: '200' };
    [a, b] = await Promise.all([spawnBff(dbName, env), spawnBff(dbName, env)]);
    const standing = customers.slice(0, 4);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await Promise.all(standing.map((c) => sentTo(c.openid)))).some((s) => s.length === 0)) await new Promise((r) => setTimeout(r, 200));
    a.child.kill('SIGKILL');
    await a.exited;
    b.child.kill('SIGTERM');
    await b.exited;
    a = await spawnBff(dbName, env); // a restart: the claims are in the database, not in a process
    await new Promise((r) => setTimeout(r, 2000));
    for (const c of standing) expect(await sentTo(c.openid)).toHaveLength(1);
    expect(await sentTo(cancelled.openid)).toHaveLength(0);
    expect(await sentTo(unsubscribed.openid)).toHaveLength(0);
    a.child.kill('SIGTERM');
    await a.exited;
  }, 90_000);

  test('one reservation per show: reserving the livestream joins its 直播 activity (paid once), joining the activity reserves the livestream', async () => {
    const activity = await publishActivity(bff, tokens, activityInput(bff, { title: '年终直播预约', reward: { kind: 'points', amount: 10 } }));
    const other = await publishActivity(bff, tokens, activityInput(bff, { type: 'task', title: '直播间任务', settings: { task: 'watch_live', frequency: 'once' } }));
    const id = await publish(bff, 'livestreams', livestream(iso(2 * HOUR), iso(3 * HOUR)));
    const linked = await publish(bff, 'livestreams', { ...livestream(iso(2 * HOUR), iso(3 * HOUR)), activityIds: [activity, other] });
    const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;
    const view = async (token: string, live: string) => (await bff.call('viewLivestream', { params: { id: live } }, { token })).body;

    // Reserved on 生活: the activity shows 已预约 and has paid its 10 积分, once, however often it is reserved.
    const onLife = await customerSession(bff);
    for (const subscribed of [true, false])
      expect((await bff.call('reserveLivestream', { params: { id: linked }, body: { subscribed } }, { token: onLife.token })).body).toMatchObject({
        reserved: true,
        reminded: subscribed,
      });
    expect((await bff.call('getMyActivity', { params: { id: activity } }, { token: onLife.token })).body.joined).toBe(true);
    expect(await balance(onLife.token)).toBe(10);
    expect((await bff.call('joinActivity', { params: { id: activity } }, { token: onLife.token })).body.duplicate).toBe(true);
    expect(await balance(onLife.token)).toBe(10);
    expect((await view(onLife.token, id)).reserved).toBe(false);

    // Reserved through the activity: 生活 shows that show reserved (without a reminder the customer never accepted), not the others.
    const onActivity = await customerSession(bff);
    expect((await bff.call('joinActivity', { params: { id: activity } }, { token: onActivity.token })).status).toBe(200);
    expect(await view(onActivity.token, linked)).toMatchObject({ reserved: true, reminded: false });
    expect((await view(onActivity.token, id)).reserved).toBe(false);
    const listed = (await bff.call('browseLivestreams', {}, { token: onActivity.token })).body.items as { id: string; reserved: boolean }[];
    expect(listed.find((l) => l.id === linked)?.reserved).toBe(true);
    expect(await balance(onActivity.token)).toBe(10);
    // Accepting the reminder later on the livestream's page keeps the one reservation and pays nothing more.
    expect((await bff.call('reserveLivestream', { params: { id: linked }, body: { subscribed: true } }, { token: onActivity.token })).body.reminded).toBe(true);
    expect(await balance(onActivity.token)).toBe(10);
  });

  test('none is sent once the livestream has started; reserving then is refused; entering completes the watch task', async () => {
    const id = await publish(bff, 'livestreams', livestream(iso(5 * 60_000), iso(HOUR)));
    const c = await customerSession(bff);
    await bff.call('reserveLivestream', { params: { id }, body: { subscribed: true } }, { token: c.token });
    expect((await bff.call('enterLivestream', { params: { id }, body: {} }, { token: c.token })).status).toBe(409);
    bff.clock.advance(6 * 60_000);
    try {
      expect(await bff.app.services.capabilities.livestreams.reminders.run()).toBe(0);
      expect(await sentTo(c.openid)).toHaveLength(0);
      const token = (await customerSession(bff)).token;
      expect((await bff.call('reserveLivestream', { params: { id }, body: { subscribed: true } }, { token })).body.code).toBe('LIVESTREAM_NOT_RESERVABLE');
      await publishActivity(
        bff,
        { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') },
        activityInput(bff, { type: 'task', title: '观看直播送积分', reward: { kind: 'points', amount: 20 }, settings: { task: 'watch_live', frequency: 'once' } }),
      );
      const entered = await bff.call('enterLivestream', { params: { id }, body: {} }, { token });
      expect(entered.body).toEqual({ state: 'live', taskPaid: true });
      const list = (await bff.call('browseLivestreams', {}, { token })).body.items;
      expect(list.find((l: { id: string }) => l.id === id).state).toBe('live');
    } finally {
      bff.clock.advance(-6 * 60_000);
    }
  });
});
