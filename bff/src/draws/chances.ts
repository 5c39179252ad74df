import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { bankDay } from '@/platform/time';

/**
 * One customer's chances at one draw (抽奖机会) as a stream: grants (a task, a quiz pass, a
 * check-in), purchases with points, spends and outcomes, each entry carrying the running
 * counts. A spend is one draw: it leaves the draw pending until its outcome is appended, and
 * no other spend can be appended meanwhile, so a customer's draws are decided one after another
 * and the guarantee (consecutive losses) and per-customer caps are exact. Entry keys name the
 * grant, purchase or draw, so each happens once however often it is retried.
 */
export type ChanceData = {
  op: 'grant' | 'reserve' | 'buy' | 'release' | 'spend' | 'outcome';
  change: number;
  /** The grant's source, the purchase id, or the draw id. */
  ref: string;
  balance: number;
  granted: number;
  bought: number;
  spent: number;
  /** Purchases under way: counted against the total quota, not yet a chance. */
  reserved: number;
  /** The purchases holding those places: a purchase becomes a chance only while it holds one. */
  holds: string[];
  /** Bank day and month of the last draw, with the draws made in them. */
  day: string;
  drawsToday: number;
  month: string;
  drawsThisMonth: number;
  /** Consecutive draws without a prize, up to the last outcome. */
  losses: number;
  /** Prizes this customer has won here, by code. */
  wins: Record<string, number>;
  /** The draw spent and not yet decided. */
  pending: string | null;
  /** On a spend: the draw's random number, whether the guarantee applies, and the prizes available to it. */
  random?: number;
  guaranteed?: boolean;
  available?: string[];
};

type Quotas = { perDay?: number; perMonth?: number; total?: number };

type Running = Omit<ChanceData, 'op' | 'change' | 'ref' | 'random' | 'guaranteed' | 'available'>;
const EMPTY: Running = {
  balance: 0,
  granted: 0,
  bought: 0,
  spent: 0,
  reserved: 0,
  holds: [],
  day: '',
  drawsToday: 0,
  month: '',
  drawsThisMonth: 0,
  losses: 0,
  wins: {},
  pending: null,
};

class NotHeld extends Error {}

