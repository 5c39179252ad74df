import type { DrawPrize } from '@shared/contracts/draws';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { createStreamStore, type StreamEntry } from '@/platform/stream';

/**
 * How many of each prize have been won, as streams keyed by the draw: one per prize
 * (`won:<activity>:<prize>`) and one per prize and bank day for a daily cap. Taking the last
 * unit is a race on a stream position that exactly one draw wins, in any number of processes.
 * A draw that takes a prize and does not keep it (refused by its daily cap or the budget, or its
 * attempt recorded as refused by another run of the same draw) gives the unit back to both
 * streams (`release` entries keyed by the draw), so each draw holds at most one unit, once; and a
 * unit given back is never taken again by the same draw.
 */
type WonData = { op: 'win' | 'release'; drawId: string; won: number };

const totalOf = (activityId: string, code: string) => `won:${activityId}:${code}`;
const dailyOf = (activityId: string, code: string, day: string) => `won:${activityId}:${code}:${day}`;
const keys = (drawId: string, code: string) => ({
  win: `win:${drawId}:${code}`,
  release: `release:${drawId}:${code}`,
  winDay: `win-day:${drawId}:${code}`,
  releaseDay: `release-day:${drawId}:${code}`,
});

class Refused extends Error {}

export function createPrizeStock(db: Database, clock: Clock) {
  const store = createStreamStore<WonData>(db, 'draw_prize_stock', clock);
  const wonIn = (head: StreamEntry<WonData> | null) => head?.data.won ?? 0;

  /** Takes a unit: 'new', 'again' (this draw's key was there already), or false when refused. */
  async function take(stream: string, cap: number, drawId: string, key: string): Promise<'new' | 'again' | false> {
    try {
      const { duplicate } = await store.append(
        stream,
        (head) => {
          if (wonIn(head) >= cap) throw new Refused();
          return { op: 'win', drawId, won: wonIn(head) + 1 };
        },
        { key },
      );
      return duplicate ? 'again' : 'new';
    } catch (err) {
      if (err instanceof Refused) return false;
      throw err;
    }
  }
  const giveBack = (stream: string, drawId: string, key: string) => store.append(stream, (head) => ({ op: 'release', drawId, won: wonIn(head) - 1 }), { key });

  /** Gives back whatever this draw holds of the prize, in all and on its day, once each. */
  async function release(activityId: string, prize: Pick<DrawPrize, 'code' | 'dailyCap'>, drawId: string, day: string): Promise<void> {
    const k = keys(drawId, prize.code);
    if (await store.findByKey(totalOf(activityId, prize.code), k.win)) await giveBack(totalOf(activityId, prize.code), drawId, k.release);
    if (prize.dailyCap !== undefined && (await store.findByKey(dailyOf(activityId, prize.code, day), k.winDay)))
      await giveBack(dailyOf(activityId, prize.code, day), drawId, k.releaseDay);
  }

  return {
    /** Units won so far of a prize, in all and on one bank day. */
    won: async (activityId: string, code: string) => wonIn(await store.head(totalOf(activityId, code))),
    wonOn: async (activityId: string, code: string, day: string) => wonIn(await store.head(dailyOf(activityId, code, day))),

    /**
     * Takes one unit of the prize for this draw, within `cap` (its quantity, or fewer coupon codes
     * uploaded or mall units set aside: the service's `capOf`) and its daily cap; false when
     * refused. The same draw taking again never takes a second unit: it keeps the one it holds,
     * unless it gave that unit back meanwhile, and then it is refused.
     */
    async take(activityId: string, prize: DrawPrize, cap: number, drawId: string, day: string): Promise<boolean> {
      const k = keys(drawId, prize.code);
      const total = await take(totalOf(activityId, prize.code), cap, drawId, k.win);
      if (!total) return false;
      if (total === 'again' && (await store.findByKey(totalOf(activityId, prize.code), k.release))) return false;
      if (prize.dailyCap === undefined) return true;
      const daily = await take(dailyOf(activityId, prize.code, day), prize.dailyCap, drawId, k.winDay);
      if (daily && !(daily === 'again' && (await store.findByKey(dailyOf(activityId, prize.code, day), k.releaseDay)))) return true;
      await release(activityId, prize, drawId, day);
      return false;
    },
    /** Gives a draw's unit of the prize back, to the total and the day, once (nothing if it holds none). */
    release,

    /** Whether this draw holds a unit of the prize now (taken, not given back). */
    async holds(activityId: string, code: string, drawId: string): Promise<boolean> {
      const k = keys(drawId, code);
      const [win, back] = await Promise.all([store.findByKey(totalOf(activityId, code), k.win), store.findByKey(totalOf(activityId, code), k.release)]);
      return win !== null && back === null;
    },
    /** The wins recorded in a prize's stream, releases netted out: for the back office's check. */
    async holders(activityId: string, code: string): Promise<{ won: number; drawIds: string[]; contiguous: boolean }> {
      const entries = await store.readAll(totalOf(activityId, code));
      const held = new Set<string>();
      let contiguous = true;
      let level = 0;
      for (const e of entries) {
        level += e.data.op === 'win' ? 1 : -1;
        if (e.data.won !== level) contiguous = false;
        if (e.data.op === 'win') held.add(e.data.drawId);
        else held.delete(e.data.drawId);
      }
      return { won: level, drawIds: [...held], contiguous };
    },
    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type PrizeStock = ReturnType<typeof createPrizeStock>;
