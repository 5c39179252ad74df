import { TRACK_BATCH_MAX_EVENTS, TrackEvent, type TrackResult } from '@shared/contracts/tracking';
import { errorMessagesZh } from '@shared/errors';
import type { ActivityView } from '@/activities';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { collectionSource, type EventFeed, type EventSource, type KeptEvent } from '@/platform/event-feed';
import { AppError } from '@/platform/errors';
import { insertManyOnce } from '@/platform/keyed';
import type { RateLimiter } from '@/platform/rate-limit';
import { inControlGroup } from '@/kernel/expression';

/** One behaviour event as kept: the client's, with who sent it and when the BFF got it. */
type BehaviourEventDoc = Omit<TrackEvent, 'id' | 'clientTime'> & {
  _id: string;
  customerId: string;
  /** The customer's relationship manager when the event arrived. */
  managerId: string | null;
  /** The customer's value tier when the event arrived. */
  segment: string | null;
  /** Held back from the event's activity as its control group. */
  control: boolean;
  clientTime: Date;
  serverTime: Date;
};

/** A phone's clock may run a little fast; further ahead than this, the time is not believed. */
const FUTURE_SLACK_MS = 5 * 60 * 1000;
/** Older than this, an event kept offline is too late to count. */
const MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const collection = 'behaviour_events';

/** A behaviour event as the bank receives it. */
export const toKept = (doc: BehaviourEventDoc): KeptEvent => ({
  id: doc._id,
  source: 'behaviour',
  name: doc.type,
  occurredAt: doc.clientTime.toISOString(),
  recordedAt: doc.serverTime.toISOString(),
  customerId: doc.customerId,
  data: {
    page: doc.page,
    activityId: doc.activityId ?? null,
    itemId: doc.itemId ?? null,
    props: doc.props ?? {},
    managerId: doc.managerId,
    segment: doc.segment,
    control: doc.control,
  },
});

function fromKept(event: KeptEvent): BehaviourEventDoc {
  const data = event.data as {
    page: string;
    activityId: string | null;
    itemId: string | null;
    props: Record<string, string | number | boolean>;
    managerId: string | null;
    segment: string | null;
    control: boolean;
  };
  return {
    _id: event.id,
    type: event.name as TrackEvent['type'],
    page: data.page,
    ...(data.activityId ? { activityId: data.activityId } : {}),
    ...(data.itemId ? { itemId: data.itemId } : {}),
    ...(Object.keys(data.props).length ? { props: data.props } : {}),
    customerId: event.customerId!,
    managerId: data.managerId,
    segment: data.segment,
    control: data.control,
    clientTime: new Date(event.occurredAt),
    serverTime: new Date(event.recordedAt),
  };
}

