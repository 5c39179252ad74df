import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { categoryInput, itemInput, publishEntry } from '../helpers/mall';
import { createStaffAccount } from '../helpers/staff';

/**
 * Issue 30, item 5: the 消保审核 queue describes every pending request in business terms
 * (people masked, units and items by name, stock before and after, amounts), a page at a time
 * with a total, and within the checker's subtree only; GET /admin/directory names the units and
 * staff of that subtree.
 */
let bff: TestBff;
let tokens: { admin: string; admin2: string; reviewer: string; branchReviewer: string };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}/;

beforeAll(async () => {
  bff = await startBff('reviewqueue');
  await seedDemo(bff);
  await createStaffAccount(bff, { username: 'sh.reviewer', password: 'sh.reviewer#Pass2026', role: 'reviewer', orgUnitId: 'org-sh', name: '周审核' });
  tokens = {
    admin: await staffToken(bff, 'admin'),
    admin2: await staffToken(bff, 'admin2'),
    reviewer: await staffToken(bff, 'reviewer'),
    branchReviewer: await staffToken(bff, 'sh.reviewer', 'sh.reviewer#Pass2026'),
  };
});
afterAll(() => bff.stop());

type PendingList = 'listPendingPointsAdjustments' | 'listPendingStockAdjustments' | 'listPendingReferralHolds' | 'listPendingHandovers' | 'listPendingStaffGrants';
const pending = async (operation: PendingList, token: string, query: { page?: number; pageSize?: number } = {}) => {
  const res = await bff.call(operation, { query }, { token });
  expect(res.status).toBe(200);
  return res.body;
};

describe('GET /admin/points/adjustments/pending', () => {
  test('each adjustment names the customer masked with their 客户号 and the requester masked, never an id or a phone', async () => {
    const asked = await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-1', amount: 200, reason: '活动补发' } }, { token: tokens.admin });
    expect(asked.status).toBe(201);
    const page = await pending('listPendingPointsAdjustments', tokens.reviewer);
    const row = page.items.find((a: { id: string }) => a.id === asked.body.id);
    expect(row).toMatchObject({ customerId: 'cust-demo-1', amount: 200, customerLabel: '*三 / C000000000001', requestedByName: '**理' });
    expect(JSON.stringify({ ...row, id: undefined, customerId: undefined, requestedBy: undefined })).not.toMatch(/13812345678|张三|王管理|cust-demo|staff-/);
  });

  test('a page at a time, with the total: every pending adjustment is reachable', async () => {
    for (const amount of [10, 20, 30]) await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-2', amount, reason: '分页' } }, { token: tokens.admin });
    const all = await pending('listPendingPointsAdjustments', tokens.reviewer, { pageSize: 200 });
    const pages = [];
    for (let page = 1; page <= all.total; page++) pages.push(...(await pending('listPendingPointsAdjustments', tokens.reviewer, { page, pageSize: 1 })).items);
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(pages.map((a: { id: string }) => a.id)).toEqual(all.items.map((a: { id: string }) => a.id));
    expect((await pending('listPendingPointsAdjustments', tokens.reviewer, { page: 2, pageSize: 1 })).total).toBe(all.total);
  });

  test('a branch reviewer sees only the requests of its subtree', async () => {
    const hq = await customerSession(bff, { orgUnitId: 'org-hq' });
    const sh = await customerSession(bff, { orgUnitId: 'org-sh' });
    const outside = (await bff.call('requestPointsAdjustment', { body: { customerId: hq.id, amount: 5, reason: '总行客户' } }, { token: tokens.admin })).body.id;
    const inside = (await bff.call('requestPointsAdjustment', { body: { customerId: sh.id, amount: 6, reason: '分行客户' } }, { token: tokens.admin })).body.id;
    const branch = await pending('listPendingPointsAdjustments', tokens.branchReviewer, { pageSize: 200 });
    const ids = branch.items.map((a: { id: string }) => a.id);
    expect(ids).toContain(inside);
    expect(ids).not.toContain(outside);
    expect(branch.items.every((a: { customerId: string }) => a.customerId !== 'cust-demo-2')).toBe(true);
    expect(branch.total).toBe(branch.items.length);
  });
});

