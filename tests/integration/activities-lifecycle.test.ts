import { startBff, type TestBff } from '../helpers/bff';
import { DEMO_PASSWORD, seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { drawInput } from '../helpers/draws';
import { seedDemoData } from '../../bff/src/seed';
import { testConfig } from '../helpers/bff';
import { changeStaffAccount, createStaffAccount } from '../helpers/staff';
import { settledTo } from '../helpers/settled';

let bff: TestBff;
let admin: string;
let reviewer: string;
beforeAll(async () => {
  bff = await startBff('actlifecycle');
  await seedDemo(bff);
  admin = await staffToken(bff, 'admin');
  reviewer = await staffToken(bff, 'reviewer');
});
afterAll(() => bff.stop());
const titles = async (token: string) => (await bff.call('listMyActivities', {}, { token })).body.items.map((a: { title: string }) => a.title);

describe('activity lifecycle (消保审核)', () => {
  test('draft → pending review → approved → live for customers; every step in the history', async () => {
    const created = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff, { title: '周末答题赢积分' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', workingRevision: 1, liveRevision: null });
    const customer = await customerSession(bff);
    expect(await titles(customer.token)).not.toContain('周末答题赢积分');

    const submitted = await bff.call('submitActivity', { params: { id: created.body.id } }, { token: admin });
    expect(submitted.body.state).toBe('pending_review');
    const approved = await bff.call('approveActivity', { params: { id: created.body.id }, body: { reason: '文案合规' } }, { token: reviewer });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'live', liveRevision: 1, workingRevision: null });
    expect(await titles(customer.token)).toContain('周末答题赢积分');

    const history = await bff.call('getActivityHistory', { params: { id: created.body.id } }, { token: reviewer });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['created', 'submitted', 'approved']);
    expect(history.body.items[2]).toMatchObject({ actorId: 'staff-reviewer-hq', actorRole: 'reviewer', reason: '文案合规', revision: 1 });
    expect(history.body.items[0].diff).toEqual(expect.arrayContaining([{ path: 'title', before: null, after: '周末答题赢积分' }]));
    const published = () => bff.db.collection('outbox_events').countDocuments({ name: 'activity.published', 'payload.activityId': created.body.id });
    expect(await settledTo(published, 1)).toBe(1);
  });

  test('an admin cannot approve, and a reviewer who authored the revision cannot approve it', async () => {
    const { staff } = bff.app.services;
    const id = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff) })).body.id;
    await bff.call('submitActivity', { params: { id } }, { token: admin });
    expect((await bff.call('approveActivity', { params: { id }, body: {} }, { token: admin })).status).toBe(403);

    // The author later becomes a reviewer: still not allowed to approve their own work.
    const authorId = await createStaffAccount(bff, { username: 'maker01', password: 'Maker#2026!', role: 'admin', orgUnitId: 'org-hq', name: '马克' });
    const makerToken = await staffToken(bff, 'maker01', 'Maker#2026!');
    const own = (await bff.request('POST', '/api/v1/admin/activities', { token: makerToken, body: activityInput(bff) })).body.id;
    await bff.call('submitActivity', { params: { id: own } }, { token: makerToken });
    await changeStaffAccount(bff, authorId, { role: 'reviewer', reason: '岗位调整' });
    const asReviewer = await staffToken(bff, 'maker01', 'Maker#2026!');
    const denied = await bff.call('approveActivity', { params: { id: own }, body: {} }, { token: asReviewer });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACTIVITY_SELF_REVIEW');
    expect((await bff.call('approveActivity', { params: { id: own }, body: {} }, { token: reviewer })).status).toBe(200);
    expect(await staff.findById(authorId)).toMatchObject({ role: 'reviewer' });
    expect(DEMO_PASSWORD).not.toBe('Maker#2026!');
  });

  test('an edit after approval is a new revision under review while the approved one stays live', async () => {
    const customer = await customerSession(bff);
    const input = activityInput(bff, { title: '原版活动标题' });
    const id = await publishActivity(bff, { admin, reviewer }, input);
    const edited = await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: admin, body: { ...input, title: '修改后的活动标题' } });
    expect(edited.body).toMatchObject({ state: 'live', liveRevision: 1, workingRevision: 2, workingState: 'draft' });
    await bff.call('submitActivity', { params: { id } }, { token: admin });
    expect(await titles(customer.token)).toContain('原版活动标题');
    expect(await titles(customer.token)).not.toContain('修改后的活动标题');

    // A reviewer rejects it: back to draft with the reason; the live version is untouched.
    const rejected = await bff.call('rejectActivity', { params: { id }, body: { reason: '标题需注明活动期限' } }, { token: reviewer });
    expect(rejected.body).toMatchObject({ state: 'live', workingState: 'rejected', rejectionReason: '标题需注明活动期限' });
    await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: admin, body: { ...input, title: '修改后的活动标题（12月）' } });
    await bff.call('submitActivity', { params: { id } }, { token: admin });
    await bff.call('approveActivity', { params: { id }, body: {} }, { token: reviewer });
    expect(await titles(customer.token)).toContain('修改后的活动标题（12月）');

    const history = (await bff.call('getActivityHistory', { params: { id } }, { token: admin })).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'submitted', 'approved', 'edited', 'submitted', 'rejected', 'edited', 'submitted', 'approved']);
    expect(history[3].diff).toEqual([{ path: 'title', before: '原版活动标题', after: '修改后的活动标题' }]);
    // Revisions are kept, each as it was.
    expect(await bff.db.collection('activity_revisions').countDocuments({ documentId: id })).toBe(3);
  });

  test('an activity pending review cannot be edited until it is decided', async () => {
    const input = activityInput(bff);
    const id = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input })).body.id;
    await bff.call('submitActivity', { params: { id } }, { token: admin });
    const res = await bff.request('PUT', `/api/v1/admin/activities/${id}`, { token: admin, body: { ...input, title: '改' } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ACTIVITY_INVALID_TRANSITION');
  });

  test('only a livestream reservation is joined; an assist is started on its own page and pays nothing for a join', async () => {
    const tokens = { admin, reviewer };
    const customer = await customerSession(bff);
    const balance = async () => (await bff.call('getMyPoints', {}, { token: customer.token })).body.balance as number;
    const assist = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'assist',
        title: '好友助力领券',
        rules: '24 小时内集齐 3 位好友助力得咖啡券。',
        reward: { kind: 'coupon', name: '咖啡券', validDays: 7 },
        settings: { helpersNeeded: 3, validHours: 24 },
      }),
    );
    const refused = await bff.call('joinActivity', { params: { id: assist } }, { token: customer.token });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ACTIVITY_NOT_JOINABLE', message: '该活动无需报名，请按活动页的提示参与' });
    expect((await bff.call('getMyActivity', { params: { id: assist } }, { token: customer.token })).body.joined).toBe(false);
    expect(await bff.db.collection('reward_grants').countDocuments({ activityId: assist })).toBe(0);

    // A reservation with no reward is still a reservation: 已参与 afterwards, once.
    const live = await publishActivity(bff, tokens, activityInput(bff, { title: '直播预约（无奖励）', reward: undefined }));
    const before = await balance();
    expect((await bff.call('joinActivity', { params: { id: live } }, { token: customer.token })).body).toEqual({ joined: true, rewardId: null, duplicate: false });
    expect((await bff.call('joinActivity', { params: { id: live } }, { token: customer.token })).body).toEqual({ joined: true, rewardId: null, duplicate: true });
    expect((await bff.call('getMyActivity', { params: { id: live } }, { token: customer.token })).body.joined).toBe(true);
    expect(await balance()).toBe(before);
  });

  test('a withdrawn activity disappears from customers at once', async () => {
    const customer = await customerSession(bff);
    const id = await publishActivity(bff, { admin, reviewer }, activityInput(bff, { title: '即将下线的活动' }));
    expect(await titles(customer.token)).toContain('即将下线的活动');
    const withdrawn = await bff.call('withdrawActivity', { params: { id }, body: { reason: '合作方终止' } }, { token: admin });
    expect(withdrawn.body.state).toBe('withdrawn');
    expect(await titles(customer.token)).not.toContain('即将下线的活动');
    expect((await bff.call('getMyActivity', { params: { id } }, { token: customer.token })).body.code).toBe('ACTIVITY_NOT_LIVE');
  });

  test('a draft, one under review or one not yet started is a 404 to customers, as an unknown id is', async () => {
    const customer = await customerSession(bff);
    const draft = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff) })).body.id;
    const pending = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff) })).body.id;
    await bff.call('submitActivity', { params: { id: pending } }, { token: admin });
    const now = bff.clock.now().getTime();
    const scheduled = await publishActivity(
      bff,
      { admin, reviewer },
      activityInput(bff, { schedule: { startAt: new Date(now + 86400_000).toISOString(), endAt: new Date(now + 5 * 86400_000).toISOString() } }),
    );
    for (const id of [draft, pending, scheduled, '00000000-0000-4000-8000-000000000000']) {
      for (const [method, path] of [
        ['GET', `/activities/${id}`],
        ['POST', `/activities/${id}/join`],
        ['POST', `/activities/${id}/dismiss`],
      ] as const) {
        const res = await bff.request(method, `/api/v1${path}`, { token: customer.token, body: method === 'POST' && path.endsWith('dismiss') ? {} : undefined });
        expect({ id, path, status: res.status, code: res.body.code }).toEqual({ id, path, status: 404, code: 'NOT_FOUND' });
      }
    }
  });

  test('an approved activity shows only within its schedule', async () => {
    const customer = await customerSession(bff);
    const now = bff.clock.now().getTime();
    const later = activityInput(bff, {
      title: '下周开始的活动',
      schedule: { startAt: new Date(now + 2 * 86400_000).toISOString(), endAt: new Date(now + 9 * 86400_000).toISOString() },
    });
    const id = await publishActivity(bff, { admin, reviewer }, later);
    expect((await bff.call('getActivity', { params: { id } }, { token: admin })).body.state).toBe('approved');
    expect(await titles(customer.token)).not.toContain('下周开始的活动');
    try {
      bff.clock.advance(3 * 86400_000); // sessions expire too: log in again at each point in time
      expect(await titles((await customerSession(bff)).token)).toContain('下周开始的活动');
      bff.clock.advance(7 * 86400_000);
      expect((await bff.call('getActivity', { params: { id } }, { token: await staffToken(bff, 'admin') })).body.state).toBe('ended');
    } finally {
      bff.clock.advance(-10 * 86400_000);
    }
  });
});

