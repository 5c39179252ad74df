import { EventName } from '@shared/events';
import type { CustomerDirectory, StaffDirectory } from '@/platform/directory';
import { customerLabels, staffNames } from '@/kernel/names';
import type { Scope } from '@/platform/auth/scope';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { approvalView, createApprovals, type ApprovalRequest } from '@/kernel/approvals';
import type { Faults } from '@/platform/faults';
import type { PointsAdjustment } from '@shared/contracts/points';
import { AppError } from '@/platform/errors';
import type { Outbox } from '@/platform/outbox';
import type { RewardEngine } from '@/rewards';
import type { PointsLedger } from './ledger';

/** Reported at most, per collection: findings are rare, and each one is a case to look into. */
const MAX_FINDINGS = 500;

export function createPointsService(deps: {
  db: Database;
  clock: Clock;
  ledger: PointsLedger;
  rewards: RewardEngine;
  customers: CustomerDirectory;
  staff: StaffDirectory;
  scope: Scope;
  outbox: Outbox;
  audit: AuditLog;
  faults: Faults;
  independent: (checkerId: string, makerIds: string[]) => Promise<void>;
}) {
  const { ledger, clock } = deps;
  async function requireCustomerInScope(principal: Principal, customerId: string) {
    const customer = await deps.customers.findById(customerId);
    if (!customer || !(await deps.scope.reachesCustomer(principal, customer))) throw new AppError('NOT_FOUND');
  }

  const adjustments = createApprovals<{ customerId: string; amount: number }>({
    db: deps.db,
    clock,
    audit: deps.audit,
    faults: deps.faults,
    name: 'points_adjustment',
    authorize: (principal, { customerId }) => requireCustomerInScope(principal, customerId),
    async visible(principal, requests) {
      const [found, reaches] = await Promise.all([deps.customers.findByIds(requests.map((r) => r.customerId)), deps.scope.customerReach(principal)]);
      const reached = new Set(found.filter(reaches).map((c) => c.id));
      return requests.filter((r) => reached.has(r.customerId));
    },
    independent: deps.independent,
    async apply({ _id: id, customerId, amount, reason }) {
      await ledger.adjust(customerId, amount, `adjust:${id}`, `积分调整：${reason}`, { adjustmentId: id });
      await deps.outbox.record(EventName.POINTS_ADJUSTED, id, { customerId, amount });
    },
    auditDetail: ({ amount }) => ({ amount }),
  });

  const toAdjustment = (a: ApprovalRequest<{ customerId: string; amount: number }>): PointsAdjustment => ({ ...approvalView(a), customerId: a.customerId, amount: a.amount });

  return {
    balance: (customerId: string) => ledger.balance(customerId),
    page: (customerId: string, beforeSeq: number | undefined, limit: number, direction?: 'in' | 'out') => ledger.page(customerId, beforeSeq, limit, direction),

    requestAdjustment: async (principal: Principal, input: { customerId: string; amount: number; reason: string }) =>
      toAdjustment(await adjustments.request(principal, { customerId: input.customerId, amount: input.amount }, input.reason)),
    /** A page of adjustments awaiting this checker, with the requester and customer by (masked) name. */
    async pendingAdjustments(principal: Principal, paging: { page: number; pageSize: number }) {
      const { items, total } = await adjustments.pending(principal, paging);
      const [staff, customers] = await Promise.all([
        staffNames(
          deps.staff,
          items.map((a) => a.requestedBy),
        ),
        customerLabels(
          deps.customers,
          items.map((a) => a.customerId),
        ),
      ]);
      return { total, items: items.map((a) => ({ ...toAdjustment(a), requestedByName: staff(a.requestedBy), customerLabel: customers(a.customerId) })) };
    },
    approveAdjustment: async (principal: Principal, id: string, reason: string | null) => toAdjustment(await adjustments.approve(principal, id, reason)),
    rejectAdjustment: async (principal: Principal, id: string, reason: string) => toAdjustment(await adjustments.reject(principal, id, reason)),
    recoverAdjustments: () => adjustments.recover(),

    /** The expiry job: one expire entry and one event per lot past its date. */
    async expireDue(): Promise<number> {
      let total = 0;
      for (const customerId of await ledger.customersWithDueLots()) {
        for (const lot of await ledger.expireDue(customerId)) {
          total += 1;
          await deps.outbox.record(EventName.POINTS_EXPIRED, `${customerId}#${lot.lotSeq}`, { customerId, points: lot.amount });
        }
      }
      return total;
    },

    /**
     * Every invariant of money-like state. For one customer or activity: checked now, from the
     * first entry. For the whole bank: every account and budget changed since its last check is
     * checked from there (one pass now; the maintenance job catches up the rest), and what any
     * check has ever found is reported.
     */
    async checkInvariants(principal: Principal, filter: { customerId?: string; activityId?: string }) {
      // The whole bank's books: head office only.
      if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行可以核对全行积分账' });
      if (filter.customerId || filter.activityId) {
        const violations = [...(filter.customerId ? await ledger.check(filter.customerId) : []), ...(filter.activityId ? await deps.rewards.check(filter.activityId) : [])];
        return { checked: { customers: filter.customerId ? 1 : 0, activities: filter.activityId ? 1 : 0 }, upToDate: true, violations };
      }
      const [accounts, budgets] = await Promise.all([ledger.audit.pass(), deps.rewards.audit.pass()]);
      const violations = [...(await ledger.audit.findings(MAX_FINDINGS)), ...(await deps.rewards.audit.findings(MAX_FINDINGS))];
      return { checked: { customers: accounts.streams, activities: budgets.streams }, upToDate: accounts.upToDate && budgets.upToDate, violations };
    },
  };
}

export type PointsService = ReturnType<typeof createPointsService>;
