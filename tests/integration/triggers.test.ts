import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, seedDemoBank, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('triggers', { env: { TRIGGER_DAILY_CAP: '2' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const HOUR = 60 * 60 * 1000;

async function customerToken(target: TestBff, openid: string): Promise<string> {
  return (await signIn(target, openid)).token;
}

function triggerInput(overrides: Record<string, unknown> = {}) {
  return {
    code: `TRG-${randomUUID().slice(0, 8)}`,
    type: 'trigger',
    orgUnitId: 'org-hq',
    name: '工资到账送积分',
    description: '代发工资到账后 1 小时内送 50 积分',
    event: { source: 'bank', name: 'salary_credited' },
    conditions: [{ field: 'amountYuan', op: 'gte', value: 5000 }],
    windowMinutes: 60,
    schedule: { startAt: iso(-HOUR), endAt: iso(7 * 24 * HOUR) },
    action: { kind: 'reward', reward: { kind: 'points', amount: 50 }, budget: { maxRewards: 1000 } },
    ...overrides,
  };
}

async function publishTrigger(input: Record<string, unknown>): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/triggers', { token: tokens.admin, body: input });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  expect((await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/submit`, { token: tokens.admin })).status).toBe(200);
  // The maker cannot approve their own trigger.
  expect((await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/approve`, { token: tokens.admin, body: {} })).status).toBe(403);
  const approved = await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/approve`, { token: tokens.reviewer, body: {} });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
  return created.body.id;
}

const salary = (customerId: string, amountYuan: number, occurredAt = iso(0)) =>
  bankRequest(bff, '/bank/conversions', { eventId: `sal-${randomUUID()}`, kind: 'salary_credited', occurredAt, customerId, amountYuan });
const balance = async (token: string) => (await bff.request('GET', '/api/v1/me/points', { token })).body.balance as number;
const offers = async (token: string) => (await bff.request('GET', '/api/v1/me/offers', { token })).body.items as { id: string; triggerId: string; kind: string; activityId: string | null }[];

describe('event-triggered marketing', () => {
  test('a bank event fires once per customer, within its window and conditions, never for opted-out customers', async () => {
    const triggerId = await publishTrigger(triggerInput());
    const [paid, small, late, optedOut, racer] = await Promise.all(Array.from({ length: 5 }, () => customerSession(bff)));
    const before = await balance(paid.token);

    expect((await salary(paid.id, 8000)).status).toBe(200);
    expect(await balance(paid.token)).toBe(before + 50);
    expect((await offers(paid.token)).map((o) => o.triggerId)).toEqual([triggerId]);
    // A second salary the same week pays nothing more: once per trigger and customer.
    await salary(paid.id, 9000);
    expect(await balance(paid.token)).toBe(before + 50);

    await salary(small.id, 3000);
    await salary(late.id, 8000, iso(-2 * HOUR));
    expect((await bff.request('PUT', '/api/v1/me/preferences', { token: optedOut.token, body: { personalized: false } })).status).toBe(200);
    await salary(optedOut.id, 8000);
    for (const c of [small, late, optedOut]) {
      expect(await balance(c.token)).toBe(before);
      expect(await offers(c.token)).toEqual([]);
    }

    // Five reports racing for one customer fire once.
    await Promise.all(Array.from({ length: 5 }, () => salary(racer.id, 6000)));
    expect(await balance(racer.token)).toBe(before + 50);
    expect(await offers(racer.token)).toHaveLength(1);

    const stats = await bff.request('GET', `/api/v1/admin/triggers/${triggerId}/stats`, { token: tokens.reviewer });
    expect(stats.body).toEqual({ triggerId, fired: 2, capped: 0 });
  });

  test('an app event with tag conditions offers an activity; 不感兴趣 stops it; the daily cap holds; a message is sent once', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff));
    const click = (page: string, slot: string) => ({ id: randomUUID(), type: 'click', clientTime: iso(0), page, props: { slot } });
    const offerTrigger = await publishTrigger(
      triggerInput({ name: '浏览理财推荐直播', description: '看过理财频道的客户推荐直播活动', event: { source: 'app', name: 'click' }, conditions: [{ field: 'props.slot', op: 'in', value: ['wealth', 'fund'] }], action: { kind: 'activity', activityId } }),
    );
    const messageTrigger = await publishTrigger(
      triggerInput({ name: '理财提醒', description: '发送理财直播订阅消息', event: { source: 'app', name: 'click' }, conditions: [{ field: 'props.slot', op: 'eq', value: 'wealth' }], action: { kind: 'message', templateId: 'TPL_LIVE', page: 'pages/index/index', data: { thing1: '理财直播', time2: '今晚 8 点' } } }),
    );
    const thirdTrigger = await publishTrigger(
      triggerInput({ name: '浏览送积分', description: '浏览理财频道送 10 积分', event: { source: 'app', name: 'click' }, conditions: [], action: { kind: 'reward', reward: { kind: 'points', amount: 10 }, budget: { maxRewards: 100 } } }),
    );

    const c = await customerSession(bff);
    await bff.request('POST', '/api/v1/events', { token: c.token, body: { events: [click('pages/index/index', 'mall')] } });
    // 'mall' only matches the third trigger.
    expect((await offers(c.token)).map((o) => o.triggerId)).toEqual([thirdTrigger]);
    await bff.request('POST', '/api/v1/events', { token: c.token, body: { events: [click('pages/wealth/index', 'wealth'), click('pages/wealth/index', 'wealth')] } });
    // Two of the three match again, but the cap is two a day: one more.
    const mine = await offers(c.token);
    expect(mine).toHaveLength(2);
    const stats = await Promise.all([offerTrigger, messageTrigger].map(async (id) => (await bff.request('GET', `/api/v1/admin/triggers/${id}/stats`, { token: tokens.admin })).body));
    expect(stats.map((s) => s.fired).sort()).toEqual([0, 1]);
    expect(stats.map((s) => s.capped).sort()).toEqual([0, 1]);

    // Another customer gets the activity offer and the message, each once, and then says 不感兴趣.
    const d = await customerSession(bff);
    await bff.request('POST', '/api/v1/events', { token: d.token, body: { events: [click('pages/wealth/index', 'fund')] } });
    const dOffers = await offers(d.token);
    const offered = dOffers.find((o) => o.triggerId === offerTrigger)!;
    expect(offered).toMatchObject({ kind: 'activity', activityId });
    expect((await bff.request('POST', `/api/v1/me/offers/${offered.id}/dismiss`, { token: d.token, body: {} })).status).toBe(204);
    expect((await offers(d.token)).map((o) => o.triggerId)).not.toContain(offerTrigger);
    expect((await bff.request('POST', `/api/v1/me/offers/${offered.id}/dismiss`, { token: c.token, body: {} })).status).toBe(404);

    const e = await customerSession(bff);
    await bff.request('POST', '/api/v1/events', { token: e.token, body: { events: [click('pages/wealth/index', 'wealth')] } });
    await bff.request('POST', '/api/v1/events', { token: e.token, body: { events: [click('pages/wealth/index', 'wealth')] } });
    const sent = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${e.openid}`)).json();
    const fromTrigger = (await offers(e.token)).filter((o) => o.triggerId === messageTrigger);
    expect(sent.items).toHaveLength(fromTrigger.length);
    expect(sent.items.length).toBeLessThanOrEqual(1);
  });

  test('a trigger offering an unpublished activity, or with bad conditions, is refused', async () => {
    const bad = await bff.request('POST', '/api/v1/admin/triggers', { token: tokens.admin, body: triggerInput({ conditions: [{ field: 'amountYuan', op: 'gte', value: 'lots' }] }) });
    expect(bad.status).toBe(422);
    const created = await bff.request('POST', '/api/v1/admin/triggers', { token: tokens.admin, body: triggerInput({ action: { kind: 'activity', activityId: 'no-such-activity' } }) });
    expect(created.status).toBe(201);
    const submitted = await bff.request('POST', `/api/v1/admin/triggers/${created.body.id}/submit`, { token: tokens.admin });
    expect(submitted.status).toBe(422);
  });
});

describe('the demo bank’s triggers', () => {
  test('npm start’s rules are live: a demo customer’s salary pays the thank-you once', async () => {
    const demo = await startBff('triggersdemo');
    try {
      await seedDemoBank(demo);
      const token = await customerToken(demo, 'o_demo_customer_01');
      const before = (await demo.request('GET', '/api/v1/me/points', { token })).body.balance;
      const report = () => bankRequest(demo, '/bank/conversions', { eventId: `sal-${randomUUID()}`, kind: 'salary_credited', occurredAt: demo.clock.now().toISOString(), openid: 'o_demo_customer_01', amountYuan: 12000 });
      expect((await report()).status).toBe(200);
      expect((await report()).status).toBe(200);
      expect((await demo.request('GET', '/api/v1/me/points', { token })).body.balance).toBe(before + 50);
      expect((await demo.request('GET', '/api/v1/me/offers', { token })).body.items.map((o: { title: string }) => o.title)).toEqual(['工资到账送积分']);
    } finally {
      await demo.stop();
    }
  });
});
