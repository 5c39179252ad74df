import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { isDuplicateKeyError } from './errors';

/**
 * Inserts a document under its `_id`, the one write FerretDB makes atomic: true if this call
 * created it, false if it was there already (a retry, or another process first). Any other
 * error is thrown.
 */
export async function insertOnce<T extends Document>(collection: Collection<T>, doc: OptionalUnlessRequiredId<T>): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

type Slot = Document & { _id: string };

/**
 * At most `max` of something per owner, as numbered slots `<prefix>|1` … `<prefix>|<max>`
 * claimed by insert: racing claims, in any number of processes, never take more than `max`,
 * and reading them is `max` lookups by `_id`.
 */
export function numberedSlots<T extends Slot>(collection: () => Collection<T>) {
  const ids = (prefix: string, max: number) => Array.from({ length: max }, (_, i) => `${prefix}|${i + 1}`);
  const read = (prefix: string, max: number) => Promise.all(ids(prefix, max).map((_id) => collection().findOne({ _id } as never) as Promise<T | null>));

  return {
    ids,
    /** The slots as they are now, in order; null where free. */
    read,
    /**
     * Takes the first free slot with `make(id)` and returns its id, or null when all are taken.
     * With `isMine`, a slot already holding the same claim (a retry, or a racing request for the
     * same thing) is returned instead of taking a second one. `current` is what the caller just
     * read, to save reading it again; it is updated in place as slots turn out taken.
     */
    async claim(prefix: string, max: number, make: (id: string) => T, options: { isMine?: (slot: T) => boolean; current?: (T | null)[] } = {}): Promise<string | null> {
      const { isMine } = options;
      const current = options.current ?? (await read(prefix, max));
      const mine = isMine && current.find((s) => s !== null && isMine(s));
      if (mine) return mine._id;
      for (const [i, _id] of ids(prefix, max).entries()) {
        if (current[i]) continue;
        if (await insertOnce(collection(), make(_id) as OptionalUnlessRequiredId<T>)) return _id;
        const winner = (await collection().findOne({ _id } as never)) as T | null;
        current[i] = winner;
        if (winner && isMine?.(winner)) return _id;
      }
      return null;
    },
  };
}

/**
 * Inserts each document under its `_id`, in any order: those already there (a resend, or
 * another process first) fail alone and are counted, by their place in `docs`; any other
 * failure is thrown.
 */
export async function insertManyOnce<T extends Document>(
  collection: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<{ duplicates: number; duplicateIndexes: number[] }> {
  if (!docs.length) return { duplicates: 0, duplicateIndexes: [] };
  try {
    await collection.insertMany(docs, { ordered: false });
    return { duplicates: 0, duplicateIndexes: [] };
  } catch (err) {
    // Only duplicates are a known outcome. A bulk error with no write errors (a busy database, a
    // lost connection, a write-concern timeout) may have stored some of the documents and not
    // others: the caller must learn it failed.
    const { writeErrors, result } = err as { writeErrors?: unknown; result?: { getWriteConcernError?: () => unknown } };
    const failures = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index: number }[];
    if (!failures.length || !failures.every(isDuplicateKeyError) || result?.getWriteConcernError?.()) throw err;
    return { duplicates: failures.length, duplicateIndexes: failures.map((f) => f.index) };
  }
}
