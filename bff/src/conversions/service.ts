import type { ConversionReport } from '../../../shared/contracts/conversions';
import type { CustomerRepository } from '../customers';
import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db';
import { AppError, isDuplicateKeyError } from '../platform/errors';
import type { TaskService } from '../tasks/service';

/**
 * Conversions the bank's systems report back (a life service used, a livestream watched).
 * Each report is kept once under its event id; tasks are paid through the task centre,
 * whose reward keys make a repeated report, or a retry after a crash, pay at most once.
 */
export function createConversionService(deps: { db: Database; clock: Clock; customers: CustomerRepository; appid: string; tasks: TaskService }) {
  const reports = () => deps.db.collection<{ _id: string; kind: string; customerId: string; occurredAt: Date; receivedAt: Date }>('conversion_reports');
  return {
    async report(report: ConversionReport): Promise<{ duplicate: boolean; tasksPaid: number }> {
      const customerId = await deps.customers.resolveId(report, deps.appid);
      if (!customerId) throw new AppError('NOT_FOUND', { message: '未找到该客户' });
      let duplicate = false;
      try {
        await reports().insertOne({ _id: report.eventId, kind: report.kind, customerId, occurredAt: new Date(report.occurredAt), receivedAt: deps.clock.now() });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        duplicate = true;
      }
      return { duplicate, tasksPaid: await deps.tasks.completed(customerId, report.kind) };
    },
  };
}

export type ConversionService = ReturnType<typeof createConversionService>;
