import Taro from '@tarojs/taro';
import { ApiError, isConsentRefusal } from '../api/client';
import { requestConsent } from '../privacy/consent';

/**
 * An action refused for want of consent to the privacy policy opens the consent sheet (after a
 * deletion request, says why): never an error toast with a request number. Returns whether it was one.
 */
export function askConsentIfRefused(err: unknown): boolean {
  if (!isConsentRefusal(err)) return false;
  requestConsent();
  return true;
}

/** Shows an API failure the way a customer should read it; an unexpected one with the request's number for customer service. */
export function toastError(err: unknown): void {
  if (askConsentIfRefused(err)) return;
  const ref = err instanceof ApiError && err.unexpected && err.requestId ? `（编号 ${err.requestId.slice(0, 8)}）` : '';
  Taro.showToast({ title: err instanceof ApiError ? `${err.message}${ref}` : '操作失败，请稍后再试', icon: 'none', duration: 2500 });
}
