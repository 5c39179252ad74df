import { keyedPhoneHash } from '../../bff/src/customers';
import { createStaffAccount } from '../helpers/staff';
import { startBff, testConfig, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { wechatCode } from '../helpers/wechat';
import { letteredOptions } from '../../shared/contracts/quiz-bank';

let bff: TestBff;
let admin: string;
let reviewer: string;
/** The filters of every find this BFF sends, by collection (commands are monitored for this file only). */
const finds: { collection: string; filter: Record<string, unknown> }[] = [];
beforeAll(async () => {
  process.env.MONITOR_DB_COMMANDS = '1';
  bff = await startBff('targeting', { env: { DAILY_ACTIVITY_CAP: '3' } });
  delete process.env.MONITOR_DB_COMMANDS;
  bff.db.getClient().on('commandStarted', (e) => {
    if (e.commandName === 'find') finds.push({ collection: e.command.find, filter: e.command.filter ?? {} });
  });
  await seedDemo(bff);
  admin = await staffToken(bff, 'admin');
  reviewer = await staffToken(bff, 'reviewer');
});
afterAll(() => bff.stop());

const feed = async (token: string) => (await bff.call('listMyActivities', {}, { token })).body.items.map((a: { title: string }) => a.title);
const uploadTags = (items: unknown[]) => bff.request('POST', '/api/v1/admin/customer-tags', { token: admin, body: { items } });

describe('POST /api/v1/admin/customer-tags', () => {
  test('applies tags by customer id, openid or phone hash, reports unknown customers, and is idempotent', async () => {
    const c = await customerSession(bff);
    const items = [
      { customerId: c.id, tier: 'V3', interests: ['旅行'] },
      { openid: 'o_demo_customer_02', tier: 'V5', lists: ['vip-2026'] },
      // The keyed hash the bank and the BFF share (HMAC-SHA256 with PII_HASH_SECRET), not a plain SHA-256.
      { phoneHash: keyedPhoneHash(testConfig().piiHashSecret, '13812345678'), tier: 'V2' },
      { customerId: 'no-such-customer', tier: 'V1' },
    ];
    const first = await uploadTags(items);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ applied: 3, unchanged: 0, unknown: [{ row: 3, key: 'customerId:no-such-customer' }], dryRun: false });
    expect((await uploadTags(items)).body).toMatchObject({ applied: 0, unchanged: 3 });
    expect(await bff.db.collection('customer_tags').findOne({ _id: 'cust-demo-1' as never })).toMatchObject({ tier: 'V2' });
    const audit = await bff.app.services.audit.forTarget('customer_tags', 'bulk');
    expect(audit).toHaveLength(2);
  });

  test('a branch admin tags only their branch’s customers; others are reported as unknown', async () => {
    await createStaffAccount(bff, { username: 'gz.tagger', password: 'Guangzhou#9', role: 'admin', orgUnitId: 'org-gz', name: '标签' });
    const gz = await staffToken(bff, 'gz.tagger', 'Guangzhou#9');
    const res = await bff.call(
      'uploadCustomerTags',
      {
        body: {
          items: [
            { customerId: 'cust-demo-2', tags: ['广州客户'] },
            { customerId: 'cust-demo-1', tags: ['越权'] },
          ],
        },
      },
      { token: gz },
    );
    expect(res.body).toEqual({ applied: 1, unchanged: 0, unknown: [{ row: 1, key: 'customerId:cust-demo-1' }], dryRun: false });
    expect((await bff.db.collection('customer_tags').findOne({ _id: 'cust-demo-1' as never }))?.tags ?? []).not.toContain('越权');
  });

  test('a CSV upload with |-separated lists applies as its JSON twin does, and a bad cell is named by row and column', async () => {
    const c = await customerSession(bff);
    const csv = `\uFEFFcustomerId,tier,tags,lists\r\n${c.id},V4,高净值| 基金偏好 ,payroll-csv\r\nno-such-customer,V1,,\r\n`;
    const upload = (rawBody: string) => bff.call('uploadCustomerTagsCsv', { body: rawBody }, { token: admin });
    const res = await upload(csv);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ applied: 1, unchanged: 0, unknown: [{ row: 1, key: 'customerId:no-such-customer' }], dryRun: false });
    expect(await bff.db.collection('customer_tags').findOne({ _id: c.id as never })).toMatchObject({ tier: 'V4', tags: ['高净值', '基金偏好'] });
    expect(await bff.db.collection('list_members').countDocuments({ _id: `payroll-csv|${c.id}` as never })).toBe(1);
    expect((await upload(csv)).body).toMatchObject({ applied: 0, unchanged: 1 });

    const bad = await upload(`customerId,tier\n${c.id},V9\n`);
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('VALIDATION_RULE_FAILED');
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: 'body.items.0.tier' })]);
    expect((await bff.request('POST', '/api/v1/admin/customer-tags/csv', { token: admin, body: { items: [] } })).status).toBe(415);
    expect((await bff.call('uploadCustomerTagsCsv', { body: csv }, { token: reviewer })).status).toBe(403);
  });

  test('a dry run reports what the upload would change, row by row as the upload applies them, and saves nothing', async () => {
    const c = await customerSession(bff);
    const items = [
      { customerId: c.id, tier: 'V2', lists: ['dry-run-list'] },
      { customerId: c.id, tier: 'V2' },
      { customerId: 'no-such-customer', tier: 'V1' },
    ];
    const dry = await bff.request('POST', '/api/v1/admin/customer-tags?dryRun=true', { token: admin, body: { items } });
    expect(dry.body).toEqual({ applied: 1, unchanged: 1, unknown: [{ row: 2, key: 'customerId:no-such-customer' }], dryRun: true });
    expect((await bff.call('estimateAudience', { body: { expression: { list: 'dry-run-list' } } }, { token: admin })).body.matched).toBe(0);
    // The real upload does what the dry run said.
    expect((await uploadTags(items)).body).toEqual({ ...dry.body, dryRun: false });
  });

  test('a row naming the customer two ways is refused', async () => {
    const res = await uploadTags([{ customerId: 'a', openid: 'b', tier: 'V1' }]);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_RULE_FAILED');
  });
});

