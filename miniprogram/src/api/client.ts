import { clientOf, type WireRequest } from '@shared/api/wire';
import { CUSTOMER_OPERATIONS } from '@shared/api/customer-operations';
import { ensureSession, renewSession } from './session';
import { ApiError, send } from './http';
import { browsableBeforeConsent } from '@shared/privacy';
import { consentRefused, getConsent, loadConsent } from '../privacy/consent';
import { serverChanged } from '../utils/api-cache';

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
 * Writes after which no page loads again: sign-in and its renewal (a new customer is told apart,
 * see api-cache), consent (pages load again on it, see useApi), what is only recorded, and
 * `startAssist`, with which the assist page loads itself (it answers with the customer's one
 * assist of the activity, started the first time): a reload it caused would start it again.
 */
const CHANGES_NOTHING_SHOWN = new Set<string>([
  'loginWithWechat',
  'refreshSession',
  'logout',
  'loginStaff',
  'consentToPrivacyPolicy',
  'trackEvents',
  'recordArrival',
  'createMyShare',
  'startAssist',
]);

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
  } finally {
    // One rule for every page: after a write (even a refused one: a failed redemption gives points back), what each shows
    // is read again, so no balance, count or button is left as it was before.
    if (request.method !== 'get' && !CHANGES_NOTHING_SHOWN.has(request.operationId)) serverChanged();
  }
}

/** The customer's client of the API, by operationId: `call('getMallItem', { params: { id } })`. */
export const call = clientOf(CUSTOMER_OPERATIONS, customerRequest);

/** Calls a public operation without waiting for sign-in (nothing of the customer goes with it). */
export const callPublic = clientOf(CUSTOMER_OPERATIONS, (request) => send(request));

/** Whether a failure is a refusal for want of consent (or after a deletion request): said as such, never as 加载失败. */
export const isConsentRefusal = (err: unknown): boolean => err instanceof ApiError && (err.code === 'PRIVACY_CONSENT_REQUIRED' || err.code === 'PRIVACY_DELETION_REQUESTED');
