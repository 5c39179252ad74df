import { marketingTasksApi, rmTaskReview } from '@shared/contracts/marketing-tasks';
import { implement } from '@/platform/http/routes';
import { reviewedAdminRoutes } from '@/kernel/review/routes';
import { csvRowToRmTask, type RmTaskAdmin } from './catalogue';
import type { TaskService } from './service';

export function marketingTaskRoutes(deps: { admin: RmTaskAdmin; service: TaskService }) {
  const { service } = deps;
  return [
    ...reviewedAdminRoutes({ operations: rmTaskReview, service: deps.admin, csvRow: csvRowToRmTask }),
    implement(marketingTasksApi.listRmTaskExecutions, ({ principal }) => service.reaching(principal)),
    implement(marketingTasksApi.getRmTaskExecution, ({ principal, params }) => service.execution(principal, params.id)),
    implement(marketingTasksApi.listMyRmTasks, ({ principal }) => service.listMine(principal)),
    implement(marketingTasksApi.getMyRmTask, ({ principal, params }) => service.getMine(principal, params.id)),
    implement(marketingTasksApi.shareMyRmTask, ({ principal, params }) => service.share(principal, params.id)),
    implement(marketingTasksApi.recordRmTaskFollowUp, async ({ principal, params, body, ctx }) => {
      const detail = await service.followUp(principal, params.id, body);
      ctx.status = 201;
      return detail;
    }),
  ];
}
