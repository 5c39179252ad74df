import { tasksApi } from '@shared/contracts/tasks';
import { implement } from '@/platform/http/routes';
import type { TaskService } from './service';

export function taskRoutes(service: TaskService) {
  return [implement(tasksApi.listMyTasks, async ({ principal }) => ({ items: await service.list(principal.id) }))];
}
