import { startBff, type TestBff } from '../helpers/bff';
import { DEMO_PASSWORD, seedDemo, staffToken } from '../helpers/seed';
import { hashPassword } from '../../bff/src/platform/auth/password';

let bff: TestBff;
beforeAll(async () => {
  // One trusted proxy, so each test can say which address a login comes from.
  bff = await startBff('authstaff', { env: { STAFF_LOCKOUT_FAILURES: '3', TRUSTED_PROXIES: '1' } });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const loginStaff = (username: string, password: string, from = '127.0.0.1') => bff.call('loginStaff', { body: { username, password } }, { headers: { 'X-Forwarded-For': from } });

/** A relationship manager of our own for a test, so lockouts never touch the shared demo accounts. */
async function member(username: string, password: string) {
  await bff.app.services.staff.createIfMissing({
    id: `staff-${username}`,
    username,
    passwordHash: await hashPassword(password),
    role: 'rm',
    orgUnitId: 'org-sh',
    name: '赵锁',
    phone: null,
    disabled: false,
    createdAt: bff.clock.now(),
  });
}

describe('POST /api/v1/auth/staff', () => {
  test('an admin logs in and carries role and branch claims', async () => {
    const res = await loginStaff('admin', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ role: 'admin', org: 'org-hq', sub: 'staff-admin-hq' });
    const me = await bff.call('getStaffProfile', {}, { token: res.body.accessToken });
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin', maskedName: '**理' });
  });

  test('a wrong password and an unknown user get the same 401 AUTH_BAD_CREDENTIALS', async () => {
    const wrong = await loginStaff('reviewer', 'nope');
    const unknown = await loginStaff('nobody', 'nope');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.code).toBe('AUTH_BAD_CREDENTIALS');
    expect(unknown.body.code).toBe('AUTH_BAD_CREDENTIALS');
  });

  test('after repeated failures from the address a member logs in from, it is locked there, even for the right password, until the window passes', async () => {
    await member('locktest', 'Right#Pass1');
    const office = '203.0.113.10';
    expect((await loginStaff('locktest', 'Right#Pass1', office)).status).toBe(200); // a known address from now on
    for (let i = 0; i < 3; i++) expect((await loginStaff('locktest', 'wrong', office)).status).toBe(401);
    const locked = await loginStaff('locktest', 'Right#Pass1', office);
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('AUTH_ACCOUNT_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    bff.clock.advance(16 * 60 * 1000);
    expect((await loginStaff('locktest', 'Right#Pass1', office)).status).toBe(200);
  });

  test('retrying while locked does not extend the lock: it ends a window after the failures', async () => {
    await member('retrier', 'Right#Pass2');
    const office = '203.0.113.11';
    expect((await loginStaff('retrier', 'Right#Pass2', office)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await loginStaff('retrier', 'wrong', office)).status).toBe(401);
    // Someone keeps trying every three minutes (at 3, 6, 9, 12 and 14), with the right password or not.
    for (const minutes of [3, 3, 3, 3, 2]) {
      bff.clock.advance(minutes * 60 * 1000);
      expect((await loginStaff('retrier', minutes === 2 ? 'Right#Pass2' : 'wrong', office)).status).toBe(423);
    }
    bff.clock.advance(2 * 60 * 1000); // 16 minutes after the failures
    expect((await loginStaff('retrier', 'Right#Pass2', office)).status).toBe(200);
  });

  test('an outsider guessing from elsewhere is slowed down, never locks the member out at their usual address', async () => {
    await member('target', 'Right#Pass3');
    const office = '203.0.113.12';
    expect((await loginStaff('target', 'Right#Pass3', office)).status).toBe(200);
    const outsider = (n: number) => `198.51.100.${n}`;
    // Spread over addresses, the guesses still count together for the member's unknown sources.
    for (let i = 0; i < 3; i++) expect((await loginStaff('target', 'guess', outsider(i))).status).toBe(401);
    const delayed = await loginStaff('target', 'guess', outsider(9));
    expect(delayed.status).toBe(429);
    expect(delayed.body.code).toBe('AUTH_LOGIN_DELAYED');
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThan(0);
    // The member, meanwhile, logs in as usual.
    expect((await loginStaff('target', 'Right#Pass3', office)).status).toBe(200);
    // Each further guess waits twice as long.
    bff.clock.advance(3_000);
    expect((await loginStaff('target', 'guess', outsider(10))).status).toBe(401);
    expect(Number((await loginStaff('target', 'guess', outsider(11))).headers.get('retry-after'))).toBe(4);
    expect((await loginStaff('target', 'Right#Pass3', office)).status).toBe(200);
  });

  test('login attempts are purged once no lockout window can reach them, and the lock still holds inside one', async () => {
    await member('rm_purge', 'Right@2026');
    const attempts = () => bff.db.collection('staff_login_attempts').countDocuments({ username: 'rm_purge' });
    for (let i = 0; i < 3; i++) expect((await loginStaff('rm_purge', 'wrong', '10.9.0.1')).status).toBe(401);
    expect(await attempts()).toBe(3);
    await bff.app.services.maintenance.runOnce();
    expect(await attempts()).toBeGreaterThanOrEqual(3); // inside the window: kept, and still refused
    expect((await loginStaff('rm_purge', 'Right@2026', '10.9.0.1')).status).not.toBe(200);
    bff.clock.advance(2 * 15 * 60_000 + 60_000);
    const done = await bff.app.services.maintenance.runOnce();
    expect(done['auth.loginAttempts']).toBeGreaterThanOrEqual(3);
    expect(await attempts()).toBe(0);
    expect((await loginStaff('rm_purge', 'Right@2026', '10.9.0.1')).status).toBe(200);
  });

  test('the staff password is stored as a memory-hard hash, never as given', async () => {
    const doc = await bff.db.collection('staff').findOne({ username: 'admin' });
    expect(doc?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(doc?.passwordHash).not.toContain(DEMO_PASSWORD);
  });
});

describe('GET /api/v1/admin/staff', () => {
  test('a head-office admin sees staff of every branch, masked', async () => {
    const res = await bff.call('listStaff', {}, { token: await staffToken(bff, 'admin') });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { username: string }) => s.username)).toEqual(expect.arrayContaining(['admin', 'reviewer', 'rm']));
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|1380000000/);
  });

  test('a branch admin sees only their own branch', async () => {
    const { staff } = bff.app.services;
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
    const res = await bff.call('listStaff', {}, { token: await staffToken(bff, 'admin-gz') });
    expect(res.body.items.map((s: { username: string }) => s.username)).toEqual(['admin-gz']);
  });

  test('a relationship manager may not call it', async () => {
    const res = await bff.call('listStaff', {}, { token: await staffToken(bff, 'rm') });
    expect(res.status).toBe(403);
  });
});
