import { z } from 'zod';
import { customerRefFields, hasOneCustomerRef, oneCustomerRefJsonSchema } from './targeting';

/** What the bank's systems report back: a life service used for the first time, a livestream watched (tasks), an account opened (invites). */
export const CONVERSION_KINDS = ['first_service', 'watch_live', 'open_account'] as const;

export const ConversionReport = z
  .object({
    eventId: z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/).describe('The reporting system’s own id: a repeat of it is acknowledged, not counted'),
    kind: z.enum(CONVERSION_KINDS),
    occurredAt: z.iso.datetime({ offset: true }),
    ...customerRefFields,
  })
  .refine(...hasOneCustomerRef)
  .meta(oneCustomerRefJsonSchema);
export type ConversionReport = z.infer<typeof ConversionReport>;

export const ConversionResult = z.object({ duplicate: z.boolean(), tasksPaid: z.number().int() });
