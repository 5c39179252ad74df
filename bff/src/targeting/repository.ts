import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { insertOnce, numberedSlots } from '../platform/keyed';
import { replaceById } from '../platform/upsert';

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
type Dismissal = { activityId: string; type: string; hideType: boolean; until: Date };
/** One document per customer, so the feed reads it by _id. */
type Dismissals = { _id: string; items: Dismissal[] };
type Slot = { _id: string; customerId: string; day: string; k: number; activityId: string };


export function createTargetingRepository(db: Database, clock: Clock) {
  const tags = () => db.collection<TagDoc>('customer_tags');
  const members = () => db.collection<ListMember>('list_members');
  const dismissals = () => db.collection<Dismissals>('activity_dismissals');
  const slots = () => db.collection<Slot>('activity_impression_slots');
  const impressions = numberedSlots(slots);

  return {
    findTags: (customerId: string) => tags().findOne({ _id: customerId }),
    saveTags: ({ _id, ...doc }: TagDoc) => replaceById(tags(), _id, doc),

    /** Adds list memberships; returns how many were new. */
    async addToLists(customerId: string, listIds: string[]): Promise<number> {
      let added = 0;
      for (const listId of listIds) {
        if (await insertOnce(members(), { _id: `${listId}|${customerId}`, listId, customerId, addedAt: clock.now() })) added += 1;
      }
      return added;
    },
    /** Which of these lists the customer is on: one lookup by `_id` each, however long the lists are. */
    async memberOf(customerId: string, listIds: string[]): Promise<Set<string>> {
      const unique = [...new Set(listIds)];
      const found = await Promise.all(unique.map((listId) => members().findOne({ _id: `${listId}|${customerId}` })));
      return new Set(unique.filter((_, i) => found[i] !== null));
    },

    async dismiss(customerId: string, d: Dismissal): Promise<void> {
      const current = (await dismissals().findOne({ _id: customerId }))?.items ?? [];
      const items = [...current.filter((i) => i.activityId !== d.activityId && i.until > clock.now()), d];
      await replaceById(dismissals(), customerId, { items });
    },
    activeDismissals: async (customerId: string) => ((await dismissals().findOne({ _id: customerId }))?.items ?? []).filter((i) => i.until > clock.now()),

    /**
     * Shows at most `cap` activities a day. Showing an activity for the first time that day
     * claims a numbered slot (`customer|day|k`) by insert; the slots are the only record of
     * what was shown, so racing requests of one customer can never show more than `cap`.
     */
    async admitToday(customerId: string, day: string, activityIds: string[], cap: number): Promise<Set<string>> {
      const prefix = `${customerId}|${day}`;
      const current = await impressions.read(prefix, cap);
      const admitted = new Set<string>();
      for (const activityId of activityIds) {
        // Another request of this customer may have taken a slot just now for this very activity.
        const slot = await impressions.claim(prefix, cap, (_id) => ({ _id, customerId, day, k: Number(_id.slice(prefix.length + 1)), activityId }), {
          isMine: (s) => s.activityId === activityId,
          current,
        });
        if (slot) admitted.add(activityId);
      }
      return admitted;
    },

  };
}

export type TargetingRepository = ReturnType<typeof createTargetingRepository>;