describe('copy and prize rules', () => {
  test('banned financial wording blocks submission and names each word and field', async () => {
    const id = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff, { title: '保本理财周', rules: '本产品零风险，稳赚不赔。' }) })).body
      .id;
    const res = await bff.call('submitActivity', { params: { id } }, { token: admin });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('ACTIVITY_BANNED_WORDS');
    expect(res.body.issues).toEqual([
      { path: 'title', message: '包含禁用词：保本' },
      { path: 'rules', message: '包含禁用词：稳赚、零风险、稳赚不赔' },
    ]);
    // The message is read by bank staff: each field by the name the form gives it.
    expect(res.body.message).toBe('活动文案包含金融营销禁用词：标题（保本）；活动规则（稳赚、零风险、稳赚不赔）');
    expect((await bff.call('getActivity', { params: { id } }, { token: admin })).body.state).toBe('draft');
  });

  test('banned wording is found at any depth: a question’s option and a draw prize’s name block submission like a title', async () => {
    const question = await bff.request('POST', '/api/v1/admin/quiz/questions', {
      token: admin,
      body: {
        code: `BAN-${Date.now()}`,
        type: 'question',
        orgUnitId: 'org-hq',
        bank: 'BANNED',
        format: 'single',
        text: '以下哪种说法正确？',
        options: [
          { id: 'A', text: '理财有风险' },
          { id: 'B', text: '这款理财保本保息' },
        ],
        answer: ['A'],
        explanation: '理财非存款。',
      },
    });
    expect(question.status).toBe(201);
    const refused = await bff.call('submitQuizQuestion', { params: { id: question.body.id } }, { token: admin });
    expect(refused.status).toBe(422);
    expect(refused.body.issues).toEqual([{ path: 'options.1.text', message: '包含禁用词：保本' }]);
    expect(refused.body.message).toContain('选项 › 第 2 项');

    const prizes = drawInput(bff).settings.prizes.map((p) => (p.code === 'CUP' ? { ...p, name: '稳赚保温杯' } : p));
    // The rules must name every prize, so they carry the word too; the prize's own field is what was missed.
    const draw = drawInput(bff, { prizes });
    const activity = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: draw });
    expect(activity.status).toBe(201);
    const blocked = await bff.call('submitActivity', { params: { id: activity.body.id } }, { token: admin });
    expect(blocked.status).toBe(422);
    expect(blocked.body.issues).toContainEqual({ path: 'settings.prizes.2.name', message: '包含禁用词：稳赚' });
  });

  test('an activity code is unique', async () => {
    const input = activityInput(bff);
    expect((await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input })).status).toBe(201);
    const again = await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: input });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CONFLICT');
  });
});

