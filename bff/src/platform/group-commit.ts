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

type InsertResult = { acknowledged: true; insertedId: unknown };

/**
 * Single-document inserts, grouped (see groupCommit) into unordered inserts: on FerretDB's SQLite
 * backend one message and one transaction for the group. Each document still stands alone, so
 * every guarantee built on a unique-key insert holds: an unordered insert tries every document,
 * and each caller learns its own document's fate (E11000 when its key was taken).
 *
 * Only plain `insertOne(doc)` calls are grouped; one with options goes alone.
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
  const inserted = (doc: { _id?: unknown }): InsertResult => ({ acknowledged: true, insertedId: doc._id });
  const insert = groupCommit<{ _id?: unknown }, InsertResult>(
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
  const insertOne = (doc: { _id?: unknown }, options?: unknown) => (options === undefined ? insert(doc) : target.insertOne(doc as never, options as never));

  return new Proxy(target, {
    get(collection, property) {
      if (property === 'insertOne') return insertOne;
      const value = Reflect.get(collection, property, collection) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(collection) : value;
    },
  });
}
