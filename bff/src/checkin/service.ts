import type { CheckinCalendar, CheckinResult } from '../../../shared/contracts/checkin';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { createStreamStore } from '../platform/stream';
import { bankDay, inBankTime } from '../platform/time';
import type { PointsLedger } from '../points/ledger';

/** A check-in; it carries the days checked in over the last two months, from which streaks are counted. */
type Checkin = { day: string; streak: number; points: number; makeup: boolean; recent: { day: string; makeup: boolean; points: number }[] };

const KEEP_DAYS = 62;

const shiftDay = (day: string, by: number) => inBankTime(new Date(`${day}T12:00:00+08:00`)).add(by, 'day').format('YYYY-MM-DD');

/** Consecutive checked-in days ending at `day`. */
function streakEndingAt(days: Set<string>, day: string): number {
  let n = 0;
  while (days.has(shiftDay(day, -n))) n += 1;
  return n;
}

/**
 * Daily check-in (签到). Each customer's check-ins are a stream; an entry's key is the customer
 * and the calendar day in Asia/Shanghai, so a day is checked in — and paid — once, whatever the
 * retries and concurrency. The schedule says what day N of a streak pays, and repeats. A missed
 * day breaks the streak unless it is made up (补签): a few times a month, for a points price.
 */
export function createCheckinService(deps: { db: Database; clock: Clock; points: PointsLedger; schedule: number[]; makeup: { perMonth: number; price: number } }) {
  const store = createStreamStore<Checkin>(deps.db, 'checkins', deps.clock);
  const streamOf = (customerId: string) => `checkin:${customerId}`;
  const keyOf = (customerId: string, day: string) => `checkin:${customerId}:${day}`;
  const pointsFor = (streak: number) => deps.schedule[(streak - 1) % deps.schedule.length];

  function withDay(recent: Checkin['recent'], entry: Checkin['recent'][number], today: string) {
    const oldest = shiftDay(today, -KEEP_DAYS);
    return [...recent.filter((r) => r.day > oldest && r.day !== entry.day), entry].sort((a, b) => a.day.localeCompare(b.day));
  }
  const makeupsIn = (recent: Checkin['recent'], month: string) => recent.filter((r) => r.makeup && r.day.startsWith(month)).length;

  return {
    async checkIn(customerId: string): Promise<CheckinResult> {
      const day = bankDay(deps.clock.now());
      const { entry, duplicate } = await store.append(
        streamOf(customerId),
        (head) => {
          const previous = head?.data.recent ?? [];
          const streak = streakEndingAt(new Set(previous.map((r) => r.day)), shiftDay(day, -1)) + 1;
          const points = pointsFor(streak);
          return { day, streak, points, makeup: false, recent: withDay(previous, { day, makeup: false, points }, day) };
        },
        { key: keyOf(customerId, day) },
      );
      // Paid with the same key: a retry after a crash between the two steps pays the missing part only.
      await deps.points.earn(customerId, entry.data.points, entry.key, `每日签到（连续第 ${entry.data.streak} 天）`, { checkin: day });
      return { day, streak: entry.data.streak, points: entry.data.points, duplicate };
    },

    /** Makes up a missed day of this month, for the configured price; pays no check-in points itself. */
    async makeUp(customerId: string, day: string): Promise<CheckinResult> {
      const today = bankDay(deps.clock.now());
      const month = today.slice(0, 7);
      if (!day.startsWith(month) || day >= today) throw new AppError('CHECKIN_MAKEUP_NOT_ALLOWED');
      const head = await store.head(streamOf(customerId));
      const done = head?.data.recent.find((r) => r.day === day);
      // A retry of a make-up that went through gets its answer again; a day checked in on time cannot be made up.
      if (done?.makeup) return { day, streak: streakEndingAt(new Set(head!.data.recent.map((r) => r.day)), day), points: 0, duplicate: true };
      if (done) throw new AppError('CHECKIN_MAKEUP_NOT_ALLOWED', { message: '该日已签到' });
      if (makeupsIn(head?.data.recent ?? [], month) >= deps.makeup.perMonth) throw new AppError('CHECKIN_MAKEUP_LIMIT');

      const feeKey = `checkin-makeup-fee:${customerId}:${day}`;
      if (deps.makeup.price > 0) await deps.points.spend(customerId, deps.makeup.price, feeKey, `补签 ${day}`, { checkin: day });
      try {
        const { entry, duplicate } = await store.append(
          streamOf(customerId),
          (current) => {
            const recent = current?.data.recent ?? [];
            // Checked again on the newest state: a concurrent make-up may have used the last one.
            if (makeupsIn(recent, month) >= deps.makeup.perMonth) throw new AppError('CHECKIN_MAKEUP_LIMIT');
            const next = withDay(recent, { day, makeup: true, points: 0 }, today);
            return { day, streak: streakEndingAt(new Set(next.map((r) => r.day)), day), points: 0, makeup: true, recent: next };
          },
          { key: keyOf(customerId, day) },
        );
        return { day, streak: entry.data.streak, points: 0, duplicate };
      } catch (err) {
        // Not made up: the price goes back, exactly once.
        if (deps.makeup.price > 0) await deps.points.refund(customerId, deps.makeup.price, `checkin-makeup-refund:${customerId}:${day}`, `补签未成功退回 ${day}`, { checkin: day });
        throw err;
      }
    },

    async calendar(customerId: string, month?: string): Promise<CheckinCalendar> {
      const today = bankDay(deps.clock.now());
      const wanted = month ?? today.slice(0, 7);
      const recent = (await store.head(streamOf(customerId)))?.data.recent ?? [];
      const days = new Set(recent.map((r) => r.day));
      const checkedInToday = days.has(today);
      const streak = streakEndingAt(days, checkedInToday ? today : shiftDay(today, -1));
      return {
        month: wanted,
        today,
        checkedInToday,
        streak,
        days: recent.filter((r) => r.day.startsWith(wanted)),
        makeupsLeft: Math.max(0, deps.makeup.perMonth - makeupsIn(recent, today.slice(0, 7))),
        makeupPrice: deps.makeup.price,
        schedule: deps.schedule,
        nextPoints: pointsFor(streak + 1),
      };
    },

    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
