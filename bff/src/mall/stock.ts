import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { createStreamStore, type StreamEntry } from '../platform/stream';

/**
 * Each item's stock is one append-only stream (`stock:<itemId>`). Every entry carries the
 * running levels, so the head alone answers "how many left", and the sequence number makes
 * "take the last unit" a race exactly one request wins, across any number of BFF processes.
 * Entry keys name the order or adjustment, so each reservation and release happens once.
 */
type StockData = {
  op: 'initial' | 'reserve' | 'release' | 'adjust';
  change: number;
  /** Units on sale now. */
  stock: number;
  /** Units held by orders (reserved and not released). */
  sold: number;
  initial: number;
  adjusted: number;
  ref: string;
};

export type StockLevel = { stock: number; sold: number; initial: number; adjusted: number };
const EMPTY: StockLevel = { stock: 0, sold: 0, initial: 0, adjusted: 0 };

export function createStock(db: Database, clock: Clock) {
  const store = createStreamStore<StockData>(db, 'mall_stock', clock);
  const streamOf = (itemId: string) => `stock:${itemId}`;
  const levelOf = (head: StreamEntry<StockData> | null): StockLevel => (head ? { stock: head.data.stock, sold: head.data.sold, initial: head.data.initial, adjusted: head.data.adjusted } : EMPTY);

  function change(itemId: string, key: string, op: StockData['op'], ref: string, next: (level: StockLevel) => StockLevel | Promise<StockLevel>) {
    return store.append(
      streamOf(itemId),
      async (head) => {
        const before = levelOf(head);
        const after = await next(before);
        return { op, change: after.stock - before.stock, ...after, ref };
      },
      { key },
    );
  }

  return {
    level: async (itemId: string) => levelOf(await store.head(streamOf(itemId))),

    /** The first stock, once per item, when it is first approved. */
    initialise: (itemId: string, quantity: number) => change(itemId, `initial:${itemId}`, 'initial', itemId, (l) => ({ ...l, stock: l.stock + quantity, initial: quantity })),

    /**
     * Holds one unit for the order. `cap` bounds the units held at once beyond the stock level
     * (a coupon's code pool: never more units out than codes); it is read at each decision.
     */
    reserve: (itemId: string, orderId: string, cap?: () => Promise<number>) =>
      change(itemId, `reserve:${orderId}`, 'reserve', orderId, async (l) => {
        if (l.stock < 1 || (cap && l.sold >= (await cap()))) throw new AppError('MALL_SOLD_OUT');
        return { ...l, stock: l.stock - 1, sold: l.sold + 1 };
      }),

    /** Puts an order's unit back on sale; call only for an order whose reservation exists. */
    release: (itemId: string, orderId: string) => change(itemId, `release:${orderId}`, 'release', orderId, (l) => ({ ...l, stock: l.stock + 1, sold: l.sold - 1 })),

    adjust: (itemId: string, delta: number, adjustmentId: string) =>
      change(itemId, `adjust:${adjustmentId}`, 'adjust', adjustmentId, (l) => {
        if (l.stock + delta < 0) throw new AppError('MALL_STOCK_NEGATIVE');
        return { ...l, stock: l.stock + delta, adjusted: l.adjusted + delta };
      }),

    /** Whether this order holds a unit (looked up by key, for recovery). */
    isReserved: async (itemId: string, orderId: string) =>
      (await store.findByKey(streamOf(itemId), `reserve:${orderId}`)) !== null && (await store.findByKey(streamOf(itemId), `release:${orderId}`)) === null,

    /**
     * Replays an item's stream: positions contiguous, levels consistent, never negative,
     * and stock + sold = initial + adjustments. Returns the orders holding a unit.
     */
    async check(itemId: string): Promise<{ problems: string[]; holders: Set<string>; level: StockLevel }> {
      const problems: string[] = [];
      const holders = new Set<string>();
      const entries = await store.readAll(streamOf(itemId));
      let stock = 0;
      for (const [i, e] of entries.entries()) {
        const where = `stock:${itemId}#${e.seq}`;
        if (e.seq !== i + 1) problems.push(`${where}: sequence gap at ${i + 1}`);
        stock += e.data.change;
        if (e.data.op === 'reserve') {
          if (holders.has(e.data.ref)) problems.push(`${where}: order ${e.data.ref} reserved twice`);
          holders.add(e.data.ref);
        }
        if (e.data.op === 'release' && !holders.delete(e.data.ref)) problems.push(`${where}: release of ${e.data.ref} without a reservation`);
        if (e.data.stock !== stock) problems.push(`${where}: stock ${e.data.stock}, changes sum to ${stock}`);
        if (e.data.stock < 0) problems.push(`${where}: negative stock`);
        if (e.data.stock + e.data.sold !== e.data.initial + e.data.adjusted) problems.push(`${where}: stock + sold ≠ initial + adjustments`);
        if (e.data.sold !== holders.size) problems.push(`${where}: sold ${e.data.sold} but ${holders.size} orders hold a unit`);
      }
      const last = entries[entries.length - 1] ?? null;
      return { problems, holders, level: levelOf(last) };
    },

    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type Stock = ReturnType<typeof createStock>;