export function createChances(db: Database, clock: Clock) {
  const store = createStreamStore<ChanceData>(db, 'draw_chances', clock);
  const streamOf = (activityId: string, customerId: string) => `chances:${activityId}:${customerId}`;
  const customerOfStream = (stream: string) => stream.split(':')[2];
  /** The running counts after an entry, without what belongs to that entry alone. */
  const state = (head: StreamEntry<ChanceData> | null): Running => {
    if (!head) return { ...EMPTY };
    const { op: _op, change: _change, ref: _ref, random: _random, guaranteed: _guaranteed, available: _available, ...running } = head.data;
    return running;
  };

  /** What a customer has left of each quota now. */
  function quotasLeft(s: Running, quotas: Quotas, now: Date) {
    const today = bankDay(now);
    const month = today.slice(0, 7);
    return {
      today: quotas.perDay === undefined ? null : quotas.perDay - (s.day === today ? s.drawsToday : 0),
      month: quotas.perMonth === undefined ? null : quotas.perMonth - (s.month === month ? s.drawsThisMonth : 0),
      total: quotas.total === undefined ? null : quotas.total - s.spent,
    };
  }

  return {
    streamOf,
    /** Whose chances an entry moved. */
    customerOf: (entry: StreamEntry<ChanceData>) => customerOfStream(entry.stream),
    head: (activityId: string, customerId: string) => store.head(streamOf(activityId, customerId)),
    state,
    quotasLeft,

    /**
     * Adds chances once per source. A bought one takes the place its purchase holds, and is
     * refused (DRAW_PURCHASE_LAPSED) when that place was given back meanwhile: by the sweep,
     * for a purchase it found unpaid.
     */
    grant: (activityId: string, customerId: string, count: number, ref: string, op: 'grant' | 'buy' = 'grant') =>
      store.append(
        streamOf(activityId, customerId),
        (head) => {
          const s = state(head);
          const bought = op === 'buy' ? count : 0;
          const { holds } = s;
          if (op === 'buy' && !holds.includes(ref)) throw new AppError('DRAW_PURCHASE_LAPSED');
          return {
            ...s,
            op,
            change: count,
            ref,
            balance: s.balance + count,
            granted: s.granted + (op === 'grant' ? count : 0),
            bought: s.bought + bought,
            reserved: Math.max(0, s.reserved - bought),
            holds: op === 'buy' ? holds.filter((h) => h !== ref) : holds,
          };
        },
        { key: `${op}:${ref}` },
      ),

    /**
     * Holds a place for one chance about to be paid for, or refuses when it could never be used:
     * decided on the stream's newest state, so two purchases at once cannot both take the last place.
     */
    reserve: (activityId: string, customerId: string, purchaseId: string, total: number | undefined) =>
      store.append(
        streamOf(activityId, customerId),
        (head) => {
          const s = state(head);
          const { reserved } = s;
          if (total !== undefined && s.spent + s.balance + reserved >= total) throw new AppError('DRAW_QUOTA_REACHED');
          return { ...s, op: 'reserve', change: 0, ref: purchaseId, reserved: reserved + 1, holds: [...s.holds, purchaseId] };
        },
        { key: `reserve:${purchaseId}` },
      ),

    /** Gives back a purchase's place when its points were not taken; nothing when it became a chance first. */
    async release(activityId: string, customerId: string, purchaseId: string): Promise<void> {
      await store
        .append(
          streamOf(activityId, customerId),
          (head) => {
            const s = state(head);
            if (!s.holds.includes(purchaseId)) throw new NotHeld();
            return { ...s, op: 'release', change: 0, ref: purchaseId, reserved: Math.max(0, s.reserved - 1), holds: s.holds.filter((h) => h !== purchaseId) };
          },
          { key: `release:${purchaseId}` },
        )
        .catch((err) => {
          if (!(err instanceof NotHeld)) throw err;
        });
    },

    /**
     * Spends one chance on this draw, or refuses: no chance left, a quota reached, another draw
     * undecided. The entry fixes the draw's random number, whether the guarantee applies, and
     * which prizes were available to this customer (`available` is given the state it is appended
     * on, for the per-customer caps).
     */
    spend: (
      activityId: string,
      customerId: string,
      drawId: string,
      rules: { quotas: Quotas; guaranteeAfter: number | null; random: () => number; available: (s: Running) => string[] },
    ) =>
      store.append(
        streamOf(activityId, customerId),
        (head) => {
          const s = state(head);
          if (s.pending) throw new AppError('DRAW_IN_PROGRESS');
          if (s.balance < 1) throw new AppError('DRAW_NO_CHANCES');
          const now = clock.now();
          const left = quotasLeft(s, rules.quotas, now);
          if ([left.today, left.month, left.total].some((n) => n !== null && n < 1)) throw new AppError('DRAW_QUOTA_REACHED');
          const today = bankDay(now);
          const month = today.slice(0, 7);
          return {
            ...s,
            op: 'spend',
            change: -1,
            ref: drawId,
            balance: s.balance - 1,
            spent: s.spent + 1,
            day: today,
            drawsToday: (s.day === today ? s.drawsToday : 0) + 1,
            month,
            drawsThisMonth: (s.month === month ? s.drawsThisMonth : 0) + 1,
            pending: drawId,
            random: rules.random(),
            guaranteed: rules.guaranteeAfter !== null && s.losses >= rules.guaranteeAfter,
            available: rules.available(s),
          };
        },
        { key: `spend:${drawId}` },
      ),

    /** Records the decided outcome of the pending draw: it ends the pending state, and counts a loss or a win. */
    settle: (activityId: string, customerId: string, drawId: string, prizeCode: string, won: boolean) =>
      store.append(
        streamOf(activityId, customerId),
        (head) => {
          const s = state(head);
          return {
            ...s,
            op: 'outcome',
            change: 0,
            ref: drawId,
            pending: s.pending === drawId ? null : s.pending,
            losses: won ? 0 : s.losses + 1,
            wins: won ? { ...s.wins, [prizeCode]: (s.wins[prizeCode] ?? 0) + 1 } : s.wins,
          };
        },
        { key: `outcome:${drawId}` },
      ),

    findGrant: (activityId: string, customerId: string, ref: string, op: 'grant' | 'buy') => store.findByKey(streamOf(activityId, customerId), `${op}:${ref}`),
    findSpend: (activityId: string, customerId: string, drawId: string) => store.findByKey(streamOf(activityId, customerId), `spend:${drawId}`),
    readAll: (activityId: string, customerId: string) => store.readAll(streamOf(activityId, customerId)),
    /** The customers with a chance stream at this draw (a scan: for the back office's checks, not customer traffic). */
    async customersOf(activityId: string): Promise<string[]> {
      return (await store.streamsStartingWith(streamOf(activityId, ''))).map(customerOfStream);
    },
    /** Up to `limit` of them, in order after `after` (null: from the first): a page of the back office's check. */
    async customersPage(activityId: string, after: string | null, limit: number): Promise<string[]> {
      return (await store.streamsPage(streamOf(activityId, ''), after === null ? null : streamOf(activityId, after), limit)).map(customerOfStream);
    },
    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type Chances = ReturnType<typeof createChances>;