describe('branch isolation', () => {
  test('a branch admin and reviewer see and act only on their own branch', async () => {
    await createStaffAccount(bff, { username: 'gz.admin', password: 'Guangzhou#1', role: 'admin', orgUnitId: 'org-gz', name: '周广' });
    await createStaffAccount(bff, { username: 'gz.reviewer', password: 'Guangzhou#2', role: 'reviewer', orgUnitId: 'org-gz', name: '吴审' });
    const gzAdmin = await staffToken(bff, 'gz.admin', 'Guangzhou#1');
    const gzReviewer = await staffToken(bff, 'gz.reviewer', 'Guangzhou#2');

    const shanghai = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff, { orgUnitId: 'org-sh' }) })).body.id;
    await bff.call('submitActivity', { params: { id: shanghai } }, { token: admin });
    expect((await bff.call('getActivity', { params: { id: shanghai } }, { token: gzAdmin })).status).toBe(404);
    expect((await bff.call('approveActivity', { params: { id: shanghai }, body: {} }, { token: gzReviewer })).status).toBe(404);
    expect((await bff.call('listActivities', { query: { pageSize: '200' } }, { token: gzAdmin })).body.items.map((a: { id: string }) => a.id)).not.toContain(shanghai);

    const own = await bff.request('POST', '/api/v1/admin/activities', { token: gzAdmin, body: activityInput(bff, { orgUnitId: 'org-gz' }) });
    expect(own.status).toBe(201);
    const foreign = await bff.request('POST', '/api/v1/admin/activities', { token: gzAdmin, body: activityInput(bff, { orgUnitId: 'org-sh' }) });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('FORBIDDEN');
    // Head office sees both branches.
    const all = (await bff.call('listActivities', { query: { pageSize: '200' } }, { token: reviewer })).body.items.map((a: { id: string }) => a.id);
    expect(all).toEqual(expect.arrayContaining([shanghai, own.body.id]));
  });

  test('only head-office admins manage staff, and each change is audit-logged', async () => {
    const gzAdmin = await staffToken(bff, 'gz.admin', 'Guangzhou#1');
    const denied = await bff.call('createStaff', { body: { username: 'sneaky', password: 'Sneaky#2026', role: 'admin', orgUnitId: 'org-gz', name: '某' } }, { token: gzAdmin });
    expect(denied.status).toBe(403);
    const createdId = await createStaffAccount(bff, { username: 'audit.me', password: 'AuditMe#2026', role: 'rm', orgUnitId: 'org-sh', name: '审计' });
    const disabled = await bff.call('updateStaff', { params: { id: createdId }, body: { disabled: true, reason: '离职' } }, { token: admin });
    expect(disabled.status).toBe(200); // taking access away needs no second person
    const log = await bff.app.services.audit.forTarget('staff', createdId);
    expect(log.map((l) => l.action)).toEqual(['staff.created', 'staff.updated']);
    expect(log[1]).toMatchObject({ actorId: 'staff-admin-hq', reason: '离职' });
    expect((await bff.call('loginStaff', { body: { username: 'audit.me', password: 'AuditMe#2026' } })).status).toBe(401);
  });
});

