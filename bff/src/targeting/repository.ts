import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { insertManyOnce, insertOnce, numberedSlots } from '@/platform/keyed';
import { createStreamStore } from '@/platform/stream';
import { replaceById } from '@/platform/upsert';

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
/** A place among the activities shown to a customer on a day (see admitToday). */
type Slot = { _id: string; customerId: string; day: string; k: number; activityId: string };

export function createTargetingRepository(db: Database, clock: Clock) {
  const tags = () => db.collection<TagDoc>('customer_tags');
  const members = () => db.collection<ListMember>('list_members');
  // 不感兴趣 is a stream per customer whose head carries the dismissals in force: rewriting one
  // document (read, change, replace) lost one of two dismissals made at once, as FerretDB's
  // updates are not atomic; an append is (see platform/stream).
  const dismissalStream = createStreamStore<{ items: Dismissal[] }>(db, 'activity_dismissal_streams', clock);
  const streamOf = (customerId: string) => `dismissals:${customerId}`;
  /** The dismissals in force, from the stream head: the later word on an activity wins. */
  async function dismissalsOf(customerId: string): Promise<Dismissal[]> {
    const head = await dismissalStream.head(streamOf(customerId));
    const latest = new Map<string, Dismissal>();
    for (const item of head?.data.items ?? []) latest.set(item.activityId, item);
    return [...latest.values()];
  }
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
      await dismissalStream.append(streamOf(customerId), async (head) => {
        const current = head ? head.data.items : await dismissalsOf(customerId);
        return { items: [...current.filter((i) => i.activityId !== d.activityId && i.until > clock.now()), d] };
      });
    },
    /** Read from the database each time (the stream's head is probed there, not taken from the process). */
    activeDismissals: async (customerId: string) => (await dismissalsOf(customerId)).filter((i) => i.until > clock.now()),
    ensureIndexes: () => dismissalStream.ensureIndexes(),

    /**
     * Shows at most `cap` activities a day. Showing an activity for the first time that day
     * claims a numbered slot (`customer|day|k`) by insert; the slots are the only record of
     * what was shown, so racing requests of one customer can never show more than `cap`. The
     * activities new today take the free slots in their order, in one batch of inserts; a slot
     * another request took meanwhile is read back, and what is still unshown tries the next.
     */
    async admitToday(customerId: string, day: string, activityIds: string[], cap: number): Promise<Set<string>> {
      const prefix = `${customerId}|${day}`;
      const ids = impressions.ids(prefix, cap);
      const current = await impressions.read(prefix, cap);
      for (;;) {
        const shown = new Set(current.flatMap((s) => (s ? [s.activityId] : [])));
        const free = ids.filter((_, i) => !current[i]);
        const wanted = activityIds.filter((id) => !shown.has(id)).slice(0, free.length);
        if (!wanted.length) return new Set(activityIds.filter((id) => shown.has(id)));
        const docs = wanted.map((activityId, i) => ({ _id: free[i], customerId, day, k: Number(free[i].slice(prefix.length + 1)), activityId }));
        const lost = new Set((await insertManyOnce(slots(), docs)).duplicateIndexes);
        const taken = await Promise.all(docs.map((doc, i) => (lost.has(i) ? slots().findOne({ _id: doc._id }) : doc)));
        // A slot that cannot be read back after its insert failed is left free this round; it is read again next time.
        taken.forEach((slot, i) => (current[ids.indexOf(docs[i]._id)] = slot));
        if (taken.some((slot) => slot === null)) return new Set(activityIds.filter((id) => current.some((s) => s?.activityId === id)));
      }
    },
  };
}

export type TargetingRepository = ReturnType<typeof createTargetingRepository>;
