// `npm run bench`: every scenario against its own stack, each beside a baseline of the same
// database work issued straight to the database in the same run. Results go to
// bench/results/<timestamp>.json. Not part of `npm test`.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import mongoose from 'mongoose';
import { ROOT } from '../scripts/lib/ferretdb';
import { createPointsLedger } from '../bff/src/points/ledger';
import { systemClock } from '../bff/src/platform/clock';
import { costsScenario } from './costs';
import { drawScenario } from './draws';
import { deliveryScenario } from './delivery';
import { eventsScenario } from './events';
import { firstContentScenario } from './first-content';
import { scaleScenario } from './scale';
import { startBenchStack, timed, type BenchStack, type Figures } from './stack';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const REWARD_CUSTOMERS = Number(process.env.BENCH_REWARD_CUSTOMERS ?? 2000);
const REWARD_CONCURRENCY = 100;
const MALL_CUSTOMERS = Number(process.env.BENCH_MALL_CUSTOMERS ?? 1000);
const MALL_ITEMS = 20;

async function load(url: string, headers: Record<string, string> = {}): Promise<Figures> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return { rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total, errors: r.errors + r.non2xx };
}

async function withConnection<T>(uri: string, poolSize: number, work: (db: mongoose.Connection) => Promise<T>): Promise<T> {
  const conn = await mongoose.createConnection(uri, { maxPoolSize: poolSize, retryWrites: false }).asPromise();
  try {
    return await work(conn);
  } finally {
    await conn.close();
  }
}

/** GET /me (token check + one read) against the same read issued directly. */
async function readScenario(stack: BenchStack) {
  const c = await stack.customer();
  const healthz = await load(`${stack.url}/healthz`);
  const authenticatedRead = await load(`${stack.url}/api/v1/me`, { Authorization: `Bearer ${c.token}` });
  const directDatabaseRead = await withConnection(stack.uri, CONNECTIONS, (db) =>
    timed(
      {
        seconds: DURATION_S,
        repeat: async () => {
          await db.collection('customers').findOne({ _id: c.id as never });
          return true;
        },
      },
      CONNECTIONS,
    ),
  );
  return {
    scenarios: { healthz, authenticatedRead, directDatabaseRead },
    ratios: { authenticatedReadRpsToDirectRead: +(authenticatedRead.rps / directDatabaseRead.rps).toFixed(3) },
  };
}

function publish(stack: BenchStack, admin: string, reviewer: string, code: string): Promise<string> {
  const now = Date.now();
  const input = {
    code,
    // A livestream sign-up: the kind of activity taking part in pays (tasks pay by their own rule, not by joining).
    type: 'live',
    orgUnitId: 'org-hq',
    title: '压测活动',
    rules: '压测',
    schedule: { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 86400_000).toISOString() },
    reward: { kind: 'points', amount: 1 },
    budget: { maxRewards: 10_000_000 },
    settings: { roomId: 'bench-room', startsAt: new Date(now + 86400_000).toISOString() },
  };
  return stack.publish('/admin/activities', input, admin, reviewer);
}

/** Reward issuance at 100 concurrent customers: one hot activity, then 20 activities. */
async function rewardScenario(stack: BenchStack) {
  const admin = await stack.staff('admin');
  const reviewer = await stack.staff('reviewer');
  const hot = await publish(stack, admin, reviewer, `BENCH-HOT-${Date.now()}`);
  const many = await Promise.all(Array.from({ length: 20 }, (_, i) => publish(stack, admin, reviewer, `BENCH-MANY-${i}-${Date.now()}`)));
  console.log(`logging in ${REWARD_CUSTOMERS} customers...`);
  const customers: { token: string; id: string }[] = [];
  for (let i = 0; i < REWARD_CUSTOMERS; i++) customers.push(await stack.customer());

  const join = (activityId: string, token: string) => async () => (await stack.call('POST', `/activities/${activityId}/join`, undefined, token)).status === 200;
  const hotActivity = await timed(
    customers.map((c) => join(hot, c.token)),
    REWARD_CONCURRENCY,
  );
  const manyActivities = await timed(
    customers.map((c, i) => join(many[i % many.length], c.token)),
    REWARD_CONCURRENCY,
  );
  const rawInserts = await withConnection(stack.uri, REWARD_CONCURRENCY, (db) =>
    timed(
      customers.map(() => async () => {
        await db.collection('bench_raw_inserts').insertOne({ _id: randomUUID() as never, at: new Date(), amount: 1 });
        return true;
      }),
      REWARD_CONCURRENCY,
    ),
  );
  return {
    customers: REWARD_CUSTOMERS,
    concurrency: REWARD_CONCURRENCY,
    scenarios: { hotActivity, manyActivities, rawInserts },
    ratios: {
      hotActivityRpsToRawInsert: +(hotActivity.rps / rawInserts.rps).toFixed(3),
      manyActivitiesRpsToRawInsert: +(manyActivities.rps / rawInserts.rps).toFixed(3),
      hotActivityP99ToRawInsertP99: +(hotActivity.p99Ms / rawInserts.p99Ms).toFixed(3),
    },
  };
}

