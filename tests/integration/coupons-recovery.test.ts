import { randomUUID } from 'node:crypto';
import { startBff, type TestBff } from '../helpers/bff';
import { seedDemo, staffToken } from '../helpers/seed';
import { customerSession } from '../helpers/activities';
import { armedFaults } from '../helpers/faults';
import { buildCouponPools, couponInput, publishCoupon, publishReviewed, type StaffTokens } from '../helpers/life';

/**
 * Issue 26, findings 19 and 20: a coupon claim cut short is completed or freed, a customer told
 * 每人限领 holds a coupon, and a coupon is not claimable (nor 已领完) while its codes are made.
 */
const faults = armedFaults();
let bff: TestBff;
let tokens: StaffTokens;
beforeAll(async () => {
  bff = await startBff('couponrecovery', { faults, env: { ACCOUNT_RATE_LIMIT_PER_MINUTE: '1000', COUPON_CLAIMS_PER_IP_PER_MINUTE: '1000' } });
  await seedDemo(bff);
  tokens = { admin: await staffToken(bff, 'admin'), reviewer: await staffToken(bff, 'reviewer') };
});
afterAll(() => bff.stop());

const claim = (token: string, id: string, key: string = randomUUID()) => bff.call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': key } }, { token });
const mine = async (token: string, couponId: string) =>
  ((await bff.call('listMyCoupons', {}, { token })).body.items as { couponId: string; code: string }[]).filter((c) => c.couponId === couponId);
