import type { Clock } from '../src/platform/clock';
import { publishDemo } from './publish';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

/** Two merchants' coupons for the demo 联名优惠, claimable for a month. */
export async function seedDemoCoupons<C extends ReviewedContent, X extends object>(admin: ReviewWorkflow<C, X>, clock: Clock): Promise<void> {
  const now = clock.now().getTime();
  const day = 86_400_000;
  const window = {
    claim: { startAt: new Date(now - day).toISOString(), endAt: new Date(now + 30 * day).toISOString() },
    validity: { from: new Date(now - day).toISOString(), to: new Date(now + 60 * day).toISOString() },
  };
  const coupon = (code: string, merchant: string, title: string, description: string, stock: number, perCustomerLimit: number) => ({
    code: `DEMO-CB-${code}`,
    type: 'cobrand_coupon',
    orgUnitId: 'org-hq',
    merchant: { id: `M-${code}`, name: merchant },
    title,
    description,
    terms: '1. 每张券限用一次，不找零、不兑现；2. 到店出示券码，由店员核销；3. 有效期内使用，过期作废。',
    stock,
    perCustomerLimit,
    ...window,
  });
  await publishDemo(
    admin,
    [
      coupon('COFFEE', '悦享咖啡', '咖啡满 30 减 10', '指定门店现磨咖啡满 30 元减 10 元', 500, 2),
      coupon('MARKET', '鲜丰超市', '超市满 100 减 20', '周末到店购物满 100 元立减 20 元', 200, 1),
    ],
    ['DEMO-CB-'],
  );
}
