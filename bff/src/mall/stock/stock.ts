import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { createShardedStreams } from '@/kernel/sharded-stream';

/**
 * Each item's stock is one or more append-only streams (`stock:<itemId>`, and `stock:<itemId>~k`
 * for the sub-streams of a hot item). Every entry carries its stream's running levels, so the
 * heads answer "how many left", and the sequence number makes "take the last unit" of a stream
 * a race exactly one request wins, across any number of BFF processes. Entry keys name the
 * order or adjustment and are unique across all streams, so each reservation, release and
 * adjustment happens once in one of them.
 *
 * With sub-streams (kernel/sharded-stream), a reservation goes to the one its order hashes to
 * and, when that one is sold out, tries the others in turn: "sold out" is answered only after
 * every one refused. How many sub-streams an item has is fixed when its first stock is put on
 * sale, and stored there.
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
  /** On the first entry of an item's first stream: how many streams its stock is split into. */
  shards?: number;
};

type StockLevel = { stock: number; sold: number; initial: number; adjusted: number };
/** Where a check of an item's streams stands: after entry `seq` of sub-stream `k`. */
export type StockPosition = { k: number; seq: number };
const EMPTY: StockLevel = { stock: 0, sold: 0, initial: 0, adjusted: 0 };

export function createStock(db: Database, clock: Clock, options: { shards: number } = { shards: 1 }) {
  const store = createStreamStore<StockData>(db, 'mall_stock', clock);
  // The item's first entry says how many streams it has; no stock yet, no entry.
  const substreams = createShardedStreams(store, {
    prefix: 'stock',
    async storedCount(itemId): Promise<number | null> {
      const first = await firstEntry(itemId);
      return first ? (first.data.shards ?? 1) : null;
    },
  });
  const { streamOf, streamsOf, locate: located } = substreams;
  const firstEntry = (itemId: string) => store.entryAt(streamOf(itemId), 1);
  const levelOf = (head: StreamEntry<StockData> | null): StockLevel =>
    head ? { stock: head.data.stock, sold: head.data.sold, initial: head.data.initial, adjusted: head.data.adjusted } : EMPTY;

  function change(stream: string, key: string, op: StockData['op'], ref: string, next: (level: StockLevel) => StockLevel | Promise<StockLevel>, extra: Partial<StockData> = {}) {
    return store.append(
      stream,
      async (head) => {
        const before = levelOf(head);
        const after = await next(before);
        return { op, change: after.stock - before.stock, ...after, ref, ...extra };
      },
      { key },
    );
  }

  const sum = (levels: StockLevel[]): StockLevel =>
    levels.reduce((a, l) => ({ stock: a.stock + l.stock, sold: a.sold + l.sold, initial: a.initial + l.initial, adjusted: a.adjusted + l.adjusted }), EMPTY);
  const level = async (itemId: string) => sum((await substreams.heads(itemId)).map(levelOf));

  /** What is wrong with one entry, given the entry before it in its stream (null: none) and the position it should have. */
  async function entryProblems(e: StreamEntry<StockData>, previous: StreamEntry<StockData> | null, expected: number): Promise<string[]> {
    const where = `${e.stream}#${e.seq}`;
    const before = levelOf(previous);
    const { op, ref, change: delta, stock, sold, initial, adjusted } = e.data;
    const problems: string[] = [];
    if (e.seq !== expected) problems.push(`${where}: sequence gap at ${expected}`);
    if (stock !== before.stock + delta) problems.push(`${where}: stock ${stock}, but ${before.stock} before and a change of ${delta}`);
    if (stock < 0) problems.push(`${where}: negative stock`);
    if (stock + sold !== initial + adjusted) problems.push(`${where}: stock + sold ≠ initial + adjustments`);
    const held = op === 'reserve' ? 1 : op === 'release' ? -1 : 0;
    if (sold !== before.sold + held) problems.push(`${where}: sold ${sold}, but ${before.sold} before and a ${op}`);
    // Keys are unique across the item's streams: an order's reservation and release are each one entry, found by key.
    const isThis = (found: StreamEntry<StockData> | null) => found?.stream === e.stream && found.seq === e.seq;
    if (op === 'reserve' && !isThis(await store.locate(`reserve:${ref}`))) problems.push(`${where}: order ${ref} reserved twice`);
    if (op === 'release') {
      const reservation = await store.locate(`reserve:${ref}`);
      const here = reservation?.stream === e.stream && reservation.seq < e.seq;
      if (!here || !isThis(await store.locate(`release:${ref}`))) problems.push(`${where}: release of ${ref} without a reservation here`);
    }
    return problems;
  }

  // Set-asides given back, one marker per closed attempt (`<key>` for the first, `<key>#<n>` after).
  const returns = () => db.collection<{ _id: string; at: Date }>('mall_set_aside_returns');
  const tagOf = (key: string, attempt: number) => (attempt === 1 ? key : `${key}#${attempt}`);
  /** The set-aside attempt under this key still open: the first not given back. */
  async function openAttempt(key: string): Promise<number> {
    for (let attempt = 1; ; attempt++) if (!(await returns().findOne({ _id: tagOf(key, attempt) }))) return attempt;
  }
  /**
   * Gives back what one attempt took, stream by stream, once each; the marker goes first, so a
   * crash part-way leaves it for the next call to finish. Nothing taken: nothing written.
   */
  async function giveBack(itemId: string, key: string, attempt: number): Promise<number> {
    const tag = tagOf(key, attempt);
    const streams = await streamsOf(itemId);
    const taken = await Promise.all(streams.map((stream, k) => store.findByKey(stream, `adjust:${tag}~${k}`)));
    if (!taken.some((e) => e && e.data.change < 0)) return 0;
    await insertOnce(returns(), { _id: tag, at: clock.now() });
    let back = 0;
    for (const [k, e] of taken.entries()) {
      if (!e || e.data.change >= 0) continue;
      const units = -e.data.change;
      await change(streams[k], `return:${tag}~${k}`, 'adjust', key, (l) => ({ ...l, stock: l.stock + units, adjusted: l.adjusted + units }));
      back += units;
    }
    return back;
  }

  return {
    level,

    /**
     * The first stock, once per item, when it is first approved, split over `shards` streams
     * (this store's default unless given: a coupon's codes are one pool, so it takes one).
     * Keyed per stream: run again after a crash, it completes the streams still missing.
     */
    async initialise(itemId: string, quantity: number, shards = options.shards) {
      const first = await firstEntry(itemId);
      const wanted = first?.data.shards ?? (first ? 1 : Math.max(1, Math.min(shards, quantity || 1)));
      const partOf = (n: number, k: number) => Math.floor(quantity / n) + (k < quantity % n ? 1 : 0);
      // The first stream's entry decides the split: a racing process that wanted another one follows it.
      const { entry } = await change(streamOf(itemId), `initial:${itemId}`, 'initial', itemId, (l) => ({ ...l, stock: l.stock + partOf(wanted, 0), initial: partOf(wanted, 0) }), {
        shards: wanted,
      });
      const count = entry.data.shards ?? 1;
      for (let k = 1; k < count; k++) {
        const part = partOf(count, k);
        await change(streamOf(itemId, k), `initial:${itemId}~${k}`, 'initial', itemId, (l) => ({ ...l, stock: l.stock + part, initial: part }));
      }
    },

    /**
     * Holds one unit for the order. `cap` bounds the units held at once beyond the stock level
     * (a coupon's code pool: never more units out than codes); it is read at each decision, and
     * only items of one stream take one.
     */
    async reserve(itemId: string, orderId: string, cap?: () => Promise<number>) {
      const key = `reserve:${orderId}`;
      const streams = await streamsOf(itemId);
      // One lookup, not the full probe of `located`: that is for recovery. An entry a crash left
      // unindexed makes this retry fail, and the saga's undo (which probes) then releases it.
      const held = streams.length > 1 ? await store.locate(key) : null;
      if (held) return { entry: held, duplicate: true };
      return substreams.spread(
        streams,
        orderId,
        (stream) =>
          change(stream, key, 'reserve', orderId, async (l) => {
            if (l.stock < 1 || (cap && l.sold >= (await cap()))) throw new AppError('MALL_SOLD_OUT');
            return { ...l, stock: l.stock - 1, sold: l.sold + 1 };
          }),
        (err) => err instanceof AppError && err.code === 'MALL_SOLD_OUT',
      );
    },

    /** Puts an order's unit back on sale, in the stream that holds it; call only for an order whose reservation exists. */
    async release(itemId: string, orderId: string) {
      const reservation = await located(await streamsOf(itemId), `reserve:${orderId}`);
      if (!reservation) throw new Error(`release ${orderId}: no reservation of ${itemId}`);
      return change(reservation.stream, `release:${orderId}`, 'release', orderId, (l) => ({ ...l, stock: l.stock + 1, sold: l.sold - 1 }));
    },

    /**
     * One reviewed change to the stock, applied to one stream: an increase to the first, a
     * decrease to the stream with the most units (so it may be refused while the total would
     * allow it: then it says how much one adjustment can take away now).
     */
    async adjust(itemId: string, delta: number, adjustmentId: string) {
      const streams = await streamsOf(itemId);
      const key = `adjust:${adjustmentId}`;
      // Applied already (a retry after a crash): wherever it went, it stands.
      const applied = streams.length > 1 ? await located(streams, key) : null;
      if (applied) return { entry: applied, duplicate: true };
      let target = streams[0];
      if (delta < 0 && streams.length > 1) {
        const levels = (await substreams.heads(itemId)).map(levelOf);
        const most = levels.reduce((best, l, i) => (l.stock > levels[best].stock ? i : best), 0);
        target = streams[most];
        const total = sum(levels).stock;
        if (total + delta >= 0 && levels[most].stock + delta < 0) {
          throw new AppError('MALL_STOCK_NEGATIVE', { message: `库存分布在 ${streams.length} 个分区中，本次最多可减少 ${levels[most].stock}，请分次调整` });
        }
      }
      return change(target, key, 'adjust', adjustmentId, (l) => {
        if (l.stock + delta < 0) throw new AppError('MALL_STOCK_NEGATIVE');
        return { ...l, stock: l.stock + delta, adjusted: l.adjusted + delta };
      });
    },

    /**
     * Takes exactly `want` units off sale for a draw's prize, as adjustments keyed by `key`, from
     * each stream in turn as many as it has; or, when the streams hold fewer, gives back what it
     * took and answers false. Run again, it finds what each stream gave and takes only the rest.
     *
     * A take that was given back is an attempt closed for good (its return marker, written before
     * the units go back, says so), and the next call starts a new attempt under new keys: a draw
     * refused today may be approved tomorrow, once the mall has the units again.
     */
    async setAsideExactly(itemId: string, want: number, key: string): Promise<boolean> {
      const attempt = await openAttempt(key);
      const tag = tagOf(key, attempt);
      let held = 0;
      for (const [k, stream] of (await streamsOf(itemId)).entries()) {
        if (held >= want) break;
        const { entry } = await change(stream, `adjust:${tag}~${k}`, 'adjust', key, (l) => {
          const n = Math.min(want - held, l.stock);
          return { ...l, stock: l.stock - n, adjusted: l.adjusted - n };
        });
        held -= entry.data.change;
      }
      // Exactly: and not given back meanwhile by a run of the same attempt that found it short.
      if (held === want && !(await returns().findOne({ _id: tag }))) return true;
      await giveBack(itemId, key, attempt);
      return false;
    },
    /** The units set aside under this key and not given back. */
    async setAsideUnder(itemId: string, key: string): Promise<number> {
      const tag = tagOf(key, await openAttempt(key));
      const streams = await streamsOf(itemId);
      const taken = await Promise.all(streams.map((stream, k) => store.findByKey(stream, `adjust:${tag}~${k}`)));
      const back = await Promise.all(streams.map((stream, k) => store.findByKey(stream, `return:${tag}~${k}`)));
      return [...taken, ...back].reduce((sum, e) => sum - (e?.data.change ?? 0), 0);
    },
    /** Puts back on sale what is set aside under this key (a draw whose approval was refused or never recorded). */
    async releaseSetAside(itemId: string, key: string): Promise<number> {
      return giveBack(itemId, key, await openAttempt(key));
    },

    /** Whether this order holds a unit of this item (looked up by key, for recovery and the books): reserved in one of its streams, not released. */
    async isReserved(itemId: string, orderId: string) {
      const streams = await streamsOf(itemId);
      const reservation = await located(streams, `reserve:${orderId}`);
      return reservation !== null && streams.includes(reservation.stream) && (await located(streams, `release:${orderId}`)) === null;
    },

    /**
     * Checks up to `limit` positions of an item's streams from `from` (sub-stream `k`, after its
     * entry `seq`), each entry against the one before it and the key index: contiguous, its stock
     * the one before plus its change, never negative, stock + sold = initial + adjustments, sold
     * moved by exactly its reservation or release, each order reserved once, and released only
     * in the stream that reserved it, after. A call's cost is `limit` positions whatever the
     * item's history; `next` is where the following call starts (null: the item is done).
     */
    async checkEntries(itemId: string, from: StockPosition, limit: number): Promise<{ problems: string[]; read: number; next: StockPosition | null }> {
      const streams = await streamsOf(itemId);
      const problems: string[] = [];
      let { k, seq } = from;
      let read = 0;
      while (k < streams.length && read < limit) {
        const stream = streams[k];
        const top = (await store.head(stream))?.seq ?? 0;
        const to = Math.max(seq, Math.min(top, seq + limit - read));
        let previous = seq > 0 ? await store.entryAt(stream, seq) : null;
        let at = seq;
        for (const e of await store.readAfter(stream, seq, to - seq)) {
          problems.push(...(await entryProblems(e, previous, at + 1)));
          previous = e;
          at = e.seq;
        }
        read += to - seq;
        [k, seq] = to >= top ? [k + 1, 0] : [k, to];
      }
      return { problems, read, next: k < streams.length ? { k, seq } : null };
    },

    ensureIndexes: () => store.ensureIndexes(),
  };
}

export type Stock = ReturnType<typeof createStock>;
