import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { exportedIds, fakeBankFor, keptIds, sendEvents } from '../helpers/delivery';
import { spawnBff, type BffProcess } from '../helpers/process';
import type { FakeBank } from '../../fake-bank/server';
import { DEMO_CUSTOMERS } from '../../bff/src/seed/demo';

const FAST_RETRIES = { RELAY_BACKOFF_BASE_MS: '10', RELAY_BACKOFF_MAX_MS: '50', RELAY_LEASE_MS: '1000', BANK_WEBHOOK_TIMEOUT_MS: '300', RELAY_BATCH_SIZE: '50' };

let turn = 0;

/** Runs the relays of these BFFs together, moving the clock past any backoff and lease between rounds, until nothing waits. */
async function relayUntilDrained(bffs: TestBff[], rounds = 400): Promise<{ delivered: number[]; rounds: number }> {
  const delivered = bffs.map(() => 0);
  for (let round = 1; round <= rounds; round += 1) {
    // Another relay asks first each round, as the timers of two machines would fall.
    turn += 1;
    const order = bffs.map((_, i) => (i + turn) % bffs.length);
    const runs = await Promise.all(order.map((i) => bffs[i].app.services.capabilities.delivery.relay.runOnce()));
    runs.forEach((r, k) => (delivered[order[k]] += r.delivered));
    const status = await bffs[0].app.services.capabilities.delivery.operations.status();
    if (status.sinks.every((s) => s.pending === 0)) return { delivered, rounds: round };
    // Not a whole lease, so rounds fall at every point of a lease period, as real time does.
    bffs[0].clock.advance(700);
  }
  throw new Error('the relays did not drain the queue');
}

describe('delivery to the bank through a flaky webhook and a daily NDJSON file', () => {
  let bff: TestBff;
  let bank: FakeBank;
  let exportDir: string;
  let admin: string;

  beforeAll(async () => {
    let clockNow = () => Date.now();
    const fake = await fakeBankFor(() => clockNow());
    ({ bank, exportDir } = fake);
    bff = await startBff('delivery', { env: { ...fake.env, ...FAST_RETRIES, RELAY_MAX_ATTEMPTS: '100' } });
    clockNow = () => bff.clock.now().getTime();
    await seedDemo(bff);
    admin = await staffToken(bff, 'admin');
  });
  afterAll(async () => {
    await bank.close();
    await bff.stop();
  });

  test('a bank failing every third request and dropping every fifth connection still gets every event, each signature verifying', async () => {
    const customers = await Promise.all([customerSession(bff), customerSession(bff), customerSession(bff)]);
    for (const c of customers) await sendEvents(bff, c.token, 200);
    bank.setMode({ failEvery: 3, dropEvery: 5 });

    const { rounds } = await relayUntilDrained([bff]);
    const kept = await keptIds(bff);
    expect(kept.length).toBeGreaterThan(600);
    const received = bank.events();
    expect(kept.filter((id) => !received.has(id))).toEqual([]);
    const stats = bank.stats();
    expect(stats.failed + stats.dropped).toBeGreaterThan(0);
    expect(stats.badSignatures).toBe(0);
    expect(rounds).toBeGreaterThan(1);
    // The NDJSON sink has its own queue and never failed: it holds each event once.
    const exported = exportedIds(exportDir);
    expect(new Set(exported)).toEqual(new Set(kept));
    expect(exported.length).toBe(kept.length);

    // Nothing personal reaches the bank's event feed: no names, phone numbers, ID numbers or openids.
    const wire = JSON.stringify([...received.values()].map((e) => e.body));
    for (const c of DEMO_CUSTOMERS) for (const secret of [c.name, c.phone, c.idNumber, c.openid, c.nickname]) expect(wire).not.toContain(secret);
    for (const c of customers) expect(wire).not.toContain(c.openid);
    expect(wire).toContain(customers[0].id);

    const status = await bff.request('GET', '/api/v1/admin/delivery', { token: admin });
    expect(status.status).toBe(200);
    const webhook = status.body.sinks.find((s: { sink: string }) => s.sink === 'webhook');
    expect(webhook).toMatchObject({ pending: 0, lagSeconds: 0, deadLetters: 0 });
    expect(webhook.lastHour.delivered).toBeGreaterThanOrEqual(kept.length);
    expect(webhook.lastHour.failedAttempts).toBe(stats.failed + stats.dropped);
  });
});

