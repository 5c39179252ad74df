import { z } from 'zod';
import { Reward, TASK_KINDS, type TaskKind } from './activities';

export const taskKindNamesZh: Record<TaskKind, string> = {
  view: '浏览活动',
  quiz: '完成答题',
  invite: '邀请好友',
  bind_phone: '绑定手机号',
  first_service: '首次使用生活服务',
  watch_live: '观看直播',
};

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
