import { loadConfig } from '../../bff/src/config';

describe('loadConfig', () => {
  test('development starts on safe defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', host: '127.0.0.1', port: 3000, accessTokenTtlSeconds: 900 });
  });

  test('production without secrets fails, naming each missing one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required.*WECHAT_SECRET is required.*WECHAT_API_BASE is required.*MALL_PROVIDER_URL is required.*BANK_SYSTEMS_SECRET is required/s);
  });

  test('production with its secrets starts', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48), WECHAT_SECRET: 's', WECHAT_API_BASE: 'https://api.weixin.qq.com', MALL_PROVIDER_URL: 'https://partner.example.com', BANK_SYSTEMS_SECRET: 'b'.repeat(40) });
    expect(config.wechat.apiBase).toBe('https://api.weixin.qq.com');
  });

  test('an access token may not live longer than an hour', () => {
    expect(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '86400' })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
  });
});

describe('points expiry rule', () => {
  test('defaults to the end of the next calendar year; days:N is accepted; anything else is refused', () => {
    expect(loadConfig({}).pointsExpiry).toEqual({ kind: 'end-of-next-year' });
    expect(loadConfig({ POINTS_EXPIRY: 'days:365' }).pointsExpiry).toEqual({ kind: 'days', days: 365 });
    expect(() => loadConfig({ POINTS_EXPIRY: 'never' })).toThrow(/POINTS_EXPIRY/);
  });
});
