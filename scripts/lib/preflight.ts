// What `npm test` needs from the machine beyond node modules, checked before anything slow runs.
// `tsx scripts/lib/preflight.ts --missing-packages` prints the Debian packages to install (.ci/run installs them).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { FERRETDB_BIN } from './ferretdb';
import { schemathesisInstalled } from './schemathesis';

/** The browser the end-to-end tests drive (Debian's `chromium`, or another one named by CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const GO_MINIMUM = [1, 24];

function succeeds(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return !result.error && result.status === 0;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A font that has Chinese characters, as fontconfig (which Chromium asks) sees the fonts. */
function hasChineseFont(): boolean {
  const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return !fonts.error && fonts.stdout.trim() !== '';
}

function goIsRecentEnough(): boolean {
  const version = /go(\d+)\.(\d+)/.exec(spawnSync('go', ['version'], { encoding: 'utf8' }).stdout ?? '');
  if (!version) return false;
  const [major, minor] = [Number(version[1]), Number(version[2])];
  return major > GO_MINIMUM[0] || (major === GO_MINIMUM[0] && minor >= GO_MINIMUM[1]);
}

export type Missing = {
  /** Debian packages, each with what it is for. */
  packages: { name: string; why: string }[];
  /** What no Debian package gives. */
  other: string[];
};

export function findMissing(): Missing {
  const packages: Missing['packages'] = [];
  const other: string[] = [];
  if (!executable(CHROMIUM_PATH)) {
    if (process.env.CHROMIUM_PATH) other.push(`CHROMIUM_PATH=${CHROMIUM_PATH} is not an executable browser`);
    else packages.push({ name: 'chromium', why: `the browser tests drive ${CHROMIUM_PATH}` });
  }
  if (!hasChineseFont()) packages.push({ name: 'fonts-wqy-microhei', why: 'a font with Chinese characters, or the pages and their screenshots show boxes' });
  if (!succeeds('openssl', ['version'])) packages.push({ name: 'openssl', why: "the weapp quality check makes a throwaway key for miniprogram-ci's Project" });
  // Debian's python3 has no ensurepip without python3-venv, and the pinned Schemathesis is installed into a venv.
  if (!schemathesisInstalled() && !succeeds('python3', ['-c', 'import ensurepip, venv']))
    packages.push({ name: 'python3-venv', why: 'Schemathesis (API fuzzing) is installed into a Python virtualenv' });
  if (!process.env.MONGODB_URI && !existsSync(FERRETDB_BIN) && !goIsRecentEnough())
    other.push(`Go ${GO_MINIMUM.join('.')}+ builds the embedded FerretDB once (https://go.dev/dl/; Debian 12's golang-go is too old), or set MONGODB_URI to a MongoDB`);
  return { packages, other };
}

/** Stops `npm test` at once, naming the one command to run, when the machine lacks something it needs. */
export function preflight(): void {
  const { packages, other } = findMissing();
  if (!packages.length && !other.length) return;
  console.error('✖ npm test needs what this machine does not have yet:');
  for (const { name, why } of packages) console.error(`  - ${name}: ${why}`);
  for (const line of other) console.error(`  - ${line}`);
  if (packages.length) {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    console.error(`\nInstall with:\n\n  ${sudo}apt-get update && ${sudo}apt-get install -y ${packages.map((p) => p.name).join(' ')}\n\nthen run npm test again.`);
  }
  process.exit(1);
}

if (require.main === module && process.argv.includes('--missing-packages')) {
  console.log(
    findMissing()
      .packages.map((p) => p.name)
      .join(' '),
  );
}
