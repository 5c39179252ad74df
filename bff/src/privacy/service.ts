import type { MyPrivacy } from '@shared/contracts/privacy';
import { EventName } from '@shared/events';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import type { Outbox } from '@/platform/outbox';
import type { JobBooks } from '@/platform/job-books';

type ConsentDoc = { _id: string; customerId: string; policyVersion: string; at: Date };
type DeletionDoc = { _id: string; requestedAt: Date };
/** A consent or deletion request in progress: `<kind>:<customer>`. */
type StepDoc = { _id: string; kind: 'consent' | 'deletion'; customerId: string; at: Date };

/**
 * Consent to the privacy policy (PIPL arts. 13-17) and requests to delete one's data.
 *
 * Consent to the version in force is one document, `<customer>|<version>`, so the gate every
 * customer request passes is a single lookup by `_id`. A deletion request is recorded (an
 * insert, the decision), told to the bank and withdraws that consent (a delete by `_id`); consent
 * is refused while the request stands, and a consent that raced a request is taken back. Each
 * of the two is marked before its steps, so the sweep finishes what a crash cut short. A new
 * policy version has no consents yet: every customer is asked again.
 */
export function createPrivacyService(deps: { db: Database; clock: Clock; outbox: Outbox; books: JobBooks; policyVersion: string }) {
  const consents = () => deps.db.collection<ConsentDoc>('privacy_consents');
  const deletions = () => deps.db.collection<DeletionDoc>('privacy_deletion_requests');
  // When each customer first agreed to any version: when they joined, as far as the bank may know them.
  const joined = () => deps.db.collection<{ _id: string; at: Date }>('privacy_first_consents');
  const steps = () => deps.db.collection<StepDoc>('privacy_steps');
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

  // A step begun is marked first and the marker deleted when every part is done, so the sweep finishes one a crash cut short.
  const begin = (kind: StepDoc['kind'], customerId: string, at: Date) => insertOnce(steps(), { _id: `${kind}:${customerId}`, kind, customerId, at });
  const done = (kind: StepDoc['kind'], customerId: string) => steps().deleteOne({ _id: `${kind}:${customerId}` });

  /** What follows a stored consent: when they joined, and the bank told of them (idempotent). */
  async function finishConsent(customerId: string, at: Date): Promise<void> {
    await insertOnce(joined(), { _id: customerId, at });
    // The bank hears of a customer once they have agreed, not at their first WeChat login
    // (the event's id is the customer's, so agreeing again, or to a later version, adds none).
    await deps.outbox.record(EventName.CUSTOMER_REGISTERED, customerId, { customerId, channel: 'wechat-miniprogram' });
    await done('consent', customerId);
  }

  /** A deletion request: recorded (the first time counts), told to the bank, consent withdrawn (each idempotent). */
  async function finishDeletion(customerId: string, at: Date): Promise<void> {
    await insertOnce(deletions(), { _id: customerId, requestedAt: at });
    const request = (await deletions().findOne({ _id: customerId }))!;
    await deps.outbox.record(EventName.CUSTOMER_DELETION_REQUESTED, customerId, { customerId, requestedAt: request.requestedAt.toISOString() });
    await withdraw(customerId);
    await done('deletion', customerId);
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
      await begin('consent', customerId, at);
      await insertOnce(consents(), { _id: consentId(customerId), customerId, policyVersion, at });
      // A deletion request that raced this consent wins: the consent is taken back.
      if (await deletions().findOne({ _id: customerId })) {
        await withdraw(customerId);
        await done('consent', customerId);
        throw new AppError('PRIVACY_DELETION_REQUESTED');
      }
      await finishConsent(customerId, at);
      return mine(customerId);
    },

    async requestDeletion(customerId: string): Promise<MyPrivacy> {
      await begin('deletion', customerId, deps.clock.now());
      await finishDeletion(customerId, deps.clock.now());
      return mine(customerId);
    },

    /** Consents and deletion requests a crash cut short, finished from their markers (as many as are in flight, not the history). */
    async recover() {
      return deps.books.each(
        'privacy.unfinished',
        await steps().find({}).limit(500).toArray(),
        (step) => step._id,
        async (step) => {
          if (step.kind === 'deletion') await finishDeletion(step.customerId, step.at);
          else if (await consents().findOne({ _id: consentId(step.customerId) })) await finishConsent(step.customerId, step.at);
          else await done('consent', step.customerId); // the consent itself was never stored: the customer is asked again
        },
      );
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
