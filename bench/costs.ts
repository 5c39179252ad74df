// What one customer request costs the database (issue 28): for each operation of 首页, an
// activity, check-in, joining, the mall, draws and sign-in, the database messages it sends
// (counted on the wire by bench/latency-proxy.ts, one request at a time) and its sequential
// round trips, timed (what 2 ms added to every database call adds to its median time, over
// 2 ms, and the same with a wider delay) and seen on the wire (depth and waves); at 10 and
// at 500 live activities (most aimed at other branches' customers or at tags the measured
// customers lack), then at 1,000 and at 1,000,000 ledger entries. A cost that grows with
// content or data shows as a ratio above 1. A timed figure is only as steady as the machine:
// the verdict on round trips is timed with the wider delay. On the wire, the depth (the longest
// chain of calls, each sent after the reply of the one before) is a ceiling, and waves a floor
// (a write made behind an answer overlaps the request's next call: one wave for the two).
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { wireRequest, type WireRequest } from '../shared/api/client';
import { createOrgRepository } from '../bff/src/org/repository';
import { createPointsLedger } from '../bff/src/points/ledger';
import { systemClock } from '../bff/src/platform/clock';
import { fill } from './scale';
import { startBenchStack, type BenchStack } from './stack';

const SAMPLES = Number(process.env.BENCH_COST_SAMPLES ?? 9);
const LIVE = { small: Number(process.env.BENCH_COST_LIVE_SMALL ?? 10), large: Number(process.env.BENCH_COST_LIVE_LARGE ?? 500) };
const RECORDS = { small: 1_000, large: Number(process.env.BENCH_COST_RECORDS ?? 1_000_000) };
const ENTRIES_PER_CUSTOMER = 10;
const BRANCHES = 36;
const DELAY_MS = 2;
// The same count of round trips measured with a wider delay, so it stands above the noise of two busy cores (the verdict).
const WIDE_DELAY_MS = Number(process.env.BENCH_COST_WIDE_DELAY_MS ?? 10);
const DELAYS = { plain: 0, delayed: DELAY_MS, wide: WIDE_DELAY_MS } as const;
// No message for this long, and none awaiting a reply: what a request set off after its answer has finished.
const QUIET_MS = 150;
const QUIET_CEILING_MS = 30_000;
/** What 首页 calls when it shows (miniprogram/src/pages/index), all at once. */
const HOME_READS = ['listMyActivities', 'getCheckinCalendar', 'getMyPoints', 'listMyOffers'] as const;
/** The issue's ceilings on sequential round trips (the feed's applies to each of 首页's reads and to the page); the others have none stated. */
const ROUND_TRIP_LIMITS: Record<string, number> = {
  ...Object.fromEntries(HOME_READS.map((op) => [op, 4])),
  homePage: 4,
  checkInNew: 6,
  checkInReturning: 6,
  redeemMallItem: 10,
  buyDrawChance: 8,
  drawOnce: 10,
  loginWithWechatNew: 4,
};
const MAX_GROWTH = 1.1;
// BENCH_COST_TRACE=1: measure the first round only and print each operation's calls by their place in its longest chain.
const TRACE = process.env.BENCH_COST_TRACE === '1';

const branch = (n: number) => `org-bench-${String(n).padStart(2, '0')}`;
// The measured customers' own branch, whose customer list some activities are aimed at.
const HOME = 1;
const listOf = (n: number) => `branch-${String(n).padStart(2, '0')}-customers`;

type Sample = { ms: number; messages: number; afterAnswer: number; waves: number; depth: number; commands: Record<string, number>; trace: string[][] };
type Customer = { token: string; id: string };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, digits = 2) => +x.toFixed(digits);

function isoFromNow(ms: number) {
  return new Date(Date.now() + ms).toISOString();
}

/** Aimed at a customer list, a tag or a tier and interest that the measured customers are not in or lack, in turn. */
function elsewhere(i: number) {
  const other = 2 + (i % (BRANCHES - 1));
  const expressions = [{ list: listOf(other) }, { tag: `wealth-${other}` }, { all: [{ tier: ['V4', 'V5'] }, { interest: `fund-${other}` }] }];
  return { mode: 'tags', expression: expressions[i % expressions.length] };
}

