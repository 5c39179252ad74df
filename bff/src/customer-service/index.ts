import { randomUUID } from 'node:crypto';
import { CustomerOverview } from '../../../shared/contracts/profile';
import type { CustomerProfile } from '../../../shared/contracts/profile';
import type { LedgerPage, PointsBalance } from '../../../shared/contracts/points';
import type { MyPrizePage } from '../../../shared/contracts/rewards';
import { Role } from '../../../shared/roles';
import type { AppContext } from '../context';
import { AppError } from '../platform/errors';
import { defineRoute } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';
import type { CapabilityModule } from '../platform/module';

const RECENT = 20;

/**
 * One customer as service staff see them (客户服务): the masked profile, points and the latest
 * ledger entries, orders and prizes. Only staff whose subtree holds the customer see them, and
 * every lookup is in the audit trail, as a bank's own service desk logs it.
 */
export function customerServiceModule(
  ctx: AppContext,
  deps: {
    profile: (customerId: string) => Promise<CustomerProfile>;
    balance: (customerId: string) => Promise<PointsBalance>;
    ledger: (customerId: string, beforeSeq: undefined, limit: number) => Promise<LedgerPage>;
    orders: (customerId: string, before: undefined, limit: number) => Promise<unknown>;
    prizes: (customerId: string, before: undefined, limit: number) => Promise<MyPrizePage>;
  },
): CapabilityModule {
  return {
    name: 'customer-service',
    routes: [
      defineRoute({
        method: 'get',
        path: '/admin/customers/:id',
        operationId: 'getCustomerOverview',
        summary: '客户服务：客户资料（脱敏）、积分与最近明细、订单、奖品（本机构及下级机构的客户；查询留痕）',
        tags: ['admin'],
        access: [Role.ADMIN, Role.REVIEWER],
        params: IdParams,
        responses: { 200: { description: 'The customer', schema: CustomerOverview } },
        async handler({ principal, params }) {
          const customer = await ctx.customers.findById(params.id);
          if (!customer || !(await ctx.scope.reachesCustomer(principal!, customer))) throw new AppError('NOT_FOUND');
          await ctx.audit.record(principal!, { action: 'customer.viewed', targetType: 'customer', targetId: params.id }, `customer.viewed:${randomUUID()}`);
          const [profile, points, ledger, orders, prizes] = await Promise.all([
            deps.profile(params.id),
            deps.balance(params.id),
            deps.ledger(params.id, undefined, RECENT),
            deps.orders(params.id, undefined, RECENT),
            deps.prizes(params.id, undefined, RECENT),
          ]);
          return { profile, points, ledger, orders, prizes };
        },
      }),
    ],
  };
}
