import type { Clock } from './clock';
import type { Database } from './db';
import { AppError, isDuplicateKeyError, isTransientWriteError } from './errors';
import { createKeyedQueue } from './keyed-queue';
import { insertOnce } from './keyed';

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

type EntryDoc<T> = StreamEntry<T> & { _id: string };
type HeadDoc<T> = { _id: string; seq: number; entry: StreamEntry<T> };

type AppendOutcome<T> = { status: 'appended'; entry: StreamEntry<T> } | { status: 'conflict' } | { status: 'duplicate'; entry: StreamEntry<T> };

export type StreamStore<T> = {
  head(stream: string): Promise<StreamEntry<T> | null>;
  /** Tries to write entry `seq`; tells whether it won, lost the position, or the key was already used. */
  tryAppend(stream: string, seq: number, data: T, key?: string): Promise<AppendOutcome<T>>;
  /**
   * Reads the head, lets `decide` compute the next entry from it, and appends; on a lost race
   * it re-reads and decides again. `decide` may throw to refuse (for example: not enough points).
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

const MAX_WAIT_MS = 30_000;
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
  const queue = createKeyedQueue();
  // The head this process last saw of each stream; null: it saw the stream empty.
  const known = new Map<string, StreamEntry<T> | null>();
  // What this process still writes behind its appends (mark, key index, hint): by stream, in append order, and by key.
  const behind = new Map<string, Promise<void>>();
  const behindKey = new Map<string, Promise<void>>();
  // Streams whose write-behind failed here, with how many times: until a head read has probed one from its stored hint
  // (repairing what was left), neither this process's hint nor a later append's hint may pass over the entry.
  const unrepaired = new Map<string, number>();

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

  /**
   * After an append: the stream's change mark, then the key's index (an index found means a mark
   * written), then the hint; one stream's in append order. A write that fails leaves the hint
   * behind the entry (later appends here do not move it either), and this process forgets its
   * own, so the next head read here probes from the stored hint and repairs it.
   */
  function writeBehind(entry: StreamEntry<T>) {
    const previous = behind.get(entry.stream) ?? Promise.resolve();
    const done: Promise<void> = previous
      .then(async () => {
        await markChanged(entry.stream);
        await indexKey(entry);
        // A later append of this stream queued behind this one moves the hint further.
        if (behind.get(entry.stream) === done && !unrepaired.has(entry.stream)) await remember(entry);
      })
      .catch(() => {
        unrepaired.set(entry.stream, (unrepaired.get(entry.stream) ?? 0) + 1);
        known.delete(entry.stream);
      })
      .finally(() => {
        if (behind.get(entry.stream) === done) behind.delete(entry.stream);
        if (behindKey.get(entry.key) === done) behindKey.delete(entry.key);
      });
    behind.set(entry.stream, done);
    behindKey.set(entry.key, done);
  }

  async function remember(entry: StreamEntry<T>): Promise<void> {
    // A hint only: it may lag or even step back when writers race; head() probes forward from
    // it, so it never fails the append that wrote the entry. The filter is the _id alone:
    // that is the one filter FerretDB's SQLite backend looks up instead of scanning.
    await heads()
      .replaceOne({ _id: entry.stream }, { seq: entry.seq, entry }, { upsert: true })
      .catch(() => undefined);
  }

  async function tryAppend(stream: string, seq: number, data: T, key?: string): Promise<AppendOutcome<T>> {
    const entry: StreamEntry<T> = { stream, seq, key: key ?? entryId(stream, seq), at: clock.now(), data };
    try {
      await entries().insertOne({ _id: entryId(stream, seq), ...entry });
    } catch (err) {
      if (isTransientWriteError(err)) return { status: 'conflict' };
      if (!isDuplicateKeyError(err)) throw err;
      if (key) {
        // Keys are unique across the collection: sub-streams of one item share them, so a key
        // taken in a sibling stream is this request's entry too.
        const existing = (await findByKey(stream, key)) ?? (await locate(key));
        if (existing) return { status: 'duplicate', entry: existing };
      }
      return { status: 'conflict' };
    }
    rememberLocally(stream, entry);
    writeBehind(entry);
    return { status: 'appended', entry };
  }

  async function appendNow(stream: string, decide: (head: StreamEntry<T> | null) => T | Promise<T>, key?: string) {
    const deadline = Date.now() + MAX_WAIT_MS;
    let current: StreamEntry<T> | null | undefined = known.get(stream);
    // Whether `current` was read from the database in this call, not remembered from an earlier one.
    let fresh = false;
    for (let attempt = 0; ; attempt++) {
      if (current === undefined) {
        current = await head(stream);
        fresh = true;
      }
      let data: T;
      try {
        data = await decide(current);
      } catch (err) {
        // A retry of a request that already succeeded gets its entry back, not a refusal
        // computed from the state its own first run produced. On a head just read, the index
        // is complete up to it, so a lookup is enough.
        const existing = key ? await (fresh ? indexed(stream, key) : findByKey(stream, key)) : null;
        if (existing) return { entry: existing, duplicate: true };
        // A remembered head is a hint: another process may have appended since (a restock, a
        // credit). Only the head as it stands now may ground a refusal.
        if (!fresh) {
          known.delete(stream);
          current = undefined;
          continue;
        }
        throw err;
      }
      const outcome = await tryAppend(stream, (current?.seq ?? 0) + 1, data, key);
      if (outcome.status === 'appended') return { entry: outcome.entry, duplicate: false };
      if (outcome.status === 'duplicate') return { entry: outcome.entry, duplicate: true };
      if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', { message: 'stream is too busy, try again' });
      known.delete(stream);
      current = undefined;
      // Another process won this position. Jittered backoff keeps processes from retrying in lockstep.
      if (attempt > 0) await sleep(Math.random() * Math.min(50, 2 ** Math.min(attempt, 6)));
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

  const append = (stream: string, decide: (head: StreamEntry<T> | null) => T | Promise<T>, options: { key?: string } = {}) =>
    queue(stream, () => appendNow(stream, decide, options.key));

  return {
    head,
    tryAppend,
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
