import { z } from 'zod';

/** A reward that is not points (a coupon, a gift), as 我的奖品 lists it. */
export const MyPrize = z
  .object({
    id: z.string(),
    kind: z.enum(['coupon', 'physical', 'draw_chance']),
    name: z.string(),
    /** Why it was given: the activity and what the customer did. */
    description: z.string(),
    grantedAt: z.string(),
    /** A coupon's last day of use; null for what does not expire. */
    validUntil: z.string().nullable(),
  })
  .meta({ id: 'MyPrize' });
export type MyPrize = z.infer<typeof MyPrize>;

export const MyPrizePage = z.object({ items: z.array(MyPrize), nextBefore: z.number().int().nullable() }).meta({ id: 'MyPrizePage' });
export type MyPrizePage = z.infer<typeof MyPrizePage>;

export const MyPrizeQuery = z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) });