describe('what the feed reads', () => {
  test('an activity leaves the marks of what is on offer once it ends', async () => {
    const c = await customerSession(bff);
    const now = bff.clock.now().getTime();
    const input = activityInput(bff, { title: '两小时快闪', schedule: { startAt: new Date(now - 60_000).toISOString(), endAt: new Date(now + 2 * 60 * 60 * 1000).toISOString() } });
    const id = await publishActivity(bff, { admin, reviewer }, input);
    const marks = () => bff.db.collection('activity_scheduled').findOne({ _id: id as never });
    const feedIds = async () => (await bff.call('listMyActivities', {}, { token: c.token })).body.items.map((a: { id: string }) => a.id);
    expect(await marks()).not.toBeNull();
    expect(await feedIds()).toContain(id);
    bff.clock.advance(3 * 60 * 60 * 1000);
    const done = await bff.app.services.maintenance.runOnce();
    expect(done['activities.offerPruned']).toBeGreaterThanOrEqual(1);
    expect(await marks()).toBeNull();
    const fresh = await customerSession(bff);
    expect((await bff.call('listMyActivities', {}, { token: fresh.token })).body.items.map((a: { id: string }) => a.id)).not.toContain(id);
  });
});

describe('what another process changed', () => {
  test("a process that has read the feed shows another process's edit and withdrawal at once", async () => {
    const other = await startBff('activities-other', { dbName: bff.db.name, clock: bff.clock });
    try {
      const [freshAdmin, freshReviewer] = [await staffToken(bff, 'admin'), await staffToken(bff, 'reviewer')];
      const id = await publishActivity(bff, { admin: freshAdmin, reviewer: freshReviewer }, activityInput(bff, { title: '跨进程活动', priority: 100 }));
      const c = await customerSession(bff);
      const titleIn = async (app: TestBff) => (await app.call('getMyActivity', { params: { id } }, { token: c.token })).body.title;
      // The other process has its copy of the activity from reading it.
      expect(await titleIn(other)).toBe('跨进程活动');
      const current = (await bff.call('getActivity', { params: { id } }, { token: freshAdmin })).body;
      const edited = await bff.request('PUT', `/api/v1/admin/activities/${id}`, {
        token: freshAdmin,
        body: { ...activityInput(bff, { title: '跨进程活动（已更新）', priority: 100 }), code: current.code },
      });
      expect(edited.status).toBe(200);
      await bff.call('submitActivity', { params: { id } }, { token: freshAdmin });
      expect((await bff.call('approveActivity', { params: { id }, body: {} }, { token: freshReviewer })).status).toBe(200);
      expect(await titleIn(other)).toBe('跨进程活动（已更新）');
      expect((await bff.call('withdrawActivity', { params: { id }, body: { reason: '合作方终止' } }, { token: freshAdmin })).status).toBe(200);
      const opened = await other.call('getMyActivity', { params: { id } }, { token: c.token });
      expect(opened.body.code).toBe('ACTIVITY_NOT_LIVE');
      const listed = (await other.call('listMyActivities', {}, { token: c.token })).body.items.map((a: { id: string }) => a.id);
      expect(listed).not.toContain(id);
    } finally {
      await other.stop();
    }
  });
});

