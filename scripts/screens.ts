// `npm run screens`: photographs every tab and main page of the mini-program at 375×812, as a
// customer of the demo bank sees it, into docs/screens/, so a reviewer sees the product without
// running it. The pictures come from the accessibility test's walk (the same pages it audits),
// run against a fresh BFF with the demo bank; only that walk's page pictures are kept.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'docs/screens');
const shots = mkdtempSync(path.join(tmpdir(), 'screens-'));

const run = spawnSync('npx', ['jest', 'tests/e2e/accessibility.test.ts', '-t', 'every page at 375'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOT_DIR: shots, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' },
});
if (run.status !== 0) {
  console.error('The page walk failed: docs/screens/ is left as it was.');
  process.exit(run.status ?? 1);
}
const pages = readdirSync(shots).filter((f) => /^page-.+-375\.png$/.test(f));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const f of pages) copyFileSync(path.join(shots, f), path.join(OUT, f.replace(/^page-/, '').replace(/-375\.png$/, '.png')));
rmSync(shots, { recursive: true, force: true });
console.log(`${pages.length} pages photographed into docs/screens/`);
