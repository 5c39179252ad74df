import dayjs from 'dayjs';
import { periodKindOf, PERIOD_KEY } from '@shared/contracts/programme';
import { AppError } from '@/platform/errors';
import { BANK_TZ, inBankTime } from '@/platform/time';

/** A month or a quarter in Beijing time: [start, end), and the months it holds ('2026-12'). */
export type PeriodRange = { kind: 'month' | 'quarter'; key: string; start: Date; end: Date; months: string[] };

/** The Beijing month of a moment: '2026-12'. */
export const bankMonth = (d: Date): string => inBankTime(d).format('YYYY-MM');

export function periodRange(key: string): PeriodRange {
  if (!PERIOD_KEY.test(key)) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'period', message: '周期须为 2026-12 或 2026-Q4 的形式' }] });
  const kind = periodKindOf(key);
  const year = Number(key.slice(0, 4));
  const firstMonth = kind === 'quarter' ? (Number(key.slice(6)) - 1) * 3 + 1 : Number(key.slice(5));
  const count = kind === 'quarter' ? 3 : 1;
  const start = dayjs.tz(`${year}-${String(firstMonth).padStart(2, '0')}-01 00:00:00`, BANK_TZ);
  const months = Array.from({ length: count }, (_, i) => start.add(i, 'month').format('YYYY-MM'));
  return { kind, key, start: start.toDate(), end: start.add(count, 'month').toDate(), months };
}

/** The month and the quarter holding `now`, in Beijing time. */
export function currentPeriods(now: Date): { month: string; quarter: string } {
  const t = inBankTime(now);
  return { month: t.format('YYYY-MM'), quarter: `${t.year()}-Q${Math.floor(t.month() / 3) + 1}` };
}

export const periodView = (p: PeriodRange) => ({ kind: p.kind, key: p.key, start: p.start.toISOString(), end: p.end.toISOString() });
