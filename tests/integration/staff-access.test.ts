import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { createStaffAccount } from '../helpers/staff';
import { hashPassword } from '../../bff/src/platform/auth/password';

const faults = armedFaults();
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('staffaccess', { faults });
  await seedDemo(bff);
});
afterAll(() => bff.stop());
const newAccount = (username: string, role: 'rm' | 'admin' | 'reviewer', orgUnitId = 'org-hq') => ({ username, password: `${username}#Pass2026`, role, orgUnitId, name: '测试员' });

describe('giving staff access takes two head-office admins', () => {
  test('a new account is only a request until a second head-office admin approves it; the requester cannot', async () => {
    const admin = await staffToken(bff, 'admin');
    const requested = await bff.call('createStaff', { body: newAccount('solo.reviewer', 'reviewer') }, { token: admin });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ status: 'pending', kind: 'create', username: 'solo.reviewer', role: 'reviewer', maskedName: '**员' });
    expect(JSON.stringify(requested.body)).not.toMatch(/passwordHash|Pass2026/);
    expect((await bff.call('loginStaff', { body: { username: 'solo.reviewer', password: 'solo.reviewer#Pass2026' } }, { token: '' })).status).toBe(401);

    expect((await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: admin })).body.code).toBe('ADJUSTMENT_SELF_APPROVAL');
    // Reviewers and branch admins do not decide on staff access.
    expect((await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: await staffToken(bff, 'reviewer') })).status).toBe(403);
    const pending = await bff.call('listPendingStaffGrants', {}, { token: await staffToken(bff, 'admin2') });
    expect(pending.body.items.map((r: { id: string }) => r.id)).toContain(requested.body.id);
    const approved = await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: { reason: '核实入职' } }, { token: await staffToken(bff, 'admin2') });
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'staff-admin2-hq' });
    expect((await bff.call('loginStaff', { body: { username: 'solo.reviewer', password: 'solo.reviewer#Pass2026' } }, { token: '' })).status).toBe(200);
  });

  test('a reviewer an admin had created cannot approve that admin’s points adjustment or activity', async () => {
    await createStaffAccount(bff, newAccount('own.reviewer', 'reviewer'));
    const admin = await staffToken(bff, 'admin');
    const mine = await staffToken(bff, 'own.reviewer', 'own.reviewer#Pass2026');

    const adjustment = await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-1', amount: 1000, reason: '补偿' } }, { token: admin });
    const refused = await bff.call('approvePointsAdjustment', { params: { id: adjustment.body.id }, body: {} }, { token: mine });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('REVIEW_CONFLICT_OF_INTEREST');
    expect((await bff.app.services.points.balance('cust-demo-1')).balance).toBe(0);

    const activity = (await bff.request('POST', '/api/v1/admin/activities', { token: admin, body: activityInput(bff) })).body.id;
    await bff.call('submitActivity', { params: { id: activity } }, { token: admin });
    expect((await bff.call('approveActivity', { params: { id: activity }, body: {} }, { token: mine })).body.code).toBe('REVIEW_CONFLICT_OF_INTEREST');
    // An independent reviewer still can.
    expect((await bff.call('approveActivity', { params: { id: activity }, body: {} }, { token: await staffToken(bff, 'reviewer') })).status).toBe(200);
  });

  test('a member promoted by an admin cannot approve that admin’s work either', async () => {
    // An account the bank set up, so only the promotion links it to the admin.
    await bff.app.services.staff.createIfMissing({
      id: 'staff-promoted-rm',
      username: 'promoted.rm',
      passwordHash: await hashPassword('promoted.rm#Pass2026'),
      role: 'rm',
      orgUnitId: 'org-hq',
      name: '晋升',
      phone: null,
      disabled: false,
      createdAt: bff.clock.now(),
    });
    const admin = await staffToken(bff, 'admin');
    const raise = await bff.call('updateStaff', { params: { id: 'staff-promoted-rm' }, body: { role: 'reviewer', reason: '转岗审核' } }, { token: await admin2Token() });
    expect(raise.status).toBe(202);
    expect((await bff.call('approveStaffGrant', { params: { id: raise.body.id }, body: {} }, { token: admin })).status).toBe(200);
    const promoted = await staffToken(bff, 'promoted.rm', 'promoted.rm#Pass2026');
    const adjustment = await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-2', amount: 10, reason: '补偿' } }, { token: admin });
    expect((await bff.call('approvePointsAdjustment', { params: { id: adjustment.body.id }, body: {} }, { token: promoted })).body.code).toBe('REVIEW_CONFLICT_OF_INTEREST');
  });

  test('a crash after the decision and before the account exists: the same admin’s retry or the sweep completes it once', async () => {
    const admin = await staffToken(bff, 'admin');
    const first = (await bff.call('createStaff', { body: newAccount('crash.one', 'rm', 'org-sh') }, { token: admin })).body;
    faults.arm('after:staff_grant.decided', 'crash');
    expect((await bff.call('approveStaffGrant', { params: { id: first.id }, body: {} }, { token: await admin2Token() })).status).toBe(500);
    expect(await bff.app.services.staff.findByUsername('crash.one')).toBeNull();
    const retried = await bff.call('approveStaffGrant', { params: { id: first.id }, body: {} }, { token: await admin2Token() });
    expect(retried.body.status).toBe('approved');
    expect(await bff.app.services.staff.findByUsername('crash.one')).toMatchObject({ role: 'rm' });

    const second = (await bff.call('createStaff', { body: newAccount('crash.two', 'rm', 'org-sh') }, { token: admin })).body;
    faults.arm('after:staff_grant.decided', 'crash');
    await bff.call('approveStaffGrant', { params: { id: second.id }, body: {} }, { token: await admin2Token() });
    bff.clock.advance(61_000);
    expect((await bff.app.services.maintenance.runOnce())['staff.grants']).toBe(1);
    expect(await bff.app.services.staff.findByUsername('crash.two')).toMatchObject({ role: 'rm' });
    const log = await bff.app.services.audit.forTarget('staff', second.staffId);
    expect(log.map((l) => l.action)).toEqual(['staff.created']);
  });
});

