import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { ErrorCode } from '../errors';

export const ErrorBody = z
  .object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Field-level problems, present when code is VALIDATION_FAILED, VALIDATION_RULE_FAILED or BULK_UPLOAD_INVALID'),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.literal('ready'), database: z.literal('up') });

/** Not whitespace as JavaScript's trim sees it (its `\s` holds U+FEFF; Python's, which fuzzers use, does not). */
const NOT_BLANK = '[^\\s\\uFEFF]';

/**
 * Text kept without its surrounding whitespace, of which at least `min` characters must remain.
 * JSON Schema cannot trim, so the document states that minimum as a pattern as well: a run of
 * `min` or more characters beginning and ending with a non-space. A string of spaces has the
 * length but not the text, and is refused as the document says (400), not by a hidden rule.
 */
export function trimmedText(min: number, message?: string) {
  const run = min === 1 ? NOT_BLANK : `${NOT_BLANK}[\\s\\S]{${min - 2},}${NOT_BLANK}`;
  return z
    .string()
    .trim()
    .min(min, message)
    .regex(new RegExp(run), message ?? `不能只填空格，至少 ${min} 个字`);
}

/**
 * The description of a schema with refinements: its rules in words, since JSON Schema states
 * only some of them (`whenField` and the like). A request of the documented shape that breaks
 * one is refused 422, as the document then says.
 */
export const statedRules = (rules: string) => `Rules across fields (a request that breaks one is refused 422 VALIDATION_RULE_FAILED, naming the field): ${rules}`;

/**
 * A refinement of the form "when `field` is one of `values`, then …" as JSON Schema
 * (`if`/`then`/`else`), for the document: generated requests then keep to it, and a reader's
 * validator checks it.
 */
export const whenField = (field: string, values: readonly unknown[], then: object, otherwise?: object) => ({
  if: { properties: { [field]: { enum: values } }, required: [field] },
  then,
  ...(otherwise ? { else: otherwise } : {}),
});
/** JSON Schema for "`field` is left out". */
export const absent = (field: string) => ({ not: { required: [field] } });

/** A `refine(n !== 0)` as JSON Schema, for the document. */
export const NON_ZERO = { not: { const: 0 } };

/** The client's key for one attempt of a spending request; a retry sends the same one. */
export const IdempotencyKeyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '缺少或无效的 Idempotency-Key（8–64 位字母、数字、_ 或 -）')
    .describe('One per attempt; a retry of the same attempt sends the same key and gets the same order'),
});

/** `/:id` path parameters. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });

/** Probes for the load balancer, served at the root (outside /api/v1) and unauthenticated; no client calls them. */
export const probesApi = endpoints({
  getHealth: {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness: the process answers',
    tags: ['probes'],
    access: 'public',
    responses: { 200: { description: 'Alive', schema: Health } },
  },
  getReadiness: {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers a ping',
    tags: ['probes'],
    access: 'public',
    responses: { 200: { description: 'Ready to serve', schema: Readiness }, 503: { description: 'The database is unreachable' } },
  },
});

export const metaApi = endpoints({
  getOpenApiDocument: {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tags: ['meta'],
    access: 'public',
    responses: { 200: { description: 'The OpenAPI 3.1 document' } },
  },
});
