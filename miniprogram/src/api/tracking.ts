import Taro from '@tarojs/taro';
import type { TrackEvent, TrackEventType } from '@shared/contracts/tracking';
import { ApiError, callWith } from './http';
import { currentAccessToken } from './session';
import { currentPage } from '../tracking/page';
import { createTracker, DEFAULT_OPTIONS, uuidFrom, type TrackerMode } from '../tracking/tracker';
import { call, isConsentRefusal } from './client';
import { consentRefused, getConsent, subscribeConsent } from '../privacy/consent';

const QUEUE_KEY = 'bank.trackQueue';

/**
 * The app's one tracker: its queue in storage, its batches to `POST /events` as the signed-in
 * customer, once they have agreed to the privacy policy. Until then events wait in memory only
 * (never stored, never sent); 不同意 drops them.
 */
export const tracker = createTracker(
  {
    load: () => (Taro.getStorageSync(QUEUE_KEY) as TrackEvent[]) || null,
    save: (queue) => Taro.setStorageSync(QUEUE_KEY, queue),
    now: () => Date.now(),
    newId: () => uuidFrom(Math.random),
    random: Math.random,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    // With the session as it stands: no token yet, or one the BFF refuses, is tried again later (the pages renew it).
    async send(events) {
      const token = currentAccessToken();
      if (!token) throw { status: 0 };
      try {
        return await callWith(token)('trackEvents', { body: { events } });
      } catch (err) {
        // Refused for want of consent: the phone's hint was wrong; the sheet asks again (the batch is dropped).
        if (isConsentRefusal(err)) consentRefused((err as ApiError).code as 'PRIVACY_CONSENT_REQUIRED' | 'PRIVACY_DELETION_REQUESTED');
        const status = err instanceof ApiError ? err.status : 0;
        throw { status: status === 401 ? 0 : status };
      }
    },
  },
  DEFAULT_OPTIONS,
  'held',
);

/** Sent once the BFF has confirmed consent (a hint on the phone only holds them); dropped on 不同意. */
function trackerMode(): TrackerMode {
  const { status, confirmed } = getConsent();
  if (status === 'declined' || status === 'deletion') return 'off';
  return status === 'granted' && confirmed ? 'on' : 'held';
}

/** Keeps the tracker in step with the customer's consent, from launch on. */
export function bindTrackerToConsent(): () => void {
  const follow = () => tracker.setMode(trackerMode());
  follow();
  return subscribeConsent(follow);
}

/** Participation, recorded once the BFF has confirmed it: the feature's call, passed through. */
export function trackAfter<T>(type: TrackEventType, fields: (result: T) => Omit<Parameters<typeof tracker.track>[1], 'page'>, call: Promise<T>): Promise<T> {
  return call.then((result) => {
    tracker.track(type, { page: currentPage() || 'pages/index/index', ...fields(result) });
    return result;
  });
}

/** Sampling rates from the BFF, applied from the next event on; without them every event is kept. */
export async function loadTrackingConfig(): Promise<void> {
  const config = await call('getTrackingConfig').catch(() => null);
  if (config) tracker.setSampling(config.sampling);
}
