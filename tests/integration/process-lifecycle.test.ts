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
});
