import { call } from './client';
import { trackAfter } from './tracking';

export const getMyDraw = (id: string) => call('getMyDraw', { params: { id } });
/** One draw; a retry of the same tap sends the same key and gets the same outcome. */
export const drawOnce = (id: string, key: string) =>
  trackAfter('draw', (r) => ({ activityId: id, props: { won: r.won } }), call('drawOnce', { params: { id }, headers: { 'Idempotency-Key': key } }));
export const buyDrawChance = (id: string, key: string) => call('buyDrawChance', { params: { id }, headers: { 'Idempotency-Key': key } });
export const getMyDrawPrizes = (before?: number) => call('listMyDrawPrizes', { query: { before } });
export const claimDrawPrize = (drawId: string, addressId: string) => call('claimMyDrawPrize', { params: { drawId }, body: { addressId } });
