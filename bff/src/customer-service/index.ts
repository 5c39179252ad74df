import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CustomerProfile, ServiceOrder } from '@shared/contracts/profile';
import type { OrderPage } from '@shared/contracts/mall';
import type { LedgerPage, PointsBalance } from '@shared/contracts/points';
import type { MyPrizePage } from '@shared/contracts/rewards';
import type { AppContext } from '@/context';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { CapabilityModule } from '@/platform/module';
import { customerServiceApi } from '@shared/contracts/customer-service';

const RECENT = 20;

/** An order without what only its customer should hold: the coupon code, the voucher number. */
function forStaff(order: z.infer<typeof OrderPage>['items'][number]): ServiceOrder {
  return {
    ...order,
    coupon: order.coupon ? { name: order.coupon.name, validUntil: order.coupon.validUntil } : null,
    perk: order.perk ? { instructions: order.perk.instructions } : null,
  };
}

/**
 * One customer as service staff see them (客户服务): the masked profile, points and the latest
 * ledger entries, orders and prizes, without the codes and voucher numbers a customer shows at
 * a counter. Only staff whose subtree holds the customer see them, and every lookup is in the
 * audit trail, as a bank's own service desk logs it: a refused one too (an unknown customer, or
 * one outside the reader's subtree, answers 404 all the same).
 */
export function customerServiceModule(
  ctx: AppContext,
  deps: {
    profile: (customerId: string) => Promise<CustomerProfile>;
    balance: (customerId: string) => Promise<PointsBalance>;
    ledger: (customerId: string, beforeSeq: undefined, limit: number) => Promise<LedgerPage>;
    orders: (customerId: string, before: undefined, limit: number) => Promise<z.infer<typeof OrderPage>>;
    prizes: (customerId: string, before: undefined, limit: number) => Promise<MyPrizePage>;
  },
): CapabilityModule {
  return {
    name: 'customer-service',
    routes: [
      implement(customerServiceApi.getCustomerOverview, async ({ principal, params }) => {
        const customer = await ctx.customers.findById(params.id);
        if (!customer || !(await ctx.scope.reachesCustomer(principal, customer))) {
          await ctx.audit.record(principal, { action: 'customer.view_refused', targetType: 'customer', targetId: params.id }, `customer.view_refused:${randomUUID()}`);
          throw new AppError('NOT_FOUND');
        }
        await ctx.audit.record(principal, { action: 'customer.viewed', targetType: 'customer', targetId: params.id }, `customer.viewed:${randomUUID()}`);
        const [profile, points, ledger, orders, prizes] = await Promise.all([
          deps.profile(params.id),
          deps.balance(params.id),
          deps.ledger(params.id, undefined, RECENT),
          deps.orders(params.id, undefined, RECENT),
          deps.prizes(params.id, undefined, RECENT),
        ]);
        return { profile, points, ledger, orders: { items: orders.items.map(forStaff), nextBefore: orders.nextBefore }, prizes };
      }),
    ],
  };
}