/** What the client said of an event: a resend under the same id must say the same. */
const clientContent = (doc: BehaviourEventDoc) =>
  JSON.stringify([
    doc.customerId,
    doc.type,
    doc.clientTime.getTime(),
    doc.page,
    doc.activityId ?? null,
    doc.itemId ?? null,
    Object.entries(doc.props ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ]);

/** Behaviour events for the publisher: read back as stored, or kept from an intent whose request died first. */
export const behaviourSource = (db: Database): EventSource => collectionSource('behaviour', () => db.collection<BehaviourEventDoc>(collection), { toKept, fromKept });

/** Every behaviour event kept for one activity: a whole scan, for admin checks only. */
export const behaviourOfActivity = (db: Database, activityId: string): Promise<BehaviourEventDoc[]> => db.collection<BehaviourEventDoc>(collection).find({ activityId }).toArray();

/** Every behaviour event whose client time falls in [from, to), as the feed carries it: a whole scan, for admin checks only. */
export const behaviourBetween = async (db: Database, from: Date, to: Date): Promise<KeptEvent[]> =>
  (
    await db
      .collection<BehaviourEventDoc>(collection)
      .find({ clientTime: { $gte: from, $lt: to } })
      .toArray()
  ).map(toKept);

/**
 * 埋点 ingest: a batch is checked event by event, so a bad one is refused with its place and
 * reason while the rest are kept. The promise to deliver the batch is written first (see
 * platform/event-feed.ts), then each event is an insert under its client-made id, so a batch
 * sent again (a retry after a lost answer) keeps nothing twice; an id sent again with other
 * content is refused (EVENT_ID_CONFLICT), and the stored event is the one counted and delivered.
 */
export function createIngest(deps: {
  db: Database;
  clock: Clock;
  rateLimiter: RateLimiter;
  perMinute: number;
  findView: (id: string) => Promise<ActivityView | null>;
  managerOf: (customerId: string) => Promise<string | null>;
  segmentOf: (customerId: string) => Promise<string | null>;
  feed: EventFeed;
}) {
  const events = () => deps.db.collection<BehaviourEventDoc>(collection);

  return {
    async ingest(customerId: string, batch: unknown[]): Promise<TrackResult> {
      if (batch.length > TRACK_BATCH_MAX_EVENTS) throw new AppError('PAYLOAD_TOO_LARGE', { message: `每批最多 ${TRACK_BATCH_MAX_EVENTS} 个事件` });
      await deps.rateLimiter.consume(`track:${customerId}`, deps.perMinute, 60);
      const now = deps.clock.now();
      const [managerId, segment] = await Promise.all([deps.managerOf(customerId), deps.segmentOf(customerId)]);
      const control = new Map<string, boolean>();
      const rejected: TrackResult['rejected'] = [];
      const docs: BehaviourEventDoc[] = [];
      const places: number[] = [];
      const repeats: { index: number; doc: BehaviourEventDoc }[] = [];
      for (const [index, raw] of batch.entries()) {
        const parsed = TrackEvent.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          rejected.push({ index, reason: `${issue.path.join('.') || 'event'}: ${issue.message}` });
          continue;
        }
        const { id, clientTime, ...event } = parsed.data;
        const at = new Date(clientTime);
        if (at.getTime() > now.getTime() + FUTURE_SLACK_MS) {
          rejected.push({ index, reason: 'clientTime: 晚于服务器时间' });
          continue;
        }
        if (at.getTime() < now.getTime() - MAX_AGE_MS) {
          rejected.push({ index, reason: 'clientTime: 超过 30 天的事件不再接收' });
          continue;
        }
        if (event.activityId && !control.has(event.activityId)) {
          const view = await deps.findView(event.activityId);
          control.set(event.activityId, view?.live ? inControlGroup(view._id, customerId, view.live.controlGroupPercent) : false);
        }
        const doc: BehaviourEventDoc = {
          _id: id,
          ...event,
          customerId,
          managerId,
          segment,
          control: event.activityId ? control.get(event.activityId)! : false,
          clientTime: at,
          serverTime: now,
        };
        // The same id twice in one batch: judged, once the first is kept, against what was kept.
        if (docs.some((d) => d._id === id)) {
          repeats.push({ index, doc });
          continue;
        }
        docs.push(doc);
        places.push(index);
      }
      const intent = await deps.feed.intend('behaviour', customerId, docs.map(toKept));
      const { duplicateIndexes } = await insertManyOnce(events(), docs);
      // A resent id: the same event again is a duplicate; other content under it is refused.
      const stored = await Promise.all(duplicateIndexes.map((i) => events().findOne({ _id: docs[i]._id })));
      const conflicts = new Set(duplicateIndexes.filter((i, k) => stored[k] && clientContent(stored[k]) !== clientContent(docs[i])));
      const conflict = (index: number) => rejected.push({ index, reason: `id: ${errorMessagesZh.EVENT_ID_CONFLICT}（EVENT_ID_CONFLICT）` });
      for (const i of conflicts) conflict(places[i]);
      let sameBatchRepeats = 0;
      for (const { index, doc } of repeats) {
        const i = docs.findIndex((d) => d._id === doc._id);
        const kept = duplicateIndexes.includes(i) ? stored[duplicateIndexes.indexOf(i)] : docs[i];
        if (kept && clientContent(kept) === clientContent(doc)) sameBatchRepeats += 1;
        else conflict(index);
      }
      // Resends are listed as stored; the publisher queues each event for the subscribers once, from the intent that first claimed it.
      const storedAt = new Map(duplicateIndexes.map((i, k) => [i, stored[k]]));
      const kept = docs.flatMap((doc, i) => (conflicts.has(i) ? [] : [toKept(storedAt.get(i) ?? doc)]));
      await intent.stored(kept);
      rejected.sort((a, b) => a.index - b.index);
      return { accepted: docs.length - duplicateIndexes.length, duplicates: duplicateIndexes.length - conflicts.size + sameBatchRepeats, rejected };
    },

    ensureIndexes: async () => {
      await events().createIndex({ activityId: 1, type: 1, serverTime: 1 });
      await events().createIndex({ serverTime: 1 });
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
