import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { AppError } from '../../bff/src/platform/errors';
import { wechatCode } from '../helpers/wechat';
import { createStaffAccount } from '../helpers/staff';
import { hashPassword } from '../../bff/src/platform/auth/password';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('pointsledger');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const at = (iso: string) => bff.clock.set(new Date(iso));
const ledger = () => bff.app.services.points;

describe('points ledger', () => {
  test('earned points expire at the end of the next calendar year (Asia/Shanghai), oldest lots spent first', async () => {
    const c = 'cust-fifo-1';
    at('2026-03-10T10:00:00+08:00');
    await ledger().earn(c, 100, 'fifo-1', '签到');
    at('2027-02-01T10:00:00+08:00');
    await ledger().earn(c, 50, 'fifo-2', '答题');
    await ledger().spend(c, 60, 'fifo-3', '兑换'); // takes 60 of the 2026 lot, none of the 2027 lot
    expect((await ledger().balance(c)).balance).toBe(90);

    at('2027-12-31T23:59:58+08:00');
    expect(await ledger().expireDue(c)).toEqual([]);
    at('2028-01-01T00:00:01+08:00'); // the 2026 lot ended with 2027 in Shanghai
    expect(await ledger().expireDue(c)).toEqual([{ lotSeq: 1, amount: 40 }]);
    expect(await ledger().expireDue(c)).toEqual([]); // once per lot, however often the job runs
    expect((await ledger().balance(c)).balance).toBe(50);
    at('2029-01-01T00:00:01+08:00');
    expect(await ledger().expireDue(c)).toEqual([{ lotSeq: 2, amount: 50 }]);
    expect(await ledger().check(c)).toEqual([]);
    bff.clock.set(new Date());
  });

  test('expired but not yet processed points cannot be spent', async () => {
    const c = 'cust-fifo-2';
    at('2026-05-01T10:00:00+08:00');
    await ledger().earn(c, 30, 'exp-1', '签到');
    at('2028-02-01T10:00:00+08:00');
    await expect(ledger().spend(c, 10, 'exp-2', '兑换')).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
    bff.clock.set(new Date());
  });

  test('invariants hold after a concurrent mix of earn, spend and expire', async () => {
    const c = 'cust-mix';
    at('2026-06-01T10:00:00+08:00');
    await Promise.all(Array.from({ length: 20 }, (_, i) => ledger().earn(c, 10, `mix-old-${i}`, '旧积分')));
    at('2027-06-01T10:00:00+08:00');
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) ops.push(ledger().earn(c, 5, `mix-earn-${i}`, '新积分'));
    for (let i = 0; i < 40; i++)
      ops.push(
        ledger()
          .spend(c, 7, `mix-spend-${i}`, '兑换')
          .catch((e) => e),
      );
    const settled = await Promise.all(ops);
    const refused = settled.filter((r) => r instanceof AppError);
    expect(refused.every((e) => (e as AppError).code === 'POINTS_INSUFFICIENT')).toBe(true);
    at('2028-01-02T10:00:00+08:00');
    await Promise.all([
      ...Array.from({ length: 5 }, () => ledger().expireDue(c)),
      ...Array.from({ length: 10 }, (_, i) =>
        ledger()
          .spend(c, 3, `mix-late-${i}`, '兑换')
          .catch((e) => e),
      ),
    ]);

    expect(await ledger().check(c)).toEqual([]);
    const entries = await bff.db
      .collection('points_ledger')
      .find({ stream: `points:${c}` })
      .sort({ seq: 1 })
      .toArray();
    const sum = entries.reduce((s, e) => s + e.data.amount, 0);
    expect(entries[entries.length - 1].data.balance).toBe(sum);
    expect(sum).toBeGreaterThanOrEqual(0);
    // No lot from 2026 survives into 2028, and no key was applied twice.
    expect(entries[entries.length - 1].data.lots.every((l: { expiresAt: string }) => l.expiresAt > '2027-12-31T16:00:00.000Z')).toBe(true);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    bff.clock.set(new Date());
  });
});

