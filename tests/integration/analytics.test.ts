import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { parseCsv } from '../../bff/src/platform/csv';
import { drainFeed } from '../helpers/feed';
import { createMarks } from '../../bff/src/analytics/marks';
import { EventName } from '../../shared/events';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  bff = await startBff('analytics');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const ago = (s: number) => new Date(bff.clock.now().getTime() - s * 1000).toISOString();
const event = (type: string, activityId: string, at: string) => ({ id: randomUUID(), type, clientTime: at, page: 'packages/activity/detail/index', activityId });

describe('activity analytics', () => {
  test('the funnel, the trend and the experiment come out of the events exactly, with the known lift inside the interval', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { controlGroupPercent: 50 }));
    const customers = await Promise.all(Array.from({ length: 160 }, () => customerSession(bff)));
    const treatment: typeof customers = [];
    const control: typeof customers = [];
    for (const c of customers) {
      const list = await bff.call('listMyActivities', {}, { token: c.token });
      (list.body.items.some((a: { id: string }) => a.id === activityId) ? treatment : control).push(c);
    }
    expect(treatment.length).toBeGreaterThan(40);
    expect(control.length).toBeGreaterThan(40);

    // Every treatment customer sees it; 3 in 5 click a minute later; 2 in 5 join (which pays the reward) a minute after that.
    const sent: Record<string, unknown[]> = {};
    for (const [i, c] of treatment.entries()) {
      const events = [event('impression', activityId, ago(180))];
      if (i % 5 < 3) events.push(event('click', activityId, ago(120)));
      if (i % 5 < 2) events.push(event('join', activityId, ago(60)));
      sent[c.id] = events;
      expect((await bff.call('trackEvents', { body: { events } }, { token: c.token })).body.accepted).toBe(events.length);
      if (i % 5 < 2) expect((await bff.call('joinActivity', { params: { id: activityId } }, { token: c.token })).status).toBe(200);
    }
    // The bank reports purchases: 2 in 5 of the treatment group, 1 in 5 of the control group (true difference 0.2).
    const buy = (c: { id: string }) =>
      bankRequest(bff, '/bank/conversions', {
        eventId: `buy-${randomUUID()}`,
        kind: 'product_bought',
        occurredAt: bff.clock.now().toISOString(),
        customerId: c.id,
        productCode: 'WM-001',
        amountYuan: 50000,
      });
    for (const [i, c] of treatment.entries()) if (i % 5 < 2) expect((await buy(c)).status).toBe(200);
    for (const [i, c] of control.entries()) if (i % 5 < 1) expect((await buy(c)).status).toBe(200);
    // A resent batch and a repeated report change nothing.
    await bff.request('POST', '/api/v1/events', { token: treatment[0].token, body: { events: sent[treatment[0].id] } });

    const count = (list: unknown[], every: number, under: number) => list.filter((_, i) => i % every < under).length;
    // The marks are kept by the event feed's worker, after the events were answered.
    await drainFeed(bff);
    const res = await bff.call('getActivityAnalytics', { params: { id: activityId }, query: { conversion: 'product_bought' } }, { token: tokens.reviewer });
    expect(res.status).toBe(200);
    const funnel = Object.fromEntries(res.body.funnel.map((f: { step: string }) => [f.step, f]));
    expect(funnel.impression.customers).toBe(treatment.length);
    expect(funnel.click.customers).toBe(count(treatment, 5, 3));
    expect(funnel.participate.customers).toBe(count(treatment, 5, 2));
    expect(funnel.reward.customers).toBe(count(treatment, 5, 2));
    expect(funnel.convert.customers).toBe(count(treatment, 5, 2));
    expect(funnel.click.medianSecondsFromPrevious).toBe(60);
    expect(funnel.participate.medianSecondsFromPrevious).toBe(60);
    expect(funnel.click.dropOff).toBeCloseTo(1 - count(treatment, 5, 3) / treatment.length, 4);

    const { experiment } = res.body;
    expect(experiment.assigned).toEqual({ customers: treatment.length, converted: count(treatment, 5, 2), rate: expect.any(Number) });
    expect(experiment.reached).toEqual(experiment.assigned);
    expect(experiment.control).toEqual({ customers: control.length, converted: count(control, 5, 1), rate: expect.any(Number) });
    expect(experiment).toMatchObject({ controlGroupPercent: 50, noControlReason: null, significant: expect.any(Boolean) });
    expect(experiment.participants).toEqual({ customers: count(treatment, 5, 2), converted: count(treatment, 5, 2), rate: 1 });
    expect(experiment.method).toBe('newcombe-hybrid-score');
    expect(experiment.ci95.low).toBeLessThan(0.2);
    expect(experiment.ci95.high).toBeGreaterThan(0.2);
    expect(experiment.difference).toBeCloseTo(count(treatment, 5, 2) / treatment.length - count(control, 5, 1) / control.length, 5);
    expect(res.body.trend).toHaveLength(1);
    expect(res.body.trend[0]).toMatchObject({ impression: treatment.length, click: count(treatment, 5, 3) });

    // The aggregate equals a recount of the raw events.
    const check = await bff.call('checkActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin });
    expect(check.body).toMatchObject({ consistent: true, trend: [] });
    expect(check.body.steps.find((s: { step: string }) => s.step === 'impression').recount).toBe(treatment.length);

    const csv = await bff.call('exportActivityAnalytics', { params: { id: activityId }, query: { table: 'experiment', conversion: 'product_bought' } }, { token: tokens.admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const pct = (share: number) => String(Math.round(share * 1000) / 10);
    const rows = parseCsv(String(csv.body));
    expect(rows).toContainEqual(['实验组（已分组，含未触达）', String(treatment.length), String(count(treatment, 5, 2)), pct(experiment.assigned.rate)]);
    expect(rows).toContainEqual(['对照组', String(control.length), String(count(control, 5, 1)), pct(experiment.control.rate)]);
    const difference = parseCsv(
      String(
        (await bff.call('exportActivityAnalytics', { params: { id: activityId }, query: { table: 'difference', conversion: 'product_bought' } }, { token: tokens.admin })).body,
      ),
    );
    expect(difference).toEqual([
      ['比较', '转化率差（百分点）', '95% 置信区间下限（百分点）', '95% 置信区间上限（百分点）', '是否显著'],
      ['实验组（已分组，含未触达） − 对照组', pct(experiment.difference), pct(experiment.ci95.low), pct(experiment.ci95.high), experiment.significant ? '显著' : '不显著'],
    ]);
  });

  test('shared-link arrivals: the funnel is over sets of customers, those who came another way are named, drop-off is never negative, K-factor counts every sharer; no control group, no interval', async () => {
    // An invite activity with no control group: every customer aimed at is assigned to the activity.
    const activityId = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'invite',
        title: '邀请好友注册',
        rules: '每邀请一位好友注册得 100 积分，每人最多邀请 3 位。',
        reward: { kind: 'points', amount: 100 },
        settings: { qualifyingAction: 'register', maxInvitesPerCustomer: 3 },
      }),
    );
    const T = bff.clock.now().getTime();
    const at = (seconds: number) => new Date(T + seconds * 1000).toISOString();
    const send = async (c: { token: string }, events: unknown[]) =>
      expect((await bff.request('POST', '/api/v1/events', { token: c.token, body: { events } })).body.accepted).toBe(events.length);

    // Five sharers S1–S5 and three viewers V1–V3 open the app (which assigns them) and see the card.
    const [S1, S2, S3, S4, S5, V1, V2, V3] = await Promise.all(Array.from({ length: 8 }, () => customerSession(bff)));
    for (const c of [S1, S2, S3, S4, S5, V1, V2, V3]) expect((await bff.call('listMyActivities', {}, { token: c.token })).status).toBe(200);
    const scenes = new Map<string, string>();
    for (const c of [S1, S2, S3, S4, S5]) {
      const share = await bff.call('createMyShare', { body: { activityId } }, { token: c.token });
      expect(share.status).toBe(200);
      scenes.set(c.id, share.body.scene);
    }
    // Impressions at T−900 s (all eight); clicks 60 s later (S1–S5, V1); S1–S3 join 120 s after that.
    for (const c of [S1, S2, S3, S4, S5, V1, V2, V3]) await send(c, [event('impression', activityId, at(-900))]);
    for (const c of [S1, S2, S3, S4, S5, V1]) await send(c, [event('click', activityId, at(-840))]);
    for (const c of [S1, S2, S3]) await send(c, [event('join', activityId, at(-720))]);

    // Friends arrive at T through the shared links (F1, F2 from S1; F3 from S2; F4 from S3): each
    // qualifies on registering, which pays the inviter (S1 twice, S2, S3) at T. They open the
    // activity from the link (assigned there), never having seen its card.
    // They register a millisecond after the sharers (attribution runs from earlier customers to later ones), and arrive at T.
    bff.clock.advance(1);
    const [F1, F2, F3, F4] = await Promise.all(Array.from({ length: 4 }, () => customerSession(bff)));
    bff.clock.set(new Date(T));
    for (const [friend, sharer] of [
      [F1, S1],
      [F2, S1],
      [F3, S2],
      [F4, S3],
    ] as const) {
      expect((await bff.request('POST', '/api/v1/me/arrival', { token: friend.token, body: { scene: scenes.get(sharer.id) } })).body.attributed).toBe(true);
      expect((await bff.call('getMyActivity', { params: { id: activityId } }, { token: friend.token })).status).toBe(200);
    }
    bff.clock.advance(600_000);
    // F4 clicks the join button at T+60 s; all four join at T+120 s, without any impression.
    await send(F4, [event('click', activityId, at(60))]);
    for (const c of [F1, F2, F3, F4]) await send(c, [event('join', activityId, at(120))]);
    // At T+600 s the bank reports purchases by F1, F2 (arrived by link), S1 (rewarded) and V2 (only saw the card).
    for (const c of [F1, F2, S1, V2]) {
      expect(
        (
          await bankRequest(bff, '/bank/conversions', {
            eventId: `buy-${randomUUID()}`,
            kind: 'product_bought',
            occurredAt: at(600),
            customerId: c.id,
            productCode: 'WM-002',
            amountYuan: 20000,
          })
        ).status,
      ).toBe(200);
    }

    // The marks are kept by the event feed's worker, after the events were answered.
    await drainFeed(bff);
    const res = await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: tokens.reviewer });
    expect(res.status).toBe(200);
    // By hand, each step counting those who reached it and every earlier one, the rest named apart:
    //   曝光 {S1–S5, V1–V3} = 8
    //   点击 {S1–S5, V1} = 6; F4 another way; lost {V2, V3}: 2/8 = 0.25; gaps 60 s ×6 → 60
    //   参与 {S1–S3} = 3; F1–F4 another way (F4 clicked, but saw no card); lost {S4, S5, V1}: 3/6 = 0.5; gaps 120 s → 120
    //   获奖励 {S1–S3} = 3; none another way; lost none; gaps 720 s ×3 → 720
    //   转化 {S1} = 1; F1, F2, V2 another way; lost {S2, S3}: 2/3 = 0.6667; gap 600 s → 600
    expect(res.body.funnel).toEqual([
      { step: 'impression', customers: 8, reachedOtherWay: null, dropOff: null, medianSecondsFromPrevious: null },
      { step: 'click', customers: 6, reachedOtherWay: 1, dropOff: 0.25, medianSecondsFromPrevious: 60 },
      { step: 'participate', customers: 3, reachedOtherWay: 4, dropOff: 0.5, medianSecondsFromPrevious: 120 },
      { step: 'reward', customers: 3, reachedOtherWay: 0, dropOff: 0, medianSecondsFromPrevious: 720 },
      { step: 'convert', customers: 1, reachedOtherWay: 3, dropOff: 0.6667, medianSecondsFromPrevious: 600 },
    ]);

    // Assigned: all 12 (S1–S5, V1–V3, F1–F4), 4 converted; reached (an impression): S1–S5, V1–V3, of whom S1 and V2 converted.
    // Participants (S1–S3, F1–F4): 3 of 7 converted.
    // No control group: no difference, no interval, and the reason.
    expect(res.body.experiment).toEqual({
      conversion: 'any',
      controlGroupPercent: 0,
      assigned: { customers: 12, converted: 4, rate: 0.333333 },
      reached: { customers: 8, converted: 2, rate: 0.25 },
      control: null,
      noControlReason: 'not_configured',
      participants: { customers: 7, converted: 3, rate: 0.428571 },
      difference: null,
      ci95: null,
      method: 'newcombe-hybrid-score',
      relativeLift: null,
      significant: false,
    });
    // K-factor: 4 qualified friends ÷ 5 sharers = 0.8 (the old ÷ inviters-with-a-friend gave 4 ÷ 3 = 1.33).
    expect(res.body.referral).toEqual({ kFactor: 0.8, sharers: 5, inviters: 3, qualified: 4 });
    const stats = await bff.call('getInviteStats', { params: { id: activityId } }, { token: tokens.admin });
    expect(stats.body).toMatchObject({ invites: 4, qualified: 4, sharers: 5, inviters: 3, kFactor: 0.8 });

    const check = await bff.call('checkActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin });
    expect(check.body.consistent).toBe(true);
    expect(
      check.body.steps.map((s: { step: string; recount: number; reachedOtherWay: { recount: number } | null }) => [s.step, s.recount, s.reachedOtherWay?.recount ?? null]),
    ).toEqual([
      ['impression', 8, null],
      ['click', 6, 1],
      ['participate', 3, 4],
      ['reward', 3, 0],
      ['convert', 1, 3],
    ]);

    const csv = async (table: 'funnel' | 'experiment' | 'referral') =>
      parseCsv(String((await bff.call('exportActivityAnalytics', { params: { id: activityId }, query: { table } }, { token: tokens.admin })).body));
    expect(await csv('funnel')).toContainEqual(['参与', '3', '50', '120', '4']);
    expect(await csv('funnel')).toContainEqual(['转化', '1', '66.7', '600', '3']);
    expect(await csv('experiment')).toEqual([
      ['人群', '客户数（人）', '转化客户数（人）', '转化率（%）'],
      ['实验组（已分组，含未触达）', '12', '4', '33.3'],
      ['其中已触达（有曝光）', '8', '2', '25'],
      ['对照组', '未设对照组：活动未设置对照比例（0%）', '', ''],
      ['参与者（自选，仅供参考）', '7', '3', '42.9'],
    ]);
    expect(await csv('referral')).toEqual([
      ['分享人（人）', '其中有达标好友（人）', '达标好友（人）', 'K 因子（达标好友 ÷ 分享人）'],
      ['5', '3', '4', '0.8'],
    ]);
  });

  test('the funnel nests (a customer counts at a step only after every earlier one), 触达 counts the reached, not the assigned; each CSV is one table', async () => {
    // No control group. A sees the card, clicks, joins (paid) and buys; B never sees it but joins by a
    // link (paid) and buys; C is assigned and never reached; D only sees it.
    const activityId = await publishActivity(bff, tokens, activityInput(bff));
    const [A, B, C, D] = await Promise.all(Array.from({ length: 4 }, () => customerSession(bff)));
    for (const c of [A, B, C, D]) expect((await bff.call('listMyActivities', {}, { token: c.token })).status).toBe(200);
    const send = async (c: { token: string }, events: unknown[]) =>
      expect((await bff.request('POST', '/api/v1/events', { token: c.token, body: { events } })).body.accepted).toBe(events.length);
    await send(A, [event('impression', activityId, ago(300)), event('click', activityId, ago(240)), event('join', activityId, ago(180))]);
    await send(B, [event('join', activityId, ago(180))]);
    await send(D, [event('impression', activityId, ago(300))]);
    for (const c of [A, B]) expect((await bff.call('joinActivity', { params: { id: activityId } }, { token: c.token })).status).toBe(200);
    for (const c of [A, B]) {
      const bought = await bankRequest(bff, '/bank/conversions', {
        eventId: `buy-${randomUUID()}`,
        kind: 'product_bought',
        occurredAt: bff.clock.now().toISOString(),
        customerId: c.id,
        productCode: 'WM-003',
        amountYuan: 10000,
      });
      expect(bought.status).toBe(200);
    }
    await drainFeed(bff);

    const res = await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin });
    expect(res.status).toBe(200);
    // 曝光 {A, D}; every later step {A}: B reached 参与, 获奖励 and 转化 without an impression, so is named apart.
    expect(
      res.body.funnel.map((f: { step: string; customers: number; reachedOtherWay: number | null; dropOff: number | null }) => [f.step, f.customers, f.reachedOtherWay, f.dropOff]),
    ).toEqual([
      ['impression', 2, null, null],
      ['click', 1, 0, 0.5],
      ['participate', 1, 1, 0],
      ['reward', 1, 1, 0],
      ['convert', 1, 1, 0],
    ]);
    for (const [i, f] of res.body.funnel.entries()) if (i > 0) expect(f.customers).toBeLessThanOrEqual(res.body.funnel[i - 1].customers);
    // 触达 is the assigned customers with an impression (A, D), apart from the four assigned.
    expect(res.body.experiment).toMatchObject({
      assigned: { customers: 4, converted: 2, rate: 0.5 },
      reached: { customers: 2, converted: 1, rate: 0.5 },
      control: null,
      noControlReason: 'not_configured',
      difference: null,
      ci95: null,
    });
    expect((await bff.call('checkActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin })).body.consistent).toBe(true);

    const csv = async (table: 'funnel' | 'trend' | 'experiment' | 'difference') =>
      parseCsv(String((await bff.call('exportActivityAnalytics', { params: { id: activityId }, query: { table } }, { token: tokens.admin })).body));
    const funnel = await csv('funnel');
    expect(funnel).toEqual([
      ['环节', '客户数（人）', '流失率（%）', '距上一环节中位时长（秒）', '经其他途径到达（人，不计入漏斗）'],
      ['曝光', '2', '', '', ''],
      ['点击', '1', '50', '60', '0'],
      ['参与', '1', '0', '60', '1'],
      ['获奖励', '1', '0', expect.any(String), '1'],
      ['转化', '1', '0', expect.any(String), '1'],
    ]);
    const experiment = await csv('experiment');
    expect(experiment[0]).toEqual(['人群', '客户数（人）', '转化客户数（人）', '转化率（%）']);
    expect(experiment).toContainEqual(['实验组（已分组，含未触达）', '4', '2', '50']);
    expect(experiment).toContainEqual(['其中已触达（有曝光）', '2', '1', '50']);
    expect(experiment).toContainEqual(['对照组', '未设对照组：活动未设置对照比例（0%）', '', '']);
    // One table per file: every row has the header's width.
    for (const table of ['funnel', 'trend', 'experiment', 'difference'] as const) {
      const rows = await csv(table);
      for (const row of rows) expect(row).toHaveLength(rows[0].length);
    }
    expect(await csv('difference')).toEqual([
      ['比较', '转化率差（百分点）', '95% 置信区间下限（百分点）', '95% 置信区间上限（百分点）', '是否显著'],
      ['实验组（已分组，含未触达） − 对照组', '未设对照组：活动未设置对照比例（0%）', '', '', ''],
    ]);
  });

  // Found by the 活动效果 e2e: a bank conversion observed before the customer's assignment (which comes through the outbox) was never counted.
  test('a conversion observed before the assignment that precedes it still counts, once, whatever the order the feed brings them in', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff));
    const c = await customerSession(bff);
    // A second set of marks on the same database: another BFF process's worker, fed in the order that lost the conversion.
    const marks = createMarks({ db: bff.db, clock: bff.clock, controlOf: async () => false });
    const endAt = new Date(bff.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const conversion = {
      id: `conversion:late-${randomUUID()}`,
      source: 'bank' as const,
      name: 'conversion.product_bought',
      occurredAt: ago(60),
      recordedAt: ago(59),
      customerId: c.id,
      data: { kind: 'product_bought', activityId: null },
    };
    const assigned = {
      id: randomUUID(),
      source: 'domain' as const,
      name: EventName.ACTIVITY_ARMS_ASSIGNED,
      occurredAt: ago(120),
      recordedAt: ago(30),
      customerId: c.id,
      data: { arms: [{ activityId, endAt, control: false }] },
    };
    const converted = async () => (await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin })).body.experiment.assigned;
    await marks.observe([conversion]);
    await marks.observe([assigned]);
    expect(await converted()).toMatchObject({ customers: 1, converted: 1 });
    // Delivered again, both: nothing counts twice.
    await marks.observe([conversion]);
    await marks.observe([assigned]);
    expect(await converted()).toMatchObject({ customers: 1, converted: 1 });
    // A conversion before the assignment is not the activity's.
    const early = await customerSession(bff);
    await marks.observe([{ ...conversion, id: `conversion:early-${randomUUID()}`, customerId: early.id, occurredAt: ago(300) }]);
    await marks.observe([{ ...assigned, id: randomUUID(), customerId: early.id }]);
    expect(await converted()).toMatchObject({ customers: 2, converted: 1 });
  });

  test('an event id resent with other content is refused (EVENT_ID_CONFLICT) and every figure still counts the stored event', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff));
    const c = await customerSession(bff);
    await bff.call('listMyActivities', {}, { token: c.token });
    const first = event('impression', activityId, ago(120));
    expect((await bff.call('trackEvents', { body: { events: [first] } }, { token: c.token })).body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    // The same id as a join, and as an impression two days earlier (another day in the trend): each refused alone.
    const changed = [
      { ...first, type: 'join' },
      { ...first, clientTime: ago(2 * 86_400) },
    ];
    const resent = await bff.call('trackEvents', { body: { events: [...changed, first] } }, { token: c.token });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(resent.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    for (const r of resent.body.rejected) expect(JSON.stringify(r)).toContain('EVENT_ID_CONFLICT');

    // The marks are kept by the event feed's worker, after the events were answered.
    await drainFeed(bff);
    const res = await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin });
    expect(res.body.funnel.map((f: { customers: number }) => f.customers)).toEqual([1, 0, 0, 0, 0]);
    expect(res.body.trend).toEqual([{ day: expect.any(String), impression: 1, click: 0, participate: 0, reward: 0, convert: 0 }]);
    expect(res.body.experiment.participants.customers).toBe(0);
    const check = await bff.call('checkActivityAnalytics', { params: { id: activityId } }, { token: tokens.admin });
    expect(check.body).toMatchObject({ consistent: true, trend: [] });
  });

  test('only staff who may see the activity read its analytics', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: 'org-gz' }));
    const rm = await staffToken(bff, 'rm');
    expect((await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: rm })).status).toBe(403);
    const c = await customerSession(bff);
    expect((await bff.call('getActivityAnalytics', { params: { id: activityId } }, { token: c.token })).status).toBe(403);
    expect((await bff.call('getActivityAnalytics', { params: { id: 'nope' } }, { token: tokens.admin })).status).toBe(404);
    expect((await bff.request('GET', `/api/v1/admin/activities/${activityId}/analytics?conversion=lottery`, { token: tokens.admin })).status).toBe(400);
  });
});