describe('maker-checker has no self-service (issue 26, finding 24)', () => {
  test('nobody approves a request about their own access, even one a second person raised', async () => {
    // An account the bank set up, so no grant links it to the admins who raise or decide requests.
    const subjectId = 'staff-self-subject';
    await bff.app.services.staff.createIfMissing({
      id: subjectId,
      username: 'self.subject',
      passwordHash: await hashPassword('self.subject#Pass2026'),
      role: 'admin',
      orgUnitId: 'org-hq',
      name: '本人',
      phone: null,
      disabled: false,
      createdAt: bff.clock.now(),
    });
    const subject = await staffToken(bff, 'self.subject', 'self.subject#Pass2026');
    // Another head-office admin asks to move the subject to Shanghai; the subject may not decide on it.
    const requested = await bff.call('updateStaff', { params: { id: subjectId }, body: { orgUnitId: 'org-sh', reason: '调往上海' } }, { token: await admin2Token() });
    expect(requested.status).toBe(202);
    const refused = await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: subject });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('REVIEW_CONFLICT_OF_INTEREST');
    expect((await bff.call('rejectStaffGrant', { params: { id: requested.body.id }, body: { reason: '不想去' } }, { token: subject })).body.code).toBe(
      'REVIEW_CONFLICT_OF_INTEREST',
    );
    expect(await bff.app.services.staff.findById(subjectId)).toMatchObject({ orgUnitId: 'org-hq' });
    // A third, independent admin can.
    expect((await bff.call('approveStaffGrant', { params: { id: requested.body.id }, body: {} }, { token: await staffToken(bff, 'admin') })).body).toMatchObject({
      status: 'approved',
    });
    expect(await bff.app.services.staff.findById(subjectId)).toMatchObject({ orgUnitId: 'org-sh' });
  });

  test('every change of role or unit needs a second person: reviewer → rm and admin → rm included; disabling applies at once', async () => {
    const reviewerId = await createStaffAccount(bff, newAccount('role.reviewer', 'reviewer'));
    const adminId = await createStaffAccount(bff, newAccount('role.admin', 'admin'));
    const admin = await staffToken(bff, 'admin');
    for (const [id, role] of [
      [reviewerId, 'rm'],
      [adminId, 'rm'],
      [adminId, 'reviewer'],
    ] as const) {
      const res = await bff.call('updateStaff', { params: { id }, body: { role, reason: '调岗' } }, { token: admin });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'pending', kind: 'update', role });
    }
    expect(await bff.app.services.staff.findById(reviewerId)).toMatchObject({ role: 'reviewer' });
    expect(await bff.app.services.staff.findById(adminId)).toMatchObject({ role: 'admin' });
    const disabled = await bff.call('updateStaff', { params: { id: reviewerId }, body: { disabled: true, reason: '离职' } }, { token: admin });
    expect(disabled.status).toBe(200);
    expect(await bff.app.services.staff.findById(reviewerId)).toMatchObject({ disabled: true });
  });
});

