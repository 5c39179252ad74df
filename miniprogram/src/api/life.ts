import type { CobrandCoupon, MyCoupon } from '@shared/contracts/coupons';
import type { LifeHome, LifeService, ServiceTarget } from '@shared/contracts/life';
import type { Livestream } from '@shared/contracts/livestreams';
import { call } from './client';
import { trackAfter } from './tracking';

export type { CobrandCoupon, LifeHome, LifeService, Livestream, MyCoupon, ServiceTarget };

export const getLifeHome = () => call('getLifeHome');
/** One service as the BFF gives it to me now: the web-view page takes its address from here, by id. */
export const getLifeService = (id: string) => call('viewLifeService', { params: { id } });
/** Asks the BFF before opening: it says where (and refuses a service closed or no longer allowed). */
export const openLifeService = (id: string) => trackAfter('service_open', () => ({ itemId: id }), call('openLifeService', { params: { id } }));

export const listCoupons = () => call('browseCobrandCoupons').then((r) => r.items);
export const getCoupon = (id: string) => call('viewCobrandCoupon', { params: { id } });
export const claimCoupon = (id: string, key: string) =>
  trackAfter('coupon_claim', () => ({ itemId: id }), call('claimCobrandCoupon', { params: { id }, headers: { 'Idempotency-Key': key } }));
export const listMyCoupons = () => call('listMyCoupons').then((r) => r.items);

export const listLivestreams = () => call('browseLivestreams').then((r) => r.items);
export const getLivestream = (id: string) => call('viewLivestream', { params: { id } });
export const reserveLivestream = (id: string, subscribed: boolean) =>
  trackAfter('live_reserve', () => ({ itemId: id, props: { subscribed } }), call('reserveLivestream', { params: { id }, body: { subscribed } }));
export const cancelReservation = (id: string) => call('cancelLivestreamReservation', { params: { id } });
export const enterLivestream = (id: string) => trackAfter('live_enter', () => ({ itemId: id }), call('enterLivestream', { params: { id }, body: {} }));