function publishItem(stack: BenchStack, admin: string, reviewer: string, input: Record<string, unknown>): Promise<string> {
  return stack.publish('/admin/mall/catalogue', input, admin, reviewer);
}

/**
 * Coupon redemptions (the whole saga: order, stock, points, code, confirmation) at 100
 * concurrent customers: all on one hot item, then spread over 20 items. The baseline is the
 * saga's writes issued straight to the database per redemption, without its reads and races:
 * 16 inserts, 4 replaces and 2 updates by _id, and 1 delete by _id. Both runs follow a warm-up in
 * which every customer redeems once from an item of its own: a process's first request for a
 * customer reads what later ones find in its caches, and the run measured first would otherwise pay
 * that for both.
 */
async function mallScenario(stack: BenchStack) {
  const admin = await stack.staff('admin');
  const reviewer = await stack.staff('reviewer');
  const now = Date.now();
  const item = (code: string, stock: number) => ({
    code,
    type: 'coupon',
    orgUnitId: 'org-hq',
    categoryCode: 'BENCH',
    title: '压测优惠券',
    pricePoints: 1,
    initialStock: stock,
    saleWindow: { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 86400_000).toISOString() },
    fulfilment: { couponName: '压测优惠券', validDays: 30 },
  });
  const codes = (n: number, prefix: string) => ({ codes: Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`) });
  const warmUp = await publishItem(stack, admin, reviewer, item(`BENCH-WARM-${now}`, MALL_CUSTOMERS));
  await stack.call('POST', `/admin/mall/items/${warmUp}/codes`, codes(MALL_CUSTOMERS, 'WARM'), admin);
  const hot = await publishItem(stack, admin, reviewer, item(`BENCH-HOT-${now}`, MALL_CUSTOMERS));
  await stack.call('POST', `/admin/mall/items/${hot}/codes`, codes(MALL_CUSTOMERS, 'HOT'), admin);
  const many = await Promise.all(Array.from({ length: MALL_ITEMS }, (_, i) => publishItem(stack, admin, reviewer, item(`BENCH-MANY-${i}-${now}`, MALL_CUSTOMERS))));
  for (const [i, id] of many.entries()) await stack.call('POST', `/admin/mall/items/${id}/codes`, codes(Math.ceil(MALL_CUSTOMERS / MALL_ITEMS) + 5, `M${i}X`), admin);

  console.log(`logging in ${MALL_CUSTOMERS} customers and granting points...`);
  const customers: { token: string; id: string }[] = [];
  for (let i = 0; i < MALL_CUSTOMERS; i++) customers.push(await stack.customer());
  await withConnection(stack.uri, 20, async (db) => {
    const ledger = createPointsLedger(db, systemClock);
    for (const c of customers) await ledger.earn(c.id, 10, `bench-grant:${c.id}`, '压测发放');
  });

  const redeem = (itemId: string, token: string) => async () => {
    const res = await fetch(`${stack.url}/api/v1/mall/redemptions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ itemId }),
    });
    return res.status === 200 && ((await res.json()) as { status: string }).status === 'completed';
  };
  const warm = await timed(
    customers.map((c) => redeem(warmUp, c.token)),
    REWARD_CONCURRENCY,
  );
  if (warm.errors) throw new Error(`${warm.errors} warm-up redemptions failed`);
  const hotItem = await timed(
    customers.map((c) => redeem(hot, c.token)),
    REWARD_CONCURRENCY,
  );
  const manyItems = await timed(
    customers.map((c, i) => redeem(many[i % many.length], c.token)),
    REWARD_CONCURRENCY,
  );
  const rawSagaWrites = await withConnection(stack.uri, REWARD_CONCURRENCY, (db) =>
    timed(
      customers.map(() => async () => {
        const id = randomUUID();
        const raw = db.collection('bench_raw_saga');
        // 12 entries, markers and steps, and the key index of the 4 keyed stream appends (points, stock, code, order list).
        for (let i = 0; i < 16; i++) await raw.insertOne({ _id: `${id}#${i}` as never, at: new Date(), data: { amount: 1, status: 'x' } });
        for (let i = 0; i < 4; i++) await raw.replaceOne({ _id: `${id}#head${i}` as never }, { seq: i, at: new Date() }, { upsert: true });
        for (let i = 0; i < 2; i++) await raw.updateOne({ _id: `${id}#0` as never }, { $set: { status: `s${i}` } });
        await raw.deleteOne({ _id: `${id}#1` as never });
        return true;
      }),
      REWARD_CONCURRENCY,
    ),
  );
  return {
    customers: MALL_CUSTOMERS,
    concurrency: REWARD_CONCURRENCY,
    scenarios: { hotItem, manyItems, rawSagaWrites },
    ratios: {
      hotItemRpsToRawSagaWrites: +(hotItem.rps / rawSagaWrites.rps).toFixed(3),
      manyItemsRpsToRawSagaWrites: +(manyItems.rps / rawSagaWrites.rps).toFixed(3),
      hotItemP99ToRawSagaWritesP99: +(hotItem.p99Ms / rawSagaWrites.p99Ms).toFixed(3),
      manyItemsP99ToRawSagaWritesP99: +(manyItems.p99Ms / rawSagaWrites.p99Ms).toFixed(3),
    },
  };
}

