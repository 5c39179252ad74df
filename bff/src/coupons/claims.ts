import type { CobrandCoupon, CouponInvariants, MyCoupon } from '@shared/contracts/coupons';
import { EventName } from '@shared/events';
import type { CustomerDirectory } from '@/platform/directory';
import { CodesExhausted, type CodePools } from '@/kernel/code-pools';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce, numberedSlots } from '@/platform/keyed';
import { idempotentId } from '@/kernel/ids';
import type { Outbox } from '@/platform/outbox';
import type { RateLimiter } from '@/platform/rate-limit';
import type { StreamEntry, StreamStore } from '@/platform/stream';
import type { TargetingService } from '@/targeting';
import { codeHash, type CodeOwnerDoc, type CouponRepository, type CouponView } from './catalogue';
import type { CouponPools } from './pool';

type ClaimSlot = { _id: string; key: string; at: Date; couponId?: string; customerId?: string };
type ClaimDoc = { _id: string; claimId: string; couponId: string; customerId: string };
type UseDoc = { _id: string; couponId: string; at: Date };
/** A claim begun and not yet finished, under coupon, customer and Idempotency-Key: what the sweep finishes after a crash. */
type PendingClaim = { _id: string; couponId: string; customerId: string; key: string; at: Date };
/** 我的券: one entry per claim, so a customer's coupons are read by position. */
export type MyCouponEntry = { couponId: string; claimId: string };

/** How long a claim may be in flight before the sweep finishes it for a request that died. */
const CLAIM_LEASE_MS = 15_000;
/** The most slots a customer can have of a coupon (the schema's highest per-customer limit). */
const MAX_SLOTS = 10;

const preparing = () => new AppError('COUPON_NOT_CLAIMABLE', { message: '优惠券准备中，请稍后再来领取' });

/**
 * Claiming is two inserts that each only one request can win: a numbered slot of the
 * customer's allowance (`perCustomerLimit` of them), then a code from the coupon's pool,
 * handed out by a stream whose positions are written once. Concurrent claims therefore never
 * pass the stock or a customer's limit, and no code goes to two claims.
 *
 * Every step is resumable. A pending mark (coupon, customer, key) is written first; the slot,
 * the code (keyed by the slot), the customer's record of it and the event follow, each keyed, so
 * anyone can finish a claim: the same key's retry, the customer's next tap, or the sweep once
 * the claim's lease has passed. A slot whose code cannot be had because the pool is spent is
 * freed (a delete by `_id`). So a customer is told 每人限领 only while every slot of theirs holds
 * a coupon: a slot still in flight is finished first, and one that finds the codes gone is freed
 * and the claim tried again.
 */
