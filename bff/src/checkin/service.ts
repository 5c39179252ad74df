import dayjs from 'dayjs';
import type { CheckinCalendar, CheckinResult } from '@shared/contracts/checkin';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { PointsAccounts } from '@/platform/directory';
import { AppError } from '@/platform/errors';
import { SimulatedCrash, type Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { bankDay, inBankTime } from '@/platform/time';

/** One checked-in day; `streak` is the length of the run that ends on it, however long ago it began. */
type Day = { day: string; makeup: boolean; points: number; streak: number };
/** A check-in; it carries the days checked in over the last two months, each with its streak. */
type Checkin = { day: string; streak: number; points: number; makeup: boolean; recent: Day[] };

const KEEP_DAYS = 62;
/** How long a check-in may be paying before the sweep takes it for one a crash cut short. */
const PENDING_LEASE_MS = 60_000;

const shiftDay = (day: string, by: number) =>
  inBankTime(new Date(`${day}T12:00:00+08:00`))
    .add(by, 'day')
    .format('YYYY-MM-DD');

/** The run ending at `day`: carried forward from the day before, so a streak longer than the days kept still counts right. */
const streakEndingAt = (recent: Day[], day: string): number => recent.find((r) => r.day === day)?.streak ?? 0;

/** Adds (or replaces) a day, renumbers the run it joins, and forgets days older than two months. */
function withDay(recent: Day[], added: Omit<Day, 'streak'>, today: string): Day[] {
  const oldest = shiftDay(today, -KEEP_DAYS);
  const days = [...recent.filter((r) => r.day !== added.day).map((r) => ({ ...r })), { ...added, streak: streakEndingAt(recent, shiftDay(added.day, -1)) + 1 }].sort((a, b) =>
    a.day.localeCompare(b.day),
  );
  const byDay = new Map(days.map((r) => [r.day, r]));
  // A made-up day joins two runs: every later day of the run now ends a longer streak.
  for (let d = shiftDay(added.day, 1); byDay.has(d); d = shiftDay(d, 1)) byDay.get(d)!.streak = byDay.get(shiftDay(d, -1))!.streak + 1;
  return days.filter((r) => r.day > oldest);
}

/** The months whose missed days may be made up today: this one and the one before. */
const makeupMonths = (today: string): [string, string] => [today.slice(0, 7), dayjs(today).subtract(1, 'month').format('YYYY-MM')];
const makeupsIn = (recent: Day[], month: string) => recent.filter((r) => r.makeup && r.day.startsWith(month)).length;

/**
 * Daily check-in (签到). Each customer's check-ins are a stream; an entry's key is the customer
 * and the calendar day in Asia/Shanghai, so a day is checked in — and paid — once, whatever the
 * retries and concurrency. The schedule says what day N of a streak pays, and repeats. A missed
 * day breaks the streak unless it is made up (补签): a few times a month, for a points price.
 */
export function createCheckinService(deps: {
  db: Database;
  clock: Clock;
  points: PointsAccounts;
  schedule: number[];
  makeup: { perMonth: number; price: number };
  faults: Faults;
  /** The bank day the customer joined, null if unknown: days before it were neither missed nor can be made up. */
  joinedOn: (customerId: string) => Promise<string | null>;
  /** What else a day of a streak earns (draw chances), granted once per customer and day, so a retry repairs a cut-short grant. */
  onCheckedIn: (customerId: string, day: string, streak: number) => Promise<CheckinResult['drawChances']>;
  /** Runs each item of a sweep alone, counted in the job books. */
  books: Pick<JobBooks, 'each'>;
}) {
  const store = createStreamStore<Checkin>(deps.db, 'checkins', deps.clock);
  // A check-in whose points and chances are still to be paid: written before the day is recorded, gone once paid.
  const pending = () => deps.db.collection<{ _id: string; customerId: string; day: string; at: Date }>('checkin_pending');
  const streamOf = (customerId: string) => `checkin:${customerId}`;
  const keyOf = (customerId: string, day: string) => `checkin:${customerId}:${day}`;
  const pointsFor = (streak: number) => deps.schedule[(streak - 1) % deps.schedule.length];
  // A make-up's fee is keyed per attempt: after a refused attempt was refunded, the next one pays again.
  const feeKey = (customerId: string, day: string, attempt: number) => `checkin-makeup-fee:${customerId}:${day}#${attempt}`;
  const refundKey = (customerId: string, day: string, attempt: number) => `checkin-makeup-refund:${customerId}:${day}#${attempt}`;

  /**
   * The first attempt not yet refunded. One whose fee was taken but that never finished (a crash,
   * or a concurrent tap) is resumed with the fee it already paid, never charged again.
   */
  async function makeupAttempt(customerId: string, day: string): Promise<number> {
    for (let attempt = 1; ; attempt++) if (!(await deps.points.findByKey(customerId, refundKey(customerId, day, attempt)))) return attempt;
  }

  /** What a recorded check-in pays, all keyed by the day: its points, then the draw chances its streak earns; then its marker goes. */
  async function pay(customerId: string, entry: StreamEntry<Checkin>): Promise<CheckinResult['drawChances']> {
    // The points and the draw chances are independent books, each keyed: paid together.
    const [, drawChances] = await Promise.all([
      deps.points.earn(customerId, entry.data.points, entry.key, `每日签到（连续第 ${entry.data.streak} 天）`, { checkin: entry.data.day }),
      deps.onCheckedIn(customerId, entry.data.day, entry.data.streak),
    ]);
    // Not waited for: a marker left behind (a failed delete) only has the sweep find the check-in paid, and delete it.
    void pending()
      .deleteOne({ _id: entry.key })
      .catch(() => undefined);
    return drawChances;
  }

  return {
    async checkIn(customerId: string): Promise<CheckinResult> {
      const day = bankDay(deps.clock.now());
      // The marker first: once the day is recorded, something will pay it. Where the day's stream and the points account it
      // pays into stand is read beside it.
      await Promise.all([
        insertOnce(pending(), { _id: keyOf(customerId, day), customerId, day, at: deps.clock.now() }),
        store.warm(streamOf(customerId)),
        deps.points.prefetch(customerId),
      ]);
      const { entry, duplicate } = await store.append(
        streamOf(customerId),
        (head) => {
          const previous = head?.data.recent ?? [];
          const points = pointsFor(streakEndingAt(previous, shiftDay(day, -1)) + 1);
          const recent = withDay(previous, { day, makeup: false, points }, day);
          return { day, streak: streakEndingAt(recent, day), points, makeup: false, recent };
        },
        { key: keyOf(customerId, day) },
      );
      deps.faults.hit('after:checkin.recorded');
      // Paid with the same key: a retry, or the sweep after a crash between the two steps, pays the missing part only.
      const drawChances = await pay(customerId, entry);
      return { day, streak: entry.data.streak, points: entry.data.points, duplicate, drawChances };
    },

    /** Check-ins a crash left recorded and unpaid past a minute: paid once, each alone; a marker whose day was never recorded goes. */
    async recover(): Promise<number> {
      const marks = await pending()
        .find({ at: { $lte: new Date(deps.clock.now().getTime() - PENDING_LEASE_MS) } })
        .limit(500)
        .toArray();
      const run = await deps.books.each(
        'checkin.pending',
        marks,
        (m) => m._id,
        async (mark) => {
          const entry = await store.findByKey(streamOf(mark.customerId), mark._id);
          if (entry) await pay(mark.customerId, entry);
          else await pending().deleteOne({ _id: mark._id });
        },
      );
      return run.done;
    },

    /**
     * Makes up a missed day of this month or the last (so the 1st is not a dead end), for the
     * configured price, counted against the month of the day made up; pays no check-in points itself.
     */
    async makeUp(customerId: string, day: string): Promise<CheckinResult> {
      const today = bankDay(deps.clock.now());
      const month = day.slice(0, 7);
      if (!makeupMonths(today).includes(month) || day >= today) throw new AppError('CHECKIN_MAKEUP_NOT_ALLOWED');
      const [head, joined] = await Promise.all([store.head(streamOf(customerId)), deps.joinedOn(customerId)]);
      if (joined && day < joined) throw new AppError('CHECKIN_MAKEUP_NOT_ALLOWED', { message: '注册前的日期不能补签' });
      const done = head?.data.recent.find((r) => r.day === day);
      // A retry of a make-up that went through gets its answer again; a day checked in on time cannot be made up.
      if (done?.makeup) return { day, streak: streakEndingAt(head!.data.recent, day), points: 0, duplicate: true, drawChances: [] };
      if (done) throw new AppError('CHECKIN_MAKEUP_NOT_ALLOWED', { message: '该日已签到' });
      if (makeupsIn(head?.data.recent ?? [], month) >= deps.makeup.perMonth) throw new AppError('CHECKIN_MAKEUP_LIMIT');

      const attempt = await makeupAttempt(customerId, day);
      const refund = () => deps.points.refund(customerId, feeKey(customerId, day, attempt), refundKey(customerId, day, attempt), `补签未成功退回 ${day}`, { checkin: day });
      if (deps.makeup.price > 0) await deps.points.spend(customerId, deps.makeup.price, feeKey(customerId, day, attempt), `补签 ${day}`, { checkin: day });
      let made: Awaited<ReturnType<typeof store.append>>;
      try {
        deps.faults.hit('checkin:before-makeup');
        made = await store.append(
          streamOf(customerId),
          (current) => {
            const recent = current?.data.recent ?? [];
            // Checked again on the newest state: a concurrent make-up may have used the last one.
            if (makeupsIn(recent, month) >= deps.makeup.perMonth) throw new AppError('CHECKIN_MAKEUP_LIMIT');
            const next = withDay(recent, { day, makeup: true, points: 0 }, today);
            return { day, streak: streakEndingAt(next, day), points: 0, makeup: true, recent: next };
          },
          { key: keyOf(customerId, day) },
        );
      } catch (err) {
        if (err instanceof SimulatedCrash) throw err;
        // Not made up: the price goes back, exactly once.
        if (deps.makeup.price > 0) await refund();
        throw err;
      }
      return { day, streak: made.entry.data.streak, points: 0, duplicate: made.duplicate, drawChances: [] };
    },

    async calendar(customerId: string, month?: string): Promise<CheckinCalendar> {
      const today = bankDay(deps.clock.now());
      const wanted = month ?? today.slice(0, 7);
      const [head, joined] = await Promise.all([store.head(streamOf(customerId)), deps.joinedOn(customerId)]);
      const recent = head?.data.recent ?? [];
      const checkedInToday = recent.some((r) => r.day === today);
      const streak = streakEndingAt(recent, checkedInToday ? today : shiftDay(today, -1));
      return {
        month: wanted,
        today,
        checkedInToday,
        streak,
        days: recent.filter((r) => r.day.startsWith(wanted)).map(({ day, makeup, points }) => ({ day, makeup, points })),
        makeupsLeft: makeupMonths(today).includes(wanted) ? Math.max(0, deps.makeup.perMonth - makeupsIn(recent, wanted)) : 0,
        earliestMonth: makeupMonths(today)[1],
        firstDay: joined,
        makeupPrice: deps.makeup.price,
        schedule: deps.schedule,
        nextPoints: pointsFor(streak + 1),
      };
    },

    ensureIndexes: async () => {
      await store.ensureIndexes();
      await pending().createIndex({ at: 1 });
    },
  };
}

export type CheckinService = ReturnType<typeof createCheckinService>;
