import type { LedgerPage, PointsBalance } from '../../../shared/contracts/points';
import { apiRequest } from './client';

export const getMyPoints = () => apiRequest<PointsBalance>('GET', '/me/points');
export const getMyLedger = (beforeSeq?: number) => apiRequest<LedgerPage>('GET', `/me/points/ledger?limit=20${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}`);
export const setPersonalized = (personalized: boolean) => apiRequest<{ personalized: boolean }>('PUT', '/me/preferences', { personalized });
