import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { isDuplicateKeyError } from '../platform/errors';

export type TagDoc = {
  _id: string; // customer id
  tier?: string;
  risk?: string;
  funds?: string;
  interests?: string[];
  tags?: string[];
  updatedAt: Date;
};
type ListMember = { _id: string; listId: string; customerId: string; addedAt: Date };
type Dismissal = { _id: string; customerId: string; activityId: string; type: string; hideType: boolean; until: Date };
type Impression = { _id: string; customerId: string; day: string; activityId: string };

const ignoreDuplicate = (err: unknown) => {
  if (!isDuplicateKeyError(err)) throw err;
};

export function createTargetingRepository(db: Database, clock: Clock) {
  const tags = () => db.collection<TagDoc>('customer_tags');
  const members = () => db.collection<ListMember>('list_members');
  const dismissals = () => db.collection<Dismissal>('activity_dismissals');
  const impressions = () => db.collection<Impression>('activity_impressions');
  const slots = () => db.collection<{ _id: string; activityId: string }>('activity_impression_slots');

  return {
    findTags: (customerId: string) => tags().findOne({ _id: customerId }),
    saveTags: (doc: TagDoc) => tags().replaceOne({ _id: doc._id }, doc, { upsert: true }),

    /** Adds list memberships; returns how many were new. */
    async addToLists(customerId: string, listIds: string[]): Promise<number> {
      let added = 0;
      for (const listId of listIds) {
        try {
          await members().insertOne({ _id: `${listId}|${customerId}`, listId, customerId, addedAt: clock.now() });
          added += 1;
        } catch (err) {
          ignoreDuplicate(err);
        }
      }
      return added;
    },
    listsOf: async (customerId: string) => new Set((await members().find({ customerId }).toArray()).map((m) => m.listId)),

    async dismiss(d: Omit<Dismissal, '_id'>): Promise<void> {
      await dismissals().replaceOne({ _id: `${d.customerId}|${d.activityId}` }, d, { upsert: true });
    },
    activeDismissals: (customerId: string) => dismissals().find({ customerId, until: { $gt: clock.now() } }).toArray(),

    /**
     * Shows at most `cap` activities a day. The first showing of an activity claims a numbered
     * slot by insert; with no slot left it is not shown. Unique inserts keep the cap exact even
     * when the same customer's requests race.
     */
    async admitToday(customerId: string, day: string, activityIds: string[], cap: number): Promise<Set<string>> {
      const shown = new Set((await impressions().find({ customerId, day }).toArray()).map((i) => i.activityId));
      const admitted = new Set<string>();
      for (const activityId of activityIds) {
        if (shown.has(activityId)) {
          admitted.add(activityId);
          continue;
        }
        const impressionId = `${customerId}|${day}|${activityId}`;
        try {
          await impressions().insertOne({ _id: impressionId, customerId, day, activityId });
        } catch (err) {
          ignoreDuplicate(err);
          admitted.add(activityId); // another request of this customer showed it just now
          continue;
        }
        let claimed = false;
        for (let k = 1; k <= cap && !claimed; k++) {
          try {
            await slots().insertOne({ _id: `${customerId}|${day}|${k}`, activityId });
            claimed = true;
          } catch (err) {
            ignoreDuplicate(err);
          }
        }
        if (claimed) {
          admitted.add(activityId);
          shown.add(activityId);
        } else {
          await impressions().deleteOne({ _id: impressionId });
        }
      }
      return admitted;
    },

    ensureIndexes: async () => {
      await members().createIndex({ customerId: 1 });
      await dismissals().createIndex({ customerId: 1 });
      await impressions().createIndex({ customerId: 1, day: 1 });
    },
  };
}

export type TargetingRepository = ReturnType<typeof createTargetingRepository>;
