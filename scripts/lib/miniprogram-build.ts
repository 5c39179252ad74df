import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './ferretdb';

export type Target = 'h5' | 'weapp';
const MINIPROGRAM = path.join(ROOT, 'miniprogram');
export const distDir = (target: Target) => path.join(MINIPROGRAM, 'dist', target);

const INPUTS = ['miniprogram/src', 'miniprogram/config', 'miniprogram/babel.config.js', 'shared', 'babel.config.js', 'package-lock.json'];
const ENV_INPUTS = ['MINIPROGRAM_ENV', 'TARO_APP_API_BASE', 'TARO_APP_FAKE_WECHAT_BASE'];

function hashTree(hash: ReturnType<typeof createHash>, p: string): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) hashTree(hash, path.join(p, name));
  } else {
    hash.update(path.relative(ROOT, p)).update(readFileSync(p));
  }
}

/** A fingerprint of everything a build reads, so an unchanged tree is not built again. */
export function sourceFingerprint(target: Target): string {
  const hash = createHash('sha256').update(target);
  for (const input of INPUTS) hashTree(hash, path.join(ROOT, input));
  for (const name of ENV_INPUTS) hash.update(`${name}=${process.env[name] ?? ''}`);
  return hash.digest('hex');
}

export function buildMiniprogram(target: Target, options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', target], {
      cwd: MINIPROGRAM,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output: string[] = [];
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`taro build --type ${target} failed with code ${code}\n${output.join('').slice(-4000)}`));
    });
  });
}

const LOCK_STALE_MS = 10 * 60 * 1000;

/** One build of a target at a time across processes (jest workers, npm start): mkdir is atomic. */
async function withBuildLock<T>(target: Target, work: () => Promise<T>): Promise<T> {
  const lock = path.join(MINIPROGRAM, 'dist', `.${target}.lock`);
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds the target unless the last build came from the same sources; returns its folder. */
export async function ensureMiniprogramBuilt(target: Target, options: { quiet?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const stamp = path.join(distDir(target), '.source-fingerprint');
  const fingerprint = sourceFingerprint(target);
  const upToDate = () => existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint;
  if (upToDate()) return distDir(target);
  return withBuildLock(target, async () => {
    if (upToDate()) return distDir(target); // another process built it while we waited
    options.log?.(`Building the mini-program for ${target} (about 20-40 seconds)...`);
    await buildMiniprogram(target, options);
    writeFileSync(stamp, fingerprint);
    return distDir(target);
  });
}
