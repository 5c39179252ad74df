import { EventName } from '@shared/events';
import type { TrackEventType } from '@shared/contracts/tracking';
import type { Database } from '@/platform/db';
import type { FeedEvent } from '@/platform/event-feed';
import { insertManyOnce, insertOnce } from '@/platform/keyed';
import { bankDay } from '@/platform/time';
import { bankMonth } from './period';

/** Behaviour events that count as taking part (the same list analytics counts: analytics/marks.ts PARTICIPATION). */
export const PARTICIPATION: readonly TrackEventType[] = ['join', 'checkin', 'task_complete', 'quiz_submit', 'draw', 'redeem', 'invite', 'assist_start', 'assist_help'];

/**
 * What one mark says happened, in the month its event happened (Beijing time):
 * active: a customer with a behaviour event on a day · reach: a customer reached (an impression,
 * shared content opened, an arrival through a manager's task) · phone: a phone bound · part: a
 * customer taking part in an activity · conv: a customer with a bank conversion of a kind
 * (`x`; aum_growth: an AUM change up) · report: one bank report of a kind · new: a customer
 * attributed to a manager · followup, lead, lead_fu (ok: within the SLA), lead_esc: a manager's work.
 */
export type MarkKind = 'active' | 'reach' | 'phone' | 'part' | 'conv' | 'report' | 'new' | 'followup' | 'lead' | 'lead_fu' | 'lead_esc';
export type MarkDoc = {
  _id: string;
  k: MarkKind;
  /** The customer; null for a manager's work. */
  c: string | null;
  /** The manager it counts for (the customer's at the time), and the unit (the manager's, else the customer's own; null: head office). */
  rm: string | null;
  u: string | null;
  day: string;
  at: Date;
  /** part: the activity. */
  a?: string;
  /** conv, report: the conversion kind. */
  x?: string;
  /** lead_fu: within the SLA. */
  ok?: boolean;
};

/** Where a customer's event counts: their manager then, and that manager's unit (or the customer's own). */
export type Place = { rm: string | null; u: string | null };

/** How a customer first arrived through a share: who shared (a member of staff, or a customer). */
export type ArrivalDoc = { _id: string; sharerKind: 'staff' | 'customer'; managerId: string | null; at: Date };
/** A trigger offered the customer an activity (first time): `_id` is `<activityId>|<customerId>`. */
export type OfferDoc = { _id: string; triggerId: string; at: Date };

/** Events done by a manager (no customer's consent is read for them: they are the manager's own work). */
const STAFF_WORK: readonly string[] = [EventName.RM_TASK_FOLLOWED_UP, EventName.LEAD_CREATED, EventName.LEAD_FOLLOWED_UP, EventName.LEAD_ESCALATED];
/** Domain events that reach a customer. */
const REACHING: readonly string[] = [EventName.CONTENT_OPENED, EventName.RM_TASK_ARRIVAL];
const CUSTOMER_DOMAIN: readonly string[] = [EventName.CUSTOMER_PHONE_BOUND, EventName.REFERRAL_ATTRIBUTED, EventName.TRIGGER_FIRED, ...REACHING];

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** Whether the cockpit marks anything for this event: only those are queued for it. */
export function counts(e: FeedEvent): boolean {
  if (e.source === 'bank' || e.source === 'behaviour') return Boolean(e.customerId);
  if (STAFF_WORK.includes(e.name)) return Boolean(str(e.data.rmId));
  return CUSTOMER_DOMAIN.includes(e.name) && Boolean(e.customerId);
}

/** A manager's work, counted whatever the customer's consent; everything else describes a customer. */
export const isStaffWork = (e: FeedEvent) => e.source === 'domain' && STAFF_WORK.includes(e.name);

/**
 * The manager an event names itself (null: it says there was none), or undefined when the
 * current manager is to be read: a behaviour event carries the customer's manager when it
 * arrived, a manager's work and an attribution name theirs.
 */
export function namedManager(e: FeedEvent): string | null | undefined {
  if (e.source === 'behaviour') return str(e.data.managerId);
  if (isStaffWork(e)) return str(e.data.rmId);
  if (e.name === EventName.REFERRAL_ATTRIBUTED) return str(e.data.managerId);
  return undefined;
}

/**
 * The marks an event makes, where it counts: one rule for the feed's marks and for the check's
 * recount, so the two can differ only in what they read.
 */
