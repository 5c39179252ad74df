import type { CheckinCalendar, CheckinResult } from '../../../shared/contracts/checkin';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { createStreamStore, type StreamEntry } from '../platform/stream';
import { bankDay, inBankTime } from '../platform/time';
import type { PointsLedger } from '../points/ledger';

type Checkin = { day: string; streak: number; points: number };

/**
 * Daily check-in (签到). Each customer's check-ins are a stream whose entry key is the
 * customer and the calendar day in Asia/Shanghai, so a day is checked in — and paid — once,
 * whatever the retries and concurrency. A missed day resets the streak; the schedule says
 * what day N of a streak pays, and repeats.
 */
export function createCheckinService(deps: { db: Database; clock: Clock; points: PointsLedger; schedule: number[] }) {
  const store = createStreamStore<Checkin>(deps.db, 'checkins', deps.clock);
  const streamOf = (customerId: string) => `checkin:${customerId}`;
  const pointsFor = (streak: number) => deps.schedule[(streak - 1) % deps.schedule.length];
  const previousDay = (day: string) => inBankTime(new Date(`${day}T12:00:00+08:00`)).subtract(1, 'day').format('YYYY-MM-DD');

  async function pay(customerId: string, entry: StreamEntry<Checkin>) {
    await deps.points.earn(customerId, entry.data.points, entry.key, `每日签到（连续第 ${entry.data.streak} 天）`, { checkin: entry.data.day });
  }

  return {
    async checkIn(customerId: string): Promise<CheckinResult> {
      const day = bankDay(deps.clock.now());
      const { entry, duplicate } = await store.append(
        streamOf(customerId),
        (head) => {
          const streak = head && head.data.day === previousDay(day) ? head.data.streak + 1 : 1;
          return { day, streak, points: pointsFor(streak) };
        },
        { key: `checkin:${customerId}:${day}` },
      );
      // Paid with the same key: a retry after a crash between the two steps pays the missing part only.
      await pay(customerId, entry);
      return { day, streak: entry.data.streak, points: entry.data.points, duplicate };
    },

    async calendar(customerId: string, month?: string): Promise<CheckinCalendar> {
      const today = bankDay(deps.clock.now());
      const wanted = month ?? today.slice(0, 7);
      const head = await store.head(streamOf(customerId));
      const checkedInToday = head?.data.day === today;
      const alive = head && (checkedInToday || head.data.day === previousDay(today));
      const streak = alive ? head.data.streak : 0;
      // Walk back from the newest check-in to the start of the month; at most one entry a day.
      const days: { day: string; points: number }[] = [];
      let before = head ? head.seq + 1 : 0;
      while (before > 1) {
        const page = await store.list(streamOf(customerId), { beforeSeq: before, limit: 31 });
        for (const e of page) if (e.data.day.startsWith(wanted)) days.push({ day: e.data.day, points: e.data.points });
        const oldest = page[page.length - 1];
        if (!oldest || oldest.data.day < `${wanted}-01`) break;
        before = oldest.seq;
      }
      return {
        month: wanted,
        today,
        checkedInToday,
        streak,
        days: days.reverse(),
        schedule: deps.schedule,
        nextPoints: pointsFor(streak + 1),
      };
    },

    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
