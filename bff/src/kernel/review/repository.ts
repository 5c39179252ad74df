import { randomUUID } from 'node:crypto';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { DiffItem } from '@/platform/diff';
import type { Faults } from '@/platform/faults';
import { createStreamStore, type StreamEntry } from '@/platform/stream';
import { replaceById } from '@/platform/upsert';
import { insertOnce } from '@/platform/keyed';
import type { ReviewAction } from '@shared/contracts/review';

/**
 * Documents that go live only after a second person approves them (消保审核): activities,
 * mall items and categories. Each document is a lifecycle stream; the event that creates or
 * edits a revision carries its content, so nothing needs claiming before the append. The
 * revision store and the query view are derived from the stream, and repaired from it.
 */

/** How many on-offer marks one reply carries: all a bank has live, at once. */
const MARKS_BATCH = 100_000;
export type ReviewedContent = { code: string; type: string; orgUnitId: string };

type WorkingRevision = {
  revision: number;
  state: 'draft' | 'pending_review' | 'rejected';
  authorId: string;
  submittedBy: string | null;
  /** When it was submitted (revisions submitted before this was kept have none). */
  submittedAt?: Date;
  reason: string | null;
};

/** Where a document stands; carried by every entry of its lifecycle stream. */
export type Lifecycle = {
  code: string;
  type: string;
  orgUnitId: string;
  revisions: number;
  liveRevision: number | null;
  working: WorkingRevision | null;
  withdrawn: boolean;
};

export type LifecycleEvent = {
  action: ReviewAction;
  actorId: string;
  actorRole: string;
  /** The actor's org unit, for the audit trail's scoping. */
  actorOrgUnitId: string | null;
  revision: number | null;
  reason: string | null;
  diff: DiffItem[];
  state: Lifecycle;
  /** On `created` and `edited`: the revision's content (older streams keep it in the revision store only). */
  content?: unknown;
};

type Revision<C> = { _id: string; documentId: string; revision: number; content: C; authorId: string; createdAt: Date };

/** The query side: one document per reviewed document. */
export type ReviewedView<C extends ReviewedContent, X = object> = {
  _id: string;
  seq: number;
  code: string;
  type: C['type'];
  orgUnitId: string;
  liveRevision: number | null;
  working: WorkingRevision | null;
  withdrawn: boolean;
  live: C | null;
  workingContent: C | null;
  /** When the live content is in force. */
  liveStart: Date | null;
  liveEnd: Date | null;
} & X;

type DocumentKind<C extends ReviewedContent, X> = {
  /** Prefix of the stream and of the lifecycle collections. */
  name: string;
  viewCollection: string;
  window(content: C): { start: Date; end: Date };
  /** Fields derived from the live content that queries sort or filter by. */
  extra(live: C | null): X;
};