describe('targeting', () => {
  test('a tier expression reaches V2–V4 customers only; a named list reaches its members', async () => {
    const v3 = await customerSession(bff);
    const v1 = await customerSession(bff);
    const listed = await customerSession(bff);
    await uploadTags([
      { customerId: v3.id, tier: 'V3' },
      { customerId: v1.id, tier: 'V1' },
      { customerId: listed.id, tier: 'V1', lists: ['payroll-dec'] },
    ]);
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '中高端客户专享', targeting: { mode: 'tags', expression: { tier: ['V2', 'V3', 'V4'] } } }));
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '代发名单客户专享', targeting: { mode: 'tags', expression: { list: 'payroll-dec' } } }));
    finds.length = 0; // what the customers' requests below read
    expect(await feed(v3.token)).toContain('中高端客户专享');
    expect(await feed(v1.token)).not.toContain('中高端客户专享');
    expect(await feed(listed.token)).toEqual(expect.arrayContaining(['代发名单客户专享']));
    expect(await feed(v3.token)).not.toContain('代发名单客户专享');
    // Memberships are read from the customer's own stream of lists by _id (one read however many lists live activities name), never found by scanning the lists.
    const memberships = finds.filter((f) => f.collection.startsWith('customer_list_streams'));
    expect(memberships.length).toBeGreaterThan(0);
    expect(memberships.every((f) => Object.keys(f.filter).join() === '_id' && typeof f.filter._id === 'string')).toBe(true);
    expect(finds.filter((f) => f.collection === 'list_members')).toEqual([]);
    // The live activities are read by _id from the marks of what is on offer, not found among every activity ever made.
    const activityReads = finds.filter((f) => f.collection === 'activities');
    expect(activityReads.length).toBeGreaterThan(0);
    expect(activityReads.every((f) => Object.keys(f.filter).join() === '_id')).toBe(true);
    // Not targeted at you: the detail is refused too, not just hidden from the feed.
    const id = (await bff.call('listActivities', { query: { pageSize: '200' } }, { token: admin })).body.items.find(
      (a: { live: { title: string } | null }) => a.live?.title === '中高端客户专享',
    ).id;
    expect((await bff.call('getMyActivity', { params: { id } }, { token: v1.token })).body.code).toBe('ACTIVITY_NOT_ELIGIBLE');
  });

  test('new customers are targeted by registration age', async () => {
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '新客礼', targeting: { mode: 'tags', expression: { newCustomer: true } } }));
    expect(await feed((await customerSession(bff)).token)).toContain('新客礼');
    const demo = await customerSession(bff);
    await bff.db.collection('customers').updateOne({ _id: demo.id as never }, { $set: { createdAt: new Date(bff.clock.now().getTime() - 90 * 86400_000) } });
    expect(await feed(demo.token)).not.toContain('新客礼');
  });
});

