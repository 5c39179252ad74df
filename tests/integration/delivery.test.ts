import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession, signIn } from '../helpers/activities';
import { drainDelivery, exportedIds, fakeBankFor, keptIds, outOfOrder, pageView, sendEvents, sequenceGaps } from '../helpers/delivery';
import { armedFaults } from '../helpers/faults';
import { spawnBff, type BffProcess } from '../helpers/process';
import type { FakeBank } from '../../fake-bank/server';
import { DEMO_CUSTOMERS } from '../../bff/demo/people';
import { partitionOf } from '../../bff/src/platform/event-feed';

const FAST_RETRIES = {
  RELAY_BACKOFF_BASE_MS: '10',
  RELAY_BACKOFF_MAX_MS: '50',
  RELAY_CIRCUIT_PROBE_MS: '50',
  RELAY_LEASE_MS: '1000',
  BANK_WEBHOOK_TIMEOUT_MS: '300',
  RELAY_BATCH_SIZE: '50',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const today = (bff: TestBff) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(bff.clock.now());

async function invariants(bff: TestBff, admin: string, day = today(bff)) {
  const res = await bff.call('checkDeliveryInvariants', { query: { day } }, { token: admin });
  expect(res.status).toBe(200);
  return res.body;
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

  test("a bank failing every third request and dropping every fifth connection gets every event once, each customer's in order, numbered 1..n", async () => {
    const customers = await Promise.all([customerSession(bff), customerSession(bff), customerSession(bff)]);
    for (const c of customers) await sendEvents(bff, c.token, 200);
    bank.setMode({ failEvery: 3, dropEvery: 5 });

    const { rounds } = await drainDelivery([bff]);
    const kept = await keptIds(bff);
    expect(kept.length).toBeGreaterThan(600);
    const received = bank.events();
    expect(kept.filter((id) => !received.has(id))).toEqual([]);
    const stats = bank.stats();
    expect(stats.failed + stats.dropped).toBeGreaterThan(0);
    expect(stats.badSignatures).toBe(0);
    expect(rounds).toBeGreaterThan(1);
    expect(outOfOrder(bank)).toEqual([]);
    expect(sequenceGaps(bank)).toEqual([]);
    // Each customer's 200 page views, and the consent that registered them, are numbered 1..201.
    for (const c of customers)
      expect(
        [...received.values()]
          .filter((e) => e.customerId === c.id)
          .map((e) => e.seq)
          .sort((a, b) => a! - b!),
      ).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
    // The NDJSON sink has its own queue and never failed: it holds each event once, under the day it happened.
    const exported = exportedIds(exportDir);
    expect(new Set(exported)).toEqual(new Set(kept));
    expect(exported.length).toBe(kept.length);
    expect(readdirSync(exportDir)).toEqual([`events-${today(bff)}.ndjson`]);

    // Nothing personal reaches the bank's event feed: no names, phone numbers, ID numbers or openids.
    const wire = JSON.stringify([...received.values()].map((e) => e.body));
    for (const c of DEMO_CUSTOMERS) for (const secret of [c.name, c.phone, c.idNumber, c.openid, c.nickname]) expect(wire).not.toContain(secret);
    for (const c of customers) expect(wire).not.toContain(c.openid);
    expect(bank.personalData()).toEqual([]);

    const status = await bff.call('getDeliveryStatus', {}, { token: admin });
    expect(status.status).toBe(200);
    const webhook = status.body.sinks.find((s: { sink: string }) => s.sink === 'webhook');
    expect(webhook).toMatchObject({ pending: 0, lagSeconds: 0, deadLetters: 0, circuit: { state: 'closed' } });
    // Counted honestly: what the bank got for the first time, and what it got again. A batch the bank
    // took but answered too late (a timeout, on a loaded machine) is a failed attempt to us and a
    // duplicate when it is sent again, which only the bank can see.
    const timeouts = webhook.lastHour.failedAttempts - (stats.failed + stats.dropped);
    expect(timeouts).toBeGreaterThanOrEqual(0);
    expect(webhook.lastHour.delivered).toBe(stats.unique);
    expect(webhook.lastHour.duplicates).toBeLessThanOrEqual(stats.duplicates);
    if (timeouts === 0) expect(webhook.lastHour.duplicates).toBe(stats.duplicates);
    const books = await invariants(bff, admin);
    expect(books).toMatchObject({ consistent: true, publishing: { intents: 0 } });
    for (const sink of books.sinks) expect(sink).toMatchObject({ kept: kept.length, waiting: 0, delivered: kept.length, deadLetters: 0, missing: 0, gaps: [] });
  });

  test("two runs of the relay in one process at once (its worker's and an operator's) send each event once", async () => {
    const c = await customerSession(bff);
    await sendEvents(bff, c.token, 60);
    bank.setMode({ failEvery: 0, dropEvery: 0, slowMs: 50 });
    const before = bank.stats().duplicates;
    const { relay, operations } = bff.app.services.capabilities.delivery;
    for (let round = 0; round < 100; round++) {
      await Promise.all([relay.runOnce(), relay.runOnce()]);
      const status = await operations.status();
      if (status.publishing.intents === 0 && status.sinks.every((s) => s.pending === 0)) break;
      bff.clock.advance(700);
    }
    bank.setMode({ slowMs: 0 });
    const kept = await keptIds(bff);
    expect(kept.filter((id) => !bank.events().has(id))).toEqual([]);
    expect(bank.stats().duplicates - before).toBe(0);
  });

  test('an event whose queuing was lost is found by the books and queued again', async () => {
    const c = await customerSession(bff);
    await sendEvents(bff, c.token, 5);
    await drainDelivery([bff]);
    // A step lost for good: one delivered event's mark and a waiting copy gone, as if never queued.
    const [victim] = (await keptIds(bff)).slice(-1);
    const day = today(bff).replaceAll('-', '');
    await bff.db.collection(`delivery_sent_webhook_${day}`).deleteOne({ _id: victim } as never);
    const before = await invariants(bff, admin);
    expect(before.consistent).toBe(false);
    expect(before.sinks.find((s: { sink: string }) => s.sink === 'webhook')).toMatchObject({ missing: 1, gaps: [victim] });
    await bff.app.services.maintenance.runOnce();
    await drainDelivery([bff]);
    expect((await invariants(bff, admin)).consistent).toBe(true);
  });
});

