import { clientOf, type WireRequest } from '@shared/api/wire';
import { CUSTOMER_OPERATIONS } from '@shared/api/customer-operations';
import { ensureSession, renewSession } from './session';
import { ApiError, send } from './http';
import { browsableBeforeConsent } from '@shared/privacy';
import { consentRefused, getConsent, loadConsent } from '../privacy/consent';

export { ApiError };

const RENEWABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']);

/** One call as the signed-in customer; on an expired token it renews once and retries. */
async function signedIn(request: WireRequest): Promise<unknown> {
  const session = await ensureSession();
  try {
    return await send(request, session.accessToken);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !RENEWABLE.has(err.code)) throw err;
    const renewed = await renewSession();
    return send(request, renewed.accessToken);
  }
}

/** Asks the BFF whether the customer has agreed to the policy in force (and keeps the answer in the consent store); this question itself needs no consent. */
export const refreshConsent = (): Promise<void> => loadConsent(() => clientOf(CUSTOMER_OPERATIONS, signedIn)('getMyPrivacy'));

/** A refusal made here, as the BFF would answer, for a call that needs consent the customer has not given. */
export const consentRequiredError = (): ApiError => new ApiError(getConsent().status === 'deletion' ? 'PRIVACY_DELETION_REQUESTED' : 'PRIVACY_CONSENT_REQUIRED', 403);

/**
 * Calls the BFF as the signed-in customer. Before consent only the browse routes go out: any
 * other call waits for the BFF's answer on consent, and without consent is refused here as the
 * BFF would refuse it (PRIVACY_CONSENT_REQUIRED), so nothing personal leaves the phone first.
 * A refusal from the BFF itself corrects the phone's hint (the sheet asks again).
 */
async function customerRequest(request: WireRequest): Promise<unknown> {
  if (!browsableBeforeConsent(request.method, request.path)) {
    if (getConsent().status === 'unknown') await refreshConsent();
    if (getConsent().status !== 'granted') throw consentRequiredError();
  }
  try {
    return await signedIn(request);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403 && (err.code === 'PRIVACY_CONSENT_REQUIRED' || err.code === 'PRIVACY_DELETION_REQUESTED')) consentRefused(err.code);
    throw err;
  }
}

/** The customer's client of the API, by operationId: `call('getMallItem', { params: { id } })`. */
export const call = clientOf(CUSTOMER_OPERATIONS, customerRequest);

/** Calls a public operation without waiting for sign-in (nothing of the customer goes with it). */
export const callPublic = clientOf(CUSTOMER_OPERATIONS, (request) => send(request));

/** Whether a failure is a refusal for want of consent (or after a deletion request): said as such, never as 加载失败. */
export const isConsentRefusal = (err: unknown): boolean => err instanceof ApiError && (err.code === 'PRIVACY_CONSENT_REQUIRED' || err.code === 'PRIVACY_DELETION_REQUESTED');
