import type { DrawOutcome, MyDraw, MyDrawPrize } from '../../../shared/contracts/draws';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export const getMyDraw = (id: string) => apiRequest<MyDraw>('GET', `/activities/${encodeURIComponent(id)}/draw`);
/** One draw; a retry of the same tap sends the same key and gets the same outcome. */
export const drawOnce = (id: string, key: string) =>
  trackAfter('draw', (r) => ({ activityId: id, props: { won: r.won } }), apiRequest<DrawOutcome>('POST', `/activities/${encodeURIComponent(id)}/draw/draws`, undefined, { 'Idempotency-Key': key }));
export const buyDrawChance = (id: string, key: string) =>
  apiRequest<{ chances: number; pointsSpent: number; balance: number }>('POST', `/activities/${encodeURIComponent(id)}/draw/chances`, undefined, { 'Idempotency-Key': key });
export const getMyDrawPrizes = (before?: number) => apiRequest<{ items: MyDrawPrize[]; nextBefore: number | null }>('GET', `/me/draw-prizes${before ? `?before=${before}` : ''}`);
export const claimDrawPrize = (drawId: string, addressId: string) => apiRequest<MyDrawPrize>('POST', `/me/draw-prizes/${encodeURIComponent(drawId)}/claim`, { addressId });
