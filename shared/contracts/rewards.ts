import { z } from 'zod';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

/**
 * What came of a reward, from the reward engine's books: `issued` paid; `pending` being paid;
 * `exhausted` refused because the budget was spent (奖励已发完); `unavailable` refused because it
 * could not be paid (draw chances for a draw that has ended or gone); `none` nothing owed.
 */
export const RewardState = z.enum(['none', 'issued', 'pending', 'exhausted', 'unavailable']).meta({ id: 'RewardState' });
export type RewardState = z.infer<typeof RewardState>;

/** A reward that is not points (a coupon, a gift), as 我的奖品 lists it. */
const MyPrize = z
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
type MyPrize = z.infer<typeof MyPrize>;

export const MyPrizePage = z.object({ items: z.array(MyPrize), nextBefore: z.number().int().nullable() }).meta({ id: 'MyPrizePage' });
export type MyPrizePage = z.infer<typeof MyPrizePage>;

const MyPrizeQuery = z.object({ before: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(50).default(20) });

export const rewardsApi = endpoints({
  listMyPrizes: {
    method: 'get',
    path: '/me/prizes',
    operationId: 'listMyPrizes',
    summary: '我的奖品：活动发放的卡券与礼品（积分见积分明细），新的在前',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    query: MyPrizeQuery,
    responses: { 200: { description: 'A page of prizes', schema: MyPrizePage } },
  },
});
