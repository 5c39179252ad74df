import { randomUUID } from 'node:crypto';
import type { Principal } from './auth/principal';
import type { Clock } from './clock';
import type { Database } from './db';

/** One record per operator action, kept so disputes can be settled from records. No personal data. */
export type AuditRecord = {
  action: string;
  targetType: string;
  targetId: string;
  reason?: string;
  detail?: Record<string, unknown>;
};

export function createAuditLog(db: Database, clock: Clock) {
  const log = () => db.collection('audit_log');
  return {
    async record(actor: Principal, entry: AuditRecord): Promise<void> {
      await log().insertOne({ _id: randomUUID() as never, actorId: actor.id, actorRole: actor.role, orgUnitId: actor.orgUnitId ?? null, at: clock.now(), ...entry });
    },
    async forTarget(targetType: string, targetId: string) {
      return log().find({ targetType, targetId }, { projection: { _id: 0 } }).sort({ at: 1 }).toArray();
    },
    ensureIndexes: async () => {
      await log().createIndex({ targetType: 1, targetId: 1, at: 1 });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
