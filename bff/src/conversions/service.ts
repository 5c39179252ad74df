import { TASK_CONVERSIONS, type ConversionReport } from '@shared/contracts/conversions';
import type { CustomerDirectory } from '@/platform/directory';
import type { Clock } from '@/platform/clock';
import type { Database } from '@/platform/db';
import type { EventFeed, FeedEvent } from '@/platform/event-feed';
import { AppError } from '@/platform/errors';
import type { TaskService } from '@/tasks';
import { insertOnce } from '@/platform/keyed';

type Report = {
  _id: string;
  kind: ConversionReport['kind'];
  customerId: string;
  occurredAt: Date;
  receivedAt: Date;
  activityId: string | null;
  productCode: string | null;
  amountYuan: number | null;
};

const collection = 'conversion_reports';

/** Every conversion the bank has reported: a whole scan, for admin checks only. */
export const conversionReports = (db: Database): Promise<Pick<Report, 'customerId' | 'occurredAt'>[]> => db.collection<Report>(collection).find({}).toArray();
/** A report as the event feed carries it (never sent back to the bank). */
const reportEvent = (first: Report): FeedEvent => ({
  id: `conversion:${first._id}`,
  source: 'bank',
  name: `conversion.${first.kind}`,
  occurredAt: first.occurredAt.toISOString(),
  recordedAt: first.receivedAt.toISOString(),
  customerId: first.customerId,
  data: { kind: first.kind, activityId: first.activityId, productCode: first.productCode, amountYuan: first.amountYuan },
});
/** Every report of a conversion that happened in [from, to), as the feed carries it: a whole scan, for admin checks only. */
export const conversionEventsBetween = async (db: Database, from: Date, to: Date): Promise<FeedEvent[]> =>
  (
    await db
      .collection<Report>(collection)
      .find({ occurredAt: { $gte: from, $lt: to } })
      .toArray()
  ).map(reportEvent);
const isTaskConversion = (kind: ConversionReport['kind']): kind is (typeof TASK_CONVERSIONS)[number] => (TASK_CONVERSIONS as readonly string[]).includes(kind);

/**
 * Conversions the bank's systems report back (a life service used, a livestream watched).
 * Each report is kept once under its event id, and what it completes is decided by that first
 * report alone: a repeat (a retry next week included) pays only what the first one was owed and
 * a crash left unpaid, in the first report's period, through the task centre's reward keys.
 */
export function createConversionService(deps: {
  db: Database;
  clock: Clock;
  customers: CustomerDirectory;
  appid: string;
  tasks: TaskService;
  /** An account opened: it may qualify the customer's invitation (keyed there, so a repeat pays nothing more). */
  qualify: (customerId: string, action: 'open_account') => Promise<void>;
  feed: EventFeed;
  /** Whether the customer has agreed to the privacy policy in force: nothing is paid or counted for them before. */
  consented: (customerId: string) => Promise<boolean>;
}) {
  const reports = () => deps.db.collection<Report>(collection);
  return {
    async report(report: ConversionReport): Promise<{ duplicate: boolean; tasksPaid: number }> {
      const customerId = await deps.customers.resolveId(report, deps.appid);
      if (!customerId) throw new AppError('NOT_FOUND', { message: '未找到该客户' });
      let first: Report = {
        _id: report.eventId,
        kind: report.kind,
        customerId,
        occurredAt: new Date(report.occurredAt),
        receivedAt: deps.clock.now(),
        activityId: report.activityId ?? null,
        productCode: report.productCode ?? null,
        amountYuan: report.amountYuan ?? null,
      };
      const duplicate = !(await insertOnce(reports(), first));
      if (duplicate) first = (await reports().findOne({ _id: report.eventId }))!;
      // The bank's own fact is kept either way; it is counted, and the customer's account and their
      // inviter's written, only once the customer has agreed to be recorded (and not after a deletion request).
      if (!(await deps.consented(first.customerId))) return { duplicate, tasksPaid: 0 };
      // Queued on every report, the repeat included (a crash may have come before the first was); the same report queues the same item.
      await deps.feed.enqueue([{ placedAt: first.receivedAt, event: reportEvent(first) }]);
      if (first.kind === 'open_account') await deps.qualify(first.customerId, 'open_account');
      // The others are kept for the analytics: nothing is paid for them here.
      return { duplicate, tasksPaid: isTaskConversion(first.kind) ? await deps.tasks.completed(first.customerId, first.kind, first.receivedAt) : 0 };
    },
  };
}

export type ConversionService = ReturnType<typeof createConversionService>;
