import type { DrawPrize } from '../../../shared/contracts/draws';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { createStreamStore, type StreamEntry } from '../platform/stream';

/**
 * How many of each prize have been won, as streams keyed by the draw: one per prize
 * (`won:<activity>:<prize>`) and one per prize and bank day for a daily cap. Taking the last
 * unit is a race on a stream position that exactly one draw wins, in any number of processes.
 * A draw that takes a prize but is refused by its daily cap gives the unit back (a `release`
 * entry keyed by the draw), so each draw holds at most one unit, once.
 */
type WonData = { op: 'win' | 'release'; drawId: string; won: number };

const totalOf = (activityId: string, code: string) => `won:${activityId}:${code}`;
const dailyOf = (activityId: string, code: string, day: string) => `won:${activityId}:${code}:${day}`;

class Refused extends Error {}

export function createPrizeStock(db: Database, clock: Clock) {
  const store = createStreamStore<WonData>(db, 'draw_prize_stock', clock);
  const wonIn = (head: StreamEntry<WonData> | null) => head?.data.won ?? 0;

  async function take(stream: string, cap: number, drawId: string, key: string): Promise<boolean> {
    try {
      await store.append(
        stream,
        (head) => {
          if (wonIn(head) >= cap) throw new Refused();
          return { op: 'win', drawId, won: wonIn(head) + 1 };
        },
        { key },
      );
      return true;
    } catch (err) {
      if (err instanceof Refused) return false;
      throw err;
    }
  }

  const release = (activityId: string, code: string, drawId: string) =>
    store.append(totalOf(activityId, code), (head) => ({ op: 'release', drawId, won: wonIn(head) - 1 }), { key: `release:${drawId}:${code}` });

  return {
    /** Units won so far of a prize, in all and on one bank day. */
    won: async (activityId: string, code: string) => wonIn(await store.head(totalOf(activityId, code))),
    wonOn: async (activityId: string, code: string, day: string) => wonIn(await store.head(dailyOf(activityId, code, day))),

    /**
     * Takes one unit of the prize for this draw, within `cap` (its quantity, or fewer coupon codes)
     * and its daily cap; false when refused. The same draw taking again gets the same answer's unit.
     */
    async take(activityId: string, prize: DrawPrize, cap: number, drawId: string, day: string): Promise<boolean> {
      if (!(await take(totalOf(activityId, prize.code), cap, drawId, `win:${drawId}:${prize.code}`))) return false;
      if (prize.dailyCap === undefined || (await take(dailyOf(activityId, prize.code, day), prize.dailyCap, drawId, `win-day:${drawId}:${prize.code}`))) return true;
      await release(activityId, prize.code, drawId);
      return false;
    },
    /** Gives a draw's unit back, once (a concurrent run of the same draw was recorded as refused). */
    release,

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
