import { randomUUID } from 'node:crypto';
import { triggerInput as sharedTriggerInput } from '../helpers/triggers';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, seedDemoBank, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { armedFaults } from '../helpers/faults';
import { drainFeed } from '../helpers/feed';

let bff: TestBff;
let tokens: { admin: string; reviewer: string };
const faults = armedFaults();

beforeAll(async () => {
  bff = await startBff('triggers', { env: { TRIGGER_DAILY_CAP: '2' }, faults });
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
  return sharedTriggerInput(bff, { conditions: [{ field: 'amountYuan', op: 'gte', value: 5000 }], ...overrides });
}

async function publishTrigger(input: Record<string, unknown>): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/triggers', { token: tokens.admin, body: input });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  expect((await bff.call('submitTrigger', { params: { id: created.body.id } }, { token: tokens.admin })).status).toBe(200);
  // The maker cannot approve their own trigger.
  expect((await bff.call('approveTrigger', { params: { id: created.body.id }, body: {} }, { token: tokens.admin })).status).toBe(403);
  const approved = await bff.call('approveTrigger', { params: { id: created.body.id }, body: {} }, { token: tokens.reviewer });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
  return created.body.id;
}

const salary = (customerId: string, amountYuan: number, occurredAt = iso(0)) =>
  bankRequest(bff, '/bank/conversions', { eventId: `sal-${randomUUID()}`, kind: 'salary_credited', occurredAt, customerId, amountYuan });
const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;
// Triggers act from the event feed's worker, after the event was answered: each test lets it run before looking.
const reacted = () => drainFeed(bff);
const offers = async (token: string) => (await bff.call('listMyOffers', {}, { token })).body.items as { id: string; triggerId: string; kind: string; activityId: string | null }[];

