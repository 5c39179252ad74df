import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The bank's time zone: every time staff read or type is Beijing time, whatever the browser's. */
export const BANK_TZ = 'Asia/Shanghai';

/** A moment as staff read it: 2026年12月6日 14:30 (Beijing time). */
export const beijingTime = (iso: string | null | undefined): string => (iso ? dayjs(iso).tz(BANK_TZ).format('YYYY年M月D日 HH:mm') : '—');

/** An ISO 8601 moment with its offset, as the contracts carry times. */
export const isIsoMoment = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v);

export { dayjs };
