import { randomBytes, randomUUID } from 'node:crypto';
import { BANK_HEADERS } from '../../shared/signed-requests';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { startBff, testConfig, uniqueDbName, type TestBff } from '../helpers/bff';
import { spawnBff, type BffProcess } from '../helpers/process';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { createStaffAccount } from '../helpers/staff';
import { wechatCode } from '../helpers/wechat';
import { drainFeed } from '../helpers/feed';
import { armedFaults } from '../helpers/faults';

const dbName = uniqueDbName('referrals');
let bff: TestBff;
let tokens: { admin: string; reviewer: string };
const faults = armedFaults();

beforeAll(async () => {
  // Helpers' networks are told apart by X-Forwarded-For, as behind the bank's gateway.
  bff = await startBff('referrals', { dbName, env: { TRUSTED_PROXIES: '1' }, faults });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

type Session = { id: string; token: string; openid: string };
async function signInAgain(openid: string): Promise<string> {
  const { code } = await wechatCode({ openid });
  return (await bff.call('loginWithWechat', { body: { code } })).body.accessToken;
}
async function shareOf(c: Session, body: Record<string, unknown> = {}): Promise<string> {
  const res = await bff.call('createMyShare', { body }, { token: c.token });
  expect(res.status).toBe(200);
  return res.body.scene;
}
const arrive = (c: Session, scene: string) => bff.call('recordArrival', { body: { scene } }, { token: c.token });
/**
 * A customer who registers after everyone made so far: attribution runs from earlier customers
 * to later ones in (createdAt, id), and the test's clock stands still unless moved.
 */
function newcomer(): Promise<Session> {
  bff.clock.advance(1);
  return customerSession(bff);
}
const balance = async (c: Session) => (await bff.app.services.points.balance(c.id)).balance;

function inviteActivity(settings: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return activityInput(bff, {
    type: 'invite',
    title: '邀请好友开户',
    rules: '每邀请一位好友开户得 100 积分，每人最多邀请 3 位。',
    reward: { kind: 'points', amount: 100 },
    settings: { qualifyingAction: 'open_account', maxInvitesPerCustomer: 3, ...settings },
    ...overrides,
  });
}
function assistActivity(settings: Record<string, unknown> = {}) {
  const needed = (settings.helpersNeeded as number | undefined) ?? 10;
  return activityInput(bff, {
    type: 'assist',
    title: '好友助力',
    rules: `48 小时内集齐 ${needed} 位好友助力得 200 积分。`,
    reward: { kind: 'points', amount: 200 },
    settings: { helpersNeeded: needed, validHours: 48, ...settings },
  });
}

describe('shares and first-touch attribution', () => {
  test('a scene resolves to its sharer and activity; its code image comes from WeChat once; a scene over 32 characters is refused', async () => {
    const a = await newcomer();
    const scene = await shareOf(a);
    expect(scene).toMatch(/^[A-Za-z0-9]{1,32}$/);
    expect(await shareOf(a)).toBe(scene); // the same share, the same scene
    const info = await bff.call('getScene', { params: { scene } }, { token: a.token });
    expect(info.body).toMatchObject({ scene, activityId: null, sharer: { kind: 'customer' }, channel: 'link' });

    for (let i = 0; i < 2; i++) {
      const image = await fetch(`${bff.url}/api/v1/scenes/${scene}/wxacode`, { headers: { Authorization: `Bearer ${a.token}` } });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(
        Buffer.from(await image.arrayBuffer())
          .subarray(0, 8)
          .toString('hex'),
      ).toBe('89504e470d0a1a0a');
    }
    const calls = await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/wxacodes?scene=${scene}`)).json();
    expect(calls.items).toEqual([expect.objectContaining({ scene, page: 'pages/index/index' })]);

    const long = 'A'.repeat(33);
    for (const res of [await arrive(a, long), await bff.call('getScene', { params: { scene: long } }, { token: a.token })]) {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    await expect(bff.app.services.wechat.getUnlimitedQrCode({ scene: long })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  test('first touch wins; no re-attribution, no self-invite, no loop; an old customer is never attributed', async () => {
    const [a, b, c] = [await newcomer(), await newcomer(), await newcomer()];
    const [sceneA, sceneC] = [await shareOf(a), await shareOf(c)];
    expect((await arrive(a, sceneA)).body).toMatchObject({ attributed: false, refusal: 'self' });
    expect((await arrive(b, sceneA)).body).toMatchObject({ attributed: true });
    expect((await arrive(b, sceneA)).body).toMatchObject({ attributed: true }); // a retry of the same arrival
    expect((await arrive(b, sceneC)).body).toMatchObject({ attributed: false, refusal: 'already_attributed' });
    // b brought by a: a arriving through b's share would close a loop.
    expect((await arrive(a, await shareOf(b))).body).toMatchObject({ attributed: false, refusal: 'loop' });
    expect((await bff.call('getMyInvite', {}, { token: a.token })).body.invited).toBe(1);

    const late = await newcomer();
    const started = bff.clock.now();
    bff.clock.advance(25 * 60 * 60 * 1000);
    try {
      const token = await signInAgain(late.openid);
      expect((await bff.call('recordArrival', { body: { scene: sceneA } }, { token })).body).toMatchObject({ attributed: false, refusal: 'existing_customer' });
    } finally {
      bff.clock.set(started);
    }
  });

  test('the chain is stored with its manager, inherited down it, and read to a bounded depth', async () => {
    const rmToken = await staffToken(bff, 'rm');
    const poster = await bff.call('getMyPoster', undefined, { token: rmToken });
    expect(poster.status).toBe(200);
    expect(poster.body).toMatchObject({ manager: { name: '**理', title: '客户经理' }, wxacode: `/scenes/${poster.body.scene}/wxacode` });
    const chain: Session[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await newcomer();
      const scene = i === 0 ? poster.body.scene : await shareOf(chain[i - 1]);
      expect((await arrive(next, scene)).body.attributed).toBe(true);
      chain.push(next);
    }
    const tree = await bff.call('getReferralTree', { params: { id: chain[1].id }, query: { depth: '1' } }, { token: tokens.admin });
    expect(tree.status).toBe(200);
    expect(tree.body.ancestors.map((n: { customerId: string }) => n.customerId)).toEqual([chain[0].id]);
    expect(tree.body.descendants.map((n: { customerId: string; managerId: string }) => [n.customerId, n.managerId])).toEqual([[chain[2].id, 'staff-rm-sh']]);
    expect(tree.body.truncated).toBe(true);
    const deep = await bff.call('getReferralTree', { params: { id: chain[0].id }, query: { depth: '5' } }, { token: tokens.admin });
    expect(deep.body.descendants.map((n: { depth: number }) => n.depth)).toEqual([1, 2, 3]);
    expect(deep.body.truncated).toBe(false);
    expect((await bff.request('GET', `/api/v1/admin/customers/${chain[0].id}/referral-tree?depth=11`, { token: tokens.admin })).status).toBe(400);

    // What a customer took part in shows on the manager's list.
    const live = await publishActivity(bff, tokens, activityInput(bff));
    expect((await bff.call('joinActivity', { params: { id: live } }, { token: chain[0].token })).body.joined).toBe(true);
    // A poster for that activity: the manager picks it from the live ones of their branch chain.
    expect((await bff.call('listPosterActivities', {}, { token: rmToken })).body.items.map((a: { id: string }) => a.id)).toContain(live);
    const forLive = await bff.call('getMyPoster', { query: { activityId: live } }, { token: rmToken });
    expect(forLive.body).toMatchObject({ title: '预约直播领积分', copy: '预约银行理财直播即可获得积分奖励' });
    expect(forLive.body.scene).not.toBe(poster.body.scene);
    // All four are the manager's: one through the poster, three through customers.
    const mine = await bff.call('listMyManagedCustomers', { query: { limit: '100' } }, { token: rmToken });
    const ids = mine.body.items.map((c: { customerId: string }) => c.customerId);
    for (const c of chain) expect(ids).toContain(c.id);
    expect(mine.body.items.find((c: { customerId: string }) => c.customerId === chain[0].id)).toMatchObject({ via: 'poster', joined: ['预约直播领积分'] });
    expect(mine.body.items.find((c: { customerId: string }) => c.customerId === chain[3].id)).toMatchObject({ via: 'referral', invitedBy: expect.any(String) });
    // Head office reads any manager's book; a branch admin only their own branch's managers.
    expect((await bff.call('listManagedCustomers', { params: { id: 'staff-rm-sh' } }, { token: tokens.admin })).body.items.length).toBeGreaterThanOrEqual(4);
    await createStaffAccount(bff, { username: 'gz.referrals', password: 'Guangzhou#1', role: 'admin', orgUnitId: 'org-gz', name: '周广' });
    const gz = await staffToken(bff, 'gz.referrals', 'Guangzhou#1');
    expect((await bff.call('listManagedCustomers', { params: { id: 'staff-rm-sh' } }, { token: gz })).status).toBe(404);
    expect((await bff.call('getReferralTree', { params: { id: chain[0].id } }, { token: gz })).status).toBe(404);
  });
});

describe('invite activities', () => {
  function bankPost(url: string, body: unknown) {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(12).toString('hex');
    const signature = signBankRequest(testConfig().bankSystemsSecret, { method: 'POST', path: '/api/v1/bank/conversions', timestamp, nonce, body: raw });
    return fetch(`${url}/api/v1/bank/conversions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [BANK_HEADERS.timestamp]: timestamp, [BANK_HEADERS.nonce]: nonce, [BANK_HEADERS.signature]: signature },
      body: raw,
    });
  }
  const opened = (customerId: string, eventId = `evt-${randomUUID()}`) => ({ eventId, kind: 'open_account', occurredAt: new Date().toISOString(), customerId });

  let processes: BffProcess[] = [];
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
  });

  test('an account opened, reported twice and by two processes at once, pays the inviter once; the cap holds under concurrency; Moments arrivals earn nothing', async () => {
    processes = await Promise.all([spawnBff(dbName), spawnBff(dbName)]);
    const activityId = await publishActivity(bff, tokens, inviteActivity({ welcomeReward: { kind: 'points', amount: 10 } }));
    const inviter = await newcomer();
    const scene = await shareOf(inviter, { activityId });
    const invitees: Session[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await newcomer();
      // Friends on their own networks (three from one would hold the reward for review).
      expect((await bff.call('recordArrival', { body: { scene } }, { token: c.token, headers: { 'X-Forwarded-For': `10.1.${i}.7` } })).body.attributed).toBe(true);
      invitees.push(c);
    }
    expect(await balance(inviter)).toBe(0); // registering is not this activity's qualification
    // The first invitee's account reported four times at once, twice through each process, under one event id and two.
    const first = invitees[0].id;
    const same = opened(first);
    const results = await Promise.all([
      bankPost(processes[0].url, same),
      bankPost(processes[1].url, same),
      bankPost(processes[0].url, opened(first)),
      bankPost(processes[1].url, opened(first)),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await balance(inviter)).toBe(100);
    expect(await balance(invitees[0])).toBe(10);
    // Five more at once, across both processes: the cap of 3 pays two more and no more.
    await Promise.all(invitees.slice(1).map(async (c, i) => bankPost(processes[i % 2].url, opened(c.id))));
    expect(await balance(inviter)).toBe(300);
    for (const c of invitees) expect(await balance(c)).toBe(10);
    const stats = await bff.call('getInviteStats', { params: { id: activityId } }, { token: tokens.admin });
    expect(stats.body).toMatchObject({ invites: 6, qualified: 6, inviters: 1, kFactor: 6, capped: 3 });

    const timeline = await shareOf(inviter, { activityId, channel: 'timeline' });
    const fromMoments = await newcomer();
    expect((await arrive(fromMoments, timeline)).body.attributed).toBe(true);
    expect((await bankPost(processes[0].url, opened(fromMoments.id))).status).toBe(200);
    expect(await balance(inviter)).toBe(300);
    expect(await balance(fromMoments)).toBe(0);
  }, 120_000);

  test('three friends qualifying from one network hold the inviter’s reward for a reviewer', async () => {
    const activityId = await publishActivity(bff, tokens, inviteActivity({ qualifyingAction: 'register' }, { rules: '每邀请一位好友注册得 100 积分，每人最多邀请 3 位。' }));
    const inviter = await newcomer();
    const scene = await shareOf(inviter, { activityId });
    for (let i = 0; i < 3; i++) {
      const c = await newcomer();
      expect((await bff.call('recordArrival', { body: { scene } }, { token: c.token, headers: { 'X-Forwarded-For': '10.9.9.9' } })).body.attributed).toBe(true);
    }
    expect(await balance(inviter)).toBe(200);
    const held = (await bff.call('listPendingReferralHolds', {}, { token: tokens.reviewer })).body.items.filter((h: { activityId: string }) => h.activityId === activityId);
    expect(held).toEqual([expect.objectContaining({ kind: 'invite', customerId: inviter.id, flags: ['shared_ip'], reward: { kind: 'points', amount: 100 } })]);
    expect((await bff.call('approveReferralHold', { params: { id: held[0].id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect(await balance(inviter)).toBe(300);
  });

  test('a friend who binds a phone before the invite ends counts, even when the feed handles it after the end', async () => {
    const now = bff.clock.now().getTime();
    const schedule = { startAt: new Date(now - 60_000).toISOString(), endAt: new Date(now + 60 * 60_000).toISOString() };
    const activityId = await publishActivity(
      bff,
      tokens,
      inviteActivity({ qualifyingAction: 'bind_phone' }, { rules: '每邀请一位好友绑定手机号得 100 积分，每人最多邀请 3 位。', schedule }),
    );
    const inviter = await newcomer();
    const scene = await shareOf(inviter, { activityId });
    const friend = await newcomer();
    expect((await bff.call('recordArrival', { body: { scene } }, { token: friend.token, headers: { 'X-Forwarded-For': '10.7.7.7' } })).body.attributed).toBe(true);
    const phoneCode = ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=13700001111`)).json()) as { code: string }).code;
    expect((await bff.call('bindMyPhone', { body: { code: phoneCode } }, { token: friend.token })).status).toBe(200);
    // The feed's worker gets to it only after the activity has ended: it counts by when the phone was bound.
    bff.clock.advance(2 * 60 * 60_000);
    await drainFeed(bff);
    expect(await balance(inviter)).toBe(100);
    // Staff sessions are short-lived: the later tests sign in again after the clock moved.
    tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  });

  test('an invite or assist activity must name its fixed reward and the number of friends', async () => {
    for (const input of [inviteActivity({}, { reward: undefined }), inviteActivity({}, { rules: '邀请好友开户有奖。' }), { ...assistActivity(), rules: '集齐好友助力有奖。' }]) {
      const res = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input });
      expect(res.status).toBe(422);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual([input.reward ? 'body.rules' : 'body.reward']);
    }
  });
});

describe('assist (助力)', () => {
  async function started(settings: Record<string, unknown> = {}) {
    const activityId = await publishActivity(bff, tokens, assistActivity(settings));
    const starter = await newcomer();
    const res = await bff.call('startAssist', { params: { id: activityId } }, { token: starter.token });
    expect(res.status).toBe(200);
    return { activityId, starter, assist: res.body };
  }
  const help = (c: Session, assistId: string, headers: Record<string, string> = {}) =>
    bff.call('helpAssist', { params: { id: assistId }, headers: { ...headers } }, { token: c.token });

  test('50 helpers at once for 10 places: exactly 10 helps count and the reward is paid once', async () => {
    const { starter, assist } = await started();
    const helpers = await Promise.all(Array.from({ length: 50 }, () => newcomer()));
    // Friends who have been customers a while: accounts minutes old that help are held as farmed.
    bff.clock.advance(11 * 60 * 1000);
    // Each friend opens the starter's share first, as the mini-program does.
    for (const h of helpers) expect((await arrive(h, assist.share.scene)).body).toMatchObject({ assistId: assist.id });
    const results = await Promise.all(
      helpers.map((h, i) => help(h, assist.id, { 'X-Device-Id': `device-${i}-${randomBytes(4).toString('hex')}`, 'X-Forwarded-For': `10.0.${i}.1` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.code === 'ASSIST_COMPLETED')).toBe(true);
    const after = await bff.call('getAssist', { params: { id: assist.id } }, { token: starter.token });
    expect(after.body).toMatchObject({ helped: 10, state: 'completed', rewardState: 'paid' });
    expect(after.body.helpers).toHaveLength(10);
    expect(await balance(starter)).toBe(200);
    const late = await newcomer();
    expect((await help(late, assist.id)).body.code).toBe('ASSIST_COMPLETED');
  }, 60_000);

  test('refused: helping yourself, helping twice, after expiry, and an existing customer where only newcomers may help', async () => {
    const { starter, assist } = await started({ newCustomersOnly: true });
    expect((await help(starter, assist.id)).body.code).toBe('ASSIST_SELF_HELP');
    const friend = await newcomer();
    expect((await help(friend, assist.id)).status).toBe(200);
    expect((await help(friend, assist.id)).body.code).toBe('ASSIST_ALREADY_HELPED');
    const friendView = await bff.call('getAssist', { params: { id: assist.id } }, { token: friend.token });
    expect(friendView.body).toMatchObject({ helped: 1, mine: false, helpedByMe: true, helpers: [], share: null });

    const other = await started({ newCustomersOnly: true });
    const veteran = await newcomer();
    bff.clock.advance(1000);
    const fresh = await started({ newCustomersOnly: true });
    expect((await help(veteran, fresh.assist.id)).body.code).toBe('ASSIST_NEW_CUSTOMERS_ONLY');

    // One help a day across the activity's assists, where the activity says so.
    const daily = await started({ onePerHelperPerDay: true });
    const other2 = await bff.call('startAssist', { params: { id: daily.activityId } }, { token: (await newcomer()).token });
    const neighbour = await newcomer();
    expect((await help(neighbour, daily.assist.id)).status).toBe(200);
    expect((await help(neighbour, other2.body.id)).body.code).toBe('ASSIST_DAILY_LIMIT');

    const begun = bff.clock.now();
    bff.clock.advance(49 * 60 * 60 * 1000);
    try {
      const late = await newcomer();
      expect((await help(late, other.assist.id)).body.code).toBe('ASSIST_EXPIRED');
      expect((await bff.call('getAssist', { params: { id: other.assist.id } }, { token: await signInAgain(other.starter.openid) })).body).toMatchObject({
        state: 'expired',
        helped: 0,
        rewardState: 'none',
      });
    } finally {
      bff.clock.set(begun);
    }
  });

  test('velocity limits hold per helper; a ring of mutual helps holds the reward for a reviewer: approval pays once, rejection pays nothing', async () => {
    // Two customers who help each other's assists, with friends from one network.
    const activityId = await publishActivity(bff, tokens, assistActivity({ helpersNeeded: 3 }));
    const [x, y] = [await newcomer(), await newcomer()];
    const assistX = (await bff.call('startAssist', { params: { id: activityId } }, { token: x.token })).body;
    const assistY = (await bff.call('startAssist', { params: { id: activityId } }, { token: y.token })).body;
    expect((await help(x, assistY.id)).status).toBe(200);
    const others = await Promise.all(Array.from({ length: 4 }, () => newcomer()));
    expect((await help(y, assistX.id)).status).toBe(200);
    for (const o of others.slice(0, 2)) expect((await help(o, assistX.id)).status).toBe(200);
    for (const o of others.slice(2)) expect((await help(o, assistY.id)).status).toBe(200);
    for (const [c, a] of [
      [x, assistX],
      [y, assistY],
    ] as const) {
      expect((await bff.call('getAssist', { params: { id: a.id } }, { token: c.token })).body).toMatchObject({ state: 'completed', rewardState: 'held' });
      expect(await balance(c)).toBe(0);
    }
    const queue = await bff.call('listPendingReferralHolds', {}, { token: tokens.reviewer });
    const held = queue.body.items.filter((h: { activityId: string }) => h.activityId === activityId);
    expect(held).toHaveLength(2);
    expect(held.every((h: { flags: string[] }) => h.flags.includes('mutual_help'))).toBe(true);
    const holdOf = (c: Session) => held.find((h: { customerId: string }) => h.customerId === c.id).id;
    expect((await bff.call('approveReferralHold', { params: { id: holdOf(x) }, body: {} }, { token: tokens.admin })).status).toBe(403); // reviewers decide
    expect((await bff.call('approveReferralHold', { params: { id: holdOf(x) }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect((await bff.call('approveReferralHold', { params: { id: holdOf(x) }, body: {} }, { token: tokens.reviewer })).status).toBe(200); // a retry
    expect((await bff.call('rejectReferralHold', { params: { id: holdOf(y) }, body: { reason: '互助刷量' } }, { token: tokens.reviewer })).status).toBe(200);
    expect([await balance(x), await balance(y)]).toEqual([200, 0]);
    expect((await bff.call('getAssist', { params: { id: assistX.id } }, { token: x.token })).body.rewardState).toBe('paid');
    expect((await bff.call('getAssist', { params: { id: assistY.id } }, { token: y.token })).body.rewardState).toBe('rejected');

    // One helper across many assists: past the hourly limit, refused with 429.
    const busy = await newcomer();
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const s = await newcomer();
      const a = (await bff.call('startAssist', { params: { id: activityId } }, { token: s.token })).body;
      codes.push((await help(busy, a.id)).status);
    }
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(codes[10]).toBe(429);
  }, 60_000);
});

describe('hand-over (离职继承)', () => {
  async function customersOf(rmToken: string, count: number): Promise<Session[]> {
    const poster = (await bff.call('getMyPoster', undefined, { token: rmToken })).body;
    const out: Session[] = [];
    for (let i = 0; i < count; i++) {
      const c = await newcomer();
      expect((await arrive(c, poster.scene)).body.attributed).toBe(true);
      out.push(c);
    }
    return out;
  }
  async function newManager(name: string): Promise<{ id: string; token: string }> {
    const username = `rm_${randomBytes(4).toString('hex')}`;
    const id = await createStaffAccount(bff, { username, password: 'Handover#2026', role: 'rm', orgUnitId: 'org-sh', name });
    return { id, token: await staffToken(bff, username, 'Handover#2026') };
  }

  test('moves some customers after a second person approves, keeps history, and later arrivals follow the new manager', async () => {
    const [leaving, taking] = [await newManager('张离职'), await newManager('李接手')];
    const customers = await customersOf(leaving.token, 3);
    const requested = await bff.call(
      'requestHandover',
      {
        body: {
          fromRmId: leaving.id,
          toRmId: taking.id,
          customerIds: [customers[0].id, customers[1].id],
          reason: '客户经理离职',
        },
      },
      { token: tokens.admin },
    );
    expect(requested.status).toBe(201);
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: tokens.admin })).status).toBe(403);
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    let report: any;
    for (let i = 0; i < 50 && report?.run?.state !== 'done'; i++) {
      report = (await bff.call('getHandover', { params: { id: requested.body.id } }, { token: tokens.admin })).body;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(report.run).toEqual({ state: 'done', total: 2, moved: 2, skipped: 0 });
    expect(report.items.map((i: { outcome: string }) => i.outcome)).toEqual(['moved', 'moved']);
    const takingCustomers = (await bff.call('listMyManagedCustomers', undefined, { token: taking.token })).body.items;
    expect(takingCustomers.map((c: { customerId: string; via: string }) => [c.customerId, c.via]).sort()).toEqual(
      [
        [customers[0].id, 'handover'],
        [customers[1].id, 'handover'],
      ].sort(),
    );
    expect((await bff.call('listMyManagedCustomers', undefined, { token: leaving.token })).body.items.map((c: { customerId: string }) => c.customerId)).toEqual([customers[2].id]);
    expect((await bff.app.services.capabilities.referrals.managerBooks.history(customers[0].id)).map((h) => [h.data.rmId, h.data.via])).toEqual([
      [leaving.id, 'attribution'],
      [taking.id, 'handover'],
    ]);
    // A friend of a handed-over customer comes under the new manager.
    const friend = await newcomer();
    expect((await arrive(friend, await shareOf(customers[0]))).body.attributed).toBe(true);
    expect((await bff.call('getMyReferralFigures', {}, { token: taking.token })).body).toMatchObject({
      customers: 3,
      inherited: 2,
      broughtDirectly: 0,
      broughtThroughCustomers: 1,
    });
  });

  test('a process killed half-way through a hand-over: the sweep finishes it, each customer moved once', async () => {
    const [leaving, taking] = [await newManager('王离职'), await newManager('周接手')];
    const customers = await customersOf(leaving.token, 60);
    const worker = await spawnBff(dbName, { HANDOVER_BATCH_SIZE: '5' });
    const login = async (username: string) =>
      (
        await (
          await fetch(`${worker.url}/api/v1/auth/staff`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ username, password: 'Demo@2026' }),
          })
        ).json()
      ).accessToken;
    const call = (token: string, path: string, body: unknown) =>
      fetch(`${worker.url}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const requested = await (await call(await login('admin'), '/admin/rm-handovers', { fromRmId: leaving.id, toRmId: taking.id, reason: '客户经理离职' })).json();
    expect((await call(await login('reviewer'), `/admin/rm-handovers/${requested.id}/approve`, {})).status).toBe(200);
    const items = () => bff.db.collection('rm_handover_items').countDocuments({ runId: requested.id });
    for (let i = 0; i < 400 && (await items()) < 5; i++) await new Promise((r) => setTimeout(r, 10));
    worker.child.kill('SIGKILL');
    await worker.exited;
    const movedBefore = await items();
    expect(movedBefore).toBeGreaterThan(0);
    expect(movedBefore).toBeLessThan(60);

    await bff.app.services.capabilities.referrals.handovers.recover();
    const report = (await bff.call('getHandover', { params: { id: requested.id } }, { token: tokens.admin })).body;
    expect(report.run).toEqual({ state: 'done', total: 60, moved: 60, skipped: 0 });
    expect(new Set(report.items.map((i: { customerId: string }) => i.customerId)).size).toBe(60);
    for (const c of customers.slice(0, 10)) {
      const history = await bff.app.services.capabilities.referrals.managerBooks.history(c.id);
      expect(history.map((h) => h.data.rmId)).toEqual([leaving.id, taking.id]);
    }
    expect((await bff.call('getMyReferralFigures', {}, { token: taking.token })).body).toMatchObject({ customers: 60, inherited: 60 });
    expect((await bff.call('getMyReferralFigures', {}, { token: leaving.token })).body).toMatchObject({ customers: 0 });
  }, 120_000);
  test('a customer whose move keeps failing holds up no other: tried again by each resumed run, then parked and reported as not moved', async () => {
    const [leaving, taking] = [await newManager('赵离职'), await newManager('钱接手')];
    const customers = await customersOf(leaving.token, 3);
    const { handovers } = bff.app.services.capabilities.referrals;
    const requested = await bff.call('requestHandover', { body: { fromRmId: leaving.id, toRmId: taking.id, reason: '客户经理离职' } }, { token: tokens.admin });
    expect(requested.status).toBe(201);
    const report = async () => (await bff.call('getHandover', { params: { id: requested.body.id } }, { token: tokens.admin })).body;
    const stuck = async () => (await bff.app.services.jobBooks.report()).items.filter((i) => i.job === 'referrals.handoverMoves' && i.key.startsWith(requested.body.id));

    // The first customer's move fails on every pass (the fault is armed again before each); the others move on the first.
    faults.arm('before:handover.move', 'error');
    expect((await bff.call('approveHandover', { params: { id: requested.body.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    for (let i = 0; i < 200 && (await stuck()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    for (let pass = 2; pass <= 5; pass++) {
      expect((await report()).run.state).toBe('running');
      faults.arm('before:handover.move', 'error');
      await expect(handovers.recover()).rejects.toThrow('not moved yet');
    }
    expect(await stuck()).toEqual([expect.objectContaining({ failures: 5, parked: true })]);
    const moved = (await bff.call('listMyManagedCustomers', undefined, { token: taking.token })).body.items.map((c: { customerId: string }) => c.customerId);
    expect(moved).toHaveLength(2);

    // Parked, it no longer holds the run: the hand-over finishes and says which customer was not moved, and why.
    await handovers.recover();
    const done = await report();
    expect(done.run).toEqual({ state: 'done', total: 3, moved: 2, skipped: 1 });
    const left = customers.find((c) => !moved.includes(c.id))!;
    expect(done.items.find((i: { customerId: string }) => i.customerId === left.id)).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('多次移交失败') });
    expect((await bff.call('listMyManagedCustomers', undefined, { token: leaving.token })).body.items.map((c: { customerId: string }) => c.customerId)).toEqual([left.id]);
  });
});
