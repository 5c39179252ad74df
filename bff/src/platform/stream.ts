import type { Clock } from './clock';
import type { Database } from './db';
import { AppError, isDuplicateKeyError, isTransientWriteError } from './errors';
import { insertOnce } from './keyed';
import { randomUUID } from 'node:crypto';

/**
 * Append-only streams with a per-stream sequence number.
 *
 * FerretDB applies updates without re-checking their filter, so a guarded `$inc` can lose
 * writes. The only atomic step it offers (as MongoDB does) is an insert under a unique
 * index. An entry's `_id` is `<stream>#<seq>`: appending seq N+1 either inserts, making the
 * caller the one writer of that position, or fails with E11000 because someone else got
 * there first. Entries carry the running state (a balance, a stock level), so the head
 * entry is the current value; anything cached elsewhere is only a hint.
 *
 * An entry's key is also indexed by `_id` (`<collection>_keys`), written after the entry, so
 * "was this request appended?" is a lookup, not a scan (FerretDB scans any filter but `_id`).
 * The append answers once its entry is in: the stream's change mark, then the key's index,
 * then the head hint are written behind it (a request does not wait a round trip for each),
 * and this process's own lookups wait for them. The hint moves only past entries indexed and
 * marked, and reading the head indexes and marks any entry past the hint without its index
 * (a crash, or a write that failed), so every entry up to a head just read has both.
 */
export type StreamEntry<T> = {
  stream: string;
  seq: number;
  /** Unique across the collection: an idempotency key, so one request appends at most once. */
  key: string;
  at: Date;
  data: T;
};

/** `by`: the insert that wrote it, told apart from others after a failure that leaves it unknown. */
type EntryDoc<T> = StreamEntry<T> & { _id: string; by?: string };
type HeadDoc<T> = { _id: string; seq: number; entry: StreamEntry<T> };

export type StreamStore<T> = {
  head(stream: string): Promise<StreamEntry<T> | null>;
  /**
   * Ahead of an append: where this process's next append to a stream it has not seen starts,
   * read from the stored hint alone (one lookup, no probe). The append decides from it and, if the
   * hint lagged, loses the position and reads the head; no refusal rests on it (see `drain`).
   */
  warm(stream: string): Promise<void>;
  /**
   * Reads the head, lets `decide` compute the next entry from it, and appends; on a lost race
   * it re-reads and decides again. `decide` may throw to refuse (for example: not enough points).
   * This process's appends waiting for one stream go in together (see `drain`).
   */
  append(stream: string, decide: (head: StreamEntry<T> | null) => T | Promise<T>, options?: { key?: string }): Promise<{ entry: StreamEntry<T>; duplicate: boolean }>;
  findByKey(stream: string, key: string): Promise<StreamEntry<T> | null>;
  /** The entry with this key in any stream of the collection (sub-streams of one thing share their keys). */
  locate(key: string): Promise<StreamEntry<T> | null>;
  /** The entry at this position of the stream, read by `_id`. */
  entryAt(stream: string, seq: number): Promise<StreamEntry<T> | null>;
  list(stream: string, options: { beforeSeq?: number; limit: number }): Promise<StreamEntry<T>[]>;
  /** Every entry of one stream, oldest first, read by position: its cost is that stream's length, not the collection's. */
  readAll(stream: string): Promise<StreamEntry<T>[]>;
  /** The entries after position `seq` up to the head (or `limit` positions on), oldest first, read by position. */
  readAfter(stream: string, seq: number, limit?: number): Promise<StreamEntry<T>[]>;
  /** Streams appended to since their mark was last cleared (only with `audited`), for an incremental check. */
  changed(limit: number): Promise<string[]>;
  markChanged(stream: string): Promise<void>;
  /** Cleared before the stream is checked, so an append during the check marks it again. */
  clearChanged(stream: string): Promise<void>;
  /** The names of the streams that start with `prefix`: a scan of the collection, for back-office checks only. */
  streamsStartingWith(prefix: string): Promise<string[]>;
  /** Up to `limit` of them, in name order after `after` (null: from the first): a page of a back-office check. */
  streamsPage(prefix: string, after: string | null, limit: number): Promise<string[]>;
  ensureIndexes(): Promise<void>;
};

