import Taro from '@tarojs/taro';
import type { TrackEvent, TrackResult } from '../../../shared/contracts/tracking';
import { ApiError, apiRequest } from './client';
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
  async send(events) {
    try {
      return await apiRequest<TrackResult>('POST', '/events', { events });
    } catch (err) {
      throw { status: err instanceof ApiError ? err.status : 0 };
    }
  },
});
