import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity, signIn } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { drainFeed } from '../helpers/feed';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
beforeAll(async () => {
  bff = await startBff('tasks');
  await seedDemo(bff);
  bff.clock.set(new Date('2026-11-23T09:00:00+08:00')); // a Monday
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const login = async (openid: string) => (await signIn(bff, openid)).token;
const tasks = async (token: string) => (await bff.call('listMyTasks', {}, { token })).body.items as { title: string; done: boolean }[];
const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;

describe('task centre', () => {
  test('“view an activity” tasks pay once per their rule: once, daily, weekly (Asia/Shanghai)', async () => {
    const window = (days: number) => ({ startAt: '2026-11-20T00:00:00+08:00', endAt: new Date(Date.parse('2026-11-23T00:00:00+08:00') + days * 86400_000).toISOString() });
    const shown = await publishActivity(bff, tokens, activityInput(bff, { title: '理财周周看', reward: undefined, schedule: window(30) }));
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '每日浏览', type: 'task', reward: { kind: 'points', amount: 2 }, settings: { task: 'view', frequency: 'daily' }, schedule: window(30) }),
    );
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '每周浏览', type: 'task', reward: { kind: 'points', amount: 10 }, settings: { task: 'view', frequency: 'weekly' }, schedule: window(30) }),
    );
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '首次浏览', type: 'task', reward: { kind: 'points', amount: 50 }, settings: { task: 'view', frequency: 'once' }, schedule: window(30) }),
    );
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '绑定手机', type: 'task', reward: { kind: 'points', amount: 30 }, settings: { task: 'bind_phone', frequency: 'once' }, schedule: window(30) }),
    );

    const openid = `o_tasks_${Date.now()}`;
    let token = await login(openid);
    expect((await tasks(token)).every((t) => !t.done)).toBe(true);
    await bff.call('getMyActivity', { params: { id: shown } }, { token });
    await bff.call('getMyActivity', { params: { id: shown } }, { token }); // again the same day: nothing more
    // Views complete tasks from the event feed, after the answer.
    await drainFeed(bff);
    expect(await balance(token)).toBe(2 + 10 + 50);
    const done = Object.fromEntries((await tasks(token)).map((t) => [t.title, t.done]));
    expect(done).toMatchObject({ 每日浏览: true, 每周浏览: true, 首次浏览: true, 绑定手机: false });

    bff.clock.set(new Date('2026-11-24T09:00:00+08:00')); // Tuesday: a new day, the same week
    token = await login(openid);
    await bff.call('getMyActivity', { params: { id: shown } }, { token });
    await drainFeed(bff);
    expect(await balance(token)).toBe(62 + 2);

    bff.clock.set(new Date('2026-11-30T09:00:00+08:00')); // next Monday: a new week
    token = await login(openid);
    await bff.call('getMyActivity', { params: { id: shown } }, { token });
    await drainFeed(bff);
    expect(await balance(token)).toBe(64 + 2 + 10);
  });

  test('a view the feed gets to after midnight counts for the day the activity was opened', async () => {
    const openid = `o_tasks_midnight_${Date.now()}`;
    bff.clock.set(new Date('2026-12-01T23:59:00+08:00'));
    const token = await login(openid);
    const [any] = (await bff.call('listMyActivities', {}, { token })).body.items;
    await bff.call('getMyActivity', { params: { id: any.id } }, { token });
    bff.clock.set(new Date('2026-12-02T00:01:00+08:00'));
    await drainFeed(bff);
    await bff.call('getMyActivity', { params: { id: any.id } }, { token });
    await drainFeed(bff);
    // Two days' daily views, one week's weekly, the once-only: 2 + 2 + 10 + 50.
    expect(await balance(token)).toBe(64);
  });

  test('a task activity cannot be joined: tasks pay only by their rule', async () => {
    const token = await login(`o_tasks_join_${Date.now()}`);
    const daily = (await bff.call('listMyActivities', {}, { token })).body.items.find((a: { title: string }) => a.title === '每日浏览');
    const before = await balance(token);
    const joined = await bff.call('joinActivity', { params: { id: daily.id } }, { token });
    expect(joined.status).toBe(409);
    expect(joined.body).toMatchObject({ code: 'ACTIVITY_NOT_JOINABLE' });
    expect(await balance(token)).toBe(before);
  });

  test('concurrent views pay each task once per period', async () => {
    const openid = `o_tasks_race_${Date.now()}`;
    const token = await login(openid);
    const [any] = (await bff.call('listMyActivities', {}, { token })).body.items;
    await Promise.all(Array.from({ length: 10 }, () => bff.call('getMyActivity', { params: { id: any.id } }, { token })));
    await drainFeed(bff);
    expect(await balance(token)).toBe(2 + 10 + 50);
  });

  test('binding the phone number WeChat verified completes “bind a phone number” once; the number is masked everywhere', async () => {
    const openid = `o_tasks_phone_${Date.now()}`;
    const token = await login(openid);
    const before = await balance(token);
    const phoneCode = async (phone: string) => ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=${phone}`)).json()) as { code: string }).code;

    const bad = await bff.call('bindMyPhone', { body: { code: 'not-a-real-code' } }, { token });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('WECHAT_CODE_INVALID');

    const bound = await bff.call('bindMyPhone', { body: { code: await phoneCode('13912345678') } }, { token });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ phoneBound: true, maskedPhone: '139****5678' });
    // The task is completed from the event feed, after the answer.
    await drainFeed(bff);
    expect(await balance(token)).toBe(before + 30);
    // Binding again (a new number) pays nothing more: the task is once.
    await bff.call('bindMyPhone', { body: { code: await phoneCode('13912340000') } }, { token });
    await drainFeed(bff);
    expect(await balance(token)).toBe(before + 30);
    expect((await tasks(token)).find((t) => t.title === '绑定手机')?.done).toBe(true);
    expect(bff.logText()).not.toContain('13912345678');
    const events = await bff.db.collection('outbox_events').find({ name: 'customer.phone_bound' }).toArray();
    expect(JSON.stringify(events)).not.toContain('13912345678');
  });

  test('a customer whose phone was bound before the task went live has done it: shown done, and paid once', async () => {
    const phoneCode = async (phone: string) => ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=${phone}`)).json()) as { code: string }).code;
    const token = await login(`o_tasks_bound_early_${Date.now()}`);
    await bff.call('bindMyPhone', { body: { code: await phoneCode('13611112222') } }, { token });
    await drainFeed(bff);
    const before = await balance(token);
    const window = { startAt: '2026-11-20T00:00:00+08:00', endAt: '2026-12-31T00:00:00+08:00' };
    const fresh = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }; // the clock has moved on
    await publishActivity(
      bff,
      fresh,
      activityInput(bff, { title: '绑定手机（新）', type: 'task', reward: { kind: 'points', amount: 15 }, settings: { task: 'bind_phone', frequency: 'once' }, schedule: window }),
    );
    const listed = await Promise.all([tasks(token), tasks(token)]);
    for (const list of listed) expect(list.find((t) => t.title === '绑定手机（新）')?.done).toBe(true);
    expect(await balance(token)).toBe(before + 15);
    await tasks(token);
    expect(await balance(token)).toBe(before + 15);
  });

  test('one phone number, one customer: a second WeChat account cannot bind it or earn its reward, even racing', async () => {
    const phoneCode = async (phone: string) => ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=${phone}`)).json()) as { code: string }).code;
    const [first, second] = [await login(`o_tasks_phone_a_${Date.now()}`), await login(`o_tasks_phone_b_${Date.now()}`)];
    const [before1, before2] = [await balance(first), await balance(second)];
    const bound = await bff.call('bindMyPhone', { body: { code: await phoneCode('13700001111') } }, { token: first });
    expect(bound.status).toBe(200);
    const taken = await bff.call('bindMyPhone', { body: { code: await phoneCode('13700001111') } }, { token: second });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('PHONE_ALREADY_BOUND');
    expect((await bff.call('getMyProfile', {}, { token: second })).body.phoneBound).toBe(false);
    await drainFeed(bff);
    expect([await balance(first), await balance(second)]).toEqual([before1 + 30 + 15, before2]); // both bind-phone tasks

    // Two new accounts racing for a fresh number: exactly one gets it.
    const racers = [await login(`o_tasks_phone_c_${Date.now()}`), await login(`o_tasks_phone_d_${Date.now()}`)];
    const codes = await Promise.all(racers.map(() => phoneCode('13700002222')));
    const results = await Promise.all(racers.map((token, i) => bff.call('bindMyPhone', { body: { code: codes[i] } }, { token })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    // Once the owner moves to another number, the old one is free for someone else.
    const owner = racers[results.findIndex((r) => r.status === 200)];
    const other = racers[results.findIndex((r) => r.status === 409)];
    expect((await bff.call('bindMyPhone', { body: { code: await phoneCode('13700003333') } }, { token: owner })).status).toBe(200);
    expect((await bff.call('bindMyPhone', { body: { code: await phoneCode('13700002222') } }, { token: other })).status).toBe(200);
  });

  test('the bank’s systems report a watched livestream, signed: the task pays once however often it is reported', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }; // the clock moved on
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '看直播领积分', type: 'task', reward: { kind: 'points', amount: 8 }, settings: { task: 'watch_live', frequency: 'daily' } }),
    );
    const openid = `o_tasks_live_${Date.now()}`;
    const token = await login(openid);
    const before = await balance(token);
    const report = (body: object, options: Parameters<typeof bankRequest>[3] = {}) => bankRequest(bff, '/bank/conversions', body, options);
    const event = { eventId: `live-${openid}`, kind: 'watch_live', occurredAt: bff.clock.now().toISOString(), openid };

    expect((await bff.request('POST', '/api/v1/bank/conversions', { body: event })).status).toBe(401);
    // Unsigned callers learn nothing about what a valid body looks like, nor get their body parsed.
    expect((await bff.request('POST', '/api/v1/bank/conversions', { body: { eventId: 'x' } })).status).toBe(401);
    expect((await bff.request('POST', '/api/v1/bank/conversions', { rawBody: '{"eventId": ' })).status).toBe(401);
    expect((await report(event, { secret: 'x'.repeat(40) })).body.code).toBe('AUTH_TOKEN_INVALID');
    expect((await report(event, { at: bff.clock.now().getTime() - 10 * 60_000 })).body.code).toBe('AUTH_TOKEN_EXPIRED');
    const doc = (await bff.call('getOpenApiDocument')).body;
    expect(doc.paths['/api/v1/bank/conversions'].post.security).toEqual([{ bankSignature: [], bankTimestamp: [], bankNonce: [] }]);
    expect(doc.components.securitySchemes.bankNonce).toMatchObject({ in: 'header', name: 'X-Bank-Nonce' });
    // The signature binds method and path: one signed for another endpoint is refused.
    expect((await report(event, { signedPath: '/api/v1/bank/other' })).body.code).toBe('AUTH_TOKEN_INVALID');
    // A captured request sent again is refused, even within its time window.
    const nonce = `replay-${openid}`.slice(0, 40);
    expect((await report({ ...event, openid: 'o_nobody_here' }, { nonce })).status).toBe(404);
    expect((await report({ ...event, openid: 'o_nobody_here' }, { nonce })).body.code).toBe('AUTH_REPLAYED');

    const results = await Promise.all([0, 1, 2].map(() => report(event)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(results.reduce((n, r) => n + r.body.tasksPaid, 0)).toBe(1);
    expect(await balance(token)).toBe(before + 8);
  });

  test('a bank event reported again next week pays a weekly task nothing new', async () => {
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const now = bff.clock.now().getTime();
    const schedule = { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 30 * 86400_000).toISOString() };
    await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '每周首次缴费', type: 'task', reward: { kind: 'points', amount: 15 }, settings: { task: 'first_service', frequency: 'weekly' }, schedule }),
    );
    const openid = `o_tasks_retry_${Date.now()}`;
    let token = await login(openid);
    const before = await balance(token);
    const event = { eventId: `svc-${openid}`, kind: 'first_service', occurredAt: bff.clock.now().toISOString(), openid };
    expect((await bankRequest(bff, '/bank/conversions', event)).body).toEqual({ duplicate: false, tasksPaid: 1 });

    bff.clock.advance(7 * 24 * 60 * 60 * 1000); // the bank's retry arrives a week later
    token = await login(openid);
    expect((await bankRequest(bff, '/bank/conversions', event)).body).toEqual({ duplicate: true, tasksPaid: 0 });
    expect(await balance(token)).toBe(before + 15);
  });

  test('a view whose customer asked for deletion before the feed got to it pays no task (consent is read when the reward would be paid)', async () => {
    const schedule = { startAt: '2026-11-20T00:00:00+08:00', endAt: '2027-01-31T00:00:00+08:00' };
    const staff = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') }; // the clock has moved on
    const shown = await publishActivity(bff, staff, activityInput(bff, { title: '删除前浏览', reward: undefined, schedule }));
    const task = activityInput(bff, { title: '浏览有礼', type: 'task', reward: { kind: 'points', amount: 7 }, settings: { task: 'view', frequency: 'once' }, schedule });
    await publishActivity(bff, staff, task);
    const { token, id: me } = await signIn(bff, `o_tasks_gone_${Date.now()}`);
    await bff.call('getMyActivity', { params: { id: shown } }, { token });
    expect((await bff.call('requestMyDataDeletion', {}, { token })).status).toBe(200);
    await drainFeed(bff);
    expect((await bff.app.services.points.balance(me)).balance).toBe(0);
  });
});