export function createCouponClaims(deps: {
  db: Database;
  clock: Clock;
  faults: Faults;
  coupons: CouponRepository;
  codes: CodePools;
  pools: CouponPools;
  customers: CustomerDirectory;
  targeting: TargetingService;
  outbox: Outbox;
  rateLimiter: RateLimiter;
  perMinute: number;
  perIpPerMinute: number;
  mine: StreamStore<MyCouponEntry>;
  jobBooks: JobBooks;
}) {
  const slotDocs = () => deps.db.collection<ClaimSlot>('cobrand_claim_slots');
  const slots = numberedSlots<ClaimSlot>(slotDocs);
  const claims = () => deps.db.collection<ClaimDoc>('cobrand_code_claims');
  const uses = () => deps.db.collection<UseDoc>('cobrand_code_uses');
  const owners = () => deps.db.collection<CodeOwnerDoc>('cobrand_code_owners');
  const pending = () => deps.db.collection<PendingClaim>('cobrand_claims_pending');
  const prefix = (couponId: string, customerId: string) => `cc:${couponId}:${customerId}`;
  const myStream = (customerId: string) => `mycoupons:${customerId}`;

  /** Whether a slot's claim is finished: the customer's record of its code is the last step. */
  const finished = async (customerId: string, slotId: string) => (await deps.mine.findByKey(myStream(customerId), `claim:${slotId}`)) !== null;

  /**
   * Finishes the claim holding this slot: its code (the same one however often this runs), the
   * record that the code is the customer's, the customer's list, the event. The pool spent: the
   * slot is freed; the pool still being made: the slot waits for it.
   */
  async function complete(couponId: string, customerId: string, slotId: string): Promise<{ entry: StreamEntry<MyCouponEntry> } | 'sold_out' | 'preparing'> {
    let code: string;
    try {
      code = await deps.codes.assign(couponId, slotId);
    } catch (err) {
      if (!(err instanceof CodesExhausted)) throw err;
      if (await deps.pools.isBuilding(couponId)) return 'preparing';
      // Nothing was given and nothing more will be: the slot goes back (a delete by _id, which one caller wins).
      await slotDocs().deleteOne({ _id: slotId });
      return 'sold_out';
    }
    await insertOnce(claims(), { _id: codeHash(code), claimId: slotId, couponId, customerId });
    const { entry } = await deps.mine.append(myStream(customerId), () => ({ couponId, claimId: slotId }), { key: `claim:${slotId}` });
    await deps.outbox.record(EventName.COUPON_CLAIMED, slotId, { couponId, customerId });
    return { entry };
  }

  /** Before consent (`browsing`) only what has no eligibility: the customer is not profiled. Entitlement, whatever the marketing switch. */
  async function eligibleViews(customerId: string, views: CouponView[], browsing: boolean): Promise<CouponView[]> {
    const customer = await deps.customers.findById(customerId);
    if (!customer) return [];
    const admits = await deps.targeting.eligibility.of(
      customer,
      views.map((v) => v.live.eligibility),
      { browsing },
    );
    return views.filter((v) => admits(v.live.eligibility));
  }

  async function describe(customerId: string, view: CouponView): Promise<CobrandCoupon> {
    const c = view.live;
    const now = deps.clock.now().getTime();
    const [status, taken, ready] = await Promise.all([deps.codes.status(view._id), slots.read(prefix(view._id, customerId), c.perCustomerLimit), deps.pools.isReady(view)]);
    const held = await Promise.all(taken.map((s) => (s ? finished(customerId, s._id) : false)));
    const claimedByMe = held.filter(Boolean).length;
    const building = ready ? status.poolSize < c.stock && status.poolSize - status.assigned <= 0 : true;
    const left = building ? Math.max(0, c.stock - status.assigned) : Math.max(0, status.poolSize - status.assigned);
    const blockedBy =
      now < Date.parse(c.claim.startAt)
        ? 'not_started'
        : now >= Date.parse(c.claim.endAt)
          ? 'ended'
          : claimedByMe >= c.perCustomerLimit
            ? 'limit_reached'
            : building
              ? 'preparing'
              : left === 0
                ? 'sold_out'
                : null;
    return {
      id: view._id,
      merchant: { name: c.merchant.name, logo: c.merchant.logo ?? null },
      title: c.title,
      description: c.description,
      terms: c.terms,
      left,
      stock: c.stock,
      claimedByMe,
      perCustomerLimit: c.perCustomerLimit,
      claimEndsAt: c.claim.endAt,
      validFrom: c.validity.from,
      validTo: c.validity.to,
      blockedBy,
    };
  }

  async function visible(customerId: string, id: string, browsing = false): Promise<CouponView> {
    const view = (await deps.coupons.findView(id)) as CouponView | null;
    const now = deps.clock.now();
    if (
      !view?.live ||
      view.withdrawn ||
      !view.liveStart ||
      view.liveStart > now ||
      !view.liveEnd ||
      view.liveEnd <= now ||
      (await eligibleViews(customerId, [view], browsing)).length === 0
    ) {
      throw new AppError('NOT_FOUND', { message: '优惠券不存在或暂未向您开放' });
    }
    return view;
  }

  async function myCoupon(entry: MyCouponEntry, at: Date): Promise<MyCoupon | null> {
    const [view, code] = await Promise.all([deps.coupons.findView(entry.couponId) as Promise<CouponView | null>, deps.codes.assigned(entry.couponId, entry.claimId)]);
    if (!view?.live || !code) return null;
    const used = await uses().findOne({ _id: codeHash(code) });
    const expired = deps.clock.now().getTime() >= Date.parse(view.live.validity.to);
    return {
      claimId: entry.claimId,
      couponId: entry.couponId,
      merchant: view.live.merchant.name,
      title: view.live.title,
      code,
      state: used ? 'used' : expired ? 'expired' : 'unused',
      claimedAt: at.toISOString(),
      validFrom: view.live.validity.from,
      validTo: view.live.validity.to,
      usedAt: used?.at.toISOString() ?? null,
    };
  }

  /**
   * The claim itself, once its pending mark is written: its own slot (this key's, or a new one),
   * or, with every slot taken by other claims, those claims finished first. Throws the refusal.
   */
  async function take(view: CouponView, customerId: string, key: string): Promise<MyCoupon> {
    const id = view._id;
    const limit = view.live.perCustomerLimit;
    const p = prefix(id, customerId);
    // A freed slot is tried again; each round frees one, so this ends within the limit's rounds.
    for (let round = 0; round <= limit; round += 1) {
      const current = await slots.read(p, limit);
      const now = deps.clock.now();
      const claimId = await slots.claim(p, limit, (_id) => ({ _id, key, at: now, couponId: id, customerId }), { isMine: (s) => s.key === key, current });
      if (!claimId) {
        // Every slot is another claim's: finish those in flight before saying 每人限领.
        const others = current.filter((s): s is ClaimSlot => s !== null);
        let freed = false;
        for (const s of others) {
          if (await finished(customerId, s._id)) continue;
          const outcome = await complete(id, customerId, s._id);
          if (outcome === 'preparing') throw preparing();
          if (outcome === 'sold_out') freed = true;
        }
        if (freed) continue;
        throw new AppError('COUPON_LIMIT_REACHED', { message: `每人限领 ${limit} 张` });
      }
      deps.faults.hit('after:coupon.slot-taken');
      await deps.faults.pause('after:coupon.slot-taken');
      const outcome = await complete(id, customerId, claimId);
      if (outcome === 'sold_out') throw new AppError('COUPON_SOLD_OUT');
      if (outcome === 'preparing') throw preparing();
      return (await myCoupon(outcome.entry.data, outcome.entry.at))!;
    }
    throw new AppError('COUPON_SOLD_OUT');
  }

  /** A coupon's allowance slots, by a range of `_id`s (an admin's read): `cc:<coupon>:` up to `cc:<coupon>;`. */
  const slotsOf = (couponId: string) =>
    slotDocs()
      .find({ _id: { $gte: `cc:${couponId}:`, $lt: `cc:${couponId};` } })
      .toArray();
  const ownerOfSlot = (couponId: string, slotId: string) => slotId.slice(`cc:${couponId}:`.length).replace(/\|\d+$/, '');

  return {
    async list(customerId: string, browsing = false): Promise<CobrandCoupon[]> {
      const now = deps.clock.now();
      const views = ((await deps.coupons.liveViews(now)) as CouponView[]).filter((v) => Date.parse(v.live.claim.endAt) > now.getTime());
      const shown = [];
      for (const v of await eligibleViews(customerId, views, browsing)) shown.push(await describe(customerId, v));
      return shown;
    },

    detail: async (customerId: string, id: string, browsing = false) => describe(customerId, await visible(customerId, id, browsing)),

    async claim(customerId: string, id: string, key: string, ip: string | null): Promise<MyCoupon> {
      const view = await visible(customerId, id);
      const c = view.live;
      const now = deps.clock.now();
      if (now.getTime() < Date.parse(c.claim.startAt) || now.getTime() >= Date.parse(c.claim.endAt)) throw new AppError('COUPON_NOT_CLAIMABLE');
      // Nothing is taken from a coupon whose codes are still being made.
      if (!(await deps.pools.isReady(view))) throw preparing();
      await deps.rateLimiter.consume(`coupon:${customerId}`, deps.perMinute, 60);
      // Many accounts on one network claiming fast is farming: capped per source as well.
      if (ip) await deps.rateLimiter.consume(`coupon-ip:${ip}`, deps.perIpPerMinute, 60);
      const mark = idempotentId([id, customerId], key);
      await insertOnce(pending(), { _id: mark, couponId: id, customerId, key, at: now });
      try {
        const coupon = await take(view, customerId, key);
        await pending().deleteOne({ _id: mark });
        return coupon;
      } catch (err) {
        // Settled (a refusal): nothing is left to finish. Waiting for codes, or cut short: the mark stays for the sweep.
        const settled = err instanceof AppError && ['COUPON_SOLD_OUT', 'COUPON_LIMIT_REACHED'].includes(err.code);
        if (settled) await pending().deleteOne({ _id: mark });
        throw err;
      }
    },

    /**
     * Finishes claims whose request died (or that wait for codes being made) once their lease
     * has passed: the slot their key took gets its code, or is freed if the codes are gone. Each
     * claim alone, through the job books: one that fails is counted and left for the next sweep.
     */
    async recover(): Promise<{ finished: number; freed: number; waiting: number; failed: number; parked: number }> {
      const counts = { finished: 0, freed: 0, waiting: 0 };
      const stale = new Date(deps.clock.now().getTime() - CLAIM_LEASE_MS);
      const marks = await pending()
        .find({ at: { $lt: stale } })
        .limit(200)
        .toArray();
      const run = await deps.jobBooks.each(
        'coupons.claims',
        marks,
        (m) => m._id,
        async (mark) => {
          const slot = (await slots.read(prefix(mark.couponId, mark.customerId), MAX_SLOTS)).find((s) => s?.key === mark.key);
          if (slot) {
            const outcome = await complete(mark.couponId, mark.customerId, slot._id);
            if (outcome === 'preparing') {
              counts.waiting += 1;
              return;
            }
            if (outcome === 'sold_out') counts.freed += 1;
            else counts.finished += 1;
          }
          await pending().deleteOne({ _id: mark._id });
        },
      );
      return { ...counts, failed: run.failed, parked: run.parked };
    },

    /** A coupon's books (see `CouponInvariants`): read by `_id` ranges and keys, for an admin. */
    async check(view: CouponView): Promise<CouponInvariants> {
      const id = view._id;
      const now = deps.clock.now().getTime();
      const [status, building, problems, taken] = await Promise.all([deps.codes.status(id), deps.pools.isBuilding(id), deps.codes.check(id), slotsOf(id)]);
      const violations = [...problems];
      let held = 0;
      let inFlight = 0;
      for (const slot of taken) {
        const customerId = slot.customerId ?? ownerOfSlot(id, slot._id);
        const code = await deps.codes.assigned(id, slot._id);
        if (code) {
          held += 1;
          const [claimDoc, recorded] = await Promise.all([claims().findOne({ _id: codeHash(code) }), finished(customerId, slot._id)]);
          if (!recorded || claimDoc?.claimId !== slot._id) {
            if (now - slot.at.getTime() < CLAIM_LEASE_MS) inFlight += 1;
            else violations.push(`allowance slot ${slot._id}: code given but not recorded as the customer's since ${slot.at.toISOString()}`);
          }
        } else if (now - slot.at.getTime() < CLAIM_LEASE_MS || building) inFlight += 1;
        else violations.push(`allowance slot ${slot._id} of customer ${customerId} has held no code since ${slot.at.toISOString()}`);
      }
      // Codes are given only to slots, keyed by the slot, and a slot holding one is never freed.
      if (status.assigned !== held) violations.push(`${status.assigned} codes given, but ${held} allowance slots hold one`);
      if (status.assigned > view.live.stock) violations.push(`${status.assigned} codes given, stock ${view.live.stock}`);
      if (status.poolSize < view.live.stock && !building) violations.push(`pool of ${status.poolSize} codes short of stock ${view.live.stock}, and none being made`);
      return { couponId: id, stock: view.live.stock, poolSize: status.poolSize, assigned: status.assigned, claims: held, inFlight, violations };
    },

    mine: async (customerId: string): Promise<MyCoupon[]> => {
      const entries = await deps.mine.list(myStream(customerId), { limit: 50 });
      return (await Promise.all(entries.map((e) => myCoupon(e.data, e.at)))).filter((c): c is MyCoupon => c !== null);
    },

    /** The merchant marks a shown code used: once, only its own coupon's code, only a code that was claimed, only while valid. */
    async redeem(code: string, merchantId: string) {
      const hash = codeHash(code);
      const [owner, claim] = await Promise.all([owners().findOne({ _id: hash }), claims().findOne({ _id: hash })]);
      if (!owner || !claim) throw new AppError('COUPON_CODE_UNKNOWN');
      const view = (await deps.coupons.findView(owner.couponId)) as CouponView | null;
      const now = deps.clock.now();
      // Another merchant's code is as unknown to this one as a made-up code.
      if (!view?.live || view.live.merchant.id !== merchantId) throw new AppError('COUPON_CODE_UNKNOWN');
      if (now.getTime() >= Date.parse(view.live.validity.to)) throw new AppError('COUPON_CODE_EXPIRED');
      if (now.getTime() < Date.parse(view.live.validity.from)) throw new AppError('COUPON_NOT_CLAIMABLE', { message: '券码尚未到使用时间' });
      if (!(await insertOnce(uses(), { _id: hash, couponId: owner.couponId, at: now }))) throw new AppError('COUPON_CODE_USED');
      await deps.outbox.record(EventName.COUPON_USED, claim.claimId, { couponId: owner.couponId, customerId: claim.customerId });
      return { used: true as const, couponId: owner.couponId, title: view.live.title, usedAt: now.toISOString() };
    },
  };
}

export type CouponClaims = ReturnType<typeof createCouponClaims>;
