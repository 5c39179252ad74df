import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('privacy');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

describe('privacy (PIPL)', () => {
  test('a new customer has not consented; consent is to the policy in force, recorded once', async () => {
    const c = await customerSession(bff);
    const before = await bff.request('GET', '/api/v1/me/privacy', { token: c.token });
    expect(before.body).toEqual({ policyVersion: PRIVACY_POLICY_VERSION, consentedAt: null, deletionRequest: null });
    const outdated = await bff.request('POST', '/api/v1/me/privacy/consent', { token: c.token, body: { policyVersion: '2020-01' } });
    expect(outdated.status).toBe(409);
    expect(outdated.body.code).toBe('PRIVACY_POLICY_OUTDATED');
    const [a, b] = await Promise.all([1, 2].map(() => bff.request('POST', '/api/v1/me/privacy/consent', { token: c.token, body: { policyVersion: PRIVACY_POLICY_VERSION } })));
    expect(a.body.consentedAt).not.toBeNull();
    expect(b.body.consentedAt).toBe(a.body.consentedAt);
    expect(await bff.db.collection('privacy_consents').countDocuments({ customerId: c.id })).toBe(1);
  });

  test('a deletion request is recorded once and told to the bank once, without personal data', async () => {
    const c = await customerSession(bff);
    const asked = await Promise.all([1, 2, 3].map(() => bff.request('POST', '/api/v1/me/privacy/deletion-request', { token: c.token })));
    expect(asked.every((r) => r.status === 200 && r.body.deletionRequest?.status === 'received')).toBe(true);
    const events = await bff.db.collection('outbox_events').find({ name: 'customer.deletion_requested', 'payload.customerId': c.id }).toArray();
    expect(events).toHaveLength(1);
    expect(Object.keys(events[0].payload as object).sort()).toEqual(['customerId', 'requestedAt']);
    // Another customer's state is their own.
    const other = await customerSession(bff);
    expect((await bff.request('GET', '/api/v1/me/privacy', { token: other.token })).body.deletionRequest).toBeNull();
    expect((await bff.request('POST', '/api/v1/me/privacy/deletion-request')).status).toBe(401);
  });
});
