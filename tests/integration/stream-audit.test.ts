import { startBff, type TestBff } from '../helpers/bff';
import { createStreamStore } from '../../bff/src/platform/stream';
import { createStreamAudit } from '../../bff/src/platform/stream-audit';

/**
 * Issue 26, finding 17: the incremental check's checkpoint was written with an upsert, which on
 * FerretDB fails with E11000 when two processes write a new stream's first checkpoint at once.
 */
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('streamaudit');
});
afterAll(() => bff.stop());

test('many passes at once over streams checked for the first time all succeed, and leave one checkpoint per stream', async () => {
  const store = createStreamStore<{ n: number }>(bff.db, 'audit_race', bff.clock, { audited: true });
  await store.ensureIndexes();
  const rounds = 8;
  for (let round = 0; round < rounds; round++) {
    const streams = Array.from({ length: 10 }, (_, i) => `s${round}-${i}`);
    for (const s of streams) await store.append(s, (head) => ({ n: (head?.data.n ?? 0) + 1 }));
    // Each pass is what one process's job does; several processes' jobs run at once.
    const audits = Array.from({ length: 6 }, () => createStreamAudit(bff.db, 'audit_race', store, bff.clock, () => []));
    const passes = await Promise.allSettled(audits.map((a) => a.pass()));
    expect(passes.filter((p) => p.status === 'rejected').map((p) => String((p as PromiseRejectedResult).reason))).toEqual([]);
  }
  const checkpoints = await bff.db.collection('audit_race_checked').countDocuments({});
  expect(checkpoints).toBe(rounds * 10);
});