const invariants = async (id: string) => bff.call('checkCouponInvariants', { params: { id } }, { token: await staffToken(bff, 'reviewer') });
const detail = async (token: string, id: string) => (await bff.call('viewCobrandCoupon', { params: { id } }, { token })).body;
/** Settles within `ms`, or says it did not (a hold that is never reached must fail the test, not hang it). */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not reached within ${ms} ms`)), ms))]);

describe('a claim cut short (finding 19)', () => {
  test('a crash between the allowance slot and the code: the books report it, and the sweep gives the customer the coupon', async () => {
    const id = await publishCoupon(bff, tokens, couponInput(bff, { stock: 5, perCustomerLimit: 1 }));
    const c = await customerSession(bff);
    faults.arm('after:coupon.slot-taken', 'crash');
    expect((await claim(c.token, id)).status).toBe(500);
    expect(await mine(c.token, id)).toEqual([]);

    // Within its lease the claim is in flight; past it, a slot without a code is a violation.
    expect((await invariants(id)).body).toMatchObject({ violations: [] });
    bff.clock.advance(61_000);
    const report = (await invariants(id)).body;
    expect(report.violations).toEqual([expect.stringContaining('no code')]);

    await bff.app.services.maintenance.runOnce();
    const held = await mine(c.token, id);
    expect(held).toHaveLength(1);
    expect((await invariants(id)).body).toMatchObject({ assigned: 1, violations: [] });
    // A new claim is refused truthfully: the customer holds their one coupon.
    const again = await claim(c.token, id);
    expect(again.body.code).toBe('COUPON_LIMIT_REACHED');
  });

  test('the same key after a crash returns the same coupon; a new key is refused only once the customer holds one', async () => {
    const id = await publishCoupon(bff, tokens, couponInput(bff, { stock: 5, perCustomerLimit: 1 }));
    const c = await customerSession(bff);
    const key = randomUUID();
    faults.arm('after:coupon.slot-taken', 'crash');
    expect((await claim(c.token, id, key)).status).toBe(500);
    // Another tap with another key (an older page that threw its key away): it finishes the claim in flight, and says so truthfully.
    const other = await claim(c.token, id);
    expect(other.body.code).toBe('COUPON_LIMIT_REACHED');
    const held = await mine(c.token, id);
    expect(held).toHaveLength(1);
    const retried = await claim(c.token, id, key);
    expect(retried.status).toBe(200);
    expect(retried.body.code).toBe(held[0].code);
  });

  test('a double claim that loses both ways never tells the customer 每人限领 while they hold nothing', async () => {
    const id = await publishCoupon(bff, tokens, couponInput(bff, { stock: 1, perCustomerLimit: 1 }));
    const [x, y] = await Promise.all([customerSession(bff), customerSession(bff)]);
    const held = faults.hold('after:coupon.slot-taken');
    const first = claim(x.token, id);
    await within(held.reached, 10_000);
    // Meanwhile someone else takes the only code, and the customer taps again.
    expect((await claim(y.token, id)).status).toBe(200);
    const second = await claim(x.token, id);
    held.release();
    const answers = [await first, second];
    const holds = await mine(x.token, id);
    expect(holds).toEqual([]);
    for (const a of answers) expect(a.body.code).toBe('COUPON_SOLD_OUT');
    expect((await invariants(id)).body).toMatchObject({ assigned: 1, violations: [] });
  });
});

describe('double claims racing for the last codes (finding 19)', () => {
  test('60 customers each tapping twice at once (two keys) for 30 codes: whoever is told 每人限领 holds a coupon', async () => {
    const id = await publishCoupon(bff, tokens, couponInput(bff, { stock: 30, perCustomerLimit: 1 }));
    const customers = await Promise.all(Array.from({ length: 60 }, () => customerSession(bff)));
    const answers = await Promise.all(customers.map(async (c) => ({ c, results: await Promise.all([claim(c.token, id), claim(c.token, id)]) })));
    let told = 0;
    for (const { c, results } of answers) {
      const holds = await mine(c.token, id);
      expect(holds.length).toBeLessThanOrEqual(1);
      if (results.some((r) => r.body?.code === 'COUPON_LIMIT_REACHED')) {
        told += 1;
        expect({ customer: c.id, holds: holds.length }).toEqual({ customer: c.id, holds: 1 });
      }
      if (holds.length === 0) for (const r of results) expect(r.body.code).toBe('COUPON_SOLD_OUT');
    }
    expect(told).toBeGreaterThan(0);
    expect((await invariants(id)).body).toMatchObject({ assigned: 30, violations: [] });
  });
});

describe('nothing goes live half-built (finding 20)', () => {
  test('a new coupon reads 准备中 until its codes are made, in batches and outside the approval; claims meanwhile are refused as not claimable, never sold out', async () => {
    const id = await publishReviewed(bff, tokens, 'coupons', couponInput(bff, { stock: 300, perCustomerLimit: 1 }));
    const c = await customerSession(bff);
    // Approved, and no code made inside the approval request.
    expect(await detail(c.token, id)).toMatchObject({ blockedBy: 'preparing', stock: 300 });
    const listed = ((await bff.call('browseCobrandCoupons', {}, { token: c.token })).body.items as { id: string; blockedBy: string | null }[]).find((x) => x.id === id);
    expect(listed).toMatchObject({ blockedBy: 'preparing' });
    const early = await claim(c.token, id);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('COUPON_NOT_CLAIMABLE');
    expect(early.body.message).toContain('准备中');
    expect(await mine(c.token, id)).toEqual([]);

    // A builder dies half-way through a batch: the next run finishes the pool exactly, each code once.
    faults.arm('after:coupon.pool-batch', 'crash');
    expect(await bff.app.services.capabilities.coupons.pools.run()).toMatchObject({ failed: 1 });
    expect(await detail(c.token, id)).toMatchObject({ blockedBy: 'preparing' });
    // The dead builder's lease lapses; the next run redoes its batch and makes the rest.
    bff.clock.advance(61_000);
    await buildCouponPools(bff);
    expect(await detail(c.token, id)).toMatchObject({ blockedBy: null, left: 300 });
    expect((await claim(c.token, id)).status).toBe(200);
    expect((await invariants(id)).body).toMatchObject({ stock: 300, poolSize: 300, assigned: 1, violations: [] });
  });

  test('the approval answers before the codes exist, however many', async () => {
    const started = Date.now();
    const id = await publishReviewed(bff, tokens, 'coupons', couponInput(bff, { stock: 2000, perCustomerLimit: 1 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await bff.db.collection('mall_code_pool').findOne({ _id: `pool:${id}#1` as never })).toBeNull();
  });
});
