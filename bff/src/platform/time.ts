import dayjs from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(isoWeek);

/** Business days, expiry dates and caps are all reckoned in the bank's time zone. */
export const BANK_TZ = 'Asia/Shanghai';

export const inBankTime = (d: Date) => dayjs(d).tz(BANK_TZ);

/** The calendar day in Asia/Shanghai, e.g. 2026-11-24. */
export const bankDay = (d: Date): string => inBankTime(d).format('YYYY-MM-DD');

/** A moment as a person in the bank reads it, e.g. 2026-11-24 09:30:05 (Beijing time). */
export const bankTime = (d: Date): string => inBankTime(d).format('YYYY-MM-DD HH:mm:ss');

/** Points earned now expire at the end of the next calendar year, Asia/Shanghai time. */
export const endOfNextYear = (d: Date): Date => inBankTime(d).add(1, 'year').endOf('year').toDate();

/** The last instant of this day in Asia/Shanghai. */
export const endOfBankDay = (d: Date): Date => inBankTime(d).endOf('day').toDate();

/** The ISO week (Monday to Sunday, Asia/Shanghai) `offset` weeks from the one holding `d`: id like 2026-W49. */
export function bankWeek(d: Date, offset = 0): { id: string; start: Date; end: Date } {
  const start = inBankTime(d).add(offset, 'week').startOf('isoWeek');
  return { id: `${start.isoWeekYear()}-W${String(start.isoWeek()).padStart(2, '0')}`, start: start.toDate(), end: start.endOf('isoWeek').toDate() };
}
