import { startBff, type TestBff } from '../helpers/bff';
import { customerSession } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { wechatCode } from '../helpers/wechat';

const faults = armedFaults();
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('checkin', { faults });
});
afterAll(() => bff.stop());

/** Logs the customer in again at the BFF's current time (tokens live 15 minutes). */
async function tokenFor(openid: string): Promise<string> {
  const res = await bff.call('loginWithWechat', { body: { code: (await wechatCode({ openid })).code } });
  return res.body.accessToken;
}
const checkIn = (token: string) => bff.call('checkIn', {}, { token });
const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance;

describe('POST /api/v1/me/checkins', () => {
  test('checking in twice on one day pays once', async () => {
    const c = await customerSession(bff);
    const first = await checkIn(c.token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ streak: 1, points: 5, duplicate: false });
    const again = await checkIn(c.token);
    expect(again.body).toMatchObject({ streak: 1, points: 5, duplicate: true });
    expect(await balance(c.token)).toBe(5);
  });

  test('20 concurrent check-ins by one customer pay once', async () => {
    const c = await customerSession(bff);
    const results = await Promise.all(Array.from({ length: 20 }, () => checkIn(c.token)));
    expect(results.filter((r) => r.status === 200 && !r.body.duplicate)).toHaveLength(1);
    expect(await balance(c.token)).toBe(5);
  });

  test('across midnight in Asia/Shanghai (not UTC) it pays twice and the streak grows', async () => {
    const c = await customerSession(bff);
    try {
      bff.clock.set(new Date('2026-11-24T23:59:00+08:00'));
      const before = await checkIn(await tokenFor(c.openid));
      expect(before.body).toMatchObject({ day: '2026-11-24', streak: 1, duplicate: false });
      bff.clock.set(new Date('2026-11-25T00:01:00+08:00')); // still 2026-11-24 in UTC
      const token = await tokenFor(c.openid);
      const after = await checkIn(token);
      expect(after.body).toMatchObject({ day: '2026-11-25', streak: 2, duplicate: false });
      expect(await balance(token)).toBe(10);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('day 7 of a streak pays the bonus; a missed day starts again at day 1', async () => {
    const checkin = bff.app.services.capabilities.checkin.service;
    const customerId = 'cust-streak';
    const paid: number[] = [];
    try {
      for (let d = 1; d <= 7; d++) {
        bff.clock.set(new Date(`2026-12-0${d}T09:00:00+08:00`));
        paid.push((await checkin.checkIn(customerId)).points);
      }
      expect(paid).toEqual([5, 5, 5, 5, 5, 5, 20]);
      bff.clock.set(new Date('2026-12-09T09:00:00+08:00')); // the 8th was missed
      expect(await checkin.checkIn(customerId)).toMatchObject({ streak: 1, points: 5 });
      const calendar = await checkin.calendar(customerId);
      expect(calendar).toMatchObject({ month: '2026-12', today: '2026-12-09', checkedInToday: true, streak: 1, nextPoints: 5 });
      expect(calendar.days.map((d) => d.day)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07', '2026-12-09']);
      bff.clock.set(new Date('2026-12-11T09:00:00+08:00'));
      expect(await checkin.calendar(customerId)).toMatchObject({ checkedInToday: false, streak: 0, nextPoints: 5 });
      expect((await checkin.calendar(customerId, '2026-11')).days).toEqual([]);
      expect(await bff.app.services.points.check(customerId)).toEqual([]);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('a 75-day streak pays the day-7 bonus on days 7, 14 … 70 only, beyond the two months a check-in keeps', async () => {
    const checkin = bff.app.services.capabilities.checkin.service;
    const customerId = 'cust-long-streak';
    const start = new Date('2026-01-01T09:00:00+08:00').getTime();
    const paid: number[] = [];
    try {
      for (let d = 0; d < 75; d++) {
        bff.clock.set(new Date(start + d * 24 * 60 * 60 * 1000));
        paid.push((await checkin.checkIn(customerId)).points);
      }
      const expected = Array.from({ length: 75 }, (_, i) => ((i + 1) % 7 === 0 ? 20 : 5));
      expect(paid).toEqual(expected);
      expect(await checkin.calendar(customerId)).toMatchObject({ streak: 75, nextPoints: 5 });
      expect((await bff.app.services.points.balance(customerId)).balance).toBe(65 * 5 + 10 * 20);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('the calendar rejects a malformed month', async () => {
    const c = await customerSession(bff);
    const res = await bff.request('GET', '/api/v1/me/checkins?month=2026-13', { token: c.token });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.month');
  });
});

describe('make-up check-ins (补签)', () => {
  const at = (iso: string) => bff.clock.set(new Date(iso));
  const svc = () => bff.app.services.capabilities.checkin.service;
  const points = () => bff.app.services.points;

  test('making up a missed day restores the streak, costs the price and pays nothing itself', async () => {
    const c = 'cust-makeup-1';
    try {
      await points().earn(c, 100, 'makeup-1-seed', '测试积分');
      for (const d of ['01', '02', '04']) {
        at(`2026-10-${d}T09:00:00+08:00`);
        await svc().checkIn(c);
      }
      at('2026-10-05T09:00:00+08:00');
      const made = await svc().makeUp(c, '2026-10-03');
      expect(made).toMatchObject({ day: '2026-10-03', points: 0, duplicate: false });
      expect(await svc().makeUp(c, '2026-10-03')).toMatchObject({ duplicate: true }); // a retry: charged once
      const today = await svc().checkIn(c);
      expect(today.streak).toBe(5); // 1, 2, 3 (made up), 4, 5
      expect((await points().balance(c)).balance).toBe(100 + 5 * 4 - 20);
      const calendar = await svc().calendar(c);
      expect(calendar).toMatchObject({ streak: 5, makeupsLeft: 1, makeupPrice: 20, earliestMonth: '2026-09' });
      expect(calendar.days.find((d) => d.day === '2026-10-03')).toEqual({ day: '2026-10-03', makeup: true, points: 0 });
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('only missed days of this month and the last, at most N a month each; refusals charge nothing', async () => {
    const c = 'cust-makeup-2';
    try {
      await points().earn(c, 100, 'makeup-2-seed', '测试积分');
      at('2026-10-20T09:00:00+08:00');
      await svc().checkIn(c);
      for (const day of ['2026-10-20', '2026-10-21', '2026-08-31']) {
        await expect(svc().makeUp(c, day)).rejects.toMatchObject({ code: 'CHECKIN_MAKEUP_NOT_ALLOWED' });
      }
      await svc().makeUp(c, '2026-10-10');
      await svc().makeUp(c, '2026-10-11');
      await expect(svc().makeUp(c, '2026-10-12')).rejects.toMatchObject({ code: 'CHECKIN_MAKEUP_LIMIT' });
      // September has its own allowance, shown on its calendar; months before it have none.
      expect((await svc().calendar(c, '2026-09')).makeupsLeft).toBe(2);
      expect((await svc().calendar(c, '2026-08')).makeupsLeft).toBe(0);
      await svc().makeUp(c, '2026-09-30');
      expect((await svc().calendar(c, '2026-09')).makeupsLeft).toBe(1);
      expect((await points().balance(c)).balance).toBe(100 + 5 - 60);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('days before the customer joined were not missed: the calendar says where they start, and none of them is made up', async () => {
    try {
      at('2026-10-20T09:00:00+08:00');
      const c = await customerSession(bff);
      await points().earn(c.id, 100, `makeup-joined-${c.id}`, '活动奖励');
      at('2026-10-22T09:00:00+08:00');
      const token = await tokenFor(c.openid);
      const calendar = await bff.call('getCheckinCalendar', {}, { token });
      expect(calendar.body).toMatchObject({ firstDay: '2026-10-20', today: '2026-10-22' });
      const before = await bff.call('makeUpCheckin', { body: { day: '2026-10-19' } }, { token });
      expect([before.status, before.body.code, before.body.message]).toEqual([422, 'CHECKIN_MAKEUP_NOT_ALLOWED', '注册前的日期不能补签']);
      expect((await bff.call('makeUpCheckin', { body: { day: '2026-10-21' } }, { token })).status).toBe(200);
      expect((await points().balance(c.id)).balance).toBe(100 - 20);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('without enough points nothing is made up', async () => {
    const c = 'cust-makeup-3';
    try {
      at('2026-10-20T09:00:00+08:00');
      await expect(svc().makeUp(c, '2026-10-05')).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
      expect((await svc().calendar(c)).days).toEqual([]);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('racing for the last make-up: one wins, the other’s price comes back once, the books balance', async () => {
    const c = 'cust-makeup-4';
    try {
      await points().earn(c, 100, 'makeup-4-seed', '测试积分');
      at('2026-10-20T09:00:00+08:00');
      await svc().makeUp(c, '2026-10-01');
      const results = await Promise.allSettled(['2026-10-05', '2026-10-06', '2026-10-07'].map((d) => svc().makeUp(c, d)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(r.reason.code).toBe('CHECKIN_MAKEUP_LIMIT');
      expect((await points().balance(c)).balance).toBe(100 - 40);
      expect(await points().check(c)).toEqual([]);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('after a failed make-up was refunded, the next make-up of that day pays its price again', async () => {
    const c = 'cust-makeup-5';
    try {
      await points().earn(c, 100, 'makeup-5-seed', '测试积分');
      at('2026-10-20T09:00:00+08:00');
      faults.arm('checkin:before-makeup', 'error');
      await expect(svc().makeUp(c, '2026-10-05')).rejects.toThrow('injected failure');
      expect((await points().balance(c)).balance).toBe(100);
      expect(await svc().makeUp(c, '2026-10-05')).toMatchObject({ duplicate: false });
      expect((await points().balance(c)).balance).toBe(80);
      expect(await points().check(c)).toEqual([]);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('a crash after the fee and before the make-up: the retry finishes it with the fee already paid', async () => {
    const c = 'cust-makeup-6';
    try {
      await points().earn(c, 100, 'makeup-6-seed', '测试积分');
      at('2026-10-20T09:00:00+08:00');
      faults.arm('checkin:before-makeup', 'crash');
      await expect(svc().makeUp(c, '2026-10-05')).rejects.toThrow('crash');
      expect((await points().balance(c)).balance).toBe(80);
      expect(await svc().makeUp(c, '2026-10-05')).toMatchObject({ duplicate: false });
      expect((await points().balance(c)).balance).toBe(80);
      expect((await svc().calendar(c)).days).toEqual([{ day: '2026-10-05', makeup: true, points: 0 }]);
    } finally {
      bff.clock.set(new Date());
    }
  });

  test('POST /api/v1/me/checkins/makeup validates the day', async () => {
    const s = await customerSession(bff);
    const res = await bff.request('POST', '/api/v1/me/checkins/makeup', { token: s.token, body: { day: '2026-02-30' } });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('body.day');
  });
});
