import Taro from '@tarojs/taro';

type Resolve = (result: { buttonId?: string; event: 'agree' | 'disagree' }) => void;

/**
 * WeChat asks the app, before a privacy API (getPhoneNumber, chooseAddress …), to show its own
 * consent popup and resolve the request (`__usePrivacyCheck__`). The pending request waits here
 * for the popup on whatever page is showing.
 */
let pending: Resolve | null = null;
const listeners = new Set<() => void>();
const changed = () => {
  for (const l of [...listeners]) l();
};

export function listenForPrivacyAuthorization(): void {
  if (process.env.TARO_ENV !== 'weapp' || !Taro.onNeedPrivacyAuthorization) return;
  Taro.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve as Resolve;
    changed();
  });
}

/** Called when WeChat starts asking, and when the request is answered (on whichever page). */
export const onAuthorizationNeeded = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

export const authorizationPending = () => pending !== null;

export function settleAuthorization(event: 'agree' | 'disagree'): void {
  if (!pending) return;
  pending({ buttonId: 'privacy-agree', event });
  pending = null;
  changed();
}
