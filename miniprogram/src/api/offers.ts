import type { MyOffer } from '../../../shared/contracts/triggers';
import { apiRequest } from './client';

export type { MyOffer };

export const listMyOffers = () => apiRequest<{ items: MyOffer[] }>('GET', '/me/offers').then((r) => r.items);
/** 不感兴趣: this offer's rule never again, or (hideAll) no event offers at all. */
export const dismissOffer = (id: string, hideAll: boolean) => apiRequest<void>('POST', `/me/offers/${encodeURIComponent(id)}/dismiss`, { hideAll });
