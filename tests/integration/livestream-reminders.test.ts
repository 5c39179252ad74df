import { randomUUID } from 'node:crypto';
import { startBff, uniqueDbName, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { spawnBff, type BffProcess } from '../helpers/process';
import { livestreamInput, messagesTo, publishReviewed, type StaffTokens } from '../helpers/life';
import { AppError } from '../../bff/src/platform/errors';

/**
 * Issue 26, finding 21: a reminder whose sender died between its claim and the send is sent by
 * a later sweep, once; a send WeChat refused is recorded and not tried again every sweep; the
 * reminder figures report a claim left unsent.
 */
const faults = armedFaults();
const dbName = uniqueDbName('lsreminders');
let bff: TestBff;
beforeAll(async () => {
  bff = await startBff('lsreminders', { dbName, faults });
  await seedDemo(bff);
});
afterAll(() => bff.stop());

const MINUTE = 60_000;
const iso = (offsetMs: number) => new Date(bff.clock.now().getTime() + offsetMs).toISOString();
type Session = { id: string; token: string; openid: string };

/** A livestream starting in `startsInMs`, its reminder due `leadMinutes` before, reserved (subscribed) by `n` customers. */
async function reserved(n: number, templateId: string, startsInMs = 5 * MINUTE): Promise<{ id: string; customers: Session[] }> {
  // Fresh tokens: the tests move the clock, and staff tokens live 15 minutes.
  const tokens: StaffTokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
  const id = await publishReviewed(bff, tokens, 'livestreams', livestreamInput(iso(startsInMs), iso(startsInMs + 60 * MINUTE), { reminder: { templateId, leadMinutes: 10 } }));
  const customers = await Promise.all(Array.from({ length: n }, () => customerSession(bff)));
  for (const c of customers) expect((await bff.call('reserveLivestream', { params: { id }, body: { subscribed: true } }, { token: c.token })).status).toBe(200);
  return { id, customers };
}
const run = () => bff.app.services.capabilities.livestreams.reminders.run();
const figures = async (id: string) => (await bff.call('getLivestreamReminderFigures', { params: { id } }, { token: await staffToken(bff, 'reviewer') })).body;
/** A claim whose process died before sending: claimed, never sent. */
const strandedClaim = (id: string, customerId: string) =>
  bff.db.collection('livestream_reminders').insertOne({ _id: `${id}|${customerId}` as never, livestreamId: id, customerId, at: bff.clock.now(), state: 'claimed', attempts: 0 });

describe('a reminder claimed and never sent', () => {
  test('left by a sender that died before sending, it is sent once by a later sweep', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(2, templateId);
    await strandedClaim(id, customers[0].id);
    await run();
    bff.clock.advance(MINUTE);
    await run();
    await run();
    for (const c of customers) expect(await messagesTo(c.openid, templateId)).toHaveLength(1);
  });

  test('the reminder figures report it as a violation once its lease has passed, and are clean once it is sent', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(3, templateId);
    await strandedClaim(id, customers[0].id);
    expect(await figures(id)).toMatchObject({ subscribed: 3, inFlight: 1, violations: [] });
    bff.clock.advance(MINUTE);
    const report = await figures(id);
    expect(report.violations).toEqual([expect.stringContaining(customers[0].id)]);
    await run();
    expect(await figures(id)).toMatchObject({ subscribed: 3, sent: 3, inFlight: 0, refused: 0, violations: [] });
  });

  test('a crash between the claim and the send: the next sweep past the lease sends it, once', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(3, templateId);
    // The first reminder's sender dies right after claiming it; the pass goes on with the others (each alone).
    faults.arm('after:livestream.reminder-claimed', 'crash');
    expect(await run()).toBe(2);
    const unsent: Session[] = [];
    for (const c of customers) if ((await messagesTo(c.openid, templateId)).length === 0) unsent.push(c);
    expect(unsent).toHaveLength(1);
    const books = await bff.app.services.jobBooks.report();
    expect(books.items.find((i) => i.job === 'livestreams.reminders' && i.key === `${id}|${unsent[0].id}`)).toMatchObject({ failures: 1, parked: false });
    expect(await run()).toBe(0); // inside the lease: the claim may still be at work in its process
    bff.clock.advance(MINUTE);
    await run();
    await run();
    for (const c of customers) expect(await messagesTo(c.openid, templateId)).toHaveLength(1);
    expect(await figures(id)).toMatchObject({ sent: 3, violations: [] });
  });
});