describe('dead letters and replay', () => {
  let bff: TestBff;
  let bank: FakeBank;
  let tokens: { admin: string; rm: string };

  beforeAll(async () => {
    let clockNow = () => Date.now();
    const fake = await fakeBankFor(() => clockNow());
    bank = fake.bank;
    bff = await startBff('deadletters', { env: { BANK_WEBHOOK_URL: fake.env.BANK_WEBHOOK_URL, BANK_WEBHOOK_SECRET: fake.env.BANK_WEBHOOK_SECRET, ...FAST_RETRIES, RELAY_MAX_ATTEMPTS: '3' } });
    clockNow = () => bff.clock.now().getTime();
    await seedDemo(bff);
    tokens = { admin: await staffToken(bff, 'admin'), rm: await staffToken(bff, 'rm') };
  });
  afterAll(async () => {
    await bank.close();
    await bff.stop();
  });

  test('after three failed attempts events become dead letters; an admin replays them and they arrive', async () => {
    const c = await customerSession(bff);
    await sendEvents(bff, c.token, 120);
    bank.setMode({ down: true });
    const relay = bff.app.services.capabilities.delivery.relay;
    for (let i = 0; i < 12; i += 1) {
      await relay.runOnce();
      bff.clock.advance(700);
    }
    const kept = await keptIds(bff);
    expect(bank.stats().unique).toBe(0);

    const admin = () => staffToken(bff, 'admin');
    tokens.admin = await admin();
    const status = await bff.request('GET', '/api/v1/admin/delivery', { token: tokens.admin });
    expect(status.body.sinks).toEqual([expect.objectContaining({ sink: 'webhook', pending: 0, deadLetters: kept.length })]);
    const listed = await bff.request('GET', '/api/v1/admin/delivery/dead-letters?sink=webhook&limit=5', { token: tokens.admin });
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(kept.length);
    expect(listed.body.items[0]).toMatchObject({ sink: 'webhook', attempts: 3, lastError: 'HTTP 503' });

    // Only head-office admins see or replay delivery.
    tokens.rm = await staffToken(bff, 'rm');
    expect((await bff.request('POST', '/api/v1/admin/delivery/dead-letters/replay', { token: tokens.rm, body: { sink: 'webhook' } })).status).toBe(403);
    expect((await bff.request('GET', '/api/v1/admin/delivery', { token: c.token })).status).toBe(403);
    expect((await bff.request('POST', '/api/v1/admin/delivery/dead-letters/replay', { token: tokens.admin, body: { sink: 'carrier-pigeon' } })).status).toBe(400);

    bank.setMode({ down: false });
    const one = listed.body.items[0].id;
    const first = await bff.request('POST', '/api/v1/admin/delivery/dead-letters/replay', { token: tokens.admin, body: { sink: 'webhook', ids: [one, 'no-such-event'] } });
    expect(first.body).toEqual({ replayed: 1 });
    await relayUntilDrained([bff]);
    expect([...bank.events().keys()]).toEqual([one]);

    const rest = await bff.request('POST', '/api/v1/admin/delivery/dead-letters/replay', { token: tokens.admin, body: { sink: 'webhook' } });
    expect(rest.body).toEqual({ replayed: kept.length - 1 });
    await relayUntilDrained([bff]);
    expect(kept.filter((id) => !bank.events().has(id))).toEqual([]);
    expect(bank.stats().duplicates).toBe(0);

    const audit = await bff.request('GET', '/api/v1/admin/audit?action=delivery.replayed', { token: tokens.admin });
    expect(audit.body.items.map((e: { detail: { replayed: number } }) => e.detail.replayed).sort((a: number, b: number) => a - b)).toEqual([1, kept.length - 1]);
  });
});

