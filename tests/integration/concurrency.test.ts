import { startBff, type TestBff } from '../helpers/bff';
import { createStreamStore } from '../../bff/src/platform/stream';
import { AppError } from '../../bff/src/platform/errors';
import { connectDatabase, type Database } from '../../bff/src/platform/db';
import { createRateLimiter } from '../../bff/src/platform/rate-limit';

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
    await Promise.all(Array.from({ length: 200 }, (_, i) => stores[i % 4].append('counter-1', (head) => ({ total: (head?.data.total ?? 0) + 1 }))));
    const entries = await bff.db.collection('test_stream_entries').find({ stream: 'counter-1' }).sort({ seq: 1 }).toArray();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each entry carries the running total, so no increment was lost.
    expect(entries.map((e) => e.data.total)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await stores[1].head('counter-1'))?.seq).toBe(200);
    await Promise.all(connections.map((c) => c.close()));
  });

  test('keyed takes of a capped stock from 4 writers, each sent three times at once, take exactly the cap, once each, in order', async () => {
    // The appends one writer has waiting for a stream go in together: a group stopped by another
    // writer's position, or by a key already in, must leave no gap, no second entry for a key, and
    // no take past the cap.
    const connections = await Promise.all(Array.from({ length: 4 }, () => connectDatabase(process.env.TEST_MONGODB_URI!, { dbName: bff.db.name })));
    const stores = connections.map((db) => createStreamStore<{ won: number }>(db, 'test_stream_stock', bff.clock));
    await stores[0].ensureIndexes();
    const CAP = 150;
    const take = (i: number, send: number) =>
      stores[(i + send) % 4]
        .append(
          'prize',
          (head) => {
            if ((head?.data.won ?? 0) >= CAP) throw new AppError('MALL_SOLD_OUT');
            return { won: (head?.data.won ?? 0) + 1 };
          },
          { key: `take-${i}` },
        )
        .then(
          ({ entry }) => entry.seq,
          () => null,
        );
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => Promise.all([0, 1, 2].map((send) => take(i, send)))));
    const entries = await bff.db.collection('test_stream_stock').find({ stream: 'prize' }).sort({ seq: 1 }).toArray();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: CAP }, (_, i) => i + 1));
    expect(entries.map((e) => e.data.won)).toEqual(Array.from({ length: CAP }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.key)).size).toBe(CAP);
    // Every send of a take that went in answers with its one entry, even one that came when the stock was gone.
    const seqOf = new Map(entries.map((e) => [e.key, e.seq]));
    expect(outcomes.map((sends) => [...new Set(sends)])).toEqual(outcomes.map((_, i) => [seqOf.get(`take-${i}`) ?? null]));
    await Promise.all(connections.map((c) => c.close()));
  });

  test('an append with an idempotency key happens once, however often it is retried', async () => {
    const store = createStreamStore<{ n: number }>(bff.db, 'test_stream_keys', bff.clock);
    await store.ensureIndexes();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.append('keyed', (h) => ({ n: (h?.data.n ?? 0) + 1 }), { key: 'request-42' })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry.seq))).toEqual(new Set([1]));
    expect(await bff.db.collection('test_stream_keys').countDocuments({ stream: 'keyed' })).toBe(1);
  });

  test('a key index that fails to be written behind an append is repaired before any head hint passes over its entry', async () => {
    // The database as one process sees it, whose next write to the key index fails (a busy database, say).
    let failNextIndex = false;
    const flaky = {
      collection: (name: string) => {
        const real = bff.db.collection(name);
        if (!name.endsWith('_keys')) return real;
        return new Proxy(real, {
          get: (target, prop) =>
            prop === 'insertOne' && failNextIndex
              ? () => {
                  failNextIndex = false;
                  return Promise.reject(new Error('database is locked'));
                }
              : Reflect.get(target, prop, target),
        });
      },
    } as unknown as Database;
    const here = createStreamStore<{ n: number }>(flaky, 'test_stream_repair', bff.clock);
    await here.ensureIndexes();
    const settle = () => new Promise((r) => setTimeout(r, 200));
    failNextIndex = true;
    // The next append follows at once, from the head this process remembers, before the first one's index has failed: its
    // own index is written, and its hint would pass over the unindexed entry.
    await here.append('acct', (h) => ({ n: (h?.data.n ?? 0) + 1 }), { key: 'first' });
    await here.append('acct', (h) => ({ n: (h?.data.n ?? 0) + 1 }), { key: 'second' });
    await settle();
    // Another process looks the first request up: it is found (not taken for never appended), and so it is here.
    const elsewhere = createStreamStore<{ n: number }>(bff.db, 'test_stream_repair', bff.clock);
    expect((await elsewhere.findByKey('acct', 'first'))?.seq).toBe(1);
    expect((await here.findByKey('acct', 'first'))?.seq).toBe(1);
    expect((await elsewhere.head('acct'))?.seq).toBe(2);
  });

  test('an append that arrives after the head was read is not refused on that read: a restock by another process counts', async () => {
    const [here, there] = [bff.db, await connectDatabase(process.env.TEST_MONGODB_URI!, { dbName: bff.db.name })].map((db) =>
      createStreamStore<{ stock: number }>(db, 'test_stream_restock', bff.clock),
    );
    await here.ensureIndexes();
    await there.append('item', () => ({ stock: 0 }), { key: 'opened' });
    let letGo = () => undefined as void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    const take = (key: string, wait?: Promise<void>) =>
      here.append(
        'item',
        async (head) => {
          await wait;
          if (head!.data.stock < 1) throw new AppError('MALL_SOLD_OUT');
          return { stock: head!.data.stock - 1 };
        },
        { key },
      );
    // The first take reads the head (sold out) and decides slowly; meanwhile the item is restocked elsewhere, and a second take arrives.
    const first = take('first', gate).then(
      () => 'taken',
      () => 'refused',
    );
    await new Promise((r) => setTimeout(r, 300));
    await there.append('item', (head) => ({ stock: head!.data.stock + 5 }), { key: 'restock' });
    const second = take('second');
    letGo();
    expect(await first).toBe('refused');
    expect((await second).entry.data.stock).toBe(4);
  });

  test('a document the database refuses fails its own append only, not the others that went with it', async () => {
    const store = createStreamStore<{ note: string }>(bff.db, 'test_stream_refused_doc', bff.clock);
    await store.ensureIndexes();
    // Three appends at once go as one group; the second is past the largest document a database takes (16 MB).
    const outcomes = await Promise.all(
      ['a', 'x'.repeat(17 * 1024 * 1024), 'c'].map((note, i) =>
        store
          .append('notes', () => ({ note }), { key: `note-${i}` })
          .then(
            ({ entry }) => entry.data.note,
            () => 'failed',
          ),
      ),
    );
    expect(outcomes).toEqual(['a', 'failed', 'c']);
    const kept = await bff.db.collection('test_stream_refused_doc').find({ stream: 'notes' }).sort({ seq: 1 }).toArray();
    expect(kept.map((e) => [e.seq, e.data.note])).toEqual([
      [1, 'a'],
      [2, 'c'],
    ]);
  });

  test('appends a busy database stored while answering with an error are answered as made, once each', async () => {
    // The database as one process sees it: its next insert of entries is made, then answered "database is locked".
    let lockedOnce = true;
    const flaky = {
      collection: (name: string) => {
        const real = bff.db.collection(name);
        if (name !== 'test_stream_busy') return real;
        const failAfter =
          (insert: (...args: unknown[]) => Promise<unknown>) =>
          async (...args: unknown[]) => {
            await insert(...args);
            if (!lockedOnce) return;
            lockedOnce = false;
            throw new Error('database is locked');
          };
        return new Proxy(real, {
          get: (target, prop) =>
            prop === 'insertMany' || prop === 'insertOne'
              ? failAfter((Reflect.get(target, prop, target) as (...args: unknown[]) => Promise<unknown>).bind(target))
              : Reflect.get(target, prop, target),
        });
      },
    } as unknown as Database;
    const store = createStreamStore<{ n: number }>(flaky, 'test_stream_busy', bff.clock);
    await store.ensureIndexes();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => store.append('acct', (h) => ({ n: (h?.data.n ?? 0) + 1 }), { key: `credit-${i}` })));
    expect(lockedOnce).toBe(false);
    // Each request made its entry, and is told so: not "already made" (a retry's answer), and nothing twice.
    expect(results.map((r) => r.duplicate)).toEqual([false, false, false, false, false]);
    const kept = await bff.db.collection('test_stream_busy').find({ stream: 'acct' }).sort({ seq: 1 }).toArray();
    expect(kept.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5]);
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