const DRAW_RULES = '奖品：1 积分、谢谢参与。每次抽奖消耗 1 积分兑换的机会。';
function activityInput(code: string, i: number, targeting: unknown) {
  const base = {
    code,
    orgUnitId: branch(1 + (i % BRANCHES)),
    targeting,
    schedule: { startAt: isoFromNow(-3600_000), endAt: isoFromNow(7 * 86400_000) },
    budget: { maxRewards: 1_000_000 },
  };
  switch (i % 3) {
    case 0:
      return { ...base, type: 'task', title: '压测任务', rules: '压测', reward: { kind: 'points', amount: 1 }, settings: { task: 'view', frequency: 'once' } };
    case 1:
      return { ...base, type: 'live', title: '压测直播', rules: '压测', reward: { kind: 'points', amount: 1 }, settings: { roomId: `room-${i}`, startsAt: isoFromNow(86400_000) } };
    default:
      return drawInput(code, base);
  }
}

/** A draw whose every draw wins a point (the fallback weighs nothing), a chance costing 1 point. */
function drawInput(code: string, base: Record<string, unknown> = {}) {
  return {
    orgUnitId: 'org-hq',
    schedule: { startAt: isoFromNow(-3600_000), endAt: isoFromNow(7 * 86400_000) },
    budget: { maxRewards: 1_000_000 },
    ...base,
    code,
    type: 'draw',
    title: '压测抽奖',
    rules: DRAW_RULES,
    settings: {
      prizes: [
        { code: 'P1', name: '1 积分', kind: 'points', points: 1, valueYuan: 0.01, weight: 1, quantity: 1_000_000 },
        { code: 'THANKS', name: '谢谢参与', kind: 'none', valueYuan: 0, weight: 0 },
      ],
      fallbackCode: 'THANKS',
      costPoints: 1,
    },
  };
}

