import { z } from 'zod';

/** A customer's own profile; personal data arrives masked. */
export const CustomerProfile = z
  .object({
    id: z.string(),
    customerNo: z.string(),
    nickname: z.string().nullable(),
    maskedName: z.string().nullable(),
    maskedPhone: z.string().nullable(),
    phoneBound: z.boolean(),
    personalized: z.boolean().describe('Off: no personalised marketing is shown'),
    memberSince: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'CustomerProfile' });
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const StaffProfile = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(['rm', 'admin', 'reviewer']),
    orgUnitId: z.string(),
    maskedName: z.string(),
  })
  .meta({ id: 'StaffProfile' });
export type StaffProfile = z.infer<typeof StaffProfile>;
