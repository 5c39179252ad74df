import Taro from '@tarojs/taro';
import type { TrackEvent, TrackResult } from '../../../shared/contracts/tracking';
import { ApiError, rawRequest } from './http';
import { currentAccessToken } from './session';
import { createTracker, uuidFrom } from '../tracking/tracker';

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