type Waiter<T> = {
  decide: (head: StreamEntry<T> | null) => T | Promise<T>;
  key?: string;
  /** When it stops retrying a stream too busy to take it. */
  deadline: number;
  /** Lost races so far, for the backoff. */
  attempt: number;
  /** When it arrived, on the store's clock of arrivals and head reads: only a head read after it may ground its refusal. */
  arrived: number;
  /** Tried in a group whose insert failed as a whole, for no reason a retry mends: tried alone now, so only its own failure fails it. */
  alone?: boolean;
  resolve: (appended: { entry: StreamEntry<T>; duplicate: boolean }) => void;
  reject: (err: unknown) => void;
};

const MAX_WAIT_MS = 30_000;
/** The most appends of one stream that go in one insert. */
const MAX_GROUP = 100;
/** How many streams' heads one process remembers (a hint: a wrong one only costs a retry). */
const KNOWN_HEADS = 10_000;

const entryId = (stream: string, seq: number) => `${stream}#${seq}`;
const startingWith = (prefix: string) => `^${prefix.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}`;

function strip<T>(doc: EntryDoc<T>): StreamEntry<T> {
  return { stream: doc.stream, seq: doc.seq, key: doc.key, at: doc.at, data: doc.data };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createStreamStore<T>(db: Database, collectionName: string, clock: Clock, options: { audited?: boolean } = {}): StreamStore<T> {
  const entries = () => db.collection<EntryDoc<T>>(collectionName);
  const heads = () => db.collection<HeadDoc<T>>(`${collectionName}_heads`);
  const keys = () => db.collection<{ _id: string; stream: string; seq: number }>(`${collectionName}_keys`);
  // One mark per stream appended to since its last check: the check's cost follows what changed.
  const marks = () => db.collection<{ _id: string }>(`${collectionName}_touched`);
  const markChanged = async (stream: string) => {
    if (options.audited) await insertOnce(marks(), { _id: stream });
  };
  // The head this process last saw of each stream; null: it saw the stream empty.
  const known = new Map<string, StreamEntry<T> | null>();
  // What this process still writes behind its appends (mark, key index, hint): by stream, in append order, and by key.
  const behind = new Map<string, Promise<void>>();
  const behindKey = new Map<string, Promise<void>>();
  // Streams whose write-behind failed here, with how many times: until a head read has probed one from its stored hint
  // (repairing what was left), neither this process's hint nor a later append's hint may pass over the entry.
  const unrepaired = new Map<string, number>();
  // Streams with a group of this process's appends being inserted, until it has landed and is remembered.
  const inserting = new Map<string, Promise<void>>();

  function rememberLocally(stream: string, entry: StreamEntry<T> | null) {
    known.delete(stream);
    known.set(stream, entry);
    if (known.size > KNOWN_HEADS) known.delete(known.keys().next().value as string);
  }

  /** Indexes an entry's own key (default keys are the `_id` itself and need none). */
  async function indexKey(entry: StreamEntry<T>): Promise<void> {
    if (entry.key === entryId(entry.stream, entry.seq)) return;
    await insertOnce(keys(), { _id: entry.key, stream: entry.stream, seq: entry.seq });
  }

  /** The entry with this key in whichever stream holds it, as far as the key index knows. */
  async function locate(key: string): Promise<StreamEntry<T> | null> {
    await behindKey.get(key);
    const at = await keys().findOne({ _id: key });
    if (!at) return null;
    const doc = await entries().findOne({ _id: entryId(at.stream, at.seq) });
    return doc ? strip(doc) : null;
  }

  /** The entry with this key, as far as the key index knows. */
  async function indexed(stream: string, key: string): Promise<StreamEntry<T> | null> {
    const found = await locate(key);
    return found?.stream === stream ? found : null;
  }

  async function findByKey(stream: string, key: string): Promise<StreamEntry<T> | null> {
    // The head is read beside the lookup: if the key is not indexed (never appended, or an
    // append whose index is still to come), reading the head has indexed it by then. An empty
    // stream, or one nobody appended to since this process last saw its head, holds nothing
    // the lookup could have missed.
    const before = known.has(stream) && !unrepaired.has(stream) ? (known.get(stream)?.seq ?? 0) : null;
    const [found, current] = await Promise.all([indexed(stream, key), head(stream)]);
    if (found || !current || current.seq === before) return found;
    return indexed(stream, key);
  }

  async function head(stream: string): Promise<StreamEntry<T> | null> {
    // This process's own appends on their way in land first: read before them, they are positions to probe one by one.
    await inserting.get(stream);
    // Start from the hint and probe forward by _id until a position is free. The position after
    // the head this process last saw (the first, if none) is read beside the hint: a stream
    // nobody else has written since, or a new one, costs one round trip.
    const failures = unrepaired.get(stream);
    const mine = failures === undefined ? (known.get(stream) ?? null) : null;
    const [hinted, afterMine] = await Promise.all([heads().findOne({ _id: stream }), entries().findOne({ _id: entryId(stream, (mine?.seq ?? 0) + 1) })]);
    const hint = hinted?.entry ?? null;
    let current: StreamEntry<T> | null = mine && mine.seq > (hint?.seq ?? 0) ? mine : hint;
    // The position after `current`, when already read.
    let next = (current?.seq ?? 0) === (mine?.seq ?? 0) ? afterMine : undefined;
    for (;;) {
      if (next === undefined) next = await entries().findOne({ _id: entryId(stream, (current?.seq ?? 0) + 1) });
      if (!next) {
        // Probed from the stored hint: what a failed write-behind left is repaired, unless another failed meanwhile.
        if (failures !== undefined && unrepaired.get(stream) === failures) unrepaired.delete(stream);
        // Remembered as this process's hint: an append that follows (here, soon) starts from it instead of reading it again.
        if (!unrepaired.has(stream) && (!known.has(stream) || (current?.seq ?? 0) > (known.get(stream)?.seq ?? 0))) rememberLocally(stream, current);
        return current;
      }
      current = strip(next);
      next = undefined;
      // Past the hint: its writer may have died before indexing it (a read first: usually it has),
      // or before marking the stream for the incremental check.
      if (current.key !== entryId(stream, current.seq) && !(await keys().findOne({ _id: current.key }))) {
        await markChanged(stream);
        await indexKey(current);
      }
    }
  }

  async function warm(stream: string): Promise<void> {
    if (known.has(stream) || unrepaired.has(stream)) return;
    const hinted = await heads().findOne({ _id: stream });
    if (!known.has(stream) && !unrepaired.has(stream)) rememberLocally(stream, hinted?.entry ?? null);
  }

  /**
   * After appends (consecutive entries of one stream): the stream's change mark, then the keys'
   * index (an index found means a mark written), then the hint; one stream's in append order. A
   * write that fails leaves the hint behind the entries (later appends here do not move it
   * either), and this process forgets its own, so the next head read here probes from the stored
   * hint and repairs it.
   */
  function writeBehind(appended: StreamEntry<T>[]) {
    const { stream } = appended[0];
    const last = appended[appended.length - 1];
    const previous = behind.get(stream) ?? Promise.resolve();
    const done: Promise<void> = previous
      .then(async () => {
        await markChanged(stream);
        await Promise.all(appended.map(indexKey));
        // A later append of this stream queued behind these moves the hint further.
        if (behind.get(stream) === done && !unrepaired.has(stream)) await remember(last);
      })
      .catch(() => {
        unrepaired.set(stream, (unrepaired.get(stream) ?? 0) + 1);
        known.delete(stream);
      })
      .finally(() => {
        if (behind.get(stream) === done) behind.delete(stream);
        for (const { key } of appended) if (behindKey.get(key) === done) behindKey.delete(key);
      });
    behind.set(stream, done);
    for (const { key } of appended) behindKey.set(key, done);
  }

  // A hint only: it may lag or even step back when writers race; head() probes forward from it, so
  // it never fails the append that wrote the entry. The filter is the _id alone: that is the one
  // filter FerretDB's SQLite backend looks up instead of scanning. Hints written at once go together.
  const remember = (entry: StreamEntry<T>) =>
    heads()
      .replaceOne({ _id: entry.stream }, { seq: entry.seq, entry }, { upsert: true })
      .catch(() => undefined);

  /** Appends that wait in this process for a stream, in arrival order: they go in together (see `drain`). */
  const waiting = new Map<string, Waiter<T>[]>();
  // Orders arrivals and head reads: a refusal stands only on a head read begun after the append arrived.
  let ticks = 0;

  function append(stream: string, decide: (head: StreamEntry<T> | null) => T | Promise<T>, options: { key?: string } = {}) {
    return new Promise<{ entry: StreamEntry<T>; duplicate: boolean }>((resolve, reject) => {
      const waiter: Waiter<T> = { decide, key: options.key, deadline: Date.now() + MAX_WAIT_MS, attempt: 0, arrived: ++ticks, resolve, reject };
      const queue = waiting.get(stream);
      if (queue) return void queue.push(waiter);
      const started = [waiter];
      waiting.set(stream, started);
      void drain(stream, started);
    });
  }

  /**
   * Group commit for one stream: the appends waiting for it are decided one after another, each
   * from the state the previous one leaves, and inserted as one ordered insert of consecutive
   * positions. An ordered insert stops at its first failure, so the entries that went in are a
   * prefix, each on the state before it: a position another process took, or a key already used,
   * stops the group there, and what follows is decided again from the head as it stands.
   * Concurrent appends to a hot stream (a prize's stock, a budget) cost one round trip per group,
   * not one each, and none of them loses a race to another of this process.
   */
  async function drain(stream: string, queue: Waiter<T>[]) {
    let current: StreamEntry<T> | null | undefined = known.get(stream);
    // When `current` was read from the database (on the arrivals' clock); null: remembered, or predicted by an insert.
    let readAt: number | null = null;
    while (queue.length) {
      if (current === undefined) {
        const started = ++ticks;
        try {
          current = await head(stream);
        } catch (err) {
          // The first in line is told; the next tries again.
          queue.shift()!.reject(err);
          continue;
        }
        readAt = started;
      }
      const group = queue.splice(0, MAX_GROUP);
      try {
        const planned: { waiter: Waiter<T>; entry: StreamEntry<T> }[] = [];
        let state = current;
        let readAgain = false;
        for (const [i, waiter] of group.entries()) {
          // An append without a key goes alone (after a failure that leaves an insert unknown a key, or its position, tells
          // whether it went in), and so does one whose group failed as a whole.
          const single = !waiter.key || waiter.alone === true;
          if (planned.length && single) {
            queue.unshift(...group.slice(i));
            break;
          }
          let data: T;
          try {
            data = await waiter.decide(state);
          } catch (err) {
            // Only the head as it stands now may ground a refusal: not one remembered (another process may have appended
            // since: a restock, a credit), nor one read before this append arrived, nor one counting entries not yet in.
            if (readAt === null || readAt < waiter.arrived || planned.length) {
              queue.unshift(...group.slice(i));
              readAgain = !planned.length;
              break;
            }
            // A retry of a request that already succeeded gets its entry back, not a refusal computed
            // from the state its own first run produced. On a head just read the index is complete up to it.
            const existing = waiter.key ? await indexed(stream, waiter.key) : null;
            if (existing) waiter.resolve({ entry: existing, duplicate: true });
            else waiter.reject(err);
            continue;
          }
          const seq = (state?.seq ?? 0) + 1;
          const entry: StreamEntry<T> = { stream, seq, key: waiter.key ?? entryId(stream, seq), at: clock.now(), data };
          planned.push({ waiter, entry });
          state = entry;
          if (single) {
            queue.unshift(...group.slice(i + 1));
            break;
          }
        }
        if (!planned.length) {
          if (readAgain) current = undefined;
          continue;
        }
        let landed = () => undefined as void;
        inserting.set(stream, new Promise<void>((resolve) => (landed = resolve)));
        let written: Awaited<ReturnType<typeof insertInOrder>>;
        try {
          written = await insertInOrder(planned.map((p) => p.entry));
          if (written.stored.length) rememberLocally(stream, written.stored[written.stored.length - 1]);
        } finally {
          inserting.delete(stream);
          landed();
        }
        const { stored, stop } = written;
        if (stored.length) {
          writeBehind(stored);
          for (const [i, entry] of stored.entries()) planned[i].waiter.resolve({ entry, duplicate: false });
          current = stored[stored.length - 1];
          readAt = null;
        }
        if (!stop) continue;
        const stopped = planned[stored.length].waiter;
        const rest = planned.slice(stored.length + 1).map((p) => p.waiter);
        if (stop.failed) {
          // Its own failure (a document the database refuses): it alone is told; what follows goes again.
          stopped.reject(stop.failed);
          queue.unshift(...rest);
          continue;
        }
        if (stop.unknown) {
          // Failed as a whole, for no reason a retry mends and naming no document: one tried alone is told; a group's are
          // tried again one by one, so only the one at fault fails.
          if (planned.length - stored.length === 1 && stopped.alone) stopped.reject(stop.unknown);
          else {
            for (const w of [stopped, ...rest]) w.alone = true;
            queue.unshift(stopped, ...rest);
          }
          current = undefined;
          continue;
        }
        // Keys are unique across the collection: sub-streams of one item share them, so a key taken in
        // a sibling stream is this request's entry too.
        const existing = stop.taken && stopped.key ? ((await findByKey(stream, stopped.key)) ?? (await locate(stopped.key))) : null;
        if (existing) stopped.resolve({ entry: existing, duplicate: true });
        // The rest of the group goes again, ahead of what came after it.
        queue.unshift(...(existing ? [] : [stopped]), ...rest);
        known.delete(stream);
        current = undefined;
        // Another process won this position. Jittered backoff keeps processes from retrying in lockstep.
        const late = queue.filter((w) => Date.now() > w.deadline);
        for (const w of late) {
          queue.splice(queue.indexOf(w), 1);
          w.reject(new AppError('SERVICE_UNAVAILABLE', { message: 'stream is too busy, try again' }));
        }
        const attempt = queue[0] ? queue[0].attempt++ : 0;
        if (attempt > 0) await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
      } catch (err) {
        // A read failed for a reason no retry here mends: the appends of this group not yet answered
        // are told (an answered one ignores it), and none of them is tried again.
        for (const w of group) {
          if (queue.includes(w)) queue.splice(queue.indexOf(w), 1);
          w.reject(err);
        }
        current = undefined;
      }
    }
    waiting.delete(stream);
  }

  type Stop = { taken?: true; busy?: true; failed?: unknown; unknown?: unknown };

  /**
   * Inserts consecutive entries of one stream in order, stopping at the first that fails: the
   * entries stored, and why it stopped: a key or position taken; a busy database; the entry's own
   * failure (`failed`); or a failure of the whole insert naming no entry (`unknown`). After a
   * failure that may have stored some entries (a busy database, a lost connection), the positions
   * are read back: an entry found there written by this insert (`by`) went in.
   */
  async function insertInOrder(batch: StreamEntry<T>[]): Promise<{ stored: StreamEntry<T>[]; stop: Stop | null }> {
    const by = randomUUID();
    const docs: EntryDoc<T>[] = batch.map((entry) => ({ _id: entryId(entry.stream, entry.seq), ...entry, by }));
    try {
      // One entry goes with other streams' inserts into the collection (group-commit); several, as one ordered insert.
      if (docs.length === 1) await entries().insertOne(docs[0]);
      else await entries().insertMany(docs, { ordered: true });
      return { stored: batch, stop: null };
    } catch (err) {
      const { writeErrors } = err as { writeErrors?: unknown };
      const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as { index?: number } | undefined;
      const own = first ?? (docs.length === 1 && isDuplicateKeyError(err) ? { index: 0, code: 11000 } : undefined);
      if (own) {
        const stored = batch.slice(0, own.index ?? 0);
        return { stored, stop: isDuplicateKeyError(own) ? { taken: true } : { failed: err } };
      }
      const found = await Promise.all(docs.map((d) => entries().findOne({ _id: d._id })));
      const went = found.findIndex((d) => d?.by !== by);
      const stored = went === -1 ? batch : batch.slice(0, went);
      if (stored.length === batch.length) return { stored, stop: null };
      return { stored, stop: isTransientWriteError(err) ? { busy: true } : { unknown: err } };
    }
  }

  async function readAfter(stream: string, seq: number, limit = Infinity): Promise<StreamEntry<T>[]> {
    const top = Math.min((await head(stream))?.seq ?? 0, seq + limit);
    const out: StreamEntry<T>[] = [];
    for (let from = seq + 1; from <= top; from += 100) {
      const seqs = Array.from({ length: Math.min(100, top - from + 1) }, (_, i) => from + i);
      const docs = await Promise.all(seqs.map((at) => entries().findOne({ _id: entryId(stream, at) })));
      out.push(...docs.filter((d): d is NonNullable<typeof d> => d !== null).map(strip));
    }
    return out;
  }

  return {
    head,
    warm,
    append,
    findByKey,
    locate,
    async entryAt(stream, seq) {
      const doc = await entries().findOne({ _id: entryId(stream, seq) });
      return doc ? strip(doc) : null;
    },
    async list(stream, { beforeSeq, limit }) {
      // Newest first, as a range of _id lookups: positions are contiguous, and a lookup by _id
      // is the one query every backend (FerretDB's SQLite one included) answers from an index.
      const top = beforeSeq === undefined ? ((await head(stream))?.seq ?? 0) : beforeSeq - 1;
      const seqs = Array.from({ length: Math.min(limit, top) }, (_, i) => top - i);
      const docs = await Promise.all(seqs.map((seq) => entries().findOne({ _id: entryId(stream, seq) })));
      return docs.filter((d): d is NonNullable<typeof d> => d !== null).map(strip);
    },
    readAll: (stream) => readAfter(stream, 0),
    readAfter,
    async changed(limit) {
      await Promise.all(behind.values());
      // A scan of the marks only: they are as many as the streams changed since the last check.
      return (await marks().find({}).limit(limit).toArray()).map((m) => m._id);
    },
    markChanged,
    async clearChanged(stream) {
      await marks().deleteOne({ _id: stream });
    },
    async streamsStartingWith(prefix) {
      return (await entries().distinct('stream', { stream: { $regex: startingWith(prefix) } })) as string[];
    },
    async streamsPage(prefix, after, limit) {
      // Every stream has one first entry: a page of first entries is a page of streams.
      const named = { $regex: startingWith(prefix), ...(after === null ? {} : { $gt: after }) };
      const firsts = await entries()
        .find({ seq: 1, stream: named }, { projection: { stream: 1 } })
        .sort({ stream: 1 })
        .limit(limit)
        .toArray();
      return firsts.map((e) => e.stream);
    },
    async ensureIndexes() {
      await entries().createIndex({ key: 1 }, { unique: true });
      await entries().createIndex({ stream: 1, seq: -1 }, { unique: true });
    },
  };
}
