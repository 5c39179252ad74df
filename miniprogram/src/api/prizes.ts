import type { MyPrizePage } from '../../../shared/contracts/rewards';
import { apiRequest } from './client';

export const getMyPrizes = (before?: number) => apiRequest<MyPrizePage>('GET', `/me/prizes${before ? `?before=${before}` : ''}`);
