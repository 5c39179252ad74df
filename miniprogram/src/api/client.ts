import type { MyPrivacy } from '../../../shared/contracts/privacy';
import { ensureSession, renewSession } from './session';
import { ApiError, rawRequest } from './http';
import { browsableBeforeConsent } from '../../../shared/privacy';
import { consentRefused, getConsent, loadConsent } from '../privacy/consent';

export { ApiError };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const RENEWABLE = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']);

/** One call as the signed-in customer; on an expired token it renews once and retries. */
async function signedIn<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const session = await ensureSession();
  try {
    return await rawRequest<T>(method, path, body, session.accessToken, headers);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401 || !RENEWABLE.has(err.code)) throw err;
    const renewed = await renewSession();
    return rawRequest<T>(method, path, body, renewed.accessToken, headers);
  }
}

/** Asks the BFF whether the customer has agreed to the policy in force (and keeps the answer in the consent store). */
export const refreshConsent = (): Promise<void> => loadConsent(() => signedIn<MyPrivacy>('GET', '/me/privacy'));

/** A refusal made here, as the BFF would answer, for a call that needs consent the customer has not given. */
export const consentRequiredError = (): ApiError => new ApiError(getConsent().status === 'deletion' ? 'PRIVACY_DELETION_REQUESTED' : 'PRIVACY_CONSENT_REQUIRED', 403);

/**
 * Calls the BFF as the signed-in customer. Before consent only the browse routes go out: any
 * other call waits for the BFF's answer on consent, and without consent is refused here as the
 * BFF would refuse it (PRIVACY_CONSENT_REQUIRED), so nothing personal leaves the phone first.
 * A refusal from the BFF itself corrects the phone's hint (the sheet asks again).
 */
export async function apiRequest<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  if (!browsableBeforeConsent(method, path)) {
    if (getConsent().status === 'unknown') await refreshConsent();
    if (getConsent().status !== 'granted') throw consentRequiredError();
  }
  try {
    return await signedIn<T>(method, path, body, headers);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403 && (err.code === 'PRIVACY_CONSENT_REQUIRED' || err.code === 'PRIVACY_DELETION_REQUESTED')) consentRefused(err.code);
    throw err;
  }
}

/** Whether a failure is a refusal for want of consent (or after a deletion request): said as such, never as 加载失败. */
export const isConsentRefusal = (err: unknown): boolean => err instanceof ApiError && (err.code === 'PRIVACY_CONSENT_REQUIRED' || err.code === 'PRIVACY_DELETION_REQUESTED');
