import { randomBytes } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { SPAWN_HOOK_TIMEOUT_MS, spawnBff, type BffProcess } from '../helpers/process';
import { checkedFetch } from '../helpers/contract';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';

/**
 * Issue 26, findings 9–11: where referrals hand over to another part (an attribution to
 * another attribution, an assist and an invite to the reward budget), a decision once recorded
 * is carried out, and what a customer is told is what happened.
 */
const dbName = uniqueDbName('refexact');
const faults = armedFaults();
let bff: TestBff;
let processes: BffProcess[] = [];
let tokens: { admin: string; reviewer: string };

beforeAll(async () => {
  // Friends' networks are told apart by X-Forwarded-For, as behind the bank's gateway.
  bff = await startBff('refexact', { dbName, faults, env: { TRUSTED_PROXIES: '1' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  processes = await Promise.all([spawnBff(dbName, { TRUSTED_PROXIES: '1' }), spawnBff(dbName, { TRUSTED_PROXIES: '1' })]);
}, SPAWN_HOOK_TIMEOUT_MS);
// The clock moves on by minutes in these tests: a staff session of its own for each.
beforeEach(async () => {
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await bff.stop();
});

type Session = { id: string; token: string; openid: string };
const MINUTE = 60 * 1000;
const balance = async (c: Session) => (await bff.app.services.points.balance(c.id)).balance;
const network = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
async function shareOf(c: Session, body: Record<string, unknown> = {}): Promise<string> {
  const res = await bff.call('createMyShare', { body }, { token: c.token });
  expect(res.status).toBe(200);
  return res.body.scene;
}
/** An arrival through a process of its own, from a network of its own. */
async function arriveVia(p: BffProcess, c: Session, scene: string) {
  return checkedFetch(`${p.url}/api/v1/me/arrival`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': network() },
    body: JSON.stringify({ scene }),
  });
}
const arrive = (c: Session, scene: string) => bff.call('recordArrival', { body: { scene } }, { token: c.token, headers: { 'X-Forwarded-For': network() } });
/** Runs the maintenance pass once now and once past every lease (a minute), as the next minute's sweep would. */
async function sweepAfterLease() {
  await bff.app.services.maintenance.runOnce();
  bff.clock.advance(61_000);
  await bff.app.services.maintenance.runOnce();
}
const invariants = (activityId: string) => bff.call('checkReferralInvariants', { params: { id: activityId } }, { token: tokens.reviewer });

describe('attribution is a strict order (finding 9)', () => {
  /** Whoever comes first in (createdAt, id): the only one of the two who may bring the other. */
  async function ordered(x: Session, y: Session): Promise<[Session, Session]> {
    const [cx, cy] = await Promise.all([bff.app.services.customers.findById(x.id), bff.app.services.customers.findById(y.id)]);
    const before = cx!.createdAt.getTime() < cy!.createdAt.getTime() || (cx!.createdAt.getTime() === cy!.createdAt.getTime() && x.id < y.id);
    return before ? [x, y] : [y, x];
  }

  test('16 pairs created in the same millisecond arrive through each other’s links at once, over two processes: never both attributed, only the earlier brings the later', async () => {
    const pairs: [Session, Session][] = [];
    for (let i = 0; i < 16; i++) pairs.push([await customerSession(bff), await customerSession(bff)]);
    // The test's clock stands still: every one of them was created in the same millisecond.
    const times = new Set(await Promise.all(pairs.flat().map(async (c) => (await bff.app.services.customers.findById(c.id))!.createdAt.getTime())));
    expect(times.size).toBe(1);
    const scenes = await Promise.all(pairs.map(async ([a, b]) => [await shareOf(a), await shareOf(b)] as const));

    const answers = await Promise.all(pairs.map(([a, b], i) => Promise.all([arriveVia(processes[0], a, scenes[i][1]), arriveVia(processes[1], b, scenes[i][0])])));
    for (const [x, y] of answers) expect([x.status, y.status]).toEqual([200, 200]);
    // Pairs in which each brought the other: a loop of two.
    expect(answers.filter(([x, y]) => x.body.attributed && y.body.attributed).length).toBe(0);

    for (const [i, [a, b]] of pairs.entries()) {
      const [first, later] = await ordered(a, b);
      const attributions = bff.db.collection<{ _id: string; parentCustomerId: string | null }>('referral_attributions');
      expect(await attributions.findOne({ _id: first.id })).toBeNull();
      expect((await attributions.findOne({ _id: later.id }))?.parentCustomerId).toBe(first.id);
      // The refused direction says why.
      const refused = first === a ? answers[i][0] : answers[i][1];
      expect(refused.body).toMatchObject({ attributed: false, refusal: 'loop' });
    }
  }, 120_000);

  test('a ring of three created in the same millisecond, each arriving through the next one’s link at once: no cycle at any depth', async () => {
    for (let round = 0; round < 4; round++) {
      const ring = [await customerSession(bff), await customerSession(bff), await customerSession(bff)];
      const scenes = await Promise.all(ring.map((c) => shareOf(c)));
      // 0 through 1's link, 1 through 2's, 2 through 0's: all three accepted would be a loop of three.
      await Promise.all(ring.map((c, i) => arriveVia(processes[i % 2], c, scenes[(i + 1) % 3])));
      const parents = new Map<string, string | null>();
      for (const c of ring)
        parents.set(c.id, (await bff.db.collection<{ _id: string; parentCustomerId: string | null }>('referral_attributions').findOne({ _id: c.id }))?.parentCustomerId ?? null);
      for (const c of ring) {
        const seen = new Set<string>();
        for (let at: string | null = c.id; at; at = parents.get(at) ?? null) {
          expect(seen.has(at)).toBe(false);
          seen.add(at);
        }
      }
      expect([...parents.values()].filter(Boolean).length).toBeLessThanOrEqual(2);
    }
  }, 120_000);
});

describe('an empty budget is an outcome, not an error (findings 10, 11)', () => {
  function assistActivity(overrides: Record<string, unknown> = {}) {
    return activityInput(bff, {
      type: 'assist',
      title: '好友助力领积分',
      rules: '集齐 2 位好友助力得 30 积分，名额有限，发完即止。',
      reward: { kind: 'points', amount: 30 },
      budget: { maxRewards: 1 },
      settings: { helpersNeeded: 2, validHours: 48 },
      ...overrides,
    });
  }
  /** Friends who have been customers for a while (not minutes-old accounts), each on their own network and phone. */
  async function friends(n: number): Promise<Session[]> {
    const made = await Promise.all(Array.from({ length: n }, () => customerSession(bff)));
    bff.clock.advance(11 * MINUTE);
    return made;
  }
  const help = (c: Session, assistId: string) =>
    bff.call(
      'helpAssist',
      { params: { id: assistId }, headers: { 'X-Device-Id': `dev-${randomBytes(6).toString('hex')}` } },
      { token: c.token, headers: { 'X-Forwarded-For': network() } },
    );

  test('an assist whose budget ran out: the completing helper gets 200, the starter is told the reward ran out, the books agree', async () => {
    const activityId = await publishActivity(bff, tokens, assistActivity());
    const [first, second] = [await customerSession(bff), await customerSession(bff)];
    const helpers = await friends(4);
    const a1 = (await bff.call('startAssist', { params: { id: activityId } }, { token: first.token })).body;
    const a2 = (await bff.call('startAssist', { params: { id: activityId } }, { token: second.token })).body;
    for (const h of helpers.slice(0, 2)) expect((await help(h, a1.id)).status).toBe(200);
    expect(await balance(first)).toBe(30); // the one reward the budget holds

    expect((await help(helpers[2], a2.id)).status).toBe(200);
    const completing = await help(helpers[3], a2.id);
    expect(completing.status).toBe(200);
    expect(completing.body).toMatchObject({ helped: 2, state: 'completed', helpedByMe: true });

    const starter = await bff.call('getAssist', { params: { id: a2.id } }, { token: second.token });
    expect(starter.body).toMatchObject({ state: 'completed', rewardState: 'exhausted' });
    expect(await balance(second)).toBe(0);
    expect((await bff.call('getAssist', { params: { id: a1.id } }, { token: first.token })).body.rewardState).toBe('paid');

    const check = await invariants(activityId);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ activityId, kind: 'assist', violations: [], figures: { completed: 2, paid: 1, exhausted: 1, held: 0, pending: 0 } });

    expect((await bff.call('checkInvariants', { query: { activityId } }, { token: tokens.reviewer })).body.violations).toEqual([]);

    // What the books held before: a settlement said paid, and the engine neither paid it nor wrote down why. Both checks say so.
    await bff.db.collection('reward_refused').deleteMany({ activityId });
    const broken = await invariants(activityId);
    expect(broken.body.violations).toEqual([expect.stringContaining(a2.id)]);
    expect((await bff.call('checkInvariants', { query: { activityId } }, { token: tokens.reviewer })).body.violations).toEqual([expect.stringContaining(a2.id)]);
  });

  test('a held assist approved after the budget ran out: the approval stands and the starter is told the reward ran out', async () => {
    const activityId = await publishActivity(bff, tokens, assistActivity());
    const [held, paid] = [await customerSession(bff), await customerSession(bff)];
    const helpers = await friends(4);
    const a1 = (await bff.call('startAssist', { params: { id: activityId } }, { token: held.token })).body;
    const a2 = (await bff.call('startAssist', { params: { id: activityId } }, { token: paid.token })).body;
    // Helps from outside the app (no device id): held for a reviewer.
    for (const h of helpers.slice(0, 2))
      expect((await bff.call('helpAssist', { params: { id: a1.id } }, { token: h.token, headers: { 'X-Forwarded-For': network() } })).status).toBe(200);
    expect((await bff.call('getAssist', { params: { id: a1.id } }, { token: held.token })).body.rewardState).toBe('held');
    for (const h of helpers.slice(2)) expect((await help(h, a2.id)).status).toBe(200);
    expect(await balance(paid)).toBe(30);

    const hold = (await bff.call('listPendingReferralHolds', {}, { token: tokens.reviewer })).body.items.find((h: { customerId: string }) => h.customerId === held.id);
    expect((await bff.call('approveReferralHold', { params: { id: hold.id }, body: {} }, { token: tokens.reviewer })).status).toBe(200);
    expect((await bff.call('getAssist', { params: { id: a1.id } }, { token: held.token })).body.rewardState).toBe('exhausted');
    expect(await balance(held)).toBe(0);
    expect((await invariants(activityId)).body).toMatchObject({ violations: [], figures: { paid: 1, exhausted: 1, held: 0 } });
  });

  test.each(['after:assist.completed', 'after:assist.decided'])('a process killed at %s: the sweep pays the assist once', async (point) => {
    const activityId = await publishActivity(
      bff,
      tokens,
      assistActivity({ budget: { maxRewards: 10 }, settings: { helpersNeeded: 1, validHours: 48 }, rules: '集齐 1 位好友助力得 30 积分。' }),
    );
    const starter = await customerSession(bff);
    const [helper] = await friends(1);
    const assist = (await bff.call('startAssist', { params: { id: activityId } }, { token: starter.token })).body;
    faults.arm(point, 'crash');
    expect((await help(helper, assist.id)).status).toBe(500);
    // The help counted; nothing is paid yet, and the starter is not told it was.
    expect((await bff.call('getAssist', { params: { id: assist.id } }, { token: starter.token })).body).toMatchObject({ helped: 1, state: 'completed', rewardState: 'pending' });
    expect(await balance(starter)).toBe(0);
    expect((await invariants(activityId)).body).toMatchObject({ violations: [], figures: { pending: 1 } });

    await sweepAfterLease();
    await sweepAfterLease();
    expect(await balance(starter)).toBe(30);
    expect((await bff.call('getAssist', { params: { id: assist.id } }, { token: starter.token })).body.rewardState).toBe('paid');
    expect(await bff.db.collection('points_ledger').countDocuments({ 'data.ref.activityId': activityId })).toBe(1);
    expect((await invariants(activityId)).body).toMatchObject({ violations: [], figures: { paid: 1, pending: 0 } });
  });

  function inviteActivity(overrides: Record<string, unknown> = {}) {
    return activityInput(bff, {
      type: 'invite',
      title: '邀请好友注册',
      rules: '每邀请一位好友注册得 100 积分，每人最多邀请 3 位；好友得 10 积分。',
      reward: { kind: 'points', amount: 100 },
      settings: { qualifyingAction: 'register', maxInvitesPerCustomer: 3, welcomeReward: { kind: 'points', amount: 10 } },
      ...overrides,
    });
  }

  test('an invite arrival after the budget is spent answers 200 with the attribution and the reward’s state; the friend’s welcome reward is still attempted', async () => {
    // 120 points: the first friend's arrival takes 110; the next inviter reward (100) cannot fit, a welcome reward (10) can once.
    const activityId = await publishActivity(bff, tokens, inviteActivity({ budget: { maxRewards: 100, maxPoints: 120 } }));
    const inviter = await customerSession(bff);
    const scene = await shareOf(inviter, { activityId });
    bff.clock.advance(1); // friends register after the inviter
    const [f1, f2, f3] = [await customerSession(bff), await customerSession(bff), await customerSession(bff)];

    const first = await arrive(f1, scene);
    expect(first.status).toBe(200);
    expect([await balance(inviter), await balance(f1)]).toEqual([100, 10]);

    const second = await arrive(f2, scene);
    expect(second.status).toBe(200);
    expect(first.body).toMatchObject({ attributed: true, welcomeReward: { reward: { kind: 'points', amount: 10 }, state: 'paid' } });
    expect(second.body).toMatchObject({ attributed: true, activityId, welcomeReward: { state: 'paid' } });
    expect([await balance(inviter), await balance(f2)]).toEqual([100, 10]);

    const third = await arrive(f3, scene);
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ attributed: true, welcomeReward: { state: 'exhausted' } });
    // The app sends its saved scene again at its next launch: the same answer, nothing more paid.
    for (let i = 0; i < 2; i++) expect((await arrive(f3, scene)).body).toMatchObject({ attributed: true, welcomeReward: { state: 'exhausted' } });
    expect([await balance(inviter), await balance(f3)]).toEqual([100, 0]);
    expect((await bff.call('getMyInvite', {}, { token: inviter.token })).body.invited).toBe(3);

    const check = await invariants(activityId);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ kind: 'invite', violations: [], figures: { paid: 3, exhausted: 3, held: 0, pending: 0 } });
  });

  test('a process killed between an invite’s marker and its rewards: the sweep pays the inviter and the friend once', async () => {
    const activityId = await publishActivity(bff, tokens, inviteActivity());
    const inviter = await customerSession(bff);
    const scene = await shareOf(inviter, { activityId });
    bff.clock.advance(1);
    const friend = await customerSession(bff);
    faults.arm('after:invite.marked', 'crash');
    expect((await arrive(friend, scene)).status).toBe(500);
    expect([await balance(inviter), await balance(friend)]).toEqual([0, 0]);
    expect((await invariants(activityId)).body).toMatchObject({ violations: [], figures: { pending: 2 } });

    await sweepAfterLease();
    await sweepAfterLease();
    expect([await balance(inviter), await balance(friend)]).toEqual([100, 10]);
    // The app's retry of the same arrival finds it done.
    expect((await arrive(friend, scene)).body).toMatchObject({ attributed: true, welcomeReward: { state: 'paid' } });
    expect([await balance(inviter), await balance(friend)]).toEqual([100, 10]);
    expect((await invariants(activityId)).body).toMatchObject({ violations: [], figures: { paid: 2, pending: 0 } });
  });
});
