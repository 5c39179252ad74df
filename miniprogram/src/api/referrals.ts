import Taro from '@tarojs/taro';
import type { ArrivalResult } from '@shared/contracts/referrals';
import { SCENE_PATTERN } from '@shared/scene-rules';
import { ApiError, call } from './client';
import { trackAfter, tracker } from './tracking';
import { deviceId } from './device';
import { getConsent } from '../privacy/consent';

const PENDING_KEY = 'bank.pendingScene';

type LaunchOptions = { query?: Record<string, string | undefined> };

/**
 * The share scene this launch came with: a mini-program code's `scene` (URL-encoded by WeChat),
 * or a shared card's or link's `scene` query (the URL's or the hash route's, in H5).
 */
function launchScene(options: LaunchOptions): string | null {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    const hashQuery = window.location.hash.split('?')[1] ?? '';
    return new URLSearchParams(window.location.search).get('scene') ?? new URLSearchParams(hashQuery).get('scene');
  }
  const raw = options.query?.scene;
  return raw ? decodeURIComponent(raw) : null;
}

let arrival: Promise<ArrivalResult | null> = Promise.resolve(null);

/**
 * Keeps the share scene this launch came with on the phone: it is sent only once the customer
 * has agreed to the privacy policy (`recordPendingArrival`), so the sharer is still credited.
 */
export function keepLaunchScene(options: LaunchOptions): void {
  const fromLaunch = launchScene(options);
  if (fromLaunch && SCENE_PATTERN.test(fromLaunch)) Taro.setStorageSync(PENDING_KEY, fromLaunch);
}

/**
 * Records the arrival through a share (after consent). Kept in storage until the BFF has
 * answered, so a failed try is repeated next launch; the BFF attributes it once. An answer is
 * final (an invite whose budget ran out is still 200, with its reward's state); so is a scene
 * the BFF does not know or refuses outright, which is let go rather than sent at every launch.
 */
export function recordPendingArrival(): Promise<ArrivalResult | null> {
  const scene = Taro.getStorageSync(PENDING_KEY) as string;
  if (!scene) return arrival;
  arrival = call('recordArrival', { body: { scene } }).then(
    (result) => {
      Taro.removeStorageSync(PENDING_KEY);
      // An arrival the BFF credited to a sharer: the invite's conversion on the invitee's side.
      if (result.attributed) tracker.track('invite', { page: 'pages/index/index', ...(result.activityId ? { activityId: result.activityId } : {}) });
      return result;
    },
    (err: unknown) => {
      if (err instanceof ApiError && (err.status === 400 || err.status === 404)) Taro.removeStorageSync(PENDING_KEY);
      throw err;
    },
  );
  return arrival;
}
/**
 * A page a share opens directly (a manager's content): its scene is kept like the launch's and
 * sent as soon as consent is confirmed, now if it already is (the launch's listener sends it on
 * a later consent). The BFF attributes it once, however often it is sent.
 */
export function arriveThrough(query: Record<string, string | undefined>): void {
  keepLaunchScene({ query });
  if (getConsent().status === 'granted' && getConsent().confirmed) recordPendingArrival().catch(() => undefined);
}

/** The arrival this launch is recording (a help waits for it: it tells the BFF how the friend came). */
export const launchArrival = () => arrival.catch(() => null);

export const createShare = (activityId?: string, channel: 'link' | 'timeline' = 'link') =>
  trackAfter('share', () => ({ ...(activityId ? { activityId } : {}), props: { channel } }), call('createMyShare', { body: { ...(activityId ? { activityId } : {}), channel } }));

export const startAssist = (activityId: string) => trackAfter('assist_start', () => ({ activityId }), call('startAssist', { params: { id: activityId } }));
export const getAssist = (id: string) => call('getAssist', { params: { id } });
export const helpAssist = (id: string) =>
  trackAfter('assist_help', (r) => ({ activityId: r.activityId }), call('helpAssist', { params: { id }, headers: { 'X-Device-Id': deviceId() } }));
