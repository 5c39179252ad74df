import { z } from 'zod';
import { MyTask } from '../../../shared/contracts/tasks';
import { Role } from '../../../shared/roles';
import { defineRoute } from '../platform/http/routes';
import type { TaskService } from './service';

export function taskRoutes(service: TaskService) {
  return [
    defineRoute({
      method: 'get',
      path: '/me/tasks',
      operationId: 'listMyTasks',
      summary: '任务中心：我的任务与本周期完成情况',
      tags: ['customer'],
      access: [Role.CUSTOMER],
      responses: { 200: { description: 'My tasks', schema: z.object({ items: z.array(MyTask) }) } },
      handler: async ({ principal }) => ({ items: await service.list(principal!.id) }),
    }),
  ];
}
