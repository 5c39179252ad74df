import { z } from 'zod';
import { Reward, TASK_KINDS } from './activities';

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
