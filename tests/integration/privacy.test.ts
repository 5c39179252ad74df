import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemoBank, staffToken } from '../helpers/seed';
import { consent, customerSession, signIn } from '../helpers/activities';
import { BROWSE_BEFORE_CONSENT, PRIVACY_POLICY_VERSION, browsableBeforeConsent } from '../../shared/privacy';
import { Role } from '../../shared/roles';
import type { RouteSpec } from '../../bff/src/platform/http/routes';
import { settledTo } from '../helpers/settled';

const dbName = uniqueDbName('privacy');
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('privacy', { dbName });
  await seedDemoBank(bff);
});
afterAll(async () => {
  await bff.stop();
  await bff.db.dropDatabase().catch(() => undefined);
});

type Session = { id: string; token: string; openid: string };

/** Every customer route the app mounts, with its declaration. */
function customerRoutes(target: TestBff): RouteSpec[] {
  return target.app.services.modules.flatMap((m) => m.routes ?? []).filter((r) => r.access !== 'public' && r.access.includes(Role.CUSTOMER));
}
/** A path with made-up parameters: the gate answers before any of them is looked at. */
const samplePath = (route: RouteSpec) => route.path.replace(/:(\w+)/g, 'x1');

/** Live demo content by code, for the writes a newcomer would try. */
async function demo() {
  const admin = await staffToken(bff, 'admin');
  const list = (await bff.call('listActivities', { query: { pageSize: '100' } }, { token: admin })).body.items as { id: string; code: string }[];
  const byCode = (code: string) => list.find((a) => a.code === code)!.id;
  const items = (await bff.call('listCatalogueEntries', { query: { pageSize: '100' } }, { token: admin })).body.items as { id: string; code: string; kind?: string }[];
  return {
    assistActivity: byCode('DEMO-ASSIST'),
    invite: byCode('DEMO-INVITE'),
    draw: byCode('DEMO-DRAW-LUCKY'),
    quiz: byCode('DEMO-QUIZ-FRAUD'),
    weeklyQuiz: byCode('DEMO-QUIZ-WEEKLY'),
    item: items.find((i) => i.code === 'DEMO-LUCKIN-10')!.id,
  };
}

/** Writes a newcomer tries, each with a well-formed request; all must be refused with `code`. */
async function expectWritesRefused(c: Session, code: string, content: Awaited<ReturnType<typeof demo>>, starter: Session, target: TestBff = bff) {
  const assist = (await bff.call('startAssist', { params: { id: content.assistActivity } }, { token: starter.token })).body.id as string;
  const share = (await bff.call('createMyShare', { body: {} }, { token: starter.token })).body.scene as string;
  const invite = (await bff.call('getMyInvite', {}, { token: starter.token })).body.code as string;
  const event = { id: randomUUID(), type: 'page_view', clientTime: bff.clock.now().toISOString(), page: 'pages/index/index' };
  const attempts: [string, string, unknown?][] = [
    ['POST', '/events', { events: [event] }],
    ['POST', '/me/inviter', { code: invite }],
    ['POST', '/me/arrival', { scene: share }],
    ['POST', '/me/checkins'],
    ['POST', `/activities/${content.invite}/join`],
    ['POST', `/assists/${assist}/helps`],
    ['POST', `/activities/${content.quiz}/quiz/answers`, { answers: [] }],
    ['POST', '/me/shares', {}],
    ['PUT', '/me/preferences', { personalized: false }],
    ['GET', '/me/points'],
    ['GET', '/me'],
  ];
  for (const [method, path, body] of attempts) {
    const res = await target.request(method, `/api/v1${path}`, { token: c.token, body });
    expect([path, res.status, res.body.code]).toEqual([path, 403, code]);
    expect(typeof res.body.requestId).toBe('string');
  }
  const redeem = await target.request('POST', '/api/v1/mall/redemptions', {
    token: c.token,
    headers: { 'Idempotency-Key': randomUUID() },
    body: { itemId: content.item, quantity: 1 },
  });
  expect([redeem.status, redeem.body.code]).toEqual([403, code]);
  const draw = await target.call('drawOnce', { params: { id: content.draw }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token });
  expect([draw.status, draw.body.code]).toEqual([403, code]);
}

/** What the customer's refused writes would have left: nothing of theirs anywhere. */
async function footprintOf(customerId: string): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await bff.db.listCollections()) {
    // The customer record (with its 客户号 lookup) and WeChat session key are made at login, before anything is asked.
    if (['customers', 'customer_numbers', 'wechat_identities', 'wechat_sessions', 'refresh_tokens', 'rate_limit_hits'].includes(name)) continue;
    const docs = await bff.db.collection(name).find({}).toArray();
    if (docs.some((d) => JSON.stringify(d).includes(customerId))) found.push(name);
  }
  return found;
}

