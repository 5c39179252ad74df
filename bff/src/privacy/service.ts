import type { MyPrivacy } from '../../../shared/contracts/privacy';
import { EventName } from '../../../shared/events';
import { PRIVACY_POLICY_VERSION } from '../../../shared/privacy';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import type { Outbox } from '../platform/outbox';

/**
 * Consent to the privacy policy (PIPL arts. 13-17) and requests to delete one's data. Each is an
 * insert under its own `_id`: agreeing or asking twice records it once. The bank's systems act on
 * a deletion request from its outbox event; the BFF only records it.
 */
export function createPrivacyService(deps: { db: Database; clock: Clock; outbox: Outbox }) {
  const consents = () => deps.db.collection<{ _id: string; customerId: string; policyVersion: string; at: Date }>('privacy_consents');
  const deletions = () => deps.db.collection<{ _id: string; requestedAt: Date }>('privacy_deletion_requests');
  const consentId = (customerId: string, version: string) => `${customerId}|${version}`;

  async function mine(customerId: string): Promise<MyPrivacy> {
    const [consent, deletion] = await Promise.all([consents().findOne({ _id: consentId(customerId, PRIVACY_POLICY_VERSION) }), deletions().findOne({ _id: customerId })]);
    return {
      policyVersion: PRIVACY_POLICY_VERSION,
      consentedAt: consent?.at.toISOString() ?? null,
      deletionRequest: deletion ? { requestedAt: deletion.requestedAt.toISOString(), status: 'received' } : null,
    };
  }

  return {
    mine,
    async consent(customerId: string, policyVersion: string): Promise<MyPrivacy> {
      // Agreeing to an older text is not agreeing to the one in force.
      if (policyVersion !== PRIVACY_POLICY_VERSION) throw new AppError('PRIVACY_POLICY_OUTDATED');
      await insertOnce(consents(), { _id: consentId(customerId, policyVersion), customerId, policyVersion, at: deps.clock.now() });
      return mine(customerId);
    },
    async requestDeletion(customerId: string): Promise<MyPrivacy> {
      const requestedAt = deps.clock.now();
      if (await insertOnce(deletions(), { _id: customerId, requestedAt })) {
        await deps.outbox.record(EventName.CUSTOMER_DELETION_REQUESTED, customerId, { customerId, requestedAt: requestedAt.toISOString() });
      }
      return mine(customerId);
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
