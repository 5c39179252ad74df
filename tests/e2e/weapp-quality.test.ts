import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PARTNER_MINIPROGRAMS } from '../../shared/life-rules';
import { ROOT } from '../../scripts/lib/ferretdb';

describe('weapp build', () => {
  test('passes every item of WeChat’s offline code-quality check', () => {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/check-weapp-quality.ts')], { cwd: ROOT, encoding: 'utf8' });
    const results: { name: string; success: boolean; text: string }[] = JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]');
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining(['PACKAGE_SIZE_LIMIT', 'JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'LAZYCODE_LOADING_OPEN', 'IMAGE_AND_AUDIO_LIMIT']),
    );
    expect(results.filter((r) => !r.success).map((r) => `${r.name}: ${r.text}`)).toEqual([]);
    expect(run.status).toBe(0);
  }, 300_000);

  test('declares the private-info APIs it calls and registers every page', () => {
    // WeChat fails wx.chooseAddress unless app.json declares it.
    const app = JSON.parse(readFileSync(path.join(ROOT, 'miniprogram/dist/weapp/app.json'), 'utf8'));
    expect(app.requiredPrivateInfos).toEqual(['chooseAddress']);
    // The main package holds the tab pages; every other page lives in its feature's subpackage.
    expect(app.pages).toEqual(['pages/index/index', 'pages/life/index', 'pages/mall/index', 'pages/activities/index', 'pages/me/index']);
    const sub = Object.fromEntries(app.subPackages.map((p: { root: string; pages: string[] }) => [p.root, p.pages]));
    expect(sub['packages/mall']).toEqual(expect.arrayContaining(['item/index', 'confirm/index', 'result/index', 'orders/index']));
    expect(sub['packages/activity']).toEqual(expect.arrayContaining(['detail/index', 'quiz/index', 'checkin/index']));
    expect(sub['packages/life']).toEqual(expect.arrayContaining(['web/index', 'coupons/index', 'coupon/index', 'lives/index', 'live/index']));
    // Only the partner mini-programs the BFF lets a service open can be opened at all.
    expect(app.navigateToMiniProgramAppIdList).toEqual(Object.keys(PARTNER_MINIPROGRAMS));
    for (const root of Object.keys(sub)) expect(existsSync(path.join(ROOT, 'miniprogram/dist/weapp', root))).toBe(true);
  });

  test('the main package stays under 1.5 MB, whatever the subpackages hold', () => {
    const dist = path.join(ROOT, 'miniprogram/dist/weapp');
    const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
    const sizeOf = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? sizeOf(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
    const total = sizeOf(dist);
    const subpackages = app.subPackages.reduce((sum: number, p: { root: string }) => sum + sizeOf(path.join(dist, p.root)), 0);
    expect(total - subpackages).toBeLessThan(1.5 * 1024 * 1024);
    // Contracts reach the mini-program as types only: no schema library ships to phones.
    const js = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? js(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : []));
    expect(js(dist).filter((f) => readFileSync(f, 'utf8').includes('ZodError'))).toEqual([]);
  });
});
