import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { lastLines } from '../../scripts/lib/output-tail';
import { freePort } from '../../scripts/lib/ports';
import { TEST_PROVIDER_KEY, TEST_WECHAT } from './constants';
import { checkedFetch } from './contract';

const ROOT = path.resolve(__dirname, '../..');

/**
 * How long a spawned BFF may take to answer /readyz: generous, for a loaded machine, yet under
 * jest's 120 s hook timeout, so a start that hangs fails with its own stderr rather than jest's timeout.
 */
const READY_CEILING_MS = 90_000;
/** For a hook that starts BFF processes (at once) beside its other setup: their ceiling, and time for the rest. */
export const SPAWN_HOOK_TIMEOUT_MS = READY_CEILING_MS + 60_000;

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
  const stderr: string[] = [];
  child.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    chunks.push(d.toString());
    stderr.push(d.toString());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close' comes after the last output, so a failure names everything the process said.
  let closed: number | null | undefined;
  child.once('close', (code) => (closed = code));
  const url = `http://127.0.0.1:${port}`;
  // Ready when it answers /readyz: main.ts listens once its indexes are made, and /readyz pings the database.
  const deadline = Date.now() + READY_CEILING_MS;
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) })).ok) break;
    } catch {
      // not listening yet
    }
    if (closed !== undefined) throw new Error(`BFF exited (code ${closed}) before it was ready; its last stderr lines:\n${lastLines(stderr)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`BFF (${url}) was not ready after ${READY_CEILING_MS / 1000} s; its last stderr lines:\n${lastLines(stderr)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, output: () => chunks.join(''), exited };
}

/** Calls a spawned BFF's API as a client does, its answer checked against the contract. */
export async function callOn(p: BffProcess, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await checkedFetch(`${p.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.body };
}

/** Stops spawned BFFs (those that started) and waits until each has exited. */
export async function stopAll(processes: (BffProcess | undefined)[]): Promise<void> {
  for (const p of processes) p?.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p?.exited));
}
