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
