import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/ferretdb';
import { ensureMiniprogramBuilt } from '../../scripts/lib/miniprogram-build';

// miniprogram-ci has no type declarations for its CommonJS entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ci = require('miniprogram-ci');

type CheckItem = { name: string; success: boolean; text: string; detail?: unknown };

describe('weapp build', () => {
  test('passes every item of WeChat’s offline code-quality check', async () => {
    await ensureMiniprogramBuilt('weapp', { quiet: true });
    // The check never reads the key, but the Project insists on one: a throwaway, never committed.
    const keyDir = mkdtempSync(path.join(tmpdir(), 'mp-key-'));
    const privateKeyPath = path.join(keyDir, 'private.key');
    execFileSync('openssl', ['genrsa', '-out', privateKeyPath, '2048'], { stdio: 'ignore' });
    try {
      const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: ROOT, privateKeyPath, ignores: ['node_modules/**/*'] });
      const results: CheckItem[] = await ci.checkCodeQuality(project);
      const names = results.map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining(['PACKAGE_SIZE_LIMIT', 'JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'LAZYCODE_LOADING_OPEN']));
      expect(results.filter((r) => !r.success).map((r) => `${r.name}: ${r.text}`)).toEqual([]);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  }, 300_000);
});