/** `work` on each item, `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T, i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

export async function costsScenario() {
  // The proxy only counts until a request is timed with its delay. Workers and sweeps wait past
  // the run, so what is counted is the requests' (the ten-minute jobs can still land in a sample:
  // medians are reported).
  const stack = await startBenchStack({ dbLatencyMs: 0, env: { RELAY_INTERVAL_MS: '86400000', SWEEP_INTERVAL_MS: '600000' } });
  const db = await mongoose.createConnection(stack.uri, { maxPoolSize: 20, retryWrites: false }).asPromise();
  try {
    return await measureAll(stack, db);
  } finally {
    await db.close();
    await stack.stop();
  }
}

async function measureAll(stack: BenchStack, db: mongoose.Connection) {
  const proxy = stack.dbProxy!;
  const admin = await stack.staff('admin');
  const reviewer = await stack.staff('reviewer');
  const ledger = createPointsLedger(db, systemClock);
  const org = createOrgRepository(db);
  for (let n = 1; n <= BRANCHES; n++) await org.upsert({ id: branch(n), name: `压测分行 ${n}`, level: 'branch', parentId: 'org-hq' });

  const now = Date.now();
  // What the measured customers use: a livestream reservation (the type a join pays for) aimed at their branch's list, a draw for everyone, a coupon with codes.
  const live = await stack.publish('/admin/activities', activityInput(`COST-LIVE-${now}`, 1, { mode: 'tags', expression: { list: listOf(HOME) } }), admin, reviewer);
  const draw = await stack.publish('/admin/activities', drawInput(`COST-DRAW-${now}`), admin, reviewer);
  const item = await stack.publish(
    '/admin/mall/catalogue',
    {
      code: `COST-ITEM-${now}`,
      type: 'coupon',
      orgUnitId: 'org-hq',
      categoryCode: 'BENCH',
      title: '压测优惠券',
      pricePoints: 1,
      initialStock: 10_000,
      saleWindow: { startAt: isoFromNow(-3600_000), endAt: isoFromNow(86400_000) },
      fulfilment: { couponName: '压测优惠券', validDays: 30 },
    },
    admin,
    reviewer,
  );
  await stack.call('POST', `/admin/mall/items/${item}/codes`, { codes: Array.from({ length: 2000 }, (_, i) => `COST${String(i).padStart(8, '0')}`) }, admin);

  // Staff signed in again for each later step: the fill outlasts an access token.
  const liveCount = async () => (await stack.call<{ total: number }>('GET', '/admin/activities?state=live', undefined, await stack.staff('admin'))).body.total;
  let published = 0;
  /** Publishes activities aimed elsewhere until `target` are live, four at a time. */
  const topUp = async (target: number) => {
    const missing = target - (await liveCount());
    const [maker, checker] = [await stack.staff('admin'), await stack.staff('reviewer')];
    const started = Date.now();
    await inParallel(
      Array.from({ length: Math.max(0, missing) }, () => published++),
      4,
      (i) => stack.publish('/admin/activities', activityInput(`COST-ELSEWHERE-${now}-${i}`, i, elsewhere(i)), maker, checker),
    );
    return { live: await liveCount(), publishSeconds: (Date.now() - started) / 1000 };
  };

  /** Fresh customers of the home branch (on its list, a V2 with no other tags), signed in and consented. */
  const customers = async (n: number): Promise<Customer[]> => {
    const made: Customer[] = [];
    for (let i = 0; i < n; i++) made.push(await stack.customer());
    const res = await stack.call(
      'POST',
      '/admin/customer-tags',
      { items: made.map((c) => ({ customerId: c.id, tier: 'V2', tags: ['salary'], lists: [listOf(HOME)] })) },
      await stack.staff('admin'),
    );
    if (res.status !== 200) throw new Error(`tags refused: ${res.status}`);
    return made;
  };

  const settle = async () => {
    for (const started = Date.now(); Date.now() - started < QUIET_CEILING_MS; await new Promise((r) => setTimeout(r, 10))) {
      if (proxy.inFlight() === 0 && Date.now() - proxy.lastActivity() >= QUIET_MS) return;
    }
  };
  /** One request, alone: its time, the messages it sends (in all, and of them after its answer), and their waves. */
  const once = async (request: WireRequest, token?: string): Promise<Sample> => {
    await settle();
    const before = proxy.counts();
    proxy.takeTrace();
    const t = process.hrtime.bigint();
    const res = await fetch(`${stack.url}/api/v1${request.path}`, {
      method: request.method.toUpperCase(),
      headers: { ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(token ? { Authorization: `Bearer ${token}` } : {}), ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    const body = await res.text();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const answered = proxy.counts();
    const trace = proxy.takeTrace();
    if (!res.ok) throw new Error(`${request.operationId} answered ${res.status}: ${body}`);
    await settle();
    const after = proxy.counts();
    const commands = Object.fromEntries(
      Object.entries(answered.commands)
        .map(([k, v]) => [k, v - (before.commands[k] ?? 0)])
        .filter(([, v]) => v),
    );
    return {
      ms,
      // All it sends, before its answer and behind it: when a write behind the answer lands beside the answer is timing, not cost.
      messages: after.messages - before.messages,
      afterAnswer: after.messages - answered.messages,
      waves: answered.waves - before.waves,
      depth: trace.depth,
      commands,
      trace: trace.byDepth,
    };
  };

  /** What one call through the proxy takes longer with the delay on: what a timed round trip really adds here. */
  const hop = async () => {
    const viaProxy = await mongoose.createConnection(stack.bffUri, { maxPoolSize: 1, retryWrites: false }).asPromise();
    try {
      const times = { plain: [] as number[], delayed: [] as number[] };
      for (let i = 0; i < 50; i++) {
        for (const delayed of [false, true]) {
          proxy.setDelay(delayed ? DELAY_MS : 0);
          const t = process.hrtime.bigint();
          await viaProxy.db!.command({ ping: 1 });
          times[delayed ? 'delayed' : 'plain'].push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }
      proxy.setDelay(0);
      return round(median(times.delayed) - median(times.plain), 3);
    } finally {
      await viaProxy.close();
    }
  };

  type Op = { name: string; run: () => Promise<Sample> };
  /** Each operation SAMPLES times without a delay, with it and with the wide one, alternating, so a drift of the machine falls on all. */
  const measureRound = async (ops: Op[]) => {
    const samples: Record<string, Record<keyof typeof DELAYS, Sample[]>> = Object.fromEntries(ops.map((o) => [o.name, { plain: [], delayed: [], wide: [] }]));
    for (let i = 0; i < SAMPLES; i++) {
      for (const [kind, delay] of Object.entries(DELAYS) as [keyof typeof DELAYS, number][]) {
        for (const op of ops) {
          await settle();
          proxy.setDelay(delay);
          try {
            samples[op.name][kind].push(await op.run());
          } finally {
            await settle();
            proxy.setDelay(0);
          }
        }
      }
    }
    if (TRACE)
      for (const [name, { wide }] of Object.entries(samples))
        console.log(
          `${name} (answered @${Math.round(wide[wide.length - 1].ms)}, ${WIDE_DELAY_MS} ms a call):\n${wide[wide.length - 1].trace.map((w, i) => `  ${i + 1}. ${w.join(', ')}`).join('\n')}`,
        );
    return Object.fromEntries(
      Object.entries(samples).map(([name, { plain, delayed, wide }]) => {
        const all = [...plain, ...delayed, ...wide];
        const p50 = median(plain.map((s) => s.ms));
        const addedMs = median(delayed.map((s) => s.ms)) - p50;
        const commandNames = [...new Set(all.flatMap((s) => Object.keys(s.commands)))].sort();
        return [
          name,
          {
            messages: median(all.map((s) => s.messages)),
            messagesMax: Math.max(...all.map((s) => s.messages)),
            afterAnswer: median(all.map((s) => s.afterAnswer)),
            roundTrips: round(addedMs / DELAY_MS, 1),
            roundTripsWide: round((median(wide.map((s) => s.ms)) - p50) / WIDE_DELAY_MS, 1),
            // The median with the delay on. Not the fewest: a busy machine can split calls issued together into two waves, but a
            // ten-minute job's call overlapping a request joins its waves (seen: a join at 5 waves beside its usual 16).
            waves: median(delayed.map((s) => s.waves)),
            depth: median(delayed.map((s) => s.depth)),
            p50Ms: round(p50),
            p50DelayedMs: round(median(delayed.map((s) => s.ms))),
            commands: Object.fromEntries(commandNames.map((c) => [c, median(all.map((s) => s.commands[c] ?? 0))])),
          },
        ];
      }),
    );
  };

  /** The operations, on customers made for this round (the writes need fresh ones: a check-in a day, a join once). */
  const measureAt = async (label: string) => {
    console.log(`costs: ${label}: preparing customers...`);
    const [reader] = await customers(1);
    await ledger.earn(reader.id, 100, `bench-cost:${reader.id}`, '压测发放');
    const fresh = await customers(Object.keys(DELAYS).length * SAMPLES);
    for (const c of fresh) await ledger.earn(c.id, 100, `bench-cost:${c.id}`, '压测发放');
    // Returning customers: points from before, and the two days before today checked in (made up, at the schedule's price).
    const returning = await customers(Object.keys(DELAYS).length * SAMPLES);
    const today = new Date(Date.now() + 8 * 3600_000);
    const daysAgo = (n: number) => new Date(today.getTime() - n * 86400_000).toISOString().slice(0, 10);
    for (const c of returning) {
      await ledger.earn(c.id, 100, `bench-cost:${c.id}`, '压测发放');
      for (const day of [daysAgo(2), daysAgo(1)]) {
        const res = await stack.call('POST', '/me/checkins/makeup', { day }, c.token);
        if (res.status !== 200) throw new Error(`make-up refused: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    // The reader's first visit announces its arms; what is measured is the visits after.
    for (const op of HOME_READS) await once(wireRequest(op, undefined), reader.token);
    const next = { fresh: 0, returning: 0 };
    // A new customer's first day, one customer for each pass over the operations: check in, join, open the mall, redeem, buy a chance, draw it.
    const newcomer = () => fresh[next.fresh].token;
    console.log(`costs: ${label}: measuring...`);
    const ops: Op[] = [
      { name: 'listMyActivities', run: () => once(wireRequest('listMyActivities', undefined), reader.token) },
      { name: 'getCheckinCalendar', run: () => once(wireRequest('getCheckinCalendar', { query: {} }), reader.token) },
      { name: 'getMyPoints', run: () => once(wireRequest('getMyPoints', undefined), reader.token) },
      { name: 'listMyOffers', run: () => once(wireRequest('listMyOffers', undefined), reader.token) },
      { name: 'getMyActivity', run: () => once(wireRequest('getMyActivity', { params: { id: live } }), reader.token) },
      { name: 'checkInNew', run: () => once(wireRequest('checkIn', undefined), newcomer()) },
      { name: 'checkInReturning', run: () => once(wireRequest('checkIn', undefined), returning[next.returning++].token) },
      { name: 'joinActivity', run: () => once(wireRequest('joinActivity', { params: { id: live } }), newcomer()) },
      { name: 'getMallHome', run: () => once(wireRequest('getMallHome', undefined), newcomer()) },
      {
        name: 'redeemMallItem',
        run: () => once(wireRequest('redeemMallItem', { body: { itemId: item }, headers: { 'Idempotency-Key': randomUUID() } }), newcomer()),
      },
      {
        name: 'buyDrawChance',
        run: () => once(wireRequest('buyDrawChance', { params: { id: draw }, headers: { 'Idempotency-Key': randomUUID() } }), newcomer()),
      },
      {
        name: 'drawOnce',
        run: async () => {
          const sample = await once(wireRequest('drawOnce', { params: { id: draw }, headers: { 'Idempotency-Key': randomUUID() } }), newcomer());
          next.fresh += 1; // the journey is over: the next pass is the next customer's
          return sample;
        },
      },
      {
        name: 'loginWithWechatNew',
        run: async () => {
          const { code } = (await (await fetch(`${stack.wechatUrl}/__fake/login`, { method: 'POST', body: '{}' })).json()) as { code: string };
          return once(wireRequest('loginWithWechat', { body: { code } }));
        },
      },
    ];
    const figures = await measureRound(ops);
    // Each round's figures as soon as they are in: a later round that fails does not lose them.
    console.log(`costs: ${label}: ${JSON.stringify(figures)}`);
    return figures;
  };

  const started = Date.now();
  const hopMs = await hop();
  await fill(db, 0, RECORDS.small / ENTRIES_PER_CUSTOMER, ENTRIES_PER_CUSTOMER);
  const few = await topUp(LIVE.small);
  const fewLive = await measureAt(`${few.live} live activities, ${RECORDS.small} ledger entries`);
  if (TRACE) return { trace: true };
  const many = await topUp(LIVE.large);
  const manyLive = await measureAt(`${many.live} live activities, ${RECORDS.small} ledger entries`);
  const t = Date.now();
  console.log(`costs: filling to ${RECORDS.large} ledger entries...`);
  await fill(db, RECORDS.small / ENTRIES_PER_CUSTOMER, RECORDS.large / ENTRIES_PER_CUSTOMER, ENTRIES_PER_CUSTOMER);
  const fillSeconds = (Date.now() - t) / 1000;
  const manyData = await measureAt(`${many.live} live activities, ${RECORDS.large} ledger entries`);

  const growth = (a: number, b: number) => (a === b ? 1 : a === 0 ? Infinity : round(b / a, 3));
  const rounds = { fewLive, manyLive, manyData };
  // 首页 sends its four reads at once: its messages add up, its round trips are its slowest read's.
  for (const r of Object.values(rounds)) {
    const reads = HOME_READS.map((op) => r[op]);
    r.homePage = {
      ...reads[0],
      messages: reads.reduce((sum, x) => sum + x.messages, 0),
      messagesMax: reads.reduce((sum, x) => sum + x.messagesMax, 0),
      afterAnswer: reads.reduce((sum, x) => sum + x.afterAnswer, 0),
      waves: Math.max(...reads.map((x) => x.waves)),
      depth: Math.max(...reads.map((x) => x.depth)),
      roundTrips: Math.max(...reads.map((x) => x.roundTrips)),
      roundTripsWide: Math.max(...reads.map((x) => x.roundTripsWide)),
      p50Ms: Math.max(...reads.map((x) => x.p50Ms)),
      p50DelayedMs: Math.max(...reads.map((x) => x.p50DelayedMs)),
      commands: {},
    };
  }
  const verdicts = Object.keys(fewLive).map((op) => {
    const [f, m, d] = [fewLive[op], manyLive[op], manyData[op]];
    const content = { messages: growth(f.messages, m.messages), depth: growth(f.depth, m.depth), p50: growth(f.p50Ms, m.p50Ms) };
    const data = { messages: growth(m.messages, d.messages), depth: growth(m.depth, d.depth), p50: growth(m.p50Ms, d.p50Ms) };
    const limit = ROUND_TRIP_LIMITS[op] ?? null;
    return {
      op,
      content,
      data,
      roundTripLimit: limit,
      pass: {
        // The issue's measure: database messages (the depth's growth is beside it; one round trip more is already +25% at 4).
        flatOverContent: content.messages <= MAX_GROWTH,
        flatOverData: data.messages <= MAX_GROWTH,
        // Timed with the wide delay: the count the issue asks for at 2 ms, measured where the machine's noise (several round
        // trips at 2 ms on two busy cores) is small beside it. The 2 ms figure is beside it, and the wire's depth (a ceiling:
        // it counts a write made behind the answer as if the answer waited for it) and waves (a floor).
        roundTrips: limit === null ? null : Math.max(f.roundTripsWide, m.roundTripsWide, d.roundTripsWide) <= limit,
        roundTripsAt2ms: limit === null ? null : Math.max(f.roundTrips, m.roundTrips, d.roundTrips) <= limit,
        depthWithin: limit === null ? null : Math.max(f.depth, m.depth, d.depth) <= limit,
      },
    };
  });
  console.log(`one call through the proxy: +${hopMs} ms with the ${DELAY_MS} ms delay`);
  printTable(`${few.live} live, ${many.live} live, ${many.live} live + ${RECORDS.large} entries`, rounds, verdicts);
  return {
    samples: SAMPLES,
    delayMs: DELAY_MS,
    // What the delay added to one ping through the proxy; round trips are the added time over delayMs, as the issue asks, not over this.
    hopMs,
    sizes: { liveActivities: { small: few.live, large: many.live }, branches: BRANCHES, ledgerEntries: RECORDS },
    seconds: { publishSmall: few.publishSeconds, publishLarge: many.publishSeconds, fillLarge: fillSeconds, total: (Date.now() - started) / 1000 },
    rounds,
    verdicts,
  };
}

type Round = Record<string, { messages: number; roundTrips: number; roundTripsWide: number; waves: number; depth: number; p50Ms: number }>;
type Verdict = {
  op: string;
  content: { messages: number; depth: number };
  data: { messages: number; depth: number };
  roundTripLimit: number | null;
  pass: Record<string, boolean | null>;
};

/** One line an operation: each figure at the three rounds (a/b/c), the growth over content and over data, the round-trip ceiling. */
function printTable(rounds: string, figures: Record<'fewLive' | 'manyLive' | 'manyData', Round>, verdicts: Verdict[]) {
  const mark = (ok: boolean | null) => (ok === null ? '' : ok ? ' ok' : ' FAIL');
  const three = (pick: (r: Round[string]) => number, op: string) => [figures.fewLive, figures.manyLive, figures.manyData].map((r) => pick(r[op])).join('/');
  console.log(`a/b/c: ${rounds}; growth: b÷a (content), c÷b (data), of messages (at most ${MAX_GROWTH}) and depth`);
  console.table(
    Object.fromEntries(
      verdicts.map((v) => [
        v.op,
        {
          messages: three((r) => r.messages, v.op),
          waves: three((r) => r.waves, v.op),
          depth: three((r) => r.depth, v.op),
          'rt at 2ms': three((r) => r.roundTrips, v.op),
          [`rt at ${WIDE_DELAY_MS}ms`]: three((r) => r.roundTripsWide, v.op),
          'p50 ms': three((r) => Math.round(r.p50Ms), v.op),
          content: `${v.content.messages},${v.content.depth}${mark(v.pass.flatOverContent)}`,
          data: `${v.data.messages},${v.data.depth}${mark(v.pass.flatOverData)}`,
          'rt limit': v.roundTripLimit === null ? '' : `${v.roundTripLimit}${mark(v.pass.roundTrips)}`,
        },
      ]),
    ),
  );
}
