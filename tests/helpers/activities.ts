import { randomBytes, randomUUID } from 'node:crypto';
import type { ActivityAnalytics } from '../../shared/contracts/analytics';
import type { TestBff } from './bff';
import { TEST_WECHAT } from './constants';
import { wechatCode } from './wechat';

const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

/** A valid activity input, live from an hour ago for a week by the BFF's clock. */
export function activityInput(bff: TestBff, overrides: Record<string, unknown> = {}) {
  const now = bff.clock.now().getTime();
  return {
    code: `ACT-${randomBytes(4).toString('hex')}`,
    // A livestream sign-up (预约直播得积分): taking part is what pays.
    type: 'live',
    orgUnitId: 'org-sh',
    title: '预约直播领积分',
    description: '预约银行理财直播即可获得积分奖励',
    rules: '1. 活动期间每位客户限领一次；2. 积分有效期至次年年底。',
    schedule: { startAt: iso(new Date(now - 60 * 60 * 1000)), endAt: iso(new Date(now + 7 * 24 * 60 * 60 * 1000)) },
    reward: { kind: 'points', amount: 10 },
    budget: { maxRewards: 1000 },
    settings: { roomId: 'live-room-1', startsAt: iso(new Date(now + 24 * 60 * 60 * 1000)) },
    ...overrides,
  };
}

/** Creates, submits and approves an activity; returns its id. */
export async function publishActivity(bff: TestBff, tokens: { admin: string; reviewer: string }, input: Record<string, unknown>): Promise<string> {
  const created = await bff.request('POST', '/api/v1/admin/activities', { token: tokens.admin, body: input });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const submitted = await bff.call('submitActivity', { params: { id } }, { token: tokens.admin });
  if (submitted.status !== 200) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
  const approved = await bff.call('approveActivity', { params: { id }, body: {} }, { token: tokens.reviewer });
  if (approved.status !== 200) throw new Error(`approve failed: ${JSON.stringify(approved.body)}`);
  return id;
}

/**
 * A customer's WeChat login, then their consent to the privacy policy in force unless told not:
 * before it, the BFF refuses every customer write (PIPL), as a customer who tapped 不同意 is.
 */
export async function signIn(bff: TestBff, openid: string, options: { consent?: boolean } = {}): Promise<{ id: string; token: string; openid: string }> {
  const { code } = await wechatCode({ openid });
  const res = await bff.call('loginWithWechat', { body: { code } });
  if (res.status !== 200) throw new Error(`customer login failed: ${JSON.stringify(res.body)}`);
  const session = { id: res.body.subject as string, token: res.body.accessToken as string, openid };
  if (options.consent ?? true) await consent(bff, session.token);
  return session;
}

/** Agrees to the privacy policy in force, as the mini-program's 同意并继续 does. */
export async function consent(bff: TestBff, token: string): Promise<void> {
  const policy = await bff.call('getMyPrivacy', {}, { token });
  const agreed = await bff.call('consentToPrivacyPolicy', { body: { policyVersion: policy.body.policyVersion } }, { token });
  if (agreed.status !== 200) throw new Error(`consent failed: ${agreed.status} ${JSON.stringify(agreed.body)}`);
}

/** A customer with a session who has agreed to the privacy policy (unless told not); optionally with a known profile. */
export async function customerSession(bff: TestBff, options: { orgUnitId?: string; consent?: boolean } = {}): Promise<{ id: string; token: string; openid: string }> {
  const openid = `o_c_${randomBytes(6).toString('hex')}`;
  if (options.orgUnitId) {
    await bff.app.services.customers.upsertWithProfile(
      {
        id: `cust-${openid}`,
        customerNo: `C${randomBytes(6).toString('hex')}`,
        openid,
        unionid: null,
        nickname: null,
        name: null,
        phone: null,
        idNumber: null,
        orgUnitId: options.orgUnitId,
      },
      TEST_WECHAT.appid,
    );
  }
  return signIn(bff, openid, { consent: options.consent });
}

/** An activity's analytics once `done` holds of them (the feed's worker keeps the marks after the answers); the last read after a minute. */
export async function analyticsWhen(bff: TestBff, token: string, id: string, done: (a: ActivityAnalytics) => boolean): Promise<ActivityAnalytics> {
  for (let i = 0; ; i += 1) {
    const analytics: ActivityAnalytics = (await bff.call('getActivityAnalytics', { params: { id } }, { token })).body;
    if (done(analytics) || i === 120) return analytics;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Publishes an activity holding back half its customers, and has `count` customers open the app
 * (which assigns them) and, when shown it, see its card; resolves once the analytics count them all.
 */
export async function reachedWithControlGroup(bff: TestBff, tokens: { admin: string; reviewer: string }, input: Record<string, unknown>, count: number) {
  const id = await publishActivity(bff, tokens, { ...input, controlGroupPercent: 50 });
  const customers = await Promise.all(Array.from({ length: count }, () => customerSession(bff)));
  for (const c of customers) {
    const list = await bff.call('listMyActivities', {}, { token: c.token });
    if (!list.body.items.some((a: { id: string }) => a.id === id)) continue;
    const events = [{ id: randomUUID(), type: 'impression', clientTime: bff.clock.now().toISOString(), page: 'pages/index/index', activityId: id }];
    const tracked = await bff.request('POST', '/api/v1/events', { token: c.token, body: { events } });
    if (tracked.body.accepted !== 1) throw new Error(`impression refused: ${JSON.stringify(tracked.body)}`);
  }
  await analyticsWhen(bff, tokens.admin, id, (a) => a.experiment.assigned.customers + (a.experiment.control?.customers ?? 0) === count);
  return { id, customers };
}
