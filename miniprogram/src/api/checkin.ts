import type { CheckinCalendar, CheckinResult } from '../../../shared/contracts/checkin';
import { apiRequest } from './client';
import { trackAfter } from './tracking';

export const getCheckinCalendar = (month?: string) => apiRequest<CheckinCalendar>('GET', month ? `/me/checkins?month=${month}` : '/me/checkins');
export const checkIn = () => trackAfter('checkin', () => ({}), apiRequest<CheckinResult>('POST', '/me/checkins'));
export const makeUpCheckin = (day: string) => apiRequest<CheckinResult>('POST', '/me/checkins/makeup', { day });
