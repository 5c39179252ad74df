import type { MyOffer } from '@shared/contracts/triggers';
import { call } from './client';

export type { MyOffer };

export const listMyOffers = () => call('listMyOffers').then((r) => r.items);
/** 不感兴趣: this offer's rule never again, or (hideAll) no event offers at all. */
export const dismissOffer = (id: string, hideAll: boolean) => call('dismissMyOffer', { params: { id }, body: { hideAll } });
