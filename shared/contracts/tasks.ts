import { z } from 'zod';
import { Reward, TASK_KINDS } from './activities';
import { endpoints } from '../api/endpoint';
import { Role } from '../roles';

export { taskKindNamesZh } from '../activity-types';

export const MyTask = z
  .object({
    activityId: z.string(),
    title: z.string(),
    task: z.enum(TASK_KINDS),
    frequency: z.enum(['once', 'daily', 'weekly']),
    reward: Reward.nullable(),
    done: z.boolean().describe('Completed in the current period (ever, today, or this week)'),
  })
  .meta({ id: 'MyTask' });
export type MyTask = z.infer<typeof MyTask>;

export const tasksApi = endpoints({
  listMyTasks: {
    method: 'get',
    path: '/me/tasks',
    operationId: 'listMyTasks',
    summary: '任务中心：我的任务与本周期完成情况',
    tags: ['customer'],
    access: [Role.CUSTOMER],
    responses: { 200: { description: 'My tasks', schema: z.object({ items: z.array(MyTask) }) } },
  },
});
