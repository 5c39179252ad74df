import { randomBytes } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { spawnBff } from '../helpers/process';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { changeStaffAccount, createStaffAccount } from '../helpers/staff';

/**
 * Issue 26, findings 12–14 and 16: scope at every node of a referral tree, hand-overs only to
 * enabled managers, posters only for what the manager's own list offers, and fraud signals that
 * mean something.
 */
let bff: TestBff;
let tokens: { admin: string; reviewer: string; branch: string; rm: string };

beforeAll(async () => {
  bff = await startBff('refscope', { env: { TRUSTED_PROXIES: '1' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer'), branch: await staffToken(bff, 'admin-sh'), rm: await staffToken(bff, 'rm') };
});
// The clock moves on by minutes in these tests: a staff session of its own for each.
beforeEach(async () => {
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer'), branch: await staffToken(bff, 'admin-sh'), rm: await staffToken(bff, 'rm') };
});
afterAll(() => bff.stop());

type Session = { id: string; token: string; openid: string };
const MINUTE = 60 * 1000;
async function shareOf(c: Session, body: Record<string, unknown> = {}): Promise<string> {
  const res = await bff.call('createMyShare', { body }, { token: c.token });
  expect(res.status).toBe(200);
  return res.body.scene;
}
const arrive = (c: Session, scene: string) => bff.call('recordArrival', { body: { scene } }, { token: c.token });
/** A customer of a branch, registered a second after the one before (attribution runs from earlier to later). */
async function customerOf(orgUnitId: string): Promise<Session> {
  bff.clock.advance(1000);
  return customerSession(bff, { orgUnitId });
}

describe('a referral tree shows only what the reader’s subtree may see, at every node (finding 12)', () => {
  test('a Shanghai admin reading a Shanghai customer’s chain sees no Guangzhou customer above or below; head office sees them all', async () => {
    const gz = await customerOf('org-gz');
    const sh = await customerOf('org-sh');
    expect((await arrive(sh, await shareOf(gz))).body.attributed).toBe(true);
    const [shFriend, gzFriend] = [await customerOf('org-sh'), await customerOf('org-gz')];
    const scene = await shareOf(sh);
    for (const c of [shFriend, gzFriend]) expect((await arrive(c, scene)).body.attributed).toBe(true);
    // Below the Guangzhou friend, a Shanghai customer: reached only through a node the branch may not see.
    const below = await customerOf('org-sh');
    expect((await arrive(below, await shareOf(gzFriend))).body.attributed).toBe(true);

    const branch = await bff.call('getReferralTree', { params: { id: sh.id }, query: { depth: '3' } }, { token: tokens.branch });
    expect(branch.status).toBe(200);
    const seen = JSON.stringify(branch.body);
    for (const hidden of [gz.id, gzFriend.id, below.id]) expect(seen).not.toContain(hidden);
    expect(branch.body.ancestors).toEqual([]);
    expect(branch.body.descendants.map((n: { customerId: string }) => n.customerId)).toEqual([shFriend.id]);
    expect(branch.body.hidden).toBe(2);

    const hq = await bff.call('getReferralTree', { params: { id: sh.id }, query: { depth: '3' } }, { token: tokens.admin });
    expect(hq.body.ancestors.map((n: { customerId: string }) => n.customerId)).toEqual([gz.id]);
    expect(hq.body.descendants.map((n: { customerId: string }) => n.customerId).sort()).toEqual([shFriend.id, gzFriend.id, below.id].sort());
    expect(hq.body.hidden).toBe(0);
  });
});

describe('hand-over targets must be enabled (finding 13)', () => {
  async function newManager(name: string): Promise<string> {
    return createStaffAccount(bff, { username: `rm_${randomBytes(4).toString('hex')}`, password: 'Handover#2026', role: 'rm', orgUnitId: 'org-sh', name });
  }

  test('a hand-over to a disabled manager is refused when asked; one whose target is disabled before approval is refused at approval, and its customers stay', async () => {
    const [leaving, disabled, taking] = [await newManager('钱离职'), await newManager('孙停用'), await newManager('吴接手')];
    await changeStaffAccount(bff, disabled, { disabled: true, reason: '已离职' });
    const refused = await bff.call('requestHandover', { body: { fromRmId: leaving, toRmId: disabled, reason: '客户经理离职' } }, { token: tokens.admin });
    expect(refused.status).toBe(409);

    const poster = await bff.app.services.capabilities.referrals.scenes.ensure({ sharer: { kind: 'staff', id: leaving }, activityId: null, assistId: null, channel: 'poster' });
    const customer = await customerSession(bff);
    expect((await arrive(customer, poster._id)).body.attributed).toBe(true);
    const requested = await bff.call('requestHandover', { body: { fromRmId: leaving, toRmId: taking, reason: '客户经理离职' } }, { token: tokens.admin });
    expect(requested.status).toBe(201);
    // Disabled after the request, before a second person approves: approval reads the target afresh.
    await changeStaffAccount(bff, taking, { disabled: true, reason: '调离' });
    const approval = await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer });
    expect(approval.status).toBe(409);
    expect((await bff.call('getHandover', { params: { id: requested.body.id } }, { token: tokens.admin })).body).toMatchObject({ status: 'pending', run: null });
    expect((await bff.app.services.capabilities.referrals.managerBooks.current(customer.id))?.rmId).toBe(leaving);
    // It can still be rejected.
    expect((await bff.call('rejectHandover', { params: { id: requested.body.id }, body: { reason: '接手人已调离' } }, { token: tokens.reviewer })).status).toBe(200);
  });
});

describe('a manager’s poster only for what their own list offers (finding 14)', () => {
  test('another branch’s activity, and one approved that has not started, get no poster', async () => {
    const gzActivity = await publishActivity(bff, tokens, activityInput(bff, { orgUnitId: 'org-gz', title: '广州分行直播' }));
    const now = bff.clock.now().getTime();
    const iso = (t: number) => new Date(t).toISOString();
    const tomorrow = await publishActivity(
      bff,
      tokens,
      activityInput(bff, { title: '明日直播', schedule: { startAt: iso(now + 24 * 60 * MINUTE), endAt: iso(now + 48 * 60 * MINUTE) } }),
    );
    const own = await publishActivity(bff, tokens, activityInput(bff, { title: '上海分行直播' }));

    const offered = (await bff.call('listPosterActivities', {}, { token: tokens.rm })).body.items.map((a: { id: string }) => a.id);
    expect(offered).toContain(own);
    expect(offered).not.toContain(gzActivity);
    expect(offered).not.toContain(tomorrow);
    expect((await bff.call('getMyPoster', { query: { activityId: own } }, { token: tokens.rm })).status).toBe(200);
    for (const id of [gzActivity, tomorrow]) expect((await bff.call('getMyPoster', { query: { activityId: id } }, { token: tokens.rm })).status).toBe(404);
  });
});

describe('fraud signals that mean something (finding 16)', () => {
  const help = (c: Session, assistId: string, headers: Record<string, string>) => bff.call('helpAssist', { params: { id: assistId }, headers: { ...headers } }, { token: c.token });
  async function assist(needed: number) {
    const activityId = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'assist',
        title: '好友助力',
        rules: `集齐 ${needed} 位好友助力得 50 积分。`,
        reward: { kind: 'points', amount: 50 },
        settings: { helpersNeeded: needed, validHours: 48 },
      }),
    );
    const starter = await customerSession(bff);
    return { activityId, starter, assist: (await bff.call('startAssist', { params: { id: activityId } }, { token: starter.token })).body };
  }

  test('accounts made minutes before helping are flagged even when they arrive through the share, as the app always does', async () => {
    const { starter, assist: a } = await assist(3);
    bff.clock.advance(30 * MINUTE);
    for (let i = 0; i < 3; i++) {
      const fresh = await customerSession(bff);
      expect((await arrive(fresh, a.share.scene)).body).toMatchObject({ assistId: a.id });
      expect((await help(fresh, a.id, { 'X-Forwarded-For': `10.77.${i}.1`, 'X-Device-Id': `device-fresh-${i}-${randomBytes(4).toString('hex')}` })).status).toBe(200);
    }
    const again = await signIn(bff, starter.openid, { consent: false }); // half an hour on: a new session
    expect((await bff.call('getAssist', { params: { id: a.id } }, { token: again.token })).body).toMatchObject({ state: 'completed', rewardState: 'held' });
    const reviewer = await staffToken(bff, 'reviewer');
    const held = (await bff.call('listPendingReferralHolds', {}, { token: reviewer })).body.items.find((h: { customerId: string }) => h.customerId === starter.id);
    expect(held.flags).toEqual(['fresh_accounts']);
  });

  test('friends of long standing who help through the app are paid; helps that leave out the app’s device id are held', async () => {
    const friends = await Promise.all(Array.from({ length: 6 }, () => customerSession(bff)));
    bff.clock.advance(11 * MINUTE);
    const fine = await assist(3);
    for (const [i, f] of friends.slice(0, 3).entries())
      expect((await help(f, fine.assist.id, { 'X-Forwarded-For': `10.78.${i}.1`, 'X-Device-Id': `device-ok-${i}-${randomBytes(4).toString('hex')}` })).status).toBe(200);
    expect((await bff.call('getAssist', { params: { id: fine.assist.id } }, { token: fine.starter.token })).body.rewardState).toBe('paid');

    const scripted = await assist(3);
    for (const [i, f] of friends.slice(3).entries()) expect((await help(f, scripted.assist.id, { 'X-Forwarded-For': `10.79.${i}.1` })).status).toBe(200);
    expect((await bff.call('getAssist', { params: { id: scripted.assist.id } }, { token: scripted.starter.token })).body.rewardState).toBe('held');
    const held = (await bff.call('listPendingReferralHolds', {}, { token: tokens.reviewer })).body.items.find((h: { customerId: string }) => h.customerId === scripted.starter.id);
    expect(held.flags).toEqual(['no_device']);
  });

  test('a BFF behind a gateway with TRUSTED_PROXIES unset says so loudly: at start-up in production, and at the first forwarded request', async () => {
    const worker = await spawnBff(`t_proxywarn_${randomBytes(4).toString('hex')}`);
    try {
      expect(worker.output()).not.toContain('TRUSTED_PROXIES');
      await fetch(`${worker.url}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      await fetch(`${worker.url}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.10' } });
      for (let i = 0; i < 50 && !worker.output().includes('TRUSTED_PROXIES'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(worker.output().match(/TRUSTED_PROXIES/g)?.length).toBe(1);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    const secret = () => randomBytes(24).toString('hex');
    const production = await spawnBff(`t_proxyprod_${randomBytes(4).toString('hex')}`, {
      NODE_ENV: 'production',
      JWT_SECRET: secret(),
      WECHAT_SECRET: secret(),
      MALL_PROVIDER_KEY: secret(),
      BANK_SYSTEMS_SECRET: secret(),
      PII_HASH_SECRET: secret(),
      MERCHANT_SECRET: secret(),
      COUPON_CODE_SECRET: secret(),
    });
    try {
      expect(production.output()).toMatch(/TRUSTED_PROXIES is not set/);
    } finally {
      production.child.kill('SIGTERM');
      await production.exited;
    }
    // Set explicitly (0: clients connect directly), nothing to warn about.
    const direct = await spawnBff(`t_proxyzero_${randomBytes(4).toString('hex')}`, { TRUSTED_PROXIES: '0' });
    try {
      expect(direct.output()).not.toContain('TRUSTED_PROXIES');
    } finally {
      direct.child.kill('SIGTERM');
      await direct.exited;
    }
  }, 120_000);
});
