import { createHmac } from 'node:crypto';
import { CobrandCouponInput } from '@shared/contracts/coupons';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import { csvRowReader } from '@/kernel/review/bulk-upload';
import { createReviewedRepository, type ReviewedView } from '@/kernel/review/repository';
import { createReviewWorkflow, reviewPlatform, REVIEW_ERRORS, type ReviewPlatformDeps } from '@/kernel/review/workflow';
import { hashId } from '@/kernel/ids';

export type CouponView = ReviewedView<CobrandCouponInput> & { live: CobrandCouponInput };
/** Which coupon a code belongs to, under the code's hash: the merchant sends only the code. */
export type CodeOwnerDoc = { _id: string; couponId: string; seq: number };

export const codeHash = (code: string) => hashId(['cobrand', code]);

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** The n-th code of a coupon: keyed by a secret, so codes cannot be guessed from one another; the same each time it is made. */
export function couponCode(secret: string, couponId: string, n: number): string {
  const mac = createHmac('sha256', secret).update(`${couponId}|${n}`).digest();
  return Array.from(mac.subarray(0, 12), (b) => BASE32[b % 32]).join('');
}

export const createCouponRepository = (db: Database, clock: Clock, faults: Faults) =>
  createReviewedRepository<CobrandCouponInput, object>(
    db,
    clock,
    { name: 'cobrand_coupon', viewCollection: 'cobrand_coupons', window: (c) => ({ start: new Date(c.claim.startAt), end: new Date(c.validity.to) }), extra: () => ({}) },
    faults,
  );
export type CouponRepository = ReturnType<typeof createCouponRepository>;

/**
 * Co-branded coupons, reviewed like activities. Approval only marks the coupon's codes
 * (1..stock) to be made: they are made in batches outside the request (pool.ts), and until
 * they all exist the coupon reads 准备中. A revision that raises the stock is marked the same
 * way; settling again after a crash marks nothing twice.
 */
export function createCouponAdmin(deps: ReviewPlatformDeps & { coupons: CouponRepository; schedulePool: (view: CouponView) => Promise<void> }) {
  return createReviewWorkflow({
    ...reviewPlatform(deps),
    repository: deps.coupons,
    schema: CobrandCouponInput,
    label: '联名优惠券',
    errors: REVIEW_ERRORS,
    events: { published: EventName.COUPON_PUBLISHED, withdrawn: EventName.COUPON_WITHDRAWN, idField: 'couponId' },
    checkEdit(view, next) {
      if (view.live && next.stock < view.live.stock) throw new AppError('REVIEW_IMMUTABLE_FIELD', { message: '已发布的优惠券库存只能增加' });
    },
    onApproved: (view) => deps.schedulePool(view as CouponView),
  });
}
export type CouponAdmin = ReturnType<typeof createCouponAdmin>;

/** CSV columns: `merchant`, `claim`, `validity` and `eligibility` as JSON. */
export const csvRowToCoupon = csvRowReader({ json: new Set(['merchant', 'claim', 'validity', 'eligibility']), numbers: new Set(['stock', 'perCustomerLimit']) });
