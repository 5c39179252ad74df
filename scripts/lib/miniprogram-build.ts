import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt } from './cached-build';
import { ROOT } from './ferretdb';

export type Target = 'h5' | 'weapp';
const MINIPROGRAM = path.join(ROOT, 'miniprogram');
export const distDir = (target: Target) => path.join(MINIPROGRAM, 'dist', target);

const INPUTS = ['miniprogram/src', 'miniprogram/config', 'miniprogram/babel.config.js', 'shared', 'babel.config.js', 'package-lock.json'];
const ENV_INPUTS = ['MINIPROGRAM_ENV', 'TARO_APP_API_BASE', 'TARO_APP_FAKE_WECHAT_BASE', 'TARO_APP_SERVICE_HOTLINE'];

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

/** Builds the target unless the last build came from the same sources; returns its folder. */
export function ensureMiniprogramBuilt(target: Target, options: { quiet?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  return ensureBuilt(
    distDir(target),
    { name: `the mini-program for ${target}`, files: INPUTS, env: ENV_INPUTS },
    () => buildMiniprogram(target, options),
    options.log,
    ' (about 20-40 seconds)',
  );
}
