import Taro from '@tarojs/taro';
import { useSyncExternalStore } from 'react';
import type { MyPrivacy } from '@shared/contracts/privacy';
import { PRIVACY_POLICY_VERSION } from '@shared/privacy';

/**
 * The customer's consent to the bank's privacy policy (PIPL arts. 13, 14, 24), one state for the
 * whole mini-program: every page's gate (components/privacy-gate), the API client, the tracker
 * and the launch's referral steps read it here.
 *
 * - `unknown`: not yet asked of the BFF (and no hint on this phone);
 * - `required`: the BFF says not consented to the policy in force: the sheet asks;
 * - `declined`: the customer chose 不同意: browse-only, a banner offers to agree later;
 * - `granted`: consented to this version (the BFF said so, or this phone's hint until it answers);
 * - `deletion`: the customer asked for their data to be deleted: browse-only, nothing to agree to.
 *
 * The BFF decides; the phone's copy is only a hint. A hint of another version, or the BFF saying
 * otherwise, means asking again.
 */
type ConsentStatus = 'unknown' | 'required' | 'declined' | 'granted' | 'deletion';
export type ConsentState = {
  status: ConsentStatus;
  /** The BFF has answered in this launch (else `granted` rests on this phone's hint). */
  confirmed: boolean;
  /** The sheet is asked for (a tap on an action, the banner's button). */
  asked: boolean;
};

/** The policy version this phone last saw the customer agree to (a hint only). */
const CONSENT_KEY = 'bank.privacyConsent';
/** When the customer chose 不同意, and to which version: not asked again unprompted for a while. */
const DECLINED_KEY = 'bank.privacyDeclined';
/** After 不同意, the sheet is not pushed at the customer again unprompted for this long (they can agree any time). */
const QUIET_AFTER_DECLINE_MS = 48 * 60 * 60 * 1000;

function read<T>(key: string): T | null {
  try {
    return (Taro.getStorageSync(key) as T) || null;
  } catch {
    return null;
  }
}

function declinedRecently(): boolean {
  const declined = read<{ version: string; at: number }>(DECLINED_KEY);
  return !!declined && declined.version === PRIVACY_POLICY_VERSION && Date.now() - declined.at < QUIET_AFTER_DECLINE_MS;
}

let state: ConsentState = { status: read<string>(CONSENT_KEY) === PRIVACY_POLICY_VERSION ? 'granted' : 'unknown', confirmed: false, asked: false };
const listeners = new Set<() => void>();

function set(next: Partial<ConsentState>): void {
  const merged = { ...state, ...next };
  if (merged.status === state.status && merged.asked === state.asked && merged.confirmed === state.confirmed) return;
  state = merged;
  for (const l of [...listeners]) l();
}

export const getConsent = (): ConsentState => state;
export const consentGranted = (): boolean => state.status === 'granted';

export function subscribeConsent(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The consent state in a component: re-rendered when it changes. */
export function useConsent(): ConsentState {
  return useSyncExternalStore(subscribeConsent, getConsent, getConsent);
}

/**
 * Calls `listener` each time the BFF confirms consent (with `now`, also at once if it already
 * has): what waited for it (a shared invite, a share's scene) is sent. A hint on the phone is not enough.
 */
export function onConsentConfirmed(listener: () => void, options: { now?: boolean } = {}): () => void {
  const confirmed = () => state.status === 'granted' && state.confirmed;
  let was = options.now ? false : confirmed();
  const check = () => {
    const is = confirmed();
    if (is && !was) listener();
    was = is;
  };
  check();
  return subscribeConsent(check);
}

/** Calls `listener` when the customer, asked, agrees: pages refused for want of consent load again. */
export function onConsentGiven(listener: () => void): () => void {
  let was = state.status;
  return subscribeConsent(() => {
    const is = state.status;
    if (is === 'granted' && (was === 'required' || was === 'declined')) listener();
    was = is;
  });
}

/** What the BFF says (`GET /me/privacy`, or the answer to a consent or a deletion request). */
export function applyServerPrivacy(mine: MyPrivacy): void {
  if (mine.deletionRequest) {
    Taro.removeStorageSync(CONSENT_KEY);
    set({ status: 'deletion', confirmed: true, asked: false });
  } else if (mine.consentedAt) {
    Taro.setStorageSync(CONSENT_KEY, PRIVACY_POLICY_VERSION);
    Taro.removeStorageSync(DECLINED_KEY);
    set({ status: 'granted', confirmed: true, asked: false });
  } else {
    Taro.removeStorageSync(CONSENT_KEY);
    // Already browsing after 不同意 in this launch: stay so. Declined lately: not pushed again unprompted.
    set({ status: state.status === 'declined' || declinedRecently() ? 'declined' : 'required', confirmed: true });
  }
}

/** The BFF refused a call for want of consent (or after a deletion request): the phone's hint was wrong. */
export function consentRefused(code: 'PRIVACY_CONSENT_REQUIRED' | 'PRIVACY_DELETION_REQUESTED'): void {
  if (code === 'PRIVACY_DELETION_REQUESTED')
    return applyServerPrivacy({ policyVersion: PRIVACY_POLICY_VERSION, consentedAt: null, deletionRequest: { requestedAt: new Date().toISOString(), status: 'received' } });
  if (state.status === 'granted' || state.status === 'unknown') applyServerPrivacy({ policyVersion: PRIVACY_POLICY_VERSION, consentedAt: null, deletionRequest: null });
}

/** 不同意: browse-only until the customer chooses otherwise. */
export function declineConsent(): void {
  Taro.setStorageSync(DECLINED_KEY, { version: PRIVACY_POLICY_VERSION, at: Date.now() });
  set({ status: 'declined', asked: false });
}

/**
 * Opens the sheet (an action that needs consent was tapped, or the banner's 同意隐私政策).
 * Returns whether consent is already there, so a caller can go ahead at once.
 */
export function requestConsent(): boolean {
  if (state.status === 'granted') return true;
  if (state.status === 'deletion') {
    void Taro.showToast({ title: '您已申请删除个人信息，相关服务已停止', icon: 'none', duration: 2500 });
    return false;
  }
  set({ asked: true });
  return false;
}

/** 退出登录: the next customer of this phone is asked the BFF afresh. */
export function forgetConsent(): void {
  Taro.removeStorageSync(CONSENT_KEY);
  Taro.removeStorageSync(DECLINED_KEY);
  set({ status: 'unknown', confirmed: false, asked: false });
}

/** The sheet closed without a choice (WeChat's own privacy request answered elsewhere). */
export const dismissConsentSheet = (): void => set({ asked: false });

/** Whether the sheet shows on the page now. */
export const sheetWanted = (s: ConsentState): boolean => s.status === 'required' || (s.asked && s.status !== 'granted' && s.status !== 'deletion');

// One answer from the BFF at a time, however many callers wait for it.
let loading: Promise<void> | null = null;

/** Asks the BFF (`load` is `GET /me/privacy` as the signed-in customer); callers wait for one answer. */
export function loadConsent(load: () => Promise<MyPrivacy>): Promise<void> {
  loading ??= load()
    .then(applyServerPrivacy)
    .finally(() => {
      loading = null;
    });
  return loading;
}