export function createReviewedRepository<C extends ReviewedContent, X extends object>(db: Database, clock: Clock, kind: DocumentKind<C, X>, faults: Faults) {
  type View = ReviewedView<C, X>;
  const events = createStreamStore<LifecycleEvent>(db, `${kind.name}_events`, clock);
  const revisions = () => db.collection<Revision<C>>(`${kind.name}_revisions`);
  const codes = () => db.collection<{ _id: string; documentId: string }>(`${kind.name}_codes`);
  // Typed loosely: the driver's filter types cannot see through the generic view.
  const views = () => db.collection<{ _id: string; seq?: number }>(kind.viewCollection);
  // One per lifecycle step in progress; left behind by a crash, it tells the sweep what to finish.
  const due = () => db.collection<{ _id: string; documentId: string; at: Date }>(`${kind.name}_steps_due`);
  const streamOf = (id: string) => `${kind.name}:${id}`;
  // One per document with live content not yet ended: what the customer feeds read, so their
  // cost follows what is on offer, not every document ever created. `seq` is the view's it was
  // written from (a withdrawal writes it too), so a process's copy of a view is known current
  // from the marks alone, read in one message however many documents are on offer.
  const scheduled = () => db.collection<{ _id: string; liveEnd: Date; seq: number }>(`${kind.name}_scheduled`);
  const onOffer = (v: View, now: Date) => v.liveRevision !== null && !v.withdrawn && v.liveEnd !== null && v.liveEnd > now;
  const liveAt = (v: View, now: Date) => onOffer(v, now) && v.liveStart !== null && v.liveStart <= now;
  // A document that has been live and has not ended keeps its mark, withdrawn or not, until pruned.
  const markable = (v: View, now: Date) => v.liveRevision !== null && v.liveEnd !== null && v.liveEnd > now;
  const markOf = (v: View) => ({ liveEnd: v.liveEnd!, seq: v.seq });
  // This process's copies of the views the marks name, by id: reused while their mark names the same seq.
  const offered = new Map<string, View>();

  async function revisionContent(id: string, revision: number | null): Promise<C | null> {
    if (revision === null) return null;
    const stored = await revisions().findOne({ _id: `${id}#${revision}` });
    if (stored) return stored.content as C;
    // Not yet derived (a crash right after the append): the stream has it.
    const event = (await events.list(streamOf(id), { limit: 1000 })).find((e) => e.data.revision === revision && e.data.content !== undefined);
    if (!event) return null;
    await storeRevision(id, revision, event.data.content as C, event.data.actorId, event.at);
    return event.data.content as C;
  }

  /** Derives a revision's stored copy; written once per number, and always with the same content. */
  async function storeRevision(id: string, revision: number, content: C, authorId: string, at: Date): Promise<void> {
    await insertOnce(revisions(), { _id: `${id}#${revision}`, documentId: id, revision, content, authorId, createdAt: at } as Revision<C>);
  }

  async function viewAt(id: string, head: StreamEntry<LifecycleEvent>): Promise<View> {
    const s = head.data.state;
    const live = await revisionContent(id, s.liveRevision);
    const window = live ? kind.window(live) : null;
    return {
      _id: id,
      seq: head.seq,
      code: s.code,
      type: s.type,
      orgUnitId: s.orgUnitId,
      liveRevision: s.liveRevision,
      working: s.working,
      withdrawn: s.withdrawn,
      live,
      workingContent: await revisionContent(id, s.working?.revision ?? null),
      liveStart: window?.start ?? null,
      liveEnd: window?.end ?? null,
      ...kind.extra(live),
    } as View;
  }

  /**
   * Rebuilds the query view from the stream's head. Two projectors may race and the slower
   * one may overwrite a newer view (updates are not atomic on FerretDB), so every writer reads
   * back afterwards and writes again until the view it sees is the head it sees: the last
   * writer to finish always leaves the newest state.
   */
  async function project(id: string): Promise<View | null> {
    for (;;) {
      const head = await events.head(streamOf(id));
      if (!head) return null;
      const view = await viewAt(id, head);
      const stored = await views().findOne({ _id: id });
      if ((stored?.seq ?? 0) < view.seq) {
        await faults.pause('review:before-view-write');
        const { _id, ...fields } = view;
        await replaceById(views(), _id, fields as never);
      }
      const [after, written] = await Promise.all([events.head(streamOf(id)), views().findOne({ _id: id })]);
      if (after!.seq === view.seq && written?.seq === view.seq) {
        // Only ever written here, never removed: marks of what is no longer on offer are pruned,
        // with a re-check. A slower projector may write an older seq over a newer one, so, as
        // for the view, it looks at the head again and writes again until they agree.
        if (!markable(view, clock.now())) return view;
        await replaceById(scheduled(), id, markOf(view));
        if ((await events.head(streamOf(id)))!.seq === view.seq) return view;
      }
    }
  }

  return {
    kind,
    /**
     * The document id that holds the bank's code: `candidate` if this call claims it, the
     * claimant's if that claim never got its document (a crash between the two steps: the code
     * is not lost, the next create completes it), or null if a document has the code.
     */
    async claimCode(code: string, candidate: string): Promise<string | null> {
      if (await insertOnce(codes(), { _id: code, documentId: candidate })) return candidate;
      const claim = (await codes().findOne({ _id: code }))!;
      return (await events.head(streamOf(claim.documentId))) ? null : claim.documentId;
    },
    idForCode: async (code: string) => (await codes().findOne({ _id: code }))?.documentId ?? null,
    revisionContent,
    storeRevision,

    head: (id: string) => events.head(streamOf(id)),
    append: (id: string, decide: (head: StreamEntry<LifecycleEvent> | null) => LifecycleEvent) => events.append(streamOf(id), decide),
    history: (id: string) => events.list(streamOf(id), { limit: 1000 }),
    project,

    /** Marks a step as begun; `done` clears the mark once the step's view and effects are written. */
    async begin(id: string): Promise<{ done(): Promise<void> }> {
      const mark = randomUUID();
      await due().insertOne({ _id: mark, documentId: id, at: clock.now() });
      return { done: async () => void (await due().deleteOne({ _id: mark })) };
    },
    /** Steps begun before `cutoff` and never finished, oldest first. */
    async unfinished(cutoff: Date): Promise<{ mark: string; documentId: string }[]> {
      const marks = await due()
        .find({ at: { $lte: cutoff } })
        .sort({ at: 1 })
        .limit(200)
        .toArray();
      return marks.map((m) => ({ mark: m._id, documentId: m.documentId }));
    },
    finished: async (mark: string) => void (await due().deleteOne({ _id: mark })),

    findView: async (id: string) => (await views().findOne({ _id: id })) as View | null,
    /** Those of these documents that exist, in one read by `_id`. */
    findViews: async (ids: string[]) =>
      ids.length === 0
        ? []
        : ((await views()
            .find({ _id: { $in: [...new Set(ids)] } })
            .toArray()) as View[]),
    listViews: async (orgUnitIds: string[], type?: string) =>
      (await views()
        .find({ orgUnitId: { $in: orgUnitIds }, ...(type ? { type } : {}) })
        .sort({ code: 1 })
        .limit(5000)
        .toArray()) as View[],
    /** Views after `after` in `_id` order: a back-office walk over every document, a page at a time. */
    viewsAfter: async (after: string | null, limit: number) =>
      (await views()
        .find(after === null ? {} : { _id: { $gt: after } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray()) as View[],
    /** How many documents there are (leaving out one type), for a walk's progress. */
    countViews: (exceptType?: string) => views().countDocuments(exceptType ? { type: { $ne: exceptType } } : {}),
    /**
     * Documents live at `now`: the marks of what is on offer, then, by `_id`, each view this
     * process has no current copy of (shared between callers: read, never changed).
     */
    async liveViews(now: Date): Promise<View[]> {
      // In one reply however many are on offer (marks are a few dozen bytes; the driver's first batch would stop at 101).
      const marks = (await scheduled().find({}, { batchSize: MARKS_BATCH }).toArray()).filter((m) => m.liveEnd > now);
      const stale = marks.filter((m) => {
        const copy = offered.get(m._id);
        return !copy || copy.seq !== m.seq;
      });
      const fetched = (await Promise.all(stale.map((m) => views().findOne({ _id: m._id })))) as (View | null)[];
      for (const v of fetched) if (v) offered.set(v._id, v);
      const current = new Set(marks.map((m) => m._id));
      for (const id of offered.keys()) if (!current.has(id)) offered.delete(id);
      return marks.map((m) => offered.get(m._id)).filter((v): v is View => v !== undefined && liveAt(v, now));
    },

    /**
     * Drops the marks of documents no longer on offer (ended, withdrawn). A document approved
     * again meanwhile gets its mark back: the view is read again after the delete.
     */
    async pruneScheduled(): Promise<number> {
      let pruned = 0;
      for (const mark of await scheduled()
        .find({ liveEnd: { $lte: clock.now() } })
        .limit(500)
        .toArray()) {
        const before = (await views().findOne({ _id: mark._id })) as View | null;
        if (before && onOffer(before, clock.now())) {
          await replaceById(scheduled(), mark._id, markOf(before));
          continue;
        }
        await scheduled().deleteOne({ _id: mark._id });
        const after = (await views().findOne({ _id: mark._id })) as View | null;
        if (after && onOffer(after, clock.now())) await replaceById(scheduled(), mark._id, markOf(after));
        else pruned += 1;
      }
      return pruned;
    },

    ensureIndexes: async () => {
      await events.ensureIndexes();
      await revisions().createIndex({ documentId: 1 });
      await views().createIndex({ orgUnitId: 1 });
      await due().createIndex({ at: 1 });
      await scheduled().createIndex({ liveEnd: 1 });
    },
  };
}

export type ReviewedRepository<C extends ReviewedContent, X extends object> = ReturnType<typeof createReviewedRepository<C, X>>;
