import type { ActivityInput } from '../../../shared/contracts/activities';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { isDuplicateKeyError } from '../platform/errors';
import type { DiffItem } from '../platform/diff';
import { createStreamStore, type StreamEntry } from '../platform/stream';
import { replaceById } from '../platform/upsert';

export type WorkingRevision = {
  revision: number;
  state: 'draft' | 'pending_review' | 'rejected';
  authorId: string;
  submittedBy: string | null;
  reason: string | null;
};

/** Where an activity stands; carried by every entry of its lifecycle stream. */
export type Lifecycle = {
  code: string;
  type: ActivityInput['type'];
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

type Revision = { _id: string; activityId: string; revision: number; content: ActivityInput; authorId: string; createdAt: Date };

/** The query side: one document per activity, rebuilt from its stream after each change. */
export type ActivityView = {
  _id: string;
  seq: number;
  code: string;
  type: ActivityInput['type'];
  orgUnitId: string;
  liveRevision: number | null;
  working: WorkingRevision | null;
  withdrawn: boolean;
  live: ActivityInput | null;
  workingContent: ActivityInput | null;
  liveStart: Date | null;
  liveEnd: Date | null;
  livePriority: number;
};

export function createActivityRepository(db: Database, clock: Clock) {
  const events = createStreamStore<LifecycleEvent>(db, 'activity_events', clock);
  const revisions = () => db.collection<Revision>('activity_revisions');
  const codes = () => db.collection<{ _id: string; activityId: string }>('activity_codes');
  const views = () => db.collection<ActivityView>('activities');

  async function revisionContent(activityId: string, revision: number | null): Promise<ActivityInput | null> {
    if (revision === null) return null;
    return (await revisions().findOne({ _id: `${activityId}#${revision}` }))?.content ?? null;
  }

  async function project(activityId: string): Promise<ActivityView | null> {
    // Always from the real head, so a late writer can only ever write the newest state.
    const head = await events.head(`activity:${activityId}`);
    if (!head) return null;
    const s = head.data.state;
    const live = await revisionContent(activityId, s.liveRevision);
    const view: ActivityView = {
      _id: activityId,
      seq: head.seq,
      code: s.code,
      type: s.type,
      orgUnitId: s.orgUnitId,
      liveRevision: s.liveRevision,
      working: s.working,
      withdrawn: s.withdrawn,
      live,
      workingContent: await revisionContent(activityId, s.working?.revision ?? null),
      liveStart: live ? new Date(live.schedule.startAt) : null,
      liveEnd: live ? new Date(live.schedule.endAt) : null,
      livePriority: live?.priority ?? 0,
    };
    const { _id, ...fields } = view;
    await replaceById(views(), _id, fields);
    return view;
  }

  return {
    /** Claims a bank activity code for an activity id; false if the code is taken. */
    async claimCode(code: string, activityId: string): Promise<boolean> {
      try {
        await codes().insertOne({ _id: code, activityId });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    activityIdForCode: async (code: string) => (await codes().findOne({ _id: code }))?.activityId ?? null,

    /** Revisions are written once and never changed; a second writer of the same number loses. */
    async insertRevision(activityId: string, revision: number, content: ActivityInput, authorId: string): Promise<boolean> {
      try {
        await revisions().insertOne({ _id: `${activityId}#${revision}`, activityId, revision, content, authorId, createdAt: clock.now() });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw err;
      }
    },
    revisionContent,

    head: (activityId: string) => events.head(`activity:${activityId}`),
    append: (activityId: string, decide: (head: StreamEntry<LifecycleEvent> | null) => LifecycleEvent) => events.append(`activity:${activityId}`, decide),
    history: (activityId: string) => events.list(`activity:${activityId}`, { limit: 1000 }),
    project,

    findView: (id: string) => views().findOne({ _id: id }),
    listViews: (orgUnitIds: string[]) => views().find({ orgUnitId: { $in: orgUnitIds } }).sort({ code: 1 }).limit(500).toArray(),
    liveViews: (now: Date) =>
      views()
        .find({ liveRevision: { $ne: null }, withdrawn: false, liveStart: { $lte: now }, liveEnd: { $gt: now } })
        .toArray(),

    ensureIndexes: async () => {
      await events.ensureIndexes();
      await revisions().createIndex({ activityId: 1 });
      await views().createIndex({ orgUnitId: 1 });
      await views().createIndex({ liveEnd: 1 });
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
