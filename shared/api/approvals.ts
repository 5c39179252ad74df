import { z } from 'zod';
import { IdParams } from '../contracts/common';
import { numberedPageOf, pageNumberFields } from '../contracts/paging';
import { OptionalReason, ReviewDecision } from '../contracts/review';
import { Role, type StaffRole } from '../roles';
import { linksTo, type Endpoint } from './endpoint';

/** Links from a response naming a requested change (`id`) to the checker's decisions on it. */
export const decisionLinks = (noun: string, id = '$response.body#/id') => linksTo([`approve${noun}`, `reject${noun}`], { id });

/**
 * What a checker does with requested changes of one kind (a second person approves each):
 * list the pending ones, approve, reject; by verb, each named after its kind (approvePointsAdjustment).
 */
export function approvalOperations<
  const Noun extends string,
  S extends z.ZodType,
  L extends z.ZodType,
  const Checkers extends readonly StaffRole[] = readonly [typeof Role.REVIEWER],
>(spec: {
  path: string;
  noun: Noun;
  label: string;
  tag: string;
  schema: S;
  /** A pending request as its checker sees it: the schema's fields, and what it is about by name (people masked, org units named). */
  pendingSchema: L;
  /** Who decides; reviewers unless said otherwise. */
  checkers?: Checkers;
}) {
  // Left out, Checkers is its default: the reviewers.
  const checkers = (spec.checkers ?? [Role.REVIEWER]) as Checkers;
  const tags = [spec.tag];
  const op = <const E extends Omit<Endpoint, 'tags'>>(e: E) => ({ ...e, tags });
  return {
    pending: op({
      method: 'get',
      path: `${spec.path}/pending`,
      operationId: `listPending${spec.noun}s`,
      summary: `待审批的${spec.label}（本机构及下级机构）`,
      // Typed by role, not as any staff role: the generated tables of who may call what are checked against it.
      access: [...new Set([...checkers, Role.ADMIN])] as readonly (Checkers[number] | typeof Role.ADMIN)[],
      query: z.object(pageNumberFields),
      responses: {
        200: {
          description: 'Oldest first, a page at a time; total counts them all',
          schema: numberedPageOf(spec.pendingSchema),
          links: decisionLinks(spec.noun, '$response.body#/items/0/id'),
        },
      },
    }),
    approve: op({
      method: 'post',
      path: `${spec.path}/:id/approve`,
      operationId: `approve${spec.noun}`,
      summary: `审批通过${spec.label}（申请人及由其开通或授权的账号不得审批）`,
      access: checkers,
      params: IdParams,
      body: OptionalReason,
      responses: { 200: { description: 'Applied', schema: spec.schema } },
    }),
    reject: op({
      method: 'post',
      path: `${spec.path}/:id/reject`,
      operationId: `reject${spec.noun}`,
      summary: `驳回${spec.label}`,
      access: checkers,
      params: IdParams,
      body: ReviewDecision,
      responses: { 200: { description: 'Rejected', schema: spec.schema } },
    }),
  };
}

export type ApprovalOperations = ReturnType<typeof approvalOperations>;
