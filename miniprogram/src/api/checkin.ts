import { call } from './client';
import { trackAfter } from './tracking';

export const getCheckinCalendar = (month?: string) => call('getCheckinCalendar', { query: { month } });
export const checkIn = () => trackAfter('checkin', () => ({}), call('checkIn'));
export const makeUpCheckin = (day: string) => call('makeUpCheckin', { body: { day } });
