import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
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
    expect(app.pages).toEqual(expect.arrayContaining(['pages/mall-item/index', 'pages/mall-confirm/index', 'pages/mall-result/index', 'pages/orders/index', 'pages/quiz/index']));
  });
});
