import type { z } from 'zod';
import { OptionalReason, ReviewDecision } from '../../../shared/contracts/review';
import { Role } from '../../../shared/roles';
import type { Principal } from './auth/principal';
import { defineRoute } from './http/routes';
import { IdParams } from './http/params';

/** A reviewer's two decisions on a requested change (see approvals.ts), named after it: approvePointsAdjustment… */
export function approvalDecisionRoutes(spec: {
  path: string;
  noun: string;
  label: string;
  tag: string;
  schema: z.ZodType;
  approve: (principal: Principal, id: string, reason: string | null) => Promise<unknown>;
  reject: (principal: Principal, id: string, reason: string) => Promise<unknown>;
}) {
  return [
    defineRoute({
      method: 'post',
      path: `${spec.path}/:id/approve`,
      operationId: `approve${spec.noun}`,
      summary: `审批通过${spec.label}（申请人不得审批）`,
      tags: [spec.tag],
      access: [Role.REVIEWER],
      params: IdParams,
      body: OptionalReason,
      responses: { 200: { description: 'Applied', schema: spec.schema } },
      handler: ({ principal, params, body }) => spec.approve(principal!, params.id, body.reason ?? null),
    }),
    defineRoute({
      method: 'post',
      path: `${spec.path}/:id/reject`,
      operationId: `reject${spec.noun}`,
      summary: `驳回${spec.label}`,
      tags: [spec.tag],
      access: [Role.REVIEWER],
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Rejected', schema: spec.schema } },
      handler: ({ principal, params, body }) => spec.reject(principal!, params.id, body.reason),
    }),
  ];
}