export function derive(e: FeedEvent, place: Place): MarkDoc[] {
  const at = new Date(e.occurredAt);
  const base = { rm: place.rm, u: place.u, day: bankDay(at), at };
  const c = e.customerId;
  if (e.source === 'behaviour' && c) {
    const docs: MarkDoc[] = [{ _id: `active|${base.day}|${c}`, k: 'active', c, ...base }];
    if (e.name === 'impression') docs.push({ _id: `reach|${c}`, k: 'reach', c, ...base });
    const activityId = str(e.data.activityId);
    if (activityId && PARTICIPATION.includes(e.name as TrackEventType)) docs.push({ _id: `part|${activityId}|${c}`, k: 'part', c, a: activityId, ...base });
    return docs;
  }
  if (e.source === 'bank' && c) {
    const kind = String(e.data.kind);
    const docs: MarkDoc[] = [
      { _id: `conv|${kind}|${c}`, k: 'conv', c, x: kind, ...base },
      { _id: `report|${e.id}`, k: 'report', c, x: kind, ...base },
    ];
    if (kind === 'aum_change' && typeof e.data.amountYuan === 'number' && e.data.amountYuan > 0) docs.push({ _id: `conv|aum_growth|${c}`, k: 'conv', c, x: 'aum_growth', ...base });
    return docs;
  }
  if (e.source !== 'domain') return [];
  const leadId = str(e.data.leadId);
  switch (e.name) {
    case EventName.CUSTOMER_PHONE_BOUND:
      return c ? [{ _id: `phone|${c}`, k: 'phone', c, ...base }] : [];
    case EventName.REFERRAL_ATTRIBUTED:
      return c && place.rm ? [{ _id: `new|${c}`, k: 'new', c, ...base }] : [];
    case EventName.CONTENT_OPENED:
    case EventName.RM_TASK_ARRIVAL:
      return c ? [{ _id: `reach|${c}`, k: 'reach', c, ...base }] : [];
    case EventName.RM_TASK_FOLLOWED_UP:
      return [{ _id: `followup|${e.id}`, k: 'followup', c: null, ...base }];
    case EventName.LEAD_CREATED:
      // A lead passed on in a hand-over is the one its rule made: counted once, for the manager who got it first.
      return [{ _id: `lead|${str(e.data.firstLeadId) ?? leadId ?? e.id}`, k: 'lead', c: null, ...base }];
    case EventName.LEAD_FOLLOWED_UP:
      return [{ _id: `lead_fu|${leadId ?? e.id}`, k: 'lead_fu', c: null, ok: e.data.withinSla === true, ...base }];
    case EventName.LEAD_ESCALATED:
      return [{ _id: `lead_esc|${leadId ?? e.id}`, k: 'lead_esc', c: null, ...base }];
    default:
      return [];
  }
}

/** What an event tells of how a customer came (an arrival) or what a trigger offered them. */
export function arrivalOf(e: FeedEvent): ArrivalDoc | null {
  if (e.source !== 'domain' || e.name !== EventName.REFERRAL_ATTRIBUTED || !e.customerId) return null;
  const kind = e.data.sharerKind === 'staff' ? 'staff' : 'customer';
  return { _id: e.customerId, sharerKind: kind, managerId: str(e.data.managerId), at: new Date(e.occurredAt) };
}

/**
 * The cockpit's marks: each an insert under a key that says what it counts (never a counter),
 * in a collection per Beijing month read whole, so a period's figures cost that period's marks.
 * How customers arrived and what triggers offered them are kept apart, by customer, as they
 * hold beyond the month they happened in.
 */
export function createCockpitMarks(deps: { db: Database }) {
  const monthOf = (month: string) => deps.db.collection<MarkDoc>(`programme_marks_${month.replace('-', '_')}`);
  const arrivals = () => deps.db.collection<ArrivalDoc>('programme_arrivals');
  const offers = () => deps.db.collection<OfferDoc>('programme_offers');

  return {
    /** Keeps an event's marks (a resent event changes nothing). */
    async keep(e: FeedEvent, place: Place, offeredActivity: string | null) {
      const docs = derive(e, place);
      const byMonth = new Map<string, MarkDoc[]>();
      for (const d of docs) byMonth.set(bankMonth(d.at), [...(byMonth.get(bankMonth(d.at)) ?? []), d]);
      const arrival = arrivalOf(e);
      await Promise.all([
        ...[...byMonth].map(([month, list]) => insertManyOnce(monthOf(month), list)),
        arrival ? insertOnce(arrivals(), arrival) : null,
        offeredActivity && e.customerId
          ? insertOnce(offers(), { _id: `${offeredActivity}|${e.customerId}`, triggerId: String(e.data.triggerId), at: new Date(e.occurredAt) })
          : null,
      ]);
    },
    /** Every mark of these months, read whole. */
    async read(months: string[]): Promise<MarkDoc[]> {
      return (await Promise.all(months.map((m) => monthOf(m).find({}).toArray()))).flat();
    },
    /** How these customers arrived, by `_id`. */
    async arrivalsOf(customerIds: string[]): Promise<Map<string, ArrivalDoc>> {
      if (!customerIds.length) return new Map();
      const docs = await arrivals()
        .find({ _id: { $in: [...new Set(customerIds)] } })
        .toArray();
      return new Map(docs.map((d) => [d._id, d]));
    },
    /** The trigger offers of these activity|customer pairs, by `_id`. */
    async offersOf(pairs: string[]): Promise<Map<string, OfferDoc>> {
      if (!pairs.length) return new Map();
      const docs = await offers()
        .find({ _id: { $in: [...new Set(pairs)] } })
        .toArray();
      return new Map(docs.map((d) => [d._id, d]));
    },
  };
}

export type CockpitMarks = ReturnType<typeof createCockpitMarks>;
