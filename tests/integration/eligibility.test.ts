import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { bankRequest } from '../helpers/bank';
import { drainFeed } from '../helpers/feed';
import { couponInput, publishCoupon, publishReviewed, serviceInput, type StaffTokens } from '../helpers/life';

/**
 * Issue 26, findings 18 and 28: who may use a life service, a coupon or a trigger is one
 * eligibility rule, with list membership looked up for the lists an expression names; and it is
 * entitlement, which a customer's marketing opt-out does not take away.
 */
let bff: TestBff;
let tokens: StaffTokens;
beforeAll(async () => {
  bff = await startBff('eligibility', { env: { ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000', COUPON_CLAIMS_PER_IP_PER_MINUTE: '1000' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
const uploadTags = (items: unknown[]) => bff.request('POST', '/api/v1/admin/customer-tags', { token: tokens.admin, body: { items } });
const lifeIds = async (token: string) =>
  ((await bff.call('getLifeHome', {}, { token })).body.categories as { services: { id: string }[] }[]).flatMap((c) => c.services.map((s) => s.id));
const couponIds = async (token: string) => ((await bff.call('browseCobrandCoupons', {}, { token })).body.items as { id: string }[]).map((c) => c.id);
const claim = (token: string, id: string) => bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token });

describe('list eligibility (finding 18)', () => {
  test('a service for a named list reaches its members only, and opens for them', async () => {
    const list = `payroll-${randomUUID().slice(0, 6)}`;
    const [member, other] = await Promise.all([customerSession(bff), customerSession(bff)]);
    expect((await uploadTags([{ customerId: member.id, lists: [list] }])).body).toMatchObject({ applied: 1 });
    const svc = await publishReviewed(bff, tokens, 'life/services', serviceInput({ name: '代发专享', eligibility: { list } }));

    expect(await lifeIds(member.token)).toContain(svc);
    expect(await lifeIds(other.token)).not.toContain(svc);
    expect((await bff.call('openLifeService', { params: { id: svc } }, { token: member.token })).status).toBe(200);
    expect((await bff.call('openLifeService', { params: { id: svc } }, { token: other.token })).status).toBe(404);
  });

  test('a coupon closed to a blocked list gives its members nothing; a coupon for a list is claimed by its members', async () => {
    const blocked = `blocked-${randomUUID().slice(0, 6)}`;
    const vip = `vip-${randomUUID().slice(0, 6)}`;
    const [member, listed, other] = await Promise.all([customerSession(bff), customerSession(bff), customerSession(bff)]);
    await uploadTags([
      { customerId: member.id, lists: [blocked] },
      { customerId: listed.id, lists: [vip] },
    ]);
    const open = await publishCoupon(bff, tokens, couponInput(bff, { eligibility: { not: { list: blocked } } }));
    const closed = await publishCoupon(bff, tokens, couponInput(bff, { eligibility: { list: vip } }));

    expect(await couponIds(member.token)).not.toContain(open);
    const refused = await claim(member.token, open);
    expect(refused.status).toBe(404);
    expect((await bff.call('listMyCoupons', {}, { token: member.token })).body.items).toEqual([]);
    expect((await claim(other.token, open)).status).toBe(200);

    expect(await couponIds(listed.token)).toContain(closed);
    expect((await claim(listed.token, closed)).status).toBe(200);
    expect(await couponIds(other.token)).not.toContain(closed);
    expect((await claim(other.token, closed)).status).toBe(404);
  });

  test('a trigger whose audience is a list fires for its members only', async () => {
    const list = `salary-${randomUUID().slice(0, 6)}`;
    const [member, other] = await Promise.all([customerSession(bff), customerSession(bff)]);
    await uploadTags([{ customerId: member.id, lists: [list] }]);
    const trigger = await publishReviewed(bff, tokens, 'triggers', {
      code: `TRG-${randomUUID().slice(0, 8)}`,
      type: 'trigger',
      orgUnitId: 'org-hq',
      name: '名单客户购买理财送积分',
      description: '名单内客户购买理财后送 5 积分',
      event: { source: 'bank', name: 'product_bought' },
      conditions: [],
      audience: { list },
      windowMinutes: 60,
      schedule: { startAt: iso(-HOUR), endAt: iso(7 * 24 * HOUR) },
      action: { kind: 'reward', reward: { kind: 'points', amount: 5 }, budget: { maxRewards: 100 } },
    });
    for (const c of [member, other]) {
      const report = await bankRequest(bff, '/bank/conversions', { eventId: `pb-${randomUUID()}`, kind: 'product_bought', occurredAt: iso(0), customerId: c.id, amountYuan: 1000 });
      expect(report.status).toBe(200);
    }
    // The trigger acts from the event feed's worker, after the reports were answered.
    await drainFeed(bff);
    const offered = async (token: string) => ((await bff.call('listMyOffers', {}, { token })).body.items as { triggerId: string }[]).map((o) => o.triggerId);
    expect(await offered(member.token)).toContain(trigger);
    expect(await offered(other.token)).not.toContain(trigger);
    expect((await bff.call('getTriggerStats', { params: { id: trigger } }, { token: tokens.reviewer })).body).toMatchObject({ fired: 1 });
  });
});

describe('entitlement is not personalisation (finding 28)', () => {
  test('a V5 customer who switched personalised marketing off still sees and uses the V5 service and coupon', async () => {
    const vip = await customerSession(bff);
    await uploadTags([{ customerId: vip.id, tier: 'V5' }]);
    const svc = await publishReviewed(bff, tokens, 'life/services', serviceInput({ name: '贵宾专线', category: 'bank', eligibility: { tier: ['V5'] } }));
    const coupon = await publishCoupon(bff, tokens, couponInput(bff, { title: '贵宾专享满减', eligibility: { tier: ['V5'] } }));
    expect((await bff.call('setMyPreferences', { body: { personalized: false } }, { token: vip.token })).body).toEqual({ personalized: false });

    expect(await lifeIds(vip.token)).toContain(svc);
    expect((await bff.call('openLifeService', { params: { id: svc } }, { token: vip.token })).status).toBe(200);
    expect(await couponIds(vip.token)).toContain(coupon);
    expect((await claim(vip.token, coupon)).status).toBe(200);
  });

  test('before consent, browsing shows only what has no eligibility, to everyone alike', async () => {
    const list = `browse-${randomUUID().slice(0, 6)}`;
    const browsing = await customerSession(bff, { consent: false });
    await uploadTags([{ customerId: browsing.id, tier: 'V5', lists: [list] }]);
    const restricted = await publishReviewed(bff, tokens, 'life/services', serviceInput({ name: '名单服务', eligibility: { list } }));
    const everyone = await publishReviewed(bff, tokens, 'life/services', serviceInput({ name: '公共服务' }));
    const restrictedCoupon = await publishCoupon(bff, tokens, couponInput(bff, { eligibility: { tier: ['V5'] } }));
    const ids = await lifeIds(browsing.token);
    expect(ids).toContain(everyone);
    expect(ids).not.toContain(restricted);
    expect(await couponIds(browsing.token)).not.toContain(restrictedCoupon);
    expect((await bff.call('viewCobrandCoupon', { params: { id: restrictedCoupon } }, { token: browsing.token })).status).toBe(404);
  });
});
