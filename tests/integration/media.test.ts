import { startBff, type TestBff } from '../helpers/bff';
import { seedDemoBank, staffToken } from '../helpers/seed';
import { categoryInput, itemInput } from '../helpers/mall';
import { customerSession } from '../helpers/activities';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('media');
  await seedDemoBank(bff);
});
afterAll(() => bff.stop());

describe('pictures served by the BFF (/media)', () => {
  test('a demo picture is served as an image, cached, and revalidated by its ETag', async () => {
    const res = await bff.call('getMedia', { params: { name: 'demo-coffee.svg' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=86400');
    expect(String(res.body)).toMatch(/^<svg /);
    expect(String(res.body)).not.toMatch(/<script|on\w+=/i);
    const etag = res.headers.get('ETag')!;
    const again = await bff.call('getMedia', { params: { name: 'demo-coffee.svg' } }, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  test('an unknown name is 404 and a name that tries to be a path is refused before any file is looked at', async () => {
    const missing = await bff.call('getMedia', { params: { name: 'nothing-here.svg' } });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    for (const name of ['..%2F..%2Fpackage.json', '%2Fetc%2Fpasswd', 'Demo-Coffee.SVG', 'demo-coffee.svg.bak']) {
      const res = await bff.request('GET', `/api/v1/media/${name}`);
      expect([400, 404]).toContain(res.status);
      expect(res.body.code).toMatch(/VALIDATION_FAILED|NOT_FOUND/);
    }
  });

  test('the demo mall shows its pictures: every item refers to one the BFF serves', async () => {
    const c = await customerSession(bff);
    const home = await bff.call('getMallHome', {}, { token: c.token });
    const items: { cover: string | null }[] = home.body.items;
    expect(items.length).toBeGreaterThan(4);
    for (const item of items) {
      expect(item.cover).toMatch(/^\/media\/demo-[a-z]+\.svg$/);
      expect((await bff.request('GET', `/api/v1${item.cover}`)).status).toBe(200);
    }
  });

  test('the catalogue takes an https picture or one under /media, and refuses anything else with the field named', async () => {
    const admin = await staffToken(bff, 'admin');
    await bff.request('POST', '/api/v1/admin/mall/catalogue', { token: admin, body: categoryInput() });
    const ok = await bff.request('POST', '/api/v1/admin/mall/catalogue', {
      token: admin,
      body: itemInput(bff, { images: { cover: '/media/demo-cup.svg', gallery: ['https://cdn.example-bank.cn/a.png'] } }),
    });
    expect(ok.status).toBe(201);
    for (const cover of ['http://cdn.example-bank.cn/a.png', '/media/../secrets.svg', 'javascript:alert(1)', '/static/a.png']) {
      const res = await bff.request('POST', '/api/v1/admin/mall/catalogue', { token: admin, body: itemInput(bff, { images: { cover, gallery: [] } }) });
      expect(res.status).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('body.images.cover');
    }
  });
});
