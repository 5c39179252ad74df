import { randomUUID } from 'node:crypto';
import type { AuditLog } from './audit';
import type { Principal } from './auth/principal';
import type { Clock } from './clock';
import type { Database } from './db';
import { AppError, isDuplicateKeyError } from './errors';

/**
 * Changes to money-like state that one person requests and another approves (points
 * adjustments, stock adjustments). Deciding is a claim by `_id`: exactly one decision
 * counts even if two reviewers click at once; a change that cannot be applied frees it.
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

export function createApprovals<P extends object>(deps: {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  /** Names the collections and the audit actions: `points_adjustment` → `points_adjustment.approved`. */
  name: string;
  /** Throws NOT_FOUND unless the caller may act on this change. */
  authorize(principal: Principal, payload: P): Promise<void>;
  /** Applies an approved change, keyed by the request id so it happens once. */
  apply(request: ApprovalRequest<P>): Promise<void>;
  auditDetail?(payload: P): Record<string, unknown>;
}) {
  const requests = () => deps.db.collection<ApprovalRequest<P>>(`${deps.name}s`);
  const decisions = () => deps.db.collection<{ _id: string; by: string; at: Date }>(`${deps.name}_decisions`);

  async function decide(principal: Principal, id: string, approve: boolean, reason: string | null): Promise<ApprovalRequest<P>> {
    const request = (await requests().findOne({ _id: id } as never)) as ApprovalRequest<P> | null;
    if (!request) throw new AppError('NOT_FOUND');
    await deps.authorize(principal, request);
    if (request.requestedBy === principal.id) throw new AppError('ADJUSTMENT_SELF_APPROVAL');
    try {
      await decisions().insertOne({ _id: id, by: principal.id, at: deps.clock.now() });
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new AppError('REVIEW_INVALID_TRANSITION', { message: '该调整已被审批' });
      throw err;
    }
    if (approve) {
      try {
        await deps.apply(request);
      } catch (err) {
        // Not applied (for example: not enough left to take back): the decision is open again.
        await decisions().deleteOne({ _id: id });
        throw err;
      }
    }
    const decided = { status: approve ? 'approved' : 'rejected', decidedBy: principal.id, decidedAt: deps.clock.now(), decisionReason: reason } as const;
    await requests().updateOne({ _id: id } as never, { $set: decided } as never);
    await deps.audit.record(principal, { action: `${deps.name}.${decided.status}`, targetType: deps.name, targetId: id, reason: reason ?? undefined });
    return { ...request, ...decided };
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
    /** Requests waiting for a decision that this reviewer may decide on, oldest first. */
    async pending(principal: Principal): Promise<ApprovalRequest<P>[]> {
      const waiting = (await requests().find({ status: 'pending' } as never).sort({ requestedAt: 1 }).limit(200).toArray()) as ApprovalRequest<P>[];
      const mine: ApprovalRequest<P>[] = [];
      for (const request of waiting) {
        try {
          await deps.authorize(principal, request);
          mine.push(request);
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;
        }
      }
      return mine;
    },
    approve: (principal: Principal, id: string, reason: string | null) => decide(principal, id, true, reason),
    reject: (principal: Principal, id: string, reason: string) => decide(principal, id, false, reason),
  };
}
