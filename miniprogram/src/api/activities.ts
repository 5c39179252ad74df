import type { CustomerActivity } from '../../../shared/contracts/activities';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export const listMyActivities = () => apiRequest<{ items: CustomerActivity[] }>('GET', '/activities').then((r) => r.items);
export const getActivity = (id: string) => apiRequest<CustomerActivity>('GET', `/activities/${encodeURIComponent(id)}`);
export const joinActivity = (id: string) =>
  trackAfter('join', () => ({ activityId: id }), apiRequest<{ joined: true; rewardId: string | null; duplicate: boolean }>('POST', `/activities/${encodeURIComponent(id)}/join`));
export const dismissActivity = (id: string, hideType: boolean) => apiRequest<void>('POST', `/activities/${encodeURIComponent(id)}/dismiss`, { hideType });
