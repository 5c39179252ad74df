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
      .describe('Field-level problems, present when code is VALIDATION_FAILED'),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({ status: z.literal('ready'), database: z.literal('up') });
