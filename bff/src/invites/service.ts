import { randomInt } from 'node:crypto';
import { EventName } from '../../../shared/events';
import type { MyInvite } from '../../../shared/contracts/invites';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import type { Outbox } from '../platform/outbox';
import { createStreamStore } from '../platform/stream';
import type { TaskService } from '../tasks/service';
import { insertOnce } from '../platform/keyed';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: codes are read aloud and typed
const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/**
 * 邀请好友: every customer has an invite code; a new customer who arrives with one is
 * recorded as that customer's invitee exactly once (the record's `_id` is the invitee), which
 * completes the inviter's "invite a friend" tasks.
 */
export function createInviteService(deps: { db: Database; clock: Clock; customers: CustomerRepository; tasks: TaskService; outbox: Outbox; acceptWithinMs: number }) {
  const codes = () => deps.db.collection<{ _id: string; customerId: string }>('invite_codes');
  const codeOf = () => deps.db.collection<{ _id: string; code: string }>('invite_code_of');
  const invitations = () => deps.db.collection<{ _id: string; inviterId: string; at: Date }>('invitations');
  // Each inviter's invitees as a stream, so "how many" is the head's position.
  const byInviter = createStreamStore<{ inviteeId: string }>(deps.db, 'invitations_by_inviter', deps.clock);

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

  return {
    async mine(customerId: string): Promise<MyInvite> {
      const code = await myCode(customerId);
      const head = await byInviter.head(`invites:${customerId}`);
      return { code, path: `/pages/index/index?inviter=${code}`, invited: head?.seq ?? 0 };
    },

    /**
     * Records who invited a new customer; once, and only within a short time of registering.
     * An invitation runs from an earlier customer to a later one: a code whose owner joined
     * after the caller, or is the caller's own invitee, is refused, so no pair pays each other.
     */
    async accept(inviteeId: string, code: string): Promise<{ accepted: boolean }> {
      const inviterId = (await codes().findOne({ _id: code }))?.customerId;
      if (!inviterId) throw new AppError('NOT_FOUND', { message: '邀请码不存在' });
      if (inviterId === inviteeId) return { accepted: false };
      const [invitee, inviter] = await Promise.all([deps.customers.findById(inviteeId), deps.customers.findById(inviterId)]);
      if (!invitee || !inviter || deps.clock.now().getTime() - invitee.createdAt.getTime() > deps.acceptWithinMs) return { accepted: false };
      if (inviter.createdAt > invitee.createdAt || (await invitations().findOne({ _id: inviterId }))?.inviterId === inviteeId) return { accepted: false };
      if (!(await insertOnce(invitations(), { _id: inviteeId, inviterId, at: deps.clock.now() }))) {
        const first = await invitations().findOne({ _id: inviteeId });
        if (first?.inviterId !== inviterId) return { accepted: false };
        // The same invitation again (a retry): make sure what follows it happened.
      }
      await byInviter.append(`invites:${inviterId}`, () => ({ inviteeId }), { key: `invite:${inviteeId}` });
      await deps.outbox.record(EventName.INVITE_ACCEPTED, inviteeId, { inviterId, inviteeId });
      await deps.tasks.completed(inviterId, 'invite');
      return { accepted: true };
    },

    ensureIndexes: () => byInviter.ensureIndexes(),
  };
}

export type InviteService = ReturnType<typeof createInviteService>;
