import { call } from './client';

export const listMyTasks = () => call('listMyTasks').then((r) => r.items);
