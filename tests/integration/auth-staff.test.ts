import { startBff, type TestBff } from '../helpers/bff';
import { DEMO_PASSWORD, seedDemo, staffToken } from '../helpers/seed';
import { hashPassword } from '../../bff/src/auth';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('authstaff', { env: { STAFF_LOCKOUT_FAILURES: '3' } });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const loginStaff = (username: string, password: string) => bff.request('POST', '/api/v1/auth/staff', { body: { username, password } });

describe('POST /api/v1/auth/staff', () => {
  test('an admin logs in and carries role and branch claims', async () => {
    const res = await loginStaff('admin', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ role: 'admin', org: 'org-hq', sub: 'staff-admin-hq' });
    const me = await bff.request('GET', '/api/v1/staff/me', { token: res.body.accessToken });
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin', maskedName: '**理' });
  });

  test('a wrong password and an unknown user get the same 401 AUTH_BAD_CREDENTIALS', async () => {
    const wrong = await loginStaff('reviewer', 'nope');
    const unknown = await loginStaff('nobody', 'nope');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.code).toBe('AUTH_BAD_CREDENTIALS');
    expect(unknown.body.code).toBe('AUTH_BAD_CREDENTIALS');
  });

  test('after repeated failures the account is locked, even for the right password, until the window passes', async () => {
    const { staff } = bff.app.services.repositories;
    await staff.createIfMissing({
      id: 'staff-lock',
      username: 'locktest',
      passwordHash: await hashPassword('Right#Pass1'),
      role: 'rm',
      orgUnitId: 'org-sh',
      name: '赵锁',
      phone: null,
      disabled: false,
      createdAt: bff.clock.now(),
    });
    for (let i = 0; i < 3; i++) expect((await loginStaff('locktest', 'wrong')).status).toBe(401);
    const locked = await loginStaff('locktest', 'Right#Pass1');
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('AUTH_ACCOUNT_LOCKED');
    bff.clock.advance(16 * 60 * 1000);
    expect((await loginStaff('locktest', 'Right#Pass1')).status).toBe(200);
  });

  test('the staff password is stored as a memory-hard hash, never as given', async () => {
    const doc = await bff.db.collection('staff').findOne({ username: 'admin' });
    expect(doc?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(doc?.passwordHash).not.toContain(DEMO_PASSWORD);
  });
});

describe('GET /api/v1/admin/staff', () => {
  test('a head-office admin sees staff of every branch, masked', async () => {
    const res = await bff.request('GET', '/api/v1/admin/staff', { token: await staffToken(bff, 'admin') });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { username: string }) => s.username)).toEqual(expect.arrayContaining(['admin', 'reviewer', 'rm']));
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|1380000000/);
  });

  test('a branch admin sees only their own branch', async () => {
    const { staff } = bff.app.services.repositories;
    await staff.createIfMissing({
      id: 'staff-admin-gz',
      username: 'admin-gz',
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: 'admin',
      orgUnitId: 'org-gz',
      name: '周广州',
      phone: null,
      disabled: false,
      createdAt: bff.clock.now(),
    });
    const res = await bff.request('GET', '/api/v1/admin/staff', { token: await staffToken(bff, 'admin-gz') });
    expect(res.body.items.map((s: { username: string }) => s.username)).toEqual(['admin-gz']);
  });

  test('a relationship manager may not call it', async () => {
    const res = await bff.request('GET', '/api/v1/admin/staff', { token: await staffToken(bff, 'rm') });
    expect(res.status).toBe(403);
  });
});
