import type { Collection, Document, WithoutId } from 'mongodb';
import { isDuplicateKeyError } from './errors';

/**
 * Replaces the document with this `_id`, creating it if missing. On FerretDB two concurrent
 * upserts of a new `_id` can both try to insert; the loser gets E11000, and then the document
 * exists, so a plain replace finishes the job.
 */
export async function replaceById<T extends Document & { _id: string }>(collection: Collection<T>, id: string, doc: WithoutId<T>): Promise<void> {
  const filter = { _id: id } as Parameters<Collection<T>['replaceOne']>[0];
  try {
    await collection.replaceOne(filter, doc, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    await collection.replaceOne(filter, doc);
  }
}

/**
 * Sets these fields (and adds to counters) of the document with this `_id`, creating it if
 * missing, leaving its other fields as they are. Not a guard on FerretDB (an update there is read,
 * changed and written): for figures and hints only, never for money-like state.
 */
export async function setFields<T extends Document & { _id: string }>(
  collection: Collection<T>,
  id: string,
  set: Partial<WithoutId<T>>,
  inc: Record<string, number> = {},
): Promise<void> {
  const filter = { _id: id } as Parameters<Collection<T>['updateOne']>[0];
  const update = { $set: set, ...(Object.keys(inc).length ? { $inc: inc } : {}) } as Parameters<Collection<T>['updateOne']>[1];
  try {
    await collection.updateOne(filter, update, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    await collection.updateOne(filter, update);
  }
}
