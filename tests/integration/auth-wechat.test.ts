import { startBff, type TestBff } from '../helpers/bff';
import { wechatCode } from '../helpers/wechat';
import { seedDemo } from '../helpers/seed';

let bff: TestBff;
beforeAll(async () => {
  // 50 first logins of one account at once are part of the tests: the per-account cap is raised here.
  bff = await startBff('authwechat', { env: { ACCOUNT_RATE_LIMIT_PER_MINUTE: '100' } });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const login = (code: string) => bff.call('loginWithWechat', { body: { code } });

describe('POST /api/v1/auth/wechat', () => {
  test('a code from wx.login creates the customer once and returns a short-lived session', async () => {
    const { code, openid } = await wechatCode();
    const first = await login(code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ role: 'customer', isNewCustomer: true });
    const lifetime = Date.parse(first.body.accessTokenExpiresAt) - bff.clock.now().getTime();
    expect(lifetime).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(JSON.stringify(first.body)).not.toMatch(/session_?key/i);

    const again = await login((await wechatCode({ openid })).code);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ subject: first.body.subject, isNewCustomer: false });
  });

  test('a customer known by unionid is found again from another app’s openid', async () => {
    const unionid = `u_${Date.now()}`;
    const a = await login((await wechatCode({ unionid })).code);
    const b = await login((await wechatCode({ unionid })).code);
    expect(b.body.subject).toBe(a.body.subject);
  });

  test('an account first seen without a unionid stays one customer once WeChat sends one, from either app', async () => {
    const { code, openid } = await wechatCode();
    const first = await login(code);
    const unionid = `u_later_${Date.now()}`;
    const same = await login((await wechatCode({ openid, unionid })).code);
    expect(same.body).toMatchObject({ subject: first.body.subject, isNewCustomer: false });
    const otherApp = await login((await wechatCode({ unionid })).code);
    expect(otherApp.body).toMatchObject({ subject: first.body.subject, isNewCustomer: false });
    expect(await bff.app.services.customers.countByOpenid(openid)).toBe(1);
  });

  test('a sign-in cut short after claiming the identity, before the customer was stored, is healed by the next one', async () => {
    const { code, openid } = await wechatCode();
    const first = await login(code);
    await bff.db.collection('customers').deleteOne({ _id: first.body.subject } as never);
    const again = await login((await wechatCode({ openid })).code);
    expect(again.body).toMatchObject({ subject: first.body.subject, isNewCustomer: false });
    expect(await bff.app.services.customers.findById(first.body.subject)).toMatchObject({ id: first.body.subject });
  });

  test('an unknown code is refused with 401 WECHAT_CODE_INVALID', async () => {
    const res = await login('not-a-real-code');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'WECHAT_CODE_INVALID', requestId: expect.any(String) });
  });

  test('a code used twice is refused the second time with 401 WECHAT_CODE_USED', async () => {
    const { code } = await wechatCode();
    expect((await login(code)).status).toBe(200);
    const reused = await login(code);
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('WECHAT_CODE_USED');
  });

  test('an expired code is refused with 401 WECHAT_CODE_INVALID', async () => {
    const { code } = await wechatCode({ ttlSeconds: 0 });
    const res = await login(code);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('WECHAT_CODE_INVALID');
  });

  test('a missing code is a 400 with the field named', async () => {
    const res = await bff.request('POST', '/api/v1/auth/wechat', { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'body.code' })]);
  });

  test('50 concurrent first logins of one openid create exactly one customer', async () => {
    const openid = `o_race_${Date.now()}`;
    const codes = await Promise.all(Array.from({ length: 50 }, () => wechatCode({ openid })));
    const results = await Promise.all(codes.map(({ code }) => login(code)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(results.map((r) => r.body.subject)).size).toBe(1);
    expect(results.filter((r) => r.body.isNewCustomer)).toHaveLength(1);
    expect(await bff.app.services.customers.countByOpenid(openid)).toBe(1);
    // The bank hears of a customer only once they have agreed to the privacy policy (tests/integration/privacy.test.ts).
    expect(await bff.db.collection('outbox_events').countDocuments({ name: 'customer.registered', subjectId: results[0].body.subject })).toBe(0);
  });
});

describe('GET /api/v1/me', () => {
  test('a customer sees their own profile with name and phone masked', async () => {
    const session = await login((await wechatCode({ openid: 'o_demo_customer_01' })).code);
    const res = await bff.call('getMyProfile', {}, { token: session.body.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'cust-demo-1', maskedName: '*三', maskedPhone: '138****5678', phoneBound: true });
    expect(JSON.stringify(res.body)).not.toContain('13812345678');
    expect(JSON.stringify(res.body)).not.toContain('张三');
  });

  test('without a token the answer is 401 AUTH_REQUIRED; with a forged one, AUTH_TOKEN_INVALID', async () => {
    expect((await bff.call('getMyProfile')).body.code).toBe('AUTH_REQUIRED');
    const forged = await bff.call('getMyProfile', {}, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl' });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('AUTH_TOKEN_INVALID');
  });

  test('an access token past its 15 minutes is refused with 401 AUTH_TOKEN_EXPIRED', async () => {
    const session = await login((await wechatCode()).code);
    expect((await bff.call('getMyPrivacy', {}, { token: session.body.accessToken })).status).toBe(200);
    bff.clock.advance(16 * 60 * 1000);
    const res = await bff.call('getMyPrivacy', {}, { token: session.body.accessToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_TOKEN_EXPIRED');
  });

  test('a customer calling an admin route gets 403 FORBIDDEN', async () => {
    const session = await login((await wechatCode()).code);
    const res = await bff.call('listStaff', {}, { token: session.body.accessToken });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});

describe('POST /api/v1/auth/refresh', () => {
  test('rotates the refresh token; presenting a used one revokes the whole family', async () => {
    const session = (await login((await wechatCode()).code)).body;
    const rotated = await bff.call('refreshSession', { body: { refreshToken: session.refreshToken } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.body.subject).toBe(session.subject);
    expect((await bff.call('getMyPrivacy', {}, { token: rotated.body.accessToken })).status).toBe(200);

    // The old token again: someone else holds a copy. Both it and its successor stop working.
    const reused = await bff.call('refreshSession', { body: { refreshToken: session.refreshToken } });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('AUTH_REFRESH_REUSED');
    const successor = await bff.call('refreshSession', { body: { refreshToken: rotated.body.refreshToken } });
    expect(successor.status).toBe(401);
    expect(successor.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  test('concurrent refreshes with one token: exactly one succeeds', async () => {
    const session = (await login((await wechatCode()).code)).body;
    const results = await Promise.all(Array.from({ length: 10 }, () => bff.call('refreshSession', { body: { refreshToken: session.refreshToken } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  test('after logout the refresh token no longer works', async () => {
    const session = (await login((await wechatCode()).code)).body;
    expect((await bff.call('logout', { body: { refreshToken: session.refreshToken } })).status).toBe(204);
    const res = await bff.call('refreshSession', { body: { refreshToken: session.refreshToken } });
    expect(res.body.code).toBe('AUTH_REFRESH_INVALID');
  });

  test('an unknown refresh token is 401 AUTH_REFRESH_INVALID', async () => {
    const res = await bff.call('refreshSession', { body: { refreshToken: 'x'.repeat(43) } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH_REFRESH_INVALID');
  });
});
