import { z } from 'zod';

/** What a customer has agreed to and asked for under PIPL. */
export const MyPrivacy = z
  .object({
    policyVersion: z.string().describe('The policy in force'),
    /** When the customer agreed to the policy in force; null: not yet (ask first). */
    consentedAt: z.string().nullable(),
    deletionRequest: z.object({ requestedAt: z.string(), status: z.literal('received') }).nullable(),
  })
  .meta({ id: 'MyPrivacy' });
export type MyPrivacy = z.infer<typeof MyPrivacy>;

export const ConsentRequest = z.object({ policyVersion: z.string().min(1).max(20) });
