// Runs WeChat's offline code-quality scan (miniprogram-ci) on the weapp build and prints the
// result as JSON; exits 1 if any item fails. In its own process because the scan leaves file
// watchers open. `npm run check:weapp`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/ferretdb';
import { ensureMiniprogramBuilt } from './lib/miniprogram-build';

// miniprogram-ci ships no type declarations for its CommonJS entry.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ci = require('miniprogram-ci');

type CheckItem = { name: string; success: boolean; text: string };

async function main() {
  await ensureMiniprogramBuilt('weapp', { quiet: true });
  // The scan never reads the key, but the Project insists on one: a throwaway, never committed.
  const keyDir = mkdtempSync(path.join(tmpdir(), 'mp-key-'));
  const privateKeyPath = path.join(keyDir, 'private.key');
  execFileSync('openssl', ['genrsa', '-out', privateKeyPath, '2048'], { stdio: 'ignore' });
  try {
    const project = new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: ROOT, privateKeyPath, ignores: ['node_modules/**/*'] });
    const originalLog = console.log;
    console.log = () => undefined; // the scanner chats on stdout; stdout is for the result
    const results: CheckItem[] = await ci.checkCodeQuality(project);
    console.log = originalLog;
    console.log(JSON.stringify(results.map(({ name, success, text }) => ({ name, success, text }))));
    process.exit(results.every((r) => r.success) ? 0 : 1);
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
