import { z } from 'zod';
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

export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({ status: z.literal('ready'), database: z.literal('up') });

/** A `refine(n !== 0)` as JSON Schema, for the document. */
export const NON_ZERO = { not: { const: 0 } };

/** The client's key for one attempt of a spending request; a retry sends the same one. */
export const IdempotencyKeyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '缺少或无效的 Idempotency-Key（8–64 位字母、数字、_ 或 -）')
    .describe('One per attempt; a retry of the same attempt sends the same key and gets the same order'),
});
