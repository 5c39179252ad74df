import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import { wechatCode } from '../helpers/wechat';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { testConfig } from '../helpers/bff';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
beforeAll(async () => {
  bff = await startBff('tasks');
  await seedDemo(bff);
  bff.clock.set(new Date('2026-11-23T09:00:00+08:00')); // a Monday
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const login = async (openid: string) => (await bff.request('POST', '/api/v1/auth/wechat', { body: { code: (await wechatCode({ openid })).code } })).body.accessToken as string;
const tasks = async (token: string) => (await bff.request('GET', '/api/v1/me/tasks', { token })).body.items as { title: string; done: boolean }[];
const balance = async (token: string) => (await bff.request('GET', '/api/v1/me/points', { token })).body.balance as number;

describe('task centre', () => {
  test('“view an activity” tasks pay once per their rule: once, daily, weekly (Asia/Shanghai)', async () => {
    const window = (days: number) => ({ startAt: '2026-11-20T00:00:00+08:00', endAt: new Date(Date.parse('2026-11-23T00:00:00+08:00') + days * 86400_000).toISOString() });
    const shown = await publishActivity(bff, tokens, activityInput(bff, { title: '理财周周看', reward: undefined, schedule: window(30) }));
    await publishActivity(bff, tokens, activityInput(bff, { title: '每日浏览', type: 'task', reward: { kind: 'points', amount: 2 }, settings: { task: 'view', frequency: 'daily' }, schedule: window(30) }));
    await publishActivity(bff, tokens, activityInput(bff, { title: '每周浏览', type: 'task', reward: { kind: 'points', amount: 10 }, settings: { task: 'view', frequency: 'weekly' }, schedule: window(30) }));
    await publishActivity(bff, tokens, activityInput(bff, { title: '首次浏览', type: 'task', reward: { kind: 'points', amount: 50 }, settings: { task: 'view', frequency: 'once' }, schedule: window(30) }));
    await publishActivity(bff, tokens, activityInput(bff, { title: '绑定手机', type: 'task', reward: { kind: 'points', amount: 30 }, settings: { task: 'bind_phone', frequency: 'once' }, schedule: window(30) }));

    const openid = `o_tasks_${Date.now()}`;
    let token = await login(openid);
    expect((await tasks(token)).every((t) => !t.done)).toBe(true);
    await bff.request('GET', `/api/v1/activities/${shown}`, { token });
    await bff.request('GET', `/api/v1/activities/${shown}`, { token }); // again the same day: nothing more
    expect(await balance(token)).toBe(2 + 10 + 50);
    const done = Object.fromEntries((await tasks(token)).map((t) => [t.title, t.done]));
    expect(done).toMatchObject({ 每日浏览: true, 每周浏览: true, 首次浏览: true, 绑定手机: false });

    bff.clock.set(new Date('2026-11-24T09:00:00+08:00')); // Tuesday: a new day, the same week
    token = await login(openid);
    await bff.request('GET', `/api/v1/activities/${shown}`, { token });
    expect(await balance(token)).toBe(62 + 2);

    bff.clock.set(new Date('2026-11-30T09:00:00+08:00')); // next Monday: a new week
    token = await login(openid);
    await bff.request('GET', `/api/v1/activities/${shown}`, { token });
    expect(await balance(token)).toBe(64 + 2 + 10);
  });

  test('joining a task activity pays nothing: tasks pay only by their rule', async () => {
    const token = await login(`o_tasks_join_${Date.now()}`);
    const daily = (await bff.request('GET', '/api/v1/activities', { token })).body.items.find((a: { title: string }) => a.title === '每日浏览');
    const before = await balance(token);
    const joined = await bff.request('POST', `/api/v1/activities/${daily.id}/join`, { token });
    expect(joined.body).toEqual({ joined: true, rewardId: null, duplicate: false });
    expect(await balance(token)).toBe(before);
  });

  test('concurrent views pay each task once per period', async () => {
    const openid = `o_tasks_race_${Date.now()}`;
    const token = await login(openid);
    const [any] = (await bff.request('GET', '/api/v1/activities', { token })).body.items;
    await Promise.all(Array.from({ length: 10 }, () => bff.request('GET', `/api/v1/activities/${any.id}`, { token })));
    expect(await balance(token)).toBe(2 + 10 + 50);
  });

  test('binding the phone number WeChat verified completes “bind a phone number” once; the number is masked everywhere', async () => {
    const openid = `o_tasks_phone_${Date.now()}`;
    const token = await login(openid);
    const before = await balance(token);
    const phoneCode = async (phone: string) => ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=${phone}`)).json()) as { code: string }).code;

    const bad = await bff.request('POST', '/api/v1/me/phone', { token, body: { code: 'not-a-real-code' } });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('WECHAT_CODE_INVALID');

    const bound = await bff.request('POST', '/api/v1/me/phone', { token, body: { code: await phoneCode('13912345678') } });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ phoneBound: true, maskedPhone: '139****5678' });
    expect(await balance(token)).toBe(before + 30);
    // Binding again (a new number) pays nothing more: the task is once.
    await bff.request('POST', '/api/v1/me/phone', { token, body: { code: await phoneCode('13912340000') } });
    expect(await balance(token)).toBe(before + 30);
    expect((await tasks(token)).find((t) => t.title === '绑定手机')?.done).toBe(true);
    expect(bff.logText()).not.toContain('13912345678');
    const events = await bff.db.collection('outbox_events').find({ name: 'customer.phone_bound' }).toArray();
    expect(JSON.stringify(events)).not.toContain('13912345678');
  });

  test('the bank’s systems report a watched livestream, signed: the task pays once however often it is reported', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }; // the clock moved on
    await publishActivity(bff, tokens, activityInput(bff, { title: '看直播领积分', type: 'task', reward: { kind: 'points', amount: 8 }, settings: { task: 'watch_live', frequency: 'daily' } }));
    const openid = `o_tasks_live_${Date.now()}`;
    const token = await login(openid);
    const before = await balance(token);
    const secret = testConfig().bankSystemsSecret;
    const report = (body: object, options: { secret?: string; at?: number } = {}) => {
      const raw = JSON.stringify(body);
      const timestamp = String(Math.floor((options.at ?? bff.clock.now().getTime()) / 1000));
      return bff.request('POST', '/api/v1/bank/conversions', {
        rawBody: raw,
        headers: { 'X-Bank-Timestamp': timestamp, 'X-Bank-Signature': signBankRequest(options.secret ?? secret, timestamp, raw) },
      });
    };
    const event = { eventId: `live-${openid}`, kind: 'watch_live', occurredAt: bff.clock.now().toISOString(), openid };

    expect((await bff.request('POST', '/api/v1/bank/conversions', { body: event })).status).toBe(401);
    // Unsigned callers learn nothing about what a valid body looks like.
    expect((await bff.request('POST', '/api/v1/bank/conversions', { body: { eventId: 'x' } })).status).toBe(401);
    expect((await report(event, { secret: 'x'.repeat(40) })).body.code).toBe('AUTH_TOKEN_INVALID');
    expect((await report(event, { at: bff.clock.now().getTime() - 10 * 60_000 })).body.code).toBe('AUTH_TOKEN_EXPIRED');
    expect((await report({ ...event, openid: 'o_nobody_here' })).status).toBe(404);

    const results = await Promise.all([0, 1, 2].map(() => report(event)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(results.reduce((n, r) => n + r.body.tasksPaid, 0)).toBe(1);
    expect(await balance(token)).toBe(before + 8);
  });
});
