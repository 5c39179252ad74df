import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FUNNEL_STEPS } from '@shared/contracts/analytics';
import { EventName } from '@shared/events';
import type { TrackEventType } from '@shared/contracts/tracking';
import type { Database } from '@/platform/db';
import type { FeedEvent } from '@/platform/event-feed';
import { insertManyOnce } from '@/platform/keyed';
import type { Clock } from '@/platform/clock';
import { createStreamStore } from '@/platform/stream';
import { bankDay } from '@/platform/time';

/** The funnel's steps, in order; a customer counts at a step once, from the first time they reach it. */
export const STEPS = FUNNEL_STEPS;
export type Step = (typeof STEPS)[number];

/** Behaviour events that count as taking part, whichever feature sent them. */
export const PARTICIPATION: readonly TrackEventType[] = ['join', 'checkin', 'task_complete', 'quiz_submit', 'draw', 'redeem', 'invite', 'assist_start', 'assist_help'];

/** A customer's arm in an activity's experiment: shown it (treatment) or held back (control), from when. */
export type AssignDoc = { _id: string; kind: 'assign'; customerId: string; control: boolean; at: Date };
/** The first time a customer reached a step (`step` may be `convert.<kind>` for one conversion kind). */
export type FirstDoc = { _id: string; kind: 'first'; step: string; customerId: string; control: boolean; at: Date };
/** A customer at a step on a day (for the daily trend). */
export type DayDoc = { _id: string; kind: 'day'; step: string; day: string; customerId: string; control: boolean };
type MarkDoc = AssignDoc | FirstDoc | DayDoc;
type ActivityDoc = { _id: string; endAt: Date };

/** An arms event's payload (activities/eligibility.ts). */
const armsSchema = z.array(z.object({ activityId: z.string(), endAt: z.string(), control: z.boolean() }));

/** How long after an activity ends a conversion still counts for it. */
export const CONVERSION_WINDOW_MS = 30 * 86_400_000;
/** How long a customer's conversion is kept for an assignment observed after it: far beyond any delay of the outbox. */
const CONVERSION_MEMORY_MS = 7 * 86_400_000;
type Conversion = { kind: string; at: string };

/**
 * Per-activity figures, kept as marks rather than counters (an update on FerretDB can lose an
 * increment): each mark is an insert under a key that says what it counts, so a resent or
 * replayed event changes nothing, and a count is the number of marks. Each activity has a
 * collection of its own, read whole without a filter: a report's cost follows that activity's
 * participants, not the million events of every activity.
 *
 * Marks are made from the feed, which carries each event as it is stored: ingest refuses an
 * event id resent with other content (EVENT_ID_CONFLICT), outbox events and bank reports are
 * republished from their first record. `…/analytics/check` recounts from the stored records to
 * prove the marks agree.
 */