describe('GET /admin/mall/stock-adjustments/pending', () => {
  test('each adjustment names the item and its stock now and after the change', async () => {
    await publishEntry(bff, tokens, categoryInput());
    const itemId = await publishEntry(bff, tokens, itemInput(bff, { title: '星巴克中杯券', initialStock: 300, type: 'physical', fulfilment: {} }));
    const asked = await bff.call('requestStockAdjustment', { params: { id: itemId }, body: { delta: -120, reason: '盘点差异' } }, { token: tokens.admin });
    expect(asked.status).toBe(201);
    const row = (await pending('listPendingStockAdjustments', tokens.reviewer)).items.find((a: { id: string }) => a.id === asked.body.id);
    expect(row).toMatchObject({ itemId, delta: -120, itemTitle: '星巴克中杯券', stockBefore: 300, stockAfter: 180, requestedByName: '**理' });
    expect(row.itemCode).toMatch(/^ITEM-/);
  });
});

describe('GET /admin/referral-holds/pending', () => {
  test('a held reward shows what it pays, the activity by title, and inviter and invitee masked', async () => {
    const activityId = await publishActivity(bff, tokens, activityInput(bff, { title: '邀请好友开户礼' }));
    const [inviter, invitee] = [await customerSession(bff), await customerSession(bff)];
    await bff.app.services.capabilities.referrals.holds.hold(`invite:${activityId}:${invitee.id}`, {
      kind: 'invite',
      activityId,
      customerId: inviter.id,
      inviteeId: invitee.id,
      flags: ['invite_velocity'],
      rewardRequest: {
        activityId,
        customerId: inviter.id,
        reason: 'invite',
        source: 'invite',
        reward: { kind: 'points', amount: 88 },
        budget: { maxRewards: 10 },
        description: '邀请奖励',
      },
    });
    const row = (await pending('listPendingReferralHolds', tokens.reviewer)).items.find((h: { customerId: string }) => h.customerId === inviter.id);
    expect(row).toMatchObject({ kind: 'invite', reward: { kind: 'points', amount: 88 }, activityTitle: '邀请好友开户礼', requestedByName: '系统（风控）' });
    expect(row.customerLabel).toMatch(/ \/ C/);
    expect(row.inviteeLabel).toMatch(/ \/ C/);
    expect(`${row.customerLabel} ${row.inviteeLabel}`).not.toMatch(UUID);
  });
});

describe('GET /admin/rm-handovers/pending', () => {
  test('a hand-over names both managers masked, their units and how many customers it moves', async () => {
    const taker = await createStaffAccount(bff, { username: 'sh.rm2', password: 'sh.rm2#Pass2026', role: 'rm', orgUnitId: 'org-sh', name: '吴接手' });
    const asked = await bff.call(
      'requestHandover',
      { body: { fromRmId: 'staff-rm-sh', toRmId: taker, customerIds: ['cust-demo-1'], reason: '客户经理离职' } },
      { token: tokens.admin },
    );
    expect(asked.status).toBe(201);
    for (const token of [tokens.reviewer, tokens.branchReviewer]) {
      const row = (await pending('listPendingHandovers', token)).items.find((h: { id: string }) => h.id === asked.body.id);
      expect(row).toMatchObject({
        fromRmName: '**理',
        fromOrgUnitName: '示例银行上海分行',
        toRmName: '**手',
        toOrgUnitName: '示例银行上海分行',
        customerCount: 1,
        requestedByName: '**理',
      });
    }
  });

  test('a hand-over of all a manager’s customers says how many that is now', async () => {
    const [leaving, taking] = await Promise.all(
      ['gone', 'takes'].map((n) =>
        createStaffAccount(bff, { username: `sh.${n}`, password: `sh.${n}#Pass2026`, role: 'rm', orgUnitId: 'org-sh', name: n === 'gone' ? '钱离职' : '孙接手' }),
      ),
    );
    const scene = await bff.app.services.capabilities.referrals.scenes.ensure({ sharer: { kind: 'staff', id: leaving }, activityId: null, assistId: null, channel: 'poster' });
    for (const c of [await customerSession(bff), await customerSession(bff)]) {
      expect((await bff.call('recordArrival', { body: { scene: scene._id } }, { token: c.token })).body.attributed).toBe(true);
    }
    const asked = await bff.call('requestHandover', { body: { fromRmId: leaving, toRmId: taking, reason: '客户经理离职' } }, { token: tokens.admin });
    expect(asked.status).toBe(201);
    const row = (await pending('listPendingHandovers', tokens.reviewer)).items.find((h: { id: string }) => h.id === asked.body.id);
    expect(row).toMatchObject({ customerCount: null, customersNow: 2 });
  });
});