describe('GET /api/v1/me/points and /me/points/ledger', () => {
  test('shows the balance, what expires within 30 days, and the history newest first, paginated', async () => {
    const c = await customerSession(bff);
    const year = new Date().getFullYear();
    at(`${year - 1}-12-20T10:00:00+08:00`);
    await ledger().earn(c.id, 40, `page-0`, '去年签到'); // expires at the end of this year
    bff.clock.set(new Date(`${year}-12-10T10:00:00+08:00`));
    for (let i = 1; i <= 4; i++) await ledger().earn(c.id, 10, `page-${i}`, `签到${i}`);
    // Log in again: the first token was issued before the clock moved.
    const token = (await bff.call('loginWithWechat', { body: { code: (await wechatCode({ openid: c.openid })).code } })).body.accessToken;
    const balance = await bff.call('getMyPoints', {}, { token });
    expect(balance.body.balance).toBe(80);
    expect(balance.body.expiringSoon.amount).toBe(40);
    const page1 = await bff.call('getMyPointsLedger', { query: { limit: '3' } }, { token });
    expect(page1.body.items.map((e: { description: string }) => e.description)).toEqual(['签到4', '签到3', '签到2']);
    const page2 = await bff.call('getMyPointsLedger', { query: { limit: '3', beforeSeq: page1.body.nextBeforeSeq } }, { token });
    expect(page2.body.items.map((e: { description: string }) => e.description)).toEqual(['签到1', '去年签到']);
    expect(page2.body.nextBeforeSeq).toBeNull();
    expect((await bff.request('GET', '/api/v1/me/points/ledger?limit=500', { token })).status).toBe(400);
    bff.clock.set(new Date());
  });

  test('the statement filters income from spending, page by page', async () => {
    const c = await customerSession(bff);
    for (let i = 1; i <= 6; i++) {
      await ledger().earn(c.id, 10, `dir-earn-${i}`, `签到${i}`);
      if (i % 2 === 0) await ledger().spend(c.id, 5, `dir-spend-${i}`, `兑换${i}`);
    }
    const get = async (q: string) => (await bff.request('GET', `/api/v1/me/points/ledger?${q}`, { token: c.token })).body;
    const out = await get('direction=out');
    expect(out.items.map((e: { description: string }) => e.description)).toEqual(['兑换6', '兑换4', '兑换2']);
    expect(out.items.every((e: { amount: number }) => e.amount < 0)).toBe(true);
    const in1 = await get('direction=in&limit=4');
    expect(in1.items.map((e: { description: string }) => e.description)).toEqual(['签到6', '签到5', '签到4', '签到3']);
    const in2 = await get(`direction=in&limit=4&beforeSeq=${in1.nextBeforeSeq}`);
    expect(in2.items.map((e: { description: string }) => e.description)).toEqual(['签到2', '签到1']);
    expect(in2.nextBeforeSeq).toBeNull();
    expect((await bff.request('GET', '/api/v1/me/points/ledger?direction=sideways', { token: c.token })).status).toBe(400);
  });
});

