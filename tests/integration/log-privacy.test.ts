import { startBff, type TestBff } from '../helpers/bff';
import { wechatCode } from '../helpers/wechat';
import { DEMO_PASSWORD, seedDemo } from '../helpers/seed';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('logprivacy');
  await seedDemo(bff);
});
afterAll(() => bff.stop());

describe('structured logs', () => {
  test('a full session leaves no phone number, token, code or openid in the log', async () => {
    const { code, openid } = await wechatCode({ openid: 'o_demo_customer_01' });
    const session = (await bff.request('POST', '/api/v1/auth/wechat', { body: { code } })).body;
    await bff.request('GET', '/api/v1/me', { token: session.accessToken });
    const rotated = (await bff.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).body;
    await bff.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }); // reuse: security path
    const staff = (await bff.request('POST', '/api/v1/auth/staff', { body: { username: 'admin', password: DEMO_PASSWORD } })).body;
    await bff.request('POST', '/api/v1/auth/staff', { body: { username: 'admin', password: 'wrong-password' } });
    await bff.request('GET', '/api/v1/admin/staff', { token: staff.accessToken });
    await bff.request('GET', `/api/v1/me?phone=13812345678&token=${session.accessToken}`, { token: session.accessToken });
    await bff.request('POST', '/api/v1/auth/wechat', { rawBody: `{"code": "${code}"` }); // malformed, with the code inside

    const log = bff.logText();
    expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(8); // the requests were logged...
    for (const secret of [
      '13812345678',
      '张三',
      '310101199001011234',
      openid,
      code,
      session.accessToken,
      session.refreshToken,
      rotated.refreshToken,
      staff.accessToken,
      DEMO_PASSWORD,
      'wrong-password',
    ]) {
      expect(log).not.toContain(secret); // ...and none of these made it in
    }
    // Each line is JSON with the request id, so a dispute can be traced without personal data.
    const lines = log.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.msg === 'request').every((l) => typeof l.requestId === 'string')).toBe(true);
  });
});