describe('audience estimates for staff building one (issue 30, finding 4)', () => {
  test('an expression counts the customers eligibility admits, AND/OR/NOT and lists included; the vocabulary lists what was uploaded', async () => {
    const estimate = async (expression?: unknown) => {
      const res = await bff.call('estimateAudience', { body: expression === undefined ? {} : { expression } }, { token: reviewer });
      expect(res.status).toBe(200);
      return res.body;
    };
    const everyone = await estimate();
    expect(everyone.matched).toBe(everyone.total);
    const [a, b, c] = [await customerSession(bff), await customerSession(bff), await customerSession(bff)];
    await uploadTags([
      { customerId: a.id, tier: 'V4', tags: ['代发工资-估算'], lists: ['estimate-list'] },
      { customerId: b.id, tier: 'V4', tags: ['代发工资-估算'] },
      { customerId: c.id, tier: 'V1', interests: ['估算兴趣'] },
    ]);
    // Each shape is asked for the first time here, so none is a reused answer.
    expect(await estimate({ all: [{ tag: '代发工资-估算' }, { tier: ['V4'] }] })).toMatchObject({ matched: 2, total: everyone.total + 3 });
    expect(await estimate({ all: [{ tag: '代发工资-估算' }, { not: { list: 'estimate-list' } }] })).toMatchObject({ matched: 1 });
    expect(await estimate({ any: [{ list: 'estimate-list' }, { interest: '估算兴趣' }] })).toMatchObject({ matched: 2 });
    // The same answer eligibility gives: a published activity with the expression shows to exactly those customers.
    const expression = { all: [{ tag: '代发工资-估算' }, { not: { list: 'estimate-list' } }] };
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '估算一致性', targeting: { mode: 'tags', expression } }));
    expect([await feed(a.token), await feed(b.token), await feed(c.token)].map((f) => f.includes('估算一致性'))).toEqual([false, true, false]);

    const vocabulary = (await bff.call('getAudienceVocabulary', {}, { token: admin })).body;
    expect(vocabulary.tags).toContain('代发工资-估算');
    expect(vocabulary.interests).toContain('估算兴趣');
    expect(vocabulary.lists).toContain('estimate-list');
    const c2 = await customerSession(bff);
    expect((await bff.call('estimateAudience', { body: {} }, { token: c2.token })).status).toBe(403);
  });
});

