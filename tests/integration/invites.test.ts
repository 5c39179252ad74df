import { startBff, type TestBff } from '../helpers/bff';
import { drainFeed } from '../helpers/feed';
import { seedDemo, staffToken } from '../helpers/seed';
import { activityInput, customerSession, publishActivity, signIn } from '../helpers/activities';
import { rewardLine } from '../../miniprogram/src/components/activity-card/reward-line';

let bff: TestBff;

beforeAll(async () => {
  bff = await startBff('invites');
  await seedDemo(bff);
  const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  await publishActivity(
    bff,
    tokens,
    activityInput(bff, { title: '邀请好友', type: 'task', reward: { kind: 'points', amount: 15 }, settings: { task: 'invite', frequency: 'daily' } }),
  );
});
afterAll(() => bff.stop());

const balance = async (token: string) => (await bff.call('getMyPoints', {}, { token })).body.balance as number;
const login = async (openid: string) => (await signIn(bff, openid)).token;
const accept = (token: string, code: string) => bff.call('acceptInvite', { body: { code } }, { token });

describe('invite a friend (邀请好友)', () => {
  test('a new customer arriving with my code counts once, and completes my invite task', async () => {
    const inviter = await customerSession(bff);
    const codes = await Promise.all(Array.from({ length: 5 }, () => bff.call('getMyInvite', {}, { token: inviter.token })));
    expect(new Set(codes.map((c) => c.body.code)).size).toBe(1);
    const { code, path } = codes[0].body;
    expect(path).toBe(`/pages/index/index?inviter=${code}`);

    bff.clock.advance(1); // the friend registers after the inviter: attribution runs from earlier to later customers
    const friend = await customerSession(bff);
    const results = await Promise.all([0, 1, 2].map(() => accept(friend.token, code)));
    expect(results.map((r) => r.body.accepted)).toEqual([true, true, true]);
    expect((await bff.call('getMyInvite', {}, { token: inviter.token })).body.invited).toBe(1);
    // The invite task is completed from the event feed, after the answer.
    await drainFeed(bff);
    expect(await balance(inviter.token)).toBe(15);
    // The friend cannot switch to another inviter afterwards.
    const other = await customerSession(bff);
    const otherCode = (await bff.call('getMyInvite', {}, { token: other.token })).body.code;
    expect((await accept(friend.token, otherCode)).body.accepted).toBe(false);
    expect((await bff.call('getMyInvite', {}, { token: other.token })).body.invited).toBe(0);
  });

  test('a mutual or backwards invitation is refused: no pair of customers pays each other', async () => {
    const first = await customerSession(bff);
    bff.clock.advance(1000);
    const second = await customerSession(bff);
    const codeOf = async (token: string) => (await bff.call('getMyInvite', {}, { token })).body.code as string;
    const [firstCode, secondCode] = [await codeOf(first.token), await codeOf(second.token)];
    // Backwards: the earlier customer takes the code of one who joined after them.
    expect((await accept(first.token, secondCode)).body.accepted).toBe(false);
    expect((await accept(second.token, firstCode)).body.accepted).toBe(true);
    // Mutual: the inviter then takes their own invitee's code.
    expect((await accept(first.token, secondCode)).body.accepted).toBe(false);
    const invited = async (token: string) => (await bff.call('getMyInvite', {}, { token })).body.invited;
    expect([await invited(first.token), await invited(second.token)]).toEqual([1, 0]);
    expect(await balance(second.token)).toBe(0);
  });

  test('my own code, an old customer, an unknown or malformed code do not count', async () => {
    const me = await customerSession(bff);
    const code = (await bff.call('getMyInvite', {}, { token: me.token })).body.code;
    expect((await accept(me.token, code)).body.accepted).toBe(false);
    expect((await accept(me.token, 'ZZZZZZZZ')).status).toBe(404);
    expect((await accept(me.token, 'bad')).status).toBe(400);

    const veteran = await customerSession(bff);
    bff.clock.advance(25 * 60 * 60 * 1000); // registered more than a day ago
    expect((await accept(await login(veteran.openid), code)).body.accepted).toBe(false);
    expect((await bff.call('getMyInvite', {}, { token: await login(me.openid) })).body.invited).toBe(0);
  });
});

describe('the invite card says what the rules pay (finding 15)', () => {
  test('an invite paying 30 points per registered friend, at most 3, reads so on its card and page, not 参与得 30 积分', async () => {
    const tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
    const id = await publishActivity(
      bff,
      tokens,
      activityInput(bff, {
        type: 'invite',
        title: '邀请好友注册',
        rules: '每邀请一位好友注册得 30 积分，每人最多 3 位；好友注册得 10 积分。',
        reward: { kind: 'points', amount: 30 },
        settings: { qualifyingAction: 'register', maxInvitesPerCustomer: 3, welcomeReward: { kind: 'points', amount: 10 } },
      }),
    );
    const me = await customerSession(bff);
    const card = (await bff.call('listMyActivities', {}, { token: me.token })).body.items.find((a: { id: string }) => a.id === id);
    expect(card.referralTerms).toEqual({ kind: 'invite', qualifyingAction: 'register', friends: 3, welcomeReward: { kind: 'points', amount: 10 } });
    expect(rewardLine(card)).toBe('每邀请 1 位好友注册得 30 积分，最多 3 位；好友得 10 积分');
    const page = (await bff.call('getMyActivity', { params: { id } }, { token: me.token })).body;
    expect(rewardLine(page)).toBe(rewardLine(card));

    // Each qualifying action in its own words; an assist by the friends it needs; other types as before.
    const terms = { kind: 'invite', friends: 5, welcomeReward: null } as const;
    expect(rewardLine({ type: 'invite', reward: { kind: 'points', amount: 100 }, referralTerms: { ...terms, qualifyingAction: 'open_account' } })).toBe(
      '每邀请 1 位好友开户得 100 积分，最多 5 位',
    );
    expect(rewardLine({ type: 'invite', reward: { kind: 'coupon', name: '咖啡券', validDays: 30 }, referralTerms: { ...terms, qualifyingAction: 'bind_phone' } })).toBe(
      '每邀请 1 位好友绑定手机号得「咖啡券」，最多 5 位',
    );
    expect(rewardLine({ type: 'assist', reward: { kind: 'points', amount: 200 }, referralTerms: { kind: 'assist', friends: 10 } })).toBe('集齐 10 位好友助力得 200 积分');
    expect(rewardLine({ type: 'live', reward: { kind: 'points', amount: 10 }, referralTerms: null })).toBe('参与得 10 积分');
    expect(rewardLine({ type: 'quiz', reward: null, referralTerms: null })).toBeNull();
  });
});
