import Taro from '@tarojs/taro';
import type { TrackEvent, TrackEventType, TrackResult, TrackingConfig } from '../../../shared/contracts/tracking';
import { ApiError, rawRequest } from './http';
import { currentAccessToken } from './session';
import { currentPage } from '../tracking/page';
import { createTracker, uuidFrom } from '../tracking/tracker';
import { apiRequest } from './client';

const QUEUE_KEY = 'bank.trackQueue';

/** The app's one tracker: its queue in storage, its batches to `POST /events` as the signed-in customer. */
export const tracker = createTracker({
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
      return await rawRequest<TrackResult>('POST', '/events', { events }, token);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      throw { status: status === 401 ? 0 : status };
    }
  },
});

/** Participation, recorded once the BFF has confirmed it: the feature's call, passed through. */
export function trackAfter<T>(type: TrackEventType, fields: (result: T) => Omit<Parameters<typeof tracker.track>[1], 'page'>, call: Promise<T>): Promise<T> {
  return call.then((result) => {
    tracker.track(type, { page: currentPage() || 'pages/index/index', ...fields(result) });
    return result;
  });
}

/** Sampling rates from the BFF, applied from the next event on; without them every event is kept. */
export async function loadTrackingConfig(): Promise<void> {
  const config = await apiRequest<TrackingConfig>('GET', '/tracking/config').catch(() => null);
  if (config) tracker.setSampling(config.sampling);
}