export function createMarks(deps: {
  db: Database;
  clock: Clock;
  /** Whether the customer is in the activity's control group, by the rule ingest flags behaviour events with. */
  controlOf: (activityId: string, customerId: string) => Promise<boolean>;
}) {
  const marksOf = (activityId: string) => deps.db.collection<MarkDoc>(`analytics_${createHash('sha1').update(activityId).digest('hex').slice(0, 24)}`);
  const activities = () => deps.db.collection<ActivityDoc>('analytics_activities');
  // Each customer's recent conversions, kept so an assignment observed after a conversion it precedes (the
  // assignment comes through the outbox, a bank report straight in) still counts it: a stream, as appends are atomic.
  const conversions = createStreamStore<{ items: Conversion[] }>(deps.db, 'analytics_customer_conversions', deps.clock);
  const conversionsOf = (customerId: string) => `conv:${customerId}`;

  const stepMarks = (step: string, customerId: string, control: boolean, at: Date): MarkDoc[] => [
    { _id: `f|${step}|${customerId}`, kind: 'first', step, customerId, control, at },
    { _id: `d|${bankDay(at)}|${step}|${customerId}`, kind: 'day', step, day: bankDay(at), customerId, control },
  ];

  async function mark(activityId: string, docs: MarkDoc[]) {
    await insertManyOnce(marksOf(activityId), docs);
  }

  /** A conversion's marks in one activity, if the customer was assigned to it before converting (and it counts until 30 days after the activity ends). */
  async function convertIn(activity: ActivityDoc, arm: AssignDoc, c: Conversion) {
    const at = new Date(c.at);
    if (arm.at > at || activity.endAt.getTime() + CONVERSION_WINDOW_MS <= at.getTime()) return;
    await mark(activity._id, [...stepMarks('convert', arm.customerId, arm.control, at), ...stepMarks(`convert.${c.kind}`, arm.customerId, arm.control, at)]);
  }

  /**
   * Conversions count for the activities the customer was assigned to before converting. The conversion is kept
   * first, then the arms read: an assignment kept meanwhile (by another process) reads it (see `assign`).
   */
  async function convert(event: FeedEvent) {
    const conversion: Conversion = { kind: String(event.data.kind), at: new Date(event.occurredAt).toISOString() };
    const horizon = deps.clock.now().getTime() - CONVERSION_MEMORY_MS;
    await conversions.append(conversionsOf(event.customerId!), (head) => ({ items: [...(head?.data.items ?? []).filter((c) => Date.parse(c.at) > horizon), conversion] }), {
      key: `conversion:${event.id}`,
    });
    const candidates = (await activities().find({}).toArray()).filter((a) => a.endAt.getTime() + CONVERSION_WINDOW_MS > Date.parse(conversion.at));
    await Promise.all(
      candidates.map(async (a) => {
        const arm = await marksOf(a._id).findOne({ _id: `a|${event.customerId}` });
        if (arm?.kind === 'assign') await convertIn(a, arm, conversion);
      }),
    );
  }

  /**
   * Records the customer's arm in each activity aimed at them, as of when they were found in it (the first time
   * counts); then counts the conversions kept since, which were observed before this assignment was.
   */
  async function assign(customerId: string, arms: unknown, at: Date) {
    const parsed = armsSchema.safeParse(arms);
    if (!parsed.success) return;
    const found = parsed.data.map((a) => ({ _id: a.activityId, endAt: new Date(a.endAt) }));
    await insertManyOnce(activities(), found);
    await Promise.all(parsed.data.map((a) => mark(a.activityId, [{ _id: `a|${customerId}`, kind: 'assign', customerId, control: a.control, at }])));
    const since = (await conversions.head(conversionsOf(customerId)))?.data.items ?? [];
    if (!since.length) return;
    await Promise.all(
      found.map(async (a) => {
        // The arm kept first wins: read it back rather than trust this event's.
        const arm = await marksOf(a._id).findOne({ _id: `a|${customerId}` });
        if (arm?.kind === 'assign') for (const c of since) await convertIn(a, arm, c);
      }),
    );
  }

  return {
    marksOf,
    ensureIndexes: () => conversions.ensureIndexes(),
    findActivity: (activityId: string) => activities().findOne({ _id: activityId }),

    /** The events `observe` marks anything for: only those are queued for it. */
    counts: (e: FeedEvent) =>
      Boolean(e.customerId) &&
      (e.source === 'bank' ||
        (e.source === 'domain' && e.name === EventName.ACTIVITY_ARMS_ASSIGNED) ||
        (typeof e.data.activityId === 'string' && (e.source === 'behaviour' || (e.source === 'domain' && e.name === EventName.REWARD_ISSUED)))),

    /** The feed's subscriber: behaviour steps, rewards issued, and the bank's conversions. */
    async observe(events: FeedEvent[]) {
      const byActivity = new Map<string, MarkDoc[]>();
      const add = (activityId: string, docs: MarkDoc[]) => byActivity.set(activityId, [...(byActivity.get(activityId) ?? []), ...docs]);
      for (const e of events) {
        if (!e.customerId) continue;
        const activityId = typeof e.data.activityId === 'string' ? e.data.activityId : null;
        const at = new Date(e.occurredAt);
        if (e.source === 'behaviour' && activityId) {
          const step: Step | null = e.name === 'impression' ? 'impression' : e.name === 'click' ? 'click' : PARTICIPATION.includes(e.name as TrackEventType) ? 'participate' : null;
          if (step) add(activityId, stepMarks(step, e.customerId, e.data.control === true, at));
        } else if (e.source === 'domain' && e.name === EventName.ACTIVITY_ARMS_ASSIGNED) {
          await assign(e.customerId, e.data.arms, at);
        } else if (e.source === 'domain' && e.name === EventName.REWARD_ISSUED && activityId) {
          // A reward says nothing of the arm: it is flagged by the same rule as the customer's behaviour events, so the funnel's population is one.
          add(activityId, stepMarks('reward', e.customerId, await deps.controlOf(activityId, e.customerId), at));
        } else if (e.source === 'bank') {
          await convert(e);
        }
      }
      await Promise.all([...byActivity].map(([activityId, docs]) => mark(activityId, docs)));
    },
  };
}

export type Marks = ReturnType<typeof createMarks>;
