import { randomUUID } from 'node:crypto';
import { EventName } from '../../../shared/events';
import type { CustomerRepository } from '../customers';
import type { Scope } from '../org/scope';
import type { AuditLog } from '../platform/audit';
import type { Principal } from '../platform/auth/principal';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError, isDuplicateKeyError } from '../platform/errors';
import type { Outbox } from '../platform/outbox';
import type { RewardEngine } from '../rewards/engine';
import type { PointsLedger } from './ledger';

type Adjustment = {
  _id: string;
  customerId: string;
  amount: number;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
};

export function createPointsService(deps: {
  db: Database;
  clock: Clock;
  ledger: PointsLedger;
  rewards: RewardEngine;
  customers: CustomerRepository;
  scope: Scope;
  outbox: Outbox;
  audit: AuditLog;
}) {
  const { ledger, clock } = deps;
  const adjustments = () => deps.db.collection<Adjustment>('points_adjustments');
  // Deciding is a claim: exactly one reviewer's decision counts, even if two click at once.
  const decisions = () => deps.db.collection<{ _id: string; by: string; at: Date }>('points_adjustment_decisions');

  async function requireCustomerInScope(principal: Principal, customerId: string) {
    const customer = await deps.customers.findById(customerId);
    if (!customer || !(await deps.scope.reachesCustomer(principal, customer))) throw new AppError('NOT_FOUND');
  }

  async function decide(principal: Principal, id: string, approve: boolean, reason: string | null): Promise<Adjustment> {
    const adjustment = await adjustments().findOne({ _id: id });
    if (!adjustment) throw new AppError('NOT_FOUND');
    await requireCustomerInScope(principal, adjustment.customerId);
    if (adjustment.requestedBy === principal.id) throw new AppError('ADJUSTMENT_SELF_APPROVAL');
    try {
      await decisions().insertOne({ _id: id, by: principal.id, at: clock.now() });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new AppError('ACTIVITY_INVALID_TRANSITION', { message: '该调整已被审批' });
      throw err;
    }
    if (approve) {
      try {
        await ledger.adjust(adjustment.customerId, adjustment.amount, `adjust:${id}`, `积分调整：${adjustment.reason}`, { adjustmentId: id });
      } catch (err) {
        // Not applied (for example: not enough points to take back): the decision is open again.
        await decisions().deleteOne({ _id: id });
        throw err;
      }
      await deps.outbox.record(EventName.POINTS_ADJUSTED, id, { customerId: adjustment.customerId, amount: adjustment.amount });
    }
    const decided = { status: approve ? 'approved' : 'rejected', decidedBy: principal.id, decidedAt: clock.now(), decisionReason: reason } as const;
    await adjustments().updateOne({ _id: id }, { $set: decided });
    await deps.audit.record(principal, { action: approve ? 'points_adjustment.approved' : 'points_adjustment.rejected', targetType: 'points_adjustment', targetId: id, reason: reason ?? undefined });
    return { ...adjustment, ...decided };
  }

  return {
    balance: (customerId: string) => ledger.balance(customerId),
    page: (customerId: string, beforeSeq: number | undefined, limit: number) => ledger.page(customerId, beforeSeq, limit),

    async requestAdjustment(principal: Principal, input: { customerId: string; amount: number; reason: string }): Promise<Adjustment> {
      await requireCustomerInScope(principal, input.customerId);
      const adjustment: Adjustment = {
        _id: randomUUID(),
        ...input,
        requestedBy: principal.id,
        requestedAt: clock.now(),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      };
      await adjustments().insertOne(adjustment);
      await deps.audit.record(principal, { action: 'points_adjustment.requested', targetType: 'points_adjustment', targetId: adjustment._id, reason: input.reason, detail: { amount: input.amount } });
      return adjustment;
    },
    approveAdjustment: (principal: Principal, id: string, reason: string | null) => decide(principal, id, true, reason),
    rejectAdjustment: (principal: Principal, id: string, reason: string) => decide(principal, id, false, reason),

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

    /** Every invariant of money-like state, for one customer or activity, or all of them. */
    async checkInvariants(principal: Principal, filter: { customerId?: string; activityId?: string }) {
      // The whole bank's books: head office only.
      if (!(await deps.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN');
      const customers = filter.customerId ? [filter.customerId] : filter.activityId ? [] : await ledger.customerIds();
      const activities = filter.activityId ? [filter.activityId] : filter.customerId ? [] : await deps.rewards.activityIds();
      const violations: string[] = [];
      for (const c of customers) violations.push(...(await ledger.check(c)));
      for (const a of activities) violations.push(...(await deps.rewards.check(a)));
      return { checked: { customers: customers.length, activities: activities.length }, violations };
    },
  };
}

export type PointsService = ReturnType<typeof createPointsService>;
