// `npm test`: lint, type checks, both mini-program builds, then the whole jest suite.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/ferretdb';
import { ensureMiniprogramBuilt } from './lib/miniprogram-build';

function run(label: string, command: string, args: string[]): void {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

async function main() {
  const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
  run('lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']);
  run('type check (tsc --strict)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  for (const target of ['weapp', 'h5'] as const) {
    console.log(`\n▶ build ${target}`);
    await ensureMiniprogramBuilt(target, { quiet: true, log: console.log });
  }
  mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  run('jest', bin('jest'), ['--json', '--outputFile=reports/jest-results.json', ...process.argv.slice(2)]);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
