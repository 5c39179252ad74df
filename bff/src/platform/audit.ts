import { randomUUID } from 'node:crypto';
import type { Principal } from './auth/principal';
import type { Clock } from './clock';
import type { Database } from './db';
import { isDuplicateKeyError } from './errors';

/** One record per operator action, kept so disputes can be settled from records. No personal data. */
export type AuditRecord = {
  action: string;
  targetType: string;
  targetId: string;
  reason?: string;
  detail?: Record<string, unknown>;
};

export type AuditEntry = AuditRecord & { id: string; actorId: string; actorRole: string; orgUnitId: string | null; at: Date };
type AuditDoc = Omit<AuditEntry, 'id'> & { _id: string };

export type AuditQuery = {
  /** Org units whose actors' records the reader may see. */
  orgUnitIds: string[];
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Records strictly older than this one (the cursor of the previous page). */
  before?: { at: Date; id: string };
  limit: number;
};

export function createAuditLog(db: Database, clock: Clock) {
  const log = () => db.collection<AuditDoc>('audit_log');
  const toEntry = ({ _id, ...rest }: AuditDoc): AuditEntry => ({ id: _id, ...rest });
  return {
    /** Writes a record; one with a `key` is written once however often a retry or a recovery records it. */
    async record(actor: Principal, entry: AuditRecord, key?: string): Promise<void> {
      try {
        await log().insertOne({ _id: key ?? randomUUID(), actorId: actor.id, actorRole: actor.role, orgUnitId: actor.orgUnitId ?? null, at: clock.now(), ...entry });
      } catch (err) {
        if (!(key && isDuplicateKeyError(err))) throw err;
      }
    },
    async forTarget(targetType: string, targetId: string) {
      return log()
        .find({ targetType, targetId }, { projection: { _id: 0 } })
        .sort({ at: 1 })
        .toArray();
    },
    /** Newest first, filtered before the page is cut, so a reader's page is full of what they may see. */
    async search(q: AuditQuery): Promise<AuditEntry[]> {
      const at = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) };
      const filter = {
        orgUnitId: { $in: q.orgUnitIds },
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.targetType ? { targetType: q.targetType } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(Object.keys(at).length ? { at } : {}),
        ...(q.before ? { $or: [{ at: { $lt: q.before.at } }, { at: q.before.at, _id: { $lt: q.before.id } }] } : {}),
      };
      const docs = await log().find(filter).sort({ at: -1, _id: -1 }).limit(q.limit).toArray();
      return docs.map(toEntry);
    },
    ensureIndexes: async () => {
      await log().createIndex({ targetType: 1, targetId: 1, at: 1 });
      await log().createIndex({ orgUnitId: 1, at: -1 });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
