import type { Collection } from 'mongodb';
import type { z } from 'zod';
import type { LivestreamReminderFigures } from '@shared/contracts/livestreams';
import { EventName } from '@shared/events';
import type { CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import { AppError } from '@/platform/errors';
import type { Faults } from '@/platform/faults';
import type { JobBooks } from '@/platform/job-books';
import { insertOnce } from '@/platform/keyed';
import type { Logger } from '@/platform/logger';
import type { Outbox } from '@/platform/outbox';
import type { StreamStore } from '@/platform/stream';
import { inBankTime } from '@/platform/time';
import type { WechatClient } from '@/platform/wechat/client';
import type { LivestreamRepository, LivestreamView } from './catalogue';
import type { ReservationDoc, ReserverEntry } from './schedule';

type ReminderState = 'claimed' | 'retry' | 'sent' | 'refused' | 'unknown';
/**
 * One reminder (`<live>|<customer>`), claimed by its insert. `state` and `attempts` are written
 * only by whoever holds the current attempt.
 */
type ReminderDoc = { _id: string; livestreamId: string; customerId: string; at: Date; state: ReminderState; attempts: number; errcode?: number | null };

/** A sender may still be at work on a claim this young (claim → send is bounded by WeChat's timeout). */
const REMINDER_LEASE_MS = 20_000;
/** A send WeChat said it was too busy for is tried again after this long, up to `MAX_ATTEMPTS` in all. */
const RETRY_AFTER_MS = 30_000;
const MAX_ATTEMPTS = 3;
/** WeChat's answers that mean "not now" rather than "no": system busy, rate limits. */
const TRANSIENT = new Set([-1, 45009, 45011]);

const settled = (s: ReminderState) => s === 'sent' || s === 'refused' || s === 'unknown';

/** WeChat's error code when WeChat answered (it did not send); null when no answer came (it may have). */
function answeredWith(err: unknown): number | null {
  if (!(err instanceof AppError)) return null;
  if (err.code === 'RATE_LIMITED') return 45011;
  const m = /^WeChat error (-?\d+)/.exec(err.message);
  return m ? Number(m[1]) : null;
}

/**
 * The reminder a few minutes before a livestream starts, once per standing reservation. Every
 * BFF process runs this sweep, and each pass visits every reservation of every livestream now
 * in its reminder window, so each step is resumable by the next pass:
 *
 * - The reminder is claimed by inserting `<live>|<customer>`, so two processes never both start it.
 * - Each try is claimed again right before WeChat is called, by inserting `<live>|<customer>#n`:
 *   whoever inserts it sends, so a claim left by a process that died before that insert is sent
 *   by a later pass once the claim's lease has passed (it was never sent), and no two processes
 *   send the same try.
 * - A try whose answer was lost (the process died during the call, or it timed out) may have gone:
 *   WeChat has no idempotency key, so it is recorded as unknown and not repeated.
 * - WeChat refusing (no subscription left, a bad template) is recorded and never tried again;
 *   WeChat too busy is tried again on a later pass, at most `MAX_ATTEMPTS` times.
 * - Nothing is sent once the livestream has started, nor to a reservation cancelled meanwhile.
 *
 * A reminder is a service message the customer asked for by reserving (and accepting WeChat's
 * subscription for it), not marketing: switching personalised marketing off (PIPL art. 24) or
 * saying 不感兴趣 to recommendations does not cancel it — cancelling the reservation does. But a
 * customer who has withdrawn consent or asked for their data to be deleted gets none: that is
 * read from the database right before each try, never remembered.
 */
export function createReminders(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  faults: Faults;
  livestreams: LivestreamRepository;
  reservers: StreamStore<ReserverEntry>;
  reservations: () => Collection<ReservationDoc>;
  customers: CustomerDirectory;
  wechat: WechatClient;
  outbox: Outbox;
  /** Agreed to the privacy policy in force and asked for no deletion. */
  mayContact: (customerId: string) => Promise<boolean>;
  jobBooks: JobBooks;
}) {
  const reminders = () => deps.db.collection<ReminderDoc>('livestream_reminders');
  const tries = () => deps.db.collection<{ _id: string; at: Date }>('livestream_reminder_attempts');

  async function record(doc: ReminderDoc, state: ReminderState, attempts: number, errcode: number | null = null): Promise<void> {
    await reminders().replaceOne({ _id: doc._id }, { livestreamId: doc.livestreamId, customerId: doc.customerId, at: deps.clock.now(), state, attempts, errcode });
  }

  async function remind(view: LivestreamView, customerId: string): Promise<boolean> {
    const l = view.live;
    const _id = `${view._id}|${customerId}`;
    const reservation = await deps.reservations().findOne({ _id });
    if (!reservation?.subscribed) return false;
    const now = deps.clock.now();
    if (now.getTime() >= Date.parse(l.startAt)) return false;
    // Not claimed: should the customer agree again before the start, the reminder still goes.
    if (!(await deps.mayContact(customerId))) return false;

    let doc = await reminders().findOne({ _id });
    if (!doc) {
      const fresh: ReminderDoc = { _id, livestreamId: view._id, customerId, at: now, state: 'claimed', attempts: 0 };
      if (!(await insertOnce(reminders(), fresh))) return false; // another process has just claimed it
      doc = fresh;
    } else {
      const state = doc.state;
      if (settled(state)) return false;
      const age = now.getTime() - doc.at.getTime();
      if (age < (state === 'retry' ? RETRY_AFTER_MS : REMINDER_LEASE_MS)) return false; // a sender may be at it, or it waits for its next try
    }
    deps.faults.hit('after:livestream.reminder-claimed');

    const attempt = doc.attempts + 1;
    if (!(await insertOnce(tries(), { _id: `${_id}#${attempt}`, at: now }))) {
      // This try was taken: being sent now by another process, or its sender died during the call.
      const taken = await tries().findOne({ _id: `${_id}#${attempt}` });
      if (taken && now.getTime() - taken.at.getTime() >= REMINDER_LEASE_MS) await record(doc, 'unknown', attempt);
      return false;
    }
    const customer = await deps.customers.findById(customerId);
    if (!customer) return false;
    try {
      await deps.wechat.sendSubscribeMessage({
        touser: customer.openid,
        templateId: l.reminder.templateId,
        page: `packages/life/live/index?id=${view._id}`,
        data: { thing1: { value: l.title.slice(0, 20) }, time2: { value: inBankTime(new Date(l.startAt)).format('YYYY-MM-DD HH:mm') }, name3: { value: l.host.slice(0, 10) } },
      });
    } catch (err) {
      const errcode = answeredWith(err);
      deps.logger.warn({ livestreamId: view._id, attempt, errcode, err: err instanceof Error ? err.message : String(err) }, 'livestream reminder not sent');
      if (errcode === null) await record(doc, 'unknown', attempt);
      else await record(doc, TRANSIENT.has(errcode) && attempt < MAX_ATTEMPTS ? 'retry' : 'refused', attempt, errcode);
      return false;
    }
    await record(doc, 'sent', attempt);
    await deps.outbox.record(EventName.LIVESTREAM_REMINDER_SENT, _id, { livestreamId: view._id, customerId });
    return true;
  }

  /** Everyone who ever reserved, once each, in order (checked against the reservations that stand). */
  const reserversOf = async (livestreamId: string) => [...new Set((await deps.reservers.readAll(`reservers:${livestreamId}`)).map((e) => e.data.customerId))];

  return {
    /** Sends the reminders now due (livestreams starting within their lead time), each alone. */
    async run(): Promise<number> {
      const now = deps.clock.now().getTime();
      const due = ((await deps.livestreams.liveViews(deps.clock.now())) as LivestreamView[]).filter((v) => {
        const start = Date.parse(v.live.startAt);
        return now < start && now >= start - v.live.reminder.leadMinutes * 60_000;
      });
      let sent = 0;
      for (const view of due) {
        // Each reminder alone, through the job books: one that fails is counted, the others go on, and the next pass takes it up.
        await deps.jobBooks.each(
          'livestreams.reminders',
          await reserversOf(view._id),
          (customerId) => `${view._id}|${customerId}`,
          async (customerId) => {
            if (await remind(view, customerId)) sent += 1;
          },
        );
      }
      return sent;
    },

    /** The reminder books of one livestream (see `LivestreamReminderFigures`), read by `_id`. */
    async figures(view: LivestreamView): Promise<z.infer<typeof LivestreamReminderFigures>> {
      const now = deps.clock.now().getTime();
      const start = Date.parse(view.live.startAt);
      const figures = { livestreamId: view._id, reservations: 0, subscribed: 0, sent: 0, refused: 0, unknown: 0, inFlight: 0, missed: 0, violations: [] as string[] };
      for (const customerId of await reserversOf(view._id)) {
        const _id = `${view._id}|${customerId}`;
        const [reservation, doc] = await Promise.all([deps.reservations().findOne({ _id }), reminders().findOne({ _id })]);
        if (!reservation) continue;
        figures.reservations += 1;
        if (!reservation.subscribed) continue;
        figures.subscribed += 1;
        const state = doc ? doc.state : null;
        if (state === 'sent' || state === 'refused' || state === 'unknown') {
          figures[state] += 1;
          continue;
        }
        if (doc) {
          figures.inFlight += 1;
          const stale = now - doc.at.getTime() >= (state === 'retry' ? RETRY_AFTER_MS : REMINDER_LEASE_MS);
          if (stale && (state === 'claimed' || now >= start))
            figures.violations.push(`reminder ${_id} for customer ${customerId}: ${state} at ${doc.at.toISOString()}, never sent`);
          continue;
        }
        // Reserved in time for the sweep, may be contacted, and the start has passed with no reminder.
        if (now >= start && reservation.at.getTime() < start - REMINDER_LEASE_MS && (await deps.mayContact(customerId))) {
          figures.missed += 1;
          figures.violations.push(`customer ${customerId} reserved at ${reservation.at.toISOString()} and was never reminded`);
        }
      }
      return figures;
    },
  };
}

export type Reminders = ReturnType<typeof createReminders>;
