import { startBff, type TestBff } from '../helpers/bff';
import { seedDemoBank, staffToken } from '../helpers/seed';
import { categoryInput, itemInput } from '../helpers/mall';
import { customerSession } from '../helpers/activities';
import { pngOf } from '../helpers/pictures';

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

describe('pictures staff upload (POST /admin/media)', () => {
  const upload = async (token: string, bytes: Buffer, fileName = '封面.png') => bff.call('uploadMedia', { body: { fileName, contentBase64: bytes.toString('base64') } }, { token });

  test('a PNG is stored under a name of its content, served as the same bytes, and audited; the same picture again gets the same name', async () => {
    const admin = await staffToken(bff, 'admin');
    const picture = pngOf(64, 40);
    const res = await upload(admin, picture);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ref: expect.stringMatching(/^\/media\/up-[0-9a-f]{32}\.png$/), type: 'image/png', bytes: picture.length, width: 64, height: 40 });
    const name = res.body.ref.slice('/media/'.length);
    const served = await fetch(`${bff.url}/api/v1/media/${name}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
    expect((await upload(admin, picture, 'again.png')).body.ref).toBe(res.body.ref);
    const audit = await bff.call('listAuditRecords', { query: { action: 'media.uploaded' } }, { token: admin });
    expect(audit.body.items.map((r: { targetId: string }) => r.targetId)).toContain(res.body.ref);
  });

  test('what is not a PNG, JPG or WebP picture, or is too large or too small, is refused with what to do', async () => {
    const admin = await staffToken(bff, 'admin');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const cases: [Buffer, RegExp][] = [
      [svg, /无法识别为 PNG、JPG 或 WebP/],
      [pngOf(20, 20).subarray(0, 60), /无法识别/],
      [pngOf(8, 8), /每边须在 16-4096 像素之间/],
      [Buffer.concat([pngOf(20, 20), Buffer.alloc(1024 * 1024)]), /须不超过 1 MB/],
    ];
    for (const [bytes, message] of cases) {
      const res = await upload(admin, bytes);
      expect([400, 413, 422]).toContain(res.status);
      if (res.status === 422) {
        expect(res.body.code).toBe('MEDIA_INVALID');
        expect(res.body.message).toMatch(message);
      }
    }
  });

  test('only admins upload', async () => {
    const reviewer = await staffToken(bff, 'reviewer');
    expect((await upload(reviewer, pngOf(20, 20))).status).toBe(403);
    const c = await customerSession(bff);
    expect((await upload(c.token, pngOf(20, 20))).status).toBe(403);
  });
});
