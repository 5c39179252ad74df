import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveH5 } from '../../scripts/lib/serve-h5';

/** A raw GET: fetch would normalise the hostile paths before sending them. */
function get(url: string, rawPath: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the static server of the H5 build and the console', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'serve-h5-'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>首页</title>');
  writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'outside the root');
  let server: Awaited<ReturnType<typeof serveH5>>;
  beforeAll(async () => {
    server = await serveH5({ root, bffUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => server.close());

  test('a malformed escape is a 400 and the server keeps serving', async () => {
    expect((await get(server.url, '/%E0%A4%A')).status).toBe(400);
    const page = await get(server.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('首页');
  });

  test('no path leaves the root, encoded or not', async () => {
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt']) {
      const res = await get(server.url, p);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the root');
    }
  });

  test('pages may not be framed by another site and their types are not sniffed', async () => {
    const page = await get(server.url, '/');
    expect(page.headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'content-security-policy': "frame-ancestors 'none'" });
  });

  test('the BFF being down is a JSON 502, not a hang', async () => {
    const res = await get(server.url, '/api/v1/health');
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
