import { call } from './client';

export const getMyPrizes = (before?: number) => call('listMyPrizes', { query: { before } });
