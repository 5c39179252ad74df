import type { LedgerEntry, LedgerPage, PointsBalance } from '@shared/contracts/points';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { endOfNextYear } from '@/platform/time';
import { insertOnce } from '@/platform/keyed';
import { createStreamAudit } from '@/platform/stream-audit';

/**
 * Each customer's points are one append-only stream (`points:<customerId>`). An entry
 * carries the running balance and the open lots (what is left of each earning, with its
 * expiry), so the head entry alone answers "how many points, expiring when". Spending
 * takes from the lots that expire first; the expiry job writes one entry per lot, keyed
 * by the lot, so it happens once however often the job runs.
 */
type Lot = { seq: number; remaining: number; expiresAt: string };
type EntryType = LedgerEntry['type'];
type LedgerData = {
  type: EntryType;
  amount: number;
  balance: number;
  lots: Lot[];
  description: string;
  expiresAt?: string;
  /** On a spend: what it took from which lot, so a refund puts back exactly that, expiry included. */
  consumed?: { seq: number; amount: number; expiresAt: string }[];
  ref?: Record<string, string>;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The configured expiry as a function of the earning time. */
export function expiryRule(rule: { kind: 'end-of-next-year' } | { kind: 'days'; days: number }): (earnedAt: Date) => Date {
  return rule.kind === 'end-of-next-year' ? endOfNextYear : (earnedAt) => new Date(earnedAt.getTime() + rule.days * DAY_MS);
}
const EXPIRING_SOON_DAYS = 30;
/** A filtered statement page reads this many entries at a time, and looks at no more than the limit. */
const FILTER_BATCH = 50;
const FILTER_LOOK_LIMIT = 500;

class NothingToExpire extends Error {}

export type PointsLedger = ReturnType<typeof createPointsLedger>;

export function createPointsLedger(db: Database, clock: Clock, options: { expiryFor?: (earnedAt: Date) => Date } = {}) {
  const store = createStreamStore<LedgerData>(db, 'points_ledger', clock, { audited: true });
  // Each entry follows from the one before: the balance moves by the amount, never below zero,
  // and the open lots hold exactly the balance.
  const audit = createStreamAudit(db, 'points_ledger', store, clock, (e, previous) => {
    const problems: string[] = [];
    const expected = (previous?.data.balance ?? 0) + e.data.amount;
    if (e.data.balance !== expected) problems.push(`balance ${e.data.balance} but entries sum to ${expected}`);
    if (e.data.balance < 0) problems.push(`negative balance ${e.data.balance}`);
    const lotSum = e.data.lots.reduce((s, l) => s + l.remaining, 0);
    if (lotSum !== e.data.balance) problems.push(`lots hold ${lotSum} but balance is ${e.data.balance}`);
    return problems;
  });
  const lotIndex = () => db.collection<{ _id: string; customerId: string; expiresAt: Date }>('points_lot_index');
  const expiryFor = options.expiryFor ?? endOfNextYear;
  const streamOf = (customerId: string) => `points:${customerId}`;

  const spendable = (lots: Lot[], now: Date) => lots.filter((l) => Date.parse(l.expiresAt) > now.getTime()).reduce((sum, l) => sum + l.remaining, 0);

  /** Takes `amount` from unexpired lots, soonest expiry first. */
  function consume(lots: Lot[], amount: number, now: Date): { lots: Lot[]; consumed: NonNullable<LedgerData['consumed']> } {
    if (spendable(lots, now) < amount) throw new AppError('POINTS_INSUFFICIENT');
    let left = amount;
    const ordered = [...lots].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.seq - b.seq);
    const next: Lot[] = [];
    const consumed: NonNullable<LedgerData['consumed']> = [];
    for (const lot of ordered) {
      const live = Date.parse(lot.expiresAt) > now.getTime();
      const take = live ? Math.min(left, lot.remaining) : 0;
      left -= take;
      if (take > 0) consumed.push({ seq: lot.seq, amount: take, expiresAt: lot.expiresAt });
      if (lot.remaining - take > 0) next.push({ ...lot, remaining: lot.remaining - take });
    }
    return { lots: next, consumed };
  }

  /**
   * Puts what a spend took back into the lots it came from, with their own expiry: a refund
   * never makes points live longer than they would have. What has expired meanwhile stays gone.
   */
  function restore(lots: Lot[], consumed: NonNullable<LedgerData['consumed']>, now: Date): { lots: Lot[]; restored: number; lapsed: number } {
    const next = lots.map((l) => ({ ...l }));
    let restored = 0;
    let lapsed = 0;
    for (const part of consumed) {
      if (Date.parse(part.expiresAt) <= now.getTime()) {
        lapsed += part.amount;
        continue;
      }
      restored += part.amount;
      const open = next.find((l) => l.seq === part.seq);
      if (open) open.remaining += part.amount;
      else next.push({ seq: part.seq, remaining: part.amount, expiresAt: part.expiresAt });
    }
    return { lots: next, restored, lapsed };
  }

  /**
   * A lot's index names its expiry: one written from a decision whose entry never landed (another
   * writer took the position) cannot stand in for the lot that did, which expires at its own time.
   */
  const lotIndexId = (customerId: string, seq: number, expiresAt: string) => `${customerId}#${seq}#${expiresAt}`;

  async function indexLot(customerId: string, entry: StreamEntry<LedgerData>) {
    if (!entry.data.expiresAt || entry.data.amount <= 0) return;
    await insertOnce(lotIndex(), { _id: lotIndexId(customerId, entry.seq, entry.data.expiresAt), customerId, expiresAt: new Date(entry.data.expiresAt) });
  }

  type Change = { type: EntryType; amount: number; key: string; description: string; ref?: Record<string, string> };

  /** Appends one change exactly once per key; returns the entry (the first one, on a retry). */
  async function apply(customerId: string, change: Change): Promise<{ entry: StreamEntry<LedgerData>; duplicate: boolean }> {
    // A new lot's expiry is indexed beside the entry's insert, from the decision that makes it, not after it: an index of a
    // position another writer took (a lost race) only has the expiry job look at this customer and find nothing due, and
    // names its own expiry, so it never takes the place of the index of the lot that did land there.
    const indexing: Promise<unknown>[] = [];
    const result = await store.append(
      streamOf(customerId),
      (head) => {
        const now = clock.now();
        const lots = head?.data.lots ?? [];
        const balance = head?.data.balance ?? 0;
        const seq = (head?.seq ?? 0) + 1;
        if (change.amount > 0) {
          const expiresAt = expiryFor(now).toISOString();
          const indexed = insertOnce(lotIndex(), { _id: lotIndexId(customerId, seq, expiresAt), customerId, expiresAt: new Date(expiresAt) });
          indexed.catch(() => undefined); // awaited below, unless the append itself fails
          indexing.push(indexed);
          return { ...change, balance: balance + change.amount, lots: [...lots, { seq, remaining: change.amount, expiresAt }], expiresAt };
        }
        const spent = consume(lots, -change.amount, now);
        return { ...change, balance: balance + change.amount, lots: spent.lots, consumed: spent.consumed };
      },
      { key: change.key },
    );
    await Promise.all(indexing);
    // A retry's entry is the first one: its index may be what a crash left unwritten.
    if (result.duplicate) await indexLot(customerId, result.entry);
    return result;
  }

  function toEntry(e: StreamEntry<LedgerData>): LedgerEntry {
    return {
      seq: e.seq,
      type: e.data.type,
      amount: e.data.amount,
      balance: e.data.balance,
      description: e.data.description,
      at: e.at.toISOString(),
      expiresAt: e.data.expiresAt ?? null,
    };
  }

  return {
    earn: (customerId: string, amount: number, key: string, description: string, ref?: Record<string, string>) =>
      apply(customerId, { type: 'earn', amount, key, description, ref }),
    spend: (customerId: string, amount: number, key: string, description: string, ref?: Record<string, string>) =>
      apply(customerId, { type: 'spend', amount: -amount, key, description, ref }),
    /** Gives back what the spend keyed `spendKey` took, once per `key`, into the lots it came from. */
    async refund(customerId: string, spendKey: string, key: string, description: string, ref?: Record<string, string>) {
      // Only a spend (or a negative adjustment) took from lots, and says which.
      const consumed = (await store.findByKey(streamOf(customerId), spendKey))?.data.consumed;
      if (!consumed) throw new Error(`refund ${key}: no spend ${spendKey} to refund`);
      const { entry, duplicate } = await store.append(
        streamOf(customerId),
        (head) => {
          const lots = head?.data.lots ?? [];
          const balance = head?.data.balance ?? 0;
          const now = clock.now();
          const back = restore(lots, consumed, now);
          const note = back.lapsed ? `${description}（${back.lapsed} 积分已过期，不再退回）` : description;
          return { type: 'refund', amount: back.restored, balance: balance + back.restored, lots: back.lots, description: note, ref };
        },
        { key },
      );
      await indexLot(customerId, entry);
      return { entry, duplicate };
    },
    adjust: (customerId: string, amount: number, key: string, description: string, ref?: Record<string, string>) =>
      apply(customerId, { type: 'adjust', amount, key, description, ref }),

    /** Writes an expire entry for every lot of this customer past its expiry; once per lot. */
    async expireDue(customerId: string): Promise<{ lotSeq: number; amount: number }[]> {
      const now = clock.now();
      const head = await store.head(streamOf(customerId));
      const expired: { lotSeq: number; amount: number }[] = [];
      for (const lot of (head?.data.lots ?? []).filter((l) => Date.parse(l.expiresAt) <= now.getTime())) {
        try {
          const { entry, duplicate } = await store.append(
            streamOf(customerId),
            (current) => {
              const open = current?.data.lots.find((l) => l.seq === lot.seq);
              if (!open) throw new NothingToExpire();
              return {
                type: 'expire',
                amount: -open.remaining,
                balance: current!.data.balance - open.remaining,
                lots: current!.data.lots.filter((l) => l.seq !== lot.seq),
                description: '积分过期',
                ref: { lotSeq: String(lot.seq) },
              };
            },
            { key: `expire:${customerId}:${lot.seq}` },
          );
          if (!duplicate) expired.push({ lotSeq: lot.seq, amount: -entry.data.amount });
        } catch (err) {
          if (!(err instanceof NothingToExpire)) throw err;
        }
      }
      await lotIndex().deleteMany({ customerId, expiresAt: { $lte: now } });
      return expired;
    },

    /** Customers holding a lot whose expiry has passed, for the expiry job. */
    async customersWithDueLots(limit = 500): Promise<string[]> {
      const docs = await lotIndex()
        .find({ expiresAt: { $lte: clock.now() } })
        .limit(limit)
        .toArray();
      return [...new Set(docs.map((d) => d.customerId))];
    },

    prefetch: (customerId: string) => store.warm(streamOf(customerId)),

    async balance(customerId: string): Promise<PointsBalance> {
      const now = clock.now();
      const lots = (await store.head(streamOf(customerId)))?.data.lots ?? [];
      const horizon = now.getTime() + EXPIRING_SOON_DAYS * DAY_MS;
      const soon = lots.filter((l) => Date.parse(l.expiresAt) > now.getTime() && Date.parse(l.expiresAt) <= horizon);
      return {
        balance: spendable(lots, now),
        expiringSoon: {
          amount: soon.reduce((s, l) => s + l.remaining, 0),
          before: soon.length ? soon.map((l) => l.expiresAt).sort()[soon.length - 1] : null,
        },
      };
    },

    /**
     * A page of the statement, newest first. Filtered by direction, it reads back by position
     * until the page is full or it has looked at a bounded number of entries, and says where to go on.
     */
    async page(customerId: string, beforeSeq: number | undefined, limit: number, direction?: 'in' | 'out'): Promise<LedgerPage> {
      const wanted = (e: StreamEntry<LedgerData>) => direction === undefined || (direction === 'in' ? e.data.amount > 0 : e.data.amount < 0);
      const items: StreamEntry<LedgerData>[] = [];
      let before = beforeSeq;
      let looked = 0;
      for (;;) {
        const batch = await store.list(streamOf(customerId), { beforeSeq: before, limit: direction ? FILTER_BATCH : limit });
        for (const e of batch) {
          if (items.length === limit) break;
          looked += 1;
          before = e.seq;
          if (wanted(e)) items.push(e);
        }
        const more = before !== undefined && before > 1 && batch.length > 0;
        if (!direction || items.length === limit || !more || looked >= FILTER_LOOK_LIMIT) {
          return { items: items.map(toEntry), nextBeforeSeq: more ? before! : null };
        }
      }
    },

    /**
     * Every entry of every account, in one pass over the ledger (a scan: for the cockpit's books and
     * checks, never a customer's request): whose, when, what kind, how much, and the balance after.
     */
    async *scan(): AsyncIterable<{ customerId: string; seq: number; at: Date; type: EntryType; amount: number; balance: number }> {
      const cursor = db.collection<StreamEntry<LedgerData>>('points_ledger').find({}, { batchSize: 5000 });
      for await (const e of cursor) {
        if (!e.stream.startsWith('points:')) continue;
        yield { customerId: e.stream.slice('points:'.length), seq: e.seq, at: e.at, type: e.data.type, amount: e.data.amount, balance: e.data.balance };
      }
    },
    findByKey: (customerId: string, key: string) => store.findByKey(streamOf(customerId), key),
    /** The activities that paid this customer points in their latest `limit` entries, newest first. */
    async recentActivities(customerId: string, limit: number): Promise<string[]> {
      const ids = (await store.list(streamOf(customerId), { limit })).map((e) => e.data.ref?.activityId).filter((id): id is string => id !== undefined);
      return [...new Set(ids)];
    },

    /** Checks one account from its first entry: contiguous, sum of amounts = balance = sum of open lots, never negative. */
    check: (customerId: string) => audit.check(streamOf(customerId)),
    /** The incremental check of every account changed since its last check, and what it has found. */
    audit,

    ensureIndexes: async () => {
      await store.ensureIndexes();
      await lotIndex().createIndex({ expiresAt: 1 });
    },
  };
}
