import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../scripts/lib/ports';
import { TEST_PROVIDER_KEY, TEST_WECHAT } from './constants';

const ROOT = path.resolve(__dirname, '../..');

export type BffProcess = { url: string; child: ChildProcess; output(): string; exited: Promise<number | null> };

/** Runs the BFF as its own OS process, exactly as production starts it (bff/src/main.ts). */
export async function spawnBff(dbName: string, env: NodeJS.ProcessEnv = {}): Promise<BffProcess> {
  const port = await freePort();
  // Node itself with tsx's loader (not the tsx wrapper), so a signal reaches the BFF: SIGKILL kills it.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bff/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      MONGODB_URI: `${process.env.TEST_MONGODB_URI!.replace(/\/?$/, '/')}${dbName}`,
      WECHAT_API_BASE: process.env.TEST_WECHAT_URL,
      WECHAT_APPID: TEST_WECHAT.appid,
      WECHAT_SECRET: TEST_WECHAT.secret,
      MALL_PROVIDER_URL: process.env.TEST_PROVIDER_URL,
      MALL_PROVIDER_KEY: TEST_PROVIDER_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`BFF did not start:\n${chunks.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, output: () => chunks.join(''), exited };
}