describe('two relays and a crash', () => {
  test('two relays share the queue, each event arriving at least once, with the duplicates counted', async () => {
    let clockNow = () => Date.now();
    const fake = await fakeBankFor(() => clockNow());
    const dbName = uniqueDbName('relays');
    // A timeout long enough that a loaded machine does not turn a delivered batch into a failed one.
    const env = { ...fake.env, ...FAST_RETRIES, BANK_WEBHOOK_TIMEOUT_MS: '3000', RELAY_MAX_ATTEMPTS: '100' };
    const a = await startBff('relays', { env, dbName });
    const b = await startBff('relays', { env, dbName, clock: a.clock });
    clockNow = () => a.clock.now().getTime();
    try {
      const customers = await Promise.all(Array.from({ length: 5 }, () => customerSession(a)));
      // Events keep arriving while the relays work: in waves, each a lease period after the last.
      const delivered = [0, 0];
      for (let wave = 0; wave < 4; wave += 1) {
        await Promise.all(customers.map((c) => sendEvents(a, c.token, 50)));
        const run = await relayUntilDrained([a, b]);
        run.delivered.forEach((n, i) => (delivered[i] += n));
        a.clock.advance(1000);
      }
      const kept = await keptIds(a);
      expect(kept.filter((id) => !fake.bank.events().has(id))).toEqual([]);
      // Both relays did part of the work, and in normal operation no batch went twice.
      expect(delivered[0]).toBeGreaterThan(0);
      expect(delivered[1]).toBeGreaterThan(0);
      const { duplicates, eventsReceived } = fake.bank.stats();
      // A duplicate can only come from an attempt that failed after the bank had the batch
      // (a timeout): never from two relays holding one partition at once.
      const failed = await a.db.collection<{ count: number }>('delivery_batches').find({ ok: false }).toArray();
      const retriedEvents = failed.reduce((sum, f) => sum + f.count, 0);
      console.log(`two relays: ${kept.length} events, ${eventsReceived} received, ${duplicates} duplicates, ${failed.length} failed attempts, split ${delivered.join('/')}`);
      expect(duplicates).toBeLessThanOrEqual(retriedEvents);
      expect(duplicates).toBeLessThanOrEqual(kept.length * 0.05);
    } finally {
      await fake.bank.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  let relayA: BffProcess | null = null;
  let relayB: BffProcess | null = null;
  afterAll(() => {
    for (const p of [relayA, relayB]) if (p && p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  test('a relay killed in the middle of a batch loses nothing: the next one sends what was cut short', async () => {
    const fake = await fakeBankFor();
    const dbName = uniqueDbName('relaykill');
    const env = { ...fake.env, RELAY_INTERVAL_MS: '100', RELAY_LEASE_MS: '3000', BANK_WEBHOOK_TIMEOUT_MS: '1000', RELAY_BATCH_SIZE: '50' };
    const writer = await startBff('relaykill', { env, dbName });
    try {
      const c = await customerSession(writer);
      await sendEvents(writer, c.token, 400);
      const kept = await keptIds(writer);
      fake.bank.setMode({ slowMs: 600 });
      relayA = await spawnBff(dbName, env);
      const deadline = Date.now() + 20_000;
      while (fake.bank.stats().requests === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      relayA.child.kill('SIGKILL');
      await relayA.exited;
      expect(fake.bank.stats().requests).toBeGreaterThan(0);
      fake.bank.setMode({ slowMs: 0 });

      relayB = await spawnBff(dbName, env);
      const until = Date.now() + 60_000;
      while (kept.some((id) => !fake.bank.events().has(id)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(kept.filter((id) => !fake.bank.events().has(id))).toEqual([]);
      expect(fake.bank.stats().badSignatures).toBe(0);
    } finally {
      relayB?.child.kill('SIGTERM');
      await relayB?.exited;
      await fake.bank.close();
      await writer.stop();
    }
  });
});
