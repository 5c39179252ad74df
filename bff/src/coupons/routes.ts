import { cobrandCouponReview, couponsApi } from '@shared/contracts/coupons';
import { implement } from '@/platform/http/routes';
import { AppError } from '@/platform/errors';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToCoupon, type CouponAdmin } from './catalogue';
import type { CouponClaims } from './claims';
import { type MerchantAuth } from './merchants';
import type { CouponView } from './catalogue';

export function couponRoutes(deps: { admin: CouponAdmin; claims: CouponClaims; merchantAuth: MerchantAuth }) {
  return [
    ...reviewedAdminRoutes({ operations: cobrandCouponReview, service: deps.admin, csvRow: csvRowToCoupon }),
    implement(couponsApi.checkCouponInvariants, async ({ principal, params }) => {
      const view = (await deps.admin.visible(principal, params.id)) as CouponView;
      if (!view.live) throw new AppError('NOT_FOUND', { message: '优惠券尚未发布' });
      return deps.claims.check(view);
    }),
    implement(couponsApi.browseCobrandCoupons, async ({ principal, consented }) => ({ items: await deps.claims.list(principal.id, !consented) })),
    implement(couponsApi.viewCobrandCoupon, ({ principal, params, consented }) => deps.claims.detail(principal.id, params.id, !consented)),
    implement(couponsApi.claimCobrandCoupon, ({ principal, params, headers, ctx }) => deps.claims.claim(principal.id, params.id, headers['Idempotency-Key'], ctx.ip || null)),
    implement(couponsApi.listMyCoupons, async ({ principal }) => ({ items: await deps.claims.mine(principal.id) })),
    implement(couponsApi.redeemCobrandCouponCode, ({ body, ctx }) => deps.claims.redeem(body.code, String(ctx.state.merchantId)), { authenticate: deps.merchantAuth.verify }),
  ];
}
