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
import { customerServiceApi, type CUSTOMER_LOOKUPS } from '@shared/contracts/customer-service';
import { maskName, maskPhone } from '@shared/masking';
import type { Customer } from '@/platform/directory';

const RECENT = 20;
/** A nickname is not unique: the desk sees this many matches at most, then narrows by phone or 客户号. */
const MATCHES = 20;

type Lookup = (typeof CUSTOMER_LOOKUPS)[number];
/** A mobile number or a 客户号, from the query's form alone; anything else is a customer id or a nickname. */
function lookupOf(q: string): { by: 'phone' | 'customerNo' | null; value: string } {
  const digits = q.replace(/[\s-]/g, '');
  if (/^1\d{10}$/.test(digits)) return { by: 'phone', value: digits };
  if (/^C\d{12}$/i.test(q)) return { by: 'customerNo', value: q.toUpperCase() };
  return { by: null, value: q };
}

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
      implement(customerServiceApi.searchCustomers, async ({ principal, query }) => {
        const { by, value } = lookupOf(query.q);
        const find = async (): Promise<{ by: Lookup; found: (Customer | null)[] }> => {
          if (by === 'phone') return { by, found: [await ctx.customers.findByPhone(value)] };
          if (by === 'customerNo') return { by, found: [await ctx.customers.findByCustomerNo(value)] };
          const [byId, named] = await Promise.all([ctx.customers.findById(value), ctx.customers.findByNickname(value, MATCHES)]);
          return byId ? { by: 'id', found: [byId] } : { by: 'nickname', found: named };
        };
        const { by: answeredBy, found } = await find();
        const customers = found.filter((c): c is Customer => c !== null);
        // Outside the reader's subtree is as good as unknown: the answer does not say such a customer exists.
        const reachable = await Promise.all(customers.map((c) => ctx.scope.reachesCustomer(principal, c)));
        const mine = customers.filter((_, i) => reachable[i]).slice(0, MATCHES);
        // Every lookup is on the audit trail, with the query masked as a phone number would be shown.
        await ctx.audit.record(
          principal,
          {
            action: 'customer.searched',
            targetType: 'customer',
            targetId: mine.map((c) => c.id).join(',') || '-',
            detail: { by: answeredBy, query: by === 'phone' ? maskPhone(value) : value, found: mine.length, outsideScope: customers.length - mine.length },
          },
          `customer.searched:${randomUUID()}`,
        );
        const units = await Promise.all(mine.map((c) => (c.orgUnitId ? ctx.org.findById(c.orgUnitId) : null)));
        const items = mine.map((c, i) => ({
          id: c.id,
          customerNo: c.customerNo,
          maskedName: c.name ? maskName(c.name) : null,
          maskedPhone: c.phone ? maskPhone(c.phone) : null,
          maskedNickname: c.nickname ? maskName(c.nickname) : null,
          orgUnitName: units[i]?.name ?? null,
        }));
        return { by: answeredBy, items };
      }),
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