describe('GET /admin/staff/requests/pending', () => {
  test('a new account and a change name the member masked, the role and the units by name', async () => {
    const created = await bff.call(
      'createStaff',
      { body: { username: 'gz.reviewer', password: 'gz.reviewer#Pass2026', role: 'reviewer', orgUnitId: 'org-gz', name: '郑新人' } },
      { token: tokens.admin },
    );
    const moved = await bff.request('PATCH', '/api/v1/admin/staff/staff-rm-sh', { token: tokens.admin, body: { orgUnitId: 'org-gz', reason: '调往广州' } });
    expect([created.status, moved.status]).toEqual([202, 202]);
    const items = (await pending('listPendingStaffGrants', tokens.admin2)).items;
    expect(items.find((g: { id: string }) => g.id === created.body.id)).toMatchObject({
      kind: 'create',
      maskedName: '**人',
      role: 'reviewer',
      orgUnitName: '示例银行广州分行',
      currentRole: null,
      currentOrgUnitName: null,
      requestedByName: '**理',
    });
    expect(items.find((g: { id: string }) => g.id === moved.body.id)).toMatchObject({
      kind: 'update',
      maskedName: '**理',
      role: null,
      orgUnitName: '示例银行广州分行',
      currentRole: 'rm',
      currentOrgUnitName: '示例银行上海分行',
    });
    // Reviewers do not read this list (the console shows them no tab for it).
    expect((await bff.call('listPendingStaffGrants', {}, { token: tokens.reviewer })).status).toBe(403);
  });
});

describe('GET /admin/directory', () => {
  test('a head-office reviewer gets every unit by name and all staff masked', async () => {
    const res = await bff.call('getOrgDirectory', {}, { token: tokens.reviewer });
    expect(res.status).toBe(200);
    expect(res.body.orgUnits).toEqual(
      expect.arrayContaining([
        { id: 'org-hq', name: '示例银行总行', parentId: null },
        { id: 'org-sh', name: '示例银行上海分行', parentId: 'org-hq' },
        { id: 'org-gz', name: '示例银行广州分行', parentId: 'org-hq' },
      ]),
    );
    expect(res.body.staff).toEqual(expect.arrayContaining([{ id: 'staff-reviewer-hq', maskedName: '**核', role: 'reviewer', orgUnitId: 'org-hq' }]));
    expect(JSON.stringify(res.body)).not.toMatch(/李审核|王管理|138000000|passwordHash/);
  });

  test('a branch reviewer gets its own subtree only', async () => {
    const res = await bff.call('getOrgDirectory', {}, { token: tokens.branchReviewer });
    expect(res.body.orgUnits).toEqual([{ id: 'org-sh', name: '示例银行上海分行', parentId: 'org-hq' }]);
    expect(new Set(res.body.staff.map((s: { orgUnitId: string }) => s.orgUnitId))).toEqual(new Set(['org-sh']));
    expect(res.body.staff.map((s: { id: string }) => s.id)).toContain('staff-rm-sh');
  });

  test('customers and relationship managers may not read it', async () => {
    expect((await bff.call('getOrgDirectory', {}, { token: await staffToken(bff, 'rm') })).status).toBe(403);
  });
});

describe('GET /admin/activities (pending review)', () => {
  test('a document awaiting review says when it was submitted', async () => {
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: activityInput(bff) });
    const before = bff.clock.now().toISOString();
    await bff.call('submitActivity', { params: { id: created.body.id } }, { token: tokens.admin });
    const doc = (await bff.call('getActivity', { params: { id: created.body.id } }, { token: tokens.reviewer })).body;
    expect(doc.submittedAt).toBe(before);
  });
});