// Looked up afresh each time: tests move the clock, and staff tokens live 15 minutes.
const admin2Token = () => staffToken(bff, 'admin2');

describe('a staff token is only as good as the account behind it', () => {
  test('disabling an account refuses its token at once', async () => {
    const id = await createStaffAccount(bff, newAccount('leaver.admin', 'admin'));
    const token = await staffToken(bff, 'leaver.admin', 'leaver.admin#Pass2026');
    expect((await bff.call('listStaff', {}, { token })).status).toBe(200);
    expect((await bff.call('updateStaff', { params: { id }, body: { disabled: true, reason: '离职' } }, { token: await staffToken(bff, 'admin') })).status).toBe(200);
    const after = await bff.call('listStaff', {}, { token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('AUTH_TOKEN_INVALID');
  });

  test('demoting an admin to relationship manager refuses the old admin token at once', async () => {
    const id = await createStaffAccount(bff, newAccount('demoted.admin', 'admin'));
    const token = await staffToken(bff, 'demoted.admin', 'demoted.admin#Pass2026');
    expect((await bff.request('POST', '/api/v1/admin/activities', { token, body: activityInput(bff) })).status).toBe(201);
    // A change of role takes a second head-office admin (issue 26, finding 24); once approved it applies to the token at once.
    const demotion = await bff.call('updateStaff', { params: { id }, body: { role: 'rm', reason: '调岗' } }, { token: await staffToken(bff, 'admin') });
    expect(demotion.status).toBe(202);
    expect((await bff.call('approveStaffGrant', { params: { id: demotion.body.id }, body: {} }, { token: await admin2Token() })).status).toBe(200);
    expect((await bff.request('POST', '/api/v1/admin/activities', { token, body: activityInput(bff) })).status).toBe(401);
    expect((await bff.call('listStaff', {}, { token })).status).toBe(401);
    // Logging in again gives the rights the account has now.
    expect((await bff.call('listStaff', {}, { token: await staffToken(bff, 'demoted.admin', 'demoted.admin#Pass2026') })).status).toBe(403);
  });

  test('an admin cannot disable, demote or move their own account: a second admin must', async () => {
    const id = await createStaffAccount(bff, newAccount('self.admin', 'admin'));
    const token = await staffToken(bff, 'self.admin', 'self.admin#Pass2026');
    for (const change of [{ disabled: true }, { role: 'rm' }, { orgUnitId: 'org-sh' }]) {
      const res = await bff.request('PATCH', `/api/v1/admin/staff/${id}`, { token, body: { ...change, reason: '自助调整' } });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('STAFF_SELF_CHANGE');
    }
    expect((await bff.call('listStaff', {}, { token })).status).toBe(200);
  });

  test('a customer token keeps working: only staff tokens are checked against staff records', async () => {
    const c = await customerSession(bff);
    expect((await bff.call('getMyProfile', {}, { token: c.token })).status).toBe(200);
  });
});

describe('GET /api/v1/admin/audit', () => {
  test('filters by actor, action, target and time, newest first, paged, and shows a branch only its own actors', async () => {
    const from = bff.clock.now().toISOString();
    const gzAdminId = await createStaffAccount(bff, newAccount('gz.auditor', 'admin', 'org-gz'));
    const gzAdmin = await staffToken(bff, 'gz.auditor', 'gz.auditor#Pass2026');
    const own = (await bff.call('createCatalogueEntry', { body: { code: 'AUDIT-CAT', type: 'category', orgUnitId: 'org-gz', name: '广州专区' } }, { token: gzAdmin })).body.id;
    expect(own).toEqual(expect.any(String));
    bff.clock.advance(1000);
    await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-2', amount: 5, reason: '广州补偿' } }, { token: gzAdmin });

    const hq = await staffToken(bff, 'reviewer');
    const all = await bff.call('listAuditRecords', { query: { from } }, { token: hq });
    expect(all.status).toBe(200);
    const actions = all.body.items.map((r: { action: string }) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['staff_grant.requested', 'staff_grant.approved', 'staff.created', 'points_adjustment.requested']));
    const times = all.body.items.map((r: { at: string }) => r.at);
    expect([...times].sort().reverse()).toEqual(times);

    const byActor = await bff.call('listAuditRecords', { query: { actorId: gzAdminId } }, { token: hq });
    // Newest first; review lifecycle steps (消保审核) are in the trail as well.
    expect(byActor.body.items.map((r: { action: string }) => r.action)).toEqual(['points_adjustment.requested', 'mall_item.created']);
    expect(byActor.body.items[1]).toMatchObject({ targetType: 'mall_item', targetId: own, orgUnitId: 'org-gz' });
    const byTarget = await bff.call('listAuditRecords', { query: { targetType: 'staff', targetId: gzAdminId } }, { token: hq });
    expect(byTarget.body.items).toHaveLength(1);
    expect(byTarget.body.items[0]).toMatchObject({ action: 'staff.created', actorId: 'staff-admin2-hq', targetId: gzAdminId });

    const page1 = await bff.call('listAuditRecords', { query: { from, limit: '2' } }, { token: hq });
    const page2 = await bff.call('listAuditRecords', { query: { from, limit: '2', cursor: page1.body.nextCursor } }, { token: hq });
    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual(all.body.items.slice(2, 4).map((r: { id: string }) => r.id));

    // The branch admin sees the records of actors in their branch, not head office's.
    const branch = await bff.call('listAuditRecords', { query: {} }, { token: gzAdmin });
    expect(branch.body.items.length).toBeGreaterThan(0);
    expect(branch.body.items.every((r: { orgUnitId: string }) => r.orgUnitId === 'org-gz')).toBe(true);

    expect((await bff.call('listAuditRecords', { query: { action: 'DROP TABLE' } }, { token: hq })).status).toBe(400);
    expect((await bff.call('listAuditRecords', { query: {} }, { token: await staffToken(bff, 'rm') })).status).toBe(403);
    expect((await bff.call('listAuditRecords', { query: { cursor: 'bm9wZQ' } }, { token: hq })).body.issues[0].path).toBe('query.cursor');
  });

  test('is described in the OpenAPI document', async () => {
    const doc = (await bff.call('getOpenApiDocument')).body;
    const op = doc.paths['/api/v1/admin/audit'].get;
    expect(op.operationId).toBe('listAuditRecords');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['actorId', 'action', 'targetType', 'targetId', 'from', 'to', 'cursor', 'limit']));
  });
});
