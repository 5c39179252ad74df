import { call, callPublic } from './client';
import { trackAfter } from './tracking';

/** 首页推荐: at most the day's cap of activities. */
export const listMyActivities = () => call('listMyActivities').then((r) => r.items);
/** 首页 while signing in on a first visit: live activities for everyone, asked without a session. */
export const listPublicActivities = () => callPublic('listPublicActivities').then((r) => r.items);
/** 全部活动: every activity open to the customer. */
export const listAllMyActivities = () => call('listMyActivities', { query: { view: 'all' } }).then((r) => r.items);
export const getActivity = (id: string) => call('getMyActivity', { params: { id } });
export const joinActivity = (id: string) => trackAfter('join', () => ({ activityId: id }), call('joinActivity', { params: { id } }));
export const dismissActivity = (id: string, hideType: boolean) => call('dismissActivity', { params: { id }, body: { hideType } });