describe('nothing before consent (PIPL arts. 13, 14, 24)', () => {
  let content: Awaited<ReturnType<typeof demo>>;
  let starter: Session;
  beforeAll(async () => {
    content = await demo();
    starter = await customerSession(bff);
  });

  test('every customer route but the declared browsing ones refuses a customer who has not agreed, before reading the request', async () => {
    const c = await customerSession(bff, { consent: false });
    const browse = customerRoutes(bff).filter((r) => browsableBeforeConsent(r.method, r.path));
    const gated = customerRoutes(bff).filter((r) => !browsableBeforeConsent(r.method, r.path));
    // The shared list names only routes that exist: reads of public content and the consent routes themselves.
    expect(browse.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual(BROWSE_BEFORE_CONSENT.map(([m, p]) => `${m} ${p}`).sort());
    expect(browse.filter((r) => r.method !== 'get').map((r) => r.path)).toEqual(['/me/privacy/consent', '/me/privacy/deletion-request']);
    expect(gated.length).toBeGreaterThan(40);
    for (const route of gated) {
      const method = route.method.toUpperCase();
      const res = await bff.request(method, `/api/v1${samplePath(route)}`, {
        token: c.token,
        ...(method === 'GET' ? {} : { rawBody: 'not json', headers: { 'Content-Type': 'application/json' } }),
      });
      expect([route.operationId, res.status, res.body.code]).toEqual([route.operationId, 403, 'PRIVACY_CONSENT_REQUIRED']);
    }
  });

  test('a newcomer who has not agreed (or tapped 不同意) is not tracked, attributed, or credited: each write is refused', async () => {
    const c = await customerSession(bff, { consent: false });
    await expectWritesRefused(c, 'PRIVACY_CONSENT_REQUIRED', content, starter);
    expect(await footprintOf(c.id)).toEqual([]);
    // The sharer's invite count did not move.
    expect((await bff.call('getMyInvite', {}, { token: starter.token })).body.invited).toBe(0);
  });

  test('browsing public content before consent works and writes nothing: no daily slots, no experiment arm, no task', async () => {
    const c = await customerSession(bff, { consent: false });
    const assist = (await bff.call('startAssist', { params: { id: content.assistActivity } }, { token: starter.token })).body.id as string;
    const activities = await bff.call('listMyActivities', {}, { token: c.token });
    expect(activities.status).toBe(200);
    expect(activities.body.items.length).toBeGreaterThan(0);
    const reads = [
      `/activities/${content.quiz}`,
      `/activities/${content.draw}/draw`,
      `/activities/${content.weeklyQuiz}/quiz/leaderboard`,
      '/mall',
      `/mall/items/${content.item}`,
      '/life',
      '/coupons',
      '/livestreams',
      `/assists/${assist}`,
      '/tracking/config',
      '/me/privacy',
    ];
    for (const path of reads) expect([path, (await bff.request('GET', `/api/v1${path}`, { token: c.token })).status]).toEqual([path, 200]);
    expect(await footprintOf(c.id)).toEqual([]);
  });

  test('once agreed, the same customer is served; the bank hears of them once, at consent, not at login', async () => {
    const c = await customerSession(bff, { consent: false });
    const registered = () => bff.db.collection('outbox_events').countDocuments({ _id: `customer.registered:${c.id}` } as never);
    expect(await registered()).toBe(0);
    expect((await bff.call('checkIn', {}, { token: c.token })).status).toBe(403);
    await consent(bff, c.token);
    await consent(bff, c.token);
    expect(await settledTo(registered, 1)).toBe(1);
    expect((await bff.call('checkIn', {}, { token: c.token })).status).toBe(200);
    expect((await bff.call('getMyPoints', {}, { token: c.token })).body.balance).toBeGreaterThan(0);
  });

  test('a newcomer who declines and agrees two days later is still new: the invite they arrived with is credited', async () => {
    bff.clock.advance(1); // registered after the sharer: attribution runs from earlier customers to later ones
    const c = await customerSession(bff, { consent: false });
    const share = (await bff.call('createMyShare', { body: {} }, { token: starter.token })).body.scene as string;
    expect((await bff.call('recordArrival', { body: { scene: share } }, { token: c.token })).status).toBe(403);
    bff.clock.advance(48 * 60 * 60 * 1000);
    const later = await signIn(bff, c.openid);
    const arrival = await bff.call('recordArrival', { body: { scene: share } }, { token: later.token });
    expect(arrival.body).toMatchObject({ attributed: true, refusal: null });
    // An existing customer, by contrast, who agreed long ago is not new.
    const old = await customerSession(bff);
    bff.clock.advance(48 * 60 * 60 * 1000);
    const oldAgain = await signIn(bff, old.openid);
    expect((await bff.call('recordArrival', { body: { scene: share } }, { token: oldAgain.token })).body).toMatchObject({ attributed: false, refusal: 'existing_customer' });
  });

  test('consent is to the policy in force, recorded once', async () => {
    const c = await customerSession(bff, { consent: false });
    const before = await bff.call('getMyPrivacy', {}, { token: c.token });
    expect(before.body).toEqual({ policyVersion: PRIVACY_POLICY_VERSION, consentedAt: null, deletionRequest: null });
    const outdated = await bff.call('consentToPrivacyPolicy', { body: { policyVersion: '2020-01' } }, { token: c.token });
    expect([outdated.status, outdated.body.code]).toEqual([409, 'PRIVACY_POLICY_OUTDATED']);
    const [a, b] = await Promise.all([1, 2].map(() => bff.call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }, { token: c.token })));
    expect(a.body.consentedAt).not.toBeNull();
    expect(b.body.consentedAt).toBe(a.body.consentedAt);
    expect(await bff.db.collection('privacy_consents').countDocuments({ customerId: c.id })).toBe(1);
  });

  test('after a deletion request every write is refused, consent cannot be given again, and the bank is told once without personal data', async () => {
    const c = await customerSession(bff);
    expect((await bff.call('checkIn', {}, { token: c.token })).status).toBe(200);
    const asked = await Promise.all([1, 2, 3].map(() => bff.call('requestMyDataDeletion', {}, { token: c.token })));
    expect(asked.every((r) => r.status === 200 && r.body.deletionRequest?.status === 'received' && r.body.consentedAt === null)).toBe(true);
    await expectWritesRefused(c, 'PRIVACY_DELETION_REQUESTED', content, starter);
    const again = await bff.call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }, { token: c.token });
    expect([again.status, again.body.code]).toEqual([403, 'PRIVACY_DELETION_REQUESTED']);
    const requested = () => bff.db.collection('outbox_events').countDocuments({ name: 'customer.deletion_requested', 'payload.customerId': c.id });
    expect(await settledTo(requested, 1)).toBe(1);
    const events = await bff.db.collection('outbox_events').find({ name: 'customer.deletion_requested', 'payload.customerId': c.id }).toArray();
    expect(Object.keys(events[0].payload as object).sort()).toEqual(['customerId', 'requestedAt']);
    // Another customer's state is their own.
    const other = await customerSession(bff);
    expect((await bff.call('getMyPrivacy', {}, { token: other.token })).body.deletionRequest).toBeNull();
    expect((await bff.call('requestMyDataDeletion')).status).toBe(401);
  });

  test('a consent racing a deletion request never outlives it', async () => {
    for (let i = 0; i < 8; i += 1) {
      const c = await customerSession(bff, { consent: false });
      const [agreed, asked] = await Promise.all([
        bff.call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }, { token: c.token }),
        bff.call('requestMyDataDeletion', {}, { token: c.token }),
      ]);
      expect(asked.status).toBe(200);
      expect([200, 403]).toContain(agreed.status);
      const refused = await bff.call('createMyShare', { body: {} }, { token: c.token });
      expect([refused.status, refused.body.code]).toEqual([403, 'PRIVACY_DELETION_REQUESTED']);
    }
  });

  test('a deletion request a crash cut short is finished by the sweep: recorded, told to the bank, consent withdrawn', async () => {
    const c = await customerSession(bff);
    // The request begun (its marker written), the process gone before anything else.
    await bff.db.collection('privacy_steps').insertOne({ _id: `deletion:${c.id}`, kind: 'deletion', customerId: c.id, at: bff.clock.now() } as never);
    expect((await bff.call('checkIn', {}, { token: c.token })).status).toBe(200);
    await bff.app.services.maintenance.runOnce();
    const refused = await bff.call('createMyShare', { body: {} }, { token: c.token });
    expect([refused.status, refused.body.code]).toEqual([403, 'PRIVACY_DELETION_REQUESTED']);
    expect((await bff.call('getMyPrivacy', {}, { token: c.token })).body.deletionRequest).toMatchObject({ status: 'received' });
    expect(await settledTo(() => bff.db.collection('outbox_events').countDocuments({ _id: `customer.deletion_requested:${c.id}` } as never), 1)).toBe(1);
    expect(await bff.db.collection('privacy_steps').countDocuments({})).toBe(0);
  });

  test('a new policy version asks everyone again: writes are refused until the customer agrees to it', async () => {
    const c = await customerSession(bff);
    expect((await bff.call('createMyShare', { body: {} }, { token: c.token })).status).toBe(200);
    const next = await startBff('privacy-v2', { dbName, env: { PRIVACY_POLICY_VERSION: '2027-01' } });
    try {
      const session = await signIn(next, c.openid, { consent: false });
      const mine = await next.call('getMyPrivacy', {}, { token: session.token });
      expect(mine.body).toMatchObject({ policyVersion: '2027-01', consentedAt: null });
      await expectWritesRefused(session, 'PRIVACY_CONSENT_REQUIRED', content, starter, next);
      const old = await next.call('consentToPrivacyPolicy', { body: { policyVersion: PRIVACY_POLICY_VERSION } }, { token: session.token });
      expect(old.body.code).toBe('PRIVACY_POLICY_OUTDATED');
      expect((await next.call('consentToPrivacyPolicy', { body: { policyVersion: '2027-01' } }, { token: session.token })).status).toBe(200);
      expect((await next.call('createMyShare', { body: {} }, { token: session.token })).status).toBe(200);
    } finally {
      await next.stop();
    }
  });
});
