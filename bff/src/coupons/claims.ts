import type { CobrandCoupon, MyCoupon } from '../../../shared/contracts/coupons';
import { EventName } from '../../../shared/events';
import type { CustomerRepository } from '../customers';
import { CodesExhausted, type createCodePools } from '../mall/codes';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce, numberedSlots } from '../platform/keyed';
import type { Outbox } from '../platform/outbox';
import type { RateLimiter } from '../platform/rate-limit';
import type { StreamStore } from '../platform/stream';
import type { TargetingService } from '../targeting/service';
import { codeHash, type CodeOwnerDoc, type CouponRepository, type CouponView } from './catalogue';

type ClaimSlot = { _id: string; key: string; at: Date };
type ClaimDoc = { _id: string; claimId: string; couponId: string; customerId: string };
type UseDoc = { _id: string; couponId: string; at: Date };
/** 我的券: one entry per claim, so a customer's coupons are read by position. */
export type MyCouponEntry = { couponId: string; claimId: string };

/**
 * Claiming is two inserts that each only one request can win: a numbered slot of the
 * customer's allowance (`perCustomerLimit` of them), then a code from the coupon's pool,
 * handed out by a stream whose positions are written once. Concurrent claims therefore never
 * pass the stock or a customer's limit, and no code goes to two claims. A retry with the same
 * Idempotency-Key finds its own slot and its own code again.
 */
export function createCouponClaims(deps: {
  db: Database;
  clock: Clock;
  coupons: CouponRepository;
  codes: ReturnType<typeof createCodePools>;
  customers: CustomerRepository;
  targeting: TargetingService;
  outbox: Outbox;
  rateLimiter: RateLimiter;
  perMinute: number;
  perIpPerMinute: number;
  mine: StreamStore<MyCouponEntry>;
}) {
  const slots = numberedSlots<ClaimSlot>(() => deps.db.collection<ClaimSlot>('cobrand_claim_slots'));
  const claims = () => deps.db.collection<ClaimDoc>('cobrand_code_claims');
  const uses = () => deps.db.collection<UseDoc>('cobrand_code_uses');
  const owners = () => deps.db.collection<CodeOwnerDoc>('cobrand_code_owners');
  const prefix = (couponId: string, customerId: string) => `cc:${couponId}:${customerId}`;

  /** Before consent (`browsing`) only what is open to everyone: the customer is not profiled. */
  async function eligible(customerId: string, view: CouponView, browsing = false): Promise<boolean> {
    if (!view.live.eligibility) return true;
    if (browsing) return false;
    const customer = await deps.customers.findById(customerId);
    if (!customer) return false;
    return deps.targeting.isTargeted({ mode: 'tags', expression: view.live.eligibility }, await deps.targeting.profileOf(customer, []), customer.personalized);
  }

  async function describe(customerId: string, view: CouponView): Promise<CobrandCoupon> {
    const c = view.live;
    const now = deps.clock.now().getTime();
    const [status, mine] = await Promise.all([deps.codes.status(view._id), slots.read(prefix(view._id, customerId), c.perCustomerLimit)]);
    const claimedByMe = mine.filter(Boolean).length;
    const left = Math.max(0, status.poolSize - status.assigned);
    const blockedBy =
      now < Date.parse(c.claim.startAt) ? 'not_started' : now >= Date.parse(c.claim.endAt) ? 'ended' : claimedByMe >= c.perCustomerLimit ? 'limit_reached' : left === 0 ? 'sold_out' : null;
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
    if (!view?.live || view.withdrawn || !view.liveStart || view.liveStart > now || !view.liveEnd || view.liveEnd <= now || !(await eligible(customerId, view, browsing))) {
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

  return {
    async list(customerId: string, browsing = false): Promise<CobrandCoupon[]> {
      const now = deps.clock.now();
      const views = ((await deps.coupons.liveViews(now)) as CouponView[]).filter((v) => Date.parse(v.live.claim.endAt) > now.getTime());
      const shown = [];
      for (const v of views) if (await eligible(customerId, v, browsing)) shown.push(await describe(customerId, v));
      return shown;
    },

    detail: async (customerId: string, id: string, browsing = false) => describe(customerId, await visible(customerId, id, browsing)),

    async claim(customerId: string, id: string, key: string, ip: string | null): Promise<MyCoupon> {
      const view = await visible(customerId, id);
      const c = view.live;
      const now = deps.clock.now();
      if (now.getTime() < Date.parse(c.claim.startAt) || now.getTime() >= Date.parse(c.claim.endAt)) throw new AppError('COUPON_NOT_CLAIMABLE');
      await deps.rateLimiter.consume(`coupon:${customerId}`, deps.perMinute, 60);
      // Many accounts on one network claiming fast is farming: capped per source as well.
      if (ip) await deps.rateLimiter.consume(`coupon-ip:${ip}`, deps.perIpPerMinute, 60);
      const claimId = await slots.claim(prefix(id, customerId), c.perCustomerLimit, (_id) => ({ _id, key, at: now }), { isMine: (s) => s.key === key });
      if (!claimId) throw new AppError('COUPON_LIMIT_REACHED', { message: `每人限领 ${c.perCustomerLimit} 张` });
      let code: string;
      try {
        code = await deps.codes.assign(id, claimId);
      } catch (err) {
        if (!(err instanceof CodesExhausted)) throw err;
        // Nothing was given: the allowance slot goes back (a delete by _id, which one caller wins).
        await deps.db.collection<ClaimSlot>('cobrand_claim_slots').deleteOne({ _id: claimId });
        throw new AppError('COUPON_SOLD_OUT');
      }
      await insertOnce(claims(), { _id: codeHash(code), claimId, couponId: id, customerId });
      const { entry } = await deps.mine.append(`mycoupons:${customerId}`, () => ({ couponId: id, claimId }), { key: `claim:${claimId}` });
      await deps.outbox.record(EventName.COUPON_CLAIMED, claimId, { couponId: id, customerId });
      return (await myCoupon(entry.data, entry.at))!;
    },

    async mine(customerId: string): Promise<MyCoupon[]> {
      const entries = await deps.mine.list(`mycoupons:${customerId}`, { limit: 50 });
      return (await Promise.all(entries.map((e) => myCoupon(e.data, e.at)))).filter((c): c is MyCoupon => c !== null);
    },

    /** The merchant marks a shown code used: once, only a code that was claimed, only while valid. */
    async redeem(code: string) {
      const hash = codeHash(code);
      const [owner, claim] = await Promise.all([owners().findOne({ _id: hash }), claims().findOne({ _id: hash })]);
      if (!owner || !claim) throw new AppError('COUPON_CODE_UNKNOWN');
      const view = (await deps.coupons.findView(owner.couponId)) as CouponView | null;
      const now = deps.clock.now();
      if (!view?.live) throw new AppError('COUPON_CODE_UNKNOWN');
      if (now.getTime() >= Date.parse(view.live.validity.to)) throw new AppError('COUPON_CODE_EXPIRED');
      if (now.getTime() < Date.parse(view.live.validity.from)) throw new AppError('COUPON_NOT_CLAIMABLE', { message: '券码尚未到使用时间' });
      if (!(await insertOnce(uses(), { _id: hash, couponId: owner.couponId, at: now }))) throw new AppError('COUPON_CODE_USED');
      await deps.outbox.record(EventName.COUPON_USED, claim.claimId, { couponId: owner.couponId, customerId: claim.customerId });
      return { used: true as const, couponId: owner.couponId, title: view.live.title, usedAt: now.toISOString() };
    },
  };
}

export type CouponClaims = ReturnType<typeof createCouponClaims>;
