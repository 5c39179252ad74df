// `npm run bench`: load on /healthz and an authenticated read (GET /api/v1/me), with the same
// database read issued straight to the database in the same run as the baseline.
// Results go to bench/results/<timestamp>.json. Not part of `npm test`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { createFakeWechat } from '../fake-wechat/server';
import { ensureFerretdb, ROOT, startFerretdb } from '../scripts/lib/ferretdb';
import { freePort } from '../scripts/lib/ports';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WECHAT = { appid: 'wxbench00000000001', secret: 'bench-secret' };

type Figures = { rps: number; p50Ms: number; p99Ms: number; requests: number; errors: number };

async function load(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return { rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total, errors: r.errors + r.non2xx };
}

/** The same read as GET /me performs, from CONNECTIONS concurrent loops for the same time. */
async function directReads(uri: string, customerId: string): Promise<Figures> {
  const conn = await mongoose.createConnection(uri, { maxPoolSize: CONNECTIONS, retryWrites: false }).asPromise();
  const customers = conn.collection('customers');
  const latencies: number[] = [];
  const deadline = Date.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < deadline) {
        const t = process.hrtime.bigint();
        await customers.findOne({ _id: customerId as never });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  await conn.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { rps: latencies.length / DURATION_S, p50Ms: pct(50), p99Ms: pct(99), requests: latencies.length, errors: 0 };
}

async function main() {
  const stops: (() => Promise<void>)[] = [];
  try {
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
    const wechat = createFakeWechat(WECHAT);
    const wechatUrl = await wechat.listen(0);
    stops.push(wechat.close);

    const port = await freePort();
    const bff = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'bff/src/main.ts')], {
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), MONGODB_URI: uri, WECHAT_API_BASE: wechatUrl, WECHAT_APPID: WECHAT.appid, WECHAT_SECRET: WECHAT.secret, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' },
      stdio: 'inherit',
    });
    stops.push(() => new Promise<void>((resolve) => (bff.once('exit', () => resolve()), bff.kill('SIGTERM'))));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        if (i > 300) throw new Error('BFF did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const { code } = (await (await fetch(`${wechatUrl}/__fake/login`, { method: 'POST', body: '{}' })).json()) as { code: string };
    const session = (await (await fetch(`${url}/api/v1/auth/wechat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) })).json()) as {
      accessToken: string;
      subject: string;
    };

    console.log(`load: ${CONNECTIONS} connections, ${DURATION_S}s per scenario`);
    const healthz = await load(`${url}/healthz`);
    const me = await load(`${url}/api/v1/me`, { Authorization: `Bearer ${session.accessToken}` });
    const direct = await directReads(uri, session.subject);

    const result = {
      at: new Date().toISOString(),
      database: process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB 1.24.2 (SQLite)',
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      scenarios: { healthz, authenticatedRead: me, directDatabaseRead: direct },
      ratios: {
        authenticatedReadRpsToDirectRead: +(me.rps / direct.rps).toFixed(3),
        authenticatedReadP99ToDirectReadP99: +(me.p99Ms / direct.p99Ms).toFixed(3),
      },
    };
    const file = path.join(ROOT, 'bench/results', `${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    console.log(`written to ${path.relative(ROOT, file)}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
