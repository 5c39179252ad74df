import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, publishActivity } from '../helpers/activities';
import { wechatCode } from '../helpers/wechat';

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
});