describe('failures: dead letters, an outage, a poisoned event', () => {
  let bff: TestBff;
  let bank: FakeBank;
  let admin: string;

  beforeAll(async () => {
    let clockNow = () => Date.now();
    const fake = await fakeBankFor(() => clockNow());
    bank = fake.bank;
    bff = await startBff('deadletters', {
      env: { BANK_WEBHOOK_URL: fake.env.BANK_WEBHOOK_URL, BANK_WEBHOOK_SECRET: fake.env.BANK_WEBHOOK_SECRET, ...FAST_RETRIES, RELAY_MAX_ATTEMPTS: '3' },
    });
    clockNow = () => bff.clock.now().getTime();
    await seedDemo(bff);
    admin = await staffToken(bff, 'admin');
  });
  afterAll(async () => {
    await bank.close();
    await bff.stop();
  });
  beforeEach(async () => {
    bank.reset();
    await drainDelivery([bff]);
    bank.reset();
    admin = await staffToken(bff, 'admin');
  });

  test('a 60-second outage dead-letters nothing: the circuit opens, attempts stop counting, and everything arrives once the bank is back', async () => {
    const c = await customerSession(bff);
    await sendEvents(bff, c.token, 120);
    bank.setMode({ down: true });
    const relay = bff.app.services.capabilities.delivery.relay;
    for (let elapsed = 0; elapsed < 60_000; elapsed += 500) {
      await relay.runOnce();
      bff.clock.advance(500);
    }
    expect(bank.stats().failed).toBeGreaterThan(10);
    const during = await bff.call('getDeliveryStatus', {}, { token: admin });
    expect(during.body.sinks[0]).toMatchObject({ deadLetters: 0, pending: 121, circuit: { state: 'open' } });
    bank.setMode({ down: false });
    await drainDelivery([bff]);
    expect(bank.stats().unique).toBe(121);
    const after = await bff.call('getDeliveryStatus', {}, { token: admin });
    expect(after.body.sinks[0]).toMatchObject({ deadLetters: 0, pending: 0, circuit: { state: 'closed' } });
    expect(outOfOrder(bank)).toEqual([]);
  });

  test('a poisoned event in a batch of 100 is dead-lettered alone; its 99 batch-mates arrive', async () => {
    const c = await customerSession(bff);
    await drainDelivery([bff]);
    bank.reset();
    const events = Array.from({ length: 100 }, () => pageView(bff));
    expect((await bff.call('trackEvents', { body: { events } }, { token: c.token })).body.accepted).toBe(100);
    const poison = events[37].id;
    bank.setMode({ refuseIds: [poison] });
    await bff.app.services.capabilities.delivery.relay.runOnce();
    expect([...bank.events().keys()].sort()).toEqual(
      events
        .map((e) => e.id)
        .filter((id) => id !== poison)
        .sort(),
    );
    const dead = await bff.call('listDeadLetters', { query: { sink: 'webhook' } }, { token: admin });
    expect(dead.body).toMatchObject({ total: 1, items: [{ id: poison, reason: 'refused', seq: 39 }] });
    expect(dead.body.items[0].lastError).toContain('HTTP 422');
    expect(outOfOrder(bank)).toEqual([]);
    // Once the bank accepts it, a replay delivers it with its own number: the bank places it by seq.
    bank.setMode({ refuseIds: [] });
    await bff.call('replayDeadLetters', { body: { sink: 'webhook', ids: [poison] } }, { token: admin });
    await drainDelivery([bff]);
    expect(bank.events().get(poison)?.seq).toBe(39);
  });

  test('an event the bank keeps failing on while it takes others is isolated and dead-lettered after three attempts; an admin replays it', async () => {
    const a = await customerSession(bff);
    // Other customers, taken in turn (each within its own rate limit on events).
    const others = await Promise.all(Array.from({ length: 12 }, () => customerSession(bff)));
    await drainDelivery([bff]);
    bank.reset();
    const events = Array.from({ length: 40 }, () => pageView(bff));
    await bff.call('trackEvents', { body: { events } }, { token: a.token });
    const sick = events[5].id;
    bank.setMode({ failIds: [sick] });
    const relay = bff.app.services.capabilities.delivery.relay;
    // The bank keeps taking other customers' events meanwhile, every round: a failure counts
    // against the event only when the bank took something since it last failed (an idle bank is
    // an outage, which dead-letters nothing). Rounds go on until the event is dead-lettered: a
    // dozen, unless a round's timing opened the circuit (attempts made while it is open do not
    // count), which costs a few more.
    const deadLetters = async () => (await bff.call('listDeadLetters', { query: { sink: 'webhook' } }, { token: admin })).body.total as number;
    for (let round = 0; round < 12 || (round < 100 && (await deadLetters()) === 0); round += 1) {
      await sendEvents(bff, others[round % others.length].token, 2);
      await relay.runOnce();
      bff.clock.advance(700);
    }
    const listed = await bff.call('listDeadLetters', { query: { sink: 'webhook' } }, { token: admin });
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: sick, attempts: 3, reason: 'attempts', lastError: expect.stringContaining('HTTP 503') }] });
    expect(events.filter((e) => e.id !== sick && !bank.events().has(e.id))).toEqual([]);
    expect(outOfOrder(bank)).toEqual([]);

    // Only head-office admins see or replay delivery.
    const rm = await staffToken(bff, 'rm');
    expect((await bff.call('replayDeadLetters', { body: { sink: 'webhook' } }, { token: rm })).status).toBe(403);
    expect((await bff.call('checkDeliveryInvariants', undefined, { token: rm })).status).toBe(403);
    expect((await bff.call('getDeliveryStatus', {}, { token: a.token })).status).toBe(403);
    expect((await bff.request('POST', '/api/v1/admin/delivery/dead-letters/replay', { token: admin, body: { sink: 'carrier-pigeon' } })).status).toBe(400);

    bank.setMode({ failIds: [] });
    const replayed = await bff.call('replayDeadLetters', { body: { sink: 'webhook' } }, { token: admin });
    expect(replayed.body).toEqual({ replayed: 1 });
    await drainDelivery([bff]);
    expect(bank.events().get(sick)?.seq).toBe(7);
    const audit = await bff.call('listAuditRecords', { query: { action: 'delivery.replayed' } }, { token: admin });
    expect(audit.body.items.some((e: { detail: { replayed: number; selected: unknown } }) => e.detail.replayed === 1 && e.detail.selected === 'all')).toBe(true);
    expect((await invariants(bff, admin)).consistent).toBe(true);
  });

  test('dead letters are listed page by page to the last one, none twice and none left out', async () => {
    const dead = bff.db.collection('delivery_dead_letters');
    const letters = Array.from({ length: 5 }, (_, i) => ({
      _id: `ndjson:paging-${i}`,
      sink: 'ndjson',
      event: { id: `paging-${i}`, name: 'activity.viewed', seq: i + 1 },
      pendingId: `paging-${i}`,
      day: '2020-01-01',
      attempts: 3,
      reason: 'attempts',
      lastError: 'HTTP 503',
      deadAt: new Date(),
    }));
    await dead.insertMany(letters as never[]);
    try {
      const listed: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const res = await bff.call('listDeadLetters', { query: { sink: 'ndjson', limit: '2', ...(cursor ? { cursor } : {}) } }, { token: admin });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(5);
        listed.push(...res.body.items.map((d: { id: string }) => d.id));
        cursor = res.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(listed).toEqual(letters.map((l) => l.event.id));
    } finally {
      await dead.deleteMany({ _id: { $in: letters.map((l) => l._id) } } as never);
    }
  });
});

