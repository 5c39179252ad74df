import { uniqueDbName } from '../helpers/bff';
import { spawnBff } from '../helpers/process';

describe('the BFF process', () => {
  test('on SIGTERM it finishes in-flight requests, stops accepting, and exits 0', async () => {
    const bff = await spawnBff(uniqueDbName('sigterm'), { SEED_DEMO: '1' });
    // A staff login spends ~100 ms in scrypt: long enough to be in flight when the signal lands.
    const inFlight = fetch(`${bff.url}/api/v1/auth/staff`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Demo@2026' }),
    });
    await new Promise((r) => setTimeout(r, 30));
    bff.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await bff.exited).toBe(0);
    await expect(fetch(`${bff.url}/healthz`)).rejects.toThrow();
    expect(bff.output()).toContain('bff stopped');
  });

  test('in production it refuses to start without its secrets, naming each one', async () => {
    await expect(spawnBff(uniqueDbName('prodcfg'), { NODE_ENV: 'production', JWT_SECRET: '', WECHAT_SECRET: '' })).rejects.toThrow(
      /JWT_SECRET is required in production.*WECHAT_SECRET is required in production/s,
    );
  });

  test('without NODE_ENV it runs as production: no development secret, no demo data', async () => {
    // Everything a production start needs, except NODE_ENV: a deployment that forgot it.
    const forgotten = {
      NODE_ENV: '',
      JWT_SECRET: 'j'.repeat(40),
      WECHAT_SECRET: 'w'.repeat(32),
      MALL_PROVIDER_KEY: 'k'.repeat(32),
      PII_HASH_SECRET: 'p'.repeat(40),
      MERCHANT_SECRET: 'm'.repeat(40),
      COUPON_CODE_SECRET: 'c'.repeat(40),
    };
    await expect(spawnBff(uniqueDbName('noenv'), { ...forgotten, BANK_SYSTEMS_SECRET: 'dev-bank-systems-secret-0123456789abcdef' })).rejects.toThrow(
      /BANK_SYSTEMS_SECRET is the public development secret/,
    );
    await expect(spawnBff(uniqueDbName('noenvseed'), { ...forgotten, BANK_SYSTEMS_SECRET: 'b'.repeat(40), SEED_DEMO: '1' })).rejects.toThrow(/never seeded in production/);
    const bff = await spawnBff(uniqueDbName('noenvok'), { ...forgotten, BANK_SYSTEMS_SECRET: 'b'.repeat(40) });
    // The development JWT secret signs nothing this instance accepts.
    const jwt = await import('jsonwebtoken');
    const forged = jwt.default.sign({ role: 'admin', org: 'org-hq', typ: 'access' }, 'dev-only-jwt-secret-change-me-in-production-0123456789', {
      subject: 'staff-admin-hq',
      issuer: 'bank-private-domain-bff',
      audience: 'bank-private-domain',
      expiresIn: 600,
    });
    const res = await fetch(`${bff.url}/api/v1/admin/staff`, { headers: { Authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
    bff.child.kill('SIGTERM');
    await bff.exited;
  });
});
