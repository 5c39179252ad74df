import type { CobrandCoupon, MyCoupon } from '../../../shared/contracts/coupons';
import type { LifeHome, LifeService, ServiceTarget } from '../../../shared/contracts/life';
import type { Livestream } from '../../../shared/contracts/livestreams';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export type { CobrandCoupon, LifeHome, LifeService, Livestream, MyCoupon, ServiceTarget };

export const getLifeHome = () => apiRequest<LifeHome>('GET', '/life');
/** One service as the BFF gives it to me now: the web-view page takes its address from here, by id. */
export const getLifeService = (id: string) => apiRequest<LifeService>('GET', `/life/services/${encodeURIComponent(id)}`);
/** Asks the BFF before opening: it says where (and refuses a service closed or no longer allowed). */
export const openLifeService = (id: string) =>
  trackAfter('service_open', () => ({ itemId: id }), apiRequest<{ target: ServiceTarget; firstUse: boolean }>('POST', `/life/services/${encodeURIComponent(id)}/open`));

export const listCoupons = () => apiRequest<{ items: CobrandCoupon[] }>('GET', '/coupons').then((r) => r.items);
export const getCoupon = (id: string) => apiRequest<CobrandCoupon>('GET', `/coupons/${encodeURIComponent(id)}`);
export const claimCoupon = (id: string, key: string) =>
  trackAfter('coupon_claim', () => ({ itemId: id }), apiRequest<MyCoupon>('POST', `/coupons/${encodeURIComponent(id)}/claims`, undefined, { 'Idempotency-Key': key }));
export const listMyCoupons = () => apiRequest<{ items: MyCoupon[] }>('GET', '/me/coupons').then((r) => r.items);

export const listLivestreams = () => apiRequest<{ items: Livestream[] }>('GET', '/livestreams').then((r) => r.items);
export const getLivestream = (id: string) => apiRequest<Livestream>('GET', `/livestreams/${encodeURIComponent(id)}`);
export const reserveLivestream = (id: string, subscribed: boolean) =>
  trackAfter('live_reserve', () => ({ itemId: id, props: { subscribed } }), apiRequest<Livestream>('PUT', `/livestreams/${encodeURIComponent(id)}/reservation`, { subscribed }));
export const cancelReservation = (id: string) => apiRequest<Livestream>('DELETE', `/livestreams/${encodeURIComponent(id)}/reservation`);
export const enterLivestream = (id: string) =>
  trackAfter('live_enter', () => ({ itemId: id }), apiRequest<{ state: Livestream['state']; taskPaid: boolean }>('POST', `/livestreams/${encodeURIComponent(id)}/entries`, {}));
