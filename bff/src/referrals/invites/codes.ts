import { randomInt } from 'node:crypto';
import type { MyInvite } from '@shared/contracts/invites';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import type { Attribution } from '../sharing/attribution';
import type { Scenes } from '../sharing/scenes';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: codes are read aloud and typed
const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/**
 * 邀请码: every customer has a code friends can type in; arriving with it is an arrival through
 * the customer's own share (its scene), attributed like a link or a poster.
 */
export function createInviteCodes(deps: { db: Database; scenes: Scenes; attribution: Attribution }) {
  const codes = () => deps.db.collection<{ _id: string; customerId: string }>('invite_codes');
  const codeOf = () => deps.db.collection<{ _id: string; code: string }>('invite_code_of');

  async function myCode(customerId: string): Promise<string> {
    const existing = await codeOf().findOne({ _id: customerId });
    if (existing) return existing.code;
    for (;;) {
      const code = newCode();
      if (!(await insertOnce(codes(), { _id: code, customerId }))) continue; // taken by someone else: draw again
      if (await insertOnce(codeOf(), { _id: customerId, code })) return code;
      return (await codeOf().findOne({ _id: customerId }))!.code; // a concurrent first call won
    }
  }
  const sceneOf = (customerId: string) => deps.scenes.ensure({ sharer: { kind: 'customer', id: customerId }, activityId: null, assistId: null, channel: 'link' });

  return {
    async mine(customerId: string): Promise<MyInvite> {
      const code = await myCode(customerId);
      return { code, path: `/pages/index/index?inviter=${code}`, invited: await deps.attribution.count({ kind: 'customer', id: customerId }) };
    },

    /** Counts when the caller is a newcomer attributed to the code's owner now, or was by this same code. */
    async accept(inviteeId: string, code: string): Promise<{ accepted: boolean }> {
      const inviterId = (await codes().findOne({ _id: code }))?.customerId;
      if (!inviterId) throw new AppError('NOT_FOUND', { message: '邀请码不存在' });
      const result = await deps.attribution.arrive(inviteeId, (await sceneOf(inviterId))._id, null);
      return { accepted: result.attributed };
    },
  };
}
