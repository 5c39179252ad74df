import type { ApprovalOperations } from '@shared/api/approvals';
import type { Principal } from '@/platform/auth/principal';
import { implement } from '@/platform/http/routes';

/** Binds a kind of requested change's checker operations (shared/api/approvals.ts) to its book (see approvals.ts). */
export function approvalReviewRoutes(spec: {
  operations: ApprovalOperations;
  /** One page of pending requests, each described for the checker, and how many there are. */
  pending: (principal: Principal, paging: { page: number; pageSize: number }) => Promise<{ items: unknown[]; total: number }>;
  approve: (principal: Principal, id: string, reason: string | null) => Promise<unknown>;
  reject: (principal: Principal, id: string, reason: string) => Promise<unknown>;
}) {
  const op = spec.operations;
  return [
    implement(op.pending, async ({ principal, query }) => ({ ...(await spec.pending(principal, query)), page: query.page, pageSize: query.pageSize })),
    implement(op.approve, ({ principal, params, body }) => spec.approve(principal, params.id, body.reason ?? null)),
    implement(op.reject, ({ principal, params, body }) => spec.reject(principal, params.id, body.reason)),
  ];
}