describe('demo data', () => {
  test('npm start’s demo programme is live for customers, reviewed by a second person, and seeding it again changes nothing', async () => {
    await seedDemoData(bff.app.services, testConfig(), ['activities']);
    await seedDemoData(bff.app.services, testConfig(), ['activities']);
    const customer = await customerSession(bff);
    // Fresh sessions: earlier tests in this file move the clock.
    const [freshAdmin, freshReviewer] = [await staffToken(bff, 'admin'), await staffToken(bff, 'reviewer')];
    const docs = (await bff.call('listActivities', { query: { pageSize: '200' } }, { token: freshAdmin })).body.items.filter((a: { code: string }) => a.code.startsWith('DEMO-'));
    expect(docs).toHaveLength(9);
    // Each is live for a customer (the feed itself is capped, and this file publishes many more).
    const seen = await Promise.all(docs.map(async (d: { id: string }) => (await bff.call('getMyActivity', { params: { id: d.id } }, { token: customer.token })).body.type));
    expect(seen.sort()).toEqual(['assist', 'draw', 'invite', 'live', 'mall', 'quiz', 'quiz', 'task', 'task']);
    expect(docs.every((d: { liveRevision: number; workingRevision: number | null }) => d.liveRevision === 1 && d.workingRevision === null)).toBe(true);
    const history = await bff.call('getActivityHistory', { params: { id: docs[0].id } }, { token: freshReviewer });
    expect(history.body.items.find((h: { action: string }) => h.action === 'approved')).toMatchObject({ actorId: 'staff-reviewer-hq' });
  });
});
