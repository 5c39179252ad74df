import { randomBytes, randomUUID } from 'node:crypto';
import { startBff, testConfig, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { couponInput, publishCoupon, type StaffTokens } from '../helpers/life';
import { BANK_HEADERS, MERCHANT_HEADER } from '../../shared/signed-requests';
import { signBankRequest } from '../../bff/src/platform/auth/bank-signature';
import { merchantKey } from '../../bff/src/coupons/merchants';

/**
 * Issue 26, finding 26: a merchant's call is signed with that merchant's own key and marks only
 * that merchant's codes used; one shared secret let any merchant mark any other's.
 */
let bff: TestBff;
let tokens: StaffTokens;
beforeAll(async () => {
  bff = await startBff('merchant');
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const PATH = '/api/v1/merchant/coupons/redeem';
function redeem(code: string, signer: { merchantId?: string; key: string }) {
  const raw = JSON.stringify({ code });
  const timestamp = String(Math.floor(bff.clock.now().getTime() / 1000));
  const nonce = randomBytes(12).toString('hex');
  const signature = signBankRequest(signer.key, { method: 'POST', path: PATH, timestamp, nonce, body: raw });
  return bff.request('POST', PATH, {
    rawBody: raw,
    headers: {
      [BANK_HEADERS.timestamp]: timestamp,
      [BANK_HEADERS.nonce]: nonce,
      [BANK_HEADERS.signature]: signature,
      ...(signer.merchantId ? { [MERCHANT_HEADER]: signer.merchantId } : {}),
    },
  });
}
const secret = testConfig().merchantSecret;
const coffee = { merchantId: 'M-COFFEE', key: merchantKey(secret, 'M-COFFEE') };
const market = { merchantId: 'M-MARKET', key: merchantKey(secret, 'M-MARKET') };

test('each merchant marks only its own codes, with its own key; the shared secret alone opens nothing', async () => {
  const coffeeCoupon = await publishCoupon(bff, tokens, couponInput(bff, { merchant: { id: 'M-COFFEE', name: '悦享咖啡' } }));
  const marketCoupon = await publishCoupon(bff, tokens, couponInput(bff, { merchant: { id: 'M-MARKET', name: '鲜丰超市' }, title: '超市满 100 减 20' }));
  const c = await customerSession(bff);
  const claim = (id: string) => bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': randomUUID() } }, { token: c.token });
  const coffeeCode: string = (await claim(coffeeCoupon)).body.code;
  const marketCode: string = (await claim(marketCoupon)).body.code;

  // The supermarket cannot mark the café's code used, nor learn that it exists.
  const foreign = await redeem(coffeeCode, market);
  expect(foreign.status).toBe(404);
  expect(foreign.body.code).toBe('COUPON_CODE_UNKNOWN');
  // The bank's shared secret is no merchant's key; a merchant id with another's key fails its signature.
  expect((await redeem(coffeeCode, { key: secret })).status).toBe(401);
  expect((await redeem(coffeeCode, { merchantId: 'M-COFFEE', key: secret })).status).toBe(401);
  expect((await redeem(coffeeCode, { merchantId: 'M-COFFEE', key: market.key })).status).toBe(401);

  expect((await redeem(coffeeCode, coffee)).body).toMatchObject({ used: true, couponId: coffeeCoupon });
  expect((await redeem(marketCode, market)).body).toMatchObject({ used: true, couponId: marketCoupon });
  const states = ((await bff.call('listMyCoupons', {}, { token: c.token })).body.items as { state: string }[]).map((m) => m.state);
  expect(states).toEqual(['used', 'used']);
});

test('a coupon names its merchant', async () => {
  const res = await bff.request('POST', '/api/v1/admin/coupons', { token: tokens.admin, body: couponInput(bff, { merchant: { name: '无名商户' } }) });
  expect(res.status).toBe(400);
});
