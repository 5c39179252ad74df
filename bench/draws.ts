// Draws at 200 concurrent customers: all on one draw, then spread over ten. Every draw wins a point,
// so each one makes the writes of a points-winning draw; the baseline is those writes, as counted on
// the wire (`npm run bench -- costs`, BENCH_COST_TRACE=1), issued straight to the database at the same
// concurrency without the draw's reads and races: 25 inserts (the rate-limit hit, the in-flight
// marker, the chance spent and settled, the reward's reservation, the prize's unit, the budget, the
// attempt, the result, the points and their lot, the reward issued, the win in 我的奖品, two events
// and their delivery intents, with their key indexes and change marks), 5 head hints replaced by
// _id, 2 intents updated by _id and 2 markers deleted by _id.
// Both runs follow a warm-up in which every customer draws once on a draw of its own: a process's
// first request for a customer reads what later ones find in its caches, and the run measured first
// would otherwise pay that for both.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { createChances } from '../bff/src/draws/chances';
import { systemClock } from '../bff/src/platform/clock';
import { timed, type BenchStack } from './stack';

const CUSTOMERS = Number(process.env.BENCH_DRAW_CUSTOMERS ?? 200);
const DRAWS_EACH = 3;
const CONCURRENCY = 200;

function publishDraw(stack: BenchStack, admin: string, reviewer: string, code: string): Promise<string> {
  const now = Date.now();
  const input = {
    code,
    type: 'draw',
    orgUnitId: 'org-hq',
    title: '压测抽奖',
    rules: '奖品：1 积分、谢谢参与（本压测中每次必中 1 积分）。',
    schedule: { startAt: new Date(now - 3600_000).toISOString(), endAt: new Date(now + 86400_000).toISOString() },
    budget: { maxRewards: 1_000_000 },
    settings: {
      prizes: [
        { code: 'P1', name: '1 积分', kind: 'points', points: 1, valueYuan: 0.01, weight: 1, quantity: 1_000_000 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 0 },
      ],
      fallbackCode: 'THANKS',
    },
  };
  return stack.publish('/admin/activities', input, admin, reviewer);
}

export async function drawScenario(stack: BenchStack) {
  const admin = await stack.staff('admin');
  const reviewer = await stack.staff('reviewer');
  const now = Date.now();
  const warmUp = await publishDraw(stack, admin, reviewer, `BENCH-DRAW-WARM-${now}`);
  const hot = await publishDraw(stack, admin, reviewer, `BENCH-DRAW-HOT-${now}`);
  const many = await Promise.all(Array.from({ length: 10 }, (_, i) => publishDraw(stack, admin, reviewer, `BENCH-DRAW-${i}-${now}`)));
  console.log(`logging in ${CUSTOMERS} customers and granting chances...`);
  const customers: { token: string; id: string }[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await stack.customer());
  const conn = await mongoose.createConnection(stack.uri, { maxPoolSize: CONCURRENCY, retryWrites: false }).asPromise();
  try {
    const chances = createChances(conn, systemClock);
    for (const [i, c] of customers.entries()) {
      await chances.grant(warmUp, c.id, 1, `bench:${c.id}:warm`);
      await chances.grant(hot, c.id, DRAWS_EACH, `bench:${c.id}:hot`);
      await chances.grant(many[i % many.length], c.id, DRAWS_EACH, `bench:${c.id}:many`);
    }
    const drawOn = (activityId: string, token: string) => async () => {
      const res = await fetch(`${stack.url}/api/v1/activities/${activityId}/draw/draws`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
      });
      return res.status === 200;
    };
    // Round by round, so the draws in flight at once are of different customers.
    const rounds = (activityOf: (i: number) => string) => Array.from({ length: DRAWS_EACH }, () => customers.map((c, i) => drawOn(activityOf(i), c.token))).flat();
    const warm = await timed(
      customers.map((c) => drawOn(warmUp, c.token)),
      CONCURRENCY,
    );
    if (warm.errors) throw new Error(`${warm.errors} warm-up draws failed`);
    const oneDraw = await timed(
      rounds(() => hot),
      CONCURRENCY,
    );
    const tenDraws = await timed(
      rounds((i) => many[i % many.length]),
      CONCURRENCY,
    );
    const raw = conn.collection('bench_raw_draw');
    const rawDrawWrites = await timed(
      Array.from({ length: CUSTOMERS * DRAWS_EACH }, () => async () => {
        const id = randomUUID();
        for (let i = 0; i < 25; i++) await raw.insertOne({ _id: `${id}#${i}` as never, at: new Date(), data: { change: -1, balance: 2 } });
        for (let i = 0; i < 5; i++) await raw.replaceOne({ _id: `${id}#head${i}` as never }, { seq: i, at: new Date() }, { upsert: true });
        for (let i = 0; i < 2; i++) await raw.updateOne({ _id: `${id}#2` as never }, { $set: { status: `s${i}` } });
        for (let i = 0; i < 2; i++) await raw.deleteOne({ _id: `${id}#${i}` as never });
        return true;
      }),
      CONCURRENCY,
    );
    return {
      customers: CUSTOMERS,
      drawsPerCustomer: DRAWS_EACH,
      concurrency: CONCURRENCY,
      scenarios: { oneDraw, tenDraws, rawDrawWrites },
      ratios: {
        oneDrawRpsToRawWrites: +(oneDraw.rps / rawDrawWrites.rps).toFixed(3),
        tenDrawsRpsToRawWrites: +(tenDraws.rps / rawDrawWrites.rps).toFixed(3),
        oneDrawP99ToRawP99: +(oneDraw.p99Ms / rawDrawWrites.p99Ms).toFixed(3),
        tenDrawsP99ToRawP99: +(tenDraws.p99Ms / rawDrawWrites.p99Ms).toFixed(3),
      },
    };
  } finally {
    await conn.close();
  }
}
