import { startBff, type TestBff } from '../helpers/bff';
import { createStreamStore } from '../../bff/src/platform/stream';
import { createIdempotency, fingerprintOf } from '../../bff/src/platform/idempotency';
import { AppError } from '../../bff/src/platform/errors';
import { connectDatabase } from '../../bff/src/platform/db';

let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('concurrency');
});
afterAll(() => bff.stop());

describe('append-only stream', () => {
  test('200 concurrent appends to one stream from 4 writers get sequence numbers 1..200, no gap, no duplicate', async () => {
    // Four writers with their own connection and in-process queue: the races between them are
    // the ones between BFF processes, settled only by the database's unique index.
    const connections = await Promise.all(Array.from({ length: 4 }, () => connectDatabase(process.env.TEST_MONGODB_URI!, { dbName: bff.db.name })));
    const stores = connections.map((db) => createStreamStore<{ total: number }>(db, 'test_stream_entries', bff.clock));
    await stores[0].ensureIndexes();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => stores[i % 4].append('counter-1', (head) => ({ total: (head?.data.total ?? 0) + 1 }))),
    );
    const entries = await bff.db.collection('test_stream_entries').find({ stream: 'counter-1' }).sort({ seq: 1 }).toArray();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each entry carries the running total, so no increment was lost.
    expect(entries.map((e) => e.data.total)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await stores[1].head('counter-1'))?.seq).toBe(200);
    await Promise.all(connections.map((c) => c.close()));
  });

  test('tryAppend tells the loser of a race that the position is taken', async () => {
    const store = createStreamStore<{ v: string }>(bff.db, 'test_stream_race', bff.clock);
    await store.ensureIndexes();
    const outcomes = await Promise.all(['a', 'b', 'c'].map((v) => store.tryAppend('race', 1, { v })));
    expect(outcomes.filter((o) => o.status === 'appended')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'conflict')).toHaveLength(2);
  });

  test('an append with an idempotency key happens once, however often it is retried', async () => {
    const store = createStreamStore<{ n: number }>(bff.db, 'test_stream_keys', bff.clock);
    await store.ensureIndexes();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.append('keyed', (h) => ({ n: (h?.data.n ?? 0) + 1 }), { key: 'request-42' })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.seq))).toEqual(new Set([1]));
    expect(await bff.db.collection('test_stream_keys').countDocuments({ stream: 'keyed' })).toBe(1);
  });

  test('a refusal from decide appends nothing', async () => {
    const store = createStreamStore<{ balance: number }>(bff.db, 'test_stream_refuse', bff.clock);
    await store.ensureIndexes();
    await expect(
      store.append('acct', () => {
        throw new AppError('VALIDATION_FAILED', { message: 'not enough' });
      }),
    ).rejects.toThrow('not enough');
    expect(await store.head('acct')).toBeNull();
  });
});

describe('idempotency keys', () => {
  test('the same key sent 20 times concurrently runs the work once and every caller gets its result', async () => {
    const idem = createIdempotency(bff.db, bff.clock);
    let runs = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        idem.run('test', 'key-1', { amount: 10 }, async () => {
          runs += 1;
          await new Promise((r) => setTimeout(r, 50));
          return { orderId: 'order-1', runs };
        }),
      ),
    );
    expect(runs).toBe(1);
    expect(results).toEqual(Array(20).fill({ orderId: 'order-1', runs: 1 }));
  });

  test('a business error is replayed to retries without running the work again', async () => {
    const idem = createIdempotency(bff.db, bff.clock);
    let runs = 0;
    const work = async () => {
      runs += 1;
      throw new AppError('FORBIDDEN');
    };
    await expect(idem.run('test', 'key-2', {}, work)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(idem.run('test', 'key-2', {}, work)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(runs).toBe(1);
  });

  test('an unexpected failure frees the key so a retry runs again', async () => {
    const idem = createIdempotency(bff.db, bff.clock);
    let runs = 0;
    await expect(
      idem.run('test', 'key-3', {}, async () => {
        runs += 1;
        throw new Error('database hiccup');
      }),
    ).rejects.toThrow('database hiccup');
    await expect(idem.run('test', 'key-3', {}, async () => ++runs)).resolves.toBe(2);
  });

  test('the same key with a different request is refused with IDEMPOTENCY_KEY_REUSED', async () => {
    const idem = createIdempotency(bff.db, bff.clock);
    await idem.run('test', 'key-4', { amount: 1 }, async () => 'ok');
    await expect(idem.run('test', 'key-4', { amount: 2 }, async () => 'ok')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  test('a claim left pending by a crashed caller is taken over after its lease', async () => {
    const idem = createIdempotency(bff.db, bff.clock, { leaseMs: 1000 });
    await bff.db.collection('idempotency_keys').insertOne({ _id: 'test:key-5' as never, fingerprint: fingerprintOf({}), state: 'pending', createdAt: bff.clock.now() });
    bff.clock.advance(2000);
    await expect(idem.run('test', 'key-5', {}, async () => 'recovered')).resolves.toBe('recovered');
  });
});

describe('maintenance', () => {
  test('purges rate-limit hits older than an hour and answered idempotency keys older than a day', async () => {
    const { platform, maintenance } = bff.app.services;
    await platform.rateLimiter.consume('maint-test', 10, 60);
    await platform.idempotency.run('maint', 'old-key', {}, async () => 'done');
    bff.clock.advance(25 * 60 * 60 * 1000);
    await platform.rateLimiter.consume('maint-test', 10, 60);
    await platform.idempotency.run('maint', 'new-key', {}, async () => 'done');
    const purged = await maintenance.runOnce();
    expect(purged.rateLimitHits).toBeGreaterThanOrEqual(1);
    expect(purged.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(await bff.db.collection('rate_limit_hits').countDocuments({ key: 'maint-test' })).toBe(1);
    expect(await bff.db.collection('idempotency_keys').countDocuments({ _id: { $in: ['maint:old-key', 'maint:new-key'] } as never })).toBe(1);
  });
});
