import { randomUUID } from 'node:crypto';
import type { AuditLog } from '@/platform/audit';
import type { Principal } from '@/platform/auth/principal';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { SimulatedCrash, type Faults } from '@/platform/faults';
import { insertOnce } from '@/platform/keyed';

/**
 * Changes that one person requests and another approves (points and stock adjustments, staff
 * accounts and roles). Deciding is a claim by `_id`: exactly one decision counts even if two
 * checkers click at once. The claim is resumable: if the process dies between deciding and
 * applying, the same checker's retry or the recovery sweep applies it (the change itself is
 * keyed by the request, so it happens once); a change that cannot be applied frees the claim.
 */
export type ApprovalRequest<P> = P & {
  _id: string;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
};

/** An approval request as the API shows it: the payload's public fields and where it stands. */
type ApprovalView = {
  id: string;
  reason: string;
  status: ApprovalRequest<object>['status'];
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
};

type Decision = { _id: string; by: string; role: string; orgUnitId: string | null; approve: boolean; reason: string | null; at: Date };

/** Who raised a request the system raised itself. */
export const SYSTEM = 'system';

/** How long a decision may stay unapplied before the sweep finishes it (its checker may still be at it). */
const DECISION_LEASE_MS = 60_000;

export function createApprovals<P extends object>(deps: {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  faults: Faults;
  /** Names the collections and the audit actions: `points_adjustment` → `points_adjustment.approved`. */
  name: string;
  /** Throws NOT_FOUND unless the caller may act on this change. */
  authorize(principal: Principal, payload: P): Promise<void>;
  /** Of many requests, those the caller may act on, as `authorize` decides, found in a few batched reads (not one per request). */
  visible(principal: Principal, requests: ApprovalRequest<P>[]): Promise<ApprovalRequest<P>[]>;
  /** Throws unless the checker is independent of the maker (not created or promoted by them). */
  independent(checkerId: string, makerIds: string[]): Promise<void>;
  /**
   * The staff a request is about (the account whose access it changes): none of them decides
   * it, whoever raised it. A request naming a `staffId` is about that member unless said otherwise.
   */
  subjectsOf?(payload: P): string[];
  /** Applies an approved change, keyed by the request id so it happens once. */
  apply(request: ApprovalRequest<P>, decidedBy: Principal): Promise<void>;
  auditDetail?(payload: P): Record<string, unknown>;
}) {
  const requests = () => deps.db.collection<ApprovalRequest<P>>(`${deps.name}s`);
  const decisions = () => deps.db.collection<Decision>(`${deps.name}_decisions`);
  const find = async (id: string) => (await requests().findOne({ _id: id } as never)) as ApprovalRequest<P> | null;
  const subjectsOf = (payload: P): string[] => {
    if (deps.subjectsOf) return deps.subjectsOf(payload);
    const staffId = (payload as { staffId?: unknown }).staffId;
    return typeof staffId === 'string' ? [staffId] : [];
  };

  /** Carries out a decision that was claimed: applies it if approved, then records the outcome. */
  async function complete(request: ApprovalRequest<P>, decision: Decision): Promise<ApprovalRequest<P>> {
    const checker: Principal = { id: decision.by, role: decision.role as Principal['role'], orgUnitId: decision.orgUnitId ?? undefined };
    if (decision.approve) {
      try {
        await deps.apply(request, checker);
      } catch (err) {
        // Not applied, for a reason that will not pass (not enough left to take back): open again.
        if (err instanceof AppError && err.status < 500) await decisions().deleteOne({ _id: request._id });
        throw err;
      }
      deps.faults.hit(`after:${deps.name}.applied`);
    }
    const decided = { status: decision.approve ? 'approved' : 'rejected', decidedBy: decision.by, decidedAt: decision.at, decisionReason: decision.reason } as const;
    await requests().updateOne({ _id: request._id } as never, { $set: decided } as never);
    await deps.audit.record(
      checker,
      { action: `${deps.name}.${decided.status}`, targetType: deps.name, targetId: request._id, reason: decision.reason ?? undefined },
      `${deps.name}.decided:${request._id}`,
    );
    return { ...request, ...decided };
  }

  async function decide(principal: Principal, id: string, approve: boolean, reason: string | null): Promise<ApprovalRequest<P>> {
    const request = await find(id);
    if (!request) throw new AppError('NOT_FOUND');
    await deps.authorize(principal, request);
    if (request.requestedBy === principal.id) throw new AppError('ADJUSTMENT_SELF_APPROVAL');
    // No self-service through a second person either: a request about the checker's own access is not theirs to decide.
    if (subjectsOf(request).includes(principal.id)) throw new AppError('REVIEW_CONFLICT_OF_INTEREST', { message: '不能审批与本人账号有关的申请' });
    await deps.independent(principal.id, [request.requestedBy]);
    const decision: Decision = { _id: id, by: principal.id, role: principal.role, orgUnitId: principal.orgUnitId ?? null, approve, reason, at: deps.clock.now() };
    if (!(await insertOnce(decisions(), decision))) {
      const taken = await decisions().findOne({ _id: id });
      // The same checker deciding the same again (a retry, a double tap, a crash in between): the
      // one decision stands, and is finished if it was not.
      if (taken && taken.by === principal.id && taken.approve === approve) return request.status === 'pending' ? complete(request, taken) : request;
      throw new AppError('REVIEW_INVALID_TRANSITION', { message: '该申请已被审批' });
    }
    deps.faults.hit(`after:${deps.name}.decided`);
    return complete(request, decision);
  }

  return {
    async request(principal: Principal, payload: P, reason: string): Promise<ApprovalRequest<P>> {
      await deps.authorize(principal, payload);
      const request = {
        ...payload,
        _id: randomUUID(),
        reason,
        requestedBy: principal.id,
        requestedAt: deps.clock.now(),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      } as ApprovalRequest<P>;
      await requests().insertOne(request as never);
      await deps.audit.record(principal, { action: `${deps.name}.requested`, targetType: deps.name, targetId: request._id, reason, detail: deps.auditDetail?.(payload) });
      return request;
    },
    /**
     * A request the system raises itself (a reward held as suspicious), once per `id`: raising
     * it again finds the first. Any checker in scope decides it.
     */
    async requestFromSystem(id: string, payload: P, reason: string): Promise<ApprovalRequest<P>> {
      const request = {
        ...payload,
        _id: id,
        reason,
        requestedBy: SYSTEM,
        requestedAt: deps.clock.now(),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
      } as ApprovalRequest<P>;
      if (!(await insertOnce(requests(), request as never))) return (await find(id))!;
      await deps.audit.record(
        { id: SYSTEM, role: 'admin' },
        { action: `${deps.name}.requested`, targetType: deps.name, targetId: id, reason, detail: deps.auditDetail?.(payload) },
        `${deps.name}.requested:${id}`,
      );
      return request;
    },
    find,
    /**
     * One page of the requests waiting for a decision that this checker may decide on, oldest
     * first, and how many there are in all (the caller's scope is known only after reading them,
     * so every pending request is read: they are few, being decided daily).
     */
    async pending(principal: Principal, paging: { page: number; pageSize: number }): Promise<{ items: ApprovalRequest<P>[]; total: number }> {
      const waiting = (await requests()
        .find({ status: 'pending' } as never)
        .sort({ requestedAt: 1 })
        .toArray()) as ApprovalRequest<P>[];
      const mine = await deps.visible(principal, waiting);
      const start = (paging.page - 1) * paging.pageSize;
      return { items: mine.slice(start, start + paging.pageSize), total: mine.length };
    },
    approve: (principal: Principal, id: string, reason: string | null) => decide(principal, id, true, reason),
    reject: (principal: Principal, id: string, reason: string) => decide(principal, id, false, reason),

    /** Finishes decisions taken but not carried out (the process died in between), past their lease. */
    async recover(): Promise<number> {
      const cutoff = deps.clock.now().getTime() - DECISION_LEASE_MS;
      let finished = 0;
      for (const request of (await requests()
        .find({ status: 'pending' } as never)
        .limit(500)
        .toArray()) as ApprovalRequest<P>[]) {
        const decision = await decisions().findOne({ _id: request._id });
        if (!decision || decision.at.getTime() > cutoff) continue;
        try {
          await complete(request, decision);
          finished += 1;
        } catch (err) {
          if (err instanceof SimulatedCrash || !(err instanceof AppError)) throw err;
        }
      }
      return finished;
    },
  };
}

/** The fields every approval request shows, whatever it asks for. */
export function approvalView<P extends object>(request: ApprovalRequest<P>): ApprovalView {
  return {
    id: request._id,
    reason: request.reason,
    status: request.status,
    requestedBy: request.requestedBy,
    requestedAt: request.requestedAt.toISOString(),
    decidedBy: request.decidedBy,
    decidedAt: request.decidedAt?.toISOString() ?? null,
    decisionReason: request.decisionReason,
  };
}