describe('event-triggered marketing', () => {
  test('a bank event fires once per customer, within its window and conditions, never for opted-out customers', async () => {
    const triggerId = await publishTrigger(triggerInput());
    const [paid, small, late, optedOut, racer] = await Promise.all(Array.from({ length: 5 }, () => customerSession(bff)));
    const before = await balance(paid.token);

    expect((await salary(paid.id, 8000)).status).toBe(200);
    await reacted();
    expect(await balance(paid.token)).toBe(before + 50);
    expect((await offers(paid.token)).map((o) => o.triggerId)).toEqual([triggerId]);
    // A second salary the same week pays nothing more: once per trigger and customer.
    await salary(paid.id, 9000);
    await reacted();
    expect(await balance(paid.token)).toBe(before + 50);

    await salary(small.id, 3000);
    await salary(late.id, 8000, iso(-2 * HOUR));
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: optedOut.token })).status).toBe(200);
    await salary(optedOut.id, 8000);
    await reacted();
    for (const c of [small, late, optedOut]) {
      expect(await balance(c.token)).toBe(before);
      expect(await offers(c.token)).toEqual([]);
    }

    // Five reports racing for one customer fire once.
    await Promise.all(Array.from({ length: 5 }, () => salary(racer.id, 6000)));
    await reacted();
    expect(await balance(racer.token)).toBe(before + 50);
    expect(await offers(racer.token)).toHaveLength(1);

    const stats = await bff.call('getTriggerStats', { params: { id: triggerId } }, { token: tokens.reviewer });
    expect(stats.body).toEqual({ triggerId, fired: 2, capped: 0, withheld: 0, budgetExhausted: 0 });
  });

  test('an app event with tag conditions offers an activity; 不感兴趣 stops it; the daily cap holds; a message is sent once', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff));
    const click = (page: string, slot: string) => ({ id: randomUUID(), type: 'click', clientTime: iso(0), page, props: { slot } });
    const offerTrigger = await publishTrigger(
      triggerInput({
        name: '浏览理财推荐直播',
        description: '看过理财频道的客户推荐直播活动',
        event: { source: 'app', name: 'click' },
        conditions: [{ field: 'props.slot', op: 'in', value: ['wealth', 'fund'] }],
        action: { kind: 'activity', activityId },
      }),
    );
    const messageTrigger = await publishTrigger(
      triggerInput({
        name: '理财提醒',
        description: '发送理财直播订阅消息',
        event: { source: 'app', name: 'click' },
        conditions: [{ field: 'props.slot', op: 'eq', value: 'wealth' }],
        action: { kind: 'message', templateId: 'TPL_LIVE', page: 'pages/index/index', data: { thing1: '理财直播', time2: '今晚 8 点' } },
      }),
    );
    const thirdTrigger = await publishTrigger(
      triggerInput({
        name: '浏览送积分',
        description: '浏览理财频道送 10 积分',
        event: { source: 'app', name: 'click' },
        conditions: [],
        action: { kind: 'reward', reward: { kind: 'points', amount: 10 }, budget: { maxRewards: 100 } },
      }),
    );

    const c = await customerSession(bff);
    await bff.call('trackEvents', { body: { events: [click('pages/index/index', 'mall')] } }, { token: c.token });
    await reacted();
    // 'mall' only matches the third trigger.
    expect((await offers(c.token)).map((o) => o.triggerId)).toEqual([thirdTrigger]);
    await bff.call('trackEvents', { body: { events: [click('pages/wealth/index', 'wealth'), click('pages/wealth/index', 'wealth')] } }, { token: c.token });
    await reacted();
    // Two of the three match again, but the cap is two a day: one more.
    const mine = await offers(c.token);
    expect(mine).toHaveLength(2);
    const stats = await Promise.all([offerTrigger, messageTrigger].map(async (id) => (await bff.call('getTriggerStats', { params: { id } }, { token: tokens.admin })).body));
    expect(stats.map((s) => s.fired).sort()).toEqual([0, 1]);
    expect(stats.map((s) => s.capped).sort()).toEqual([0, 1]);

    // Another customer gets the activity offer and the message, each once, and then says 不感兴趣.
    const d = await customerSession(bff);
    await bff.call('trackEvents', { body: { events: [click('pages/wealth/index', 'fund')] } }, { token: d.token });
    await reacted();
    const dOffers = await offers(d.token);
    const offered = dOffers.find((o) => o.triggerId === offerTrigger)!;
    expect(offered).toMatchObject({ kind: 'activity', activityId });
    expect((await bff.call('dismissMyOffer', { params: { id: offered.id }, body: {} }, { token: d.token })).status).toBe(204);
    expect((await offers(d.token)).map((o) => o.triggerId)).not.toContain(offerTrigger);
    expect((await bff.call('dismissMyOffer', { params: { id: offered.id }, body: {} }, { token: c.token })).status).toBe(404);

    const e = await customerSession(bff);
    await bff.call('trackEvents', { body: { events: [click('pages/wealth/index', 'wealth')] } }, { token: e.token });
    await reacted();
    await bff.call('trackEvents', { body: { events: [click('pages/wealth/index', 'wealth')] } }, { token: e.token });
    await reacted();
    const sent = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${e.openid}`)).json();
    const fromTrigger = (await offers(e.token)).filter((o) => o.triggerId === messageTrigger);
    expect(sent.items).toHaveLength(fromTrigger.length);
    expect(sent.items.length).toBeLessThanOrEqual(1);
  });

  test('a trigger offering an unpublished activity, or with bad conditions, is refused', async () => {
    const bad = await bff.request('POST', '/api/v1/admin/triggers', {
      token: tokens.admin,
      body: triggerInput({ conditions: [{ field: 'amountYuan', op: 'gte', value: 'lots' }] }),
    });
    expect(bad.status).toBe(422);
    const created = await bff.request('POST', '/api/v1/admin/triggers', {
      token: tokens.admin,
      body: triggerInput({ action: { kind: 'activity', activityId: 'no-such-activity' } }),
    });
    expect(created.status).toBe(201);
    const submitted = await bff.call('submitTrigger', { params: { id: created.body.id } }, { token: tokens.admin });
    expect(submitted.status).toBe(422);
  });
});

describe('opt-out and 不感兴趣 are honoured at the moment of acting (PIPL art. 24)', () => {
  type Session = { id: string; token: string; openid: string };
  // Bank reports none of the rules above listens to, one per rule here, so each report fires exactly one trigger.
  const report = (kind: string, c: Session) =>
    bankRequest(bff, '/bank/conversions', { eventId: `${kind}-${randomUUID()}`, kind, occurredAt: iso(0), customerId: c.id, amountYuan: 20_000 });
  const personalise = async (c: Session, personalized: boolean) => expect((await bff.call('setMyPreferences', { body: { personalized } }, { token: c.token })).status).toBe(200);
  const messagesTo = async (c: Session, templateId: string) =>
    (await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${c.openid}`)).json()).items.filter((m: { template_id: string }) => m.template_id === templateId);
  const stats = async (id: string) => (await bff.call('getTriggerStats', { params: { id } }, { token: tokens.reviewer })).body;
  /** The sweep, as every process runs it: a firing is left alone inside its lease, then finished or withheld. */
  async function sweepAfterLease() {
    await bff.app.services.maintenance.runOnce();
    bff.clock.advance(61_000);
    await bff.app.services.maintenance.runOnce();
  }

  const rules: Record<string, string> = {};
  beforeAll(async () => {
    const bank = (name: string) => ({ source: 'bank', name });
    rules.message = await publishTrigger(
      triggerInput({
        name: '存款到期提醒',
        description: '存款到期前推送续存提醒',
        event: bank('deposit_maturing'),
        conditions: [],
        action: { kind: 'message', templateId: 'TPL_DEPOSIT', page: 'pages/index/index', data: { thing1: '存款到期' } },
      }),
    );
    rules.reward = await publishTrigger(
      triggerInput({
        name: '资产提升送积分',
        description: '资产提升后送 30 积分',
        event: bank('aum_change'),
        conditions: [],
        action: { kind: 'reward', reward: { kind: 'points', amount: 30 }, budget: { maxRewards: 100 } },
      }),
    );
    rules.thanks = await publishTrigger(
      triggerInput({
        name: '购买理财送积分',
        description: '购买理财后送 5 积分',
        event: bank('product_bought'),
        conditions: [],
        action: { kind: 'reward', reward: { kind: 'points', amount: 5 }, budget: { maxRewards: 100 } },
      }),
    );
  });

  test('an offer made before opting out is hidden from 为您推荐 while it is off, and shows again once it is back on', async () => {
    const c = await customerSession(bff);
    expect((await report('product_bought', c)).status).toBe(200);
    await reacted();
    expect((await offers(c.token)).map((o) => o.triggerId)).toEqual([rules.thanks]);
    await personalise(c, false);
    expect(await offers(c.token)).toEqual([]);
    await personalise(c, true);
    expect((await offers(c.token)).map((o) => o.triggerId)).toEqual([rules.thanks]);
  });

  test('两个 不感兴趣 given at the same moment are both kept (an append each, not a rewrite of one document)', async () => {
    const c = await customerSession(bff);
    expect((await report('product_bought', c)).status).toBe(200);
    expect((await report('aum_change', c)).status).toBe(200);
    await reacted();
    const mine = await offers(c.token);
    expect(mine.map((o) => o.triggerId).sort()).toEqual([rules.thanks, rules.reward].sort());
    const answers = await Promise.all(mine.map((o) => bff.call('dismissMyOffer', { params: { id: o.id }, body: {} }, { token: c.token })));
    expect(answers.map((a) => a.status)).toEqual([204, 204]);
    expect(await offers(c.token)).toEqual([]);
  });

  test('firings a crash cut short: the sweep gives nothing to a customer who opted out or said 不感兴趣 meanwhile, and finishes the others', async () => {
    const [optedOut, dismisser, steady, halfOffered] = await Promise.all(Array.from({ length: 4 }, () => customerSession(bff)));
    const [messagesBefore, rewardsBefore] = [await stats(rules.message), await stats(rules.reward)];
    // The dismisser already has an offer, through which they can say 不感兴趣 to all triggered offers.
    expect((await report('product_bought', dismisser)).status).toBe(200);
    await reacted();
    const [earlier] = await offers(dismisser.token);
    const before = await balance(dismisser.token);

    // Each report is kept and answered; then the worker records the firing and its process dies before acting: no message, no points, no offer.
    for (const [kind, c] of [
      ['deposit_maturing', optedOut],
      ['deposit_maturing', steady],
      ['aum_change', dismisser],
    ] as const) {
      faults.arm('after:trigger.fired', 'crash');
      expect((await report(kind, c)).status).toBe(200);
      expect(await reacted()).toMatchObject({ failed: 1 });
    }
    // This one dies after its offer was written, before its points.
    faults.arm('after:trigger.offered', 'crash');
    expect((await report('aum_change', halfOffered)).status).toBe(200);
    expect(await reacted()).toMatchObject({ failed: 1 });
    expect((await offers(halfOffered.token)).map((o) => o.triggerId)).toEqual([rules.reward]);

    // Meanwhile: one switches personalised marketing off, one says 不感兴趣 to every triggered offer, one opts out after a half-made offer.
    await personalise(optedOut, false);
    expect((await bff.call('dismissMyOffer', { params: { id: earlier.id }, body: { hideAll: true } }, { token: dismisser.token })).status).toBe(204);
    await personalise(halfOffered, false);

    await sweepAfterLease();
    expect(await messagesTo(steady, 'TPL_DEPOSIT')).toHaveLength(1);
    expect(await messagesTo(optedOut, 'TPL_DEPOSIT')).toHaveLength(0);
    expect(await balance(dismisser.token)).toBe(before);
    expect(await balance(halfOffered.token)).toBe(0);
    expect(await stats(rules.message)).toMatchObject({ fired: messagesBefore.fired + 2, withheld: messagesBefore.withheld + 1 });
    expect(await stats(rules.reward)).toMatchObject({ fired: rewardsBefore.fired + 2, withheld: rewardsBefore.withheld + 2 });

    // Switching back on brings back nothing that was withheld, and a later sweep does not act on it.
    await personalise(optedOut, true);
    await personalise(halfOffered, true);
    expect(await offers(optedOut.token)).toEqual([]);
    expect(await offers(halfOffered.token)).toEqual([]);
    await sweepAfterLease();
    expect(await messagesTo(optedOut, 'TPL_DEPOSIT')).toHaveLength(0);
    expect(await balance(halfOffered.token)).toBe(0);
    expect(await bff.db.collection('trigger_pending').countDocuments({})).toBe(0);
  });

  test('livestream reminders: a service the customer asked for, sent despite a marketing opt-out, never after a deletion request', async () => {
    const now = bff.clock.now().getTime();
    const created = await bff.call(
      'createLivestream',
      {
        body: {
          code: `LS-${randomUUID().slice(0, 8)}`,
          type: 'livestream',
          orgUnitId: 'org-hq',
          title: '理财直播',
          host: '周敏',
          description: '理财产品有风险，投资需谨慎。',
          startAt: new Date(now + 5 * 60_000).toISOString(),
          endAt: new Date(now + HOUR).toISOString(),
          channel: { kind: 'channels', finderUserName: 'sphYuexiangBank', noticeId: 'n-1' },
          reminder: { templateId: 'TPL_LIVE_REMIND', leadMinutes: 10 },
        },
      },
      { token: tokens.admin },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await bff.call('submitLivestream', { params: { id } }, { token: tokens.admin })).status).toBe(200);
    expect((await bff.call('approveLivestream', { params: { id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    const [plain, optedOut, leaving] = await Promise.all(Array.from({ length: 3 }, () => customerSession(bff)));
    for (const c of [plain, optedOut, leaving]) expect((await bff.call('reserveLivestream', { params: { id }, body: { subscribed: true } }, { token: c.token })).status).toBe(200);
    await personalise(optedOut, false);
    expect((await bff.call('requestMyDataDeletion', {}, { token: leaving.token })).status).toBe(200);

    expect(await bff.app.services.capabilities.livestreams.reminders.run()).toBe(2);
    expect(await messagesTo(plain, 'TPL_LIVE_REMIND')).toHaveLength(1);
    expect(await messagesTo(optedOut, 'TPL_LIVE_REMIND')).toHaveLength(1);
    expect(await messagesTo(leaving, 'TPL_LIVE_REMIND')).toHaveLength(0);
    expect(await bff.app.services.capabilities.livestreams.reminders.run()).toBe(0);
  });
});

describe('a trigger whose reward budget is spent (issue 26, finding 22)', () => {
  test('the event is answered 200, the outcome recorded, and later sweeps (reminders included) run clean', async () => {
    const triggerId = await publishTrigger(
      triggerInput({
        name: '开户送积分',
        description: '开户后送 20 积分',
        event: { source: 'bank', name: 'open_account' },
        conditions: [],
        action: { kind: 'reward', reward: { kind: 'points', amount: 20 }, budget: { maxRewards: 1 } },
      }),
    );
    const [first, second, third] = await Promise.all(Array.from({ length: 3 }, () => customerSession(bff)));
    const opened = (c: { id: string }) => bankRequest(bff, '/bank/conversions', { eventId: `oa-${randomUUID()}`, kind: 'open_account', occurredAt: iso(0), customerId: c.id });
    expect((await opened(first)).status).toBe(200);
    await reacted();
    expect(await balance(first.token)).toBe(20);
    // The budget is spent: the report was kept, so it is answered as kept, and the outcome is on the books.
    for (const c of [second, third]) {
      const res = await opened(c);
      expect(res.status).toBe(200);
      await reacted();
      expect(await balance(c.token)).toBe(0);
      expect(await offers(c.token)).toEqual([]);
    }
    expect((await bff.call('getTriggerStats', { params: { id: triggerId } }, { token: tokens.reviewer })).body).toEqual({
      triggerId,
      fired: 3,
      capped: 0,
      withheld: 0,
      budgetExhausted: 2,
    });

    // A reminder due at the same time still goes, and no sweep fails on the spent budget.
    const now = bff.clock.now().getTime();
    const live = await bff.call(
      'createLivestream',
      {
        body: {
          code: `LS-${randomUUID().slice(0, 8)}`,
          type: 'livestream',
          orgUnitId: 'org-hq',
          title: '开户讲堂',
          host: '周敏',
          description: '开户流程讲解。',
          startAt: new Date(now + 5 * 60_000).toISOString(),
          endAt: new Date(now + HOUR).toISOString(),
          channel: { kind: 'channels', finderUserName: 'sphYuexiangBank', noticeId: 'n-2' },
          reminder: { templateId: 'TPL_BUDGET_REMIND', leadMinutes: 10 },
        },
      },
      { token: tokens.admin },
    );
    await bff.call('submitLivestream', { params: { id: live.body.id } }, { token: tokens.admin });
    await bff.call('approveLivestream', { params: { id: live.body.id }, body: {} }, { token: tokens.reviewer });
    expect((await bff.call('reserveLivestream', { params: { id: live.body.id }, body: { subscribed: true } }, { token: third.token })).status).toBe(200);
    bff.clock.advance(61_000);
    const done = await bff.app.services.maintenance.runOnce();
    // Each job reports what it did; a job that failed would report `{ failed: <why> }`.
    expect(done['triggers.firings']).toMatchObject({ failed: 0 });
    expect(done['livestreams.reminders']).toBe(1);
    const reminded = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/messages?touser=${third.openid}`)).json();
    expect(reminded.items.filter((m: { template_id: string }) => m.template_id === 'TPL_BUDGET_REMIND')).toHaveLength(1);
    expect(await bff.db.collection('trigger_pending').countDocuments({})).toBe(0);
  });
});

describe('the demo bank’s triggers', () => {
  test('npm start’s rules are live: a demo customer’s salary pays the thank-you once', async () => {
    const demo = await startBff('triggersdemo');
    try {
      await seedDemoBank(demo);
      const token = await customerToken(demo, 'o_demo_customer_01');
      const before = (await demo.call('getMyPoints', {}, { token })).body.balance;
      const report = () =>
        bankRequest(demo, '/bank/conversions', {
          eventId: `sal-${randomUUID()}`,
          kind: 'salary_credited',
          occurredAt: demo.clock.now().toISOString(),
          openid: 'o_demo_customer_01',
          amountYuan: 12000,
        });
      expect((await report()).status).toBe(200);
      expect((await report()).status).toBe(200);
      await drainFeed(demo);
      expect((await demo.call('getMyPoints', {}, { token })).body.balance).toBe(before + 50);
      expect((await demo.call('listMyOffers', {}, { token })).body.items.map((o: { title: string }) => o.title)).toEqual(['工资到账送积分']);
    } finally {
      await demo.stop();
    }
  });
});
