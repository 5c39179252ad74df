import { loadConfig } from '../../bff/src/config';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'p'.repeat(48),
  WECHAT_APPID: 'wx0123456789abcdef',
  WECHAT_SECRET: 's'.repeat(32),
  WECHAT_API_BASE: 'https://api.weixin.qq.com',
  MALL_PROVIDER_URL: 'https://partner.example.com',
  MALL_PROVIDER_KEY: 'k'.repeat(32),
  BANK_SYSTEMS_SECRET: 'b'.repeat(40),
  PII_HASH_SECRET: 'h'.repeat(40),
  MERCHANT_SECRET: 'm'.repeat(40),
  COUPON_CODE_SECRET: 'c'.repeat(40),
};

describe('loadConfig', () => {
  test('without NODE_ENV it is production: it refuses to start on development defaults', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET is required in production/);
  });

  test('development starts on safe defaults, only when asked for', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config).toMatchObject({ env: 'development', host: '127.0.0.1', port: 3000, accessTokenTtlSeconds: 900, trustedProxies: 0 });
  });

  test('production sending events to the bank needs the webhook secret, and never the development one', () => {
    expect(() => loadConfig({ ...PRODUCTION, BANK_WEBHOOK_URL: 'https://bank.example.com/events' })).toThrow(/BANK_WEBHOOK_SECRET is required/);
    expect(() =>
      loadConfig({
        ...PRODUCTION,
        BANK_WEBHOOK_URL: 'https://bank.example.com/events',
        BANK_WEBHOOK_SECRET: loadConfig({ NODE_ENV: 'development', BANK_WEBHOOK_URL: 'https://x.example.com' }).delivery.webhook!.secret,
      }),
    ).toThrow(/BANK_WEBHOOK_SECRET is the public development secret/);
    expect(loadConfig({ ...PRODUCTION, BANK_WEBHOOK_URL: 'https://bank.example.com/events', BANK_WEBHOOK_SECRET: 'w'.repeat(40) }).delivery.webhook).toMatchObject({
      url: 'https://bank.example.com/events',
    });
  });

  test('production without secrets fails, naming each missing one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET is required.*WECHAT_APPID is required.*WECHAT_SECRET is required.*WECHAT_API_BASE is required.*MALL_PROVIDER_URL is required.*MALL_PROVIDER_KEY is required.*BANK_SYSTEMS_SECRET is required.*PII_HASH_SECRET is required.*MERCHANT_SECRET is required.*COUPON_CODE_SECRET is required/s,
    );
  });

  test('production with its secrets starts', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.wechat.apiBase).toBe('https://api.weixin.qq.com');
    expect(config.mall.providerKey).toBe('k'.repeat(32));
  });

  test.each(['JWT_SECRET', 'WECHAT_SECRET', 'BANK_SYSTEMS_SECRET', 'MALL_PROVIDER_KEY', 'PII_HASH_SECRET', 'MERCHANT_SECRET', 'COUPON_CODE_SECRET'])(
    'production refuses the public development %s',
    (key) => {
      const development = loadConfig({ NODE_ENV: 'development' });
      const devValue = {
        JWT_SECRET: development.jwtSecret,
        WECHAT_SECRET: development.wechat.secret,
        BANK_SYSTEMS_SECRET: development.bankSystemsSecret,
        MALL_PROVIDER_KEY: development.mall.providerKey,
        PII_HASH_SECRET: development.piiHashSecret,
        MERCHANT_SECRET: development.merchantSecret,
        COUPON_CODE_SECRET: development.couponCodeSecret,
      }[key];
      expect(() => loadConfig({ ...PRODUCTION, [key]: devValue })).toThrow(new RegExp(`${key} is the public development secret`));
    },
  );

  test('an access token may not live longer than an hour', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', ACCESS_TOKEN_TTL_SECONDS: '86400' })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
  });

  test('the body limit is read as bytes', () => {
    expect(loadConfig({ NODE_ENV: 'development', BODY_LIMIT: '512kb' }).bodyLimitBytes).toBe(512 * 1024);
    expect(() => loadConfig({ NODE_ENV: 'development', BODY_LIMIT: 'lots' })).toThrow(/BODY_LIMIT/);
  });
});

describe('points expiry rule', () => {
  test('defaults to the end of the next calendar year; days:N is accepted; anything else is refused', () => {
    const dev = { NODE_ENV: 'development' };
    expect(loadConfig(dev).pointsExpiry).toEqual({ kind: 'end-of-next-year' });
    expect(loadConfig({ ...dev, POINTS_EXPIRY: 'days:365' }).pointsExpiry).toEqual({ kind: 'days', days: 365 });
    expect(() => loadConfig({ ...dev, POINTS_EXPIRY: 'never' })).toThrow(/POINTS_EXPIRY/);
  });
});