describe('what WeChat answers', () => {
  /** Makes fake WeChat's client refuse or fail for one customer, counting the tries. */
  function wechatFor(openid: string, answer: (attempt: number) => Error | null) {
    const wechat = bff.app.services.wechat;
    const real = wechat.sendSubscribeMessage.bind(wechat);
    let attempts = 0;
    wechat.sendSubscribeMessage = async (input) => {
      if (input.touser !== openid) return real(input);
      attempts += 1;
      const err = answer(attempts);
      if (err) throw err;
      return real(input);
    };
    return { attempts: () => attempts, restore: () => (wechat.sendSubscribeMessage = real) };
  }

  test('a refusal (no subscription left) is recorded and never tried again, however many sweeps run before the start', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(2, templateId);
    const refusing = wechatFor(customers[0].openid, () => new AppError('WECHAT_UNAVAILABLE', { message: 'WeChat error 43101', expose: false }));
    try {
      for (let i = 0; i < 4; i += 1) {
        await run();
        bff.clock.advance(MINUTE);
      }
      expect(refusing.attempts()).toBe(1);
    } finally {
      refusing.restore();
    }
    expect(await messagesTo(customers[1].openid, templateId)).toHaveLength(1);
    expect(await figures(id)).toMatchObject({ sent: 1, refused: 1, violations: [] });
  });

  test('a busy WeChat is tried again on a later sweep, a bounded number of times', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(2, templateId);
    const busyOnce = wechatFor(customers[0].openid, (n) => (n === 1 ? new AppError('WECHAT_UNAVAILABLE', { message: 'WeChat error -1', expose: false }) : null));
    const alwaysBusy = wechatFor(customers[1].openid, () => new AppError('WECHAT_UNAVAILABLE', { message: 'WeChat error -1', expose: false }));
    try {
      for (let i = 0; i < 6; i += 1) {
        await run();
        bff.clock.advance(MINUTE);
      }
      expect(busyOnce.attempts()).toBe(2);
      expect(alwaysBusy.attempts()).toBe(3);
    } finally {
      alwaysBusy.restore();
      busyOnce.restore();
    }
    expect(await messagesTo(customers[0].openid, templateId)).toHaveLength(1);
    expect(await figures(id)).toMatchObject({ sent: 1, refused: 1 });
  });

  test('a send whose answer was lost is not repeated (WeChat has no idempotency key), and is counted as unknown', async () => {
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const { id, customers } = await reserved(1, templateId);
    const timingOut = wechatFor(customers[0].openid, () => new AppError('WECHAT_UNAVAILABLE', { cause: new Error('The operation was aborted due to timeout') }));
    try {
      for (let i = 0; i < 3; i += 1) {
        await run();
        bff.clock.advance(MINUTE);
      }
      expect(timingOut.attempts()).toBe(1);
    } finally {
      timingOut.restore();
    }
    expect(await figures(id)).toMatchObject({ sent: 0, unknown: 1, violations: [] });
  });
});

describe('two processes finishing what a dead sender left', () => {
  let a: BffProcess | null = null;
  let b: BffProcess | null = null;
  afterAll(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all([a, b].map((p) => p?.exited));
  });

  test('claims left unsent and sends failing after their claim, in both processes: each reservation is reminded exactly once before the start', async () => {
    // Real time: the processes run their sweeps on the system clock.
    const templateId = `TPL_${randomUUID().slice(0, 6)}`;
    const now = Date.now();
    bff.clock.set(new Date(now));
    const { id, customers } = await reserved(8, templateId, 3 * MINUTE);
    await strandedClaim(id, customers[0].id);
    await strandedClaim(id, customers[1].id);
    // Every third send in each process fails right after its claim, as if the process had died there.
    const env = { SWEEP_INTERVAL_MS: '300', TEST_FAULTS: 'after:livestream.reminder-claimed=error/3' };
    [a, b] = await Promise.all([spawnBff(dbName, env), spawnBff(dbName, env)]);
    const deadline = Date.now() + 90_000;
    const counts = async () => Promise.all(customers.map(async (c) => (await messagesTo(c.openid, templateId)).length));
    while (Date.now() < deadline && (await counts()).some((n) => n === 0)) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 2_000)); // a few more sweeps in both processes
    expect(await counts()).toEqual(customers.map(() => 1));
  }, 150_000);
});