describe('what a customer is shown', () => {
  test('at most N activities a day, the same ones all day, and N again the next day', async () => {
    const capped = await startBff('targetingcap', { env: { DAILY_ACTIVITY_CAP: '2' } });
    try {
      await seedDemo(capped);
      const tokens = { admin: await staffToken(capped, 'admin'), reviewer: await staffToken(capped, 'reviewer') };
      for (const n of [1, 2, 3]) await publishActivity(capped, tokens, activityInput(capped, { title: `活动${n}`, priority: 90 - n }));
      const c = await customerSession(capped);
      const get = async () => (await capped.call('listMyActivities', {}, { token: c.token })).body.items.map((a: { title: string }) => a.title);
      const concurrent = await Promise.all(Array.from({ length: 5 }, get));
      for (const shown of concurrent) expect(shown).toEqual(['活动1', '活动2']);
      expect(await capped.db.collection('activity_impression_slots').countDocuments()).toBe(2);
      // 全部活动 lists every one open to the customer, and takes no slot of the day.
      const all = (await capped.call('listMyActivities', { query: { view: 'all' } }, { token: c.token })).body.items.map((a: { title: string }) => a.title);
      expect(all).toEqual(['活动1', '活动2', '活动3']);
      expect(await capped.db.collection('activity_impression_slots').countDocuments()).toBe(2);
      capped.clock.advance(24 * 3600_000);
      // The same customer the next day (yesterday's token has expired, so they log in again).
      const relogin = await capped.call('loginWithWechat', { body: { code: (await wechatCode({ openid: c.openid })).code } });
      const nextDay = (await capped.call('listMyActivities', {}, { token: relogin.body.accessToken })).body.items;
      expect(nextDay.map((a: { title: string }) => a.title)).toEqual(['活动1', '活动2']);
      expect(await capped.db.collection('activity_impression_slots').countDocuments()).toBe(4);
    } finally {
      await capped.stop();
    }
  });

  test('不感兴趣 hides the activity, and with hideType every activity of its type', async () => {
    const c = await customerSession(bff);
    const quiz1 = await publishActivity(
      bff,
      { admin, reviewer },
      activityInput(bff, {
        title: '答题一',
        type: 'quiz',
        priority: 99,
        settings: { questions: [{ text: '1+1=?', options: letteredOptions(['1', '2']), answer: 'B' }], passScore: 1 },
      }),
    );
    await publishActivity(
      bff,
      { admin, reviewer },
      activityInput(bff, {
        title: '答题二',
        type: 'quiz',
        priority: 98,
        settings: { questions: [{ text: '2+2=?', options: letteredOptions(['4', '5']), answer: 'A' }], passScore: 1 },
      }),
    );
    expect(await feed(c.token)).toEqual(expect.arrayContaining(['答题一', '答题二']));
    expect((await bff.call('dismissActivity', { params: { id: quiz1 }, body: {} }, { token: c.token })).status).toBe(204);
    expect(await feed(c.token)).not.toContain('答题一');
    expect(await feed(c.token)).toContain('答题二');
    await bff.call('dismissActivity', { params: { id: quiz1 }, body: { hideType: true } }, { token: c.token });
    expect(await feed(c.token)).not.toContain('答题二');
  });

  test('with personalised recommendations off, only activities for everyone are shown', async () => {
    const c = await customerSession(bff);
    await uploadTags([{ customerId: c.id, tier: 'V4' }]);
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: 'V4 定向活动', priority: 100, targeting: { mode: 'tags', expression: { tier: ['V4'] } } }));
    expect(await feed(c.token)).toContain('V4 定向活动');
    const off = await bff.call('setMyPreferences', { body: { personalized: false } }, { token: c.token });
    expect(off.body).toEqual({ personalized: false });
    expect((await bff.call('getMyProfile', {}, { token: c.token })).body.personalized).toBe(false);
    const shown = await feed(c.token);
    expect(shown).not.toContain('V4 定向活动');
    expect(shown.length).toBeGreaterThan(0);
  });

  test('before sign-in, 首页 previews what is for everyone and in no experiment, and records nothing', async () => {
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '人人可见预览', priority: 99 }));
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '预览中的定向活动', targeting: { mode: 'tags', expression: { tier: ['V4'] } } }));
    await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '预览中的实验活动', controlGroupPercent: 20 }));
    const slotsBefore = await bff.db.collection('activity_impression_slots').countDocuments();
    const outboxBefore = await bff.db.collection('outbox_events').countDocuments();
    const res = await bff.call('listPublicActivities');
    expect(res.status).toBe(200);
    const titles = res.body.items.map((a: { title: string }) => a.title);
    expect(titles).toContain('人人可见预览');
    expect(titles).not.toContain('预览中的定向活动');
    expect(titles).not.toContain('预览中的实验活动');
    expect(res.body.items.every((a: { joined: boolean }) => a.joined === false)).toBe(true);
    expect(await bff.db.collection('activity_impression_slots').countDocuments()).toBe(slotsBefore);
    expect(await bff.db.collection('outbox_events').countDocuments()).toBe(outboxBefore);
  });

  test('control-group members do not see the activity', async () => {
    const id = await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '对照组测试', priority: 100, controlGroupPercent: 50 }));
    const sessions = await Promise.all(Array.from({ length: 12 }, () => customerSession(bff)));
    const { inControlGroup } = await import('../../bff/src/kernel/expression');
    for (const s of sessions) {
      const sees = (await feed(s.token)).includes('对照组测试');
      expect(sees).toBe(!inControlGroup(id, s.id, 50));
    }
  });
});
