import type { LedgerPage, PointsBalance } from '../../../shared/contracts/points';
import { apiRequest } from './client';

export const getMyPoints = () => apiRequest<PointsBalance>('GET', '/me/points');
export type LedgerDirection = 'in' | 'out';
export const getMyLedger = (beforeSeq?: number, direction?: LedgerDirection) =>
  apiRequest<LedgerPage>('GET', `/me/points/ledger?limit=20${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}${direction ? `&direction=${direction}` : ''}`);
export const setPersonalized = (personalized: boolean) => apiRequest<{ personalized: boolean }>('PUT', '/me/preferences', { personalized });
