import type { DeliverySink, DeliveryStatus } from '../../../shared/contracts/delivery';
import type { AuditLog } from '../platform/audit';
import type { Principal } from '../platform/auth/principal';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { DELIVERY_PARTITIONS, enqueueFor, pendingCollection, type PendingDoc } from '../platform/delivery-queue';
import { deliveryCollections, type BatchDoc, type DeadLetterDoc } from './relay';

const HOUR_MS = 60 * 60 * 1000;
const REPLAY_PAGE = 500;

/** What operations staff see of delivery (lag, throughput, retries, dead letters) and the one thing they do to it: replay. */
export function createDeliveryOperations(deps: { db: Database; clock: Clock; audit: AuditLog; sinks: readonly DeliverySink[] }) {
  const { db, clock } = deps;
  const dead = () => db.collection<DeadLetterDoc>(deliveryCollections.dead);
  const batches = () => db.collection<BatchDoc>(deliveryCollections.batches);

  async function sinkStatus(sink: DeliverySink): Promise<DeliveryStatus['sinks'][number]> {
    const now = clock.now();
    const parts = Array.from({ length: DELIVERY_PARTITIONS }, (_, part) => db.collection<PendingDoc>(pendingCollection(sink, part)));
    const [counts, heads, deadLetters, recent] = await Promise.all([
      Promise.all(parts.map((c) => c.countDocuments({}))),
      // A partition is read oldest first (insertion order), so its first event is its oldest.
      Promise.all(parts.map((c) => c.findOne({}))),
      dead().countDocuments({ sink }),
      batches().find({ sink, at: { $gte: new Date(now.getTime() - HOUR_MS) } }).toArray(),
    ]);
    const oldest = heads.reduce<Date | null>((min, d) => (d && (!min || d.enqueuedAt < min) ? d.enqueuedAt : min), null);
    const ok = recent.filter((b) => b.ok);
    const delivered = ok.reduce((n, b) => n + b.count, 0);
    const last = ok.reduce<Date | null>((max, b) => (!max || b.at > max ? b.at : max), null);
    return {
      sink,
      pending: counts.reduce((a, b) => a + b, 0),
      oldestPendingAt: oldest?.toISOString() ?? null,
      lagSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
      deadLetters,
      lastHour: { batches: recent.length, delivered, failedAttempts: recent.length - ok.length, eventsPerSecond: Math.round((delivered / 3600) * 100) / 100 },
      lastDeliveredAt: last?.toISOString() ?? null,
    };
  }

  return {
    status: async (): Promise<DeliveryStatus> => ({ sinks: await Promise.all(deps.sinks.map(sinkStatus)) }),

    async deadLetters(sink: DeliverySink, limit: number) {
      const [docs, total] = await Promise.all([dead().find({ sink }).limit(limit).toArray(), dead().countDocuments({ sink })]);
      return { items: docs.map((d) => ({ id: d.event.id, sink: d.sink, name: d.event.name, attempts: d.attempts, lastError: d.lastError, deadAt: d.deadAt.toISOString() })), total };
    },

    /**
     * Puts dead letters back in their sink's queue with fresh attempts. Each is queued before its
     * dead letter is deleted, so a crash in between leaves it in both (sent once more), never neither.
     */
    async replay(principal: Principal, sink: DeliverySink, ids?: string[]): Promise<{ replayed: number }> {
      const send = async (docs: DeadLetterDoc[]) => {
        await enqueueFor(db, sink, docs.map((d) => d.event), clock.now());
        const removed = await Promise.all(docs.map((d) => dead().deleteOne({ _id: d._id })));
        return removed.filter((r) => r.deletedCount === 1).length;
      };
      let replayed = 0;
      if (ids) {
        for (let i = 0; i < ids.length; i += REPLAY_PAGE) {
          const found = await Promise.all(ids.slice(i, i + REPLAY_PAGE).map((id) => dead().findOne({ _id: `${sink}:${id}` })));
          replayed += await send(found.filter((d): d is DeadLetterDoc => d !== null));
        }
      } else {
        for (let docs = await dead().find({ sink }).limit(REPLAY_PAGE).toArray(); docs.length; docs = await dead().find({ sink }).limit(REPLAY_PAGE).toArray()) replayed += await send(docs);
      }
      await deps.audit.record(principal, { action: 'delivery.replayed', targetType: 'delivery_sink', targetId: sink, detail: { replayed, selected: ids?.length ?? 'all' } });
      return { replayed };
    },
  };
}

export type DeliveryOperations = ReturnType<typeof createDeliveryOperations>;
