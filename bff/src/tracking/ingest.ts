import type { DeliveredEvent } from '../../../shared/contracts/delivery';
import { TRACK_BATCH_MAX_EVENTS, TrackEvent, type TrackResult } from '../../../shared/contracts/tracking';
import type { ActivityView } from '../activities/repository';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import type { EventFeed } from '../platform/event-feed';
import { AppError } from '../platform/errors';
import { insertManyOnce } from '../platform/keyed';
import type { RateLimiter } from '../platform/rate-limit';
import { inControlGroup } from '../targeting/expression';

/** One behaviour event as kept: the client's, with who sent it and when the BFF got it. */
export type BehaviourEventDoc = Omit<TrackEvent, 'id' | 'clientTime'> & {
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

/** A behaviour event as the bank receives it. */
export const toDelivered = (doc: BehaviourEventDoc): DeliveredEvent => ({
  id: doc._id,
  source: 'behaviour',
  name: doc.type,
  occurredAt: doc.clientTime.toISOString(),
  recordedAt: doc.serverTime.toISOString(),
  customerId: doc.customerId,
  data: { page: doc.page, activityId: doc.activityId ?? null, itemId: doc.itemId ?? null, props: doc.props ?? {}, managerId: doc.managerId, segment: doc.segment, control: doc.control },
});

/**
 * 埋点 ingest: a batch is checked event by event, so a bad one is refused with its place and
 * reason while the rest are kept. Each event is an insert under its client-made id, so a batch
 * sent again (a retry after a lost answer) keeps nothing twice.
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
  const events = () => deps.db.collection<BehaviourEventDoc>('behaviour_events');

  return {
    async ingest(customerId: string, batch: unknown[]): Promise<TrackResult> {
      if (batch.length > TRACK_BATCH_MAX_EVENTS) throw new AppError('PAYLOAD_TOO_LARGE', { message: `每批最多 ${TRACK_BATCH_MAX_EVENTS} 个事件` });
      await deps.rateLimiter.consume(`track:${customerId}`, deps.perMinute, 60);
      const now = deps.clock.now();
      const [managerId, segment] = await Promise.all([deps.managerOf(customerId), deps.segmentOf(customerId)]);
      const control = new Map<string, boolean>();
      const rejected: TrackResult['rejected'] = [];
      const docs: BehaviourEventDoc[] = [];
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
        docs.push({ _id: id, ...event, customerId, managerId, segment, control: event.activityId ? control.get(event.activityId)! : false, clientTime: at, serverTime: now });
      }
      const { duplicates } = await insertManyOnce(events(), docs);
      // Resent events are queued again too: the first send may have died before queuing them.
      await deps.feed.publish(docs.map(toDelivered));
      return { accepted: docs.length - duplicates, duplicates, rejected };
    },

    ensureIndexes: async () => {
      await events().createIndex({ activityId: 1, type: 1, serverTime: 1 });
      await events().createIndex({ serverTime: 1 });
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;