describe('nothing lost when a write answers "busy" or a process dies', () => {
  test('an intent written but answered "busy", and one whose request died before keeping its events, are both delivered', async () => {
    const fake = await fakeBankFor();
    const faults = armedFaults();
    const bff = await startBff('busyintent', {
      env: { BANK_WEBHOOK_URL: fake.env.BANK_WEBHOOK_URL, BANK_WEBHOOK_SECRET: fake.env.BANK_WEBHOOK_SECRET, RELAY_INTENT_STALE_MS: '5000' },
      faults,
    });
    try {
      await seedDemo(bff);
      const c = await customerSession(bff);
      // The database wrote the intent and answered "busy": read back, not written twice, not lost.
      faults.arm('feed.intent.written', 'busy');
      const first = [pageView(bff), pageView(bff)];
      expect((await bff.call('trackEvents', { body: { events: first } }, { token: c.token })).body.accepted).toBe(2);
      // The request dies after its intent, before keeping the events: the publisher keeps them from the intent once it is stale.
      faults.arm('feed.intent.written', 'crash');
      const lost = [pageView(bff)];
      expect((await bff.call('trackEvents', { body: { events: lost } }, { token: c.token })).status).toBe(500);
      expect(await bff.db.collection('behaviour_events').countDocuments({ _id: lost[0].id } as never)).toBe(0);
      // Meanwhile another customer of the same partition is not held up by it.
      let neighbour = await customerSession(bff);
      while (partitionOf(neighbour.id) !== partitionOf(c.id)) neighbour = await customerSession(bff);
      const theirs = [pageView(bff)];
      await bff.call('trackEvents', { body: { events: theirs } }, { token: neighbour.token });
      await bff.app.services.capabilities.delivery.relay.runOnce();
      expect(fake.bank.events().has(theirs[0].id)).toBe(true);
      expect(fake.bank.events().has(lost[0].id)).toBe(false);
      // A domain event whose outbox write died after its intent: the same.
      faults.arm('feed.intent.written', 'crash');
      await expect(bff.app.services.outbox.record('customer.phone_bound', `${c.id}:x`, { customerId: c.id })).rejects.toThrow();
      bff.clock.advance(6000);
      await drainDelivery([bff]);
      expect(await bff.db.collection('behaviour_events').countDocuments({ _id: lost[0].id } as never)).toBe(1);
      for (const id of [...first, ...lost].map((e) => e.id)) expect(fake.bank.events().has(id)).toBe(true);
      expect(fake.bank.events().has(`customer.phone_bound:${c.id}:x`)).toBe(true);
      expect(outOfOrder(fake.bank)).toEqual([]);
      expect(sequenceGaps(fake.bank)).toEqual([]);
    } finally {
      await fake.bank.close();
      await bff.stop();
    }
  });

  const processes: BffProcess[] = [];
  afterAll(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  test("2,000 events through two BFF processes, a bank failing every third request, busy answers on the queue writes and a relay killed mid-batch: all arrive, each customer's in order, with no gap in the books", async () => {
    const fake = await fakeBankFor();
    const dbName = uniqueDbName('relays');
    const env = {
      ...fake.env,
      RELAY_INTERVAL_MS: '100',
      RELAY_LEASE_MS: '3000',
      BANK_WEBHOOK_TIMEOUT_MS: '1000',
      RELAY_BATCH_SIZE: '50',
      RELAY_BACKOFF_BASE_MS: '50',
      RELAY_BACKOFF_MAX_MS: '400',
      RELAY_MAX_ATTEMPTS: '100',
      RELAY_INTENT_STALE_MS: '3000',
      // Every 7th intent written is answered "busy", and every 5th before it is written.
      TEST_FAULTS: 'feed.intent.written=busy/7,feed.intent=busy/5',
    };
    // The writer seeds the bank and signs customers in; it runs no relay.
    const writer = await startBff('relays', { env: { ...env, TEST_FAULTS: '' }, dbName });
    try {
      await seedDemo(writer);
      const customers = await Promise.all(Array.from({ length: 50 }, () => customerSession(writer)));
      fake.bank.setMode({ failEvery: 3 });
      const a = await spawnBff(dbName, env);
      const b = await spawnBff(dbName, env);
      processes.push(a, b);
      let killed = false;
      let c2: BffProcess | null = null;
      /** The process a phone reaches for its k-th call: after the kill, the load balancer sends none to the dead one. */
      const route = (k: number) => {
        const live = [killed ? (c2 ?? b) : a, c2 ?? b];
        return live[k % 2].url;
      };
      const post = async (k: number, token: string, events: unknown[]) => {
        for (let attempt = 0; ; attempt++) {
          try {
            const res = await fetch(`${route(k + attempt)}/api/v1/events`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ events }),
            });
            // A refused or lost answer is sent again, as the tracker does: the ids make it safe.
            if (res.ok) return (await res.json()) as { accepted: number; duplicates: number };
          } catch {
            // the process went away mid-request: sent again
          }
          await sleep(50);
        }
      };
      // Each customer sends 40 events in 4 batches, one after another, alternating processes, as a phone would.
      await Promise.all(
        customers.map(async (c, k) => {
          for (let batch = 0; batch < 4; batch += 1) {
            const events = Array.from({ length: 10 }, () => ({ id: randomUUID(), type: 'page_view', clientTime: new Date().toISOString(), page: 'pages/index/index' }));
            await post(k + batch, c.token, events);
            if (k === 0 && batch === 1 && !killed) {
              // A relay killed with a batch in flight.
              fake.bank.setMode({ slowMs: 400 });
              const until = Date.now() + 20_000;
              const seen = fake.bank.stats().requests;
              while (fake.bank.stats().requests === seen && Date.now() < until) await sleep(5);
              a.child.kill('SIGKILL');
              killed = true;
              await a.exited;
              fake.bank.setMode({ slowMs: 0 });
              c2 = await spawnBff(dbName, env);
              processes.push(c2);
            }
          }
        }),
      );
      const kept = () => keptIds(writer);
      // Delivery must keep moving: it fails when a minute passes with nothing more arriving, not at a fixed time (a busy machine is slow, not wrong).
      let arrived = -1;
      let movedAt = Date.now();
      for (;;) {
        const ids = await kept();
        const missing = ids.filter((id) => !fake.bank.events().has(id)).length;
        if (ids.length >= 2000 && missing === 0) break;
        if (fake.bank.events().size !== arrived) [arrived, movedAt] = [fake.bank.events().size, Date.now()];
        if (Date.now() - movedAt > 60_000) throw new Error(`delivery stalled: ${missing} of ${ids.length} kept events not at the bank`);
        await sleep(250);
      }
      const ids = await kept();
      const behaviour = await writer.db.collection('behaviour_events').countDocuments();
      expect(behaviour).toBe(2000);
      expect(outOfOrder(fake.bank)).toEqual([]);
      expect(sequenceGaps(fake.bank)).toEqual([]);
      const { duplicates, badSignatures } = fake.bank.stats();
      expect(badSignatures).toBe(0);
      console.log(`two processes and a kill: ${ids.length} events, ${duplicates} duplicates, bank answered ${fake.bank.stats().requests} requests`);
      // Outside the killed batch (at most 50 events) duplicates stay under 1%: those are requests the relay gave up on
      // after its 1 s timeout, or a lease that ran out, while the bank had taken them (a loaded machine makes a few).
      // A relay that sent anything again after a refusal would make hundreds: every third request is refused.
      expect(duplicates).toBeLessThanOrEqual(50 + 20);
      const admin = await staffToken(writer, 'admin');
      await sleep(500);
      const books = await invariants(writer, admin, new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
      expect(books.sinks.map((s: { missing: number }) => s.missing)).toEqual([0, 0]);
    } finally {
      for (const p of processes) {
        if (p.child.exitCode === null) p.child.kill('SIGTERM');
        await p.exited;
      }
      await fake.bank.close();
      await writer.stop();
    }
  }, 900_000);
});

