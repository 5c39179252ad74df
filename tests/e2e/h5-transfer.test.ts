import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPORTS_DIR } from '../helpers/bff';
import { startH5Stack, type H5Stack } from '../helpers/h5-stack';

let stack: H5Stack;
beforeAll(async () => {
  stack = await startH5Stack('e2etransfer');
}, 240_000);
afterAll(() => stack?.stop());

describe('H5 first load', () => {
  test('is served compressed, and what a first visit to 首页 transfers is recorded', async () => {
    const page = await stack.open(`o_transfer_${Date.now()}`, '/pages/index/index');
    await page.context().close();
    // A fresh phone: nothing cached.
    const context = await stack.phone();
    const fresh = await context.newPage();
    const assets: { url: string; encoding: string | null; bytes: number }[] = [];
    fresh.on('requestfinished', async (request) => {
      if (request.url().includes('/api/') || request.url().includes('/__fake-wechat/')) return;
      const response = await request.response();
      const sizes = await request.sizes();
      assets.push({
        url: new URL(request.url()).pathname,
        encoding: (await response?.headerValue('content-encoding')) ?? null,
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      });
    });
    await fresh.goto(`${stack.url}/#/pages/index/index`);
    await fresh.getByTestId('checkin-button').waitFor();
    await fresh.waitForLoadState('networkidle');
    const text = assets.filter((a) => /\.(js|css|html)$|\/$/.test(a.url));
    expect(text.length).toBeGreaterThan(0);
    expect(text.filter((a) => a.encoding !== 'br')).toEqual([]);
    const total = assets.reduce((sum, a) => sum + a.bytes, 0);
    mkdirSync(REPORTS_DIR, { recursive: true });
    writeFileSync(path.join(REPORTS_DIR, 'h5-first-load.json'), JSON.stringify({ totalBytes: total, assets }, null, 2));
    // A budget, not a measurement of speed: 首页's first visit stays under 400 KB on the wire.
    expect(total).toBeLessThan(400 * 1024);
    await context.close();
  });
});
