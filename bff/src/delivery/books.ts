import type { DeliveredEvent, DeliverySink } from '@shared/contracts/delivery';
import type { Database } from '@/platform/db';
import { bankDay } from '@/platform/time';
import type { PendingDoc } from './queue';

/** Which intent numbered an event: the first to claim it, so an event is numbered once whatever is sent again. */
export type ClaimDoc = { _id: string; intentId: string; customerId: string | null; at: Date };
/** An event kept for the bank on a day (by when the BFF kept it), with its place. */
type LedgerDoc = { _id: string; customerId: string | null; seq: number | null; pendingId: string; source: DeliveredEvent['source'] };
/** An event a sink has: `_id` the event. Inserting it again counts a duplicate. */
type SentDoc = { _id: string; batchId: string; at: Date };
type DeadLetterReason = 'attempts' | 'refused' | 'personal_data';
export type DeadLetterDoc = {
  _id: string;
  sink: DeliverySink;
  event: DeliveredEvent;
  pendingId: string;
  /** The bank day the event was kept, as its ledger's. */
  day: string;
  attempts: number;
  reason: DeadLetterReason;
  lastError: string;
  deadAt: Date;
};

/** Collections named by day (`YYYYMMDD`), so a day is counted without a filter and old days can be dropped whole. */
const dayKey = (day: string) => day.replaceAll('-', '');
export const keptDayOf = (event: Pick<DeliveredEvent, 'recordedAt'>) => bankDay(new Date(event.recordedAt));

export const deliveryBooks = {
  claims: 'delivery_claims',
  dead: 'delivery_dead_letters',
  ledger: (day: string) => `delivery_kept_${dayKey(day)}`,
  sent: (sink: DeliverySink, day: string) => `delivery_sent_${sink}_${dayKey(day)}`,
  /** The day of a per-day collection, if `name` is one. */
  dayOf(name: string): string | null {
    const m = /^delivery_(?:kept|sent_[a-z]+)_(\d{4})(\d{2})(\d{2})$/.exec(name);
    return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
  },
};

/** The books of one database: claims, the kept ledger, what each sink has, dead letters. */
export function createBooks(db: Database) {
  return {
    claims: () => db.collection<ClaimDoc>(deliveryBooks.claims),
    ledger: (day: string) => db.collection<LedgerDoc>(deliveryBooks.ledger(day)),
    sent: (sink: DeliverySink, day: string) => db.collection<SentDoc>(deliveryBooks.sent(sink, day)),
    dead: () => db.collection<DeadLetterDoc>(deliveryBooks.dead),
    /** Groups by the day each event was kept. */
    byDay<T extends { event: DeliveredEvent } | DeliveredEvent>(items: T[]): Map<string, T[]> {
      const out = new Map<string, T[]>();
      for (const item of items) {
        const day = keptDayOf('event' in item ? item.event : item);
        out.set(day, [...(out.get(day) ?? []), item]);
      }
      return out;
    },
    deadLetterOf(sink: DeliverySink, doc: PendingDoc, reason: DeadLetterReason, lastError: string, at: Date, attempts = doc.attempts): DeadLetterDoc {
      return {
        _id: `${sink}:${doc.event.id}`,
        sink,
        event: doc.event,
        pendingId: doc._id,
        day: keptDayOf(doc.event),
        attempts,
        reason,
        lastError: lastError.slice(0, 200),
        deadAt: at,
      };
    },
  };
}

export type Books = ReturnType<typeof createBooks>;
