import { spawnSync } from 'node:child_process';
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
});
