import { createHash, createHmac } from 'node:crypto';
import { startBff, testConfig, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { settledTo } from '../helpers/settled';

/**
 * Issue 26, finding 27: the phone hash the bank's systems receive and send is a keyed HMAC
 * (HMAC-SHA256 with PII_HASH_SECRET, shared with the bank), not SHA-256 of the number: with the
 * masked number shown to customers, an unkeyed hash reverses in at most 10⁴ guesses.
 */
const dbName = uniqueDbName('phonehash');
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('phonehash', { dbName });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const keyed = (phone: string) => createHmac('sha256', testConfig().piiHashSecret).update(phone).digest('hex');
const unkeyed = (phone: string) => createHash('sha256').update(phone).digest('hex');
const phoneCode = async (phone: string) => ((await (await fetch(`${process.env.TEST_WECHAT_URL}/__fake/phone-code?phone=${phone}`)).json()) as { code: string }).code;
const upload = async (items: unknown[]) => bff.request('POST', '/api/v1/admin/customer-tags', { token: await staffToken(bff, 'admin'), body: { items } });

test('the event for a bound phone carries the keyed hash, and the bank names the customer by it', async () => {
  const c = await customerSession(bff);
  expect((await bff.call('bindMyPhone', { body: { code: await phoneCode('13900001111') } }, { token: c.token })).status).toBe(200);
  const bound = () => bff.db.collection('outbox_events').countDocuments({ name: 'customer.phone_bound', 'payload.customerId': c.id });
  await settledTo(bound, 1);
  const [event] = await bff.db.collection('outbox_events').find({ name: 'customer.phone_bound', 'payload.customerId': c.id }).toArray();
  expect(event.payload.phoneHash).toBe(keyed('13900001111'));
  expect(JSON.stringify(event)).not.toContain(unkeyed('13900001111'));

  expect((await upload([{ phoneHash: keyed('13900001111'), tier: 'V3' }])).body).toMatchObject({ applied: 1, unknown: [] });
  expect(await bff.db.collection('customer_tags').findOne({ _id: c.id as never })).toMatchObject({ tier: 'V3' });
  expect((await upload([{ phoneHash: unkeyed('13900001111'), tier: 'V4' }])).body).toMatchObject({ unknown: [{ row: 0, key: 'phoneHash' }] });
});