describe('manual adjustments', () => {
  test('an admin requests, a reviewer approves once, and it lands in the ledger with an audit trail', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    const requested = await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-1', amount: 200, reason: '投诉补偿' } }, { token: admin });
    expect(requested.status).toBe(201);
    expect(requested.body.status).toBe('pending');
    expect((await ledger().balance('cust-demo-1')).balance).toBe(0);

    expect((await bff.call('approvePointsAdjustment', { params: { id: requested.body.id }, body: {} }, { token: admin })).status).toBe(403);
    // Five taps at once by the reviewer: one decision, applied once, and each tap told so.
    const approvals = await Promise.all(
      Array.from({ length: 5 }, () => bff.call('approvePointsAdjustment', { params: { id: requested.body.id }, body: { reason: '核实无误' } }, { token: reviewer })),
    );
    expect(approvals.map((a) => a.body.status)).toEqual(Array(5).fill('approved'));
    expect((await ledger().balance('cust-demo-1')).balance).toBe(200);
    expect(await bff.db.collection('points_ledger').countDocuments({ key: `adjust:${requested.body.id}` })).toBe(1);
    // A second reviewer is too late: the decision is taken. (An account the bank set up, so independent of the requester.)
    await bff.app.services.staff.createIfMissing({
      id: 'staff-reviewer-two',
      username: 'reviewer.two',
      passwordHash: await hashPassword('Reviewer#2026'),
      role: 'reviewer',
      orgUnitId: 'org-hq',
      name: '孙审',
      phone: null,
      disabled: false,
      createdAt: bff.clock.now(),
    });
    const late = await bff.call('approvePointsAdjustment', { params: { id: requested.body.id }, body: {} }, { token: await staffToken(bff, 'reviewer.two', 'Reviewer#2026') });
    expect(late.body.code).toBe('REVIEW_INVALID_TRANSITION');
    const log = await bff.app.services.audit.forTarget('points_adjustment', requested.body.id);
    expect(log.map((l) => l.action)).toEqual(['points_adjustment.requested', 'points_adjustment.approved']);
  });

  test('a negative adjustment beyond the balance is refused', async () => {
    const admin = await staffToken(bff, 'admin');
    const reviewer = await staffToken(bff, 'reviewer');
    const r = await bff.call('requestPointsAdjustment', { body: { customerId: 'cust-demo-2', amount: -50, reason: '误发回收' } }, { token: admin });
    const res = await bff.call('approvePointsAdjustment', { params: { id: r.body.id }, body: {} }, { token: reviewer });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('POINTS_INSUFFICIENT');
    // Still open: a reviewer can reject it instead.
    const rejected = await bff.call('rejectPointsAdjustment', { params: { id: r.body.id }, body: { reason: '余额不足，改为人工回访' } }, { token: reviewer });
    expect(rejected.body.status).toBe('rejected');
  });

  test('the invariant check is for head office only', async () => {
    await createStaffAccount(bff, { username: 'sh.admin', password: 'Shanghai#2026', role: 'admin', orgUnitId: 'org-sh', name: '沪管' });
    const res = await bff.call('checkInvariants', undefined, { token: await staffToken(bff, 'sh.admin', 'Shanghai#2026') });
    expect(res.status).toBe(403);
  });

  test('the invariant check over everything reports no violation', async () => {
    const res = await bff.call('checkInvariants', undefined, { token: await staffToken(bff, 'reviewer') });
    expect(res.status).toBe(200);
    expect(res.body.checked.customers).toBeGreaterThan(3);
    expect(res.body).toMatchObject({ upToDate: true, violations: [] });
  });

  test("the whole bank's check is incremental: it checks the accounts changed since its last pass, from where it left off", async () => {
    const reviewer = await staffToken(bff, 'reviewer');
    const wholeBank = async () => (await bff.call('checkInvariants', undefined, { token: reviewer })).body;
    await wholeBank();
    expect((await wholeBank()).checked).toEqual({ customers: 0, activities: 0 });
    await ledger().earn('cust-incr-1', 10, 'incr-1', '签到');
    await ledger().earn('cust-incr-2', 10, 'incr-2', '签到');
    await ledger().spend('cust-incr-2', 5, 'incr-3', '兑换');
    expect(await wholeBank()).toEqual({ checked: { customers: 2, activities: 0 }, upToDate: true, violations: [] });
    // The maintenance job does the same catching up, whichever process runs it.
    await ledger().earn('cust-incr-1', 10, 'incr-4', '签到');
    expect((await bff.app.services.maintenance.runOnce())['points.books']).toBe(1);
    expect((await wholeBank()).checked.customers).toBe(0);
  });

  test('a broken account is reported by its own check at once, and by the whole bank check from then on', async () => {
    const reviewer = await staffToken(bff, 'reviewer');
    const c = 'cust-tampered';
    await ledger().earn(c, 100, 'tamper-1', '签到');
    // Written behind the ledger's back (no key index, no change mark): a balance from nowhere.
    const head = await bff.db.collection('points_ledger').findOne({ _id: `points:${c}#1` as never });
    await bff.db.collection('points_ledger').insertOne({ ...head!, _id: `points:${c}#2` as never, seq: 2, key: 'tamper-2', data: { ...head!.data, amount: 0, balance: 1000 } });
    const own = await bff.call('checkInvariants', { query: { customerId: c } }, { token: reviewer });
    expect(own.body.violations).toEqual([`points:${c}#2: balance 1000 but entries sum to 100`, `points:${c}#2: lots hold 100 but balance is 1000`]);
    // Reading the account finds the entry its writer never finished with, and marks it changed.
    await ledger().balance(c);
    const whole = await bff.call('checkInvariants', undefined, { token: reviewer });
    expect(whole.body.violations).toEqual(expect.arrayContaining(own.body.violations));
    // Stored: still reported by later passes that check nothing new.
    const later = await bff.call('checkInvariants', undefined, { token: reviewer });
    expect(later.body).toMatchObject({ checked: { customers: 0 }, violations: own.body.violations });
  });
});
