import type { Connection } from 'mongoose';

/** The most calls one grouped command carries; more wait for the next. */
const MAX_GROUP = 200;
/**
 * How many commands for one collection go on their way before calls wait to go together: one, so
 * that under load every call made while it travels goes in the next group.
 */
const IN_FLIGHT = 1;
/** How long a group's command may hold up the next group. */
const STALLED_MS = 5_000;

type Call<A, R> = { args: A; resolve: (result: R) => void; reject: (err: unknown) => void };

/**
 * Group commit: a call goes at once (`one`, as it would without this) while no command for the
 * collection is on its way; otherwise calls wait and go together as one command when it returns (`many`: each call's own result or error, or a throw that fails them
 * all). A quiet collection costs nothing more; a busy one takes many writers for few messages.
 */
function groupCommit<A, R>(one: (args: A) => Promise<R>, many: (group: A[]) => Promise<(R | Error)[]>): (args: A) => Promise<R> {
  let waiting: Call<A, R>[] = [];
  let sending = 0;

  async function send(group: Call<A, R>[]) {
    if (group.length === 1) return one(group[0].args).then(group[0].resolve, group[0].reject);
    try {
      const outcomes = await many(group.map((c) => c.args));
      group.forEach((c, i) => (outcomes[i] instanceof Error ? c.reject(outcomes[i]) : c.resolve(outcomes[i] as R)));
    } catch (err) {
      for (const c of group) c.reject(err);
    }
  }

  function next() {
    if (sending >= IN_FLIGHT || !waiting.length) return;
    sending += 1;
    const group = waiting.slice(0, MAX_GROUP);
    waiting = waiting.slice(MAX_GROUP);
    // A command that hangs (a connection gone half-open) holds up only its own group: past a while the next one goes anyway.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      sending -= 1;
      next();
    };
    const stalled = setTimeout(release, STALLED_MS);
    void send(group).finally(() => {
      clearTimeout(stalled);
      release();
    });
    next();
  }

  return (args: A) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ args, resolve, reject });
      next();
    });
}

/**
 * The per-operation failures of a bulk write, by the operation's place in it, each shaped as that
 * operation's own failure would have been (E11000 keeps code 11000). A failure that names no
 * operation (a lost connection, a busy database, a write concern not met) may have stored some of
 * them: it is thrown, and every caller treats its write as unknown, as it would a failed write of its own.
 */
function failuresByIndex(err: unknown): Map<number, Error> {
  const { writeErrors, result } = err as { writeErrors?: unknown; result?: { getWriteConcernError?: () => unknown } };
  const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index: number; code?: number; errmsg?: string }[];
  if (!failures.length || result?.getWriteConcernError?.()) throw err;
  return new Map(failures.map((f) => [f.index, Object.assign(new Error(f.errmsg ?? 'write failed'), { code: f.code })]));
}

/**
 * The first failure of an ordered insert, by its place in it (E11000 keeps code 11000); null when
 * the failure names no document (a lost connection, a busy database): it may have stored a prefix.
 */
function firstFailure(err: unknown): { index: number; code?: number; errmsg?: string } | null {
  const { writeErrors, result } = err as { writeErrors?: unknown; result?: { getWriteConcernError?: () => unknown } };
  const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as { index: number; code?: number; errmsg?: string } | undefined;
  return first && !result?.getWriteConcernError?.() ? first : null;
}

type Doc = { _id?: unknown };
type InsertResult = { acknowledged: true; insertedId: unknown };

/**
 * Single-document inserts, grouped (see groupCommit) into unordered inserts: on FerretDB's SQLite
 * backend one message and one transaction for the group. Each document still stands alone, so
 * every guarantee built on a unique-key insert holds: an unordered insert tries every document,
 * and each caller learns its own document's fate (E11000 when its key was taken). Ordered runs
 * (`insertMany(docs, { ordered: true })`) are grouped the same way into ordered inserts.
 *
 * Only plain `insertOne(doc)` and `insertMany(docs, { ordered: true })` calls are grouped; others go alone.
 */
export function groupInserts(conn: Connection): void {
  const plain = conn.collection.bind(conn) as Connection['collection'];
  const grouped = new Map<string, ReturnType<Connection['collection']>>();

  conn.collection = ((name: string, options?: unknown) => {
    if (options !== undefined) return plain(name, options as never);
    let collection = grouped.get(name);
    if (!collection) {
      collection = insertingTogether(plain(name));
      grouped.set(name, collection);
    }
    return collection;
  }) as Connection['collection'];
}

function insertingTogether<C extends ReturnType<Connection['collection']>>(target: C): C {
  const inserted = (doc: Doc): InsertResult => ({ acknowledged: true, insertedId: doc._id });
  const insert = groupCommit<Doc, InsertResult>(
    async (doc) => {
      await target.insertOne(doc as never);
      return inserted(doc);
    },
    async (docs) => {
      try {
        await target.insertMany(docs as never[], { ordered: false });
        return docs.map(inserted);
      } catch (err) {
        const failed = failuresByIndex(err);
        return docs.map((doc, i) => failed.get(i) ?? inserted(doc));
      }
    },
  );
  /**
   * Ordered inserts (`insertMany(docs, { ordered: true })`: a run of documents where each goes
   * in only if the ones before it did), grouped into one ordered insert of them all, one run
   * after another. It stops at its first failure: the runs before it are in, the run it falls in
   * gets that failure (its place counted within the run, as its own insert would say), and the
   * runs after it, not tried, go again. A failure naming no document fails every run not yet in,
   * as it would have failed each of them alone.
   */
  const insertInOrder = groupCommit<Doc[], null>(
    async (docs) => {
      await target.insertMany(docs as never[], { ordered: true });
      return null;
    },
    async (runs) => {
      const outcomes: (null | Error)[] = runs.map(() => null);
      for (let from = 0; from < runs.length;) {
        try {
          await target.insertMany(runs.slice(from).flat() as never[], { ordered: true });
          break;
        } catch (err) {
          const first = firstFailure(err);
          if (!first) {
            for (let r = from; r < runs.length; r++) outcomes[r] = err instanceof Error ? err : new Error(String(err));
            break;
          }
          let offset = 0;
          let r = from;
          while (offset + runs[r].length <= first.index) offset += runs[r++].length;
          // Read field by field: the driver's write error serves them from getters, which a spread would drop.
          const own = { index: first.index - offset, code: first.code, errmsg: first.errmsg };
          outcomes[r] = Object.assign(new Error(first.errmsg ?? 'write failed'), { code: first.code, writeErrors: [own] });
          from = r + 1;
        }
      }
      return outcomes;
    },
  );
  const insertOne = (doc: Doc, options?: unknown) => (options === undefined ? insert(doc) : target.insertOne(doc as never, options as never));
  const isPlainOrdered = (options: unknown) =>
    typeof options === 'object' && options !== null && Object.keys(options).length === 1 && (options as { ordered?: unknown }).ordered === true;
  const insertMany = (docs: Doc[], options?: unknown) =>
    isPlainOrdered(options) && docs.length
      ? insertInOrder(docs).then(() => ({ acknowledged: true, insertedCount: docs.length }))
      : target.insertMany(docs as never[], options as never);

  return new Proxy(target, {
    get(collection, property) {
      if (property === 'insertOne') return insertOne;
      if (property === 'insertMany') return insertMany;
      const value = Reflect.get(collection, property, collection) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(collection) : value;
    },
  });
}