describe('the NDJSON export by the day events happened, closed with a manifest', () => {
  test('late events go to the late file of the day they arrive; each file gets its manifest once nothing more can arrive', async () => {
    const fake = await fakeBankFor();
    const dir = fake.exportDir;
    const bff = await startBff('export', { env: { BANK_EXPORT_DIR: dir, RELAY_LEASE_MS: '1000', BANK_EXPORT_CLOSE_AFTER_MINUTES: '60' } });
    try {
      await seedDemo(bff);
      bff.clock.set(new Date('2026-12-01T10:00:00+08:00'));
      const c = await signIn(bff, 'o_demo_customer_01');
      const day1 = Array.from({ length: 3 }, () => pageView(bff));
      await bff.call('trackEvents', { body: { events: day1 } }, { token: c.token });
      await drainDelivery([bff]);
      // The next day, before the close: an event of the first day still goes to its day's file.
      bff.clock.set(new Date('2026-12-02T00:30:00+08:00'));
      const c2 = await signIn(bff, 'o_demo_customer_01');
      const early = pageView(bff, { clientTime: new Date('2026-12-01T23:50:00+08:00').toISOString() });
      await bff.call('trackEvents', { body: { events: [early] } }, { token: c2.token });
      await drainDelivery([bff]);
      const sweeps = () => bff.app.services.maintenance.runOnce();
      await sweeps();
      expect(existsSync(path.join(dir, 'events-2026-12-01.manifest.json'))).toBe(false);
      // After the close: the day is marked closed at once, its manifest written two lease periods later.
      bff.clock.set(new Date('2026-12-02T01:10:00+08:00'));
      await sweeps();
      const c3 = await signIn(bff, 'o_demo_customer_01');
      const late = pageView(bff, { clientTime: new Date('2026-12-01T22:00:00+08:00').toISOString() });
      await bff.call('trackEvents', { body: { events: [late] } }, { token: c3.token });
      await drainDelivery([bff], { stepMs: 100 });
      // Two lease periods after the mark, no send that read the day as open can still be writing.
      bff.clock.advance(2 * bff.app.services.config.delivery.leaseMs + 1000);
      await sweeps();
      const manifest = JSON.parse(readFileSync(path.join(dir, 'events-2026-12-01.manifest.json'), 'utf8'));
      const lines = readFileSync(path.join(dir, 'events-2026-12-01.ndjson'), 'utf8').split('\n').filter(Boolean);
      expect(lines.map((l) => JSON.parse(l).id)).toEqual(expect.arrayContaining([...day1, early].map((e) => e.id)));
      expect(manifest).toMatchObject({ file: 'events-2026-12-01.ndjson', day: '2026-12-01', kind: 'events', lines: lines.length, events: lines.length });
      expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
      const lateLines = readFileSync(path.join(dir, 'late-2026-12-02.ndjson'), 'utf8').split('\n').filter(Boolean);
      expect(lateLines.map((l) => JSON.parse(l).id)).toEqual([late.id]);
      // The late file closes after its own day.
      expect(existsSync(path.join(dir, 'late-2026-12-02.manifest.json'))).toBe(false);
      bff.clock.set(new Date('2026-12-03T01:00:05+08:00'));
      await sweeps();
      expect(existsSync(path.join(dir, 'late-2026-12-02.manifest.json'))).toBe(false);
      bff.clock.advance(2 * bff.app.services.config.delivery.leaseMs + 1000);
      await sweeps();
      expect(JSON.parse(readFileSync(path.join(dir, 'late-2026-12-02.manifest.json'), 'utf8'))).toMatchObject({ kind: 'late', lines: 1 });
    } finally {
      await fake.bank.close();
      await bff.stop();
    }
  });
});
