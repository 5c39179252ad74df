import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeWechat } from '../fake-wechat/server';
import { ensureFerretdb, ROOT, startFerretdb } from '../scripts/lib/ferretdb';
import { freePort } from '../scripts/lib/ports';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy';

const WECHAT = { appid: 'wxbench00000000001', secret: 'bench-secret' };

/**
 * Its own database, fake WeChat and BFF processes with demo data, as production runs them:
 * `processes` of them on the one database, reached through a proxy adding `dbLatencyMs` to
 * every call when asked (0: the proxy only counts, see `dbProxy`).
 */
export async function startBenchStack(options: { processes?: number; dbLatencyMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const stops: (() => Promise<void>)[] = [];
  let base = process.env.MONGODB_URI;
  if (!base) {
    ensureFerretdb(console.log);
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-db-'));
    const db = await startFerretdb({ port: await freePort(), dataDir: dir });
    stops.push(async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    base = db.uri;
  }
  const uri = `${base.replace(/\/?$/, '/')}bench_${Date.now()}`;
  let bffUri = uri;
  let dbProxy: LatencyProxy | null = null;
  if (options.dbLatencyMs !== undefined) {
    const target = new URL(base);
    const proxy = await startLatencyProxy({ host: target.hostname, port: Number(target.port || 27017) }, options.dbLatencyMs);
    stops.push(proxy.close);
    bffUri = uri.replace(`${target.hostname}:${target.port}`, `127.0.0.1:${proxy.port}`);
    dbProxy = proxy;
  }
  const wechat = createFakeWechat(WECHAT);
  const wechatUrl = await wechat.listen(0);
  stops.push(wechat.close);

  const urls: string[] = [];
  for (let n = 0; n < (options.processes ?? 1); n++) {
    const port = await freePort();
    const bff = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'bff/src/main.ts')], {
      // tsx reads the path aliases from the tsconfig.json where it starts.
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        MONGODB_URI: bffUri,
        WECHAT_API_BASE: wechatUrl,
        WECHAT_APPID: WECHAT.appid,
        WECHAT_SECRET: WECHAT.secret,
        LOG_LEVEL: 'warn',
        LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
        ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000000',
        DAILY_ACTIVITY_CAP: '100',
        // The first process seeds the demo data; the others start on it.
        SEED_DEMO: n === 0 ? '1' : '0',
        MALL_PROVIDER_URL: 'http://127.0.0.1:9', // the bench redeems coupons and perks only: no partner is called
        ...options.env,
      },
      stdio: 'inherit',
    });
    stops.push(() => new Promise<void>((resolve) => (bff.once('exit', () => resolve()), bff.kill('SIGTERM'))));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        if (i > 600) throw new Error('BFF did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    urls.push(url);
  }
  const url = urls[0];

  async function call<T>(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as T };
  }

  return {
    url,
    urls,
    wechatUrl,
    uri,
    /** The proxy between the BFF processes and the database, when one was asked for, and the address they reach the database at. */
    dbProxy,
    bffUri,
    call,
    /** A reviewed document (an activity, a catalogue entry) through maker-checker: created, submitted, approved; its id. */
    async publish(reviewedPath: string, input: unknown, admin: string, reviewer: string): Promise<string> {
      const created = await call<{ id: string }>('POST', reviewedPath, input, admin);
      if (created.status !== 201) throw new Error(`${reviewedPath} refused: ${created.status} ${JSON.stringify(created.body)}`);
      for (const [step, token, body] of [
        ['submit', admin, undefined],
        ['approve', reviewer, {}],
      ] as const) {
        const res = await call(`POST`, `${reviewedPath}/${created.body.id}/${step}`, body, token);
        if (res.status !== 200) throw new Error(`${step} refused: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return created.body.id;
    },
    /** A customer who has signed in and agreed; `openid` to be the WeChat user a browser signs in as later. */
    async customer(openid?: string): Promise<{ token: string; id: string }> {
      const { code } = (await (await fetch(`${wechatUrl}/__fake/login`, { method: 'POST', body: JSON.stringify(openid ? { openid } : {}) })).json()) as { code: string };
      const s = await call<{ accessToken: string; subject: string }>('POST', '/auth/wechat', { code });
      // A customer who has agreed to the privacy policy: nothing else is served before it.
      const policy = await call<{ policyVersion: string }>('GET', '/me/privacy', undefined, s.body.accessToken);
      await call('POST', '/me/privacy/consent', { policyVersion: policy.body.policyVersion }, s.body.accessToken);
      return { token: s.body.accessToken, id: s.body.subject };
    },
    async staff(username: string): Promise<string> {
      return (await call<{ accessToken: string }>('POST', '/auth/staff', { username, password: 'Demo@2026' })).body.accessToken;
    },
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}

export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

export type Figures = { rps: number; p50Ms: number; p99Ms: number; requests: number; errors: number };

/**
 * Runs tasks with `concurrency` in flight at a time and times each one: a list of tasks,
 * or one task repeated until `seconds` have passed.
 */
export async function timed(tasks: (() => Promise<boolean>)[] | { repeat: () => Promise<boolean>; seconds: number }, concurrency: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const deadline = Array.isArray(tasks) ? Infinity : Date.now() + tasks.seconds * 1000;
  const take = () => (Array.isArray(tasks) ? tasks[next++] : Date.now() < deadline ? tasks.repeat : undefined);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let task = take(); task; task = take()) {
        const t = process.hrtime.bigint();
        if (!(await task().catch(() => false))) errors += 1;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
  return { rps: +(latencies.length / seconds).toFixed(1), p50Ms: pct(50), p99Ms: pct(99), requests: latencies.length, errors };
}
