// `npm test`: first what the machine needs (else it stops at once, naming the command to run), then format, lint,
// type checks, both mini-program builds, the console build, Schemathesis installed, then the whole jest suite.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/ferretdb';
import { ensureConsoleBuilt } from './lib/console-build';
import { ensureMiniprogramBuilt } from './lib/miniprogram-build';
import { preflight } from './lib/preflight';
import { ensureSchemathesis } from './lib/schemathesis';
import { NPM, npmCiArgs } from './npm-pin.mjs';

function run(label: string, command: string, args: string[]): void {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

/** A fresh machine installs with the pinned npm and an empty cache: the lockfile must be one it accepts. */
function checkLockfile(): void {
  console.log(`\n▶ lockfile (${NPM} ci --dry-run)`);
  if (!readFileSync(path.join(ROOT, '.ci/run'), 'utf8').includes(`npx -y ${NPM} ci`)) {
    console.error(`✖ .ci/run must install with the pinned ${NPM} (scripts/npm-pin.mjs)`);
    process.exit(1);
  }
  const result = spawnSync('npx', npmCiArgs('--dry-run'), { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    const reasons = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((l) => /Missing|Invalid|ERR/.test(l))
      .slice(0, 5);
    console.error(`✖ ${NPM} ci refuses package-lock.json, so npm start and CI would fail on a fresh machine:\n${reasons.join('\n')}`);
    console.error('  Regenerate it with `npm install --package-lock-only --ignore-scripts` (npm 11), then check again.');
    process.exit(1);
  }
}

async function main() {
  preflight();
  checkLockfile();
  const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
  run('format (prettier --check; npm run format writes it)', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
  run('lint (eslint)', bin('eslint'), ['--max-warnings', '0', '.']);
  for (const project of ['tsconfig.json', 'miniprogram/tsconfig.json', 'console/tsconfig.json'])
    run(`type check ${project} (tsc --strict)`, bin('tsc'), ['-p', project, '--noEmit']);
  for (const target of ['weapp', 'h5'] as const) {
    console.log(`\n▶ build ${target}`);
    await ensureMiniprogramBuilt(target, { quiet: true, log: console.log });
  }
  console.log('\n▶ build the admin console');
  await ensureConsoleBuilt({ log: console.log });
  console.log('\n▶ schemathesis (pinned, for the API fuzzing suite)');
  ensureSchemathesis();
  mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
  run('jest', bin('jest'), ['--json', '--outputFile=reports/jest-results.json', ...process.argv.slice(2)]);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
