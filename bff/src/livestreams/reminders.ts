import type { Collection } from 'mongodb';
import { EventName } from '../../../shared/events';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError } from '../platform/errors';
import { insertOnce } from '../platform/keyed';
import type { Logger } from '../platform/logger';
import type { Outbox } from '../platform/outbox';
import type { StreamStore } from '../platform/stream';
import { inBankTime } from '../platform/time';
import type { WechatClient } from '../platform/wechat/client';
import type { LivestreamRepository, LivestreamView } from './catalogue';
import type { ReservationDoc, ReserverEntry } from './schedule';

type ReminderDoc = { _id: string; livestreamId: string; customerId: string; at: Date; sent: boolean };

/** WeChat answered that it did not send (a refused or missing subscription, a bad template): safe to try again. */
const isDefiniteRefusal = (err: unknown) => err instanceof AppError && /^WeChat error \d+/.test(err.message);

/**
 * The reminder a few minutes before a livestream starts, once per standing reservation. Every
 * BFF process runs this sweep; each reminder is claimed by inserting `<live>|<customer>` before
 * it is sent, so two processes, or a process restarted mid-way, never send it twice. WeChat has
 * no idempotency key: a claim whose send died without an answer stays claimed (one reminder
 * lost rather than two sent); one WeChat refused outright is released for the next sweep.
 * Nothing is sent once the livestream has started.
 *
 * A reminder is a service message the customer asked for by reserving (and accepting WeChat's
 * subscription for it), not marketing: switching personalised marketing off (PIPL art. 24) or
 * saying 不感兴趣 to recommendations does not cancel it — cancelling the reservation does. But a
 * customer who has withdrawn consent or asked for their data to be deleted gets none: that is
 * read from the database right before each claim, never remembered.
 */
export function createReminders(deps: {
  db: Database;
  clock: Clock;
  logger: Logger;
  livestreams: LivestreamRepository;
  reservers: StreamStore<ReserverEntry>;
  reservations: () => Collection<ReservationDoc>;
  customers: CustomerRepository;
  wechat: WechatClient;
  outbox: Outbox;
  /** Agreed to the privacy policy in force and asked for no deletion. */
  mayContact: (customerId: string) => Promise<boolean>;
}) {
  const reminders = () => deps.db.collection<ReminderDoc>('livestream_reminders');

  async function remind(view: LivestreamView, customerId: string): Promise<boolean> {
    const l = view.live;
    const _id = `${view._id}|${customerId}`;
    const reservation = await deps.reservations().findOne({ _id });
    if (!reservation?.subscribed) return false;
    if (deps.clock.now().getTime() >= Date.parse(l.startAt)) return false;
    // Not claimed: should the customer agree again before the start, the reminder still goes.
    if (!(await deps.mayContact(customerId))) return false;
    if (!(await insertOnce(reminders(), { _id, livestreamId: view._id, customerId, at: deps.clock.now(), sent: false }))) return false;
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
      deps.logger.warn({ livestreamId: view._id, err: err instanceof Error ? err.message : String(err) }, 'livestream reminder not sent');
      if (isDefiniteRefusal(err)) await reminders().deleteOne({ _id });
      return false;
    }
    await reminders().replaceOne({ _id }, { livestreamId: view._id, customerId, at: deps.clock.now(), sent: true });
    await deps.outbox.record(EventName.LIVESTREAM_REMINDER_SENT, _id, { livestreamId: view._id, customerId });
    return true;
  }

  return {
    /** Sends the reminders now due: livestreams starting within their lead time. */
    async run(): Promise<number> {
      const now = deps.clock.now().getTime();
      const due = ((await deps.livestreams.liveViews(deps.clock.now())) as LivestreamView[]).filter((v) => {
        const start = Date.parse(v.live.startAt);
        return now < start && now >= start - v.live.reminder.leadMinutes * 60_000;
      });
      let sent = 0;
      for (const view of due) {
        const customers = new Set((await deps.reservers.readAll(`reservers:${view._id}`)).map((e) => e.data.customerId));
        for (const customerId of customers) if (await remind(view, customerId)) sent += 1;
      }
      return sent;
    },
  };
}
