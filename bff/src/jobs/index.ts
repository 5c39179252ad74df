import { jobsApi } from '@shared/contracts/jobs';
import type { AppContext } from '@/context';
import { AppError } from '@/platform/errors';
import { implement } from '@/platform/http/routes';
import type { CapabilityModule } from '@/platform/module';

/** Periodic work, as head office watches it: every job's last outcome, the items that keep failing, and releasing a parked one. */
export function jobsModule(ctx: AppContext): CapabilityModule {
  const headOffice = async (principal: Parameters<typeof ctx.scope.isHeadOffice>[0]) => {
    if (!(await ctx.scope.isHeadOffice(principal))) throw new AppError('FORBIDDEN', { message: '仅总行管理员可以查看和处理后台任务' });
  };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    name: 'jobs',
    routes: [
      implement(jobsApi.getJobsReport, async ({ principal }) => {
        await headOffice(principal);
        const report = await ctx.jobBooks.report();
        return {
          jobs: report.jobs.map((j) => ({
            name: j._id,
            lastRunAt: j.lastRunAt.toISOString(),
            lastOkAt: iso(j.lastOkAt),
            lastFailedAt: iso(j.lastFailedAt),
            lastError: j.lastError ?? null,
            failuresInARow: j.failuresInARow ?? 0,
            failures: j.failures ?? 0,
          })),
          items: report.items.map((i) => ({
            job: i.job,
            key: i.key,
            failures: i.failures,
            lastError: i.lastError,
            firstFailedAt: i.firstFailedAt.toISOString(),
            lastFailedAt: i.lastFailedAt.toISOString(),
            parked: i.parked,
          })),
        };
      }),
      implement(jobsApi.releaseJobItem, async ({ principal, body }) => {
        await headOffice(principal);
        if (!(await ctx.jobBooks.release(body.job, body.key))) throw new AppError('NOT_FOUND', { message: '没有这个失败条目' });
        await ctx.audit.record(principal, { action: 'job.item_released', targetType: 'job_item', targetId: `${body.job}|${body.key}` });
      }),
    ],
  };
}
