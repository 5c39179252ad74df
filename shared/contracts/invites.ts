import { z } from 'zod';
import type { ActivityInput, ReferralTerms } from './activities';

/** My invitation: the code friends arrive with, and the page path that carries it. */
export const MyInvite = z.object({
  code: z.string(),
  path: z.string().describe('Mini-program page path to share, with the code as `inviter`'),
  invited: z.number().int().describe('Friends who joined with my code'),
});
export type MyInvite = z.infer<typeof MyInvite>;

export const AcceptInvite = z.object({ code: z.string().regex(/^[A-Z0-9]{8}$/, '邀请码格式不正确') });
export const AcceptInviteResult = z.object({ accepted: z.boolean().describe('False when I already had an inviter, or am not a new customer') });

/** An invite's or an assist's terms as its card states them, from its settings (null for other types). */
export function referralTermsOf(a: ActivityInput): ReferralTerms | null {
  if (a.type === 'invite')
    return { kind: 'invite', qualifyingAction: a.settings.qualifyingAction, friends: a.settings.maxInvitesPerCustomer, welcomeReward: a.settings.welcomeReward ?? null };
  if (a.type === 'assist') return { kind: 'assist', friends: a.settings.helpersNeeded };
  return null;
}
