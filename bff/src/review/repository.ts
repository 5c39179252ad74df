import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { isDuplicateKeyError } from '../platform/errors';
import type { DiffItem } from '../platform/diff';
import { createStreamStore, type StreamEntry } from '../platform/stream';
import { replaceById } from '../platform/upsert';

/**
 * Documents that go live only after a second person approves them (消保审核): activities,
 * mall items and categories. Each document is a lifecycle stream with immutable revisions;
 * a query view is rebuilt from the stream after each change.
 */
export type ReviewedContent = { code: string; type: string; orgUnitId: string };

export type WorkingRevision = {
  revision: number;
  state: 'draft' | 'pending_review' | 'rejected';
  authorId: string;
  submittedBy: string | null;
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
  action: 'created' | 'edited' | 'submitted' | 'approved' | 'rejected' | 'withdrawn';
  actorId: string;
  actorRole: string;
  revision: number | null;
  reason: string | null;
  diff: DiffItem[];
  state: Lifecycle;
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

export type DocumentKind<C extends ReviewedContent, X> = {
  /** Prefix of the stream and of the lifecycle collections. */
  name: string;
  viewCollection: string;
  window(content: C): { start: Date; end: Date };
  /** Fields derived from the live content that queries sort or filter by. */
  extra(live: C | null): X;
};

export function createReviewedRepository<C extends ReviewedContent, X extends object>(db: Database, clock: Clock, kind: DocumentKind<C, X>) {
  type View = ReviewedView<C, X>;
  const events = createStreamStore<LifecycleEvent>(db, `${kind.name}_events`, clock);
  const revisions = () => db.collection<Revision<C>>(`${kind.name}_revisions`);
  const codes = () => db.collection<{ _id: string; documentId: string }>(`${kind.name}_codes`);
  // Typed loosely: the driver's filter types cannot see through the generic view.
  const views = () => db.collection<{ _id: string }>(kind.viewCollection);
  const streamOf = (id: string) => `${kind.name}:${id}`;

  async function revisionContent(id: string, revision: number | null): Promise<C | null> {
    if (revision === null) return null;
    return ((await revisions().findOne({ _id: `${id}#${revision}` }))?.content as C | undefined) ?? null;
  }

  async function project(id: string): Promise<View | null> {
    // Always from the real head, so a late writer can only ever write the newest state.
    const head = await events.head(streamOf(id));
    if (!head) return null;
    const s = head.data.state;
    const live = await revisionContent(id, s.liveRevision);
    const window = live ? kind.window(live) : null;
    const view = {
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
    const { _id, ...fields } = view;
    await replaceById(views(), _id, fields as never);
    return view;
  }

  return {
    kind,
    /** Claims the bank's code for a document id; false if the code is taken. */
    async claimCode(code: string, id: string): Promise<boolean> {
      try {
        await codes().insertOne({ _id: code, documentId: id });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    idForCode: async (code: string) => (await codes().findOne({ _id: code }))?.documentId ?? null,

    /** Revisions are written once and never changed; a second writer of the same number loses. */
    async insertRevision(id: string, revision: number, content: C, authorId: string): Promise<boolean> {
      try {
        await revisions().insertOne({ _id: `${id}#${revision}`, documentId: id, revision, content, authorId, createdAt: clock.now() } as Revision<C>);
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    revisionContent,

    head: (id: string) => events.head(streamOf(id)),
    append: (id: string, decide: (head: StreamEntry<LifecycleEvent> | null) => LifecycleEvent) => events.append(streamOf(id), decide),
    history: (id: string) => events.list(streamOf(id), { limit: 1000 }),
    project,

    findView: async (id: string) => (await views().findOne({ _id: id })) as View | null,
    listViews: async (orgUnitIds: string[]) => (await views().find({ orgUnitId: { $in: orgUnitIds } }).sort({ code: 1 }).limit(500).toArray()) as View[],
    liveViews: async (now: Date) =>
      (await views()
        .find({ liveRevision: { $ne: null }, withdrawn: false, liveStart: { $lte: now }, liveEnd: { $gt: now } })
        .toArray()) as View[],

    ensureIndexes: async () => {
      await events.ensureIndexes();
      await revisions().createIndex({ documentId: 1 });
      await views().createIndex({ orgUnitId: 1 });
      await views().createIndex({ liveEnd: 1 });
    },
  };
}

export type ReviewedRepository<C extends ReviewedContent, X extends object> = ReturnType<typeof createReviewedRepository<C, X>>;
