import { call } from './client';

export const getMyPoints = () => call('getMyPoints');
export type LedgerDirection = 'in' | 'out';
export const getMyLedger = (beforeSeq?: number, direction?: LedgerDirection) => call('getMyPointsLedger', { query: { limit: 20, beforeSeq, direction } });
export const setPersonalized = (personalized: boolean) => call('setMyPreferences', { body: { personalized } });