const HOT_CUSTOMERS = Number(process.env.BENCH_HOT_CUSTOMERS ?? 600);
const HOT_LATENCY_MS = 2;

/** Redemptions of one perk (no partner, no codes: the item's stock stream is what they share), spread over the stack's processes. */
async function hotItemOn(stack: BenchStack): Promise<Figures> {
  const admin = await stack.staff('admin');
  const reviewer = await stack.staff('reviewer');
  const now = Date.now();
  const id = await publishItem(stack, admin, reviewer, {
    code: `BENCH-FLASH-${now}`,
    type: 'perk',
    orgUnitId: 'org-hq',
    categoryCode: 'BENCH',
    title: '直播间秒杀权益',
    pricePoints: 1,
    initialStock: HOT_CUSTOMERS,
    saleWindow: { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 86400_000).toISOString() },
    fulfilment: { instructions: '到店出示券号' },
  });
  const customers: { token: string; id: string }[] = [];
  for (let i = 0; i < HOT_CUSTOMERS; i++) customers.push(await stack.customer());
  await withConnection(stack.uri, 20, async (db) => {
    const ledger = createPointsLedger(db, systemClock);
    for (const c of customers) await ledger.earn(c.id, 10, `bench-grant:${c.id}`, '压测发放');
  });
  return timed(
    customers.map((c, i) => async () => {
      const res = await fetch(`${stack.urls[i % stack.urls.length]}/api/v1/mall/redemptions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${c.token}`, 'Idempotency-Key': randomUUID() },
        body: JSON.stringify({ itemId: id }),
      });
      return res.status === 200 && ((await res.json()) as { status: string }).status === 'completed';
    }),
    REWARD_CONCURRENCY,
  );
}

const HOT_SHARDS = Number(process.env.BENCH_HOT_SHARDS ?? 8);

/**
 * One hot item (a livestream flash sale) with 2 ms added to every database call, on one and on
 * four BFF processes, its stock one stream (sub-streams off) and then split in HOT_SHARDS.
 */
async function hotItemScaling() {
  const runs: Record<string, Figures> = {};
  for (const shards of [1, HOT_SHARDS]) {
    for (const processes of [1, 4]) {
      const stack = await startBenchStack({ processes, dbLatencyMs: HOT_LATENCY_MS, env: { MALL_STOCK_SHARDS: String(shards) } });
      try {
        console.log(`hot item, ${shards} stock stream(s), ${processes} process(es)...`);
        runs[`streams${shards}Processes${processes}`] = await hotItemOn(stack);
      } finally {
        await stack.stop();
      }
    }
  }
  const rps = (shards: number, processes: number) => runs[`streams${shards}Processes${processes}`].rps;
  return {
    dbLatencyMs: HOT_LATENCY_MS,
    customers: HOT_CUSTOMERS,
    concurrency: REWARD_CONCURRENCY,
    scenarios: runs,
    ratios: {
      oneStreamFourProcessesToOne: +(rps(1, 4) / rps(1, 1)).toFixed(3),
      subStreamsFourProcessesToOne: +(rps(HOT_SHARDS, 4) / rps(HOT_SHARDS, 1)).toFixed(3),
      subStreamsToOneStreamOnFourProcesses: +(rps(HOT_SHARDS, 4) / rps(1, 4)).toFixed(3),
    },
  };
}

async function main() {
  const only = process.argv[2];
  const result: Record<string, unknown> = {
    at: new Date().toISOString(),
    database: process.env.MONGODB_URI ? 'MONGODB_URI' : 'FerretDB 1.24.2 (SQLite)',
    machine: '2 cores; load generator, BFF and database share them',
  };
  if (!only || only === 'hot') result.hot = await hotItemScaling();
  // Its own stack: the BFF sends to a fake bank in this process.
  if (!only || only === 'events') result.events = await eventsScenario();
  if (!only || only === 'delivery') result.delivery = await deliveryScenario();
  // Its own stack: the database behind a counting proxy, the BFF's background work held off.
  if (!only || only === 'costs') result.costs = await costsScenario();
  for (const [name, scenario] of Object.entries({
    reads: readScenario,
    rewards: rewardScenario,
    mall: mallScenario,
    scale: scaleScenario,
    draws: drawScenario,
    'first-content': firstContentScenario,
  })) {
    if (only && only !== name) continue;
    const stack = await startBenchStack();
    try {
      console.log(`scenario: ${name}`);
      result[name] = await scenario(stack);
    } finally {
      await stack.stop();
    }
  }
  const file = path.join(ROOT, 'bench/results', `${String(result.at).replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  console.log(`written to ${path.relative(ROOT, file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
