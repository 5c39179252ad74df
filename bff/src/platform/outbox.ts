import type { EventName } from '../../../shared/events';
import type { Clock } from './clock';
import type { Database } from './db';
import { isDuplicateKeyError } from './errors';

/**
 * Domain events for the bank's systems go through this one function. The event id is
 * derived from what happened (`<name>:<subject>`), so recording the same outcome twice
 * — a retry, a crash and recovery — leaves one event. Payloads never carry raw personal data.
 */
export type Outbox = {
  record(name: EventName, subjectId: string, payload: Record<string, unknown>): Promise<void>;
};

export function createOutbox(db: Database, clock: Clock): Outbox {
  return {
    async record(name, subjectId, payload) {
      try {
        await db.collection('outbox_events').insertOne({
          _id: `${name}:${subjectId}` as unknown as never,
          name,
          subjectId,
          payload,
          occurredAt: clock.now(),
          publishedAt: null,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
  };
}
