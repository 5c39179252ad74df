import { consent } from '../helpers/activities';
import { startBff, type TestBff } from '../helpers/bff';
import { wechatCode } from '../helpers/wechat';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('httpplatform', { env: { BODY_LIMIT: '2kb', H5_ORIGIN: 'http://h5.example.test' } });
});
afterAll(() => bff.stop());

describe('error rendering', () => {
  test('malformed JSON is a 400 BAD_JSON with the request id', async () => {
    const res = await bff.request('POST', '/api/v1/auth/wechat', { rawBody: '{"code": ', headers: { 'X-Request-Id': 'req-bad-json-1' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_JSON', message: expect.any(String), requestId: 'req-bad-json-1' });
    expect(res.headers.get('x-request-id')).toBe('req-bad-json-1');
  });

  test('a __proto__ key is ignored like any field the route does not declare, and reaches no prototype', async () => {
    const { code } = await wechatCode({ openid: `o_proto_${Date.now()}` });
    const res = await bff.request('POST', '/api/v1/auth/wechat', {
      rawBody: JSON.stringify({ code }).replace('{', '{"__proto__": {"polluted": true}, '),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    // A bare JSON value is not a request body.
    const bare = await bff.request('POST', '/api/v1/auth/wechat', { rawBody: '"abc"', headers: { 'Content-Type': 'application/json' } });
    expect(bare.status).toBe(400);
    expect(bare.body.code).toBe('BAD_JSON');
  });

  test('a body over the limit is a 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await bff.request('POST', '/api/v1/auth/wechat', { body: { code: 'x'.repeat(5000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a body that is not JSON is a 415', async () => {
    const res = await bff.request('POST', '/api/v1/auth/wechat', { rawBody: 'code=abc', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('an unknown route is a JSON 404 with a generated request id', async () => {
    const res = await bff.request('GET', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  test('an unsafe X-Request-Id is replaced, not echoed', async () => {
    const res = await bff.request('GET', '/healthz', { headers: { 'X-Request-Id': '<script>' } });
    expect(res.headers.get('x-request-id')).not.toBe('<script>');
  });

  test('every response carries security headers', async () => {
    const res = await bff.request('GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('CORS', () => {
  test('the configured H5 origin is allowed', async () => {
    const res = await bff.request('OPTIONS', '/api/v1/me', {
      headers: { Origin: 'http://h5.example.test', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://h5.example.test');
  });

  test('any other origin gets no CORS grant', async () => {
    const res = await bff.request('GET', '/healthz', { headers: { Origin: 'http://evil.example.test' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('health probes', () => {
  test('GET /healthz says the process is up', async () => {
    const res = await bff.request('GET', '/healthz');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  test('GET /readyz is 200 while the database answers and 503 when it does not', async () => {
    const other = await startBff('readyz');
    expect((await other.request('GET', '/readyz')).status).toBe(200);
    await other.db.close();
    const down = await other.request('GET', '/readyz');
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('SERVICE_UNAVAILABLE');
    await other.stop();
  });
});

describe('GET /api/v1/openapi.json', () => {
  test('documents every operation with a unique, stable operationId', async () => {
    const res = await bff.call('getOpenApiDocument');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const operations = Object.values(res.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p));
    const ids = operations.map((o) => o.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['loginWithWechat', 'loginStaff', 'refreshSession', 'logout', 'getMyProfile', 'listStaff']));
    const login = res.body.paths['/api/v1/auth/wechat'].post;
    expect(login.requestBody.content['application/json'].schema.required).toContain('code');
    expect(login.security).toEqual([]);
  });
});

describe('rate limits', () => {
  test('WeChat logins from one address beyond the per-minute limit get 429 RATE_LIMITED', async () => {
    const limited = await startBff('ratelimit', { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { code } = await wechatCode();
      statuses.push((await limited.call('loginWithWechat', { body: { code } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    limited.clock.advance(61_000);
    const { code } = await wechatCode();
    expect((await limited.call('loginWithWechat', { body: { code } })).status).toBe(200);
    await limited.stop();
  });

  test('a forged X-Forwarded-For does not escape the per-address limit unless a proxy is trusted, and then only its entry counts', async () => {
    const direct = await startBff('xffdirect', { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '2' } });
    const spoofed = async (target: TestBff, xff: string) =>
      (await target.call('loginWithWechat', { body: { code: (await wechatCode()).code } }, { headers: { 'X-Forwarded-For': xff } })).status;
    expect([await spoofed(direct, '10.0.0.1'), await spoofed(direct, '10.0.0.2'), await spoofed(direct, '10.0.0.3')]).toEqual([200, 200, 429]);
    await direct.stop();

    const proxied = await startBff('xffproxy', { env: { LOGIN_RATE_LIMIT_PER_MINUTE: '2', TRUSTED_PROXIES: '1' } });
    // The client may prepend anything; the one proxy in front appends the address it saw.
    const through = ['1.1.1.1, 203.0.113.7', '2.2.2.2, 203.0.113.7', '3.3.3.3, 203.0.113.7', '198.51.100.9'];
    const statuses = [];
    for (const xff of through) statuses.push(await spoofed(proxied, xff));
    expect(statuses).toEqual([200, 200, 429, 200]);
    await proxied.stop();
  });

  test('per account: logins, token refreshes, phone bindings and quiz answers are capped for one customer from any address', async () => {
    const limited = await startBff('ratelimitaccount', { env: { ACCOUNT_RATE_LIMIT_PER_MINUTE: '3', PHONE_BINDS_PER_HOUR: '2', TRUSTED_PROXIES: '1' } });
    const from = (n: number) => ({ 'X-Forwarded-For': `198.51.100.${n}` });
    const openid = `o_acct_${Date.now()}`;
    const logins = [];
    for (let i = 0; i < 4; i++) logins.push(await limited.call('loginWithWechat', { body: { code: (await wechatCode({ openid })).code } }, { headers: from(i) }));
    expect(logins.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(logins[3].body.code).toBe('RATE_LIMITED');
    expect(Number(logins[3].headers.get('retry-after'))).toBeGreaterThan(0);

    let refreshToken = logins[0].body.refreshToken;
    const refreshes = [];
    for (let i = 0; i < 4; i++) {
      const res = await limited.call('refreshSession', { body: { refreshToken } }, { headers: from(10 + i) });
      refreshes.push(res.status);
      if (res.status === 200) refreshToken = res.body.refreshToken;
    }
    expect(refreshes).toEqual([200, 200, 200, 429]);

    const token = logins[0].body.accessToken;
    await consent(limited, token);
    const binds = [];
    for (let i = 0; i < 3; i++) binds.push((await limited.call('bindMyPhone', { body: { code: `not-a-code-${i}` } }, { token, headers: from(20 + i) })).status);
    expect(binds).toEqual([401, 401, 429]);
    await limited.stop();
  });
});
