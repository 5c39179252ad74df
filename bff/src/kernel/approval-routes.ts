import { z } from 'zod';
import { OptionalReason, ReviewDecision } from '../../../shared/contracts/review';
import { Role, type StaffRole } from '../../../shared/roles';
import type { Principal } from '../platform/auth/principal';
import { defineRoute, linksTo } from '../platform/http/routes';
import { IdParams } from '../platform/http/params';

/** Links from a response naming a requested change (`id`) to the checker's decisions on it. */
export const decisionLinks = (noun: string, id = '$response.body#/id') => linksTo([`approve${noun}`, `reject${noun}`], { id });

/** What a checker does with requested changes (see approvals.ts): list the pending ones, approve, reject. */
export function approvalReviewRoutes(spec: {
  path: string;
  noun: string;
  label: string;
  tag: string;
  schema: z.ZodType;
  /** Who decides; reviewers unless said otherwise. */
  checkers?: readonly StaffRole[];
  pending: (principal: Principal) => Promise<unknown[]>;
  approve: (principal: Principal, id: string, reason: string | null) => Promise<unknown>;
  reject: (principal: Principal, id: string, reason: string) => Promise<unknown>;
}) {
  return [
    defineRoute({
      method: 'get',
      path: `${spec.path}/pending`,
      operationId: `listPending${spec.noun}s`,
      summary: `待审批的${spec.label}（本机构及下级机构）`,
      tags: [spec.tag],
      access: [...new Set([...(spec.checkers ?? [Role.REVIEWER]), Role.ADMIN])],
      responses: { 200: { description: 'Oldest first', schema: z.object({ items: z.array(spec.schema) }), links: decisionLinks(spec.noun, '$response.body#/items/0/id') } },
      handler: async ({ principal }) => ({ items: await spec.pending(principal!) }),
    }),
    defineRoute({
      method: 'post',
      path: `${spec.path}/:id/approve`,
      operationId: `approve${spec.noun}`,
      summary: `审批通过${spec.label}（申请人及由其开通或授权的账号不得审批）`,
      tags: [spec.tag],
      access: spec.checkers ?? [Role.REVIEWER],
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
      access: spec.checkers ?? [Role.REVIEWER],
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Rejected', schema: spec.schema } },
      handler: ({ principal, params, body }) => spec.reject(principal!, params.id, body.reason),
    }),
  ];
}