describe('grouped ordered inserts', () => {
  test('runs inserted in order at once go together; a run stopped by a taken key fails alone, with its own place, and the runs after it still go in', async () => {
    const db = await connectDatabase(process.env.TEST_MONGODB_URI!, { dbName: bff.db.name });
    const pairs = db.collection<{ _id: string }>('test_ordered_runs');
    await pairs.insertOne({ _id: 'b-second' });
    // Twenty runs of two at once: while the first is on its way the rest wait and go as one ordered insert.
    const runs = Array.from({ length: 20 }, (_, i) => [`${String.fromCharCode(97 + i)}-first`, `${String.fromCharCode(97 + i)}-second`]);
    const outcomes = await Promise.allSettled(
      runs.map((ids) =>
        pairs.insertMany(
          ids.map((_id) => ({ _id })),
          { ordered: true },
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(runs.map((_, i) => (i === 1 ? 'rejected' : 'fulfilled')));
    const failure = (outcomes[1] as PromiseRejectedResult).reason as { code?: number; writeErrors: { index: number; code?: number }[] };
    expect(failure.writeErrors[0]).toMatchObject({ index: 1, code: 11000 });
    // The stopped run's first document went in (it came before the failure); every other run went in whole.
    const stored = (await pairs.find({}).toArray()).map((d) => d._id).sort();
    expect(stored).toEqual(runs.flat().sort());
    await db.close();
  });
});

describe('rate limits', () => {
  test('40 concurrent hits on a limit of 25, from two connections, let exactly 25 through', async () => {
    const connections = await Promise.all([0, 1].map(() => connectDatabase(process.env.TEST_MONGODB_URI!, { dbName: bff.db.name })));
    const limiters = connections.map((db) => createRateLimiter(db, bff.clock));
    await limiters[0].ensureIndexes();
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => limiters[i % 2].consume('burst-test', 25, 60)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) expect(r.reason.code).toBe('RATE_LIMITED');
    await Promise.all(connections.map((c) => c.close()));
  });
});

describe('maintenance', () => {
  test('purges rate-limit hits older than an hour and bank nonces past their replay window', async () => {
    const { rateLimiter, maintenance } = bff.app.services;
    await rateLimiter.consume('maint-test', 10, 60);
    await bff.db.collection('bank_request_nonces').insertOne({ _id: 'maint-old-nonce-0001' as never, at: bff.clock.now() });
    bff.clock.advance(25 * 60 * 60 * 1000);
    await rateLimiter.consume('maint-test', 10, 60);
    await bff.db.collection('bank_request_nonces').insertOne({ _id: 'maint-new-nonce-0001' as never, at: bff.clock.now() });
    const purged = await maintenance.runOnce();
    expect(purged['platform.rateLimitHits']).toBeGreaterThanOrEqual(1);
    expect(purged['platform.bankNonces']).toBeGreaterThanOrEqual(1);
    expect(await bff.db.collection('rate_limit_hits').countDocuments({ _id: { $regex: '^maint-test\\|' } } as never)).toBe(1);
    expect((await bff.db.collection('bank_request_nonces').find({}).toArray()).map((n) => n._id)).toEqual(['maint-new-nonce-0001']);
  });
});
