import { call } from './client';
import { trackAfter } from './tracking';

export const listMyActivities = () => call('listMyActivities').then((r) => r.items);
export const getActivity = (id: string) => call('getMyActivity', { params: { id } });
export const joinActivity = (id: string) => trackAfter('join', () => ({ activityId: id }), call('joinActivity', { params: { id } }));
export const dismissActivity = (id: string, hideType: boolean) => call('dismissActivity', { params: { id }, body: { hideType } });
