import type { MyPrivacy } from '../../../shared/contracts/privacy';
import { EventName } from '../../../shared/events';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import type { Outbox } from '../platform/outbox';

type ConsentDoc = { _id: string; customerId: string; policyVersion: string; at: Date };
type DeletionDoc = { _id: string; requestedAt: Date };

/**
 * Consent to the privacy policy (PIPL arts. 13-17) and requests to delete one's data.
 *
 * Consent to the version in force is one document, `<customer>|<version>`, so the gate every
 * customer request passes is a single lookup by `_id`. A deletion request is recorded first
 * (an insert, the decision) and then withdraws that consent (a delete by `_id`); the sweep
 * finishes a withdrawal a crash cut short, and consent is refused while the request stands. A
 * new policy version has no consents yet: every customer is asked again.
 */
export function createPrivacyService(deps: { db: Database; clock: Clock; outbox: Outbox; policyVersion: string }) {
  const consents = () => deps.db.collection<ConsentDoc>('privacy_consents');
  const deletions = () => deps.db.collection<DeletionDoc>('privacy_deletion_requests');
  // When each customer first agreed to any version: when they joined, as far as the bank may know them.
  const joined = () => deps.db.collection<{ _id: string; at: Date }>('privacy_first_consents');
  const version = deps.policyVersion;
  const consentId = (customerId: string) => `${customerId}|${version}`;

  async function mine(customerId: string): Promise<MyPrivacy> {
    const [consent, deletion] = await Promise.all([consents().findOne({ _id: consentId(customerId) }), deletions().findOne({ _id: customerId })]);
    return {
      policyVersion: version,
      consentedAt: consent && !deletion ? consent.at.toISOString() : null,
      deletionRequest: deletion ? { requestedAt: deletion.requestedAt.toISOString(), status: 'received' } : null,
    };
  }

  async function withdraw(customerId: string): Promise<void> {
    await consents().deleteOne({ _id: consentId(customerId) });
  }

  return {
    mine,

    /** Whether this customer may be recorded, tracked and attributed now: one lookup. */
    async consented(customerId: string): Promise<boolean> {
      return (await consents().findOne({ _id: consentId(customerId) })) !== null;
    },

    /**
     * When the customer first agreed to the privacy policy: the moment they joined for the bank's
     * purposes (a newcomer who looked around, declined and agreed a day later is new from then).
     */
    async joinedAt(customerId: string): Promise<Date | null> {
      return (await joined().findOne({ _id: customerId }))?.at ?? null;
    },

    /** Why a customer without consent is refused (read only when refusing). */
    async refusal(customerId: string): Promise<AppError> {
      return (await deletions().findOne({ _id: customerId })) ? new AppError('PRIVACY_DELETION_REQUESTED') : new AppError('PRIVACY_CONSENT_REQUIRED');
    },

    async consent(customerId: string, policyVersion: string): Promise<MyPrivacy> {
      // Agreeing to an older text is not agreeing to the one in force.
      if (policyVersion !== version) throw new AppError('PRIVACY_POLICY_OUTDATED');
      if (await deletions().findOne({ _id: customerId })) throw new AppError('PRIVACY_DELETION_REQUESTED');
      const at = deps.clock.now();
      await insertOnce(consents(), { _id: consentId(customerId), customerId, policyVersion, at });
      await insertOnce(joined(), { _id: customerId, at });
      // The bank hears of a customer once they have agreed, not at their first WeChat login
      // (the event's id is the customer's, so agreeing again, or to a later version, adds none).
      await deps.outbox.record(EventName.CUSTOMER_REGISTERED, customerId, { customerId, channel: 'wechat-miniprogram' });
      return mine(customerId);
    },

    async requestDeletion(customerId: string): Promise<MyPrivacy> {
      const requestedAt = deps.clock.now();
      if (await insertOnce(deletions(), { _id: customerId, requestedAt })) {
        await deps.outbox.record(EventName.CUSTOMER_DELETION_REQUESTED, customerId, { customerId, requestedAt: requestedAt.toISOString() });
      }
      await withdraw(customerId);
      return mine(customerId);
    },

    /** Withdrawals a crash left undone: every deletion request's consent is gone (the requests are few). */
    async recover(): Promise<{ withdrawn: number }> {
      let withdrawn = 0;
      for await (const request of deletions().find({})) {
        const { deletedCount } = await consents().deleteOne({ _id: consentId(request._id) });
        withdrawn += deletedCount;
      }
      return { withdrawn };
    },

    /** The demo customers have agreed, as anyone who has used the app would have. */
    async seedConsent(customerIds: string[]): Promise<void> {
      for (const customerId of customerIds) {
        await insertOnce(consents(), { _id: consentId(customerId), customerId, policyVersion: version, at: deps.clock.now() });
        await insertOnce(joined(), { _id: customerId, at: deps.clock.now() });
      }
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
