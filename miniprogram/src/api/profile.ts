import type { CustomerProfile } from '../../../shared/contracts/profile';
import { apiRequest } from './client';

export const getMyProfile = () => apiRequest<CustomerProfile>('GET', '/me');
