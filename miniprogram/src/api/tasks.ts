import type { MyTask } from '../../../shared/contracts/tasks';
import { apiRequest } from './client';

export const listMyTasks = () => apiRequest<{ items: MyTask[] }>('GET', '/me/tasks').then((r) => r.items);
