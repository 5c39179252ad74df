// The "flat cost" scenario: the same customer requests timed at 1,000 customers and 10,000
// ledger entries, then again after the database is filled to 100,000 customers and 1,000,000
// ledger entries (other customers' data, in the shapes the BFF stores). A request whose cost
// grows with data (a collection scan) shows as a ratio well above 1.
import mongoose from 'mongoose';
import { timed, type BenchStack, type Figures } from './stack';

const SMALL = { customers: 1_000, entries: 10_000 };
const LARGE = { customers: Number(process.env.BENCH_SCALE_CUSTOMERS ?? 100_000), entries: Number(process.env.BENCH_SCALE_ENTRIES ?? 1_000_000) };
const BATCH = 5_000;
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 200);

/** Fills customers `from..to` (exclusive) with `perCustomer` earn entries each, as the ledger writes them. */
export async function fill(db: mongoose.Connection, from: number, to: number, perCustomer: number) {
  const at = new Date('2026-06-01T00:00:00Z');
  const expiresAt = '2027-12-31T15:59:59.999Z';
  let customers: Record<string, unknown>[] = [];
  let entries: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] = [];
  let heads: Record<string, unknown>[] = [];
  const flush = async (force = false) => {
    if (customers.length >= BATCH || force) {
      if (customers.length) await db.collection('customers').insertMany(customers as never[], { ordered: false });
      if (heads.length) await db.collection('points_ledger_heads').insertMany(heads as never[], { ordered: false });
      customers = [];
      heads = [];
    }
    if (entries.length >= BATCH || force) {
      if (entries.length) await db.collection('points_ledger').insertMany(entries as never[], { ordered: false });
      if (keys.length) await db.collection('points_ledger_keys').insertMany(keys as never[], { ordered: false });
      entries = [];
      keys = [];
    }
  };
  for (let i = from; i < to; i++) {
    const id = `cust-fill-${String(i).padStart(7, '0')}`;
    customers.push({
      _id: id,
      customerNo: `F${String(i).padStart(12, '0')}`,
      openid: `o_fill_${i}`,
      unionid: null,
      nickname: null,
      name: null,
      phone: null,
      orgUnitId: 'org-sh',
      createdAt: at,
      personalized: true,
    });
    const stream = `points:${id}`;
    const lots: { seq: number; remaining: number; expiresAt: string }[] = [];
    let entry: Record<string, unknown> = {};
    for (let seq = 1; seq <= perCustomer; seq++) {
      lots.push({ seq, remaining: 10, expiresAt });
      const key = `fill:${id}:${seq}`;
      entry = { _id: `${stream}#${seq}`, stream, seq, key, at, data: { type: 'earn', amount: 10, balance: 10 * seq, lots: [...lots], description: '填充数据', expiresAt } };
      entries.push(entry);
      keys.push({ _id: key, stream, seq });
    }
    heads.push({ _id: stream, seq: perCustomer, entry: { stream, seq: perCustomer, key: entry.key, at, data: entry.data } });
    await flush();
  }
  await flush(true);
}

/** Each request once per sample customer, one at a time: per-request cost, not throughput. */
async function measure(stack: BenchStack, samples: { token: string; id: string }[], admin: string, itemId: string): Promise<Record<string, Figures>> {
  // Every request must succeed, or its timing means nothing.
  const checked = async (res: Promise<Response>) => {
    const r = await res;
    if (!r.ok) throw new Error(`${r.url} answered ${r.status}`);
    return true;
  };
  const get = (path: string, token: string) => () => checked(fetch(`${stack.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } }));
  const each = (make: (c: { token: string; id: string }) => () => Promise<boolean>) => timed(samples.map(make), 1);
  const result: Record<string, Figures> = {
    me: await each((c) => get('/me', c.token)),
    balance: await each((c) => get('/me/points', c.token)),
    statement: await each((c) => get('/me/points/ledger?limit=20', c.token)),
    activities: await each((c) => get('/activities', c.token)),
    tasks: await each((c) => get('/me/tasks', c.token)),
    mall: await each((c) => get('/mall', c.token)),
    checkinCalendar: await each((c) => get('/me/checkins', c.token)),
    checkIn: await each((c) => () => checked(fetch(`${stack.url}/api/v1/me/checkins`, { method: 'POST', headers: { Authorization: `Bearer ${c.token}` } }))),
    customerInvariants: await each((c) => get(`/admin/invariants?customerId=${encodeURIComponent(c.id)}`, admin)),
    itemInvariants: await each(() => get(`/admin/mall/invariants?itemId=${encodeURIComponent(itemId)}`, admin)),
  };
  // The whole bank's books after this round: the accounts it changed (a check-in each), from their checkpoints.
  result.wholeBankInvariants = await timed([get('/admin/invariants', admin)], 1);
  return result;
}

export async function scaleScenario(stack: BenchStack) {
  const db = await mongoose.createConnection(stack.uri, { maxPoolSize: 10, retryWrites: false }).asPromise();
  try {
    const admin = await stack.staff('admin');
    const customers = async (n: number) => Promise.all(Array.from({ length: n }, () => stack.customer()));
    const t0 = Date.now();
    await fill(db, 0, SMALL.customers, SMALL.entries / SMALL.customers);
    const fillSmallS = (Date.now() - t0) / 1000;
    const sampleCustomers = await customers(SAMPLES);
    const itemId = (await stack.call<{ items: { id: string }[] }>('GET', '/mall', undefined, sampleCustomers[0].token)).body.items[0].id;
    // Everything so far checked once, so each size's whole-bank check sees only its own round's changes.
    await stack.call('GET', '/admin/invariants', undefined, admin);
    const small = await measure(stack, sampleCustomers, admin, itemId);
    const t1 = Date.now();
    await fill(db, SMALL.customers, LARGE.customers, (LARGE.entries - SMALL.entries) / (LARGE.customers - SMALL.customers));
    const fillLargeS = (Date.now() - t1) / 1000;
    // Fresh customers for the check-in (one a day each), measured the same way.
    // Fresh sessions: the fill outlasts an access token.
    const large = await measure(stack, await customers(SAMPLES), await stack.staff('admin'), itemId);
    const ratios = Object.fromEntries(Object.keys(small).map((k) => [`${k}P50LargeToSmall`, +(large[k].p50Ms / small[k].p50Ms).toFixed(3)]));
    return {
      sizes: { small: SMALL, large: LARGE },
      fillSeconds: { small: fillSmallS, large: fillLargeS },
      scenarios: { small, large },
      ratios,
    };
  } finally {
    await db.close();
  }
}
