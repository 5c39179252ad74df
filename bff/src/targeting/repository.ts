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

/** Customer-days whose taken slots a process remembers. */
const SEEN_DAYS = 20_000;

/** An upload naming only lists the customer is on already: nothing to append. */
class ListsUnchanged extends Error {}

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
  // The lists a customer is on, as a stream whose head holds them all: read in one lookup, grown by appends (atomic, unlike an update).
  const listStreams = createStreamStore<{ lists: string[] }>(db, 'customer_list_streams', clock);
  const listsOf = (customerId: string) => `lists:${customerId}`;
  const slots = () => db.collection<Slot>('activity_impression_slots');
  // Per customer and day, the slots this process has seen taken (see admitToday).
  const seenTaken = new Map<string, (Slot | null)[]>();
  const impressions = numberedSlots(slots);

  return {
    findTags: (customerId: string) => tags().findOne({ _id: customerId }),
    /** Every customer's uploaded tags, and the memberships of these lists: what an audience estimate reads (scans). */
    allTags: () => tags().find({}).toArray(),
    membersOf: (listIds: string[]) =>
      listIds.length
        ? members()
            .find({ listId: { $in: listIds } }, { projection: { listId: 1, customerId: 1 } })
            .toArray()
        : Promise.resolve([]),
    listIds: async (): Promise<string[]> => (await members().distinct('listId')) as string[],
    saveTags: ({ _id, ...doc }: TagDoc) => replaceById(tags(), _id, doc),

    /**
     * Adds list memberships; returns how many were new. Each is a record of its own (who is on a
     * list), and the customer's stream of lists gains those it lacks: even after a crash between
     * the two, the next upload of the same rows completes the stream.
     */
    async addToLists(customerId: string, listIds: string[]): Promise<number> {
      const inserted = await Promise.all(listIds.map((listId) => insertOnce(members(), { _id: `${listId}|${customerId}`, listId, customerId, addedAt: clock.now() })));
      if (listIds.length)
        await listStreams
          .append(listsOf(customerId), (head) => {
            const current = head?.data.lists ?? [];
            const fresh = [...new Set(listIds)].filter((l) => !current.includes(l));
            if (!fresh.length) throw new ListsUnchanged();
            return { lists: [...current, ...fresh] };
          })
          .catch((err: unknown) => {
            if (!(err instanceof ListsUnchanged)) throw err;
          });
      return inserted.filter(Boolean).length;
    },
    /** The lists the customer is on: the head of the customer's stream of lists, one read however many lists live activities name. */
    listsOf: async (customerId: string): Promise<Set<string>> => new Set((await listStreams.head(listsOf(customerId)))?.data.lists ?? []),

    async dismiss(customerId: string, d: Dismissal): Promise<void> {
      await dismissalStream.append(streamOf(customerId), async (head) => {
        const current = head ? head.data.items : await dismissalsOf(customerId);
        return { items: [...current.filter((i) => i.activityId !== d.activityId && i.until > clock.now()), d] };
      });
    },
    /** Read from the database each time (the stream's head is probed there, not taken from the process). */
    activeDismissals: async (customerId: string) => (await dismissalsOf(customerId)).filter((i) => i.until > clock.now()),
    ensureIndexes: async () => {
      await dismissalStream.ensureIndexes();
      await listStreams.ensureIndexes();
    },

    /**
     * Shows at most `cap` activities a day. Showing an activity for the first time that day
     * claims a numbered slot (`customer|day|k`) by insert; the slots are the only record of
     * what was shown, so racing requests of one customer can never show more than `cap`. The
     * activities new today take the free slots in their order, in one batch of inserts; a slot
     * another request took meanwhile is read back, and what is still unshown tries the next.
     * Slots this process has seen taken are not read again (a slot is never given back on its
     * day); when they already answer (all taken, or every activity asked about among them), no
     * slot is read at all.
     */
    async admitToday(customerId: string, day: string, activityIds: string[], cap: number): Promise<Set<string>> {
      const prefix = `${customerId}|${day}`;
      const ids = impressions.ids(prefix, cap);
      const seen = seenTaken.get(prefix) ?? ids.map(() => null);
      const seenShown = new Set(seen.flatMap((s) => (s ? [s.activityId] : [])));
      const answered = seen.every((s) => s !== null) || activityIds.every((id) => seenShown.has(id));
      const current = answered ? [...seen] : await Promise.all(ids.map((_id, i) => seen[i] ?? slots().findOne({ _id })));
      for (;;) {
        const shown = new Set(current.flatMap((s) => (s ? [s.activityId] : [])));
        const free = ids.filter((_, i) => !current[i]);
        const wanted = activityIds.filter((id) => !shown.has(id)).slice(0, free.length);
        if (!wanted.length) {
          if (seenTaken.size >= SEEN_DAYS) seenTaken.clear();
          seenTaken.set(prefix, current);
          return new Set(activityIds.filter((id) => shown.has(id)));
        }
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
